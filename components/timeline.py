"""The timeline: one data-driven element; a change resends only its rows."""

from __future__ import annotations

from collections.abc import Iterable

from nicegui import ui

from services import attachments
from services.complaints import EventView
from services.complaints_labels import EVENT_LABELS

from .design import wib_short


def timeline_rows(events: Iterable[EventView]) -> list[dict]:
    return [{'id': f'{e.created_at.timestamp()}-{index}', 'label': EVENT_LABELS[e.kind],
             'when': wib_short(e.created_at), 'actor': e.actor or '', 'message': e.message,
             'photos': [attachments.signed_url(sha) for sha in e.photos]}
            for index, e in enumerate(events)]


class Timeline(ui.element, component='timeline.js'):
    def __init__(self, events: Iterable[EventView], *, empty: str = 'Belum ada catatan.', heading: str = '') -> None:
        super().__init__()
        self._props.update(empty=empty, heading=heading, rows=timeline_rows(events))  # one change while being built

    def show(self, events: Iterable[EventView], *, internal: Iterable[bool] = ()) -> None:
        """Show ``events``; those flagged in ``internal`` (staff pages only) are marked as such."""
        rows = timeline_rows(events)
        for row, hidden in zip(rows, internal, strict=False):
            if hidden:
                row.update(internal=True, label=f'{row["label"]} (internal)')
        self._props['rows'] = rows  # the change sends the element

    def _displayed_contents(self, *, only_visible: bool) -> list:
        # lets NiceGUI's simulated user (tests) read the rows like a person reads the page
        return [*super()._displayed_contents(only_visible=only_visible), self._props.get('heading'),
                *(f'{r["label"]} {r["message"]}' for r in self._props['rows'])]
