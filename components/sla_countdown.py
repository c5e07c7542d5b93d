"""The SLA countdown: one element that ticks in the browser, never a server timer."""

from __future__ import annotations

from nicegui import ui

from services import clock
from services.complaints_labels import CLOCK_LABELS
from services.sla import ClockView


def _ms(moment) -> int | None:
    return int(moment.timestamp() * 1000) if moment is not None else None


class SlaCountdown(ui.element, component='sla_countdown.js'):
    def __init__(self, view: ClockView, *, label: str | None = None) -> None:
        super().__init__()
        self.show(view, label=label)

    def show(self, view: ClockView, *, label: str | None = None) -> None:
        """Point the countdown at ``view`` (sends one update; the browser does the ticking)."""
        self._props.update({
            'label': label or CLOCK_LABELS[view.kind],
            'started': _ms(view.started_at),
            'due': _ms(view.due_at),
            'stopped': _ms(view.stopped_at),
            'outcome': view.outcome.value if view.outcome else None,
            'paused': view.paused,
            'server-now': _ms(clock.now()),
        })
        self.update()
