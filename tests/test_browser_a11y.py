"""Every page as a first-time user meets it on a 360 x 640 phone, in real headless Chromium: axe-core finds no
serious or critical problem (contrast among them), the citizen's tap targets are 48 x 48 px or more, and the staff
pages fit the screen (no sideways scrolling, the header in two rows at most: an OPD head checks the queue on the
road). The measurements live in tests/a11y.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest
from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from models import OutboxMessage, OutboxStatus, Privacy, Status
from tests import a11y, factories, lifecycle
from tests.browser import path, text, type_into, until
from tests.staff import ADMIN_PASSWORD
from tests.test_browser_submit import _fill

PHONE = (360, 640)
SETTINGS = '/admin/pengaturan'
# Every settings area's list, one form of each (the first row: an OPD, a category, the admin account) and a new
# template's form, the access log, the Open311 switch and origins, the API keys and a category's questions
SETTINGS_PAGES = ('', '/opd', '/opd/1', '/kategori', '/kategori/1', '/pengguna', '/pengguna/1', '/templat',
                  '/templat/baru', '/log-akses', '/pesan-keluar', '/pesan-keluar?status=failed', '/open311',
                  '/kunci-api', '/pertanyaan', '/pertanyaan?kategori=1')


@pytest.fixture
def phone(nicegui_driver):
    """The shared browser at 360 x 640 (the conftest's phone is 360 x 740) for one test."""
    nicegui_driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': PHONE[0], 'height': PHONE[1], 'deviceScaleFactor': 2, 'mobile': True})
    yield
    nicegui_driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': 360, 'height': 740, 'deviceScaleFactor': 2, 'mobile': True})


@pytest.mark.usefixtures('phone')
def test_citizen_pages_pass_axe_and_every_tap_target_takes_a_thumb(screen: Screen):
    screen.open('/', timeout=15)
    screen.should_contain('Sampaikan aduan Anda')
    _check_citizen_page(screen, 'the submit form')

    _fill(screen)
    screen.click('Kirim aduan')
    screen.should_contain('Aduan Anda sudah kami terima')
    code = screen.find_by_class('lapor-code').text.strip()
    _check_citizen_page(screen, 'the success page')

    screen.open('/lacak')
    screen.should_contain('Masukkan kode pelacakan')
    _check_citizen_page(screen, '/lacak')

    screen.open(f'/lacak/{code}')
    screen.should_contain('Riwayat penanganan')
    _check_citizen_page(screen, 'a publik complaint')

    secret = _on_server(factories.submit(privacy=Privacy.RAHASIA, title='Pungutan liar di kantor desa'))
    screen.open(f'/lacak/{secret.code}')
    screen.should_contain('Buka dengan PIN')
    _check_citizen_page(screen, 'a rahasia complaint without its PIN')

    waiting = _on_server(lifecycle.walk_to(Status.MENUNGGU_PELAPOR, title='Lampu jalan mati di Kertek'))
    screen.open(f'/lacak/{waiting.code}')
    screen.should_contain('Petugas menunggu informasi dari Anda')
    _check_citizen_page(screen, 'a complaint waiting for its reporter (the add-information form)')

    resolved = _on_server(lifecycle.walk_to(Status.SELESAI, title='Sampah menumpuk di pasar Kertek'))
    screen.open(f'/lacak/{resolved.code}')
    screen.should_contain('Kirim penilaian')
    _check_citizen_page(screen, 'a resolved complaint (the rating and reopening forms)')

    screen.open('/tidak-ada')
    screen.should_contain('Maaf, halaman yang Anda buka tidak ada')
    _check_citizen_page(screen, 'the 404 page')
    screen.selenium.get_log('browser')  # the 404 itself is logged as a failed load: expected here, not an error


@pytest.mark.usefixtures('phone')
def test_staff_pages_fit_a_phone_and_pass_axe(screen: Screen):
    screen.open('/login', timeout=15)
    screen.should_contain('Masuk petugas')
    _check_staff_page(screen, '/login')

    public = _on_server(factories.submit(title='Jalan berlubang di depan SD Kertek 2'))
    secret = _on_server(factories.submit(privacy=Privacy.RAHASIA, title='Pungutan liar di kantor desa'))
    type_into(screen, 'input[aria-label="Nama pengguna"]', 'admin')
    type_into(screen, 'input[aria-label="Kata sandi"]', ADMIN_PASSWORD)
    screen.selenium.find_element(By.XPATH, '//button[normalize-space()="Masuk"]').click()
    driver = screen.selenium
    until(driver, lambda d: path(d) == '/admin' and public.code in text(d) and secret.code in text(d),
          'the board with both complaints')
    _check_staff_page(screen, 'the board')

    for complaint in (public, secret):
        screen.open(f'/admin/aduan/{complaint.code}')
        screen.should_contain('Riwayat lengkap')
        _check_staff_page(screen, f'the complaint page ({complaint.code})')

    for page, heading in (('/admin/aduan/baru', 'Catat aduan dari kanal lain'),
                          ('/admin/penyaringan', 'Kriteria penyaringan')):  # the intake pages
        screen.open(page)
        screen.should_contain(heading)
        _check_staff_page(screen, page)

    _on_server(_failed_message())
    for page in SETTINGS_PAGES:
        screen.open(SETTINGS + page)
        screen.find_by_class('lapor-crumbs')
        _check_staff_page(screen, SETTINGS + page)


async def _failed_message() -> None:
    """A message the outbox gave up on, for its page's failed tab."""
    await factories.submit(title='Lampu jalan mati', notify_reporter=True)
    await OutboxMessage.all().update(status=OutboxStatus.FAILED, attempts=5,
                                     last_error='Webhook: jawaban HTTP 503 gateway sedang sibuk')


@pytest.mark.usefixtures('desktop')
def test_the_staff_header_is_one_row_on_a_desktop(screen: Screen):
    screen.open('/login', timeout=15)
    type_into(screen, 'input[aria-label="Nama pengguna"]', 'admin')
    type_into(screen, 'input[aria-label="Kata sandi"]', ADMIN_PASSWORD)
    screen.selenium.find_element(By.XPATH, '//button[normalize-space()="Masuk"]').click()
    until(screen.selenium, lambda d: path(d) == '/admin' and 'Tidak ada aduan yang cocok.' in text(d), 'the board')
    assert a11y.header_rows(screen.selenium) == 1
    findings = a11y.blocking(a11y.axe_findings(screen.selenium))
    assert not findings, f'axe-core on the desktop board:\n{a11y.describe(findings)}'


def _check_citizen_page(screen: Screen, page: str) -> None:
    driver = screen.selenium
    _settled(screen)
    width, scroll_width = a11y.page_width(driver)
    assert max(width, scroll_width) <= PHONE[0], f'{page} is {scroll_width} px wide: it scrolls sideways on a phone'
    small = a11y.too_small(a11y.tap_targets(driver))
    assert not small, f'tap targets under 48 x 48 px on {page}: {small}'
    findings = a11y.blocking(a11y.axe_findings(driver))
    assert not findings, f'axe-core on {page}:\n{a11y.describe(findings)}'


def _check_staff_page(screen: Screen, page: str) -> None:
    driver = screen.selenium
    _settled(screen)
    # A phone widens its layout viewport to a page that overflows it, so both are held to the phone's width
    width, scroll_width = a11y.page_width(driver)
    assert max(width, scroll_width) <= PHONE[0], f'{page} is {scroll_width} px wide: it scrolls sideways on a phone'
    rows = a11y.header_rows(driver)
    assert rows <= 2, f'the header of {page} takes {rows} rows on a phone'
    findings = a11y.blocking(a11y.axe_findings(driver))
    assert not findings, f'axe-core on {page}:\n{a11y.describe(findings)}'


def _settled(screen: Screen) -> None:
    """The page is loaded and, on a NiceGUI page, Vue has mounted it (axe reads the colours and sizes as drawn)."""
    screen.wait_for_js('document.readyState === "complete" && (!document.querySelector("#app") || '
                       'document.querySelector("#app > *") !== null)', True, timeout=10)
    screen.wait(0.3)  # Quasar's fields float their labels in a short transition


def _on_server(coroutine: Coroutine[Any, Any, Any], timeout: float = 10) -> Any:
    """Run ``coroutine`` on the server's event loop (the database lives there)."""
    assert core.loop is not None and core.loop.is_running(), 'open a page first: it starts the server'
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout)
