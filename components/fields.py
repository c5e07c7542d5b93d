"""Form fields styled once: outlined Quasar fields with SVG icons (no icon font to download).

Props are applied in one change: NiceGUI handles every single prop change (an event, an update of
the element), and a select rebuilt its whole option list each time (measured: six rebuilds of 22
options made a select cost 1.6 ms to build). A props string is parsed once per call site's string.
"""

from __future__ import annotations

from copy import copy
from functools import lru_cache
from typing import Any, TypeVar

from nicegui import ui
from nicegui.props import Props

# Material "arrow_drop_down" as an SVG path: Quasar draws it inline, so the icon font never loads
DROPDOWN_ICON = 'M7 10l5 5 5-5z|0 0 24 24'
E = TypeVar('E', bound=ui.element)


@lru_cache(maxsize=256)  # the strings are the code's own, a few dozen in all
def _parsed(props: str) -> dict[str, Any]:
    return Props.parse(props)


def styled(element: E, props: str, extra: dict[str, Any] | None = None) -> E:
    """Apply a props string and ``extra`` props to ``element`` as one change (one update)."""
    element.props.update({**_parsed(props), **(extra or {})})
    return element


def text_input(label: str, *, marker: str, hint: str = '', max_length: int | None = None, **props: Any) -> ui.input:
    extra: dict[str, Any] = {key.replace('_', '-'): value for key, value in props.items()}
    if hint:
        extra['hint'] = hint
    if max_length:
        extra['maxlength'] = max_length
    return styled(ui.input(label), 'outlined stack-label hide-bottom-space', extra).mark(marker)


class Select(ui.select):
    """A ``ui.select`` that rebuilds its option list only when the options changed.

    NiceGUI's select rebuilds every option (an observable dict each) on every update, and an update
    follows every prop change and every event listener added: measured four rebuilds while building
    one select. Changing the options (``set_options``, or editing them in place and calling
    ``update()``) still rebuilds them, as before; the value keeps its own prop either way.
    """

    def __init__(self, options: dict | list, **kwargs: Any) -> None:
        self._built_from: dict | list = copy(options)  # what the option list was last built from
        super().__init__(options, **kwargs)

    def _update_options(self) -> None:
        """As NiceGUI's, with the option list as a tuple of plain dicts: a list in props would be wrapped into
        observable collections, one per option, on every page (data only ever sent as it is)."""
        before_value = self.value
        self._props['options'] = tuple({'value': index, 'label': label} for index, label in enumerate(self._labels))
        self._props[self.VALUE_PROP] = self._value_to_model_value(before_value)
        if not isinstance(before_value, list):  # a multi-select keeps its values
            self.value = before_value if before_value in self._values else None

    def update(self) -> None:
        if self.options == self._built_from:
            ui.element.update(self)
            return
        self._built_from = copy(self.options)
        super().update()


def select(options: dict, label: str, *, marker: str) -> ui.select:
    return styled(Select(options, label=label),
                  f'outlined stack-label options-dense dropdown-icon="{DROPDOWN_ICON}" hide-bottom-space').mark(marker)
