"""The SOP's clocks: deadlines and states.

A running clock is ``on_track``, ``at_risk`` once under a quarter of its window is left, and
``breached`` at its deadline; a stopped clock is ``met`` or ``late`` (or ``rejected``, outside
the compliance figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

import holidays

from models import Category, ClockKind, ClockOutcome, Complaint, SlaCalendar, SlaClock

from . import clock
from .complaints_labels import CLOCK_LABELS
from .settings import settings


class SlaState(StrEnum):
    ON_TRACK = 'on_track'
    AT_RISK = 'at_risk'
    BREACHED = 'breached'
    PAUSED = 'paused'
    MET = 'met'
    LATE = 'late'
    REJECTED = 'rejected'
    MERGED = 'merged'  # stopped by a merge: outside the compliance figures, like rejected


AT_RISK_SHARE = 0.25  # at risk when under a quarter of the window is left


def window_minutes(category: Category, kind: ClockKind) -> int:
    return category.first_response_minutes if kind == ClockKind.FIRST_RESPONSE else category.resolution_minutes


def deadlines(category: Category, kind: ClockKind, start: datetime) -> tuple[datetime, datetime]:
    """(at-risk time, due time) of a clock of ``kind`` started at ``start`` under the category's calendar."""
    window = timedelta(minutes=window_minutes(category, kind))
    return (add(category.calendar, start, window * (1 - AT_RISK_SHARE)), add(category.calendar, start, window))


def add(calendar: SlaCalendar, start: datetime, span: timedelta) -> datetime:
    """The moment ``span`` of counted time after ``start``: wall time, or working time only."""
    if calendar == SlaCalendar.ROUND_THE_CLOCK:
        return start + span
    remaining = span
    cursor = clock.local(start)
    while True:
        day = cursor.date()
        if _is_workday(day):
            opens, closes = _hours(day)
            cursor = max(cursor, opens)
            if cursor < closes:
                if remaining <= closes - cursor:
                    return (cursor + remaining).astimezone(UTC)
                remaining -= closes - cursor
        cursor = datetime.combine(day + timedelta(days=1), time(0), tzinfo=clock.LOCAL_ZONE)


def between(calendar: SlaCalendar, start: datetime, end: datetime) -> timedelta:
    """Counted time from ``start`` to ``end`` (negative when ``end`` comes first)."""
    if calendar == SlaCalendar.ROUND_THE_CLOCK or end < start:
        return end - start if calendar == SlaCalendar.ROUND_THE_CLOCK else -between(calendar, end, start)
    total = timedelta(0)
    cursor, stop = clock.local(start), clock.local(end)
    while cursor < stop:
        day = cursor.date()
        if _is_workday(day):
            opens, closes = _hours(day)
            total += max(timedelta(0), min(closes, stop) - max(opens, cursor))
        cursor = datetime.combine(day + timedelta(days=1), time(0), tzinfo=clock.LOCAL_ZONE)
    return total


def _hours(day: date) -> tuple[datetime, datetime]:
    start, end = (time.fromisoformat(settings.work_start), time.fromisoformat(settings.work_end))
    return (datetime.combine(day, start, tzinfo=clock.LOCAL_ZONE), datetime.combine(day, end, tzinfo=clock.LOCAL_ZONE))


def _is_workday(day: date) -> bool:
    return day.isoweekday() in _work_days() and day not in _holidays(day.year)


@cache
def _work_days() -> frozenset[int]:
    return frozenset(int(d) for d in settings.work_days.split(',') if d.strip())


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(settings.holiday_country, years=year)


def new_clock(category: Category, kind: ClockKind, start: datetime, **fields: object) -> SlaClock:
    at_risk, due = deadlines(category, kind, start)
    return SlaClock(kind=kind, started_at=start, due_at=due, at_risk_due_at=at_risk, **fields)


async def refresh_deadlines(complaint_id: int) -> None:
    """Copy the earliest deadline and at-risk moment of the running clocks onto the complaint (the board's
    sort keys); a paused or stopped clock has none."""
    running = await SlaClock.filter(complaint_id=complaint_id, stopped_at=None, paused_at=None).values_list(
        'due_at', 'at_risk_due_at')
    await Complaint.filter(id=complaint_id).update(next_due_at=min((d for d, _ in running), default=None),
                                                   next_risk_at=min((r for _, r in running), default=None))


def state(clock: SlaClock, now: datetime) -> SlaState:
    if clock.stopped_at is not None:
        return {ClockOutcome.REJECTED: SlaState.REJECTED, ClockOutcome.MET: SlaState.MET,
                ClockOutcome.MERGED: SlaState.MERGED}.get(
            clock.outcome, SlaState.LATE)  # type: ignore[arg-type]
    if clock.breached_at is not None:
        return SlaState.BREACHED
    if clock.paused_at is not None:  # a paused clock is never breached or put at risk while it stands still
        return SlaState.PAUSED
    if now >= clock.due_at:
        return SlaState.BREACHED
    return SlaState.AT_RISK if clock.at_risk_at is not None or now >= clock.at_risk_due_at else SlaState.ON_TRACK


@dataclass(frozen=True, slots=True)
class ClockView:
    """What a page needs to show one clock (times in UTC): everything the browser's countdown decides from, so
    that it decides nothing the server did not say (components/sla_clock.js)."""

    kind: ClockKind
    started_at: datetime
    due_at: datetime
    at_risk_due_at: datetime  # from the category's calendar: a working-hours clock is at risk in working time
    stopped_at: datetime | None
    outcome: ClockOutcome | None
    paused: bool
    at_risk_at: datetime | None = None  # as recorded: kept even after a resume moved the at-risk moment later
    breached_at: datetime | None = None  # as recorded: a breach is never undone, paused or not

    @classmethod
    def of(cls, clock: SlaClock) -> ClockView:
        return cls(kind=clock.kind, started_at=clock.started_at, due_at=clock.due_at,
                   at_risk_due_at=clock.at_risk_due_at, stopped_at=clock.stopped_at, outcome=clock.outcome,
                   paused=clock.paused_at is not None, at_risk_at=clock.at_risk_at, breached_at=clock.breached_at)

    def for_browser(self) -> dict[str, Any]:
        """The clock as components/sla_clock.js reads it (epoch milliseconds): the board's rows and the countdown
        element carry this one shape."""
        return {'kind': self.kind.value, 'label': CLOCK_LABELS[self.kind], 'started': _ms(self.started_at),
                'due': _ms(self.due_at), 'at_risk': _ms(min(m for m in (self.at_risk_at, self.at_risk_due_at) if m)),
                'breached': _ms(self.breached_at), 'stopped': _ms(self.stopped_at),
                'outcome': self.outcome.value if self.outcome else None, 'paused': self.paused}


def _ms(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment is not None else None
