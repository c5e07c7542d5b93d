"""The outbox: news of a complaint's moves for its reporter and for staff, that is never lost and never sent twice.

Writing. ``announce`` turns a move into its messages (services/outbox_texts.py): the reporter's, when they
ticked "kirimi saya kabar" and gave a phone (an SMS through the webhook) or an email; staff's in-app notices and,
for those with an email, the same by email. It runs inside the transaction of the move
(``writes.transaction()``), so a move that is rolled back leaves no message, and a committed one always has its
messages. The bell and the worker hear of them only after the commit (``writes.after_commit``).

Sending. ``deliver_due`` claims due messages with one conditional update that sets a lease (a claim token and an
expiry), so two workers, in this process or another instance on the same database, never hold the same message.
It sends outside any transaction (SQLite's write lock is never held across the network; emails one after another
over one SMTP connection, webhooks to several phones at once but to each phone in the order its messages were
queued), then marks a message
sent only while its claim still holds it, or records the error and schedules the next try by ``BACKOFF``; after
the last, the message is failed until a supervisor sends it again. A message whose worker died is claimed again
once its lease runs out. A message marked sent is never claimed again.

The worker runs in the app (services/scheduler.py): every few seconds, and at once after a commit that queued
something (``drain``). Times come from services/clock, so tests move them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F, Q
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from models import (
    Agency,
    Complaint,
    OutboxAttempt,
    OutboxMessage,
    OutboxStatus,
    Privacy,
    Recipient,
    Role,
    Transport,
)

from . import clock, events, notifications, outbox_texts, senders, sessions, writes
from .actor import Actor
from .errors import NotAllowed, NotFound
from .settings import settings

log = logging.getLogger(__name__)

# After the 1st, 2nd, 3rd and 4th failed try; the 5th failure leaves the message failed
BACKOFF: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                                  timedelta(hours=2))
LEASE = timedelta(seconds=60)  # renewed before each send, and longer than one send can take (SEND_BOUND)
BATCH = 50
# One send's connect, send and answer are each bounded by LAPOR_OUTBOX_TIMEOUT; the whole send by this, under LEASE
SEND_BOUND = timedelta(seconds=min(3 * settings.outbox_timeout, LEASE.total_seconds() / 2))
WEBHOOKS_AT_ONCE = 8  # phones at once: a gateway answers in tens to hundreds of milliseconds
WORKER = f'{socket.gethostname()}-{os.getpid()}'[:28]

# Who hears of each move among staff
_TO_NEW_OPD = frozenset({'submitted', 'dispatch', 'reassign'})
_TO_SUPERVISORS = frozenset({'hand_back', 'rate'})
_TO_HOLDING_OPD = frozenset({'add_info', 'reopen'})
_SPEAKS = _TO_NEW_OPD | _TO_SUPERVISORS | _TO_HOLDING_OPD | frozenset(outbox_texts.REPORTER_MOVES)


@dataclass(frozen=True, slots=True)
class Draft:
    """A message not yet written."""

    recipient: Recipient
    transport: Transport
    address: str
    body: str
    subject: str = ''


# --- Writing ---

async def enqueue(drafts: Sequence[Draft], *, complaint_id: int | None = None, code: str | None = None,
                  move: str = '') -> int:
    """Write ``drafts`` to the outbox, due now. MUST run inside the transaction of the change that causes them
    (``writes.transaction()``): raises RuntimeError otherwise, so a message never outlives a rolled-back change.
    The worker is woken after the commit. Returns how many were written."""
    if not writes.in_transaction_now():
        raise RuntimeError('outbox.enqueue must run inside the transaction of the change that causes the message')
    if not drafts:
        return 0
    await OutboxMessage.bulk_create(rows(drafts, complaint_id=complaint_id, code=code, move=move))
    queued = len(drafts)
    writes.after_commit(lambda: events.outbox_queued.emit(queued))
    return queued


def rows(drafts: Sequence[Draft], *, complaint_id: int | None, code: str | None, move: str) -> list[OutboxMessage]:
    """Unsaved outbox rows (for a caller that writes them with other rows, e.g. ``writes.insert_family``)."""
    now = clock.now()
    return [OutboxMessage(recipient=d.recipient, transport=d.transport, address=d.address, subject=d.subject[:200],
                          body=d.body, move=move, complaint_id=complaint_id, code=code, status=OutboxStatus.PENDING,
                          next_attempt_at=now, created_at=now) for d in drafts]


async def announce(complaint: Complaint | int, move: str, *, message: str = '', rating: int | None = None,
                   actor_user_id: int | None = None) -> None:
    """Queue what ``move`` of ``complaint`` tells its reporter and staff, inside the caller's
    ``writes.transaction()``, after the move's own writes (the complaint is read again here, as the move left it).

    ``message`` is what the move carried: the public text of a response, question, resolution or rejection, a
    hand-back's or a reopening's reason, the reporter's added information or rating comment. A rahasia complaint's
    messages never carry it. ``actor_user_id`` (the staff member who moved it) gets no notice of their own move.
    Moves: 'submitted', 'dispatch', 'reassign', 'hand_back', 'reject', 'respond', 'follow_up', 'wait', 'resolve',
    'note', 'add_info', 'rate', 'reopen', 'auto_close', 'merge'; those with nothing to say write nothing. The
    reporters of complaints merged into it who asked for news get its reporter's news too (``_tell_followers``).
    """
    if not writes.in_transaction_now():
        raise RuntimeError('outbox.announce must run inside the transaction of the move')
    if move not in _SPEAKS:  # a note, a follow-up: nobody hears of it
        return
    complaint_id = complaint if isinstance(complaint, int) else complaint.id
    current = await Complaint.get(id=complaint_id).select_related('agency')
    if rating is None and move == 'rate':
        rating = current.rating
    agency_id = current.agency_id
    if move == 'hand_back' and isinstance(complaint, Complaint):
        agency_id = complaint.agency_id  # who handed it back: the row now names no OPD
    agency = current.agency if move != 'hand_back' else await Agency.get_or_none(id=agency_id or 0)
    drafts = reporter_drafts(current, move, message=message, agency=agency)
    notice = _staff_notice(current, move, message=message, agency=agency, rating=rating)
    if notice is not None:
        staff = await _staff_for(move, current.agency_id, except_user=actor_user_id)
        await notifications.notify([uid for uid, _ in staff], kind=notice.kind, message=notice.message,
                                   complaint_id=complaint_id)
        drafts += staff_drafts(notice, code=current.code, emails=[address for _, address in staff if address])
    await enqueue(drafts, complaint_id=complaint_id, code=current.code, move=move)
    await _tell_followers(current, move, message=message, agency=agency)


async def _tell_followers(survivor: Complaint, move: str, *, message: str, agency: Agency | None) -> None:
    """The reporters of the complaints merged into ``survivor`` who asked for news hear of its moves too, each at
    their own code (whose tracking page follows the survivor), as rows of their own complaint. A rahasia survivor's
    or follower's texts carry no typed words."""
    followers = await Complaint.filter(merged_into_id=survivor.id, notify_reporter=True)
    for follower in followers:
        drafts = reporter_drafts(follower, move, message=message, agency=agency,
                                 rahasia=survivor.privacy == Privacy.RAHASIA, follower=True)
        await enqueue(drafts, complaint_id=follower.id, code=follower.code, move=move)


