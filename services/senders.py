"""The outbox's two ways out: email over SMTP (aiosmtplib) and a webhook for an SMS or WhatsApp gateway (httpx).

Both are off until their address is set (``LAPOR_SMTP_HOST``, ``LAPOR_SMS_WEBHOOK_URL``); messages for a sender
that is off wait in the outbox. Every network step has a bounded timeout (``LAPOR_OUTBOX_TIMEOUT``), and any
failure is a ``SendError`` with a short reason for the supervisors' outbox page.

The webhook's body is ``{"to": "62812...", "text": "...", "code": "WSB-...", "id": <message id>}`` with the
header ``X-Lapor-Secret``; the same ``id`` comes again when a try is repeated, so a gateway can drop a repeat.
A reply other than 2xx, or none within the timeout, is a failure.
"""

from __future__ import annotations

import asyncio
import email.utils
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import httpx

from models import Transport

from .settings import settings

SECRET_HEADER = 'X-Lapor-Secret'


class SendError(Exception):
    """A message was not delivered; ``str()`` is the reason shown on the outbox page."""


def configured() -> frozenset[Transport]:
    """The transports whose sender is set up now."""
    on = set()
    if settings.smtp_host.strip():
        on.add(Transport.EMAIL)
    if settings.sms_webhook_url.strip():
        on.add(Transport.WEBHOOK)
    return frozenset(on)


def sender_address() -> str:
    return settings.smtp_from.strip() or settings.smtp_user.strip()


class EmailSender:
    """One SMTP connection for a batch of messages: opened on the first, dropped after any error, so the next
    message starts on a fresh one."""

    def __init__(self) -> None:
        self._smtp: aiosmtplib.SMTP | None = None

    async def send(self, *, message_id: int, to: str, subject: str, body: str) -> None:
        mail = EmailMessage()
        mail['From'] = sender_address()
        mail['To'] = to
        mail['Subject'] = subject
        mail['Date'] = email.utils.formatdate(localtime=False)
        # The same id on every try of this message: a mailbox that got an earlier try can tell it is a repeat
        domain = sender_address().rpartition('@')[2] or 'lapor.local'
        mail['Message-ID'] = f'<lapor-outbox-{message_id}@{domain}>'
        mail.set_content(body)
        try:
            smtp = await self._connection()
            await smtp.send_message(mail, timeout=settings.outbox_timeout)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            await self.close()
            raise SendError(f'SMTP: {_reason(error)}') from error

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is None or not self._smtp.is_connected:
            implicit_tls = settings.smtp_port == 465
            smtp = aiosmtplib.SMTP(
                hostname=settings.smtp_host.strip(), port=settings.smtp_port, timeout=settings.outbox_timeout,
                use_tls=implicit_tls, start_tls=False if implicit_tls else settings.smtp_starttls,
                username=settings.smtp_user or None, password=settings.smtp_password or None)
            await smtp.connect()
            self._smtp = smtp
        return self._smtp

    async def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None and smtp.is_connected:
            try:
                await asyncio.wait_for(smtp.quit(), settings.outbox_timeout)
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                smtp.close()


class WebhookSender:
    """POSTs to the gateway over one HTTP client (kept-alive connections) for a batch of messages."""

    def __init__(self) -> None:
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(settings.outbox_timeout), follow_redirects=False)

    async def send(self, *, message_id: int, to: str, text: str, code: str | None) -> None:
        body: dict[str, Any] = {'to': to, 'text': text, 'code': code, 'id': message_id}
        try:
            reply = await self._client.post(settings.sms_webhook_url.strip(), json=body,
                                            headers={SECRET_HEADER: settings.sms_webhook_secret})
        except httpx.TimeoutException as error:
            raise SendError(f'Webhook: tidak menjawab dalam {settings.outbox_timeout:g} detik') from error
        except httpx.HTTPError as error:
            raise SendError(f'Webhook: {_reason(error)}') from error
        if not 200 <= reply.status_code < 300:
            raise SendError(f'Webhook: jawaban HTTP {reply.status_code} {_shorten(reply.text, 200)}'.rstrip())

    async def close(self) -> None:
        await self._client.aclose()


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, TimeoutError):  # aiosmtplib's timeouts are TimeoutErrors too
        text = f'tidak menjawab dalam {settings.outbox_timeout:g} detik'
    return _shorten(text, 300)


def _shorten(text: str, length: int) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= length else text[:length - 1] + '…'
