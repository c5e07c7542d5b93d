"""``python -m bench attack``: what a guesser gets past the app's own limits, one table row per figure.

The app's servers here run with its NORMAL limits (the rest of the bench raises them to 1e9): every
``LAPOR_*_LIMIT`` / ``LAPOR_*_WINDOW`` the bench sets is dropped from the server's environment and the
documented defaults are set again (30 failed lookups a minute per address, 5 submissions per 10 minutes...),
so a limit added later without a bench override falls back to the app's own default too.

Client addresses: each attacker's sockets are bound to a loopback address of its own, 127.0.0.2 ... 127.0.0.13
(12 addresses the server tells apart by ``request.client.host``); the owner and the paced API client use
127.0.0.1. Each figure runs in a fresh server over the same database (the limits live in the server's memory),
so one figure's spent addresses and locked accounts do not spill into the next; each PIN figure has a
``rahasia`` complaint of its own and each login figure an account of its own, should a limit outlive a restart.

1. ``GET /lacak/<random well-formed code>``, 100 at once from one address: how many were checked (the page
   says "Kode pelacakan tidak ditemukan") and how many refused ("Terlalu banyak percobaan").
2. ``GET /open311/v2/requests/<random code>.json`` from one address, 20 connections back-to-back for 10 s:
   404 (checked) vs. 429 (refused), and the minute's figure projected from those 10 s.
3. 60 wrong PINs at once from one address, typed into ``/lacak/<code>`` of a rahasia complaint: 60 simulated
   tabs (NiceGUI's page plus its Socket.IO connection, as bench/board_client.py) each set the PIN input's value
   and click "Buka dengan PIN"; the input's error text says "PIN tidak cocok" (checked) or refuses.
4. 12 addresses x 30 wrong PINs against another rahasia complaint within 60 s (one tab per address, one PIN
   after the other): how many were checked.
5. 30 wrong passwords at once for the supervisor ``admin`` from one address, through ``/login`` (30 tabs fill
   "Nama pengguna" and "Kata sandi", then all click "Masuk"): checked ("salah") vs. refused ("Terlalu banyak",
   "Coba lagi").
6. During (5), a paced client sends ``GET /open311/v2/services.json`` at 20 req/s (latency from when each was
   due); p50/p99 of the requests due while the burst is being answered, beside the same client's over the 10 s
   before it (the floor).
7. Lockout: 10 wrong passwords for an account at once from address A, then the right one from address B, in a
   new tab; and 30 wrong passwords for another account spread over the 12 addresses, then the right one from
   127.0.0.1. A refusal that names a wait of up to a minute is waited out and the login tried again, once per
   refusal, within 75 s; the row says whether the owner got in (the page navigated to /admin).

Not in ``make bench``'s default parts: it starts seven servers and takes one to three minutes (more when a
throttle makes the owner wait), and a refused login or PIN is not a figure of speed.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import platform
import random
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import socketio

from .board_client import close_socket, connect_socket
from .process import Server, running_server
from .table import Row, print_table

ATTACKERS = tuple(f'127.0.0.{n}' for n in range(2, 14))  # 12 client addresses
OWNER = '127.0.0.1'  # the owner's fresh address, and the paced API client's
ADMIN_PASSWORD = 'bench-serangan-admin-2024'
PASSWORD = 'bench-serangan-sandi-benar'
ACCOUNTS = ('staf.serang.a', 'staf.serang.b')  # for the two lockout figures
ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'  # services.codes.ALPHABET (Crockford base32)
NORMAL_LIMITS = {  # the app's documented defaults (README, services/settings.py)
    'LAPOR_SUBMIT_LIMIT': '5', 'LAPOR_SUBMIT_WINDOW': '600',
    'LAPOR_LOOKUP_FAIL_LIMIT': '30', 'LAPOR_LOOKUP_FAIL_WINDOW': '60',
    'LAPOR_UPLOAD_LIMIT': '30', 'LAPOR_UPLOAD_WINDOW': '600',
}
LOOKUP_LIMIT = 30  # failed lookups per address a minute
PIN_LIMIT = 10  # wrong PINs per complaint an hour (the target)
LOGIN_LIMIT = 10  # what one sequence of wrong passwords gets before the lock
TIMEOUT = aiohttp.ClientTimeout(total=120)
ANSWER_TIMEOUT = 120.0  # seconds an attempt may take to be answered (a throttle may make it wait)
_QUERY = re.compile(r'query: (\{.*?\}),\n')
_ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.DOTALL)
_WAIT = re.compile(r'(\d+)\s*(detik|menit)')
_UNESCAPE = (('&#36;', '$'), ('&#96;', '`'), ('&gt;', '>'), ('&lt;', '<'), ('&amp;', '&'))


def main(work: Path, env: dict[str, str], argv: Sequence[str] = ()) -> int:
    """Measure, print the table; 1 when a figure misses its target. Removes ``work`` at the end."""
    if argv:
        shutil.rmtree(work, ignore_errors=True)
        sys.exit('usage: python -m bench attack')
    started = time.perf_counter()
    try:
        rows, notes = measure(work, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f'Lapor attack bench: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} '
          f'CPUs; the app with its normal limits, {len(ATTACKERS)} attacker addresses on loopback; '
          f'{time.perf_counter() - started:.0f} s in all.')
    print()
    print_table(rows)
    print()
    for note in notes:
        print(f'note: {note}')
    return 0 if all(r.ok is not False for r in rows) else 1


def measure(work: Path, env: dict[str, str]) -> tuple[list[Row], list[str]]:
    _step('seeding: complaints (two rahasia), the supervisor admin and two staff accounts')
    complaints = asyncio.run(_seed(env))
    rows: list[Row] = []
    notes: list[str] = []
    figures: list[tuple[str, Callable[[Server], Any]]] = [
        ('lookup', lambda s: _lookups(s, ATTACKERS[0])),
        ('open311', lambda s: _open311(s, ATTACKERS[1])),
        ('pin-one-address', lambda s: _pins_at_once(s, complaints[0], ATTACKERS[2])),
        ('pin-many-addresses', lambda s: _pins_many(s, complaints[1])),
        ('login', lambda s: _login_burst(s, ATTACKERS[3])),
        ('lockout-a', lambda s: _lockout_other_address(s, ACCOUNTS[0], ATTACKERS[4], ATTACKERS[5])),
        ('lockout-spread', lambda s: _lockout_spread(s, ACCOUNTS[1])),
    ]
    for name, figure in figures:
        with _normal_server(env, work / f'attack-{name}.log') as server:
            _step(f'{name}: server at {server.base_url} (pid {server.process.pid})')
            figure_rows, figure_notes = asyncio.run(figure(server))
        rows += figure_rows
        notes += figure_notes
    notes.append('each figure ran in a fresh server over the same database; PIN figures on a rahasia complaint '
                 'each, login figures on an account each; simulated tabs drive the real pages over Socket.IO.')
    return rows, notes


# --- set-up --------------------------------------------------------------------------------------------------


async def _seed(env: dict[str, str]) -> list[tuple[str, str]]:
    """In the bench's database: 3 public complaints, 2 rahasia ones (their codes and PINs), the supervisor
    ``admin`` with ADMIN_PASSWORD and the ACCOUNTS with PASSWORD."""
    from services import auth, complaints, db  # noqa: PLC0415  (settings are read on import: after the environment)
    from services.settings import settings  # noqa: PLC0415

    settings.admin_password = ADMIN_PASSWORD  # the first supervisor, made when the database opens
    async with db.open_database(env['LAPOR_DB_URL']):
        for username in ACCOUNTS:
            await auth.create_user(username=username, password=PASSWORD, role='supervisor',
                                   full_name='Staf Uji Serangan')
        categories = [cid for cid, _, _ in await complaints.active_categories()]
        districts = [did for did, _ in await complaints.districts()]
        secret = []
        for n, privacy in enumerate(('publik', 'rahasia', 'publik', 'rahasia', 'anonim')):
            result = await complaints.submit(
                category_id=categories[n % len(categories)], district_id=districts[n % len(districts)],
                title=f'Aduan uji serangan nomor {n}', village='Kertek', address=f'Jl. Uji No. {n}',
                description='Saluran air tersumbat di depan balai desa, air meluap ke jalan setiap hujan turun.',
                reporter_name='Siti Aminah', reporter_phone='0812-3456-7890', privacy=privacy, consent=True)
            if privacy == 'rahasia':
                secret.append((result.code, result.pin))
        return secret


@contextmanager
def _normal_server(env: dict[str, str], log: Path) -> Iterator[Server]:
    """``running_server`` with the app's own limits: every raised ``LAPOR_*_LIMIT``/``_WINDOW`` is dropped from
    the environment the server inherits (this process's, which bench/__main__ raised), the defaults set again."""
    raised = {key: value for key, value in os.environ.items()
              if key.startswith('LAPOR_') and key.endswith(('_LIMIT', '_WINDOW'))}
    server_env = {key: value for key, value in env.items() if key not in raised}
    server_env |= NORMAL_LIMITS | {'LAPOR_ADMIN_PASSWORD': ADMIN_PASSWORD}
    for key in raised:
        del os.environ[key]
    try:
        with running_server(server_env, log) as server:
            os.environ.update(raised)
            raised = {}
            yield server
    finally:
        os.environ.update(raised)


def _step(text: str) -> None:
    print(f'[bench attack] {text}', file=sys.stderr, flush=True)


def _random_code(rng: random.Random) -> str:
    key = ''.join(rng.choice(ALPHABET) for _ in range(8))
    return f'WSB-{key[:4]}-{key[4:]}'


def _wrong_pins(rng: random.Random, right: str, count: int) -> list[str]:
    pins: list[str] = []
    while len(pins) < count:  # bounded: 1 in a million is the right one
        pin = f'{rng.randrange(1_000_000):06d}'
        if pin != right:
            pins.append(pin)
    return pins


def _kind(answer: str | None) -> str:
    """'checked', 'refused', 'in' (signed in), 'unanswered' or 'other' for a page's answer."""
    if answer is None:
        return 'unanswered'
    if answer.startswith('open:'):
        return 'in'
    text = answer.lower()
    if 'terlalu banyak' in text or 'coba lagi' in text:
        return 'refused'
    if 'tidak cocok' in text or 'tidak ditemukan' in text or 'salah' in text:
        return 'checked'
    return 'other'


def _tally(answers: Sequence[str | None]) -> tuple[Counter[str], str]:
    """Counts per kind, and a note on any answer neither checked nor refused."""
    kinds = Counter(_kind(a) for a in answers)
    odd = [a for a in answers if _kind(a) in ('other', 'unanswered', 'in')]
    note = ''
    if odd:
        note = f'{len(odd)} answers neither checked nor refused, e.g. {odd[0]!r} ({dict(kinds)})'
    return kinds, note


# --- a simulated tab on a NiceGUI page, from one client address -----------------------------------------------


class Page:
    """One browser tab on a NiceGUI page: the page's HTTP GET and its Socket.IO connection, both from
    ``address``. Reads the page's elements from the HTML, sends what a browser sends when a value is typed or a
    button is clicked (``event`` with the element's listener id), and keeps what comes back: every non-empty
    error message of an input or text of a label, and the paths of ``open`` (``ui.navigate.to``)."""

    def __init__(self, base_url: str, path: str, address: str) -> None:
        self.base_url = base_url
        self.path = path
        self.address = address
        self.elements: dict[str, dict[str, Any]] = {}
        self.said: dict[str, list[str]] = {}  # element id -> its non-empty error messages / texts, in order
        self.opened: list[str] = []
        self.client_id = ''
        self._news = asyncio.Event()
        self.http: aiohttp.ClientSession | None = None
        self.sio: socketio.AsyncClient | None = None

    async def open(self) -> None:
        self.http = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=TIMEOUT,
            connector=aiohttp.TCPConnector(force_close=True, local_addr=(self.address, 0)))
        async with self.http.get(f'{self.base_url}{self.path}', allow_redirects=False) as response:
            html = await response.text()
            if response.status != 200:
                raise RuntimeError(f'GET {self.path} -> {response.status}: {html[:200]}')
        query, raw = _QUERY.search(html), _ELEMENTS.search(html)
        if query is None or raw is None:
            raise RuntimeError(f'GET {self.path}: no NiceGUI page (socket query or elements missing)')
        text = raw.group(1)
        for escaped, plain in _UNESCAPE:
            text = text.replace(escaped, plain)
        self.elements = {str(key): value for key, value in json.loads(text).items()}
        params = ast.literal_eval(query.group(1))  # the template renders a Python dict (True, single quotes)
        self.client_id = params['client_id']
        self.sio = await connect_socket(self.http, self.base_url, params, self._on_message, timeout=60)

    def _on_message(self, event: str, data: Any = None) -> None:
        if not isinstance(data, dict):
            return
        if event == 'open':
            self.opened.append(str(data.get('path')))
        elif event == 'update':
            for key, element in data.items():
                if key == '_id' or not isinstance(element, dict):
                    continue
                self.elements[key] = element
                props = element.get('props') or {}
                said = props.get('error-message') if props.get('error') else None
                if said is None and not str(element.get('tag')).endswith(('input', 'btn')):
                    said = element.get('text')
                if said:
                    self.said.setdefault(key, []).append(str(said))
        else:
            return
        self._news.set()

    def find(self, tag: str, *, label: str | None = None, css: str | None = None) -> str:
        """The id of the first element whose tag ends with ``tag`` ('input' is NiceGUI's own nicegui-input, 'btn'
        Quasar's q-btn) with this label prop or this class."""
        for key, element in self.elements.items():
            if str(element.get('tag')).endswith(tag) and (
                    (label is not None and (element.get('props') or {}).get('label') == label) or
                    (css is not None and css in (element.get('class') or []))):
                return key
        raise RuntimeError(f'{self.path}: no {tag} with label={label!r} class={css!r}')

    async def _emit(self, key: str, event_type: str, args: list[Any]) -> None:
        listener = next((e['listener_id'] for e in self.elements[key].get('events', [])
                         if e['type'] == event_type or (event_type == 'update:' and e['type'].startswith('update:'))),
                        None)
        if listener is None:
            raise RuntimeError(f'{self.path}: element {key} has no {event_type} listener')
        assert self.sio is not None
        await self.sio.emit('event', {'id': int(key), 'client_id': self.client_id, 'listener_id': listener,
                                      'args': [json.dumps(a) for a in args]})

    async def type(self, key: str, value: str) -> None:
        await self._emit(key, 'update:', [value])  # nicegui-input sends update:value, Quasar's update:modelValue

    def mark(self, key: str) -> tuple[int, int]:
        return len(self.said.get(key, [])), len(self.opened)

    async def click(self, key: str) -> None:
        await self._emit(key, 'click', [])

    async def answer(self, key: str, mark: tuple[int, int], timeout: float = ANSWER_TIMEOUT) -> str | None:
        """The first thing ``key`` said, or the first page opened, since ``mark``; None when nothing came in time."""
        deadline = time.perf_counter() + timeout
        while True:
            said = self.said.get(key, [])
            if len(said) > mark[0]:
                return said[mark[0]]
            if len(self.opened) > mark[1]:
                return f'open:{self.opened[mark[1]]}'
            left = deadline - time.perf_counter()
            if left <= 0 or not (self.sio and self.sio.connected):
                return None
            self._news.clear()
            try:
                await asyncio.wait_for(self._news.wait(), left)
            except TimeoutError:
                pass

    async def close(self) -> None:
        await close_socket(self.sio, self.http)