async def submitted_rows(complaint: Complaint, agency: Agency | None) -> tuple[list, list[int]]:
    """The unsaved outbox rows and in-app notices a new complaint makes (written with it by
    ``services.complaints``, in its one insert), and the staff ids to tell after the commit."""
    drafts = reporter_drafts(complaint, 'submitted', agency=agency)
    notices: list = []
    user_ids: list[int] = []
    if agency is not None:
        notice = _staff_notice(complaint, 'submitted', agency=agency)
        assert notice is not None
        staff = await _staff_for('submitted', agency.id)
        user_ids = [uid for uid, _ in staff]
        notices = notifications.rows(user_ids, kind=notice.kind, message=notice.message, complaint_id=None)
        drafts += staff_drafts(notice, code=complaint.code, emails=[address for _, address in staff if address])
    return [*rows(drafts, complaint_id=None, code=complaint.code, move='submitted'), *notices], user_ids


def announce_submitted(queued: int, user_ids: list[int]) -> None:
    """After a new complaint's rows are written: tell the bells and wake the worker (after the commit)."""
    notifications.announce_after_commit(user_ids)
    if queued:
        writes.after_commit(lambda: events.outbox_queued.emit(queued))


def reporter_drafts(complaint: Complaint, move: str, *, message: str = '', agency: Agency | None = None,
                    rahasia: bool = False, follower: bool = False) -> list[Draft]:
    """The reporter's messages for ``move``: an SMS to the phone and/or an email, when they asked for news
    (``follower``: the reporter of a complaint merged into the one that moved; ``rahasia``: the one that moved is)."""
    if not complaint.notify_reporter or not (complaint.reporter_phone or complaint.reporter_email):
        return []
    text = outbox_texts.reporter(move, code=complaint.code, rahasia=rahasia or complaint.privacy == Privacy.RAHASIA,
                                 message=message, agency=agency.short_name if agency else None, follower=follower)
    if text is None:
        return []
    drafts = []
    if complaint.reporter_phone:
        drafts.append(Draft(Recipient.REPORTER, Transport.WEBHOOK, complaint.reporter_phone, text.sms))
    if complaint.reporter_email:
        drafts.append(Draft(Recipient.REPORTER, Transport.EMAIL, complaint.reporter_email, text.body, text.subject))
    return drafts


