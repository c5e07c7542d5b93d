"""Staff logins: argon2 passwords, the throttle and lockout, the first supervisor, and the CLI."""

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from models import Role, User
from services import auth, notifications
from services.errors import DomainError, RateLimited

pytestmark = pytest.mark.usefixtures('database')
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, 'throttle', auth.LoginThrottle())
    monkeypatch.setattr(auth, '_pause', _no_sleep)  # the growing wait is asserted, not waited out


async def _no_sleep(_seconds: float) -> None:
    return None


async def test_first_start_creates_one_supervisor_with_the_configured_password():
    assert await auth.ensure_first_supervisor() is None  # LAPOR_ADMIN_PASSWORD is set in conftest
    assert await auth.ensure_first_supervisor() is None
    admin = await User.get(username='admin')
    assert admin.role == Role.SUPERVISOR and admin.password_hash.startswith('$argon2')
    actor = await auth.login(username='admin', password='rahasia-admin-123', address='10.0.0.1')
    assert actor.role == Role.SUPERVISOR


async def test_opd_admin_is_bound_to_its_opd():
    with pytest.raises(DomainError):
        await auth.create_user(username='dpupr', password='sandi-panjang-1', role='opd_admin')
    await auth.create_user(username='dpupr', password='sandi-panjang-1', role='opd_admin', agency_code='DPUPR')
    actor = await auth.login(username='DPUPR', password='sandi-panjang-1', address=None)
    assert actor.agency_name == 'DPUPR' and actor.agency_id is not None


async def test_wrong_password_and_unknown_user_get_the_same_message():
    await auth.create_user(username='operator1', password='sandi-panjang-1', role='operator')
    messages = set()
    for name in ('operator1', 'tidakada'):
        with pytest.raises(DomainError) as caught:
            await auth.login(username=name, password='salah-salah', address='10.0.0.2')
        messages.add(caught.value.message)
    assert messages == {'Nama pengguna atau kata sandi salah.'}


async def _try(username: str, password: str, address: str, **kwargs) -> str:
    """'ok', 'wrong' or 'refused': what the person at the login form would read."""
    try:
        await auth.login(username=username, password=password, address=address, **kwargs)
    except RateLimited:
        return 'refused'
    except DomainError:
        return 'wrong'
    return 'ok'


async def test_after_five_failures_tries_wait_longer_and_after_ten_that_address_is_refused(monkeypatch):
    await auth.create_user(username='viewer1', password='sandi-panjang-1', role='viewer')
    waits: list[float] = []
    monkeypatch.setattr(auth, '_pause', lambda seconds: _record(waits, seconds))
    assert [await _try('viewer1', 'salah', '10.0.0.3') for _ in range(10)] == ['wrong'] * 10
    assert waits == [1, 2, 4, 8, 16]  # tries 6 to 10 waited longer and longer
    with pytest.raises(RateLimited) as caught:  # locked for this address: even the right password is refused
        await auth.login(username='viewer1', password='sandi-panjang-1', address='10.0.0.3')
    assert '15 menit' in caught.value.message
    assert await _try('viewer1', 'sandi-panjang-1', '10.0.0.4') == 'ok'  # the owner elsewhere is not locked out


async def _record(waits: list[float], seconds: float) -> None:
    waits.append(seconds)


async def test_a_burst_of_wrong_passwords_gets_no_more_checks_than_a_sequence():
    await auth.create_user(username='operator2', password='sandi-panjang-1', role='operator')
    answers = await asyncio.gather(*(_try('operator2', f'tebakan-{i}', '10.0.0.5') for i in range(30)))
    assert answers.count('wrong') == auth.LOCK_AFTER  # ten checked, as ten tries one after another
    assert answers.count('refused') == 30 - auth.LOCK_AFTER


async def test_one_address_guessing_many_accounts_is_refused_after_thirty():
    answers = [await _try(f'nama{i}', 'salah', '10.0.0.6') for i in range(auth.ADDRESS_LOCK_AFTER + 3)]
    assert answers == ['wrong'] * auth.ADDRESS_LOCK_AFTER + ['refused'] * 3


async def test_guessing_one_account_from_many_addresses_slows_down_but_never_locks_its_owner_out(monkeypatch):
    await auth.create_user(username='dinkes2', password='sandi-panjang-1', role='opd_admin', agency_code='DINKES')
    waits: list[float] = []
    monkeypatch.setattr(auth, '_pause', lambda seconds: _record(waits, seconds))
    answers = [await _try('dinkes2', 'salah', f'10.1.0.{i % 12}') for i in range(30)]
    assert answers == ['wrong'] * 30  # no single address reached its own limit
    assert waits == sorted(waits) and waits[-1] == auth.ACCOUNT_MAX_DELAY  # but each try waited longer
    waits.clear()
    assert await _try('dinkes2', 'sandi-panjang-1', '10.2.0.1') == 'ok'  # the owner from anywhere: slowed only
    assert waits == [auth.ACCOUNT_MAX_DELAY]
    for i in range(12):
        await _try('dinkes2', 'salah', f'10.1.0.{i}')
    waits.clear()
    assert await _try('dinkes2', 'sandi-panjang-1', '10.2.0.2', trusted=True) == 'ok'  # the owner's own browser
    assert waits == []  # ... was not slowed at all


async def test_the_owner_and_the_supervisors_hear_of_failed_logins_once():
    owner = await auth.create_user(username='dpupr2', password='sandi-panjang-1', role='opd_admin',
                                   agency_code='DPUPR')
    for i in range(auth.ACCOUNT_SLOW_AFTER + 5):
        await _try('dpupr2', 'salah', f'10.3.0.{i}')
    admin = await User.get(username='admin')
    for user in (owner, admin):
        [notice] = await notifications.unread(user_id=user.id)
        assert notice.kind == 'login_failed'
        assert 'dpupr2' in notice.message and 'bukan Anda' in notice.message


async def test_password_checks_run_off_the_event_loop_a_few_at_a_time(monkeypatch):
    threads, running, most = set(), [0], [0]
    checked = auth._matches

    def watched(password_hash: str, password: str) -> bool:
        threads.add(threading.get_ident())
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            return checked(password_hash, password)
        finally:
            running[0] -= 1

    monkeypatch.setattr(auth, '_matches', watched)
    await asyncio.gather(*(_try(f'orang{i}', 'salah', f'10.4.0.{i}') for i in range(8)))
    assert threading.get_ident() not in threads  # the event loop's thread never ran argon2
    assert 1 <= most[0] <= auth.HASHING_AT_ONCE


def test_cli_creates_users_and_changes_passwords(tmp_path):
    env = {**os.environ, 'LAPOR_DATA_DIR': str(tmp_path), 'LAPOR_DB_URL': f'sqlite://{tmp_path}/db.sqlite3'}

    def cli(*args: str, password: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, 'main.py', 'user', *args], cwd=ROOT, env=env, input=f'{password}\n',
                              capture_output=True, text=True, timeout=60, check=False)

    done = cli('create', 'dinkes1', '--role', 'opd_admin', '--opd', 'DINKES', password='sandi-dinkes-1')
    assert done.returncode == 0, done.stderr
    assert 'dibuat' in done.stdout
    done = cli('create', 'tanpa-opd', '--role', 'opd_admin', password='sandi-panjang-1')
    assert done.returncode == 1 and 'terikat pada satu OPD' in done.stderr
    done = cli('password', 'dinkes1', password='pendek')
    assert done.returncode == 1 and 'minimal 10 karakter' in done.stderr
    done = cli('password', 'dinkes1', password='sandi-baru-dinkes')
    assert done.returncode == 0, done.stderr