async def _open_pages(base_url: str, path: str, addresses: Sequence[str], concurrent: int = 20) -> list[Page]:
    pages = [Page(base_url, path, address) for address in addresses]
    gate = asyncio.Semaphore(concurrent)

    async def one(page: Page) -> None:
        async with gate:
            await page.open()

    try:
        await asyncio.gather(*(one(page) for page in pages))
    except BaseException:
        await _close(pages)
        raise
    return pages


async def _close(pages: Sequence[Page]) -> None:
    await asyncio.gather(*(page.close() for page in pages), return_exceptions=True)


# --- 1. tracking codes ---------------------------------------------------------------------------------------


async def _lookups(server: Server, address: str, count: int = 100) -> tuple[list[Row], list[str]]:
    _step(f'{count} GET /lacak/<random code> at once from {address}')
    rng = random.Random(1)
    urls = [f'{server.base_url}/lacak/{_random_code(rng)}' for _ in range(count)]
    connector = aiohttp.TCPConnector(limit=count, local_addr=(address, 0))
    async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        async def one(url: str) -> str | None:
            try:
                async with http.get(url) as response:
                    html = await response.text()
            except (aiohttp.ClientError, TimeoutError) as error:
                return f'failed: {error!r}'
            for text in ('Terlalu banyak percobaan', 'Kode pelacakan tidak ditemukan'):
                if text in html:
                    return text
            return f'{response.status}: neither message in the page'

        answers = await asyncio.gather(*(one(url) for url in urls))
    kinds, note = _tally(answers)
    return [
        Row(f'/lacak/<random code>: {count} at once, 1 address: checked ("tidak ditemukan")', kinds['checked'],
            f'of {count}', target=f'<= {LOOKUP_LIMIT}', ok=kinds['checked'] <= LOOKUP_LIMIT),
        Row('  ... refused ("Terlalu banyak percobaan")', kinds['refused'], f'of {count}'),
    ], [f'lookups: {note}'] if note else []


