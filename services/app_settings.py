"""Settings a supervisor changes in the app (kept in the database, table ``app_setting``).

Today one switch: whether Open311's list of requests (``GET requests.json``) answers without a
partner key. It is off until a supervisor turns it on: the list shows the content and place of
every publik and anonim complaint, which the regency publishes only by choice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from models import AppSetting, Role

from . import clock, sessions
from .workflow import Actor

OPEN311_PUBLIC_LIST = 'open311_public_list'
_MAX_AGE = 30.0  # seconds: a switch flipped by another app instance shows here within this
_cache: dict[str, tuple[float, AppSetting | None]] = {}


@dataclass(frozen=True, slots=True)
class Switch:
    on: bool
    updated_at: datetime | None
    updated_by: str | None


async def _read(key: str) -> AppSetting | None:
    """The stored row, read from the database at most every ``_MAX_AGE`` seconds (dropped when it changes)."""
    hit = _cache.get(key)
    if hit is None or time.monotonic() - hit[0] > _MAX_AGE:
        hit = _cache[key] = (time.monotonic(), await AppSetting.get_or_none(key=key))
    return hit[1]


def forget() -> None:
    """Drop the cached values (a test's fresh database)."""
    _cache.clear()


async def open311_list_is_public() -> bool:
    """Whether Open311's list of requests answers without a partner key (off unless a supervisor said so)."""
    row = await _read(OPEN311_PUBLIC_LIST)
    return row is not None and row.value == '1'


async def open311_public_list(actor: Actor) -> Switch:
    """The switch as it stands, with who changed it last: supervisors only (NotAllowed otherwise)."""
    await _supervisor(actor)
    _cache.pop(OPEN311_PUBLIC_LIST, None)  # the supervisor sees the stored value, not this process's copy
    row = await _read(OPEN311_PUBLIC_LIST)
    return Switch(on=row is not None and row.value == '1', updated_at=row.updated_at if row else None,
                  updated_by=row.updated_by if row else None)


async def set_open311_public_list(actor: Actor, *, on: bool) -> Switch:
    """Turn Open311's public list on or off: supervisors only (checked as they are now). Takes effect at once
    in this process, within ``_MAX_AGE`` seconds in others."""
    actor = await _supervisor(actor)
    now = clock.now()
    await AppSetting.update_or_create(key=OPEN311_PUBLIC_LIST, defaults={
        'value': '1' if on else '0', 'updated_at': now, 'updated_by': actor.username[:60]})
    _cache.pop(OPEN311_PUBLIC_LIST, None)
    return Switch(on=on, updated_at=now, updated_by=actor.username[:60])


async def _supervisor(actor: Actor) -> Actor:
    return await sessions.verify_role(
        actor, (Role.SUPERVISOR,), 'Maaf, pengaturan ini hanya dapat diubah oleh supervisor.')
