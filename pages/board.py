"""The staff board, ``/admin``: one live queue, filters and counters."""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import replace
from typing import Any

from nicegui import app, ui

from components.complaint_queue import ComplaintQueue
from components.fields import select, text_input
from components.frame import admin_frame
from services import board, clock, complaints, events
from services.board import Filters
from services.complaints_labels import CHANNEL_LABELS, ROLE_LABELS, SLA_STATE_LABELS, STATUS_LABELS
from services.sessions import SessionEnded
from services.settings import settings
from services.workflow import Actor, Role

from . import intake as intake_pages
from . import session

# The SLA filter's choices (services.board.Filters.sla_state): a running clock's states, and every stopped one
SLA_LABELS = {**{state: SLA_STATE_LABELS[state] for state in ('on_track', 'at_risk', 'breached')},
              'stopped': 'Jam berhenti'}
# seconds: a board's counters and its pager's total follow a change within this. A tick, not a quiet period: a
# steady stream of changes must not hold them back, and one reading per tick serves every board of a scope
COUNTERS_DELAY = 1.0
log = logging.getLogger(__name__)
_open_boards: weakref.WeakSet[_Board] = weakref.WeakSet()


async def _refresh_dirty_counters() -> None:
    """One timer for every open board, not one per board (each is a task waking the server): the counters and
    the total of boards that a change touched are read again, once per scope and filters (board.shared_counters)."""
    for board_view in list(_open_boards):
        if not board_view.counters_dirty or board_view.queue.is_deleted or not board_view.current:
            continue
        try:
            await board_view.follow_changes()
        except Exception:  # one board's failure (e.g. its page closing meanwhile) must not starve the others
            log.exception('refreshing a board\'s counters failed')


def create() -> None:
    @ui.page('/admin', title=f'Papan aduan · {settings.app_name}')
    async def board_page() -> None:
        actor = await session.require_actor('/admin')
        if actor is None:
            return
        with admin_frame(actor.name, ROLE_LABELS[actor.role], supervisor=actor.role == Role.SUPERVISOR,
                         user_id=actor.user_id, intake=actor.role in (Role.OPERATOR, Role.SUPERVISOR)):
            if actor.role == Role.OPERATOR:  # an operator's board: the complaints they entered
                await intake_pages.operator_home(actor)
                return
            ui.html('<h1 class="lapor-sr-only">Papan aduan</h1>', sanitize=False)  # for screen readers' outline
            board_view = _Board(actor)
            await board_view.load()
        if notice := session.take_notice():  # e.g. "handed back" from the complaint page just left
            ui.notify(notice, position='top', icon='none')

    app.timer(COUNTERS_DELAY, _refresh_dirty_counters, immediate=False)


