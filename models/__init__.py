"""Tortoise models: data and field-level helpers only; behaviour lives in services."""

from .access import ApiKey
from .complaint import Attachment, Complaint, SlaClock, TimelineEvent
from .enums import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Channel,
    ClockKind,
    ClockOutcome,
    EventKind,
    Privacy,
    SlaCalendar,
    Status,
)
from .reference import Agency, Category, District

__all__ = [
    'CLOSED_STATUSES', 'OPEN_STATUSES', 'Agency', 'ApiKey', 'Attachment', 'Category', 'Channel', 'ClockKind',
    'ClockOutcome', 'Complaint', 'District', 'EventKind', 'Privacy', 'SlaCalendar', 'SlaClock', 'Status',
    'TimelineEvent',
]
