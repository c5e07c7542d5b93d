"""The SOP's clocks: deadlines and states.

A running clock is ``on_track``, ``at_risk`` once under a quarter of its window is left, and
``breached`` at its deadline; a stopped clock is ``met`` or ``late`` (or ``rejected``, outside
the compliance figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from models import Category, ClockKind, ClockOutcome, SlaCalendar, SlaClock


class SlaState(StrEnum):
    ON_TRACK = 'on_track'
    AT_RISK = 'at_risk'
    BREACHED = 'breached'
    MET = 'met'
    LATE = 'late'
    REJECTED = 'rejected'


AT_RISK_SHARE = 0.25  # at risk when under a quarter of the window is left


def window_minutes(category: Category, kind: ClockKind) -> int:
    return category.first_response_minutes if kind == ClockKind.FIRST_RESPONSE else category.resolution_minutes


def deadlines(category: Category, kind: ClockKind, start: datetime) -> tuple[datetime, datetime]:
    """(at-risk time, due time) of a clock of ``kind`` started at ``start`` under the category's calendar."""
    minutes = window_minutes(category, kind)
    if category.calendar == SlaCalendar.ROUND_THE_CLOCK:
        due = start + timedelta(minutes=minutes)
        return due - timedelta(minutes=minutes * AT_RISK_SHARE), due
    raise NotImplementedError(f'calendar {category.calendar}')  # working hours arrive with the SLA engine


def new_clock(category: Category, kind: ClockKind, start: datetime, **fields: object) -> SlaClock:
    at_risk, due = deadlines(category, kind, start)
    return SlaClock(kind=kind, started_at=start, due_at=due, at_risk_due_at=at_risk, **fields)


def state(clock: SlaClock, now: datetime) -> SlaState:
    if clock.outcome == ClockOutcome.REJECTED:
        return SlaState.REJECTED
    if clock.stopped_at is not None:
        return SlaState.MET if clock.outcome == ClockOutcome.MET else SlaState.LATE
    if clock.breached_at is not None or now >= clock.due_at:
        return SlaState.BREACHED
    if clock.at_risk_at is not None or now >= clock.at_risk_due_at:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


@dataclass(frozen=True, slots=True)
class ClockView:
    """What a page needs to show one clock (times in UTC)."""

    kind: ClockKind
    started_at: datetime
    due_at: datetime
    stopped_at: datetime | None
    outcome: ClockOutcome | None
    paused: bool

    @classmethod
    def of(cls, clock: SlaClock) -> ClockView:
        return cls(kind=clock.kind, started_at=clock.started_at, due_at=clock.due_at, stopped_at=clock.stopped_at,
                   outcome=clock.outcome, paused=clock.paused_at is not None)
