"""Messages per second through the outbox's worker, to a local SMTP server and to a local webhook, beside a bare
send loop to the same receivers in the same run.

The receivers run on loopback: aiosmtpd in a thread of this process (its own event loop), and a stdlib HTTP
server speaking HTTP/1.1 with keep-alive (as a gateway behind a proxy does) in a process of its own. Each
figure puts ``count`` messages in the outbox of a fresh SQLite file (as ``open_database`` opens it: WAL,
synchronous=NORMAL), then times the worker's passes (``outbox.deliver_due``: claim a batch with one conditional
update, send, record each outcome and its try in a transaction of its own) until nothing is left, with retries
off (a failure would fail at once; none is expected, and the receivers' counts are checked: every message
arrived, once). The floors send the same messages with nothing else: one aiosmtplib connection and
``send_message`` in a loop, one httpx client and ``post`` in a loop.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import socket
import time
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .table import Row

TARGET_RATE = 50.0  # messages per second, each way


def measure(work_dir: Path, *, count: int = 500) -> list[Row]:
    return asyncio.run(_measure(work_dir, count=count))


async def _measure(work_dir: Path, *, count: int) -> list[Row]:
    import aiosmtplib  # noqa: PLC0415
    import httpx  # noqa: PLC0415
    from aiosmtpd.controller import Controller  # noqa: PLC0415

    mailbox = _Mailbox()
    smtp = Controller(mailbox, hostname='127.0.0.1', port=_free_port())
    smtp.start()
    gateway = _Gateway()
    gateway.start()
    gateway_url = gateway.url
    try:
        email_rate = await _through_worker(work_dir / 'outbox-email.sqlite3', 'email', count, smtp.port, gateway_url)
        assert mailbox.received == count and len(mailbox.ids) == count, (mailbox.received, len(mailbox.ids))
        webhook_rate = await _through_worker(work_dir / 'outbox-webhook.sqlite3', 'webhook', count, smtp.port,
                                             gateway_url)
        assert gateway.counts() == (count, count), gateway.counts()

        started = time.perf_counter()
        client = aiosmtplib.SMTP(hostname='127.0.0.1', port=smtp.port, start_tls=False)
        await client.connect()
        for n in range(count):
            await client.send_message(_mail(n))
        await client.quit()
        email_floor = count / (time.perf_counter() - started)

        started = time.perf_counter()
        async with httpx.AsyncClient() as http:
            for n in range(count):
                reply = await http.post(gateway_url, json={'to': _address('webhook', n), 'text': _TEXT,
                                                           'code': _CODE, 'id': -n - 1})
                reply.raise_for_status()
        webhook_floor = count / (time.perf_counter() - started)
    finally:
        smtp.stop()
        gateway.stop()
    target = f'>= {TARGET_RATE:.0f}/s'
    return [
        Row(f'outbox worker to local SMTP (aiosmtpd), {count} emails, retries off', email_rate, 'messages/s',
            email_floor, 'bare aiosmtplib send loop', target, email_rate >= TARGET_RATE),
        Row(f'outbox worker to local webhook (HTTP/1.1), {count} SMS, retries off', webhook_rate, 'messages/s',
            webhook_floor, 'bare httpx post loop', target, webhook_rate >= TARGET_RATE),
    ]


_CODE = 'WSB-7K3M-9QXD'
_TEXT = ('Lapor Bupati: aduan WSB-7K3M-9QXD sudah ditanggapi petugas. Baca di '
         'https://lapor.wonosobokab.go.id/lacak/WSB-7K3M-9QXD')


async def _through_worker(path: Path, kind: str, count: int, smtp_port: int, gateway_url: str) -> float:
    """Queue ``count`` messages of ``kind`` in a fresh database, then time the worker draining them."""
    from models import Recipient, Transport  # noqa: PLC0415
    from services import db, outbox, writes  # noqa: PLC0415
    from services.settings import settings  # noqa: PLC0415

    settings.smtp_host, settings.smtp_port, settings.smtp_starttls = '127.0.0.1', smtp_port, False
    settings.smtp_from = 'lapor@wonosobokab.go.id'
    settings.sms_webhook_url, settings.sms_webhook_secret = gateway_url, 'bench'
    transport = Transport.EMAIL if kind == 'email' else Transport.WEBHOOK
    async with db.open_database(f'sqlite://{path.as_posix()}'):
        for start in range(0, count, 100):  # one message each for as many reporters
            async with writes.transaction():
                await outbox.enqueue([outbox.Draft(Recipient.REPORTER, transport, _address(kind, n), _TEXT,
                                                   f'Aduan {_CODE}') for n in range(start, min(start + 100, count))],
                                     code=_CODE, move='respond')
        started = time.perf_counter()
        sent = 0
        while (done := await outbox.deliver_due(backoff=())).claimed:
            sent += done.sent
        elapsed = time.perf_counter() - started
    assert sent == count, f'{sent} of {count} {kind} messages sent'
    return count / elapsed


def _address(kind: str, n: int) -> str:
    return f'pelapor{n}@contoh.id' if kind == 'email' else f'62812{n:08d}'


def _mail(n: int) -> EmailMessage:
    mail = EmailMessage()
    mail['From'], mail['To'], mail['Subject'] = 'lapor@wonosobokab.go.id', _address('email', n), f'Aduan {_CODE}'
    mail['Message-ID'] = f'<bench-floor-{n}@wonosobokab.go.id>'
    mail.set_content(_TEXT)
    return mail


class _Mailbox:
    """aiosmtpd's handler: counts what it accepts, and the distinct Message-IDs among the worker's."""

    def __init__(self) -> None:
        self.received = 0
        self.ids: set[str] = set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content.decode('utf-8', 'replace')
        for line in content.splitlines():
            if line.lower().startswith('message-id: <lapor-outbox-'):
                self.received += 1
                self.ids.add(line)
                break
        return '250 OK'


class _Gateway:
    """The webhook receiver in a process of its own, as a gateway is: in this process its threads would contend
    with the worker's event loop for the GIL (eight requests at once ran at a third of the rate of one). It
    counts the worker's bodies (positive ids) and their distinct ids, and answers ``GET /count`` with both."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f'http://127.0.0.1:{self.port}/sms'
        self._process = multiprocessing.get_context('spawn').Process(target=_serve_gateway, args=(self.port,),
                                                                      daemon=True)

    def start(self) -> None:
        self._process.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError('the bench gateway did not start')

    def counts(self) -> tuple[int, int]:
        import httpx  # noqa: PLC0415

        received, distinct = httpx.get(f'http://127.0.0.1:{self.port}/count').json()
        return received, distinct

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(5)


def _serve_gateway(port: int) -> None:
    received = 0
    ids: set[int] = set()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'
        # The answer goes out in one segment: headers and body written apart on a kept-alive connection met the
        # client's delayed ACK (Nagle), 40 ms an answer, and the floor measured that instead of the loop
        wbufsize = 64 * 1024
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            nonlocal received
            body = json.loads(self.rfile.read(int(self.headers.get('Content-Length') or 0)))
            if body['id'] > 0:
                received += 1
                ids.add(body['id'])
            self._answer(b'ok')

        def do_GET(self) -> None:
            self._answer(json.dumps([received, len(ids)]).encode())

        def _answer(self, content: bytes) -> None:
            self.send_response(200)
            self.send_header('Content-Length', str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # socketserver's 5 dropped the connections of 8 messages at once (SYN retries)

    Server(('127.0.0.1', port), Handler).serve_forever()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]
