"""The in-process event bus that pages subscribe to.

Services publish after their transaction commits. Each event carries the changed complaint
already turned into the projections its audiences may see, so a hundred open pages cost one
database read, and a page only ever renders the projection meant for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nicegui import Event

if TYPE_CHECKING:
    from .complaints import PublicView


@dataclass(frozen=True, slots=True)
class ComplaintNews:
    kind: str  # 'created' or 'updated'
    complaint_id: int
    code_key: str
    public: PublicView
    row: dict[str, Any] | None = None  # the staff projection (services.rows), for boards


complaint_changed: Event[ComplaintNews] = Event()
staff_notified: Event[frozenset[int]] = Event()  # the staff user ids that have a new in-app notice
staff_changed: Event[int] = Event()  # a staff user id whose access changed: sessions, role, OPD, active
outbox_queued: Event[int] = Event()  # how many messages a commit put in the outbox (wakes its worker)


_published = 0


def publish(news: ComplaintNews) -> None:
    global _published  # noqa: PLW0603
    _published += 1
    complaint_changed.emit(news)


def reference_data_changed() -> None:
    """Count an edit of what rows name (an OPD, a category, a kecamatan) as a change: readings shared
    between boards since then are stale."""
    global _published  # noqa: PLW0603
    _published += 1


def published() -> int:
    """How many changes were published so far (complaints, and the reference data their rows name): a cheap
    "has anything changed since" check."""
    return _published
