"""The admin transitions of a complaint: one allowed-transition map, one function per action.

Every action checks the actor's role and OPD and the complaint's state, refuses with a
DomainError (nothing changed) when not allowed, writes its timeline event and the clocks'
changes in one transaction guarded by the complaint's version, then emits ``updated``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from models import (
    Agency,
    ClockKind,
    ClockOutcome,
    Complaint,
    EventKind,
    Role,
    SlaClock,
    Status,
    TimelineEvent,
)

from . import clock, complaints, sessions, sla
from .actor import Actor
from .errors import DomainError, NotFound
from .validation import clean_text


class Conflict(DomainError):
    """Someone else changed the complaint since this actor loaded it."""


class Action:
    DISPATCH = 'dispatch'
    REASSIGN = 'reassign'
    HAND_BACK = 'hand_back'
    REJECT = 'reject'
    RESPOND = 'respond'
    FOLLOW_UP = 'follow_up'
    WAIT = 'wait'
    RESOLVE = 'resolve'
    NOTE = 'note'


# action -> (states it may start from, state it moves to (None: stays), roles allowed)
_OPD = frozenset({Role.SUPERVISOR, Role.OPD_ADMIN})
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None, frozenset[Role]]] = {
    Action.DISPATCH: (frozenset({Status.BARU}), Status.DIDISPOSISIKAN, frozenset({Role.SUPERVISOR})),
    Action.REASSIGN: (frozenset({Status.DIDISPOSISIKAN}), Status.DIDISPOSISIKAN, frozenset({Role.SUPERVISOR})),
    Action.HAND_BACK: (frozenset({Status.DIDISPOSISIKAN}), Status.BARU, _OPD),
    Action.REJECT: (frozenset({Status.BARU, Status.DIDISPOSISIKAN}), Status.DITOLAK, frozenset({Role.SUPERVISOR})),
    Action.RESPOND: (frozenset({Status.DIDISPOSISIKAN}), Status.DIRESPONS, _OPD),
    Action.FOLLOW_UP: (frozenset({Status.DIRESPONS, Status.MENUNGGU_PELAPOR, Status.DITINDAKLANJUTI}),
                       Status.DITINDAKLANJUTI, _OPD),
    Action.WAIT: (frozenset({Status.DIRESPONS, Status.DITINDAKLANJUTI}), Status.MENUNGGU_PELAPOR, _OPD),
    Action.RESOLVE: (frozenset({Status.DIRESPONS, Status.DITINDAKLANJUTI}), Status.SELESAI, _OPD),
    Action.NOTE: (frozenset(Status), None, _OPD),
}

_REFUSED_STATE = 'Tindakan ini tidak dapat dilakukan pada aduan berstatus "{}".'
_REFUSED_ROLE = 'Anda tidak berwenang melakukan tindakan ini.'


def allowed_actions(actor: Actor, status: Status) -> list[str]:
    """The actions ``actor`` may take on a complaint in ``status`` (for showing buttons)."""
    return [a for a, (sources, _, roles) in TRANSITIONS.items() if status in sources and actor.role in roles]


async def load_for(actor: Actor, code_key: str) -> Complaint:
    """The complaint if ``actor`` may see it; another OPD's complaint is "not found" to an OPD admin."""
    complaint = await Complaint.get_or_none(code_key=code_key).select_related('category', 'agency')
    if complaint is None or not can_see(actor, complaint.agency_id):
        raise NotFound('Aduan tidak ditemukan.')
    return complaint


def can_see(actor: Actor, agency_id: int | None) -> bool:
    return actor.role != Role.OPD_ADMIN or (agency_id is not None and agency_id == actor.agency_id)


def rahasia_hidden(actor: Actor) -> bool:
    """Whether a rahasia complaint's content is hidden from ``actor`` (who may still see that it exists): it is
    for the OPD that holds it (can_see) and the supervisors, not for the wall's viewer or an operator."""
    return actor.role not in (Role.SUPERVISOR, Role.OPD_ADMIN)


