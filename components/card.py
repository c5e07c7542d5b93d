"""A card with its heading in one element (see card.js); the first card of a form can keep its draft."""

from __future__ import annotations

from nicegui import ui


class Card(ui.element, component='card.js'):
    def __init__(self, heading_html: str = '', *, classes: str = 'lapor-card') -> None:
        """``heading_html`` is trusted markup written here, never text someone typed."""
        super().__init__()
        self._props['heading'] = heading_html
        self._classes.extend(classes.split())

    def _displayed_contents(self, *, only_visible: bool) -> list:
        return [*super()._displayed_contents(only_visible=only_visible), self._props['heading']]
