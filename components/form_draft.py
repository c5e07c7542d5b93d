"""A form draft kept in the browser's localStorage by a card (see card.js), not an element of its own."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from nicegui import ui

from .card import Card


class FormDraft:
    def __init__(self, card: Card, storage_key: str, token: str, on_restore: Callable[[dict[str, Any]], Any]) -> None:
        """Keep the draft of the form that ``card`` begins: ``on_restore`` gets a draft found in the browser
        when the page loads; ``token`` is stored with a new draft (the form's idempotency key)."""
        self.card = card
        self.storage_key = storage_key
        card.props['draft-key'] = storage_key
        card.props['token'] = token
        card.on('restore', lambda e: on_restore(e.args if isinstance(e.args, dict) else {}))

    @staticmethod
    def token_of(draft: dict[str, Any], default: str) -> str:
        """The form's key stored with the draft (the idempotency key of the send it was typed for), or ``default``."""
        token = draft.get('_token')
        return token if isinstance(token, str) and 10 < len(token) < 64 else default

    @staticmethod
    def fill(fields: dict[str, Any], draft: dict[str, Any], *, max_length: int | None = None) -> None:
        """Put the draft's values back into ``fields`` as ``keep`` stored them: a select by its option's label (ids
        may differ after a restart), text as typed (cut at ``max_length``)."""
        for name, field in fields.items():
            value = draft.get(name)
            if isinstance(field, ui.select):
                labels = {label: key for key, label in field.options.items()}
                if value in labels:
                    field.value = labels[value]
            elif isinstance(value, str):
                field.value = value[:max_length] if max_length else value

    def keep(self, name: str, element: Any, *, event: str = 'update:model-value', value: str = 'v') -> None:
        """Save ``element``'s value under ``name`` on every change, in the browser only.

        ``value`` is a JavaScript expression of the event's argument ``v`` (e.g. ``v?.label``).
        """
        key, field = json.dumps(self.storage_key), json.dumps(name)
        element.on(event, js_handler=f'(v) => window.laporDraft?.put({key}, {field}, {value})')

    def clear(self) -> None:
        """Forget the draft in the browser (the complaint was sent). A page-level script, not a method of the
        card: the card may be removed in the same update, and a method call would not find it."""
        self.card.client.run_javascript(f'window.laporDraft?.clear({json.dumps(self.storage_key)})')
