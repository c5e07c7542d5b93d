"""The staff session in the browser, and the watch that keeps an open staff page honest.

The browser's user storage (a signed cookie's server-side JSON) holds only the session token; the
session itself lives in the database (services.sessions). Every staff page is watched: when its
member's access changes (signed out in another tab, deactivated, moved to another OPD, idle past
the limit) the page goes to the login, or reloads in its new scope, within seconds and without a
click, and it stops showing live rows from the moment the change is announced.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import datetime

from nicegui import app, ui

from services import clock, events, sessions
from services.sessions import SessionEnded
from services.workflow import Actor

TOKEN = 'staff_token'
IDLE_CHECK_SECONDS = 5.0  # how often open pages are checked against the idle limit (memory only, no query)
log = logging.getLogger(__name__)
_watches: dict[str, _Watch] = {}  # client id -> the watch of that open staff page


async def current_actor() -> Actor | None:
    """The signed-in staff member as they are now, or None (never signed in, signed out, idle, deactivated)."""
    actor = await sessions.resume(app.storage.user.get(TOKEN))
    if actor is None:
        app.storage.user.pop(TOKEN, None)
    return actor


async def sign_in(actor: Actor, *, address: str | None) -> Actor:
    """Start a session for a member who just proved who they are; the actor carries it."""
    token, actor = await sessions.start(actor, address=address)
    app.storage.user[TOKEN] = token
    return actor


async def sign_out() -> None:
    token = app.storage.user.pop(TOKEN, None)
    await sessions.end(token)


async def require_actor(path: str) -> Actor | None:
    """The actor, watched for the rest of the page's life; or None after sending the browser to the login."""
    actor = await current_actor()
    if actor is None:
        to_login(path)
        return None
    _Watch(actor, path)
    return actor


def to_login(path: str) -> None:
    ui.navigate.to(f'/login?next={path}')


def leave_notice(text: str) -> None:
    """A message for the next staff page this browser opens (a page that navigates away cannot show it)."""
    app.storage.user['staff_notice'] = text


def take_notice() -> str | None:
    return app.storage.user.pop('staff_notice', None)


def watch_of_page() -> _Watch | None:
    """The watch of the staff page being built or handled (None on a page that is not a staff page)."""
    return _watches.get(ui.context.client.id)


class _Watch:
    """Follows one open staff page's member: announced changes at once, the idle limit by one app timer."""

    def __init__(self, actor: Actor, path: str) -> None:
        self.actor = actor
        self.path = path
        self.valid = True
        self.client = ui.context.client
        events.staff_changed.subscribe(self._on_staff_changed)
        _watches[self.client.id] = self
        self.client.on_delete(lambda: _watches.pop(self.client.id, None))

    def _on_staff_changed(self, user_id: int) -> Awaitable[None] | None:
        if user_id != self.actor.user_id or not self.valid:
            return None
        self.valid = False  # synchronous: live rows stop before the re-check below has read anything
        return self.recheck()  # run by the event as a task in this page's context

    async def recheck(self) -> None:
        try:
            fresh = await sessions.verify(self.actor, activity=False)
        except SessionEnded:
            self.valid = False
            self._leave(f'/login?next={self.path}')
            return
        if (fresh.role, fresh.agency_id) != (self.actor.role, self.actor.agency_id):
            self.valid = False
            self._leave(self.path)  # built again in the new scope
            return
        self.actor, self.valid = fresh, True

    def _leave(self, target: str) -> None:
        _watches.pop(self.client.id, None)
        if self.client.is_deleted:
            return
        with self.client:
            ui.navigate.to(target)

    def idle_due(self, now: datetime) -> bool:
        deadline = sessions.idle_deadline(self.actor.session_id)
        return deadline is None or deadline <= now


async def check_idle_pages() -> None:
    """One app-wide timer: pages whose session may have run idle (known in memory) are checked in the database
    (another tab or instance may have kept it alive); those that ended go to the login."""
    now = clock.now()
    for watch in list(_watches.values()):
        if watch.valid and not watch.client.is_deleted and watch.idle_due(now):
            try:
                await watch.recheck()
            except Exception:  # one page's failure must not keep the others signed in
                log.exception('checking a staff page\'s session failed')
    sessions.forget_idle(now)


def start_idle_timer() -> None:
    app.timer(IDLE_CHECK_SECONDS, check_idle_pages, immediate=False)
