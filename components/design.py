"""Colours, labels and formats: the one place that says how domain values look."""

from __future__ import annotations

import html
from datetime import datetime

from services import clock
from services.complaints_labels import PRIVACY_LABELS, STATUS_LABELS  # noqa: F401  (re-exported for pages)
from services.settings import settings

PRIMARY = '#0b5cab'
DAYS = ('Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu')
MONTHS = ('Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober',
          'November', 'Desember')

STATUS_COLOURS = {
    'baru': '#5c6bc0', 'didisposisikan': '#0277bd', 'direspons': '#00838f', 'ditindaklanjuti': '#6a1b9a',
    'menunggu_pelapor': '#ef6c00', 'selesai': '#2e7d32', 'ditolak': '#757575', 'ditutup': '#455a64',
}


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
