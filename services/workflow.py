"""Every move of a complaint: one map of moves, and the one function through which each is applied.

A move is a row of ``TRANSITIONS``: the states it may start from, the state it moves to, who may make
it (a staff role, the reporter holding the code and PIN, or the system) and what it does to each of
the two clocks. Staff moves enter through ``act``, the reporter's through ``reporter_act``, the
system's through ``close_due`` (and the SLA engine's marks, which change no state); all of them are
applied by ``_apply``, which checks the row, writes the state, the timeline event, the clocks'
changes and the news of the move (services.outbox: the reporter's SMS/email, staff's notices) in one
transaction guarded by the complaint's version, and publishes after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from models import (
    OPEN_STATUSES,
    Agency,
    Attachment,
    ClockKind,
    ClockOutcome,
    Complaint,
    EventKind,
    Privacy,
    Role,
    SlaClock,
    Status,
    TimelineEvent,
)

from . import attachments, clock, complaints, limits, outbox, sessions, sla, writes
from .actor import Actor
from .complaints_labels import STATUS_LABELS
from .errors import DomainError, NotFound, RateLimited, ValidationFailed
from .ratelimit import wait_text
from .validation import DESCRIPTION_MAX, clean_text


class Conflict(DomainError):
    """Someone else changed the complaint since this actor loaded it."""


class Action:
    """The names of the moves."""

    # staff
    DISPATCH = 'dispatch'
    REASSIGN = 'reassign'
    HAND_BACK = 'hand_back'
    REJECT = 'reject'
    RESPOND = 'respond'
    FOLLOW_UP = 'follow_up'
    WAIT = 'wait'
    RESOLVE = 'resolve'
    NOTE = 'note'
    MERGE = 'merge'  # into another open complaint, its survivor (issue 12 §3)
    # the reporter (code and PIN)
    ADD_INFO = 'add_info'
    RATE = 'rate'
    REOPEN = 'reopen'
    # the system
    SLA_AT_RISK = 'sla_at_risk'
    SLA_BREACH = 'sla_breach'
    AUTO_CLOSE = 'auto_close'


class Party(StrEnum):
    """Who may make a move besides the staff roles."""

    REPORTER = 'reporter'
    SYSTEM = 'system'


class Effect(StrEnum):
    """What a move does to one clock."""

    NONE = 'none'  # nothing: the clock is already stopped, or the move is not about time
    RUNS = 'runs'  # keeps running
    STOPS = 'stops'  # stops, met or late
    REJECTED = 'rejected'  # stops, outside the compliance figures
    PAUSES = 'pauses'  # pauses, when the category says so
    RESUMES = 'resumes'  # resumes if paused, the paused time added to its deadlines
    NEW = 'new'  # a new clock from now; the old one stays on record
    MARKS_AT_RISK = 'marks_at_risk'  # its at-risk moment is recorded (once)
    MARKS_BREACH = 'marks_breach'  # its breach is recorded (once), with the OPD holding it
    MERGED = 'merged'  # stops, outside the compliance figures (the survivor's clocks carry the work)


@dataclass(frozen=True, slots=True)
class Move:
    action: str
    sources: frozenset[Status]
    target: Status | None  # None: the complaint stays in its state
    who: frozenset[str]  # Role and Party values
    first_response: Effect
    resolution: Effect


_OPD = frozenset({Role.SUPERVISOR, Role.OPD_ADMIN})
_SUPERVISOR = frozenset({Role.SUPERVISOR})
_REPORTER = frozenset({Party.REPORTER})
_SYSTEM = frozenset({Party.SYSTEM})
_ANY = frozenset(Status)
_E = Effect

# One row per (move, sources): a move may appear twice when its target depends on the state it starts from.
TRANSITIONS: tuple[Move, ...] = (
    Move(Action.DISPATCH, frozenset({Status.BARU}), Status.DIDISPOSISIKAN, _SUPERVISOR, _E.RUNS, _E.RUNS),
    Move(Action.REASSIGN, frozenset({Status.DIDISPOSISIKAN}), Status.DIDISPOSISIKAN, _SUPERVISOR, _E.RUNS, _E.RUNS),
    Move(Action.HAND_BACK, frozenset({Status.DIDISPOSISIKAN}), Status.BARU, _OPD, _E.RUNS, _E.RUNS),
    Move(Action.REJECT, frozenset({Status.BARU, Status.DIDISPOSISIKAN}), Status.DITOLAK, _SUPERVISOR,
         _E.REJECTED, _E.REJECTED),
    Move(Action.RESPOND, frozenset({Status.DIDISPOSISIKAN}), Status.DIRESPONS, _OPD, _E.STOPS, _E.RUNS),
    Move(Action.FOLLOW_UP, frozenset({Status.DIRESPONS, Status.MENUNGGU_PELAPOR, Status.DITINDAKLANJUTI}),
         Status.DITINDAKLANJUTI, _OPD, _E.NONE, _E.RESUMES),
    Move(Action.WAIT, frozenset({Status.DIRESPONS, Status.DITINDAKLANJUTI}), Status.MENUNGGU_PELAPOR, _OPD,
         _E.NONE, _E.PAUSES),
    Move(Action.RESOLVE, frozenset({Status.DIRESPONS, Status.DITINDAKLANJUTI}), Status.SELESAI, _OPD,
         _E.NONE, _E.STOPS),
    Move(Action.NOTE, _ANY, None, _OPD, _E.NONE, _E.NONE),
    Move(Action.MERGE, OPEN_STATUSES, Status.DIGABUNG, _SUPERVISOR, _E.MERGED, _E.MERGED),
    Move(Action.ADD_INFO, frozenset({Status.MENUNGGU_PELAPOR}), Status.DITINDAKLANJUTI, _REPORTER,
         _E.NONE, _E.RESUMES),
    Move(Action.ADD_INFO, OPEN_STATUSES - {Status.MENUNGGU_PELAPOR}, None, _REPORTER, _E.NONE, _E.NONE),
    Move(Action.RATE, frozenset({Status.SELESAI, Status.DITUTUP}), None, _REPORTER, _E.NONE, _E.NONE),
    Move(Action.REOPEN, frozenset({Status.SELESAI}), Status.DITINDAKLANJUTI, _REPORTER, _E.NONE, _E.NEW),
    Move(Action.SLA_AT_RISK, OPEN_STATUSES, None, _SYSTEM, _E.MARKS_AT_RISK, _E.MARKS_AT_RISK),
    Move(Action.SLA_BREACH, OPEN_STATUSES, None, _SYSTEM, _E.MARKS_BREACH, _E.MARKS_BREACH),
    Move(Action.AUTO_CLOSE, frozenset({Status.SELESAI}), Status.DITUTUP, _SYSTEM, _E.NONE, _E.NONE),
)

STAFF_ACTIONS = tuple(dict.fromkeys(m.action for m in TRANSITIONS if m.who & set(Role)))
REOPEN_DAYS = complaints.REOPEN_DAYS
CLOSE_AFTER = timedelta(days=7)  # a resolved complaint closes by itself 7 x 24 hours after its resolution
MAX_COMMENT = 1000

_REFUSED_STATE = 'Tindakan ini tidak dapat dilakukan pada aduan berstatus "{}".'
_REFUSED_ROLE = 'Anda tidak berwenang melakukan tindakan ini.'


def move_for(action: str, status: Status) -> Move | None:
    """The row of ``action`` that starts from ``status``, or None when the move is not allowed there."""
    return next((m for m in TRANSITIONS if m.action == action and status in m.sources), None)


def may(who: str, action: str, status: Status) -> bool:
    move = move_for(action, status)
    return move is not None and who in move.who


def allowed_actions(actor: Actor, status: Status) -> list[str]:
    """The staff moves ``actor`` may make on a complaint in ``status`` (for showing buttons)."""
    return [a for a in STAFF_ACTIONS if may(actor.role, a, status)]


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


# --- staff ---------------------------------------------------------------------------------------------------


async def act(actor: Actor, *, code_key: str, action: str, expected_version: int, message: str = '',
              agency_id: int | None = None, into: str | None = None) -> complaints.PublicView:
    """Apply the staff move ``action``; see the module docstring for what is checked and written.

    ``message`` is the public text (response, update, summary, rejection reason) or, for a note,
    a hand-back, a dispatch and a reassignment, the internal text (optional for the last two);
    ``agency_id`` is the target of dispatch and reassign; ``into`` the survivor's code of a merge (whose
    optional message is an internal note). Raises DomainError (nothing changed),
    NotFound outside the actor's OPD, Conflict when the complaint changed since ``expected_version``.
    """
    if action not in STAFF_ACTIONS:
        raise DomainError('Tindakan tidak dikenal.')
    actor = await sessions.verify(actor)  # who acts now: a page may have been loaded before a sign-out or a move
    complaint = await load_for(actor, code_key)
    move = move_for(action, complaint.status)
    if not any(actor.role in m.who for m in TRANSITIONS if m.action == action):
        raise DomainError(_REFUSED_ROLE)
    if move is None:
        raise DomainError(_REFUSED_STATE.format(STATUS_LABELS[complaint.status]))
    message = clean_text(message)
    agency = await _target_agency(action, complaint, agency_id)
    survivor = await _merge_target(complaint, into) if action == Action.MERGE else None
    if not message and action not in (Action.DISPATCH, Action.REASSIGN, Action.MERGE):
        raise DomainError('Tuliskan pesannya terlebih dahulu.')
    if len(message) > DESCRIPTION_MAX:  # the page's field stops here too; this is for whatever else calls
        raise DomainError(f'Pesan paling banyak {DESCRIPTION_MAX} karakter. Tulisan Anda tidak hilang.')
    now = clock.now()
    change = _Change(by=actor.name, shown_as=actor.shown_name, events=_staff_events(action, message, agency),
                     said=message, user_id=actor.user_id)
    if action in (Action.DISPATCH, Action.REASSIGN):
        change.updates['agency_id'] = agency.id if agency else None
    elif action == Action.HAND_BACK:
        change.updates['agency_id'] = None
    elif survivor is not None:
        change.events = _merge_events(complaint, survivor, message)
        change.updates.update(merged_into_id=survivor.id, merged_at=now)
        change.survivor = survivor
    await _apply(complaint, move, change, expected_version=expected_version, now=now)
    if survivor is not None:  # its timeline gained the merge; published with its followers, this one among them
        await complaints.publish_change(survivor.id)
        return await complaints.public_view(complaint.id)
    return await complaints.publish_change(complaint.id)


async def merge_preview(actor: Actor, *, code_key: str, into: str) -> tuple[str, str]:
    """(the survivor's code, a line about it) for the confirmation a supervisor answers before merging: the same
    checks as the merge itself (DomainError says what is wrong), nothing written."""
    actor = await sessions.verify(actor)
    complaint = await load_for(actor, code_key)
    if not may(actor.role, Action.MERGE, complaint.status):
        raise DomainError(_REFUSED_ROLE if actor.role != Role.SUPERVISOR else
                          _REFUSED_STATE.format(STATUS_LABELS[complaint.status]))
    survivor = await _merge_target(complaint, into)
    about = 'Aduan rahasia' if survivor.privacy == Privacy.RAHASIA else (  # its content is opened on its page, logged
        survivor.title or ' '.join(survivor.description.split())[:80])
    return survivor.code, f'{about} ({STATUS_LABELS[survivor.status]})'


async def _merge_target(complaint: Complaint, into: str | None) -> Complaint:
    """The open complaint ``complaint`` may be merged into, by its code (read loosely). No chains: a complaint that
    was itself merged is refused as a target (its survivor is named, to merge there instead), so every merged
    complaint names its final survivor, one step away; what was merged into ``complaint`` follows it (``_apply``)."""
    key = complaints.code_key_of((into or '')[:64])  # a code is 14 characters; anything longer is not one
    if not key:
        raise DomainError('Tuliskan kode aduan tujuan penggabungan, misalnya WSB-7K3M-9QXD.')
    survivor = await Complaint.get_or_none(code_key=key).select_related('merged_into')
    if survivor is None:
        raise DomainError('Aduan tujuan tidak ditemukan. Periksa kembali kodenya.')
    if survivor.id == complaint.id:
        raise DomainError('Aduan tidak dapat digabungkan ke dirinya sendiri.')
    if survivor.merged_into is not None:
        raise DomainError(f'Aduan {survivor.code} sudah digabungkan ke aduan {survivor.merged_into.code}. '
                          'Gabungkan ke aduan itu saja.')
    if survivor.status not in OPEN_STATUSES:
        raise DomainError(f'Aduan {survivor.code} sudah berstatus "{STATUS_LABELS[survivor.status]}". Aduan hanya '
                          'dapat digabungkan ke aduan yang masih diproses.')
    return survivor


def _merge_events(complaint: Complaint, survivor: Complaint, message: str) -> list[_Event]:
    if survivor.privacy == Privacy.RAHASIA:  # its code is not for whoever holds this one (complaints.PublicView)
        rows = [_Event(EventKind.MERGED, 'Digabung ke aduan rahasia lain tentang masalah yang sama. Status dan batas '
                                         'waktunya mengikuti aduan tersebut.'),
                _Event(EventKind.NOTE, f'Digabung ke {survivor.code}.', public=False)]
    else:
        rows = [_Event(EventKind.MERGED, f'Digabung ke {survivor.code}: aduan ini membahas masalah yang sama. '
                                         f'Perkembangannya mengikuti aduan {survivor.code}.')]
    if message:
        rows.append(_Event(EventKind.NOTE, f'Alasan penggabungan: {message}', public=False))
    return rows


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


def _staff_events(action: str, message: str, agency: Agency | None) -> list[_Event]:
    if action in (Action.DISPATCH, Action.REASSIGN):
        assert agency is not None
        rows = [_Event(_PUBLIC_KIND[action], f'Diteruskan ke {agency.name}.')]
        if message:
            # What Diskominfo types with a dispatch is an instruction to the OPD ("cek lokasi dekat SD 2",
            # "koordinasikan dengan Dishub"), not an answer to the citizen: kept beside the public line as an
            # internal note, like a hand-back's reason. The citizen still reads where the complaint went.
            rows.append(_Event(EventKind.NOTE, f'Pesan disposisi: {message}', public=False))
        return rows
    if action == Action.HAND_BACK:
        return [_Event(EventKind.HANDED_BACK, 'Aduan dikembalikan ke Diskominfo untuk diteruskan ke instansi yang '
                                              'berwenang.'),
                _Event(EventKind.NOTE, f'Bukan kewenangan: {message}', public=False)]
    if action == Action.NOTE:
        return [_Event(EventKind.NOTE, message, public=False)]
    if action == Action.MERGE:
        return []  # written with its target known (_merge_events)
    return [_Event(_PUBLIC_KIND[action], message)]


# --- the reporter --------------------------------------------------------------------------------------------

REPORTER = 'Pelapor'


async def reporter_act(*, code_key: str, pin: str, action: str, request_key: str, message: str = '',
                       photo_tokens: Sequence[str] = (), rating: int | None = None,
                       client_address: str | None = None) -> complaints.PublicView:
    """Apply the reporter's move ``action`` (add information, rate, reopen), proved by the code and PIN.

    The PIN is checked (and wrong ones throttled) as a tracking lookup is. ``request_key`` is the key
    the reporter's form was built with: a double tap or a resend after a reconnect finds the move it
    already made and returns the complaint as it is, instead of making it twice. Raises RateLimited,
    DomainError (nothing changed) or ValidationFailed (per-field messages; what was typed stays).
    """
    if action not in (Action.ADD_INFO, Action.RATE, Action.REOPEN):
        raise DomainError('Tindakan tidak dikenal.')
    request_key = (request_key or '').strip()
    if not 16 <= len(request_key) <= 64:
        raise DomainError('Formulir ini sudah kedaluwarsa. Muat ulang halaman, lalu coba lagi.')
    await complaints.prove_reporter(code_key=code_key, pin=pin, client_address=client_address)
    complaint = await Complaint.get_or_none(code_key=code_key).select_related('category', 'agency')
    if complaint is None:
        raise NotFound('Aduan tidak ditemukan.')
    if await TimelineEvent.exists(request_key=request_key, complaint_id=complaint.id):
        return await complaints.public_view(complaint.id)  # already done: a double tap or a resend
    move = move_for(action, complaint.status)
    if move is None:
        raise DomainError(_reporter_refusal(action, complaint))
    # Counted before the work it guards, per complaint; given back when the move is refused or already made
    if action == Action.ADD_INFO and (wait := limits.reporter_info.reserve(code_key)):
        raise RateLimited('Informasi tambahan untuk aduan ini sudah banyak dikirim. Silakan coba lagi dalam '
                          f'{wait_text(wait)}, atau tunggu tanggapan petugas.', wait)
    made = False
    try:
        made = await _apply_reporter(complaint, move, action, request_key=request_key, message=message,
                                     photo_tokens=photo_tokens, rating=rating)
    finally:
        if action == Action.ADD_INFO and not made:
            limits.reporter_info.refund(code_key)
    return await (complaints.publish_change(complaint.id) if made else complaints.public_view(complaint.id))


async def _apply_reporter(complaint: Complaint, move: Move, action: str, *, request_key: str, message: str,
                          photo_tokens: Sequence[str], rating: int | None) -> bool:
    """Make the move; False when the same request made it meanwhile (a double tap racing itself)."""
    now = clock.now()
    change = await _reporter_change(action, complaint, message=message, photo_tokens=photo_tokens, rating=rating,
                                    now=now)
    change.request_key = request_key
    try:
        await _apply(complaint, move, change, expected_version=complaint.version, now=now)
    except (IntegrityError, Conflict) as error:
        if await TimelineEvent.exists(request_key=request_key, complaint_id=complaint.id):
            return False
        if isinstance(error, IntegrityError):
            raise
        raise Conflict('Aduan ini baru saja berubah. Silakan periksa statusnya di atas, lalu coba lagi; tulisan Anda '
                       'tidak hilang.') from None
    return True


def _reporter_refusal(action: str, complaint: Complaint) -> str:
    if action == Action.ADD_INFO:
        return 'Informasi tambahan hanya dapat dikirim selama aduan masih diproses.'
    if action == Action.RATE:
        return 'Penilaian dapat diberikan setelah aduan selesai ditangani.'
    return 'Hanya aduan yang sudah selesai yang dapat dibuka kembali.'


async def _reporter_change(action: str, complaint: Complaint, *, message: str, photo_tokens: Sequence[str],
                           rating: int | None, now: datetime) -> _Change:
    message = clean_text(message)
    change = _Change(by=REPORTER, shown_as=REPORTER, said=message)
    if action == Action.ADD_INFO:
        change.events.append(await _added_info(message, photo_tokens))
    elif action == Action.RATE:
        change.events.append(_rating(complaint, rating, message))
        change.updates.update(rating=rating, rating_comment=message or None, rated_at=now)
    else:
        change.events.append(await _reopening(complaint, message, now))
    return change


async def _added_info(message: str, photo_tokens: Sequence[str]) -> _Event:
    errors: dict[str, str] = {}
    if not message and not photo_tokens:
        errors['message'] = 'Tuliskan informasi tambahan atau lampirkan foto.'
    elif len(message) > DESCRIPTION_MAX:
        errors['message'] = f'Informasi tambahan paling banyak {DESCRIPTION_MAX} karakter.'
    photos = await complaints.check_photos(photo_tokens, errors)
    if errors:
        raise ValidationFailed(errors)
    return _Event(EventKind.INFO_ADDED, f'Informasi tambahan dari pelapor: {message or "(foto)"}',
                  photos=list(photos.values()))


def _rating(complaint: Complaint, rating: int | None, comment: str) -> _Event:
    if complaint.rating is not None:
        raise DomainError('Anda sudah memberi penilaian untuk aduan ini. Terima kasih.')
    if rating not in range(1, 6):
        raise ValidationFailed({'rating': 'Pilih nilai 1 sampai 5 bintang.'})
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed({'message': f'Komentar paling banyak {MAX_COMMENT} karakter.'})
    return _Event(EventKind.RATED, f'Pelapor memberi nilai {rating} dari 5.' + (f' "{comment}"' if comment else ''))


async def _reopening(complaint: Complaint, reason: str, now: datetime) -> _Event:
    if not reason:
        raise ValidationFailed({'message': 'Tuliskan alasan Anda membuka kembali aduan ini.'})
    if len(reason) > MAX_COMMENT:
        raise ValidationFailed({'message': f'Alasan paling banyak {MAX_COMMENT} karakter.'})
    resolutions = await SlaClock.filter(complaint_id=complaint.id, kind=ClockKind.RESOLUTION).order_by('-started_at')
    if len(resolutions) > 1:
        raise DomainError('Aduan ini sudah pernah dibuka kembali. Silakan kirim aduan baru bila masalahnya belum '
                          'tuntas.')
    resolved_at = resolutions[0].stopped_at if resolutions else None
    if resolved_at is not None and now - resolved_at > timedelta(days=REOPEN_DAYS):
        raise DomainError(f'Aduan hanya dapat dibuka kembali dalam {REOPEN_DAYS} hari setelah selesai.')
    return _Event(EventKind.REOPENED, f'Pelapor membuka kembali aduan: {reason}')


# --- the system ----------------------------------------------------------------------------------------------

SYSTEM = 'Sistem'


async def close_due(now: datetime) -> list[int]:
    """Close every resolved complaint whose 7 x 24 hours since its resolution have passed by ``now``, each at
    its true moment, as the system's move; returns the ids closed. The scheduler calls this at the armed
    moment, on its sweep and at start-up; two racing sweeps close each once (the version guard)."""
    await _date_older_resolutions()
    closed = []
    for complaint in await Complaint.filter(status=Status.SELESAI, close_due_at__lte=now).select_related(
            'category', 'agency'):
        move = move_for(Action.AUTO_CLOSE, complaint.status)
        assert move is not None and complaint.close_due_at is not None
        at = complaint.close_due_at
        change = _Change(by=SYSTEM, shown_as=SYSTEM, events=[_Event(
            EventKind.CLOSED, f'Aduan ditutup otomatis {CLOSE_AFTER.days} x 24 jam setelah selesai.')])
        try:
            await _apply(complaint, move, change, expected_version=complaint.version, now=at)
        except Conflict:
            continue  # another sweep closed it, or the reporter reopened it at this moment
        closed.append(complaint.id)
        await complaints.publish_change(complaint.id)
    return closed


async def _date_older_resolutions() -> None:
    """Give a complaint resolved before auto-close existed (migration 0006 added ``close_due_at`` empty) its
    closing moment from its resolution, so it closes like any other; a no-op once every row has one."""
    for complaint_id in await Complaint.filter(status=Status.SELESAI, close_due_at=None).values_list('id', flat=True):
        resolved = await SlaClock.filter(complaint_id=complaint_id, kind=ClockKind.RESOLUTION,
                                         stopped_at__not_isnull=True).order_by('-stopped_at').first().values_list(
            'stopped_at', flat=True)
        if resolved is not None:
            await Complaint.filter(id=complaint_id, close_due_at=None).update(close_due_at=resolved + CLOSE_AFTER)


async def next_close_at() -> datetime | None:
    """The earliest moment a resolved complaint closes by itself."""
    return await Complaint.filter(status=Status.SELESAI, close_due_at__not_isnull=True).order_by(
        'close_due_at').first().values_list('close_due_at', flat=True)


# --- applying a move -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Event:
    kind: EventKind
    message: str
    public: bool = True
    photos: list[attachments.StoredImage] = field(default_factory=list)


@dataclass(slots=True)
class _Change:
    by: str  # who, for the conflict message ("changed by ...")
    shown_as: str  # who, as the timeline shows it
    events: list[_Event] = field(default_factory=list)
    updates: dict[str, object] = field(default_factory=dict)
    request_key: str | None = None
    said: str = ''  # the words the move carried, for its news (services.outbox.announce)
    survivor: Complaint | None = None  # a merge's target, written in the same transaction
    user_id: int | None = None  # the staff member who made it: no notice of their own move


async def _apply(complaint: Complaint, move: Move, change: _Change, *, expected_version: int,
                 now: datetime) -> None:
    """Write one move in one transaction: the state (if the complaint is still at ``expected_version``), its
    timeline events with their photos, its clocks' changes from the row's effects, and its news (the outbox's
    messages and staff's in-app notices, announced after the commit)."""
    updates: dict[str, object] = {'version': expected_version + 1, 'updated_by': change.by, 'updated_at': now,
                                  **change.updates}
    if move.target is not None:
        updates['status'] = move.target
        # a resolved complaint closes by itself a week later unless reopened; any other state has no such moment
        updates['close_due_at'] = now + CLOSE_AFTER if move.target == Status.SELESAI else None
    async with writes.transaction():
        changed = await Complaint.filter(id=complaint.id, version=expected_version).update(**updates)
        if not changed:
            latest = await Complaint.get(id=complaint.id).values_list('updated_by', flat=True)
            raise Conflict(f'Aduan ini baru saja diubah oleh {latest or "petugas lain"}. Muat ulang untuk melihat '
                           'perubahannya. Tulisan Anda tidak hilang.')
        for index, event in enumerate(change.events):
            row = await TimelineEvent.create(
                complaint_id=complaint.id, kind=event.kind, status=move.target, is_public=event.public,
                message=event.message, actor=change.shown_as, created_at=now,
                request_key=change.request_key if index == 0 else None)
            if event.photos:
                await Attachment.bulk_create([
                    Attachment(complaint_id=complaint.id, event_id=row.id, sha256=p.sha256,
                               content_type='image/jpeg', size=p.size, width=p.width, height=p.height)
                    for p in event.photos])
        if change.survivor is not None:
            await _merge_into(complaint, change, now)
        await _move_clocks(complaint, move, now)
        await sla.refresh_deadlines(complaint.id)
        await outbox.announce(complaint, move.action, message=change.said, actor_user_id=change.user_id)


async def _merge_into(complaint: Complaint, change: _Change, now: datetime) -> None:
    """A merge's other half, in its transaction: the survivor must still be open and not merged (else nothing is
    written), gains the timeline events and a new version (its open pages hear of it), and takes over what was
    merged into ``complaint`` before, so no merged complaint ever names a merged one."""
    survivor = change.survivor
    assert survivor is not None
    held = await Complaint.filter(id=survivor.id, status__in=list(OPEN_STATUSES), merged_into_id=None).update(
        version=F('version') + 1, updated_by=change.by, updated_at=now)
    if not held:
        raise DomainError(f'Aduan {survivor.code} baru saja berubah (selesai, ditolak, atau digabungkan). Periksa '
                          'lagi kodenya.')
    # The merged code stays out of the survivor's public timeline: a code is a key to its complaint, and whoever
    # holds the survivor's code must not learn another's. Staff read it in the internal entry.
    said = (('Aduan lain tentang masalah yang sama digabungkan ke aduan ini.', True),
            (f'Aduan {complaint.code} digabungkan ke aduan ini.', False))
    await TimelineEvent.bulk_create([
        TimelineEvent(complaint_id=survivor.id, kind=EventKind.MERGED, status=None, is_public=public,
                      actor=change.shown_as, created_at=now, message=message) for message, public in said])
    await Complaint.filter(merged_into_id=complaint.id).update(merged_into_id=survivor.id)


async def _move_clocks(complaint: Complaint, move: Move, now: datetime) -> None:
    """Carry out the row's effect on each clock (the SLA engine records the marks itself)."""
    for kind, effect in ((ClockKind.FIRST_RESPONSE, move.first_response), (ClockKind.RESOLUTION, move.resolution)):
        running = SlaClock.filter(complaint_id=complaint.id, kind=kind, stopped_at=None)
        if effect in (Effect.REJECTED, Effect.MERGED):
            outcome = ClockOutcome.REJECTED if effect == Effect.REJECTED else ClockOutcome.MERGED
            await running.update(stopped_at=now, outcome=outcome, paused_at=None)
        elif effect == Effect.STOPS:
            await _stop(await running, now)
        elif effect == Effect.PAUSES and complaint.category.pause_when_waiting:
            await running.filter(paused_at=None).update(paused_at=now)
        elif effect == Effect.RESUMES:
            for paused in await running.filter(paused_at__not_isnull=True):
                await _resume(paused, complaint.category.calendar, now)
        elif effect == Effect.NEW:
            await sla.new_clock(complaint.category, kind, now, complaint_id=complaint.id).save()


async def _stop(clocks: list[SlaClock], now: datetime) -> None:
    for sla_clock in clocks:
        sla_clock.stopped_at = now
        sla_clock.outcome = ClockOutcome.MET if now <= sla_clock.due_at else ClockOutcome.LATE
        sla_clock.paused_at = None
        await sla_clock.save(update_fields=['stopped_at', 'outcome', 'paused_at'])


async def _resume(sla_clock: SlaClock, calendar: sla.SlaCalendar, now: datetime) -> None:
    """Move the deadlines by the counted time the clock stood still."""
    assert sla_clock.paused_at is not None
    paused_at = sla_clock.paused_at
    sla_clock.due_at = sla.add(calendar, now, sla.between(calendar, paused_at, sla_clock.due_at))
    sla_clock.at_risk_due_at = sla.add(calendar, now, sla.between(calendar, paused_at, sla_clock.at_risk_due_at))
    sla_clock.paused_seconds += int((now - paused_at).total_seconds())
    sla_clock.paused_at = None
    await sla_clock.save(update_fields=['due_at', 'at_risk_due_at', 'paused_seconds', 'paused_at'])
