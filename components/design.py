"""Colours, labels and formats: the one place that says how domain values look."""

from __future__ import annotations

import html
from datetime import datetime

from services import clock
from services.complaints_labels import PRIVACY_LABELS, STATUS_LABELS  # noqa: F401  (re-exported for pages)
from services.settings import settings

# The one primary colour: the header's blue, and every primary button, toggle and link (Quasar's "primary" is
# set from it in main.py). The pale default of NiceGUI (#5898d4) under white text reached 3.1:1 and looked disabled.
PRIMARY = '#0b5cab'
DAYS = ('Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu')
MONTHS = ('Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober',
          'November', 'Desember')

# The app's colours as CSS custom properties (--lapor-NAME), set once in each page's head (frame.head_html):
# static/lapor.css only refers to them
COLOURS = {
    'primary': PRIMARY,
    'text': '#1d2733', 'muted': '#5f6b7a', 'line': '#dde3ea', 'page': '#f4f6f9', 'surface': '#ffffff',
    'ok': '#18763a', 'warn': '#a15c00', 'bad': '#c62828',
    'warn-bg': '#fff8ec', 'bad-bg': '#fdecea', 'note-bg': '#fff4e5', 'breached-row': '#fff5f5',
    'inactive-bg': '#f7f8fa', 'warn-line': '#f0b45a', 'bad-line': '#ef9a9a', 'photo-bg': '#e8edf2',
}
# Quasar's brand colours (app.colors): primary buttons, toggles and checkboxes, positive and negative notices
BRAND = {'primary': PRIMARY, 'positive': COLOURS['ok'], 'negative': COLOURS['bad']}

# White text on each status badge (the tracking page): all at WCAG AA, 4.5:1 or more (tests/test_design.py)
STATUS_COLOURS = {
    'baru': '#5c6bc0', 'didisposisikan': '#0277bd', 'direspons': '#00767f', 'ditindaklanjuti': '#6a1b9a',
    'menunggu_pelapor': '#b45309', 'selesai': '#2e7d32', 'ditolak': '#757575', 'ditutup': '#455a64',
    'digabung': '#5d4037',
}

# Every text colour on every background the pages put it on (foreground, background), by COLOURS' names: each
# pair is held to WCAG AA's 4.5:1 (tests/test_design.py), the states a browser test may never meet included
TEXT_ON = (
    ('text', 'page'), ('text', 'surface'), ('text', 'breached-row'), ('text', 'inactive-bg'), ('text', 'bad-bg'),
    ('text', 'note-bg'), ('muted', 'surface'), ('muted', 'page'), ('muted', 'inactive-bg'), ('muted', 'warn-bg'),
    ('muted', 'bad-bg'), ('muted', 'breached-row'), ('primary', 'surface'), ('primary', 'page'),
    ('surface', 'primary'), ('surface', 'bad'), ('ok', 'surface'), ('ok', 'page'), ('ok', 'breached-row'),
    ('warn', 'surface'), ('warn', 'warn-bg'), ('warn', 'breached-row'), ('bad', 'surface'), ('bad', 'bad-bg'),
    ('bad', 'breached-row'), ('bad', 'page'),
)


def css_variables() -> str:
    """``:root { --lapor-primary: ...; ... }`` for the page head."""
    return ':root{' + ';'.join(f'--lapor-{name}:{value}' for name, value in COLOURS.items()) + '}'


def contrast(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def wib(moment: datetime) -> str:
    """'Sabtu, 28 November 2026 pukul 15.30 WIB'."""
    local = clock.local(moment)
    return (f'{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} '
            f'pukul {local:%H.%M} {settings.timezone_label}')


def wib_short(moment: datetime) -> str:
    """'28 Nov 15.30'."""
    local = clock.local(moment)
    return f'{local.day} {MONTHS[local.month - 1][:3]} {local:%H.%M}'


def wib_time(moment: datetime) -> str:
    """'pukul 15.30 WIB' today, else the full date."""
    local, today = clock.local(moment), clock.local(clock.now())
    if local.date() == today.date():
        return f'pukul {local:%H.%M} {settings.timezone_label} hari ini'
    return wib(moment)


def escape(text: str) -> str:
    """Text safe to place inside hand-written HTML."""
    return html.escape(text, quote=True)
