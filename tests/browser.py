"""What a person does in a real browser, shared by the Chromium tests (``screen`` and any second browser)."""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By


def pick(screen: Screen, label: str, option: str) -> None:
    """Open a Quasar select by its label and tap the option, as a thumb would."""
    screen.selenium.find_element(By.XPATH, f'//label[contains(@class, "q-select")][.//div[contains(@class, '
                                           f'"q-field__label") and normalize-space()="{label}"]]'
                                           f'//div[contains(@class, "q-field__control")]').click()
    screen.wait_for(lambda: any(item.text.strip() == option
                                for item in screen.selenium.find_elements(By.CSS_SELECTOR, '.q-menu .q-item')))
    next(item for item in screen.selenium.find_elements(By.CSS_SELECTOR, '.q-menu .q-item')
         if item.text.strip() == option).click()
    wait_until_gone(screen, '.q-menu')
    screen.should_contain(option)


def wait_until_gone(screen: Screen, selector: str) -> None:
    with screen.implicitly_wait(0):  # find_elements would otherwise wait the full implicit wait for nothing
        screen.wait_for(lambda: not screen.selenium.find_elements(By.CSS_SELECTOR, selector))


def type_into(screen: Screen, selector: str, text: str) -> None:
    """Tap the field and type, then wait until the field holds exactly ``text``."""
    field = screen.find_by_css(selector)
    field.click()
    field.send_keys(text)
    screen.wait_for(lambda: field.get_attribute('value') == text)