# --- 2. Open311 ------------------------------------------------------------------------------------------------


async def _open311(server: Server, address: str, seconds: float = 10.0, clients: int = 20) -> tuple[list[Row],
                                                                                                      list[str]]:
    _step(f'GET /open311/v2/requests/<random code>.json for {seconds:.0f} s from {address}, {clients} connections')
    rng = random.Random(2)
    statuses: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=clients, local_addr=(address, 0))
    async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        started = time.perf_counter()
        stop_at = started + seconds

        async def client() -> None:
            for _ in range(1_000_000):  # bounded; the clock ends it
                if time.perf_counter() >= stop_at:
                    return
                try:
                    async with http.get(f'{server.base_url}/open311/v2/requests/{_random_code(rng)}.json') as response:
                        await response.read()
                        statuses[str(response.status)] += 1
                except (aiohttp.ClientError, TimeoutError) as error:
                    statuses[type(error).__name__] += 1

        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    checked, refused = statuses['404'], statuses['429']
    # With a per-minute window, refusals within the 10 s mean the rest of the minute is refused too; without
    # any, the pace would go on for the minute
    per_minute = checked if refused else checked * 60 / elapsed
    others = {k: v for k, v in statuses.items() if k not in ('404', '429')}
    return [
        Row(f'Open311 requests/<random>.json, 1 address, {elapsed:.0f} s: checked (404)', checked,
            f'in {elapsed:.0f} s', target=f'<= {LOOKUP_LIMIT}', ok=checked <= LOOKUP_LIMIT),
        Row('  ... refused (429)', refused, f'in {elapsed:.0f} s'),
        Row('  ... checked per minute (x60/10 s when none was refused)', per_minute, '/min',
            target=f'<= {LOOKUP_LIMIT}/min', ok=per_minute <= LOOKUP_LIMIT),
    ], [f'Open311: other answers {others}'] if others else []


