"""Field rules shared by the submit page, the API and the services."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models import Privacy

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


@dataclass(frozen=True, slots=True)
class ComplaintFields:
    """A complaint's typed fields, cleaned."""

    description: str
    title: str | None
    reporter_name: str | None
    phone: str | None
    email: str | None
    village: str | None
    address: str | None
    privacy: Privacy
    latitude: float | None
    longitude: float | None


def check_complaint_fields(*, web: bool, description: str, title: str | None, reporter_name: str | None,
                           reporter_phone: str | None, reporter_email: str | None, village: str | None,
                           address: str | None, privacy: Privacy | str, latitude: float | None,
                           longitude: float | None, consent: bool) -> tuple[ComplaintFields, dict[str, str]]:
    """Clean the typed fields and collect a message per wrong one. The web form (``web``) must name a
    title, the reporter's name and phone, and give consent; other channels may leave them out."""
    errors: dict[str, str] = {}
    description = clean_text(description)
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors['description'] = (f'Uraian aduan minimal {DESCRIPTION_MIN} karakter agar petugas bisa memahaminya.'
                                 if len(description) < DESCRIPTION_MIN
                                 else f'Uraian aduan maksimal {DESCRIPTION_MAX} karakter.')
    title = _optional(errors, 'title', title, maximum=TITLE_MAX, label='Judul',
                      required='Tuliskan judul singkat aduan.' if web else None)
    name = _optional(errors, 'reporter_name', reporter_name, maximum=NAME_MAX, label='Nama',
                     required='Tuliskan nama Anda.' if web else None)
    phone = normalise_phone(reporter_phone) if (reporter_phone or '').strip() else None
    if phone is None and (reporter_phone or '').strip():
        errors['reporter_phone'] = 'Nomor HP tidak valid. Contoh: 0812 3456 7890 atau +62 812 3456 7890.'
    elif phone is None and web:
        errors['reporter_phone'] = 'Tuliskan nomor HP agar petugas bisa menghubungi Anda.'
    email = clean_text(reporter_email) or None
    if email is not None and not is_email(email):
        errors['reporter_email'] = 'Alamat email tidak valid. Contoh: nama@contoh.id'
    if (latitude, longitude) != (None, None) and not _valid_point(latitude, longitude):
        errors['location'] = 'Koordinat lokasi tidak valid.'
    if web and not consent:
        errors['consent'] = 'Centang persetujuan untuk mengirim aduan.'
    try:
        privacy = Privacy(privacy)
    except ValueError:
        errors['privacy'] = 'Pilih salah satu pilihan privasi: publik, anonim atau rahasia.'
        privacy = Privacy.PUBLIK
    fields = ComplaintFields(description=description, title=title, reporter_name=name, phone=phone, email=email,
                             village=clean_text(village)[:100] or None, address=clean_text(address)[:300] or None,
                             privacy=privacy, latitude=latitude, longitude=longitude)
    return fields, errors


def _optional(errors: dict[str, str], key: str, text: str | None, *, maximum: int, required: str | None,
              label: str) -> str | None:
    value = clean_text(text) or None
    if value is None and required:
        errors[key] = required
    elif value is not None and len(value) > maximum:
        errors[key] = f'{label} maksimal {maximum} karakter.'
    return value


def _valid_point(latitude: float | None, longitude: float | None) -> bool:
    return latitude is not None and longitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180
