"""The page frame: header and content column, the same on every citizen page.

The header is also sent as plain HTML in the page (``shell_html``), so a phone on a slow link
paints it from the first bytes, before Vue and Quasar have arrived.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

from nicegui import background_tasks, ui

from services.settings import settings

from .design import escape
from .notification_bell import NotificationBell

STATIC_DIR = Path(__file__).parent.parent / 'static'
CSS_VERSION = hashlib.sha256((STATIC_DIR / 'lapor.css').read_bytes()).hexdigest()[:10]


def _header_html() -> str:
    return (f'<header class="lapor-header"><a href="/" class="lapor-brand">{settings.app_name}'
            f'<small>{settings.region_name}</small></a>'
            f'<nav><a href="/lacak">Lacak aduan</a></nav></header>')


def head_html() -> str:
    return (f'<link rel="stylesheet" href="/static/lapor.css?v={CSS_VERSION}">'
            '<meta name="theme-color" content="#0b5cab">')


def shell_html() -> str:
    return f'<div id="lapor-shell">{_header_html()}<div class="lapor-main">Memuat…</div></div>'


@contextmanager
def frame():
    """The centred content column: NiceGUI's own content element, styled as one (no element of its own);
    yields it. The header is the shell's (``shell_html``), which stays above the app on citizen pages, so
    no page builds it again."""
    content = ui.context.client.content
    content.classes('lapor-main')
    with content:
        yield content


@contextmanager
def admin_frame(actor_name: str, role_label: str, *, supervisor: bool = False, user_id: int | None = None):
    """The staff header (the board, settings for supervisors, notices, who is signed in, sign out) and a
    wide content column; yields the column. ``user_id`` shows that staff member's live notices."""
    with ui.element('header').classes('lapor-header'):
        ui.html(f'<a href="/admin" class="lapor-brand">{settings.app_name}<small>Papan aduan petugas</small></a>',
                sanitize=False, tag='span')
        with ui.element('nav').classes('lapor-staff-nav'):
            links = '<a href="/admin">Papan</a>'
            if supervisor:
                links += '<a href="/admin/pengaturan">Pengaturan</a>'
            ui.html(links, sanitize=False, tag='span')
            if user_id is not None:
                bell = NotificationBell(user_id)
                background_tasks.create(bell.refresh(), name='notice count')
            ui.html(f'<span>{escape(actor_name)} ({role_label})</span><a href="/logout">Keluar</a>',
                    sanitize=False, tag='span')
    with ui.element('main').classes('lapor-admin') as main:
        yield main
