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

from .design import PRIMARY, css_variables, escape
from .notification_bell import NotificationBell

STATIC_DIR = Path(__file__).parent.parent / 'static'
CSS_VERSION = hashlib.sha256((STATIC_DIR / 'lapor.css').read_bytes()).hexdigest()[:10]


def _header_html() -> str:
    return (f'<header class="lapor-header"><a href="/" class="lapor-brand">{settings.app_name}'
            f'<small>{settings.region_name}</small></a>'
            f'<nav aria-label="Menu"><a href="/lacak">Lacak aduan</a></nav></header>')


def head_html() -> str:
    """The stylesheet, and the colours it refers to (components/design.py owns them)."""
    return (f'<style>{css_variables()}</style><link rel="stylesheet" href="/static/lapor.css?v={CSS_VERSION}">'
            f'<meta name="theme-color" content="{PRIMARY}">')


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
def admin_frame(actor_name: str, role_label: str, *, supervisor: bool = False, user_id: int | None = None,
                intake: bool | None = None):
    """The staff header (the board, settings for supervisors, notices, who is signed in, sign out) and a
    wide content column; yields the column. ``user_id`` shows that staff member's live notices.

    On a phone the header takes two rows (the brand, who is signed in and "Keluar"; then the links), on a wider
    screen one: an OPD head checks the queue on the road, where four wrapped lines of header pushed the queue
    off the first screen. The column is a plain ``div``: Quasar's page is the document's ``main`` already."""
    with ui.element('header').classes('lapor-header lapor-staff-header'):
        ui.html(f'<a href="/admin" class="lapor-brand">{settings.app_name}<small>Papan aduan petugas</small></a>',
                sanitize=False, tag='span').classes('lapor-staff-brand')
        with ui.element('nav').classes('lapor-staff-nav').props('aria-label="Menu petugas"'):
            links = '<a href="/admin">Papan</a>'
            if supervisor if intake is None else intake:  # operators and supervisors enter complaints from 112 etc.
                links += '<a href="/admin/aduan/baru">Aduan baru</a><a href="/admin/penyaringan">Penyaringan</a>'
            if supervisor:
                links += '<a href="/admin/pengaturan">Pengaturan</a>'
            ui.html(links, sanitize=False, tag='span')
            if user_id is not None:
                bell = NotificationBell(user_id)
                background_tasks.create(bell.refresh(), name='notice count')
        ui.html(f'<span class="lapor-who">{escape(actor_name)} ({escape(role_label)})</span>'
                '<a href="/logout">Keluar</a>', sanitize=False, tag='span').classes('lapor-staff-me')
    with ui.element('div').classes('lapor-admin') as column:
        yield column
