"""Signing out in one tab ends the staff pages open in the browser's other tabs, in real Chromium: the open
board goes to the login by itself (through its websocket), and going back does not bring it back."""

from __future__ import annotations

import pytest
from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from tests.browser import path, text, type_into, until
from tests.staff import ADMIN_PASSWORD


@pytest.mark.usefixtures('desktop')
def test_signing_out_in_another_tab_sends_the_open_board_to_the_login(screen: Screen):
    screen.open('/login', timeout=15)  # starts the server
    type_into(screen, 'input[aria-label="Nama pengguna"]', 'admin')
    type_into(screen, 'input[aria-label="Kata sandi"]', ADMIN_PASSWORD)
    screen.selenium.find_element(By.XPATH, '//button[normalize-space()="Masuk"]').click()
    driver = screen.selenium
    until(driver, lambda d: path(d) == '/admin' and 'Tidak ada aduan yang cocok.' in text(d), 'the board')
    board_tab = driver.current_window_handle

    driver.switch_to.new_window('tab')  # the same browser: same cookies, same session
    driver.get(f'{screen.url}/logout')
    until(driver, lambda d: path(d) == '/login', 'the sign-out in the second tab')
    driver.close()

    driver.switch_to.window(board_tab)
    until(driver, lambda d: path(d) == '/login', 'the open board leaving for the login by itself')
    assert 'Masuk petugas' in text(driver)
    driver.back()  # the board is not one step back in history either
    until(driver, lambda d: path(d) == '/login', 'the board refusing to come back')
