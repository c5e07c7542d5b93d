"""The operator's intake page ``/admin/aduan/baru`` in real headless Chromium at a desktop's size.

What the page promises a person on the phone with a caller: keyboard only (Tab through the fields, the category
and kecamatan found by typing a few letters and Enter, Ctrl+Enter anywhere in the form saves), one screen, a draft
kept across a reload, and the code and PIN shown large to be read out. Which element holds the keyboard, what a
key does in a Quasar select and what survives a reload are the browser's business, so they are tested here; the
services behind the page are tested with the simulated user (tests/test_intake_pages.py).

No test clicks the form: every field is reached with Tab and filled with keys, as an operator with a headset would.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any

import pytest
from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from models import Channel, Complaint, IntakeRecord
from services import auth, complaints
from tests import staff
from tests.browser import path, text, type_into, until

PAGE = '/admin/aduan/baru'
NOTIFY = 'Kirim kode dan tautan pelacakan ke nomor HP/email pelapor (PIN tidak pernah dikirim)'
DRAFT_KEY = 'lapor-intake-draft-v1'  # pages/intake.py
OPERATOR = 'operator112'
# What the keyboard is on: a field's label, or a radio's (or any other element's) own text
FOCUSED_JS = '''const e = document.activeElement;
return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : '';'''
IN_FORM_JS = 'return !!document.activeElement?.closest("section.lapor-form")'
DRAFT_JS = f'return localStorage.getItem({json.dumps(DRAFT_KEY)})'
IN_VIEW_JS = '''const r = arguments[0].getBoundingClientRect();
return r.top >= 0 && r.bottom <= window.innerHeight;'''

pytestmark = pytest.mark.usefixtures('desktop')  # a call centre's desk, not a phone


def test_an_operator_enters_a_112_call_with_the_keyboard_only_and_reads_out_the_code_and_pin(screen: Screen):
    driver = _operator_on_the_page(screen)

    # From the top of the page, Tab reaches the header's links first, then the form's first field: the channel
    first = _tab_into_the_form(driver)
    assert first == 'Call Center 112', f'the first field of the form is {first!r}'
    assert _radio_checked(driver, 'Call Center 112'), 'a call is the channel a new form starts with'
    _tab_to(driver, 'Nomor referensi panggilan 112')  # past the other channels and the call's time (now)
    _type(driver, '112-20261130-0457')
    _tab(driver, expect='Kategori')
    _pick_by_typing(driver, 'Kategori', 'lampu', 'Lampu penerangan jalan umum')
    _tab(driver, expect='Judul singkat')
    _type(driver, 'Lampu jalan mati di depan pasar Kertek')
    _tab(driver, expect='Uraian aduan')
    _type(driver, 'Penelepon melaporkan tiga lampu jalan di depan pasar Kertek mati sejak dua malam.')
    _tab(driver, expect='Kecamatan')
    _pick_by_typing(driver, 'Kecamatan', 'kert', 'Kertek')
    _tab(driver, expect='Desa/kelurahan')
    _type(driver, 'Kertek')
    _tab_to(driver, 'Nomor HP (opsional)')  # past the location's detail, the photos and the name: not given
    _type(driver, '0813 1111 2222')
    _tab_to(driver, NOTIFY)  # the last field, low on the page: the screen has scrolled with the keyboard
    _ctrl_enter(driver)

    until(driver, lambda d: d.find_element(By.CLASS_NAME, 'lapor-pin').is_displayed(), 'the code and PIN',
          logs=True)
    code = driver.find_element(By.CLASS_NAME, 'lapor-code').text.strip()
    pin = driver.find_element(By.CLASS_NAME, 'lapor-pin').text.strip().removeprefix('PIN: ')
    assert 'Aduan tersimpan' in text(driver)
    assert path(driver) == PAGE, 'saved on the same screen'
    body = _font_px(driver, 'body')
    for selector in ('.lapor-code', '.lapor-pin'):  # large and in view, to be read out letter by letter
        assert _font_px(driver, selector) >= 1.3 * body, f'{selector} is no larger than the text around it'
        assert driver.execute_script(IN_VIEW_JS, driver.find_element(By.CSS_SELECTOR, selector)), \
            f'{selector} is outside the screen'
    assert driver.execute_script(DRAFT_JS) is None, 'the draft went with the saved complaint'

    saved = _on_server(_complaint(code))
    assert saved == {
        'channel': Channel.CALL_CENTER, 'source': 'Rina Operator', 'category': 'Lampu penerangan jalan umum',
        'title': 'Lampu jalan mati di depan pasar Kertek', 'district': 'Kertek', 'village': 'Kertek',
        'description': 'Penelepon melaporkan tiga lampu jalan di depan pasar Kertek mati sejak dua malam.',
        'reference': '112-20261130-0457', 'reporter_phone': '6281311112222',
    }
    assert _on_server(complaints.look_up(code=code, pin=pin)).pin_ok, 'the PIN shown opens the complaint'


def test_a_draft_survives_a_reload_with_its_picks_channel_and_post(screen: Screen):
    driver = _operator_on_the_page(screen)
    _tab_into_the_form(driver)
    _tab_to(driver, 'Kategori')
    _pick_by_typing(driver, 'Kategori', 'sampah', 'Sampah dan kebersihan')
    _tab(driver, expect='Judul singkat')
    _type(driver, 'Sampah menumpuk di pasar')
    _tab(driver, expect='Uraian aduan')
    _type(driver, 'Sampah di pasar Wonosobo tidak diangkut sejak Sabtu.')
    _tab(driver, expect='Kecamatan')
    _pick_by_typing(driver, 'Kecamatan', 'wonos', 'Wonosobo')
    _draft_holds(driver, category='Sampah dan kebersihan', title='Sampah menumpuk di pasar', district='Wonosobo')

    driver.refresh()  # a dropped connection reloads the page

    _fields_show(driver, {'Kategori': 'Sampah dan kebersihan', 'Judul singkat': 'Sampah menumpuk di pasar',
                          'Uraian aduan': 'Sampah di pasar Wonosobo tidak diangkut sejak Sabtu.',
                          'Kecamatan': 'Wonosobo'})

    # The call turns out to be a post someone shared: social media, its platform and its link
    _tab_into_the_form(driver)
    _tab_to(driver, 'Media sosial')
    _keys(driver, Keys.SPACE)
    until(driver, lambda d: _radio_checked(d, 'Media sosial'), 'social media chosen with the space bar')
    until(driver, lambda d: d.find_element(By.CSS_SELECTOR, 'input[aria-label="Tautan unggahan"]').is_displayed(),
          "the post's fields")
    _tab_to(driver, 'Platform')
    _pick_by_typing(driver, 'Platform', 'insta', 'Instagram')
    _tab_to(driver, 'Tautan unggahan')
    _type(driver, 'https://www.instagram.com/p/pasar-wonosobo-1')
    _draft_holds(driver, post_url='https://www.instagram.com/p/pasar-wonosobo-1', platform='Instagram')

    driver.refresh()

    until(driver, lambda d: _radio_checked(d, 'Media sosial'), 'the channel back after the reload')
    _fields_show(driver, {'Platform': 'Instagram', 'Tautan unggahan': 'https://www.instagram.com/p/pasar-wonosobo-1',
                          'Kategori': 'Sampah dan kebersihan', 'Judul singkat': 'Sampah menumpuk di pasar',
                          'Kecamatan': 'Wonosobo'})
    assert not _radio_checked(driver, 'Call Center 112')


def test_a_wrong_save_keeps_everything_and_puts_the_keyboard_on_the_first_wrong_field(screen: Screen):
    driver = _operator_on_the_page(screen)
    _tab_into_the_form(driver)
    _tab_to(driver, 'Kategori')
    # Two categories hold "jalan": the arrow keys choose the second, and Enter takes the one they chose
    _pick_by_typing(driver, 'Kategori', 'jalan', 'Lampu penerangan jalan umum',
                    listed=('Jalan rusak atau berlubang', 'Lampu penerangan jalan umum'), arrows=2)
    _tab(driver, expect='Judul singkat')  # left empty: the caller has not said it in a few words yet
    _tab(driver, expect='Uraian aduan')
    _type(driver, 'Dua lampu jalan di depan balai desa mati, jalan gelap dan rawan.')
    _tab(driver, expect='Kecamatan')
    _pick_by_typing(driver, 'Kecamatan', 'sapu', 'Sapuran')
    _ctrl_enter(driver)  # from inside a select: "anywhere in the form"

    until(driver, lambda d: 'Aduan belum tersimpan. Mohon perbaiki: judul.' in text(d), 'the summary of what is wrong')
    until(driver, lambda d: _focused(d) == 'Judul singkat', 'the keyboard on the empty title')
    title = driver.find_element(By.XPATH, '//label[.//input[@aria-label="Judul singkat"]]')
    until(driver, lambda d: 'Tuliskan judul singkat aduan.' in title.text, "the title's own message")
    _fields_show(driver, {'Kategori': 'Lampu penerangan jalan umum', 'Judul singkat': '',
                          'Uraian aduan': 'Dua lampu jalan di depan balai desa mati, jalan gelap dan rawan.',
                          'Kecamatan': 'Sapuran'})
    assert _on_server(_count()) == 0, 'a wrong form saves nothing'

    _type(driver, 'Lampu jalan mati di depan balai desa')  # the keyboard is already there
    _ctrl_enter(driver)
    until(driver, lambda d: d.find_element(By.CLASS_NAME, 'lapor-pin').is_displayed(), 'the code and PIN')
    saved = _on_server(_complaint(driver.find_element(By.CLASS_NAME, 'lapor-code').text.strip()))
    assert (saved['category'], saved['title'], saved['district']) == (
        'Lampu penerangan jalan umum', 'Lampu jalan mati di depan balai desa', 'Sapuran')
    assert saved['description'] == 'Dua lampu jalan di depan balai desa mati, jalan gelap dan rawan.'


# --- an operator at the keyboard ---

def _operator_on_the_page(screen: Screen) -> WebDriver:
    """Sign in as a new operator (the login page by mouse: the form is what is tested) and open the page with no
    draft of an earlier test in this browser's storage."""
    screen.open('/login', timeout=15)  # starts the server
    _on_server(auth.create_user(username=OPERATOR, password=staff.PASSWORD, role='operator',
                                full_name='Rina Operator'))
    driver = screen.selenium
    driver.execute_script(f'localStorage.removeItem({json.dumps(DRAFT_KEY)})')
    type_into(screen, 'input[aria-label="Nama pengguna"]', OPERATOR)
    type_into(screen, 'input[aria-label="Kata sandi"]', staff.PASSWORD)
    driver.find_element(By.XPATH, '//button[normalize-space()="Masuk"]').click()
    until(driver, lambda d: path(d) == '/admin' and 'Belum ada aduan yang Anda catat.' in text(d),
          "the operator's board")
    screen.open(PAGE)
    until(driver, lambda d: 'Catat aduan dari kanal lain' in text(d), 'the intake page')
    return driver


