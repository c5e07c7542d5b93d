"""The staff projection of a complaint: one row for every board and wall allowed to see it.

It never carries the reporter's contact data, so the same row can go to every staff client.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models import Complaint, SlaClock

from . import clock, sla
from .complaints_labels import CHANNEL_LABELS, STATUS_LABELS


def _ms(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def staff_row(complaint: Complaint, clocks: list[SlaClock], now: datetime) -> dict[str, Any]:
    running = [c for c in clocks if c.stopped_at is None]
    shown = min(running, key=lambda c: c.due_at) if running else (clocks[-1] if clocks else None)
    return {
        'id': complaint.id,
        'code': complaint.code,
        'key': complaint.code_key,
        'title': complaint.title or complaint.description[:80],
        'category': complaint.category.name,
        'agency': complaint.agency.short_name if complaint.agency else '',
        'agency_id': complaint.agency_id,
        'category_id': complaint.category_id,
        'district_id': complaint.district_id,
        'district': complaint.district.name if complaint.district else '',
        'status': complaint.status.value,
        'status_label': STATUS_LABELS[complaint.status],
        'channel': complaint.channel.value,
        'channel_label': CHANNEL_LABELS[complaint.channel],
        'privacy': complaint.privacy.value,
        'reported': _ms(complaint.reported_at),
        'updated': _ms(complaint.updated_at),
        'version': complaint.version,
        'sort_due': _ms(complaint.next_due_at),
        'sort_risk': _ms(complaint.next_risk_at),
        'sla_state': sla.state(shown, now).value if shown else '',
        'clock': sla.ClockView.of(shown).for_browser() if shown else None,  # drawn by components/sla_clock.js
        'clocks_running': len(running),
    }


async def row_for(complaint_id: int) -> dict[str, Any] | None:
    """The staff row of one complaint (for the event that tells boards it changed)."""
    complaint = await Complaint.get_or_none(id=complaint_id).select_related('category', 'agency', 'district')
    if complaint is None:
        return None
    return staff_row(complaint, await SlaClock.filter(complaint_id=complaint_id).order_by('id'), clock.now())
