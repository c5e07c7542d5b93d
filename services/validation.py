"""Field rules shared by the submit page, the API and the services."""

from __future__ import annotations

import re

DESCRIPTION_MIN = 20
DESCRIPTION_MAX = 5000
TITLE_MAX = 150
NAME_MAX = 100

_EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$')


def normalise_phone(text: str) -> str | None:
    """An Indonesian number in its usual forms (0812…, +62812…, 62812…, with spaces or dashes)
    as ``62812…``, or None when it is not one."""
    digits = re.sub(r'[\s\-().]', '', text or '')
    if digits.startswith('+'):
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if digits.startswith('0'):
        digits = '62' + digits[1:]
    elif digits.startswith('8'):
        digits = '62' + digits
    if not digits.startswith('62'):
        return None
    national = digits[2:]
    # mobile numbers start with 8 (08xx); landlines carry an area code (e.g. 0286 for Wonosobo)
    if not (national[:1] in '23456789' and 9 <= len(national) <= 12):
        return None
    return digits


def format_phone(normalised: str) -> str:
    """``62812345678`` as ``0812-345-678`` style for people to read."""
    national = '0' + normalised[2:]
    return f'{national[:4]}-{national[4:8]}-{national[8:]}'.rstrip('-')


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text)) and len(text) <= 200


def clean_text(text: str | None) -> str:
    """Trim and drop control characters other than newlines and tabs."""
    return ''.join(ch for ch in (text or '') if ch in '\n\t' or ch.isprintable()).strip()