def _keys(driver: WebDriver, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def _type(driver: WebDriver, value: str) -> None:
    """Type into the focused field and wait until it holds ``value``."""
    _keys(driver, value)
    until(driver, lambda d: d.switch_to.active_element.get_attribute('value') == value, f'{value!r} typed')


def _ctrl_enter(driver: WebDriver) -> None:
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()


def _focused(driver: WebDriver) -> str:
    return driver.execute_script(FOCUSED_JS)


def _tab(driver: WebDriver, *, expect: str) -> None:
    """One Tab, which must land on the field labelled ``expect`` (the form's order is the order of a call)."""
    _keys(driver, Keys.TAB)
    assert _focused(driver) == expect, f'Tab went to {_focused(driver)!r}, not to {expect!r}'


def _tab_into_the_form(driver: WebDriver) -> str:
    """From the top of the page, Tab until the keyboard is in the form; return the field it is on."""
    driver.execute_script('document.activeElement?.blur(); window.scrollTo(0, 0)')
    for _ in range(20):
        _keys(driver, Keys.TAB)
        if driver.execute_script(IN_FORM_JS):
            return _focused(driver)
    raise AssertionError('20 Tabs from the top of the page did not reach the form')


def _tab_to(driver: WebDriver, label: str, *, limit: int = 30) -> None:
    """Tab forward, staying in the form, until the keyboard is on ``label``."""
    for _ in range(limit):
        if _focused(driver) == label:
            return
        _keys(driver, Keys.TAB)
        assert driver.execute_script(IN_FORM_JS), f'Tab left the form before reaching {label!r}'
    raise AssertionError(f'{limit} Tabs did not reach {label!r} (stopped at {_focused(driver)!r})')


def _pick_by_typing(driver: WebDriver, label: str, letters: str, option: str, *, listed: tuple[str, ...] = (),
                    arrows: int = 0) -> None:
    """In the focused select, type a few letters, see ``listed`` left in the list (``option`` alone by default),
    press the down arrow ``arrows`` times and Enter: the select holds ``option`` and keeps the keyboard."""
    assert _focused(driver) == label
    _keys(driver, letters)
    until(driver, lambda d: [item.text.strip() for item in d.find_elements(By.CSS_SELECTOR, '.q-menu .q-item')]
          == list(listed or [option]), f'{letters!r} to leave {listed or [option]} in the list of {label}')
    _keys(driver, *[Keys.ARROW_DOWN] * arrows, Keys.ENTER)
    until(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, '.q-menu'), f'the list of {label} to close')
    until(driver, lambda d: _shown(d, label) == option, f'{label} to hold {option!r}')
    assert _focused(driver) == label, f'picking {option!r} took the keyboard away from {label}'


