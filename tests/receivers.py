"""Real receivers on loopback for the outbox: an SMTP server (aiosmtpd) and an HTTP server taking the webhook.

Each runs in a thread of its own and can be taken down (its port closed: connections are refused) and brought
back on the same port, as a mail server or an SMS gateway that is down for a while.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts."""

    port: int = field(default_factory=free_port)
    messages: list[Message] = field(default_factory=list)
    _controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return '250 OK'

    def up(self) -> Mailbox:
        self._controller = Controller(self, hostname='127.0.0.1', port=self.port)
        self._controller.start()
        return self

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def ids(self) -> list[str]:
        return [m['Message-ID'] for m in self.messages]

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m['To'] == address]

    def subjects(self, address: str) -> list[str]:
        """The subjects sent to ``address``, as a mail client shows them (Python folds a long one right after
        "Subject:", which is valid, and its parser keeps the space that folding leaves)."""
        return [str(m['Subject']).strip() for m in self.to(address)]


@dataclass
class Gateway:
    """An HTTP server on 127.0.0.1 that takes the outbox's webhook: it keeps each JSON body and its secret header,
    and answers ``status`` (200 unless told otherwise)."""

    port: int = field(default_factory=free_port)
    received: list[dict[str, Any]] = field(default_factory=list)
    secrets: list[str | None] = field(default_factory=list)
    status: int = 200
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}/sms'

    def up(self) -> Gateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                if gateway.status < 300:
                    gateway.received.append(json.loads(body))
                    gateway.secrets.append(self.headers.get('X-Lapor-Secret'))
                self.send_response(gateway.status)
                self.send_header('Content-Length', '2')
                self.end_headers()
                self.wfile.write(b'ok')

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # socketserver's 5 drops connections when the worker sends 8 at once

        self._server = Server(('127.0.0.1', self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def ids(self) -> list[int]:
        return [body['id'] for body in self.received]
