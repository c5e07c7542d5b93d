"""First load of ``/`` on a slow phone link, beside a bare NiceGUI page served the same way.

Headless Chromium at phone size, throttled through the DevTools protocol to 150 ms latency,
1.6 Mbit/s down and 750 kbit/s up, with its cache on. Each run starts a browser with a fresh
profile (an empty cache), opens the page (the first visit), then opens it again in the same
browser (a repeat visit, from the cache). Reported, as the median of the runs:

- bytes on the wire (``encodedDataLength`` of every finished request) and the request count;
- first contentful paint (the browser's own ``first-contentful-paint`` entry);
- the time until the form can be used: a script injected before the page's own watches the DOM
  and notes ``performance.now()`` when a button reading "Kirim aduan" exists.

The floor is a bare NiceGUI page (four ``ui.input`` and the same button) in its own process with
the app's ``ui.run`` options, written to a temporary file at run time, so what the floor costs is
what NiceGUI itself costs. ``python -m bench.firstload`` also starts the app on a free port with a
temporary data folder; ``bench/__main__.py`` calls ``measure(base_url)`` on its own server.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from .process import stop
from .table import Row, print_table

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
PHONE = {'width': 360, 'height': 740, 'deviceScaleFactor': 2, 'mobile': True}
NETWORK = {'offline': False, 'latency': 150, 'downloadThroughput': 200_000, 'uploadThroughput': 93_750}  # bytes/s
RUNS = 3
READY_TEXT = 'Kirim aduan'

TARGET_FIRST_FCP_MS = 2000
TARGET_FIRST_KB = 350
TARGET_REPEAT_FCP_MS = 600

# Runs before the page's own scripts: notes when the submit button first exists in the DOM.
_READY_PROBE = textwrap.dedent(f'''
    (() => {{
      const ready = () => Array.from(document.querySelectorAll('button'))
        .some((b) => b.textContent.includes({json.dumps(READY_TEXT)}));
      const check = () => {{
        if (window.__benchReady === undefined && ready()) window.__benchReady = performance.now();
        return window.__benchReady !== undefined;
      }};
      new MutationObserver((_, observer) => {{ if (check()) observer.disconnect(); }})
        .observe(document, {{ childList: true, subtree: true }});
    }})();
''')

FLOOR_PAGE = textwrap.dedent('''
    import os

    from nicegui import ui


    @ui.page('/')
    def index() -> None:
        for label in ('Nama', 'Nomor HP', 'Judul singkat', 'Desa/kelurahan'):
            ui.input(label)
        ui.button('Kirim aduan')


    ui.run(host='127.0.0.1', port=int(os.environ['LAPOR_PORT']), title='floor', language='id', tailwind=False,
           reconnect_timeout=30.0, show=False, reload=False)
''')


@dataclass
class Request:
    url: str
    bytes: int
    status: int | None = None
    from_cache: bool = False


@dataclass
class Visit:
    fcp_ms: float
    ready_ms: float
    requests: list[Request] = field(default_factory=list)

    @property
    def kb(self) -> float:
        return sum(r.bytes for r in self.requests) / 1000

    @property
    def count(self) -> int:
        return len(self.requests)

    @property
    def on_the_wire(self) -> int:
        return sum(not r.from_cache for r in self.requests)


@dataclass
class Result:
    rows: list[Row]
    app_requests: list[Request]  # first visit, first run
    floor_requests: list[Request]


def measure(base_url: str) -> list[Row]:
    """The first-load rows for the app at ``base_url`` (its ``/``) beside a bare NiceGUI page."""
    result = _measure(base_url)
    print(_report(result), file=sys.stderr, flush=True)
    return result.rows


def _measure(base_url: str, *, runs: int = RUNS) -> Result:
    with _serve([_python(), '-c', FLOOR_PAGE], env={}) as floor_url:
        floor = [_visits(f'{floor_url}/') for _ in range(runs)]
    app = [_visits(f'{base_url.rstrip("/")}/') for _ in range(runs)]
    label = 'bare NiceGUI page'

    def median(visits: list[tuple[Visit, Visit]], which: int, figure: str) -> float:
        return statistics.median(getattr(v[which], figure) for v in visits)

    first_fcp, repeat_fcp = median(app, 0, 'fcp_ms'), median(app, 1, 'fcp_ms')
    first_kb = median(app, 0, 'kb')
    rows = [
        Row(f'first visit: bytes transferred (median of {runs})', first_kb, 'KB', median(floor, 0, 'kb'), label,
            f'< {TARGET_FIRST_KB} KB', first_kb < TARGET_FIRST_KB),
        Row('first visit: requests', median(app, 0, 'count'), 'requests', median(floor, 0, 'count'), label),
        Row('first visit: first contentful paint', first_fcp, 'ms', median(floor, 0, 'fcp_ms'), label,
            f'< {TARGET_FIRST_FCP_MS} ms', first_fcp < TARGET_FIRST_FCP_MS),
        Row(f'first visit: "{READY_TEXT}" in the DOM', median(app, 0, 'ready_ms'), 'ms',
            median(floor, 0, 'ready_ms'), label),
        Row('repeat visit: bytes transferred', median(app, 1, 'kb'), 'KB', median(floor, 1, 'kb'), label),
        Row('repeat visit: requests (all)', median(app, 1, 'count'), 'requests', median(floor, 1, 'count'), label),
        Row('repeat visit: requests not answered from the cache', median(app, 1, 'on_the_wire'), 'requests',
            median(floor, 1, 'on_the_wire'), label),
        Row('repeat visit: first contentful paint', repeat_fcp, 'ms', median(floor, 1, 'fcp_ms'), label,
            f'< {TARGET_REPEAT_FCP_MS} ms', repeat_fcp < TARGET_REPEAT_FCP_MS),
        Row(f'repeat visit: "{READY_TEXT}" in the DOM', median(app, 1, 'ready_ms'), 'ms',
            median(floor, 1, 'ready_ms'), label),
    ]
    return Result(rows, app[0][0].requests, floor[0][0].requests)


def _visits(url: str) -> tuple[Visit, Visit]:
    """A first visit with an empty cache, then a repeat visit in the same browser."""
    with tempfile.TemporaryDirectory(prefix='lapor-chromium-') as profile, _browser(Path(profile)) as driver:
        first = _visit(driver, url)
        driver.get('about:blank')  # a new navigation, not a reload (which would revalidate)
        repeat = _visit(driver, url)
    return first, repeat


@contextmanager
def _browser(profile: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                     '--disable-background-networking', '--disable-component-update', '--disable-sync',
                     '--no-first-run', '--disable-search-engine-choice-screen', '--disable-extensions',
                     f'--user-data-dir={profile}', f'--window-size={PHONE["width"]},{PHONE["height"]}'):
        options.add_argument(argument)
    options.set_capability('goog:loggingPrefs', {'performance': 'ALL'})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', PHONE)  # headless stops at 500 px wide
        driver.execute_cdp_cmd('Network.enable', {})
        driver.execute_cdp_cmd('Network.setCacheDisabled', {'cacheDisabled': False})
        driver.execute_cdp_cmd('Network.emulateNetworkConditions', NETWORK)
        driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': _READY_PROBE})
        yield driver
    finally:
        driver.quit()


def _visit(driver: webdriver.Chrome, url: str, *, timeout: float = 30.0, quiet: float = 1.0) -> Visit:
    driver.get_log('performance')  # drop what came before
    driver.get(url)
    deadline = time.monotonic() + timeout
    fcp = ready = None
    while fcp is None or ready is None:
        fcp, ready = driver.execute_script(
            "const p = performance.getEntriesByName('first-contentful-paint')[0];"
            'return [p ? p.startTime : null, window.__benchReady ?? null];')
        if time.monotonic() > deadline:
            raise RuntimeError(f'{url}: no first paint or no "{READY_TEXT}" after {timeout:.0f} s')
        time.sleep(0.02)
    # Collect until the network has been quiet for a while: late scripts, the favicon, fonts
    requests: dict[str, Request] = {}
    last_news = time.monotonic()
    while time.monotonic() - last_news < quiet and time.monotonic() < deadline:
        if _collect(driver.get_log('performance'), requests):
            last_news = time.monotonic()
        time.sleep(0.1)
    done = [r for r in requests.values() if r.bytes >= 0 and r.url.startswith('http')]
    return Visit(fcp_ms=fcp, ready_ms=ready, requests=done)


def _collect(entries: list[dict], requests: dict[str, Request]) -> bool:
    """Fold DevTools network events into ``requests`` (by request id); True when there were any."""
    news = False
    for entry in entries:
        message = json.loads(entry['message'])['message']
        method, params = message.get('method', ''), message.get('params', {})
        if not method.startswith('Network.'):
            continue
        news = True
        if method == 'Network.requestWillBeSent':
            requests[params['requestId']] = Request(params['request']['url'], -1)
        elif method == 'Network.responseReceived' and (request := requests.get(params['requestId'])):
            request.status = params['response'].get('status')
            request.from_cache |= bool(params['response'].get('fromDiskCache'))  # after requestServedFromCache
        elif method == 'Network.requestServedFromCache' and (request := requests.get(params['requestId'])):
            request.from_cache = True
        elif method == 'Network.loadingFinished' and (request := requests.get(params['requestId'])):
            request.bytes = int(params.get('encodedDataLength', 0))
    return news


def _report(result: Result) -> str:
    return '\n\n'.join((_requests_report('the app', result.app_requests),
                        _requests_report('the floor (bare NiceGUI page)', result.floor_requests)))


def _requests_report(what: str, requests: list[Request]) -> str:
    lines = [f'first visit of {what}: {len(requests)} requests, '
             f'{sum(r.bytes for r in requests) / 1000:,.1f} KB on the wire (largest first):']
    for r in sorted(requests, key=lambda r: -r.bytes):
        path = r.url.split('://', 1)[-1].split('/', 1)[-1]
        lines.append(f'  {r.bytes / 1000:8.1f} KB  {r.status or "-":>3}  /{path}')
    return '\n'.join(lines)


def _python() -> str:
    venv = ROOT / '.venv' / 'bin' / 'python'
    return str(venv) if venv.exists() else sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@contextmanager
def _serve(command: list[str], *, env: dict[str, str], timeout: float = 30.0) -> Iterator[str]:
    """Run ``command`` with a free port in ``LAPOR_PORT``; yield its URL once ``/`` answers."""
    port = _free_port()
    base_url = f'http://127.0.0.1:{port}'
    env = {**os.environ, **env, 'LAPOR_PORT': str(port), 'LAPOR_HOST': '127.0.0.1', 'LAPOR_PUBLIC_URL': base_url}
    with tempfile.TemporaryFile('w+') as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f'{command[:2]} did not start on port {port}:\n{log.read()[-3000:]}')
                try:
                    with urllib.request.urlopen(f'{base_url}/', timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.2)
            yield base_url
        finally:
            stop(process)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix='lapor-firstload-') as data:
        env = {'LAPOR_DATA_DIR': data, 'LAPOR_DB_URL': f'sqlite://{Path(data, "lapor.sqlite3").as_posix()}'}
        with _serve([_python(), 'main.py'], env=env) as base_url:
            result = _measure(base_url)
    print_table(result.rows)
    print()
    print(_report(result))
    return 0 if all(r.ok is not False for r in result.rows) else 1


if __name__ == '__main__':
    sys.exit(main())