def _shown(driver: WebDriver, label: str) -> str:
    """What the field labelled ``label`` shows (a select with fill-input shows its option's name in its input)."""
    return driver.find_element(By.CSS_SELECTOR, f'[aria-label="{label}"]').get_attribute('value') or ''


def _fields_show(driver: WebDriver, values: dict[str, str]) -> None:
    for label, value in values.items():
        until(driver, lambda d, label=label, value=value: _shown(d, label) == value,
              f'{label} to show {value!r} (it shows {_shown(driver, label)!r})')


def _radio_checked(driver: WebDriver, label: str) -> bool:
    return any(radio.get_attribute('aria-checked') == 'true' and radio.text.strip() == label
               for radio in driver.find_elements(By.CSS_SELECTOR, '[role="radio"]'))


def _draft_holds(driver: WebDriver, **fields: str) -> None:
    """The browser saved these fields in the draft (they are saved on every change, before any reload)."""
    def holds(d: WebDriver) -> bool:
        draft = json.loads(d.execute_script(DRAFT_JS) or '{}')
        return all(draft.get(name) == value for name, value in fields.items())
    until(driver, holds, f'the draft to hold {fields}')


def _font_px(driver: WebDriver, selector: str) -> float:
    return float(driver.execute_script(
        'return parseFloat(getComputedStyle(document.querySelector(arguments[0])).fontSize)', selector))


# --- the server ---

def _on_server(coroutine: Coroutine[Any, Any, Any], timeout: float = 10) -> Any:
    """Run ``coroutine`` on the server's event loop (the database lives there)."""
    assert core.loop is not None and core.loop.is_running(), 'open a page first: it starts the server'
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout)


async def _count() -> int:
    return await Complaint.all().count()


async def _complaint(code: str) -> dict[str, Any]:
    complaint = await Complaint.get(code=code).prefetch_related('category', 'district')
    record = await IntakeRecord.get(complaint_id=complaint.id)
    return {'channel': complaint.channel, 'source': complaint.source, 'category': complaint.category.name,
            'title': complaint.title, 'district': complaint.district.name, 'village': complaint.village,
            'description': complaint.description, 'reference': record.reference,
            'reporter_phone': complaint.reporter_phone}