# --- 3, 4. PINs --------------------------------------------------------------------------------------------------


async def _pins_at_once(server: Server, complaint: tuple[str, str], address: str, count: int = 60) -> tuple[
        list[Row], list[str]]:
    code, right = complaint
    _step(f'{count} wrong PINs at once for {code} from {address} (60 tabs of /lacak/{code})')
    pages = await _open_pages(server.base_url, f'/lacak/{code}', [address] * count)
    try:
        pins = _wrong_pins(random.Random(3), right, count)
        inputs = [page.find('input', label='PIN') for page in pages]
        buttons = [page.find('btn', label='Buka dengan PIN') for page in pages]
        await asyncio.gather(*(page.type(key, pin) for page, key, pin in zip(pages, inputs, pins, strict=True)))
        await asyncio.sleep(0.5)  # every value is in before the first click
        marks = [page.mark(key) for page, key in zip(pages, inputs, strict=True)]
        await asyncio.gather(*(page.click(key) for page, key in zip(pages, buttons, strict=True)))
        answers = await asyncio.gather(*(page.answer(key, mark) for page, key, mark in
                                         zip(pages, inputs, marks, strict=True)))
    finally:
        await _close(pages)
    kinds, note = _tally(answers)
    return [
        Row(f'PIN on /lacak/<code>: {count} wrong at once, 1 address: checked ("PIN tidak cocok")', kinds['checked'],
            f'of {count}', target=f'<= {LOOKUP_LIMIT}', ok=kinds['checked'] <= LOOKUP_LIMIT),
        Row('  ... refused', kinds['refused'], f'of {count}'),
    ], [f'PINs from one address: {note}'] if note else []


