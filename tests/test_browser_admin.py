"""An admin and a citizen in two real headless Chromium browsers on one server, live both ways.

``screen`` is the admin at a desktop's size; ``second_driver`` is the citizen on a phone, with
its own cookies and storage. Neither page is ever reloaded: what one does reaches the other
through the server's event bus and the pages' websockets.
"""

from __future__ import annotations

import pytest
from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser import path as _path
from tests.browser import pick, type_into
from tests.browser import text as _text
from tests.browser import until as _until

TITLE = 'Lampu jalan mati di Jalan Kertek-Garung'
RESPONSE = 'Petugas kami akan mengganti lampu besok pagi.'


@pytest.mark.usefixtures('desktop')
def test_admin_sees_a_new_complaint_live_and_the_citizen_sees_the_response_live(screen: Screen,
                                                                                 second_driver: WebDriver):
    screen.open('/login', timeout=15)  # starts the server
    type_into(screen, 'input[aria-label="Nama pengguna"]', 'admin')
    type_into(screen, 'input[aria-label="Kata sandi"]', 'rahasia-admin-123')
    screen.selenium.find_element(By.XPATH, '//button[normalize-space()="Masuk"]').click()
    _until(screen.selenium, lambda d: _path(d) == '/admin', 'the login to land on the board')
    _until(screen.selenium, lambda d: 'Tidak ada aduan yang cocok.' in _text(d), 'the empty queue')
    assert 'Halaman 1 dari 1 · 0 aduan' in _text(screen.selenium), 'the pager, drawn by the queue itself'
    assert not screen.selenium.find_element(By.XPATH, '//button[normalize-space()="Berikutnya"]').is_enabled()
    assert screen.selenium.execute_script('return window.innerWidth') >= 1024, 'the board is a desktop page'
    _mark_not_reloaded(screen.selenium)

    citizen = _beside(screen, second_driver)
    code = _send_complaint(citizen)
    citizen.selenium.find_element(By.CSS_SELECTOR, f'a[href="/lacak/{code}"]').click()
    _until(citizen.selenium, lambda d: _path(d) == f'/lacak/{code}' and TITLE in _text(d), 'the tracking page')
    _until(citizen.selenium, lambda d: d.find_element(By.CLASS_NAME, 'lapor-status').text == 'Diteruskan ke OPD',
           'the status before the response')
    _mark_not_reloaded(citizen.selenium)

    admin = screen.selenium
    _until(admin, lambda d: any(f'Aduan baru {code}: {TITLE}' in toast.text
                                for toast in d.find_elements(By.CSS_SELECTOR, '.q-notification')),
           'the "Aduan baru" toast on the board')
    row = f'//table//tr[.//a[@href="/admin/aduan/{code}"]]'
    _until(admin, lambda d: TITLE in d.find_element(By.XPATH, row).text, 'the new row on the board')
    assert 'Diteruskan ke OPD' in admin.find_element(By.XPATH, row).text
    _assert_not_reloaded(admin)

    admin.find_element(By.XPATH, f'{row}//a').click()
    _until(admin, lambda d: _path(d) == f'/admin/aduan/{code}' and TITLE in _text(d), 'the complaint page')
    type_into(screen, 'textarea[aria-label="Pesan"]', RESPONSE)
    admin.find_element(By.XPATH, '//button[normalize-space()="Kirim respons awal"]').click()
    _until(admin, lambda d: 'Tersimpan.' in _text(d), 'the admin told the response is saved')
    assert 'Sudah direspons' in _text(admin)

    _until(citizen.selenium, lambda d: RESPONSE in _text(d), 'the response on the open tracking page')
    _until(citizen.selenium, lambda d: d.find_element(By.CLASS_NAME, 'lapor-status').text == 'Sudah direspons',
           'the new status on the open tracking page')
    _assert_not_reloaded(citizen.selenium)
    _assert_no_script_errors(citizen.selenium)  # ``screen`` checks its own browser's console itself


def _send_complaint(citizen: Screen) -> str:
    """Fill the citizen's form on a phone and send it; return the tracking code shown."""
    citizen.open('/', timeout=15)
    pick(citizen, 'Kategori', 'Lampu penerangan jalan umum')
    type_into(citizen, 'input[aria-label="Judul singkat"]', TITLE)
    type_into(citizen, 'textarea[aria-label="Uraian aduan"]',
              'Tiga lampu jalan mati sejak Senin malam, jalan gelap dan rawan kecelakaan.')
    pick(citizen, 'Kecamatan', 'Kertek')
    type_into(citizen, 'input[aria-label="Desa/kelurahan"]', 'Kertek')
    type_into(citizen, 'input[aria-label="Nama"]', 'Budi Santoso')
    type_into(citizen, 'input[aria-label="Nomor HP"]', '0813 2222 3333')
    citizen.click('Saya menyatakan aduan ini benar')
    citizen.click('Kirim aduan')
    _until(citizen.selenium, lambda d: 'Aduan Anda sudah kami terima' in _text(d), 'the sent complaint',
           logs=True)
    return citizen.find_by_class('lapor-code').text.strip()


def _beside(screen: Screen, driver: WebDriver) -> Screen:
    """A ``Screen`` for a second browser on the server that ``screen`` already runs (it starts none)."""
    assert screen.server_thread is not None, 'open a page with screen first: it starts the server'
    other = Screen(driver, screen.caplog)
    other.server_thread = screen.server_thread
    return other


def _mark_not_reloaded(driver: WebDriver) -> None:
    driver.execute_script('window.laporNotReloaded = true')


def _assert_not_reloaded(driver: WebDriver) -> None:
    assert driver.execute_script('return window.laporNotReloaded') is True, 'the page was reloaded'


def _assert_no_script_errors(driver: WebDriver) -> None:
    errors = [entry['message'] for entry in driver.get_log('browser') if entry.get('level') == 'SEVERE']
    assert not errors, '\n'.join(errors)
