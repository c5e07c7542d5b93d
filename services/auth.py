"""Staff accounts: passwords (argon2), the login throttle, and the first supervisor.

The throttle counts every attempt before its password is checked, in one synchronous step, so a burst
of simultaneous tries gets no more checks than the same tries one after another:

- per account and address: after 5 failures each further try waits longer (1 s, 2 s, 4 s, ...); after
  10, that address is refused for that account for 15 minutes (the owner elsewhere is not);
- per address: after 30 failures over any accounts, the address is refused for 15 minutes;
- per account from every address: after 10 failures each try from a browser the account has not signed
  in from waits longer (up to 30 s): guessing from many addresses slows down, but never locks the owner
  out, and the owner's own browser is not slowed at all. The owner and the supervisors get a notice.

Each argon2 check (about 140 ms of CPU) runs in a worker thread, at most ``HASHING_AT_ONCE`` at a time, so
a burst of logins never stalls the event loop that serves everyone else.
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from models import Agency, Role, User

from . import clock, notifications, sessions
from .actor import Actor
from .errors import DomainError, NotFound, RateLimited
from .ratelimit import wait_text
from .sessions import actor_of
from .settings import settings

log = logging.getLogger(__name__)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash('no such user')  # verified against for unknown names: same time as a real check

SLOW_AFTER = 5  # per account and address
LOCK_AFTER = 10
ADDRESS_LOCK_AFTER = 30  # per address, over every account
ACCOUNT_SLOW_AFTER = 10  # per account, over every address
ACCOUNT_MAX_DELAY = 30.0
LOCK_SECONDS = 15 * 60  # also how long a quiet counter is remembered
MIN_PASSWORD = 10
HASHING_AT_ONCE = 2  # argon2 checks in worker threads at once: the machine's cores
MAX_KEYS = 50_000  # counters kept before quiet ones are forgotten (spraying many names must not grow memory)
_LOCKED = 'Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {}.'
_hashing: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None
T = TypeVar('T')


@dataclass
class _Counter:
    attempts: int = 0  # counted when a try starts, given back when it succeeds
    last: float = 0.0
    locked_until: float = 0.0
    addresses: set[str] = field(default_factory=set)
    notified: bool = False


@dataclass
class LoginThrottle:
    """Login attempts counted per account and address, per address and per account (memory, one process)."""

    by_key: dict[str, _Counter] = field(default_factory=dict)

    def _get(self, key: str, now: float) -> _Counter:
        entry = self.by_key.get(key)
        if entry is None:
            if len(self.by_key) >= MAX_KEYS:
                self.by_key = {k: v for k, v in self.by_key.items() if now - v.last <= LOCK_SECONDS}
            entry = self.by_key[key] = _Counter()
        elif now - entry.last > LOCK_SECONDS and entry.locked_until <= now:  # quiet for a while: forgiven
            entry.attempts, entry.notified = 0, False
            entry.addresses.clear()
        return entry

    def begin(self, username: str, address: str, *, trusted: bool = False) -> float:
        """Count one attempt now, before its check; the seconds it must wait first. RateLimited while refused."""
        now = time.monotonic()
        pair = self._get(f'pair:{username}|{address}', now)
        by_address = self._get(f'addr:{address}', now)
        account = self._get(f'user:{username}', now)
        for entry, limit in ((pair, LOCK_AFTER), (by_address, ADDRESS_LOCK_AFTER)):
            if entry.locked_until <= now and entry.attempts >= limit:
                entry.locked_until = now + LOCK_SECONDS
            if entry.locked_until > now:
                wait = max(1, math.ceil(entry.locked_until - now - 1e-6))  # float noise must not add a minute
                raise RateLimited(_LOCKED.format(wait_text(wait)), wait)
        delay = 2.0 ** (pair.attempts - SLOW_AFTER) if pair.attempts >= SLOW_AFTER else 0.0
        if not trusted and account.attempts >= ACCOUNT_SLOW_AFTER:
            delay = max(delay, min(2.0 ** (account.attempts - ACCOUNT_SLOW_AFTER), ACCOUNT_MAX_DELAY))
        for entry in (pair, by_address, account):
            entry.attempts += 1
            entry.last = now
        account.addresses.add(address)
        return delay

    def failed(self, username: str) -> tuple[int, int] | None:
        """After a wrong password: (failures, addresses) once the account passes ACCOUNT_SLOW_AFTER, to notify
        about (once per quiet period); else None."""
        account = self._get(f'user:{username}', time.monotonic())
        if account.attempts >= ACCOUNT_SLOW_AFTER and not account.notified:
            account.notified = True
            return account.attempts, len(account.addresses)
        return None

    def succeeded(self, username: str, address: str) -> None:
        now = time.monotonic()
        self.by_key.pop(f'pair:{username}|{address}', None)
        for key in (f'addr:{address}', f'user:{username}'):  # the right password is not a failure
            entry = self._get(key, now)
            entry.attempts = max(0, entry.attempts - 1)


throttle = LoginThrottle()
_pause = asyncio.sleep  # the growing wait; tests assert it instead of waiting it out


async def _in_worker(function: Callable[..., T], *args: Any) -> T:
    global _hashing  # noqa: PLW0603
    loop = asyncio.get_running_loop()
    if _hashing is None or _hashing[0] is not loop:  # a semaphore belongs to one event loop (tests run several)
        _hashing = (loop, asyncio.Semaphore(HASHING_AT_ONCE))
    async with _hashing[1]:
        return await asyncio.to_thread(function, *args)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    return await _in_worker(_hasher.hash, password)


async def login(*, username: str, password: str, address: str | None, trusted: bool = False) -> Actor:
    """The actor behind valid credentials; raises DomainError (wrong) or RateLimited (throttled).

    ``trusted``: the browser has signed in to this account before (the account-wide slowdown skips it).
    """
    username = (username or '').strip().lower()[:60]
    address = address or '-'
    delay = throttle.begin(username, address, trusted=trusted)
    if delay:
        await _pause(delay)
    user = await User.get_or_none(username=username, active=True).select_related('agency')
    if not await _in_worker(_matches, user.password_hash if user else _DUMMY_HASH, (password or '')[:1000]) \
            or user is None:
        if (tally := throttle.failed(username)) is not None and user is not None:
            await _notify_failures(user, *tally)
        raise DomainError('Nama pengguna atau kata sandi salah.')
    throttle.succeeded(username, address)
    user.last_login_at = clock.now()
    await user.save(update_fields=['last_login_at'])
    return actor_of(user)


async def _notify_failures(user: User, failures: int, addresses: int) -> None:
    message = (f'Ada {failures} percobaan masuk yang gagal ke akun "{user.username}" dari {addresses} alamat dalam '
               '15 menit terakhir. Bila itu bukan Anda, segera ganti kata sandi.')
    log.warning('%s failed logins for %s from %s addresses', failures, user.username, addresses)
    await notifications.notify_users([user.id], kind='login_failed', message=message)
    await notifications.notify_supervisors(kind='login_failed', message=message, complaint_id=None,
                                           except_user=user.id)


async def actor(user_id: int) -> Actor | None:
    """The actor for a user id (None when deactivated or gone), without a session: for the CLI and the bench."""
    user = await User.get_or_none(id=user_id, active=True).select_related('agency')
    return actor_of(user) if user else None


async def create_user(*, username: str, password: str, role: Role | str, agency_code: str | None = None,
                      full_name: str = '', email: str | None = None) -> User:
    """A new staff account; an ``opd_admin`` must name its OPD, other roles must not. ``email`` (optional, checked
    by the caller) gets the member's notices by email too."""
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
    user = await User.create(username=username, full_name=full_name.strip(), role=role, agency=agency,
                             email=email or None, password_hash=await hash_password(password),
                             password_changed_at=clock.now())
    notifications.forget_recipients()
    return user


async def set_password(*, username: str, password: str, keep_session: int | None = None) -> None:
    """A new password; the member's sessions end (but ``keep_session``, the one that changed it)."""
    check_password(password)
    user = await User.get_or_none(username=username.strip().lower())
    if user is None:
        raise NotFound(f'Pengguna "{username}" tidak ditemukan.')
    await User.filter(id=user.id).update(password_hash=await hash_password(password), password_changed_at=clock.now())
    await sessions.end_all(user.id, reason='password', keep=keep_session)


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
