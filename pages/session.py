"""The staff session: the signed-cookie user storage holds the user id and the last activity."""

from __future__ import annotations

import time

from nicegui import app, ui

from services import auth
from services.settings import settings
from services.workflow import Actor


async def current_actor() -> Actor | None:
    """The signed-in staff member, or None (never signed in, idle too long, or deactivated)."""
    storage = app.storage.user
    user_id, seen = storage.get('staff_id'), storage.get('staff_seen', 0)
    if user_id is None:
        return None
    if time.time() - seen > settings.session_idle_hours * 3600:
        sign_out()
        return None
    storage['staff_seen'] = time.time()
    actor = await auth.actor(user_id)
    if actor is None:
        sign_out()
    return actor


def sign_in(actor: Actor) -> None:
    app.storage.user.update({'staff_id': actor.user_id, 'staff_seen': time.time()})


def sign_out() -> None:
    app.storage.user.pop('staff_id', None)
    app.storage.user.pop('staff_seen', None)


async def require_actor(path: str) -> Actor | None:
    """The actor, or None after sending the browser to the login page."""
    actor = await current_actor()
    if actor is None:
        ui.navigate.to(f'/login?next={path}')
    return actor