async def act(actor: Actor, *, code_key: str, action: str, expected_version: int, message: str = '',
              agency_id: int | None = None) -> complaints.PublicView:
    """Apply ``action`` to the complaint; see the module docstring for what is checked and written.

    ``message`` is the public text (response, update, summary, rejection reason) or, for a note,
    a hand-back, a dispatch and a reassignment, the internal text (optional for the last two);
    ``agency_id`` is the target of dispatch and reassign.
    """
    if action not in TRANSITIONS:
        raise DomainError('Tindakan tidak dikenal.')
    sources, target, roles = TRANSITIONS[action]
    actor = await sessions.verify(actor)  # who acts now: a page may have been loaded before a sign-out or a move
    complaint = await load_for(actor, code_key)
    if actor.role not in roles:
        raise DomainError(_REFUSED_ROLE)
    if complaint.status not in sources:
        raise DomainError(_REFUSED_STATE.format(complaint.status.value))
    message = clean_text(message)
    agency = await _target_agency(action, complaint, agency_id)
    if not message and action not in (Action.DISPATCH, Action.REASSIGN):
        raise DomainError('Tuliskan pesannya terlebih dahulu.')
    now = clock.now()
    async with in_transaction():
        updates: dict[str, object] = {'version': expected_version + 1, 'updated_by': actor.name,
                                      'updated_at': now}
        if target is not None:
            updates['status'] = target
        if action in (Action.DISPATCH, Action.REASSIGN):
            updates['agency_id'] = agency.id if agency else None
        elif action == Action.HAND_BACK:
            updates['agency_id'] = None
        changed = await Complaint.filter(id=complaint.id, version=expected_version).update(**updates)
        if not changed:
            latest = await Complaint.get(id=complaint.id).values_list('updated_by', flat=True)
            raise Conflict(f'Aduan ini baru saja diubah oleh {latest or "petugas lain"}. Muat ulang untuk melihat '
                           'perubahannya. Tulisan Anda tidak hilang.')
        await _write_events(actor, complaint, action, target=target, message=message, agency=agency, now=now)
        await _move_clocks(complaint, action, now)
        await sla.refresh_deadlines(complaint.id)
    return await complaints.publish_change(complaint.id)


REOPEN_DAYS = 7


async def reopen(*, code_key: str, reason: str) -> complaints.PublicView:
    """The reporter reopens a resolved complaint: once, within 7 days of its resolution, with a reason.

    The complaint goes back to follow-up and gets a new resolution clock with its category's window,
    counted from now; the earlier clock stays on record with its outcome. Whoever calls this has
    already proved to be the reporter (code and PIN); this checks only the complaint's state.
    """
    complaint = await Complaint.get_or_none(code_key=code_key).select_related('category')
    if complaint is None:
        raise NotFound('Aduan tidak ditemukan.')
    reason = clean_text(reason)
    if not reason:
        raise DomainError('Tuliskan alasan Anda membuka kembali aduan ini.')
    if complaint.status != Status.SELESAI:
        raise DomainError('Hanya aduan yang sudah selesai yang dapat dibuka kembali.')
    resolution_clocks = await SlaClock.filter(complaint_id=complaint.id, kind=ClockKind.RESOLUTION).order_by(
        '-started_at')
    if len(resolution_clocks) > 1:
        raise DomainError('Aduan ini sudah pernah dibuka kembali. Silakan kirim aduan baru bila masalahnya belum '
                          'tuntas.')
    now = clock.now()
    resolved_at = resolution_clocks[0].stopped_at if resolution_clocks else None
    if resolved_at is not None and now - resolved_at > timedelta(days=REOPEN_DAYS):
        raise DomainError(f'Aduan hanya dapat dibuka kembali dalam {REOPEN_DAYS} hari setelah selesai.')
    async with in_transaction():
        changed = await Complaint.filter(id=complaint.id, version=complaint.version).update(
            status=Status.DITINDAKLANJUTI, version=complaint.version + 1, updated_by='Pelapor', updated_at=now)
        if not changed:
            raise Conflict('Aduan ini baru saja diubah. Silakan coba lagi.')
        await TimelineEvent.create(complaint_id=complaint.id, kind=EventKind.REOPENED, status=Status.DITINDAKLANJUTI,
                                   is_public=True, message=f'Pelapor membuka kembali aduan: {reason}',
                                   actor='Pelapor', created_at=now)
        fresh = sla.new_clock(complaint.category, ClockKind.RESOLUTION, now, complaint_id=complaint.id)
        await fresh.save()
        await sla.refresh_deadlines(complaint.id)
    return await complaints.publish_change(complaint.id)


