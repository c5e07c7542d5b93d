"""A form draft kept in the browser's localStorage (see form_draft.js)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from nicegui import ui


class FormDraft(ui.element, component='form_draft.js'):
    def __init__(self, storage_key: str, token: str, on_restore: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__()
        self._props['storage-key'] = storage_key
        self._props['token'] = token
        self.on('restore', lambda e: on_restore(e.args if isinstance(e.args, dict) else {}))

    def keep(self, name: str, element: ui.element, *, event: str = 'update:model-value',
             value: str = 'v') -> None:
        """Save ``element``'s value under ``name`` on every change, in the browser only.

        ``value`` is a JavaScript expression of the event's argument ``v`` (e.g. ``v?.label``).
        """
        key, field = json.dumps(self._props['storage-key']), json.dumps(name)
        element.on(event, js_handler=f'(v) => window.laporDraft?.put({key}, {field}, {value})')

    def clear(self) -> None:
        self.run_method('clear')
