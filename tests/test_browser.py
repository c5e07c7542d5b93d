"""The citizen's pages in a real headless Chromium the size of a phone (360 x 740).

Only what the browser itself does is tested here: the photo shrinking and upload, the draft in
localStorage, the countdown ticking, the live timeline, and the layout at phone width. The
server runs in this process (NiceGUI's ``screen`` fixture runs main.py in a thread), so a test
drives the services on the server's own event loop with ``_on_server``.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from services import complaints
from services.workflow import Action
from tests import factories, lifecycle
from tests.browser import pick, type_into, wait_until_gone

CODE = re.compile(r'^WSB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$')  # Crockford base32
PHONE_WIDTH = 360


def test_citizen_sends_a_complaint_with_a_photo_and_follows_it_on_a_phone(screen: Screen, tmp_path: Path):
    photo = tmp_path / 'lubang.jpg'
    photo.write_bytes(factories.image_bytes(size=(2400, 1800)))

    screen.open('/', timeout=15)
    _assert_fits_phone(screen)
    pick(screen, 'Kategori', 'Jalan rusak atau berlubang')
    type_into(screen, 'input[aria-label="Judul singkat"]', 'Jalan berlubang di depan SD Kertek 2')
    type_into(screen, 'textarea[aria-label="Uraian aduan"]',
              'Lubang besar di tengah jalan, sudah dua minggu, berbahaya bagi motor.')
    pick(screen, 'Kecamatan', 'Kertek')
    type_into(screen, 'input[aria-label="Desa/kelurahan"]', 'Kertek')
    screen.find_by_css('input[data-testid=photo-input]').send_keys(str(photo))
    screen.wait_for(lambda: len(screen.selenium.find_elements(By.CSS_SELECTOR, 'figure.lapor-photo')) == 1)
    wait_until_gone(screen, 'figure.lapor-photo figcaption')  # "mengunggah…" while shrinking and uploading
    assert screen.find_by_css('figure.lapor-photo button').get_attribute('aria-label') == 'Hapus foto 1'
    type_into(screen, 'input[aria-label="Nama"]', 'Siti Aminah')
    type_into(screen, 'input[aria-label="Nomor HP"]', '0812 3456 7890')
    screen.click('Saya menyatakan aduan ini benar')
    _assert_fits_phone(screen)
    screen.click('Kirim aduan')

    try:
        screen.should_contain('Aduan Anda sudah kami terima')
    except AssertionError as error:  # say why: a blank page after sending is usually a script error
        raise AssertionError(f'{error}\n{screen.render_js_logs()}') from None
    code = screen.find_by_class('lapor-code').text.strip()
    pin = screen.find_by_class('lapor-pin').text.strip()
    assert CODE.match(code), code
    assert re.fullmatch(r'\d{6}', pin), pin
    _assert_fits_phone(screen)
    # The draft went with the sent complaint: the next complaint starts empty, with a token of its own
    screen.wait_for_js("localStorage.getItem('lapor-draft-v1')", None, timeout=5)

    screen.open(f'/lacak/{code}')
    screen.should_contain('Jalan berlubang di depan SD Kertek 2')
    screen.should_contain('Diteruskan ke OPD')
    screen.should_load_image(screen.find_by_css('.lapor-photo-list img[alt="Foto 1"]'), timeout=5)
    first_response = screen.find_by_css('.lapor-sla-text')  # "sisa 01:59:59": the 2-hour clock shows seconds
    before = first_response.text
    assert before.startswith('sisa '), before
    screen.wait_for(lambda: first_response.text != before)  # ticks in the browser, no server message
    _assert_fits_phone(screen)


def test_a_draft_survives_a_reload(screen: Screen):
    typed = {
        'input[aria-label="Judul singkat"]': 'Lampu jalan mati',
        'textarea[aria-label="Uraian aduan"]': 'Lampu jalan di depan pasar mati sejak Senin malam.',
        'input[aria-label="Nomor HP"]': '0812 1111 2222',
    }
    screen.open('/', timeout=15)
    for selector, value in typed.items():
        type_into(screen, selector, value)

    screen.selenium.refresh()

    for selector, value in typed.items():
        screen.wait_for_js(f'document.querySelector({selector!r})?.value', value, timeout=5)


def test_tracking_page_shows_an_officers_update_without_reload(screen: Screen):
    screen.open('/lacak', timeout=15)  # starts the server
    submitted = _on_server(factories.submit(title='Sampah menumpuk di pasar Kertek'))
    screen.open(f'/lacak/{submitted.code}')
    screen.should_contain('Sampah menumpuk di pasar Kertek')
    screen.selenium.execute_script('window.laporNotReloaded = true')

    _on_server(lifecycle.step(complaints.code_key_of(submitted.code), Action.RESPOND,
                              message='Petugas sudah meninjau lokasi hari ini.'))
    sent = time.monotonic()

    with screen.implicitly_wait(2):
        screen.should_contain('Petugas sudah meninjau lokasi hari ini.')
    assert time.monotonic() - sent < 2
    screen.should_contain('Sudah direspons')
    assert screen.selenium.execute_script('return window.laporNotReloaded') is True


def _on_server(coroutine: Coroutine[Any, Any, Any], timeout: float = 10) -> Any:
    """Run ``coroutine`` on the server's event loop (the database and the event bus live there)."""
    assert core.loop is not None and core.loop.is_running(), 'open a page first: it starts the server'
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout)


def _assert_fits_phone(screen: Screen) -> None:
    width, scroll_width = screen.selenium.execute_script(
        'return [window.innerWidth, document.documentElement.scrollWidth]')
    assert width == PHONE_WIDTH, f'the viewport is {width} px wide, not a phone'
    assert scroll_width <= PHONE_WIDTH, f'the page is {scroll_width} px wide: it scrolls sideways on a phone'
