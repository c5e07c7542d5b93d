"""Enumerations shared by models and services. Values are what is stored."""

from enum import StrEnum


class Status(StrEnum):
    BARU = 'baru'
    DIDISPOSISIKAN = 'didisposisikan'
    DIRESPONS = 'direspons'
    DITINDAKLANJUTI = 'ditindaklanjuti'
    MENUNGGU_PELAPOR = 'menunggu_pelapor'
    SELESAI = 'selesai'
    DITOLAK = 'ditolak'
    DITUTUP = 'ditutup'
    DIGABUNG = 'digabung'  # merged into another complaint, which it follows (issue 12 §3)


OPEN_STATUSES = frozenset({Status.BARU, Status.DIDISPOSISIKAN, Status.DIRESPONS, Status.DITINDAKLANJUTI,
                           Status.MENUNGGU_PELAPOR})
CLOSED_STATUSES = frozenset(set(Status) - OPEN_STATUSES)


class Privacy(StrEnum):
    PUBLIK = 'publik'
    ANONIM = 'anonim'
    RAHASIA = 'rahasia'


class Channel(StrEnum):
    WEB = 'web'
    API = 'api'
    CALL_CENTER = 'call_center'
    SOCIAL_MEDIA = 'social_media'
    WHATSAPP = 'whatsapp'
    WALK_IN = 'walk_in'  # datang langsung
    LETTER = 'letter'  # surat


class ScreeningOutcome(StrEnum):
    PASSED = 'passed'  # every required criterion holds: it became a complaint
    SCREENED_OUT = 'screened_out'  # recorded with its reasons, never public


class ClockKind(StrEnum):
    FIRST_RESPONSE = 'first_response'
    RESOLUTION = 'resolution'


class ClockOutcome(StrEnum):
    MET = 'met'
    LATE = 'late'
    REJECTED = 'rejected'
    MERGED = 'merged'  # stopped because the complaint was merged into another: neither met nor late


class SlaCalendar(StrEnum):
    ROUND_THE_CLOCK = 'round_the_clock'
    WORKING_HOURS = 'working_hours'


class EventKind(StrEnum):
    SUBMITTED = 'submitted'
    DISPATCHED = 'dispatched'
    REASSIGNED = 'reassigned'
    HANDED_BACK = 'handed_back'
    REJECTED = 'rejected'
    RESPONDED = 'responded'
    FOLLOW_UP = 'follow_up'
    WAITING = 'waiting'
    RESOLVED = 'resolved'
    REOPENED = 'reopened'
    INFO_ADDED = 'info_added'
    RATED = 'rated'
    CLOSED = 'closed'
    NOTE = 'note'
    SLA_AT_RISK = 'sla_at_risk'
    SLA_BREACHED = 'sla_breached'
    MERGED = 'merged'  # on both complaints of a merge


class Role(StrEnum):
    SUPERVISOR = 'supervisor'
    OPD_ADMIN = 'opd_admin'
    OPERATOR = 'operator'
    VIEWER = 'viewer'


class Recipient(StrEnum):
    REPORTER = 'reporter'
    STAFF = 'staff'


class Transport(StrEnum):
    EMAIL = 'email'
    WEBHOOK = 'webhook'  # an SMS or WhatsApp gateway behind LAPOR_SMS_WEBHOOK_URL


class OutboxStatus(StrEnum):
    PENDING = 'pending'
    SENT = 'sent'
    FAILED = 'failed'
