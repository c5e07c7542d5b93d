"""API keys for partner systems that post complaints through Open311.

Each key has a name (recorded as the complaint's source), a channel (a complaint posted with the 112 system's
key is recorded as ``call_center``) and a limit of requests a minute. Supervisors create (the raw key shown
once), list and revoke keys in the settings pages (``*_as``); the CLI calls the same functions without an
actor.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from models import ApiKey, Channel, Role

from . import clock, sessions
from .actor import Actor
from .errors import DomainError, ValidationFailed

KEY_PREFIX = 'lpr_'
MAX_KEY_LENGTH = 100  # issued keys are 47 characters
DEFAULT_PER_MINUTE = 120
MAX_PER_MINUTE = 6000
# The channels a partner's key may post for (the web form is the citizens' own)
KEY_CHANNELS = tuple(c for c in Channel if c != Channel.WEB)


def _hash(raw: str) -> str:
    # a plain hash suffices: keys carry 256 random bits, so there is nothing to brute-force
    return hashlib.sha256(raw.encode()).hexdigest()


async def create(*, name: str, channel: Channel | str = Channel.API, requests_per_minute: int = DEFAULT_PER_MINUTE,
                 created_by: str | None = None) -> tuple[ApiKey, str]:
    """Make a key named ``name``; returns it with the raw key, which is shown once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError('Nama kunci API wajib diisi (maksimal 100 karakter).')
    if channel not in KEY_CHANNELS:
        raise DomainError('Pilih saluran kunci API.')
    if not 1 <= requests_per_minute <= MAX_PER_MINUTE:
        raise DomainError(f'Batas permintaan antara 1 dan {MAX_PER_MINUTE} per menit.')
    existing = await ApiKey.get_or_none(name=name)
    if existing is not None:
        # names stay unique after a revoke: complaints record the name as their source
        state = ' (sudah dicabut)' if existing.revoked_at else ''
        raise DomainError(f'Kunci API bernama "{name}" sudah ada{state}. Pilih nama lain.')
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = await ApiKey.create(name=name, prefix=raw[:10], key_hash=_hash(raw), channel=Channel(channel),
                              requests_per_minute=requests_per_minute, created_by=created_by)
    return key, raw


async def verify(raw: str | None) -> ApiKey | None:
    """The active key behind ``raw``, or None."""
    raw = (raw or '').strip()  # pasted keys often carry a space or newline
    # every key is short URL-safe ASCII: anything else (a lone surrogate, a megabyte) is no key, not an error
    if not raw.startswith(KEY_PREFIX) or len(raw) > MAX_KEY_LENGTH or not raw.isascii():
        return None
    key = await ApiKey.get_or_none(key_hash=_hash(raw), revoked_at=None)
    if key is not None and (key.last_used_at is None or clock.now() - key.last_used_at > timedelta(minutes=5)):
        key.last_used_at = clock.now()  # coarse on purpose: no write on every request
        await key.save(update_fields=['last_used_at'])
    return key


async def revoke(*, name: str) -> None:
    """Stop the key named ``name`` from working; it stays listed (and its name taken) for the record."""
    if not await ApiKey.filter(name=name, revoked_at=None).update(revoked_at=clock.now()):
        raise DomainError(f'Kunci API aktif bernama "{name}" tidak ditemukan.')


async def all_keys() -> list[ApiKey]:
    return await ApiKey.all().order_by('name')


# --- Supervisors, in the settings pages ---

@dataclass(frozen=True, slots=True)
class KeyRow:
    name: str
    prefix: str
    channel: Channel
    requests_per_minute: int
    created_at: datetime
    created_by: str | None
    last_used_at: datetime | None
    revoked_at: datetime | None


async def _supervisor(actor: Actor) -> Actor:
    return await sessions.verify_role(
        actor, (Role.SUPERVISOR,), 'Maaf, kunci API hanya dapat dikelola oleh supervisor.')


async def list_as(actor: Actor) -> list[KeyRow]:
    """Every key (active first, then revoked), never the key itself."""
    await _supervisor(actor)
    keys = await all_keys()
    return [_row(k) for k in sorted(keys, key=lambda k: (k.revoked_at is not None, k.name))]


def _row(k: ApiKey) -> KeyRow:
    return KeyRow(name=k.name, prefix=k.prefix, channel=k.channel, requests_per_minute=k.requests_per_minute,
                  created_at=k.created_at, created_by=k.created_by, last_used_at=k.last_used_at,
                  revoked_at=k.revoked_at)


async def create_as(actor: Actor, *, name: str, channel: Channel | str, requests_per_minute: int | None,
                    ) -> tuple[KeyRow, str]:
    """A supervisor's new key: the row and the raw key, which the page shows once. ValidationFailed by field."""
    actor = await _supervisor(actor)
    errors: dict[str, str] = {}
    if not name.strip() or len(name.strip()) > 100:
        errors['name'] = 'Nama kunci API wajib diisi (maksimal 100 karakter).'
    if channel not in KEY_CHANNELS:
        errors['channel'] = 'Pilih saluran.'
    if requests_per_minute is None or not 1 <= requests_per_minute <= MAX_PER_MINUTE:
        errors['requests_per_minute'] = f'Isi angka 1 sampai {MAX_PER_MINUTE}.'
    if errors:
        raise ValidationFailed(errors)
    try:
        key, raw = await create(name=name, channel=channel, requests_per_minute=int(requests_per_minute or 0),
                                created_by=actor.username[:60])
    except DomainError as error:
        raise ValidationFailed({'name': error.message}) from None
    return _row(key), raw


async def revoke_as(actor: Actor, *, name: str) -> None:
    await _supervisor(actor)
    await revoke(name=name)