class _Board:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.filters = Filters()
        self.page = 0
        self.counters_dirty = False
        self.watch = session.watch_of_page()  # turns False the moment the member's access changes
        self._loading = asyncio.Lock()
        with ui.element('section').classes('lapor-filters'):
            self.fields: dict[str, Any] = {}
            if actor.role != Role.OPD_ADMIN:
                self.fields['agency_id'] = select({}, 'OPD', marker='filter-agency')
            self.fields['category_id'] = select({}, 'Kategori', marker='filter-category')
            self.fields['district_id'] = select({}, 'Kecamatan', marker='filter-district')
            self.fields['status'] = select({s.value: label for s, label in STATUS_LABELS.items()}, 'Status',
                                           marker='filter-status')
            self.fields['sla_state'] = select(SLA_LABELS, 'SLA', marker='filter-sla')
            self.fields['channel'] = select({c.value: label for c, label in CHANNEL_LABELS.items()}, 'Kanal',
                                            marker='filter-channel')
            for field in self.fields.values():
                field.props('clearable dense').on_value_change(self._filters_changed)
            self.search = text_input('Cari judul, uraian atau kode', marker='filter-text').props('dense debounce=400')
            self.search.on_value_change(self._filters_changed)
            self.sound = ui.checkbox('Bunyi untuk aduan baru').mark('sound')
            self.sound.on_value_change(lambda e: self.queue.props(f'sound={str(bool(e.value)).lower()}'))
        self.counters = ui.html('', sanitize=False).classes('lapor-counters').mark('counters')
        self.queue = ComplaintQueue(page_size=board.PAGE_SIZE).mark('queue')
        self.queue.on('refresh', self.load)
        self.queue.on('turn', lambda e: self._turn(1 if e.args == 1 else -1))
        events.complaint_changed.subscribe(self._on_change)
        _open_boards.add(self)  # counters refreshed lazily, by one timer for all boards

    async def load(self) -> None:
        async with self._loading:
            await self._load()

    @property
    def current(self) -> bool:
        return self.watch is None or self.watch.valid

    async def _load(self) -> None:
        try:
            await self._read_and_show()
        except SessionEnded:  # acting (filter, turn, refresh) after the session ended: the page leaves
            session.to_login('/admin')

    async def _read_and_show(self) -> None:
        self.counters_dirty = False  # before reading: a change while this reads marks the board for the next tick
        if not self.fields['category_id'].options:
            await self._fill_options()
        result = await board.shared_queue(self.actor, self.filters, page=self.page, page_size=board.PAGE_SIZE)
        if self.page >= result.pages:  # the last page emptied meanwhile (or a turn past it): show the last one
            self.page = result.pages - 1
            result = await board.shared_queue(self.actor, self.filters, page=self.page, page_size=board.PAGE_SIZE)
        self.queue.show(result.rows, page=self.page, pages=result.pages, total=result.total)
        await self.refresh_counters()

    async def _fill_options(self) -> None:
        self.fields['category_id'].set_options({i: n for i, n, _ in await complaints.active_categories()})
        self.fields['district_id'].set_options(dict(await complaints.districts()))
        if 'agency_id' in self.fields:
            self.fields['agency_id'].set_options(dict(await complaints.agencies()))

    async def follow_changes(self) -> None:
        """Counters and the pager's total after changes that pushed rows: the rows shown stay where they are."""
        self.counters_dirty = False  # before reading: a change during the read marks the board again
        counts = await self.refresh_counters()
        total = _total(self.filters, counts)
        if total is None:  # a status and an SLA filter at once: the counters do not hold that count
            total = (await board.shared_queue(self.actor, self.filters, page=self.page)).total
        if not self.queue.is_deleted:
            self.queue.set_total(total, pages=max(1, -(-total // board.PAGE_SIZE)))

    async def refresh_counters(self) -> dict[str, int]:
        counts = await board.shared_counters(self.actor, self.filters)
        parts = [f'<span>{label}: <b>{counts[s.value]}</b></span>' for s, label in STATUS_LABELS.items()
                 if counts[s.value]]
        parts += [f'<span>{label}: <b>{counts[key]}</b></span>' for key, label in SLA_LABELS.items()]
        content = ''.join(parts)
        if content != self.counters.content:  # a message to the browser only when a figure moved
            self.counters.content = content
        return counts

    async def _filters_changed(self) -> None:
        values = {name: field.value for name, field in self.fields.items()}
        self.filters = replace(Filters(), text=self.search.value or '', **{
            'agency_id': values.get('agency_id'), 'category_id': values['category_id'],
            'district_id': values['district_id'], 'sla_state': values['sla_state'],
            'status': board.Status(values['status']) if values['status'] else None,
            'channel': board.Channel(values['channel']) if values['channel'] else None})
        self.page = 0
        await self.load()

    async def _turn(self, step: int) -> None:
        async with self._loading:  # quick taps turn one page after another, each from where the last one ended
            self.page = max(0, self.page + step)
            await self._load()

    def _on_change(self, news: events.ComplaintNews) -> None:
        row = news.row
        if row is None or self.queue.is_deleted or not self.current or not board.visible_to(self.actor, row):
            return
        try:
            self.queue.client  # noqa: B018  (raises once the page was left: its subscription is ending)
        except RuntimeError:
            return
        self.counters_dirty = True
        row = board.row_for_actor(self.actor, row)
        if board.matches(self.filters, row, int(clock.now().timestamp() * 1000)):
            self.queue.upsert(row, is_new=news.kind == 'created')  # the queue shows the toast itself
        else:
            self.queue.remove(row['id'])


def _total(filters: Filters, counts: dict[str, int]) -> int | None:
    """The queue's total read from its counters (the same query without the status and SLA filters, counted by
    status and by SLA state), or None when both filters are set."""
    if filters.status is not None and filters.sla_state:
        return None
    if filters.status is not None:
        return counts[filters.status.value]
    if filters.sla_state:
        return counts[filters.sla_state]
    return sum(counts[s.value] for s in board.Status)
