"""The suggestion box in real headless Chromium (360 x 740): the browser waits for a pause in typing and asks
once, not once per keystroke, and the box fits the phone. Run under ``flock /tmp/lapor-chromium.lock``."""

from __future__ import annotations

import asyncio
from typing import Any

from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from models import Complaint
from services import duplicates, workflow
from services.workflow import Action
from tests import factories, lifecycle
from tests.browser import pick, type_into
from tests.test_browser_a11y import _check_citizen_page

POTHOLE = dict(title='Jalan berlubang di depan SD Kertek 2',
               description='Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu, berbahaya bagi motor.')


def _on_server(coroutine: Any, timeout: float = 10) -> Any:
    assert core.loop is not None and core.loop.is_running(), 'open a page first: it starts the server'
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout)


def test_typing_asks_once_per_pause_and_offers_the_similar_complaint(screen: Screen, monkeypatch):
    asked: list[str] = []
    suggest = duplicates.suggest

    async def counted(**kwargs: Any) -> list[duplicates.Suggestion]:
        asked.append(kwargs.get('description') or '')
        return await suggest(**kwargs)

    monkeypatch.setattr(duplicates, 'suggest', counted)
    screen.open('/', timeout=15)
    first = _on_server(factories.submit(**POTHOLE))
    pick(screen, 'Kategori', 'Jalan rusak atau berlubang')
    pick(screen, 'Kecamatan', 'Kertek')
    before = len(asked)
    text = 'Ada lubang besar di jalan depan SD Kertek, bahaya untuk motor.'
    type_into(screen, 'textarea[aria-label="Uraian aduan"]', text)  # 63 keystrokes
    screen.should_contain('Apakah maksud Anda salah satu dari ini?')
    link = screen.find_by_css('.lapor-similar a')
    assert link.get_attribute('href').endswith(f'/lacak/{first.code}') and link.text.strip() == 'Ikuti aduan ini'
    typed = asked[before:]
    assert 1 <= len(typed) <= 3, f'{len(typed)} questions for {len(text)} keystrokes'
    assert typed[-1] == text
    width, scroll_width = screen.selenium.execute_script(
        'return [window.innerWidth, document.documentElement.scrollWidth]')
    assert scroll_width <= width, 'the suggestion box makes the page scroll sideways'
    assert screen.selenium.find_element(By.CSS_SELECTOR, 'textarea[aria-label="Uraian aduan"]').get_attribute(
        'value') == text  # the form is untouched
    _check_citizen_page(screen, 'the submit form with its suggestions')


async def _merged_into(survivor_code: str) -> str:
    merged = await factories.submit(title='Jalan depan SD Kertek berlubang')
    version = await Complaint.get(code_key=merged.view.code_key).values_list('version', flat=True)
    await workflow.act((await lifecycle.people())['supervisor'], code_key=merged.view.code_key, action=Action.MERGE,
                       expected_version=version, into=survivor_code)
    return merged.code


def test_a_merged_codes_tracking_page_names_its_survivor_and_passes_axe(screen: Screen):
    screen.open('/', timeout=15)
    survivor = _on_server(factories.submit(**POTHOLE))
    merged_code = _on_server(_merged_into(survivor.code))
    screen.open(f'/lacak/{merged_code}')
    screen.should_contain('Aduan ini digabungkan ke aduan')
    screen.should_contain(survivor.code)
    _check_citizen_page(screen, 'a merged complaint following its survivor')
