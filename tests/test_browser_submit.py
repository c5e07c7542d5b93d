"""What a first-time citizen met on a phone (360 x 740) after tapping "Kirim aduan", in real headless Chromium.

Where the page ends up scrolled and which field holds the keyboard are the browser's business, so they are
tested here; the order of the messages and the sent position are tested with the simulated user.
"""

from __future__ import annotations

from nicegui.testing import Screen

from tests.browser import pick, type_into

IN_VIEW_JS = '''const r = arguments[0].getBoundingClientRect();
return r.top >= 0 && r.bottom <= window.innerHeight;'''


def _fill(screen: Screen) -> None:
    pick(screen, 'Kategori', 'Jalan rusak atau berlubang')
    type_into(screen, 'input[aria-label="Judul singkat"]', 'Jalan berlubang di depan SD Kertek 2')
    type_into(screen, 'textarea[aria-label="Uraian aduan"]',
              'Lubang besar di tengah jalan, sudah dua minggu, berbahaya bagi motor.')
    pick(screen, 'Kecamatan', 'Kertek')
    type_into(screen, 'input[aria-label="Nama"]', 'Siti Aminah')
    type_into(screen, 'input[aria-label="Nomor HP"]', '0812 3456 7890')
    screen.click('Saya menyatakan aduan ini benar')


def test_the_success_page_opens_at_its_top_with_the_code_in_view(screen: Screen):
    screen.open('/', timeout=15)
    _fill(screen)
    screen.click('Kirim aduan')  # the button is at the bottom of a long form: the page is scrolled down
    screen.should_contain('Aduan Anda sudah kami terima')
    screen.wait_for_js('window.scrollY', 0, timeout=5)
    code = screen.find_by_class('lapor-code')
    assert screen.selenium.execute_script(IN_VIEW_JS, code), 'the tracking code is outside the screen'


def test_an_empty_form_brings_the_first_field_into_view_with_the_keyboard_on_it(screen: Screen):
    screen.open('/', timeout=15)
    screen.click('Kirim aduan')
    screen.should_contain('Aduan belum terkirim')
    category = screen.find_by_css('label.q-select')  # the first field of the form, and the first missing
    screen.wait_for(lambda: screen.selenium.execute_script(
        'return arguments[0].contains(document.activeElement)', category))
    assert screen.selenium.execute_script(IN_VIEW_JS, category), 'the first invalid field is outside the screen'
    assert 'Pilih kategori aduan.' in category.text


def test_use_my_location_fills_the_position_from_the_phones_gps(screen: Screen):
    screen.open('/', timeout=15)
    driver = screen.selenium
    origin = driver.execute_script('return location.origin')
    driver.execute_cdp_cmd('Emulation.setGeolocationOverride', {'latitude': -7.3604, 'longitude': 109.9027,
                                                                 'accuracy': 15})
    try:
        driver.execute_cdp_cmd('Browser.grantPermissions', {'origin': origin, 'permissions': ['geolocation']})
        screen.click('Gunakan lokasi saya')
        screen.should_contain('Lokasi tersimpan: -7.36040, 109.90270 (akurasi ± 15 m).')
        screen.should_contain('Hapus lokasi')
        driver.refresh()  # a dropped connection reloads the page: the point stays with the draft
        screen.should_contain('Lokasi tersimpan: -7.36040, 109.90270.')

        driver.execute_cdp_cmd('Browser.setPermission', {'origin': origin, 'permission': {'name': 'geolocation'},
                                                         'setting': 'denied'})
        screen.click('Perbarui lokasi')
        screen.should_contain('Izin lokasi ditolak')
        screen.should_contain('Lokasi yang tersimpan sebelumnya tetap dikirim.')
        screen.click('Hapus lokasi')
        screen.wait_for_js("JSON.parse(localStorage.getItem('lapor-draft-v1')).location", None, timeout=5)
    finally:
        driver.execute_cdp_cmd('Browser.resetPermissions', {})
        driver.execute_cdp_cmd('Emulation.clearGeolocationOverride', {})
