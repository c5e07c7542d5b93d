"""Open311 GeoReport v2 behaviour beyond what the pages share (issue 12 §4): the extra fields a partner posts,
the updates feed (FixMyStreet's ``servicerequestupdates``), the allowed browser origins (CORS) and the
per-key request limit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from models import AppSetting, Privacy, Role, Status, TimelineEvent

from . import clock, sessions
from .actor import Actor
from .errors import RateLimited, ValidationFailed
from .ratelimit import RateLimit, wait_text
from .validation import clean_text

MEDIA_URL_MAX = 500
DEVICE_ID_MAX = 100
ACCOUNT_ID_MAX = 100


def check_extras(*, media_url: str | None, device_id: str | None, account_id: str | None,
                 ) -> tuple[dict[str, str | None], dict[str, str]]:
    """``media_url`` (an http(s) link, stored as given, never fetched), ``device_id`` and ``account_id``
    cleaned, and the problems by field."""
    errors: dict[str, str] = {}
    clean: dict[str, str | None] = {}
    link = (media_url or '').strip()
    if link:
        parts = urlsplit(link) if len(link) <= MEDIA_URL_MAX else None
        if parts is None:
            errors['media_url'] = f'maksimal {MEDIA_URL_MAX} karakter.'
        elif parts.scheme.lower() not in ('http', 'https') or not parts.netloc or any(
                c.isspace() or not c.isprintable() for c in link):
            errors['media_url'] = 'harus berupa tautan http:// atau https://.'
    clean['media_url'] = link or None if 'media_url' not in errors else None
    for name, value, bound in (('device_id', device_id, DEVICE_ID_MAX), ('account_id', account_id, ACCOUNT_ID_MAX)):
        text = clean_text(value)
        if len(text) > bound:
            errors[name] = f'maksimal {bound} karakter.'
        clean[name] = text or None
    return clean, errors


# --- Updates (FixMyStreet's servicerequestupdates extension) ---

@dataclass(frozen=True, slots=True)
class Update:
    update_id: int
    code: str
    status: Status
    updated_at: datetime
    description: str


async def updates(*, start: datetime, end: datetime, limit: int, offset: int = 0) -> list[Update]:
    """The public timeline events of every listed complaint (never a rahasia one) between ``start`` and ``end``,
    oldest first, so a follower reads forward. An event without a state of its own carries the complaint's state
    as it is now."""
    rows = await TimelineEvent.filter(is_public=True, created_at__gte=start, created_at__lte=end).exclude(
        complaint__privacy=Privacy.RAHASIA).order_by('created_at', 'id').offset(offset).limit(limit).values_list(
        'id', 'complaint__code', 'status', 'complaint__status', 'created_at', 'message')
    return [Update(update_id=row[0], code=row[1], status=Status(row[2] or row[3]), updated_at=row[4],
                   description=row[5]) for row in rows]


# --- Browser origins allowed to call the API (CORS) ---

CORS_ORIGINS = 'open311_cors_origins'
MAX_ORIGINS = 20
_MAX_AGE = 30.0  # seconds: a list changed by another app instance holds here within this
_origins: dict[str, tuple[float, frozenset[str]]] = {}


def _origin(text: str) -> str | None:
    """``scheme://host[:port]`` as a browser sends it in ``Origin``, or None when ``text`` is not one."""
    text = text.strip().rstrip('/')
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ('http', 'https') or not parts.hostname or parts.path or parts.query or parts.fragment:
        return None
    if parts.username or parts.password or port == 0:
        return None
    return f'{parts.scheme}://{parts.netloc.lower()}'  # as browsers send it: [::1] keeps its brackets


async def allowed_origins() -> frozenset[str]:
    """The origins whose browser apps may call the API (none until a supervisor names some)."""
    hit = _origins.get(CORS_ORIGINS)
    if hit is None or time.monotonic() - hit[0] > _MAX_AGE:
        row = await AppSetting.get_or_none(key=CORS_ORIGINS)
        hit = _origins[CORS_ORIGINS] = (time.monotonic(), frozenset((row.value if row else '').split()))
    return hit[1]


async def origin_allowed(origin: str) -> bool:
    normal = _origin(origin)
    return normal is not None and normal in await allowed_origins()


def forget() -> None:
    """Drop cached values (a test's fresh database)."""
    _origins.clear()
    _key_limits.clear()


async def _supervisor(actor: Actor) -> Actor:
    return await sessions.verify_role(
        actor, (Role.SUPERVISOR,), 'Maaf, pengaturan ini hanya dapat diubah oleh supervisor.')


async def cors_origins(actor: Actor) -> list[str]:
    await _supervisor(actor)
    _origins.clear()
    return sorted(await allowed_origins())


async def set_cors_origins(actor: Actor, text: str) -> list[str]:
    """Store the allowed origins typed one a line (or separated by spaces or commas); ValidationFailed names the
    first that is not an origin."""
    actor = await _supervisor(actor)
    given = [part for part in text.replace(',', ' ').split() if part]
    if len(text) > 5000 or len(given) > MAX_ORIGINS:
        raise ValidationFailed({'origins': f'Paling banyak {MAX_ORIGINS} asal.'})
    origins = []
    for part in given:
        origin = _origin(part)
        if origin is None:
            raise ValidationFailed({'origins': f'"{part[:80]}" bukan asal yang sah. Tulis seperti '
                                               'https://aplikasi.contoh.id (tanpa jalur).'})
        origins.append(origin)
    value = ' '.join(sorted(set(origins)))
    await AppSetting.update_or_create(key=CORS_ORIGINS, defaults={
        'value': value, 'updated_at': clock.now(), 'updated_by': actor.username[:60]})
    _origins.clear()
    return sorted(set(origins))


# --- Per-key request limit ---

KEY_WINDOW = 60.0  # seconds: a key's limit is requests per minute
_key_limits: dict[str, RateLimit] = {}


def count_key_request(key_hash: str, per_minute: int) -> None:
    """Count one request of the key (by its hash: unique for ever, unlike an id) before its work; RateLimited
    (with the wait) past its limit."""
    limit = _key_limits.get(key_hash)
    if limit is None:
        if len(_key_limits) > 10_000:  # revoked keys' counters go now and then
            _key_limits.clear()
        limit = _key_limits[key_hash] = RateLimit(per_minute, KEY_WINDOW)
    limit.limit = per_minute
    if wait := limit.reserve(key_hash):
        raise RateLimited(f'Batas permintaan kunci API ini ({per_minute} per menit) tercapai. Silakan coba lagi '
                          f'dalam {wait_text(wait)}.', wait)