async def _pins_many(server: Server, complaint: tuple[str, str], each: int = 30, seconds: float = 60.0) -> tuple[
        list[Row], list[str]]:
    code, right = complaint
    _step(f'{len(ATTACKERS)} addresses x {each} wrong PINs for {code} within {seconds:.0f} s (one tab each)')
    pages = await _open_pages(server.base_url, f'/lacak/{code}', ATTACKERS)
    pins = _wrong_pins(random.Random(4), right, each * len(pages))
    started = time.perf_counter()
    stop_at = started + seconds

    async def guess(page: Page, mine: list[str]) -> list[str | None]:
        key, button = page.find('input', label='PIN'), page.find('btn', label='Buka dengan PIN')
        answers: list[str | None] = []
        for pin in mine:
            if time.perf_counter() >= stop_at:
                break
            await page.type(key, pin)
            mark = page.mark(key)
            await page.click(button)
            answers.append(await page.answer(key, mark, timeout=max(0.1, stop_at - time.perf_counter())))
        return answers

    try:
        per_page = await asyncio.gather(*(guess(page, pins[n::len(pages)]) for n, page in enumerate(pages)))
    finally:
        await _close(pages)
    elapsed = time.perf_counter() - started
    answers = [a for answers in per_page for a in answers]
    kinds, note = _tally(answers)
    total = each * len(pages)
    return [
        Row(f'PINs for one complaint: {len(pages)} addresses x {each} wrong in {elapsed:.0f} s: checked',
            kinds['checked'], f'of {total}', target=f'<= {PIN_LIMIT} (an hour)', ok=kinds['checked'] <= PIN_LIMIT),
        Row('  ... refused', kinds['refused'], f'of {total}'),
    ], ([f'PINs from {len(pages)} addresses: {len(answers)} of {total} sent within {seconds:.0f} s; {note}']
         if note or len(answers) < total else [])


