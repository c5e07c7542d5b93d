"""Form fields styled once: outlined Quasar fields with SVG icons (no icon font to download)."""

from __future__ import annotations

from typing import Any

from nicegui import ui

# Material "arrow_drop_down" as an SVG path: Quasar draws it inline, so the icon font never loads
DROPDOWN_ICON = 'M7 10l5 5 5-5z|0 0 24 24'


def text_input(label: str, *, marker: str, hint: str = '', max_length: int | None = None, **props: Any) -> ui.input:
    field = ui.input(label).props('outlined stack-label hide-bottom-space').mark(marker)
    if hint:
        field.props(f'hint="{hint}"')
    if max_length:
        field.props(f'maxlength={max_length}')
    for key, value in props.items():
        field.props[key.replace('_', '-')] = value
    return field


def select(options: dict, label: str, *, marker: str) -> ui.select:
    return ui.select(options, label=label).props(
        f'outlined stack-label options-dense dropdown-icon="{DROPDOWN_ICON}" hide-bottom-space').mark(marker)
