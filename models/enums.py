"""Enumerations shared by models and services. Values are what is stored."""

from enum import Enum


class Status(str, Enum):
    BARU = 'baru'
    DIDISPOSISIKAN = 'didisposisikan'
    DIRESPONS = 'direspons'
    DITINDAKLANJUTI = 'ditindaklanjuti'
    MENUNGGU_PELAPOR = 'menunggu_pelapor'
    SELESAI = 'selesai'
    DITOLAK = 'ditolak'
    DITUTUP = 'ditutup'


OPEN_STATUSES = frozenset({Status.BARU, Status.DIDISPOSISIKAN, Status.DIRESPONS, Status.DITINDAKLANJUTI,
                           Status.MENUNGGU_PELAPOR})
CLOSED_STATUSES = frozenset(set(Status) - OPEN_STATUSES)


class Privacy(str, Enum):
    PUBLIK = 'publik'
    ANONIM = 'anonim'
    RAHASIA = 'rahasia'


class Channel(str, Enum):
    WEB = 'web'
    API = 'api'
    CALL_CENTER = 'call_center'
    SOCIAL_MEDIA = 'social_media'


class ClockKind(str, Enum):
    FIRST_RESPONSE = 'first_response'
    RESOLUTION = 'resolution'


class ClockOutcome(str, Enum):
    MET = 'met'
    LATE = 'late'
    REJECTED = 'rejected'


class SlaCalendar(str, Enum):
    ROUND_THE_CLOCK = 'round_the_clock'
    WORKING_HOURS = 'working_hours'


class EventKind(str, Enum):
    SUBMITTED = 'submitted'
    DISPATCHED = 'dispatched'
    REASSIGNED = 'reassigned'
    HANDED_BACK = 'handed_back'
    REJECTED = 'rejected'
    RESPONDED = 'responded'
    FOLLOW_UP = 'follow_up'
    WAITING = 'waiting'
    RESOLVED = 'resolved'
    NOTE = 'note'
    SLA_AT_RISK = 'sla_at_risk'
    SLA_BREACHED = 'sla_breached'
