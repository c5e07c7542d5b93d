"""The SLA countdown: one element that ticks in the browser, never a server timer (see sla_clock.js)."""

from __future__ import annotations

from nicegui import ui

from services import clock
from services.complaints_labels import CLOCK_LABELS, COUNTDOWN_LABELS
from services.sla import ClockView


class SlaCountdown(ui.element, component='sla_countdown.js', dependencies=['sla_clock.js']):
    def __init__(self, view: ClockView, *, label: str | None = None) -> None:
        super().__init__()
        self._props.update(labels=COUNTDOWN_LABELS, **self._fields(view, label))  # one change while being built

    @staticmethod
    def _fields(view: ClockView, label: str | None) -> dict:
        return {'label': label or CLOCK_LABELS[view.kind], 'clock': view.for_browser(),
                'server-now': int(clock.now().timestamp() * 1000)}

    def show(self, view: ClockView, *, label: str | None = None) -> None:
        """Point the countdown at ``view`` (one update, sent by the props' change; the browser does the ticking)."""
        self._props.update(self._fields(view, label))
