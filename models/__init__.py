"""Tortoise models: data and field-level helpers only; behaviour lives in services."""

from .access import ApiKey
from .app_setting import AppSetting
from .complaint import Attachment, Complaint, SlaClock, TimelineEvent
from .enums import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Channel,
    ClockKind,
    ClockOutcome,
    EventKind,
    OutboxStatus,
    Privacy,
    Recipient,
    Role,
    ScreeningOutcome,
    SlaCalendar,
    Status,
    Transport,
)
from .intake import IntakeRecord, ScreeningCriterion, SocialScreening
from .open311 import CategoryAttribute
from .outbox import OutboxAttempt, OutboxMessage
from .reference import Agency, Category, District
from .staff import AccessLog, Notification, ResponseTemplate, StaffSession, User

__all__ = [
    'CLOSED_STATUSES', 'OPEN_STATUSES', 'AccessLog', 'Agency', 'ApiKey', 'AppSetting', 'Attachment', 'Category',
    'CategoryAttribute', 'Channel', 'ClockKind', 'ClockOutcome', 'Complaint', 'District', 'EventKind',
    'IntakeRecord', 'Notification', 'OutboxAttempt', 'OutboxMessage', 'OutboxStatus', 'Privacy', 'Recipient',
    'ResponseTemplate', 'Role', 'ScreeningCriterion', 'ScreeningOutcome', 'SlaCalendar', 'SlaClock',
    'SocialScreening', 'StaffSession', 'Status', 'TimelineEvent', 'Transport', 'User',
]
