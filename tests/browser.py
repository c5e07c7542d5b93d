"""What a person does in a real browser, shared by the Chromium tests (``screen`` and any second browser)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing import Screen
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait


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


WAIT = 20  # seconds: a loaded two-core machine runs both browsers and the server


def until(driver: WebDriver, condition: Callable[[WebDriver], bool], what: str, *, logs: bool = False) -> None:
    """Wait for ``condition`` (a missing element is not there yet); on time-out say what was awaited and,
    with ``logs``, what the browser's console said."""
    driver.implicitly_wait(0)  # a polled find_element should fail at once, not wait the implicit wait each time
    try:
        WebDriverWait(driver, WAIT, poll_frequency=0.2,
                      ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)
    except TimeoutException:
        console = '\n'.join(entry['message'] for entry in driver.get_log('browser')) if logs else ''
        raise AssertionError(f'waited {WAIT} s for {what} at {driver.current_url}\n{console}') from None
    finally:
        driver.implicitly_wait(Screen.IMPLICIT_WAIT)


def path(driver: WebDriver) -> str:
    return driver.execute_script('return location.pathname')


def text(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, 'body').text
