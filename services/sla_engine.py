"""Recording the SLA clocks' at-risk and breach transitions, once each, with their true times: the system's
``sla_at_risk`` and ``sla_breach`` moves of the workflow map, which change no state.

``record_due_transitions(now)`` is the whole rule; the scheduler only calls it (at the next due
moment, on a periodic sweep, and once at start-up), and tests call it with a moved clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from models import ClockKind, EventKind, SlaClock, TimelineEvent

from . import complaints, notifications
from .complaints_labels import CLOCK_LABELS
from .workflow import Action, Party, may


@dataclass(frozen=True, slots=True)
class Transition:
    clock_id: int
    complaint_id: int
    kind: ClockKind
    what: str  # 'at_risk' or 'breached'
    at: datetime


async def record_due_transitions(now: datetime) -> list[Transition]:
    """Record every at-risk and breach transition due by ``now`` that is not recorded yet.

    Each is a conditional update, so two sweeps racing record it once. A breach writes an internal
    timeline event and notifies the supervisors; an at-risk notifies the handling OPD's admins.
    Emits ``updated`` for each complaint that changed.
    """
    recorded: list[Transition] = []
    running = SlaClock.filter(stopped_at=None, paused_at=None)
    for clock in await running.filter(at_risk_at=None, at_risk_due_at__lte=now).select_related('complaint'):
        if not may(Party.SYSTEM, Action.SLA_AT_RISK, clock.complaint.status):  # the map's row says where
            continue
        if await SlaClock.filter(id=clock.id, at_risk_at=None).update(at_risk_at=clock.at_risk_due_at):
            recorded.append(Transition(clock.id, clock.complaint_id, clock.kind, 'at_risk', clock.at_risk_due_at))
            await notifications.notify_agency(
                agency_id=clock.complaint.agency_id, kind='sla_at_risk', complaint_id=clock.complaint_id,
                message=f'{clock.complaint.code}: batas {CLOCK_LABELS[clock.kind].lower()} tinggal kurang dari '
                        'seperempat waktu.')
    for clock in await running.filter(breached_at=None, due_at__lte=now).select_related('complaint'):
        if not may(Party.SYSTEM, Action.SLA_BREACH, clock.complaint.status):
            continue
        async with in_transaction():
            changed = await SlaClock.filter(id=clock.id, breached_at=None).update(
                breached_at=clock.due_at, breached_agency_id=clock.complaint.agency_id)
            if changed:
                await TimelineEvent.create(
                    complaint_id=clock.complaint_id, kind=EventKind.SLA_BREACHED, is_public=False, actor='Sistem',
                    created_at=clock.due_at,
                    message=f'Batas {CLOCK_LABELS[clock.kind].lower()} terlampaui.')
        if changed:
            recorded.append(Transition(clock.id, clock.complaint_id, clock.kind, 'breached', clock.due_at))
            await notifications.notify_supervisors(
                kind='sla_breached', complaint_id=clock.complaint_id,
                message=f'{clock.complaint.code}: batas {CLOCK_LABELS[clock.kind].lower()} terlampaui.')
    for complaint_id in dict.fromkeys(t.complaint_id for t in recorded):
        await complaints.publish_change(complaint_id)
    return recorded


async def next_due_at() -> datetime | None:
    """The earliest unrecorded at-risk or breach moment across all running clocks."""
    running = SlaClock.filter(stopped_at=None, paused_at=None)
    risk = await running.filter(at_risk_at=None).order_by('at_risk_due_at').first().values_list(
        'at_risk_due_at', flat=True)
    due = await running.filter(breached_at=None).order_by('due_at').first().values_list('due_at', flat=True)
    moments = [m for m in (risk, due) if m is not None]
    return min(moments) if moments else None
