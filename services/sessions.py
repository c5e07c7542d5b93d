"""Staff sessions: one row per signed-in browser, checked by every staff action at the moment it runs.

A page keeps the actor it was built for, but that identity can go stale while the page stays open:
the member signs out in another tab, a supervisor deactivates them or moves them to another OPD,
or they sit idle past the limit. So every service that acts for staff first calls ``verify``, which
reads the session and the user as they are now and returns the actor with their current role and
OPD (or raises ``SessionEnded``). Each change of a member's access is announced on
``events.staff_changed`` so that open pages leave or re-scope within moments, without a click.

An actor without a session (the CLI, the scheduler, tests of the services) is trusted as given.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from models import Agency, Role, StaffSession, User

from . import clock, events
from .actor import Actor
from .errors import DomainError, NotAllowed
from .settings import settings

TOUCH_EVERY = timedelta(seconds=60)  # activity is written at most this often per session (idle is hours)
_activity: dict[int, datetime] = {}  # session id -> last activity known to this process (for open pages' timers)


class SessionEnded(DomainError):
    """The session is over (signed out, idle, account deactivated): the page goes to the login."""

    def __init__(self) -> None:
        super().__init__('Sesi Anda telah berakhir. Silakan masuk kembali.')


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode('utf-8', 'replace')).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(hours=settings.session_idle_hours)


def actor_of(user: User, session_id: int | None = None) -> Actor:
    agency = user.agency if user.agency_id and isinstance(user.agency, Agency) else None
    return Actor(user_id=user.id, username=user.username, name=user.full_name or user.username, role=user.role,
                 agency_id=user.agency_id, agency_name=agency.short_name if agency else None, session_id=session_id)


async def start(actor: Actor, *, address: str | None) -> tuple[str, Actor]:
    """A new session for a member who just proved who they are: the token for the browser, and the actor."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = await StaffSession.create(token_hash=_hash(token), user_id=actor.user_id,
                                    address=(address or '')[:64] or None, created_at=now, last_seen_at=now)
    _activity[row.id] = now
    return token, replace(actor, session_id=row.id)


async def resume(token: str | None) -> Actor | None:
    """The actor behind a browser's session token, as they are now; None when there is none or it ended.
    Opening a page counts as activity."""
    if not token:
        return None
    row = await StaffSession.get_or_none(token_hash=_hash(token)).select_related('user__agency')
    if row is None:
        return None
    try:
        return await _checked(row, activity=True)
    except SessionEnded:
        return None


async def verify(actor: Actor, *, activity: bool = True) -> Actor:
    """``actor`` as they are at this moment (current role and OPD), or SessionEnded.

    Every staff action calls this before it reads or changes anything, so a page loaded before a sign-out,
    a deactivation or a move acts with the access its user has now. ``activity`` counts the call against
    the idle limit (an action does; an open page checking itself does not).
    """
    if actor.session_id is None:
        return actor
    row = await StaffSession.get_or_none(id=actor.session_id).select_related('user__agency')
    if row is None:
        raise SessionEnded
    return await _checked(row, activity=activity)



async def verify_role(actor: Actor, roles: tuple[Role, ...], refusal: str) -> Actor:
    """``actor`` as they are now (``verify``), if their current role is one of ``roles``; else NotAllowed with
    ``refusal`` (nothing read or changed)."""
    actor = await verify(actor)
    if actor.role not in roles:
        raise NotAllowed(refusal)
    return actor

async def _checked(row: StaffSession, *, activity: bool) -> Actor:
    now = clock.now()
    user = row.user
    if row.ended_at is not None:
        _activity.pop(row.id, None)
        raise SessionEnded
    if now - row.last_seen_at > idle_limit():
        await _end(StaffSession.filter(id=row.id, ended_at=None), 'idle', user.id)
        raise SessionEnded
    if not user.active:
        await _end(StaffSession.filter(id=row.id, ended_at=None), 'deactivated', user.id)
        raise SessionEnded
    seen = row.last_seen_at
    if activity and now - seen >= TOUCH_EVERY:
        await StaffSession.filter(id=row.id).update(last_seen_at=now)
        seen = now
    _activity[row.id] = now if activity else seen
    return actor_of(user, row.id)


def forget_idle(now: datetime) -> None:
    """Let go of what this process remembers of sessions idle past the limit (browsers closed without a
    sign-out): their next use reads the database, which ends them."""
    for session_id in [s for s, seen in _activity.items() if now - seen > idle_limit()]:
        del _activity[session_id]


def idle_deadline(session_id: int | None) -> datetime | None:
    """When the session runs out if nothing happens, as far as this process knows (None: unknown)."""
    seen = _activity.get(session_id) if session_id is not None else None
    return seen + idle_limit() if seen else None


async def end(token: str | None, *, reason: str = 'logout') -> None:
    """Sign a browser out; the member's other open pages on that session leave too."""
    if not token:
        return
    row = await StaffSession.get_or_none(token_hash=_hash(token), ended_at=None)
    if row is not None:
        await _end(StaffSession.filter(id=row.id, ended_at=None), reason, row.user_id)


async def end_all(user_id: int, *, reason: str, keep: int | None = None) -> None:
    """End every session of a member (deactivated, password changed), but ``keep``."""
    await _end(StaffSession.filter(user_id=user_id, ended_at=None).exclude(id=keep or 0), reason, user_id)


async def _end(query: object, reason: str, user_id: int) -> None:
    ids = await query.values_list('id', flat=True)  # type: ignore[attr-defined]
    if ids:
        await StaffSession.filter(id__in=ids).update(ended_at=clock.now(), end_reason=reason)
        for session_id in ids:
            _activity.pop(session_id, None)
    access_changed(user_id)


def access_changed(user_id: int) -> None:
    """Tell open pages that a member's access changed (role, OPD, active, sessions): they check again."""
    events.staff_changed.emit(user_id)
