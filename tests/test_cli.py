"""The operator's shell commands (`python main.py migrate`, `python main.py apikey ...`), run as real
processes against a SQLite file in a fresh data folder."""

import os
import queue
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

import cli
from services import apikeys, clock, db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / 'data'  # not created: the commands must make it themselves


def _database(data_dir: Path) -> Path:
    return data_dir / 'lapor.sqlite3'


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, 'LAPOR_DATA_DIR': str(data_dir), 'LAPOR_DB_URL': f'sqlite://{_database(data_dir)}'}


def _lapor(data_dir: Path, *args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, 'main.py', *args], cwd=ROOT, env=_env(data_dir), input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _query(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(_database(data_dir)) as connection:
        return connection.execute(sql).fetchall()


def _created_key(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    [raw] = [line for line in result.stdout.splitlines() if line.startswith(apikeys.KEY_PREFIX)]
    return raw


def test_migrate_on_a_fresh_data_dir_creates_the_database_with_kecamatan_and_categories(data_dir):
    result = _lapor(data_dir, 'migrate')
    assert result.returncode == 0, result.stderr
    assert 'Basis data mutakhir' in result.stdout
    assert _database(data_dir).is_file()
    districts = [name for (name,) in _query(data_dir, 'SELECT name FROM district')]
    assert len(districts) == 15 and 'Kertek' in districts and 'Kejajar' in districts
    assert _query(data_dir, 'SELECT count(*) FROM category') == [(22,)]
    # every category but "Lainnya" is routed to an OPD
    assert _query(data_dir, 'SELECT code FROM category WHERE agency_id IS NULL') == [('LAINNYA',)]


def test_migrate_again_changes_nothing(data_dir):
    assert _lapor(data_dir, 'migrate').returncode == 0
    _query(data_dir, "UPDATE category SET name = 'Jalan dan trotoar' WHERE code = 'JALAN'")  # a supervisor's edit
    result = _lapor(data_dir, 'migrate')
    assert result.returncode == 0, result.stderr
    assert _query(data_dir, 'SELECT count(*) FROM district') == [(15,)]
    assert _query(data_dir, 'SELECT count(*) FROM category') == [(22,)]
    assert _query(data_dir, "SELECT name FROM category WHERE code = 'JALAN'") == [('Jalan dan trotoar',)]


def test_apikey_create_prints_the_key_once_and_the_database_keeps_only_its_hash(data_dir):
    result = _lapor(data_dir, 'apikey', 'create', 'mitra-x')
    raw = _created_key(result)
    assert result.stdout.count(raw) == 1
    assert 'mitra-x' in result.stdout and 'tidak akan ditampilkan lagi' in result.stdout
    [row] = _query(data_dir, 'SELECT * FROM api_key')
    assert 'mitra-x' in row
    assert not [value for value in row if isinstance(value, str) and raw in value]
    for path in data_dir.iterdir():  # the database and any journal beside it
        assert raw.encode() not in path.read_bytes(), path.name


def test_two_keys_are_different(data_dir):
    first = _created_key(_lapor(data_dir, 'apikey', 'create', 'mitra-a'))
    second = _created_key(_lapor(data_dir, 'apikey', 'create', 'mitra-b'))
    assert first != second


async def test_printed_key_opens_the_api_until_it_is_revoked(data_dir):
    raw = _created_key(_lapor(data_dir, 'apikey', 'create', 'mitra-x'))
    async with db.open_database(f'sqlite://{_database(data_dir)}'):
        key = await apikeys.verify(raw)
        assert key is not None and key.name == 'mitra-x'
        used = clock.local(key.last_used_at)
    listed = _lapor(data_dir, 'apikey', 'list').stdout
    assert f'terakhir dipakai: {used:%d-%m-%Y %H:%M} WIB' in listed  # the operator reads local time
    result = _lapor(data_dir, 'apikey', 'revoke', 'mitra-x')
    assert result.returncode == 0, result.stderr
    assert 'dicabut' in result.stdout
    async with db.open_database(f'sqlite://{_database(data_dir)}'):
        assert await apikeys.verify(raw) is None


def test_apikey_list_shows_each_key_by_name_prefix_and_state_but_never_the_key(data_dir):
    raw = _created_key(_lapor(data_dir, 'apikey', 'create', 'mitra-x'))
    _created_key(_lapor(data_dir, 'apikey', 'create', 'aplikasi-desa'))
    result = _lapor(data_dir, 'apikey', 'list')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split('\t')[0] for line in lines] == ['aplikasi-desa', 'mitra-x']
    assert raw[:10] in lines[1] and 'aktif' in lines[1] and 'terakhir dipakai: -' in lines[1]
    assert raw not in result.stdout

    assert _lapor(data_dir, 'apikey', 'revoke', 'mitra-x').returncode == 0
    lines = _lapor(data_dir, 'apikey', 'list').stdout.splitlines()
    assert 'dicabut' in lines[1] and 'aktif' in lines[0]


def test_apikey_list_on_an_empty_database_says_there_are_none(data_dir):
    result = _lapor(data_dir, 'apikey', 'list')
    assert result.returncode == 0, result.stderr
    assert 'Belum ada kunci API' in result.stdout


def test_duplicate_name_fails_with_a_clear_message_and_exit_code_1(data_dir):
    _created_key(_lapor(data_dir, 'apikey', 'create', 'mitra-x'))
    result = _lapor(data_dir, 'apikey', 'create', 'mitra-x')
    assert result.returncode == 1
    assert 'Kunci API bernama "mitra-x" sudah ada' in result.stderr
    assert 'Traceback' not in result.stderr
    assert apikeys.KEY_PREFIX not in result.stdout  # no second key printed
    assert _query(data_dir, 'SELECT count(*) FROM api_key') == [(1,)]


def test_revoked_name_cannot_be_reused_and_the_message_says_why(data_dir):
    _created_key(_lapor(data_dir, 'apikey', 'create', 'mitra-x'))
    assert _lapor(data_dir, 'apikey', 'revoke', 'mitra-x').returncode == 0
    result = _lapor(data_dir, 'apikey', 'create', 'mitra-x')
    assert result.returncode == 1
    assert 'sudah dicabut' in result.stderr and 'Pilih nama lain' in result.stderr


def test_revoking_an_unknown_or_already_revoked_key_fails_with_exit_code_1(data_dir):
    result = _lapor(data_dir, 'apikey', 'revoke', 'tidak-ada')
    assert result.returncode == 1
    assert 'Kunci API aktif bernama "tidak-ada" tidak ditemukan' in result.stderr
    _created_key(_lapor(data_dir, 'apikey', 'create', 'mitra-x'))
    assert _lapor(data_dir, 'apikey', 'revoke', 'mitra-x').returncode == 0
    assert _lapor(data_dir, 'apikey', 'revoke', 'mitra-x').returncode == 1


def test_blank_name_is_refused(data_dir):
    result = _lapor(data_dir, 'apikey', 'create', '   ')
    assert result.returncode == 1
    assert 'wajib diisi' in result.stderr
    assert _query(data_dir, 'SELECT count(*) FROM api_key') == [(0,)]


def test_apikey_without_an_action_shows_usage(data_dir):
    result = _lapor(data_dir, 'apikey')
    assert result.returncode == 2
    assert 'usage: python main.py apikey' in result.stderr
    assert 'create' in result.stderr and 'revoke' in result.stderr


def test_help_lists_the_commands_and_starts_nothing(data_dir):
    result = _lapor(data_dir, '--help', timeout=30)
    assert result.returncode == 0, result.stderr
    assert 'usage: python main.py' in result.stdout
    for command in ('apikey', 'migrate', 'user'):
        assert command in result.stdout
    assert 'menjalankan server' in result.stdout  # how to start it is said too
    assert not data_dir.exists()  # no server, no database


@pytest.mark.parametrize('args', [('serve',), ('--port', '9000'), ('Migrate',)])
def test_an_unknown_command_is_refused_with_the_usage_and_starts_nothing(data_dir, args):
    result = _lapor(data_dir, *args, timeout=30)
    assert result.returncode == 2
    assert 'usage: python main.py' in result.stderr
    assert f'Perintah "{args[0]}" tidak dikenal' in result.stderr and 'apikey, migrate, user' in result.stderr
    assert 'Traceback' not in result.stderr
    assert not data_dir.exists()


def test_user_create_names_the_role_as_the_pages_do(data_dir):
    result = _lapor(data_dir, 'user', 'create', 'budi', '--role', 'opd_admin', '--opd', 'DPUPR',
                    stdin='sandi-budi-panjang\n')
    assert result.returncode == 0, result.stderr
    assert 'Akun "budi" (Admin OPD) dibuat.' in result.stdout
    assert 'opd_admin' not in result.stdout
    assert _query(data_dir, "SELECT role FROM staff_user WHERE username = 'budi'") == [('opd_admin',)]


def test_user_list_names_each_role_as_the_pages_do(data_dir):
    created = _lapor(data_dir, 'user', 'create', 'budi', '--role', 'opd_admin', '--opd', 'DPUPR', '--name',
                     'Budi Santoso', stdin='sandi-budi-panjang\n')
    assert created.returncode == 0, created.stderr
    result = _lapor(data_dir, 'user', 'list')
    assert result.returncode == 0, result.stderr
    rows = {line.split('\t')[0]: line.split('\t') for line in result.stdout.splitlines()}
    assert rows['budi'][1:5] == ['Budi Santoso', 'Admin OPD', 'DPUPR', 'aktif']
    assert rows['budi'][5] == 'terakhir masuk: -'
    assert rows['admin'][2] == 'Supervisor'
    assert 'opd_admin' not in result.stdout


def test_user_create_help_lists_each_role_code_with_its_name(data_dir):
    result = _lapor(data_dir, 'user', 'create', '--help', timeout=30)
    assert result.returncode == 0, result.stderr
    text = ' '.join(result.stdout.split())  # argparse wraps the help at the terminal's width
    for listed in ('supervisor (Supervisor)', 'opd_admin (Admin OPD)', 'operator (Operator)', 'viewer (Pemantau)'):
        assert listed in text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def _line_with(lines: queue.Queue, needle: str, timeout: float) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:  # the server exited
            break
        if needle in line:
            return line
        seen.append(line)
    raise AssertionError(f'no line with {needle!r} in the output:\n{"".join(seen)}')


def test_without_arguments_the_server_starts_and_prints_the_citizens_and_the_staffs_addresses(data_dir):
    port = _free_port()
    # A real start, as an operator runs it: not pytest's (NiceGUI reads PYTEST_CURRENT_TEST), no public URL set
    env = {name: value for name, value in _env(data_dir).items()
           if name not in {'PYTEST_CURRENT_TEST', 'LAPOR_PUBLIC_URL'} and not name.startswith('NICEGUI_')}
    env |= {'LAPOR_HOST': '127.0.0.1', 'LAPOR_PORT': str(port)}
    server = subprocess.Popen([sys.executable, 'main.py'], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in server.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        announced = _line_with(lines, 'Petugas:', timeout=60)
        base = f'http://127.0.0.1:{port}'  # the port it serves on, not 8080
        assert announced.strip() == f'Warga: {base}/  ·  Petugas: {base}/admin'
        deadline = time.monotonic() + 30
        while True:  # the line is printed while the server starts; it accepts connections a moment later
            try:
                assert httpx.get(f'{base}/', timeout=10).status_code == 200
                break
            except httpx.ConnectError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_main_run_by_the_test_fixtures_is_not_taken_for_the_command_line(monkeypatch):
    """NiceGUI's fixtures run main.py through runpy, which puts main.py in argv[0] beside pytest's arguments."""
    main_file = str(ROOT / 'main.py')
    monkeypatch.setattr(sys, 'orig_argv', [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'])
    assert not cli.is_command([main_file, '-q', '-p', 'no:cacheprovider'], main_file)
    monkeypatch.setattr(sys, 'orig_argv', [sys.executable, 'main.py', '--help'])
    assert cli.is_command(['main.py', '--help'], main_file)