# --- 5, 6. logins, and the API meanwhile --------------------------------------------------------------------------


async def _login_pages(server: Server, username: str, passwords: Sequence[str], addresses: Sequence[str]
                       ) -> tuple[list[Page], list[str], list[str]]:
    """Login tabs, one per password, with both fields filled in; their buttons and error labels."""
    pages = await _open_pages(server.base_url, '/login', addresses)
    try:
        for page, password in zip(pages, passwords, strict=True):
            await page.type(page.find('input', label='Nama pengguna'), username)
            await page.type(page.find('input', label='Kata sandi'), password)
        buttons = [page.find('btn', label='Masuk') for page in pages]
        labels = [page.find('div', css='lapor-field-error') for page in pages]
    except BaseException:
        await _close(pages)
        raise
    await asyncio.sleep(0.5)  # every value is in before the first click
    return pages, buttons, labels


async def _click_all(pages: Sequence[Page], buttons: Sequence[str], labels: Sequence[str]) -> list[str | None]:
    marks = [page.mark(label) for page, label in zip(pages, labels, strict=True)]
    await asyncio.gather(*(page.click(button) for page, button in zip(pages, buttons, strict=True)))
    return await asyncio.gather(*(page.answer(label, mark) for page, label, mark in zip(pages, labels, marks,
                                                                                         strict=True)))


