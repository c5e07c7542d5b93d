"""What the countdowns are sent: the server's due and at-risk moments and its paused state, never a rule to redo.

The browser draws every countdown from these values (components/sla_clock.js); the Chromium side is
tests/test_browser_countdown.py.
"""

from datetime import UTC, datetime, timedelta

import pytest
from nicegui.testing import User

from components.sla_countdown import SlaCountdown
from models import Category, Complaint, SlaCalendar
from services import clock, rows, workflow
from services.complaints import ClockKind
from services.complaints_labels import COUNTDOWN_LABELS
from services.workflow import Action
from tests import factories, staff

FRIDAY_22_WIB = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
MONDAY_0900_WIB = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 90 working minutes after Monday 07:30
MONDAY_0930_WIB = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@pytest.mark.usefixtures('database')
async def test_a_working_hours_clock_sent_on_friday_night_is_at_risk_on_monday_not_on_sunday():
    await Category.filter(code='JALAN').update(calendar=SlaCalendar.WORKING_HOURS)
    clock.freeze(FRIDAY_22_WIB)
    result = await factories.submit()

    first = result.view.clock(ClockKind.FIRST_RESPONSE)
    assert first.due_at == MONDAY_0930_WIB
    assert first.at_risk_due_at == MONDAY_0900_WIB  # the last quarter of its two working hours
    # A quarter of wall time would say Sunday 18:37:30 WIB (the browser's old rule): the server never records that
    linear = first.due_at - (first.due_at - first.started_at) / 4
    assert linear == datetime(2026, 11, 29, 11, 37, 30, tzinfo=UTC)
    assert first.at_risk_due_at - linear > timedelta(hours=14)

    sent = first.for_browser()
    assert (sent['due'], sent['at_risk'], sent['paused'], sent['stopped']) == \
        (_ms(MONDAY_0930_WIB), _ms(MONDAY_0900_WIB), False, None)
    row = await rows.row_for((await Complaint.get(code_key=result.view.code_key)).id)
    assert row['clock'] == sent  # the board's row carries the same clock as the tracking page


@pytest.mark.usefixtures('database')
async def test_a_paused_clock_is_sent_as_paused_to_the_tracking_page_and_the_board():
    await Category.filter(code='JALAN').update(pause_when_waiting=True)
    clock.freeze(FRIDAY_22_WIB)
    result = await factories.submit()
    key = result.view.code_key
    supervisor = await staff.supervisor()
    await workflow.act(supervisor, code_key=key, action=Action.RESPOND, expected_version=1, message='Kami cek.')
    view = await workflow.act(supervisor, code_key=key, action=Action.WAIT, expected_version=2,
                              message='Mohon kirim foto lokasi yang lebih jelas.')
    clock.advance(timedelta(days=10))  # far past the resolution clock's nominal deadline

    resolution = view.clock(ClockKind.RESOLUTION).for_browser()
    assert resolution['paused'] is True and resolution['stopped'] is None and resolution['outcome'] is None
    row = await rows.row_for((await Complaint.get(code_key=key)).id)
    assert row['clock'] == resolution  # the clock still running, not the stopped first-response one


async def test_the_tracking_page_sends_its_countdowns_the_servers_moments_and_the_words(user: User):
    await Category.filter(code='JALAN').update(calendar=SlaCalendar.WORKING_HOURS)
    clock.freeze(FRIDAY_22_WIB)
    result = await factories.submit()
    await user.open(f'/lacak/{result.code}')
    countdown = next(iter(user.find(marker='clock-first_response').elements))
    assert isinstance(countdown, SlaCountdown)
    props = countdown.props
    assert props['clock']['at_risk'] == _ms(MONDAY_0900_WIB)
    assert props['clock']['due'] == _ms(MONDAY_0930_WIB)
    assert props['server-now'] == _ms(FRIDAY_22_WIB)  # the browser counts from the server's time
    assert props['labels'] == COUNTDOWN_LABELS  # the browser keeps no words of its own
