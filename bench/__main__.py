"""``make bench``: each figure beside its floor measured in the same run, then the table.

1. submit rate through ``services.complaints.submit`` vs. raw inserts (in this process, SQLite files);
2. Open311 GET latency under 50 clients vs. a trivial route of the same server;
3. pages of ``/`` per second under 20 clients vs. a bare page of the same server;
4. first load (``bench.firstload``, when present);
5. the staff board ``/admin`` with 50, 200 and 500 boards open (simulated Socket.IO tabs) over 20,000
   complaints vs. the board's queue element fed from memory (``bench.board``), in a server of its own;
6. the outbox's worker to a local SMTP server and a local webhook vs. a bare send loop to each (``bench.outbox``);
7. the duplicate suggestion's latency with 20,000 open complaints vs. bare rapidfuzz scoring (``bench.duplicates``).

``python -m bench api pages`` runs only the parts named (submit, api, firstload, pages, board, flood, outbox,
duplicates).
``--soak=SECONDS`` sets how long the board part keeps 500 boards open (300 unless given).

Everything lives in a temporary folder; the rate limits are raised for the run through the same
``LAPOR_*`` variables the app reads, set here before anything imports ``services``. The exit status
is 1 when a figure misses its target, so a script can tell.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix='lapor-bench-'))
APP_DIR = WORK / 'app'
SEEDED = 2000
ENV = {
    'LAPOR_DATA_DIR': str(APP_DIR),
    'LAPOR_DB_URL': f'sqlite://{(APP_DIR / "lapor.sqlite3").as_posix()}',
    'LAPOR_SUBMIT_LIMIT': '1000000000', 'LAPOR_SUBMIT_WINDOW': '1',
    'LAPOR_LOOKUP_FAIL_LIMIT': '1000000000', 'LAPOR_LOOKUP_FAIL_WINDOW': '1',
    'LAPOR_UPLOAD_LIMIT': '1000000000', 'LAPOR_UPLOAD_WINDOW': '1',
    # the page-rate clients never connect (the flood part keeps the app's own figures)
    'LAPOR_UNCONNECTED_PER_ADDRESS': '1000000000', 'LAPOR_UNCONNECTED_TOTAL': '1000000000',
    'NICEGUI_STORAGE_PATH': str(WORK / 'nicegui'),  # the sessions' user storage, not .nicegui/ in the repository
}
os.environ.update(ENV)

LEGEND = (
    'back-to-back: each client sends its next request as soon as the last is answered, so latency is about '
    "clients / throughput (Little's law); paced: requests due at a fixed rate, latency counted from when due.",
    "API clients send no cookies (a partner's poller); page clients keep theirs (a browser). "
    'GC pauses are timed in the server by gc.callbacks (bench/server.py).',
)

from . import api_latency, board, duplicates, outbox, page_rate, submit_rate  # noqa: E402  (after the environment above)
from .process import running_server  # noqa: E402
from .table import Row, print_table  # noqa: E402

PARTS = ('submit', 'api', 'firstload', 'pages', 'board', 'flood', 'outbox', 'duplicates')


def main(parts: Sequence[str] = PARTS, *, soak_seconds: float = 300.0) -> int:
    started = time.perf_counter()
    load_before = os.getloadavg()
    rows: list[Row] = []
    notes: list[str] = []
    try:
        if 'submit' in parts:
            _step('submit rate (service vs. raw inserts)')
            rows += submit_rate.measure(WORK)
        rows += (_outbox() if 'outbox' in parts else []) + (_duplicates() if 'duplicates' in parts else [])
        if {'api', 'firstload', 'pages'} & set(parts):
            _step(f'seeding {SEEDED:,} complaints through the service')
            codes = asyncio.run(_seed(SEEDED))
            with running_server(ENV, WORK / 'server.log') as server:
                _step(f'server at {server.base_url} (pid {server.process.pid})')
                rss = server.rss_mb()
                if rss is not None:
                    rows.append(Row(f'server RSS after start ({SEEDED:,} complaints seeded)', rss, 'MB'))
                if 'api' in parts:
                    _step('Open311 GET latency, 50 clients')
                    rows += api_latency.measure(server, codes)
                if 'firstload' in parts:
                    firstload_rows, note = _firstload(server.base_url)
                    rows += firstload_rows
                    notes += [note] if note else []
                if 'pages' in parts:
                    _step('pages per second, 20 clients')
                    rows += page_rate.measure(server, track_code=codes[0])
        if 'flood' in parts:  # with the app's own limits on pages waiting for their websocket
            from services.settings import Settings  # noqa: PLC0415  (after the environment above)

            own = {f'LAPOR_{name.upper()}': str(Settings.model_fields[name].default)
                   for name in ('unconnected_per_address', 'unconnected_total')}
            rows += importlib.import_module('bench.flood').measure(
                lambda log: running_server({**ENV, **own}, WORK / log))
        if 'board' in parts:
            _step(f'seeding up to {board.BOARD_SEEDED:,} complaints through the service, and a bench supervisor')
            user_id, note = asyncio.run(_seed_board())
            notes.append(note)
            with running_server(ENV, WORK / 'board-server.log') as server:
                _step(f'board: server at {server.base_url} (pid {server.process.pid})')
                board_rows, board_notes = board.measure(
                    server, user_id, lambda: running_server(ENV, WORK / 'board-floor-server.log'),
                    soak_seconds=soak_seconds)
                rows += board_rows
                notes += board_notes
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    print()
    print(f'Lapor bench: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, '
          f'{platform.machine()}; the server is one process (uvicorn, one event loop), the load comes from this one; '
          f'{time.perf_counter() - started:.0f} s in all; load average {load_before[0]:.1f} before, '
          f'{os.getloadavg()[0]:.1f} after (other work on the machine skews every figure, floors included).')
    print()
    print_table(rows)
    print()
    legend = LEGEND if {'api', 'pages'} & set(parts) else ()
    for note in [*notes, *legend]:
        print(f'note: {note}')
    return 0 if all(r.ok is not False for r in rows) else 1


async def _seed(count: int) -> list[str]:
    from services import db  # noqa: PLC0415

    async with db.open_database(ENV['LAPOR_DB_URL']):
        return await api_latency.seed(count)


async def _seed_board() -> tuple[int, str]:
    from services import db  # noqa: PLC0415

    async with db.open_database(ENV['LAPOR_DB_URL']):
        return await board.seed()


def _outbox() -> list[Row]:
    _step('outbox: the worker to a local SMTP server and a local webhook, vs. bare send loops')
    return outbox.measure(WORK)


def _duplicates() -> list[Row]:
    _step(f'duplicate suggestions over {duplicates.OPEN:,} open complaints (bulk-seeded), vs. bare rapidfuzz')
    return duplicates.measure(WORK)


def _firstload(base_url: str) -> tuple[list[Row], str]:
    """Rows of ``bench.firstload.measure(base_url)``, or none and a note why not."""
    try:
        module = importlib.import_module('bench.firstload')
    except ModuleNotFoundError as error:
        if error.name != 'bench.firstload':
            raise
        return [], 'first load skipped: bench/firstload.py is missing'
    measure = getattr(module, 'measure', None)
    if measure is None:
        return [], 'first load skipped: bench/firstload.py has no measure(base_url)'
    _step('first load (bench.firstload)')
    try:
        result = measure(base_url)
        if inspect.isawaitable(result):
            result = asyncio.run(result)
        return list(result), ''
    except Exception as error:  # the other figures still stand; say why this one is missing
        return [], f'first load failed: {error!r}'


def _step(text: str) -> None:
    print(f'[bench] {text}', file=sys.stderr, flush=True)


def _arguments(argv: list[str]) -> tuple[list[str], float]:
    """The parts named and the soak seconds; exits with the usage on anything else."""
    parts = [a for a in argv if not a.startswith('--soak=')]
    soaks = [a.removeprefix('--soak=') for a in argv if a.startswith('--soak=')]
    try:
        soak_seconds = float(soaks[-1]) if soaks else 300.0
    except ValueError:
        soak_seconds = -1.0
    if set(parts) - set(PARTS) or soak_seconds <= 0:
        shutil.rmtree(WORK, ignore_errors=True)
        sys.exit(f'usage: python -m bench [{" ".join(PARTS)}] [--soak=SECONDS]  (all parts when none is named)')
    return parts or list(PARTS), soak_seconds


if __name__ == '__main__':
    if sys.argv[1:2] == ['attack']:  # not in PARTS (make bench): seven servers of its own, 1-3 min; bench/attack.py
        sys.exit(importlib.import_module('bench.attack').main(WORK, ENV, sys.argv[2:]))
    chosen, soak = _arguments(sys.argv[1:])
    sys.exit(main(chosen, soak_seconds=soak))