@dataclass
class _Paced:
    """GET services.json at ``rate`` from 127.0.0.1 until stopped; (when due, latency) per answered request."""

    base_url: str
    rate: float = 20.0
    samples: list[tuple[float, float]] | None = None
    errors: int = 0

    async def run(self, stop: asyncio.Event, longest: float = 600.0) -> None:
        self.samples = []
        started = time.perf_counter()
        tasks = []
        connector = aiohttp.TCPConnector(limit=200, local_addr=(OWNER, 0))
        async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT,
                                         cookie_jar=aiohttp.DummyCookieJar()) as http:
            async def one(due: float) -> None:
                try:
                    async with http.get(f'{self.base_url}/open311/v2/services.json') as response:
                        await response.read()
                        ok = response.status == 200
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                if ok:
                    assert self.samples is not None
                    self.samples.append((due, time.perf_counter() - due))
                else:
                    self.errors += 1

            for n in range(int(longest * self.rate)):  # bounded
                due = started + n / self.rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                if stop.is_set():
                    break
                tasks.append(asyncio.create_task(one(due)))
            await asyncio.gather(*tasks)

    def percentile(self, p: float, start: float, end: float) -> tuple[float, int]:
        """The ``p``-th percentile latency in ms (nearest rank) of requests due in [start, end], and their count."""
        latencies = sorted(latency for due, latency in self.samples or [] if start <= due <= end)
        if not latencies:
            return float('nan'), 0
        rank = min(len(latencies) - 1, max(0, round(p / 100 * len(latencies)) - 1))
        return latencies[rank] * 1000, len(latencies)


async def _login_burst(server: Server, address: str, count: int = 30, quiet: float = 10.0) -> tuple[list[Row],
                                                                                                   list[str]]:
    _step(f'{count} wrong passwords for admin at once from {address} through /login; API paced at 20 req/s')
    passwords = [f'tebakan-salah-{n:03d}' for n in range(count)]
    pages, buttons, labels = await _login_pages(server, 'admin', passwords, [address] * count)
    paced = _Paced(server.base_url)
    stop = asyncio.Event()
    try:
        pacing = asyncio.create_task(paced.run(stop))
        await asyncio.sleep(quiet)
        burst_start = time.perf_counter()
        answers = await _click_all(pages, buttons, labels)
        burst_end = time.perf_counter()
        await asyncio.sleep(1.0)
        stop.set()
        await pacing
    finally:
        stop.set()
        await _close(pages)
    kinds, note = _tally(answers)
    floor_p50, floor_n = paced.percentile(50, burst_start - quiet + 0.5, burst_start)
    floor_p99, _ = paced.percentile(99, burst_start - quiet + 0.5, burst_start)
    p50, n = paced.percentile(50, burst_start, burst_end)
    p99, _ = paced.percentile(99, burst_start, burst_end)
    notes = [f'login burst: answered in {burst_end - burst_start:.1f} s; services.json: {n} requests due during '
             f'it, {floor_n} in the {quiet - 0.5:.1f} s before (the floor); {paced.errors} failed']
    if note:
        notes.append(f'login burst: {note}')
    return [
        Row(f'/login: {count} wrong passwords at once, 1 account, 1 address: checked ("salah")', kinds['checked'],
            f'of {count}', target=f'<= {LOGIN_LIMIT}', ok=kinds['checked'] <= LOGIN_LIMIT),
        Row('  ... refused ("Terlalu banyak"/"Coba lagi")', kinds['refused'], f'of {count}'),
        Row('services.json p50 during that burst (20 req/s paced)', p50, 'ms', floor_p50, 'no burst'),
        Row('services.json p99 during that burst (20 req/s paced)', p99, 'ms', floor_p99, 'no burst'),
    ], notes


