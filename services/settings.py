"""Settings from environment variables prefixed ``LAPOR_`` (one object, read once)."""

from __future__ import annotations

import secrets
import socket
from functools import cached_property
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix='LAPOR_', env_file='.env', extra='ignore')

    data_dir: Path = Path('data')
    db_url: str = ''  # empty means a SQLite file under data_dir
    host: str = '127.0.0.1'
    port: int = 8080
    public_url: str = ''  # empty means the address the app serves on (_default_public_url)
    region_name: str = 'Kabupaten Wonosobo'
    app_name: str = 'Lapor Bupati'
    code_prefix: str = 'WSB'
    timezone: str = 'Asia/Jakarta'
    timezone_label: str = 'WIB'

    # Rate limits: N actions per window (seconds) per client address.
    submit_limit: int = 5
    submit_window: int = 600
    lookup_fail_limit: int = 30
    lookup_fail_window: int = 60
    upload_limit: int = 30
    upload_window: int = 600
    # Wrong PINs per complaint from all addresses together (a 6-digit PIN must outlast a botnet)
    pin_fail_limit: int = 10
    pin_fail_window: int = 3600
    # The reporter's added information per complaint: each one tells every admin of the OPD (in-app and email)
    reporter_info_limit: int = 10
    reporter_info_window: int = 3600
    # Page loads waiting for their websocket before a new one gets a small 'please wait' page (api/edge.py)
    unconnected_per_address: int = 20
    unconnected_total: int = 250

    # Photos
    max_photos: int = 3
    max_upload_bytes: int = 12 * 1024 * 1024  # one request; phones send originals when the browser cannot shrink them
    photo_max_side: int = 1600
    photo_quality: int = 80

    reconnect_timeout: float = 30.0

    # The working-hours calendar (categories that choose it): days 1=Monday..7=Sunday, local times
    work_days: str = '1,2,3,4,5'
    work_start: str = '07:30'
    work_end: str = '16:00'
    holiday_country: str = 'ID'

    # Staff sessions and logins
    admin_password: str = ''  # the first supervisor's password; random (printed once) when empty
    session_idle_hours: float = 8.0
    sla_sweep_seconds: int = 60

    # The outbox's senders (services/senders.py): each is off while its address is empty, and its messages
    # wait in the outbox until it is set
    smtp_host: str = ''
    smtp_port: int = 587  # 465 means TLS from the first byte; any other port upgrades with STARTTLS
    smtp_user: str = ''
    smtp_password: str = ''
    smtp_from: str = ''  # the From address; empty means LAPOR_SMTP_USER
    smtp_starttls: bool = True  # refuse to send (and to log in) over a connection that cannot upgrade to TLS
    sms_webhook_url: str = ''  # an SMS or WhatsApp gateway that takes the JSON body in README's table
    sms_webhook_secret: str = ''  # sent as the X-Lapor-Secret header
    outbox_timeout: float = 10.0  # seconds for one message's connect, send and answer
    outbox_seconds: float = 5.0  # how often the worker looks for due messages besides the wake-up after a change

    @model_validator(mode='after')
    def _default_public_url(self) -> Settings:
        """Links and QR codes point where this server listens unless told otherwise (a proxy or a domain)."""
        if not self.public_url:
            self.public_url = f'http://{_visitable(self.host)}:{self.port}'
        return self

    @property
    def database_url(self) -> str:
        return self.db_url or f'sqlite://{(self.data_dir / "lapor.sqlite3").as_posix()}'

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / 'lampiran'

    @cached_property
    def secret(self) -> str:
        """The server secret: generated on first start and kept under the data folder."""
        path = self.data_dir / 'secret.key'
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def _visitable(host: str) -> str:
    """The host as a browser's address.

    0.0.0.0 and :: listen on every interface but cannot be visited. They mean other machines should reach the
    app, which a link to 127.0.0.1 never lets them do (it would work on the server and fail only on a citizen's
    phone); the machine's name does where the network knows it, and where it does not, the addresses printed
    at start show it at once, so the operator sets LAPOR_PUBLIC_URL.
    """
    if host in {'', '0.0.0.0', '::'}:
        return socket.gethostname()
    return f'[{host}]' if ':' in host else host  # an IPv6 literal is bracketed in a URL


settings = Settings()