def staff_drafts(notice: outbox_texts.Notice, *, code: str, emails: Sequence[str]) -> list[Draft]:
    subject, body = outbox_texts.staff_email(notice, code=code)
    return [Draft(Recipient.STAFF, Transport.EMAIL, address, body, subject) for address in emails]


def _staff_notice(complaint: Complaint, move: str, *, message: str = '', agency: Agency | None,
                  rating: int | None = None) -> outbox_texts.Notice | None:
    return outbox_texts.staff(move, code=complaint.code, rahasia=complaint.privacy == Privacy.RAHASIA,
                              message=message, agency=agency.short_name if agency else None, title=complaint.title,
                              rating=rating)


async def _staff_for(move: str, agency_id: int | None, *, except_user: int | None = None) -> list[tuple[int, str]]:
    """(id, email or '') of the active staff who hear of ``move``: the OPD it went to, the supervisors, or the
    OPD holding it (the supervisors when none does)."""
    if move in _TO_NEW_OPD or (move in _TO_HOLDING_OPD and agency_id is not None):
        if agency_id is None:
            return []
        staff = await notifications.recipients(Role.OPD_ADMIN, agency_id)
    elif move in _TO_SUPERVISORS or move in _TO_HOLDING_OPD:
        staff = await notifications.recipients(Role.SUPERVISOR)
    else:
        return []
    return [(uid, email) for uid, email in staff if uid != except_user]


# --- Sending ---

