"""In-app notifications for staff: written with the change that caused them, announced on the bus after its commit.

Inside a ``writes.transaction()`` the announcement waits for the commit (``writes.after_commit``); a notice
written on its own is committed at once and announced at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from models import Notification, Role, User

from . import clock, events, writes


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    kind: str
    message: str
    created_at: datetime
    code: str | None  # the complaint's code, for the link


# Who hears of a complaint's moves, by (role, OPD): read on every submission and move, changed rarely. Accounts
# changed in this process are dropped at once (forget_recipients); one changed elsewhere (the CLI) within this
RECIPIENTS_TTL = 30.0
_recipients: dict[tuple[Role, int | None], tuple[float, tuple[tuple[int, str], ...]]] = {}


async def recipients(role: Role, agency_id: int | None = None) -> tuple[tuple[int, str], ...]:
    """(id, email or '') of the active staff with ``role`` (an OPD admin: of ``agency_id``), by id."""
    key = (role, agency_id if role == Role.OPD_ADMIN else None)
    hit = _recipients.get(key)
    if hit is None or time.monotonic() - hit[0] > RECIPIENTS_TTL:
        query = User.filter(active=True, role=role)
        if role == Role.OPD_ADMIN:
            query = query.filter(agency_id=agency_id)
        found = tuple((uid, email or '') for uid, email in await query.order_by('id').values_list('id', 'email'))
        hit = _recipients[key] = (time.monotonic(), found)
    return hit[1]


def forget_recipients() -> None:
    """Drop the cached recipients (after a staff account is created or changed)."""
    _recipients.clear()


async def notify_supervisors(*, kind: str, message: str, complaint_id: int | None,
                             except_user: int | None = None) -> int:
    users = await User.filter(role=Role.SUPERVISOR, active=True).exclude(id=except_user or 0).values_list(
        'id', flat=True)
    return await _create(users, kind=kind, message=message, complaint_id=complaint_id)


async def notify_users(user_ids: list[int], *, kind: str, message: str) -> int:
    """A notice for the named staff members (e.g. failed logins on their own account)."""
    return await _create(user_ids, kind=kind, message=message, complaint_id=None)


async def notify(user_ids: list[int], *, kind: str, message: str, complaint_id: int | None) -> int:
    """A notice about a complaint for the named staff members (services.outbox picks them)."""
    return await _create(user_ids, kind=kind, message=message, complaint_id=complaint_id)


async def notify_agency(*, agency_id: int | None, kind: str, message: str, complaint_id: int | None) -> int:
    if agency_id is None:
        return await notify_supervisors(kind=kind, message=message, complaint_id=complaint_id)
    users = await User.filter(role=Role.OPD_ADMIN, agency_id=agency_id, active=True).values_list('id', flat=True)
    return await _create(users, kind=kind, message=message, complaint_id=complaint_id)


async def _create(user_ids: list[int], *, kind: str, message: str, complaint_id: int | None) -> int:
    if not user_ids:
        return 0
    await Notification.bulk_create(rows(user_ids, kind=kind, message=message, complaint_id=complaint_id))
    announce_after_commit(user_ids)
    return len(user_ids)


def rows(user_ids: list[int], *, kind: str, message: str, complaint_id: int | None) -> list[Notification]:
    """Unsaved notices (for a caller that writes them with other rows, e.g. ``writes.insert_family``)."""
    now = clock.now()
    return [Notification(user_id=uid, complaint_id=complaint_id, kind=kind, message=message[:300], created_at=now)
            for uid in user_ids]


def announce_after_commit(user_ids: list[int]) -> None:
    """Tell the bells of ``user_ids`` once the notices written for them are committed."""
    if user_ids:
        ids = frozenset(user_ids)
        writes.after_commit(lambda: events.staff_notified.emit(ids))


async def unread_count(*, user_id: int) -> int:
    return await Notification.filter(user_id=user_id, read_at=None).count()


async def unread(*, user_id: int, limit: int = 50) -> list[Notice]:
    """The newest unread notices of one staff member."""
    rows = await Notification.filter(user_id=user_id, read_at=None).order_by('-created_at', '-id').limit(
        limit).values('id', 'kind', 'message', 'created_at', 'complaint__code')
    return [Notice(r['id'], r['kind'], r['message'], r['created_at'], r['complaint__code']) for r in rows]


async def mark_read(*, user_id: int) -> None:
    await Notification.filter(user_id=user_id, read_at=None).update(read_at=clock.now())
