"""Staff accounts: passwords (argon2), the login throttle, and the first supervisor.

After 5 failed logins for one username or one address each further try waits longer (1 s, 2 s,
4 s, ...); after 10, that username and that address are refused for 15 minutes.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from models import Agency, Role, User

from . import clock
from .errors import DomainError, NotFound, RateLimited
from .ratelimit import wait_text
from .settings import settings
from .workflow import Actor

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash('no such user')  # verified against for unknown names: same time as a real check

SLOW_AFTER = 5
LOCK_AFTER = 10
LOCK_SECONDS = 15 * 60
MIN_PASSWORD = 10


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0


@dataclass
class LoginThrottle:
    """Failed logins counted per username and per address (in memory, one process)."""

    by_key: dict[str, _Failures] = field(default_factory=dict)

    def _get(self, key: str) -> _Failures:
        entry = self.by_key.setdefault(key, _Failures())
        if entry.last and time.monotonic() - entry.last > LOCK_SECONDS:  # quiet for a while: forgive
            entry.count, entry.locked_until = 0, 0.0
        return entry

    def check(self, *keys: str) -> float:
        """Seconds this try must wait first; raises RateLimited while locked."""
        now = time.monotonic()
        delay = 0.0
        for key in keys:
            entry = self._get(key)
            if entry.locked_until > now:
                wait = int(entry.locked_until - now) + 1
                raise RateLimited(f'Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {wait_text(wait)}.',
                                  wait)
            if entry.count >= SLOW_AFTER:
                delay = max(delay, min(2.0 ** (entry.count - SLOW_AFTER), 30.0))
        return delay

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            entry = self._get(key)
            entry.count += 1
            entry.last = now
            if entry.count >= LOCK_AFTER:
                entry.locked_until = now + LOCK_SECONDS

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self.by_key.pop(key, None)


throttle = LoginThrottle()
_pause = asyncio.sleep  # the growing wait; tests assert it instead of waiting it out


def actor_of(user: User) -> Actor:
    agency = user.agency if user.agency_id and isinstance(user.agency, Agency) else None
    return Actor(user_id=user.id, username=user.username, name=user.full_name or user.username, role=user.role,
                 agency_id=user.agency_id, agency_name=agency.short_name if agency else None)


async def login(*, username: str, password: str, address: str | None) -> Actor:
    """The actor behind valid credentials; raises DomainError (wrong) or RateLimited (throttled)."""
    username = (username or '').strip().lower()
    keys = (f'user:{username}', f'addr:{address or "-"}')
    delay = throttle.check(*keys)
    if delay:
        await _pause(delay)
    user = await User.get_or_none(username=username, active=True).select_related('agency')
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or '')
        if user is None:
            raise VerifyMismatchError
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        throttle.failed(*keys)
        raise DomainError('Nama pengguna atau kata sandi salah.') from None
    throttle.succeeded(*keys)
    user.last_login_at = clock.now()
    await user.save(update_fields=['last_login_at'])
    return actor_of(user)


async def actor(user_id: int) -> Actor | None:
    """The current actor for a session's user id (None when deactivated or gone)."""
    user = await User.get_or_none(id=user_id, active=True).select_related('agency')
    return actor_of(user) if user else None


async def create_user(*, username: str, password: str, role: Role | str, agency_code: str | None = None,
                      full_name: str = '') -> User:
    """A new staff account; an ``opd_admin`` must name its OPD, other roles must not."""
    username = check_username(username)
    try:
        role = Role(role)
    except ValueError:
        raise DomainError(f'Peran tidak dikenal. Pilih: {", ".join(r.value for r in Role)}.') from None
    agency = None
    if role == Role.OPD_ADMIN:
        agency = await Agency.get_or_none(code=(agency_code or '').upper())
        if agency is None:
            raise DomainError('Admin OPD harus terikat pada satu OPD yang dikenal (--opd KODE).')
    elif agency_code:
        raise DomainError('Hanya admin OPD yang terikat pada OPD.')
    check_password(password)
    if await User.exists(username=username):
        raise DomainError(f'Pengguna "{username}" sudah ada.')
    return await User.create(username=username, full_name=full_name.strip(), role=role, agency=agency,
                             password_hash=_hasher.hash(password), password_changed_at=clock.now())


async def set_password(*, username: str, password: str) -> None:
    check_password(password)
    if not await User.filter(username=username.strip().lower()).update(password_hash=_hasher.hash(password),
                                                                       password_changed_at=clock.now()):
        raise NotFound(f'Pengguna "{username}" tidak ditemukan.')


def check_username(username: str) -> str:
    """The username as stored (trimmed, lower case); raises DomainError when it is not a valid one."""
    username = (username or '').strip().lower()
    if not username.replace('.', '').replace('_', '').replace('-', '').isalnum() or not 3 <= len(username) <= 60:
        raise DomainError('Nama pengguna 3–60 karakter: huruf, angka, titik, garis bawah atau tanda hubung.')
    return username


def check_password(password: str) -> None:
    if len(password or '') < MIN_PASSWORD:
        raise DomainError(f'Kata sandi minimal {MIN_PASSWORD} karakter.')


async def ensure_first_supervisor() -> str | None:
    """Create the supervisor ``admin`` when there are no staff yet. Returns a generated password (to print
    once) or None when the password came from settings or the account already existed."""
    if await User.exists():
        return None
    generated = None if settings.admin_password else secrets.token_urlsafe(12)
    await create_user(username='admin', password=settings.admin_password or generated or '',
                      role=Role.SUPERVISOR, full_name='Supervisor Diskominfo')
    return generated
