"""The one clock of the services: UTC now, movable in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .settings import settings

_offset = timedelta(0)
_frozen: datetime | None = None

LOCAL_ZONE = ZoneInfo(settings.timezone)


def now() -> datetime:
    """The current time in UTC (aware)."""
    return _frozen if _frozen is not None else datetime.now(UTC) + _offset


def freeze(moment: datetime | None) -> None:
    """Stop the clock at ``moment`` (tests); ``None`` lets it run again."""
    global _frozen  # noqa: PLW0603
    _frozen = moment


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests)."""
    global _frozen, _offset  # noqa: PLW0603
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta


def reset() -> None:
    global _frozen, _offset
    _frozen, _offset = None, timedelta(0)


def local(moment: datetime) -> datetime:
    """``moment`` in the regency's zone (WIB)."""
    return moment.astimezone(LOCAL_ZONE)
