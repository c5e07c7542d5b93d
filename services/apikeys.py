"""API keys for partner systems that post complaints through Open311."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from models import ApiKey

from . import clock
from .errors import DomainError

KEY_PREFIX = 'lpr_'
MAX_KEY_LENGTH = 100  # issued keys are 47 characters


def _hash(raw: str) -> str:
    # a plain hash suffices: keys carry 256 random bits, so there is nothing to brute-force
    return hashlib.sha256(raw.encode()).hexdigest()


async def create(*, name: str) -> tuple[ApiKey, str]:
    """Make a key named ``name``; returns it with the raw key, which is shown once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError('Nama kunci API wajib diisi (maksimal 100 karakter).')
    existing = await ApiKey.get_or_none(name=name)
    if existing is not None:
        # names stay unique after a revoke: complaints record the name as their source
        state = ' (sudah dicabut)' if existing.revoked_at else ''
        raise DomainError(f'Kunci API bernama "{name}" sudah ada{state}. Pilih nama lain.')
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = await ApiKey.create(name=name, prefix=raw[:10], key_hash=_hash(raw))
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
