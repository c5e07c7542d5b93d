"""Tracking codes and PINs.

A code is the settings' prefix and 8 Crockford base32 characters (40 random bits), shown as
``WSB-7K3M-9QXD``. Lookups match only the random part, read loosely the way people retype
codes: case and separators do not matter, O reads as 0 and I/L as 1.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from .settings import settings

ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'  # Crockford base32: no I, L, O, U
KEY_LENGTH = 8
_LOOSE = str.maketrans({'O': '0', 'I': '1', 'L': '1'})
PIN_LENGTH = 6


def new_code() -> tuple[str, str]:
    """A fresh (code, key) pair: the key is the random part that the database keeps unique."""
    key = ''.join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
    return format_code(key), key


def format_code(key: str, prefix: str | None = None) -> str:
    return f'{prefix or settings.code_prefix}-{key[:4]}-{key[4:]}'


def code_key(text: str) -> str | None:
    """The random part of a typed code, or None when it cannot be one."""
    cleaned = ''.join(ch for ch in text.upper() if ch.isalnum())
    if len(cleaned) < KEY_LENGTH:
        return None
    key = cleaned[-KEY_LENGTH:].translate(_LOOSE)
    if any(ch not in ALPHABET for ch in key):
        return None
    return key


def new_pin() -> str:
    return ''.join(secrets.choice('0123456789') for _ in range(PIN_LENGTH))


def hash_pin(pin: str, key: str) -> str:
    # Keyed with the server secret: six digits are easy to brute-force from a bare hash,
    # so a leaked database alone must not reveal them. Fast on purpose: submit stays cheap.
    return hmac.new(settings.secret.encode(), f'{key}:{pin}'.encode(), hashlib.sha256).hexdigest()


def check_pin(pin: str, key: str, pin_hash: str) -> bool:
    pin = ''.join(ch for ch in pin if ch.isdigit())
    return len(pin) == PIN_LENGTH and hmac.compare_digest(hash_pin(pin, key), pin_hash)
