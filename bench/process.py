"""The app under test as a subprocess on a free port, and its CPU time and memory from /proc."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TICK = os.sysconf('SC_CLK_TCK') if hasattr(os, 'sysconf') else 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, process: subprocess.Popen, base_url: str, log: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.log = log

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server process has used so far (Linux only)."""
        try:
            fields = Path(f'/proc/{self.process.pid}/stat').read_text().rsplit(')', 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14 and 15 of stat)

    def take_stats(self) -> dict:
        """The launcher's counters since the last call (GC pauses, NiceGUI clients, user storages); resets them."""
        with urllib.request.urlopen(f'{self.base_url}/bench/stats?reset=true', timeout=5) as response:
            return json.loads(response.read())

    def rss_mb(self) -> float | None:
        try:
            for line in Path(f'/proc/{self.process.pid}/status').read_text().splitlines():
                if line.startswith('VmRSS:'):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None


@dataclass
class Cost:
    """What a kind of request cost the server over the phases it was measured in."""

    cpu: float = 0.0  # CPU seconds (all threads)
    gc_ms: float = 0.0  # garbage-collection pauses, total
    gc_longest_ms: float = 0.0
    wall: float = 0.0  # seconds of load


async def observed(server: Server, cost: Cost, load: Awaitable):
    """Await ``load`` (a bench.load.run), adding the server's CPU time and GC pauses during it to ``cost``."""
    server.take_stats()
    before = server.cpu_seconds()
    result = await load
    after = server.cpu_seconds()
    gc = server.take_stats()['gc'].values()
    if before is not None and after is not None:
        cost.cpu += after - before
    cost.gc_ms += sum(total for _, total, _ in gc)
    cost.gc_longest_ms = max(cost.gc_longest_ms, *(longest for _, _, longest in gc))
    cost.wall += result.elapsed
    return result


@contextmanager
def running_server(env: dict[str, str], log: Path, *, timeout: float = 30.0):
    """Start ``python -m bench.server`` with ``env`` on a free port; yield a Server once it answers."""
    port = free_port()
    env = {**os.environ, **env, 'LAPOR_PORT': str(port), 'LAPOR_HOST': '127.0.0.1',
           'LAPOR_PUBLIC_URL': f'http://127.0.0.1:{port}'}
    base_url = f'http://127.0.0.1:{port}'
    raise_open_files()  # before Popen: the server inherits the limit
    with log.open('w') as out:
        process = subprocess.Popen([sys.executable, '-m', 'bench.server'], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f'the server exited with {process.returncode}:\n{log.read_text()[-3000:]}')
            try:
                with urllib.request.urlopen(f'{base_url}/bench/ping', timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f'the server did not answer in {timeout:.0f} s:\n{log.read_text()[-3000:]}')
            time.sleep(0.2)
        yield Server(process, base_url, log)
    finally:
        stop(process)


def raise_open_files() -> None:
    """Lift this process's soft limit on open files to the hard one: 500 board sockets need 1,000 and more."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):  # e.g. an unlimited hard limit above the kernel's nr_open: keep the soft one
            pass


def stop(process: subprocess.Popen) -> None:
    """End a server process: politely first, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