@dataclass(frozen=True, slots=True)
class Delivery:
    """What one pass of the worker did."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # failed this time, due again later
    failed: int = 0  # failed for good
    lost: int = 0  # sent or tried, but the lease had passed to another worker meanwhile
    released: int = 0  # not tried: an earlier message to the same receiver failed in this pass


async def deliver_due(*, owner: str = WORKER, limit: int = BATCH, backoff: Sequence[timedelta] = BACKOFF,
                      lease: timedelta = LEASE) -> Delivery:
    """Claim up to ``limit`` due messages whose sender is set up, send them, and record each outcome."""
    transports = senders.configured()
    if not transports:
        return Delivery()
    claim = f'{owner}:{uuid.uuid4().hex[:10]}'
    messages = await _claim(claim, transports, limit=limit, lease=lease)
    if not messages:
        return Delivery()
    outcomes: list[str] = []
    email_sender = senders.EmailSender() if any(m.transport == Transport.EMAIL for m in messages) else None
    webhook_sender = senders.WebhookSender() if any(m.transport == Transport.WEBHOOK for m in messages) else None
    try:
        at_once = asyncio.Semaphore(WEBHOOKS_AT_ONCE)

        async def in_turn(queue: list[OutboxMessage], *, keep_order: bool, **sender: Any) -> None:
            """One message after another; after a failure the rest of the queue is given back untried: a receiver
            that is down costs one time-out per pass, not one per message. With ``keep_order`` (one phone's
            messages) the rest wait behind the failed one, so they never arrive before it."""
            failed: OutboxMessage | None = None
            for message in queue:
                if failed is not None:
                    outcomes.append(await _release(message, claim, behind=failed if keep_order else None))
                    continue
                outcome = await _send_one(message, claim, backoff, lease, **sender)
                outcomes.append(outcome)
                failed = message if outcome != 'sent' else None

        async def by_webhook(to_one_phone: list[OutboxMessage]) -> None:
            async with at_once:  # one phone's messages one after another, so they arrive in the order of events
                await in_turn(to_one_phone, keep_order=True, webhook_sender=webhook_sender)

        emails = [m for m in messages if m.transport == Transport.EMAIL]  # one SMTP connection, one after another

        phones: dict[str, list[OutboxMessage]] = {}
        for message in messages:
            if message.transport == Transport.WEBHOOK:
                phones.setdefault(message.address, []).append(message)
        await asyncio.gather(in_turn(emails, keep_order=False, email_sender=email_sender),
                             *(by_webhook(queue) for queue in phones.values()))
    finally:
        for sender in (email_sender, webhook_sender):
            if sender is not None:
                await sender.close()
    return Delivery(claimed=len(messages), sent=outcomes.count('sent'), retrying=outcomes.count('retrying'),
                    failed=outcomes.count('failed'), lost=outcomes.count('lost'),
                    released=outcomes.count('released'))


async def _claim(claim: str, transports: frozenset[Transport], *, limit: int, lease: timedelta) -> list[OutboxMessage]:
    """Take a lease on up to ``limit`` due messages: one conditional update, so a message another worker claimed
    between the read and the update is not taken (its lease is then in the future)."""
    now = clock.now()
    free = Q(lease_until=None) | Q(lease_until__lte=now)
    due = OutboxMessage.filter(free, status=OutboxStatus.PENDING, next_attempt_at__lte=now,
                               transport__in=list(transports))
    ids = await due.order_by('next_attempt_at', 'id').limit(limit).values_list('id', flat=True)
    if not ids:
        return []
    await OutboxMessage.filter(free, id__in=list(ids), status=OutboxStatus.PENDING).update(
        lease_owner=claim, lease_until=now + lease)
    return await OutboxMessage.filter(lease_owner=claim).order_by('next_attempt_at', 'id')


async def _release(message: OutboxMessage, claim: str, *, behind: OutboxMessage | None) -> str:
    """Give a claimed message back untried (no attempt counted): a later pass takes it again, not before the
    message it must follow (``behind``) is due again."""
    updates: dict[str, Any] = {'lease_owner': None, 'lease_until': None}
    if behind is not None:
        updates['next_attempt_at'] = await OutboxMessage.get(id=behind.id).values_list('next_attempt_at', flat=True)
    await OutboxMessage.filter(id=message.id, lease_owner=claim, status=OutboxStatus.PENDING).update(**updates)
    return 'released'


async def _send_one(message: OutboxMessage, claim: str, backoff: Sequence[timedelta], lease: timedelta, *,
                    email_sender: senders.EmailSender | None = None,
                    webhook_sender: senders.WebhookSender | None = None) -> str:
    # The lease is renewed just before the send, and the send is bounded well under it: a batch may take longer
    # than one lease, but no message is ever sent by a worker whose lease on it ran out (another may hold it now)
    if not await OutboxMessage.filter(id=message.id, lease_owner=claim, status=OutboxStatus.PENDING).update(
            lease_until=clock.now() + lease):
        return 'lost'
    error: str | None = None
    try:
        async with asyncio.timeout(SEND_BOUND.total_seconds()):
            if message.transport == Transport.EMAIL:
                assert email_sender is not None
                await email_sender.send(message_id=message.id, to=message.address, subject=message.subject,
                                        body=message.body)
            else:
                assert webhook_sender is not None
                await webhook_sender.send(message_id=message.id, to=message.address, text=message.body,
                                          code=message.code)
    except senders.SendError as failure:
        error = str(failure)
    except TimeoutError:
        error = f'Tidak selesai dalam {SEND_BOUND.total_seconds():g} detik'
    except Exception as failure:  # a bug must not leave the message leased forever: it is retried like any failure
        log.exception('outbox message %s', message.id)
        error = f'{type(failure).__name__}: {failure}'[:500]
    return await _record(message, claim, error, backoff)


async def _record(message: OutboxMessage, claim: str, error: str | None, backoff: Sequence[timedelta]) -> str:
    """The outcome of one try, written only while ``claim`` still holds the message."""
    now = clock.now()
    tries = message.attempts + 1
    ours = OutboxMessage.filter(id=message.id, lease_owner=claim, status=OutboxStatus.PENDING)
    if error is None:
        outcome, updates = 'sent', {'status': OutboxStatus.SENT, 'sent_at': now, 'last_error': None}
    elif tries > len(backoff):
        outcome, updates = 'failed', {'status': OutboxStatus.FAILED, 'last_error': error}
    else:
        outcome, updates = 'retrying', {'next_attempt_at': now + backoff[tries - 1], 'last_error': error}
    async with in_transaction():
        held = await ours.update(attempts=F('attempts') + 1, lease_owner=None, lease_until=None, **updates)
        await OutboxAttempt.create(message_id=message.id, at=now, ok=error is None, error=error)
    if not held:
        log.warning('outbox message %s: its lease passed to another worker while it was tried', message.id)
        return 'lost'
    return outcome


_draining = False
_drain_again = False


async def drain() -> None:
    """Deliver until nothing due is left, one pass at a time: a wake-up during a pass makes one more pass, so a
    message queued while a pass ran is never left for the periodic run."""
    global _draining, _drain_again  # noqa: PLW0603
    if _draining:
        _drain_again = True
        return
    _draining = True
    try:
        while True:
            _drain_again = False
            done = await deliver_due()
            if not _drain_again and (done.claimed < BATCH or not done.sent):  # a receiver down: wait for the timer
                return
    finally:
        _draining = False


# --- The supervisors' view ---

@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    created_at: datetime
    recipient: Recipient
    transport: Transport
    address: str  # a reporter's is masked: contact data is opened on the complaint page, where it is logged
    subject: str
    body: str
    code: str | None
    move: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class OutboxPage:
    counts: dict[OutboxStatus, int]
    rows: list[MessageRow]
    page: int
    has_next: bool
    senders: frozenset[Transport]  # the transports whose sender is set up


PAGE_SIZE = 50


async def list_messages(actor: Actor, *, status: OutboxStatus | str = OutboxStatus.PENDING, page: int = 0,
                        page_size: int = PAGE_SIZE) -> OutboxPage:
    """One page of the outbox in ``status`` (newest first; the oldest first for pending, as they go out), with
    the count of each status and the senders set up: supervisors only."""
    await _supervisor(actor)
    status = OutboxStatus(status)
    page = max(0, page)
    counts = {s: 0 for s in OutboxStatus}
    for value, count in await _counts():
        counts[OutboxStatus(value)] = count
    order = ('next_attempt_at', 'id') if status == OutboxStatus.PENDING else ('-id',)
    found = await OutboxMessage.filter(status=status).order_by(*order).offset(page * page_size).limit(page_size + 1)
    return OutboxPage(counts=counts, rows=[_row(m) for m in found[:page_size]], page=page,
                      has_next=len(found) > page_size, senders=senders.configured())


async def _counts() -> list[tuple[str, int]]:
    return [(r['status'], r['n']) for r in
            await OutboxMessage.all().annotate(n=Count('id')).group_by('status').values('status', 'n')]


async def retry(actor: Actor, *, message_id: int) -> None:
    """Send a failed message again now, with a fresh round of tries (supervisors only; its earlier tries stay on
    record). The worker is woken at once."""
    await _supervisor(actor)
    changed = await OutboxMessage.filter(id=message_id, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=clock.now(), lease_owner=None, lease_until=None)
    if not changed:
        if not await OutboxMessage.exists(id=message_id):
            raise NotFound('Pesan tidak ditemukan.')
        return  # already pending or sent (another supervisor retried it): nothing to do
    events.outbox_queued.emit(1)


async def tries(actor: Actor, *, message_id: int) -> list[tuple[datetime, bool, str | None]]:
    """(when, ok, error) of each try of one message, oldest first: supervisors only."""
    await _supervisor(actor)
    return [tuple(r) for r in await OutboxAttempt.filter(message_id=message_id).order_by('at', 'id').values_list(
        'at', 'ok', 'error')]  # type: ignore[misc]


async def _supervisor(actor: Actor) -> Actor:
    actor = await sessions.verify(actor)
    if actor.role != Role.SUPERVISOR:
        raise NotAllowed('Hanya supervisor yang dapat membuka pesan keluar.')
    return actor


def _row(message: OutboxMessage) -> MessageRow:
    address = message.address if message.recipient == Recipient.STAFF else mask(message.address)
    return MessageRow(id=message.id, created_at=message.created_at, recipient=Recipient(message.recipient),
                      transport=Transport(message.transport), address=address, subject=message.subject,
                      body=message.body, code=message.code, move=message.move, status=OutboxStatus(message.status),
                      attempts=message.attempts, next_attempt_at=message.next_attempt_at,
                      last_error=message.last_error, sent_at=message.sent_at)


def senders_notice(on: frozenset[Transport] | None = None) -> str:
    """What the settings pages say while a sender is not set up ('' when both are)."""
    on = senders.configured() if on is None else on
    if not on:
        return 'Pengirim email/SMS belum diatur; pesan menunggu di antrean.'
    if Transport.EMAIL not in on:
        return 'Pengirim email belum diatur (LAPOR_SMTP_HOST); pesan email menunggu di antrean.'
    if Transport.WEBHOOK not in on:
        return 'Pengirim SMS belum diatur (LAPOR_SMS_WEBHOOK_URL); pesan SMS menunggu di antrean.'
    return ''


def mask(address: str) -> str:
    """``62812****7890`` or ``s***@contoh.id``: enough to tell messages apart, not to contact the reporter."""
    if '@' in address:
        name, _, domain = address.partition('@')
        return f'{name[:1]}***@{domain}'
    return address[:5] + '*' * max(len(address) - 9, 0) + address[-4:] if len(address) > 9 else '*' * len(address)
