"""The content security policy in a real Chromium: the citizen's pages work under it and break none of it.

NiceGUI's pages need inline scripts and Vue's template compiler; the photo picker previews blob: URLs and
uploads with fetch; the page's websocket goes to its own host. A policy stricter than what these need would
show here as a console error (the screen fixture also fails on any console error).
"""

from __future__ import annotations

from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests import factories
from tests.browser import pick, type_into, wait_until_gone

POLICY_WORDS = ('Content Security Policy', 'Permissions-Policy', 'Permissions policy', 'Refused to')


def test_the_citizens_pages_work_under_the_content_security_policy(screen: Screen, tmp_path: Path):
    photo = tmp_path / 'sampah.jpg'
    photo.write_bytes(factories.image_bytes(size=(1200, 900)))

    screen.open('/', timeout=15)
    screen.should_contain('Sampaikan aduan Anda')
    pick(screen, 'Kategori', 'Jalan rusak atau berlubang')  # Quasar's menu: Vue's runtime templates at work
    type_into(screen, 'input[aria-label="Judul singkat"]', 'Sampah menumpuk')
    screen.find_by_css('input[data-testid=photo-input]').send_keys(str(photo))  # a blob: preview, then fetch
    wait_until_gone(screen, 'figure.lapor-photo figcaption')
    assert screen.find_by_css('figure.lapor-photo button').get_attribute('aria-label') == 'Hapus foto 1'
    assert screen.selenium.execute_script('return window.did_handshake') is True  # the websocket is open

    screen.open('/lacak')
    screen.should_contain('Masukkan kode pelacakan')
    type_into(screen, 'input[aria-label="Kode pelacakan"]', 'WSB-0000-0000')
    screen.find_by_css('input[aria-label="Kode pelacakan"]').send_keys(Keys.ENTER)  # over the websocket and back
    screen.should_contain('tidak ditemukan')

    complaints = [entry['message'] for entry in screen.selenium.get_log('browser')
                  if any(word in entry['message'] for word in POLICY_WORDS)]
    assert complaints == []

    # The policy is really on: an image from elsewhere is refused by the browser, not fetched
    directive = screen.selenium.execute_async_script('''
        const done = arguments[arguments.length - 1];
        document.addEventListener('securitypolicyviolation', (e) => done(e.effectiveDirective), {once: true});
        const img = document.createElement('img');
        img.src = 'http://192.0.2.1/pelacak.png';
        document.body.appendChild(img);
    ''')
    assert directive == 'img-src'
    screen.allowed_js_errors.append('192.0.2.1/pelacak.png')
    assert screen.selenium.find_elements(By.CSS_SELECTOR, 'img[src*="192.0.2.1"]')
