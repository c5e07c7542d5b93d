"""The board's queue element (see complaint_queue.js): rows in, single-row updates after; its pager too
(one element instead of four on every open board: each costs memory and collector time while it is open)."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from services import clock
from services.complaints_labels import COUNTDOWN_LABELS


class ComplaintQueue(ui.element, component='complaint_queue.js', dependencies=['sla_clock.js']):
    def __init__(self, *, page_size: int) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.sent: dict[int, dict[str, Any]] = {}  # rows pushed since the last full load (what the browser got)
        self._props.update({'initial': (), 'page-size': page_size, 'page': 0, 'pages': 1, 'total': 0, 'sound': False,
                            'labels': COUNTDOWN_LABELS, 'server-now': _now_ms()})
        self.counted = (0, 1)  # (total, pages) the pager shows: the last full load's, or set_total's since

    @property
    def pager_text(self) -> str:
        total, pages = self.counted
        return f'Halaman {self._props["page"] + 1} dari {pages} · {total} aduan'

    def show(self, rows: list[dict[str, Any]], *, page: int, pages: int = 1, total: int | None = None) -> None:
        """Show ``rows`` as page ``page`` (from 0) of ``pages``, ``total`` complaints in all (default: just these
        rows, one page)."""
        self.rows = rows
        self.sent.clear()
        # A tuple: NiceGUI wraps a list of dicts in props into observable collections, one per row and per
        # nested dict (about 100 objects a page, on every board, for data only ever sent as it is)
        total = len(rows) if total is None else total
        self.counted = (total, pages)
        self._props.update({'initial': tuple(rows), 'page': page, 'pages': pages, 'total': total,
                            'server-now': _now_ms()})
        self.update()

    def set_total(self, total: int, *, pages: int) -> None:
        """The pager's count of complaints and pages, without sending the rows again. Not through the props: they
        are observable, and any change of one sends them all, putting the last full load's rows back over the
        rows pushed since."""
        if self.counted == (total, pages):
            return  # unchanged (e.g. a row only updated): no message
        self.counted = (total, pages)
        self.run_method('setTotal', total, pages)

    def upsert(self, row: dict[str, Any], *, is_new: bool) -> None:
        self.sent[row['id']] = row
        self.run_method('upsert', row, is_new)

    def remove(self, row_id: int) -> None:
        self.sent.pop(row_id, None)
        self.run_method('remove', row_id)

    def _displayed_contents(self, *, only_visible: bool) -> list:
        return [*super()._displayed_contents(only_visible=only_visible), self.pager_text,
                *(f'{r["code"]} {r["title"]}' for r in [*self.rows, *self.sent.values()]),
                *(f'{r["code"]} · {r["channel_label"]}' for r in [*self.rows, *self.sent.values()])]


def _now_ms() -> int:
    return int(clock.now().timestamp() * 1000)