# --- 7. lockout ----------------------------------------------------------------------------------------------------


async def _owner_signs_in(server: Server, username: str, address: str, budget: float = 75.0) -> tuple[bool, int, str]:
    """Whether the right password from ``address`` gets in (a fresh tab each try; a named wait of up to a minute
    is waited out), the seconds spent waiting, and the last answer."""
    started = time.perf_counter()
    waited = 0
    last = ''
    for _ in range(5):  # bounded
        pages, buttons, labels = await _login_pages(server, username, [PASSWORD], [address])
        try:
            answer = (await _click_all(pages, buttons, labels))[0]
        finally:
            await _close(pages)
        last = answer or 'no answer'
        if _kind(answer) == 'in':
            return True, waited, last
        found = _WAIT.search(last)
        if not found:
            break
        wait = int(found.group(1)) * (60 if found.group(2) == 'menit' else 1) + 1
        if time.perf_counter() - started + wait > budget:
            break
        _step(f'owner of {username} refused ({last!r}); waiting {wait} s')
        await asyncio.sleep(wait)
        waited += wait
    return False, waited, last


async def _lockout_other_address(server: Server, username: str, attacker: str, owner: str, count: int = 10
                                 ) -> tuple[list[Row], list[str]]:
    _step(f'{count} wrong passwords for {username} at once from {attacker}; then the right one from {owner}')
    passwords = [f'salah-dari-a-{n:03d}' for n in range(count)]
    pages, buttons, labels = await _login_pages(server, username, passwords, [attacker] * count)
    try:
        kinds, _ = _tally(await _click_all(pages, buttons, labels))
    finally:
        await _close(pages)
    got_in, waited, last = await _owner_signs_in(server, username, owner)
    return [
        Row(f'owner gets in from address B after {count} wrong from A (waited {waited:.0f} s)', float(got_in),
            'yes' if got_in else 'no', target='yes', ok=got_in),
    ], [f'lockout, other address: {kinds["checked"]} of {count} wrong passwords checked, {kinds["refused"]} '
        f'refused; the owner saw {last!r}']


async def _lockout_spread(server: Server, username: str, count: int = 30) -> tuple[list[Row], list[str]]:
    _step(f'{count} wrong passwords for {username} at once from {len(ATTACKERS)} addresses; then the right one '
          f'from {OWNER}')
    passwords = [f'salah-tersebar-{n:03d}' for n in range(count)]
    addresses = [ATTACKERS[n % len(ATTACKERS)] for n in range(count)]
    pages, buttons, labels = await _login_pages(server, username, passwords, addresses)
    try:
        kinds, _ = _tally(await _click_all(pages, buttons, labels))
    finally:
        await _close(pages)
    got_in, waited, last = await _owner_signs_in(server, username, OWNER)
    return [
        Row(f'owner gets in from a fresh address after {count} wrong from {len(ATTACKERS)} (waited {waited:.0f} s)',
            float(got_in), 'yes' if got_in else 'no', target='yes', ok=got_in),
    ], [f'lockout, {len(ATTACKERS)} addresses: {kinds["checked"]} of {count} wrong passwords checked, '
        f'{kinds["refused"]} refused; the owner saw {last!r}']
