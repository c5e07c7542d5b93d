"""A category's extra questions on a form (the citizen's and the operator's): built when the category is picked,
read as the answers ``services.open311_attributes.check_answers`` takes, each problem shown under its field."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from .fields import DROPDOWN_ICON, Select, styled, text_input

# The answer bounds the service checks, also set on the fields so a browser stops typing there
_MAX = {'string': 200, 'number': 40, 'datetime': 40, 'text': 2000}


class AttributeFields:
    """The questions of one category inside ``container`` (empty, and hidden, for a category without any)."""

    def __init__(self, container: ui.element) -> None:
        self.container = container
        self.fields: dict[str, Any] = {}  # code -> its field
        self.attributes: list = []
        container.set_visibility(False)

    def show(self, attributes: list) -> None:
        """Ask ``attributes`` (services.open311_attributes.Attribute) instead of the questions shown before;
        an answer already typed for the same question (same code and kind, a choice still offered) is kept."""
        kept = {a.code: (a.datatype, self.fields[a.code].value) for a in self.attributes}
        self.attributes = list(attributes)
        self.fields = {}
        self.container.clear()
        with self.container:
            if self.attributes:
                ui.html('<h2>Pertanyaan tambahan untuk kategori ini</h2>', sanitize=False)
            for attribute in self.attributes:
                label = attribute.description + ('' if attribute.required else ' (opsional)')
                field = self._field(attribute, label)
                if (value := _still_valid(attribute, kept.get(attribute.code))) is not None:
                    field.value = value
                self.fields[attribute.code] = field
        self.container.set_visibility(bool(self.attributes))

    @staticmethod
    def _field(attribute: Any, label: str) -> Any:
        marker = f'attribute-{attribute.code}'
        if attribute.datatype in ('singlevaluelist', 'multivaluelist'):
            multiple = attribute.datatype == 'multivaluelist'
            field = Select(dict(attribute.values), label=label, multiple=multiple, value=[] if multiple else None)
            return styled(field, f'outlined stack-label options-dense dropdown-icon="{DROPDOWN_ICON}" '
                                 f'hide-bottom-space{" use-chips" if multiple else ""}').mark(marker)
        if attribute.datatype == 'text':
            return styled(ui.textarea(label), 'outlined stack-label autogrow hide-bottom-space',
                          {'maxlength': _MAX['text']}).mark(marker)
        kind = {'number': {'type': 'text', 'inputmode': 'decimal'}, 'datetime': {'type': 'datetime-local'}}.get(
            attribute.datatype, {})
        return text_input(label, marker=marker, max_length=_MAX.get(attribute.datatype, 200), **kind)

    def answers(self) -> dict[str, str | list[str]]:
        """What was given, as the service reads it (a list's chosen keys; text as typed)."""
        given: dict[str, str | list[str]] = {}
        for attribute in self.attributes:
            value = self.fields[attribute.code].value
            if isinstance(value, list):
                given[attribute.code] = [str(v) for v in value]
            elif value not in (None, ''):
                given[attribute.code] = str(value)
        return given

    def show_errors(self, errors: dict[str, str]) -> list[Any]:
        """Each ``attribute[code]`` problem under its field; returns the fields that have one, in form order."""
        wrong = []
        for attribute in self.attributes:
            field = self.fields[attribute.code]
            message = errors.get(f'attribute[{attribute.code}]')
            field.error = f'{attribute.description}: {message}' if message else None
            if message:
                wrong.append(field)
        return wrong


def _still_valid(attribute: Any, kept: tuple[str, Any] | None) -> Any:
    """An earlier answer, if it still answers ``attribute`` (another category may reuse a code for another kind
    of question, or other choices)."""
    if kept is None or kept[0] != attribute.datatype or kept[1] in (None, '', []):
        return None
    value = kept[1]
    if attribute.datatype in ('singlevaluelist', 'multivaluelist'):
        keys = {key for key, _ in attribute.values}
        chosen = value if isinstance(value, list) else [value]
        return value if all(choice in keys for choice in chosen) else None
    return value