async def _target_agency(action: str, complaint: Complaint, agency_id: int | None) -> Agency | None:
    if action not in (Action.DISPATCH, Action.REASSIGN):
        return None
    agency = await Agency.get_or_none(id=agency_id, active=True) if agency_id is not None else None
    if agency is None:
        raise DomainError('Pilih OPD tujuan.')
    if action == Action.REASSIGN and agency.id == complaint.agency_id:
        raise DomainError('Aduan ini sudah ditangani OPD tersebut.')
    return agency


_PUBLIC_KIND = {
    Action.DISPATCH: EventKind.DISPATCHED, Action.REASSIGN: EventKind.REASSIGNED, Action.REJECT: EventKind.REJECTED,
    Action.RESPOND: EventKind.RESPONDED, Action.FOLLOW_UP: EventKind.FOLLOW_UP, Action.WAIT: EventKind.WAITING,
    Action.RESOLVE: EventKind.RESOLVED,
}


async def _write_events(actor: Actor, complaint: Complaint, action: str, *, target: Status | None, message: str,
                        agency: Agency | None, now: datetime) -> None:
    def event(kind: EventKind, text: str, *, public: bool) -> TimelineEvent:
        return TimelineEvent(complaint_id=complaint.id, kind=kind, status=target, is_public=public, message=text,
                             actor=actor.shown_name, created_at=now)

    if action in (Action.DISPATCH, Action.REASSIGN):
        assert agency is not None
        rows = [event(_PUBLIC_KIND[action], f'Diteruskan ke {agency.name}.', public=True)]
        if message:
            # What Diskominfo types with a dispatch is an instruction to the OPD ("cek lokasi dekat SD 2",
            # "koordinasikan dengan Dishub"), not an answer to the citizen: kept beside the public line as an
            # internal note, like a hand-back's reason. The citizen still reads where the complaint went.
            rows.append(event(EventKind.NOTE, f'Pesan disposisi: {message}', public=False))
    elif action == Action.HAND_BACK:
        rows = [event(EventKind.HANDED_BACK, 'Aduan dikembalikan ke Diskominfo untuk diteruskan ke instansi yang '
                                             'berwenang.', public=True),
                event(EventKind.NOTE, f'Bukan kewenangan: {message}', public=False)]
    elif action == Action.NOTE:
        rows = [event(EventKind.NOTE, message, public=False)]
    else:
        rows = [event(_PUBLIC_KIND[action], message, public=True)]
    await TimelineEvent.bulk_create(rows)


async def _move_clocks(complaint: Complaint, action: str, now: datetime) -> None:
    """The DESIGN's clock x transition table."""
    running = SlaClock.filter(complaint_id=complaint.id, stopped_at=None)
    if action == Action.REJECT:
        await running.update(stopped_at=now, outcome=ClockOutcome.REJECTED, paused_at=None)
    elif action == Action.RESPOND:
        await _stop(await running.filter(kind=ClockKind.FIRST_RESPONSE), now)
    elif action == Action.RESOLVE:
        await _stop(await running.filter(kind=ClockKind.RESOLUTION), now)
    elif action == Action.WAIT and complaint.category.pause_when_waiting:
        await running.filter(kind=ClockKind.RESOLUTION, paused_at=None).update(paused_at=now)
    elif action == Action.FOLLOW_UP:
        for paused in await running.filter(kind=ClockKind.RESOLUTION, paused_at__not_isnull=True):
            await _resume(paused, complaint.category.calendar, now)


async def _stop(clocks: list[SlaClock], now: datetime) -> None:
    for sla_clock in clocks:
        sla_clock.stopped_at = now
        sla_clock.outcome = ClockOutcome.MET if now <= sla_clock.due_at else ClockOutcome.LATE
        await sla_clock.save(update_fields=['stopped_at', 'outcome'])


async def _resume(sla_clock: SlaClock, calendar: sla.SlaCalendar, now: datetime) -> None:
    """Move the deadlines by the counted time the clock stood still."""
    assert sla_clock.paused_at is not None
    paused_at = sla_clock.paused_at
    sla_clock.due_at = sla.add(calendar, now, sla.between(calendar, paused_at, sla_clock.due_at))
    sla_clock.at_risk_due_at = sla.add(calendar, now, sla.between(calendar, paused_at, sla_clock.at_risk_due_at))
    sla_clock.paused_seconds += int((now - paused_at).total_seconds())
    sla_clock.paused_at = None
    await sla_clock.save(update_fields=['due_at', 'at_risk_due_at', 'paused_seconds', 'paused_at'])
