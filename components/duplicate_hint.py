"""Similar open complaints while a complaint is written ("Apakah maksud Anda salah satu dari ini?"): the citizen's
form and the operator's intake form put this box under their fields (issue 12 §3).

The browser waits for a 400 ms pause in typing (or choosing) before it asks, so a sentence typed is one question,
not one per keystroke: each watched field's change only restarts a timer in the browser, and when it runs out the
box receives a DOM event ``similar`` that NiceGUI sends to the server. The answer (services.duplicates) is up to
three open complaints of the same category and kecamatan: title, place, status, age and a link to follow it. The
form is never touched: ignoring the box and sending is always possible, and the form's draft stays in the browser
when the citizen opens a suggestion.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nicegui import ui

from services import clock, duplicates
from services.complaints_labels import STATUS_LABELS
from services.errors import RateLimited

DEBOUNCE_MS = 400

# Restart the box's timer on every change; when typing pauses, the box gets one "similar" event (sent to the server)
_DEBOUNCE_JS = '''() => {
  const box = document.getElementById(BOX);
  if (!box) return;
  clearTimeout(box._laporSimilar);
  box._laporSimilar = setTimeout(() => box.dispatchEvent(new CustomEvent("similar")), WAIT);
}'''


def age_text(reported_at: datetime, now: datetime | None = None) -> str:
    """'hari ini', 'kemarin', '5 hari lalu' (counted in whole days)."""
    days = max(0, ((now or clock.now()) - reported_at).days)
    return 'hari ini' if days == 0 else 'kemarin' if days == 1 else f'{days} hari lalu'


class DuplicateHint:
    """The suggestion box, placed where it is built; ``category``, ``district`` (selects of ids), ``title`` and
    ``description`` are the form's fields it watches (the selects' values are ids). ``exclude_code`` leaves one
    complaint out (an edited one); ``show_code`` puts each code before its title (an operator reads it out to a
    caller)."""

    def __init__(self, *, category: ui.element, district: ui.element, title: ui.element, description: ui.element,
                 client_address: str | None, exclude_code: str | None = None, show_code: bool = False) -> None:
        self.fields = {'category': category, 'district': district, 'title': title, 'description': description}
        self.client_address = client_address
        self.exclude_code = exclude_code
        self.show_code = show_code
        self.asked = 0  # the newest question: an older answer arriving late is dropped
        self.shown: list[tuple] = []  # what is on screen
        # aria-live: a screen reader reads the suggestions when they appear, without moving the focus from the field
        self.box = ui.element('div').classes('lapor-similar').props('aria-live=polite').mark('duplicate-hint')
        self.box.on('similar', self.look)
        script = _DEBOUNCE_JS.replace('BOX', f'"{self.box.html_id}"').replace('WAIT', str(DEBOUNCE_MS))
        for field in self.fields.values():
            field.on('update:model-value', js_handler=script)

    def _value(self, name: str) -> Any:
        return getattr(self.fields[name], 'value', None)

    async def look(self) -> None:
        """Ask for similar complaints with what the form holds now, and show them (or hide the box)."""
        self.asked += 1
        asked = self.asked
        try:
            found = await duplicates.suggest(
                category_id=self._value('category'), district_id=self._value('district'),
                title=str(self._value('title') or '')[:duplicates.QUERY_MAX],
                description=str(self._value('description') or '')[:duplicates.QUERY_MAX],
                client_address=self.client_address, exclude_code=self.exclude_code)
        except RateLimited:
            return  # a pause in suggestions, not in writing: the box keeps what it shows
        if asked != self.asked:
            return
        self.show(found)

    def show(self, found: list[duplicates.Suggestion]) -> None:
        shown = [(s.code, s.status, s.title) for s in found]
        if shown == self.shown:
            return  # nothing new: the page is not redrawn
        self.shown = shown
        self.box.clear()  # an empty box takes no room (lapor.css: .lapor-similar:empty)
        if not found:
            return
        now = clock.now()
        with self.box:
            ui.html('<h2>Apakah maksud Anda salah satu dari ini?</h2><p class="lapor-muted">Aduan berikut masih '
                    'ditangani dan tampaknya membahas masalah yang sama. Anda dapat mengikutinya, atau tetap '
                    'mengirim aduan Anda: isian Anda tidak hilang.</p>', sanitize=False)
            with ui.element('ul').classes('lapor-similar-list'):
                for suggestion in found:
                    place = ', '.join(p for p in (suggestion.village, f'Kec. {suggestion.district_name}'
                                                  if suggestion.district_name else None) if p)
                    with ui.element('li').mark('duplicate-item'):
                        ui.label(f'{suggestion.code} · {suggestion.title}' if self.show_code else suggestion.title) \
                            .classes('lapor-similar-title')
                        ui.label(' · '.join(p for p in (place, STATUS_LABELS[suggestion.status],
                                                         f'dilaporkan {age_text(suggestion.reported_at, now)}')
                                            if p)).classes('lapor-muted')
                        ui.link('Ikuti aduan ini', f'/lacak/{suggestion.code}').classes(
                            'lapor-link-button lapor-outline').mark('duplicate-follow')
