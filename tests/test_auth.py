"""Staff logins: argon2 passwords, the throttle and lockout, the first supervisor, and the CLI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from models import Role, User
from services import auth
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


async def test_after_five_failures_tries_wait_longer_and_after_ten_they_are_refused():
    await auth.create_user(username='viewer1', password='sandi-panjang-1', role='viewer')
    for _ in range(5):
        assert auth.throttle.check('user:viewer1', 'addr:10.0.0.3') == 0
        with pytest.raises(DomainError):
            await auth.login(username='viewer1', password='salah', address='10.0.0.3')
    delays = []
    for _ in range(5):
        delays.append(auth.throttle.check('user:viewer1', 'addr:10.0.0.3'))
        with pytest.raises(DomainError):
            await auth.login(username='viewer1', password='salah', address='10.0.0.3')
    assert delays == sorted(delays) and delays[0] > 0 and delays[-1] > delays[0]
    with pytest.raises(RateLimited) as caught:  # locked: even the right password is refused
        await auth.login(username='viewer1', password='sandi-panjang-1', address='10.0.0.4')
    assert '15 menit' in caught.value.message
    with pytest.raises(RateLimited):  # and the address is locked for other names too
        await auth.login(username='admin', password='rahasia-admin-123', address='10.0.0.3')


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
