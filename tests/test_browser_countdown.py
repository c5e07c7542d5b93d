"""Countdowns in a real headless Chromium: the tracking page and the board draw what the server says.

Both draw with components/sla_clock.js from the server's due and at-risk moments and its paused state. The
server's clock (services/clock) is set to run from a chosen moment; the browser's own clock is moved by a script
that Chromium runs before every page (CDP ``Page.addScriptToEvaluateOnNewDocument``), as a phone set to the wrong
date would be.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from nicegui import core
from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from models import Category, SlaCalendar
from services import clock, complaints, workflow
from services.complaints import ClockKind
from services.workflow import Action
from tests import factories, staff
from tests.browser import path, type_into, until

FRIDAY_22_WIB = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
MONDAY_0900_WIB = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # the working-hours clock's at-risk moment
FIRST_RESPONSE = '.lapor-sla[aria-label^="Respons awal"] .lapor-sla-text'
RESOLUTION = '.lapor-sla[aria-label^="Penyelesaian"] .lapor-sla-text'
HMS = re.compile(r'sisa (\d\d):(\d\d):(\d\d)')


@pytest.mark.usefixtures('desktop')
def test_paused_and_at_risk_clocks_show_what_the_server_records(screen: Screen):
    screen.open('/lacak', timeout=15)  # starts the server
    _on_server(_categories(pause_when_waiting='JALAN', working_hours='PJU'))
    paused = _on_server(_paused_complaint(submitted_at=FRIDAY_22_WIB - timedelta(days=7)))
    working = _on_server(_working_hours_complaint(submitted_at=FRIDAY_22_WIB))
    # Monday 08:59:55 WIB: the paused clock is days past its nominal deadline; the working-hours clock has been at
    # risk since Sunday 18:37:30 by a quarter of wall time, but is at risk for the server only at 09:00:00
    _server_time_runs_from(MONDAY_0900_WIB - timedelta(seconds=5))

    screen.open(f'/lacak/{paused}')
    until(screen.selenium, lambda d: d.find_element(By.CSS_SELECTOR, RESOLUTION).text == 'dijeda',
          'the paused resolution clock to say "dijeda"', logs=True)
    assert screen.find_by_css(FIRST_RESPONSE).text == 'tepat waktu'

    screen.open(f'/lacak/{working}')
    _assert_turns_at_risk_on_time(screen.selenium, lambda d: d.find_element(By.CSS_SELECTOR, FIRST_RESPONSE).text)

    _server_time_runs_from(MONDAY_0900_WIB - timedelta(seconds=5))  # the board's turn from the same moment
    _open_board(screen)
    _assert_turns_at_risk_on_time(screen.selenium, lambda d: _board_clock(d, working))
    assert _board_clock(screen.selenium, paused) == 'Penyelesaian dijeda'


@pytest.mark.usefixtures('desktop')
def test_a_phone_with_a_wrong_clock_counts_down_like_one_with_the_right_clock(screen: Screen):
    screen.open('/lacak', timeout=15)  # starts the server
    _server_time_runs_from(FRIDAY_22_WIB)
    submitted = _on_server(factories.submit())
    due = _on_server(complaints.public_view_by_key(complaints.code_key_of(submitted.code))).clock(
        ClockKind.FIRST_RESPONSE).due_at

    for shift in (timedelta(days=3), -timedelta(days=2)):
        with _browser_clock_moved(screen.selenium, shift):
            screen.open(f'/lacak/{submitted.code}')
            _assert_counts_from_the_server(
                screen.selenium, due, lambda d: d.find_element(By.CSS_SELECTOR, FIRST_RESPONSE).text)

    with _browser_clock_moved(screen.selenium, timedelta(days=3)):
        _open_board(screen)
        _assert_counts_from_the_server(screen.selenium, due, lambda d: _board_clock(d, submitted.code))


async def _categories(*, pause_when_waiting: str, working_hours: str) -> None:
    await Category.filter(code=pause_when_waiting).update(pause_when_waiting=True)
    await Category.filter(code=working_hours).update(calendar=SlaCalendar.WORKING_HOURS)
    complaints.forget_reference_data()  # the submit form's categories are cached for half a minute


async def _paused_complaint(*, submitted_at: datetime) -> str:
    """A JALAN complaint answered, then waiting for its reporter with the resolution clock paused; its code."""
    clock.freeze(submitted_at)
    result = await factories.submit(title='Jalan amblas menunggu foto pelapor')
    supervisor = await staff.supervisor()
    key = result.view.code_key
    await workflow.act(supervisor, code_key=key, action=Action.RESPOND, expected_version=1, message='Kami cek.')
    await workflow.act(supervisor, code_key=key, action=Action.WAIT, expected_version=2,
                       message='Mohon kirim foto lokasi yang lebih jelas.')
    return result.code


async def _working_hours_complaint(*, submitted_at: datetime) -> str:
    """A PJU complaint (a working-hours calendar); its code."""
    clock.freeze(submitted_at)
    result = await factories.submit(category_id=await factories.category_id('PJU'),
                                    title='Lampu jalan mati sejak Jumat malam')
    assert result.view.clock(ClockKind.FIRST_RESPONSE).at_risk_due_at == MONDAY_0900_WIB
    return result.code


def _assert_turns_at_risk_on_time(driver: WebDriver, read) -> None:
    """On track with 30 minutes and a few seconds left, then "berisiko" once the server's at-risk moment passes
    in the browser (no server message: the browser ticks)."""
    until(driver, lambda d: 'sisa 00:30:0' in read(d), 'the clock on track, 30 minutes left', logs=True)
    assert 'berisiko' not in read(driver)
    until(driver, lambda d: 'berisiko, sisa 00:29:5' in read(d), '"berisiko" at the server\'s at-risk moment')


def _assert_counts_from_the_server(driver: WebDriver, due: datetime, read) -> None:
    until(driver, lambda d: read(d).strip() != '', 'the countdown drawn', logs=True)
    text, left = read(driver), (due - clock.now()).total_seconds()  # what a right clock shows now
    match = HMS.search(text)
    assert match, f'the countdown says {text!r}, the server {left:.0f} s left'
    hours, minutes, seconds = map(int, match.groups())
    shown = hours * 3600 + minutes * 60 + seconds
    assert abs(shown - left) <= 2.5, f'the countdown says {text!r}, the server {left:.0f} s left'


@contextmanager
def _browser_clock_moved(driver: WebDriver, shift: timedelta) -> Iterator[None]:
    """Every page opened meanwhile sees ``Date`` and ``Date.now`` moved by ``shift`` (the browser is shared by the
    session's tests: the script is taken away again)."""
    ms = int(shift.total_seconds() * 1000)
    script = f'''(() => {{
      const RealDate = Date, shift = {ms};
      function MovedDate(...args) {{
        if (!new.target) return new RealDate(RealDate.now() + shift).toString();
        return args.length ? new RealDate(...args) : new RealDate(RealDate.now() + shift);
      }}
      MovedDate.prototype = RealDate.prototype;
      MovedDate.now = () => RealDate.now() + shift;
      MovedDate.parse = RealDate.parse;
      MovedDate.UTC = RealDate.UTC;
      window.Date = MovedDate;
    }})();'''
    added = driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': script})
    try:
        yield
        # the test really ran with the browser's clock moved
        moved = driver.execute_script('return Date.now()') / 1000 - time.time()
        assert abs(moved - shift.total_seconds()) < 60, moved
    finally:
        driver.execute_cdp_cmd('Page.removeScriptToEvaluateOnNewDocument', {'identifier': added['identifier']})


def _open_board(screen: Screen) -> None:
    screen.open('/login')
    type_into(screen, 'input[aria-label="Nama pengguna"]', 'admin')
    type_into(screen, 'input[aria-label="Kata sandi"]', staff.ADMIN_PASSWORD)
    screen.selenium.find_element(By.XPATH, '//button[normalize-space()="Masuk"]').click()
    until(screen.selenium, lambda d: path(d) == '/admin', 'the login to land on the board', logs=True)


def _board_clock(driver: WebDriver, code: str) -> str:
    cell = driver.find_element(By.XPATH, f'//table//tr[.//a[@href="/admin/aduan/{code}"]]'
                                         '//td[contains(@class, "lapor-queue-clock")]')
    return ' '.join(cell.text.split())


def _server_time_runs_from(moment: datetime) -> None:
    """The server's clock reads ``moment`` now and runs on from there."""
    clock.reset()
    clock.advance(moment - datetime.now(UTC))


def _on_server(coroutine: Coroutine[Any, Any, Any], timeout: float = 10) -> Any:
    """Run ``coroutine`` on the server's event loop (the database and the event bus live there)."""
    assert core.loop is not None and core.loop.is_running(), 'open a page first: it starts the server'
    return asyncio.run_coroutine_threadsafe(coroutine, core.loop).result(timeout)
