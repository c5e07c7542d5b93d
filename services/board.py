"""The admin board's queue: one page of rows from the database, in the SOP's order.

Order: complaints whose running clock is breached first, then by the nearest running deadline
(both are "earliest ``next_due_at`` first", since a breached deadline lies in the past), then those
whose clocks have all stopped, newest change first. A row is the staff projection of a complaint:
it never carries the reporter's contact data, so one row serves every board allowed to see it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from models import Channel, ClockKind, Complaint, Privacy, Role, SlaClock, Status

from . import clock, events, sessions
from .rows import row_for, staff_row
from .workflow import Actor, can_see, rahasia_hidden

PAGE_SIZE = 50
RAHASIA_TITLE = 'Aduan rahasia (isi hanya untuk OPD yang menangani dan Diskominfo)'
SLA_FILTERS = ('on_track', 'at_risk', 'breached', 'stopped')


@dataclass(frozen=True, slots=True)
class Filters:
    agency_id: int | None = None
    category_id: int | None = None
    district_id: int | None = None
    status: Status | None = None
    sla_state: str | None = None  # one of SLA_FILTERS
    channel: Channel | None = None
    text: str = ''


@dataclass(frozen=True, slots=True)
class QueuePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages the queue has (at least one, an empty page)."""
        return max(1, -(-self.total // self.page_size))


def _visible(actor: Actor) -> Q:
    return Q(agency_id=actor.agency_id) if actor.role == Role.OPD_ADMIN else Q()


def row_for_actor(actor: Actor, row: dict[str, Any]) -> dict[str, Any]:
    """The staff row as ``actor`` may see it: a rahasia complaint's title hidden where its content is."""
    if row['privacy'] == Privacy.RAHASIA.value and rahasia_hidden(actor):
        return {**row, 'title': RAHASIA_TITLE}
    return row


def _filtered(actor: Actor, filters: Filters, now: datetime) -> Any:
    query = Complaint.filter(_visible(actor))
    for field in ('agency_id', 'category_id', 'district_id', 'status', 'channel'):
        if (value := getattr(filters, field)) is not None:
            query = query.filter(**{field: value})
    if filters.sla_state == 'breached':
        query = query.filter(next_due_at__lte=now)
    elif filters.sla_state == 'at_risk':
        query = query.filter(next_risk_at__lte=now, next_due_at__gt=now)
    elif filters.sla_state == 'on_track':
        query = query.filter(next_risk_at__gt=now)
    elif filters.sla_state == 'stopped':
        query = query.filter(next_due_at__isnull=True)
    if text := filters.text.strip():
        content = Q(title__icontains=text) | Q(description__icontains=text)
        if rahasia_hidden(actor):  # searching must not tell what a hidden rahasia complaint says
            content = content & ~Q(privacy=Privacy.RAHASIA)
        query = query.filter(content | Q(code__icontains=text.upper()))
    return query


async def queue(actor: Actor, filters: Filters = Filters(), *, page: int = 0,
                page_size: int = PAGE_SIZE) -> QueuePage:
    """One page of the queue ``actor`` may see, filtered, in the SOP's order (two or three queries)."""
    now = clock.now()
    query = _filtered(actor, filters, now)
    total = await query.count()
    running = await query.filter(next_due_at__not_isnull=True).order_by('next_due_at', '-updated_at', 'id') \
        .offset(page * page_size).limit(page_size).select_related('category', 'agency', 'district')
    complaints = list(running)
    if len(complaints) < page_size:  # the page reaches into the stopped ones
        skip = max(0, page * page_size - await query.filter(next_due_at__not_isnull=True).count())
        complaints += await query.filter(next_due_at__isnull=True).order_by('-updated_at', 'id') \
            .offset(skip).limit(page_size - len(complaints)).select_related('category', 'agency', 'district')
    rows = await rows_for(complaints, now)
    if rahasia_hidden(actor):
        rows = [row_for_actor(actor, row) for row in rows]
    return QueuePage(rows=rows, total=total, page=page, page_size=page_size)


async def counters(actor: Actor, filters: Filters = Filters()) -> dict[str, int]:
    """Counts per status and per SLA state of what ``actor`` may see (ignoring the status and SLA filters)."""
    now = clock.now()
    base = _filtered(actor, Filters(**{**_as_dict(filters), 'status': None, 'sla_state': None}), now)
    result = {s.value: 0 for s in Status}
    for status, count in await base.annotate(n=Count('id')).group_by('status').values_list('status', 'n'):
        result[str(status)] = count
    result['breached'] = await base.filter(next_due_at__lte=now).count()
    result['at_risk'] = await base.filter(next_risk_at__lte=now, next_due_at__gt=now).count()
    result['on_track'] = await base.filter(next_risk_at__gt=now).count()
    result['stopped'] = await base.filter(next_due_at__isnull=True).count()
    return result


COUNTERS_MAX_AGE = 15.0  # seconds: counts and pages shared between boards are read again at least this often
SHARED_KEYS = 1000  # readings kept (scopes x filters x pages) between two changes, at most
_shared_counts: dict[tuple, tuple[int, float, asyncio.Future]] = {}
_shared_pages: dict[tuple, tuple[int, float, asyncio.Future]] = {}


def _scope(actor: Actor) -> tuple:
    """Whose complaints a board shows, and how: one OPD's for its admins, every OPD's for the other roles,
    with rahasia content hidden for those who may not read it."""
    if actor.role == Role.OPD_ADMIN:
        return ('opd', actor.agency_id)
    return ('all', 'hidden' if rahasia_hidden(actor) else 'shown')


async def _shared(readings: dict[tuple, tuple[int, float, asyncio.Future]], key: tuple,
                  read: Callable[[], Awaitable[Any]]) -> Any:
    """The reading under ``key`` made since the last published change (or one in flight), else a new one;
    none older than COUNTERS_MAX_AGE seconds, and a failed or cancelled one is not handed out again."""
    now, published = time.monotonic(), events.published()
    hit = readings.get(key)
    if hit is None or hit[0] != published or now - hit[1] > COUNTERS_MAX_AGE or \
            (hit[2].done() and (hit[2].cancelled() or hit[2].exception() is not None)):
        for stale in [k for k, (seen, _, _) in readings.items() if seen != published]:  # none is handed out again
            del readings[stale]
        if len(readings) > SHARED_KEYS:  # many filter combinations between two changes: start afresh
            readings.clear()
        hit = readings[key] = (published, now, asyncio.ensure_future(read()))
    return await asyncio.shield(hit[2])


async def shared_counters(actor: Actor, filters: Filters = Filters()) -> dict[str, int]:
    """``counters``, read once for every board that shows the same scope and filters.

    After a change, every open board wants fresh counts; with hundreds of boards open (the command
    centre, forty admins) that would be one query set per board. Boards of the same scope (one OPD,
    or every OPD) and the same filters share one reading made after the last change, or one in flight.
    """
    key = (_scope(actor), *(getattr(filters, name) for name in Filters.__slots__
                            if name not in ('status', 'sla_state')))
    return dict(await _shared(_shared_counts, key, lambda: counters(actor, filters)))


async def shared_queue(actor: Actor, filters: Filters = Filters(), *, page: int = 0,
                       page_size: int = PAGE_SIZE) -> QueuePage:
    """``queue``, read once for every board that shows the same scope, filters and page, as ``shared_counters``.

    Staff open the board again after every complaint they handle; between two changes they all get the
    same page (its rows never carry contact data), so it is read and built once. Its rows are shared:
    callers must not change them. Opening or turning a board is a staff action: the actor is checked now
    (services.sessions), and the page shown is the one their current role and OPD may see.
    """
    actor = await sessions.verify(actor)
    key = (_scope(actor), filters, page, page_size)
    return await _shared(_shared_pages, key, lambda: queue(actor, filters, page=page, page_size=page_size))


def _as_dict(filters: Filters) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in Filters.__slots__}


def visible_to(actor: Actor, row: dict[str, Any]) -> bool:
    return can_see(actor, row['agency_id'])


def matches(filters: Filters, row: dict[str, Any], now_ms: int) -> bool:
    """Whether a staff row passes the board's filters (decided without the database)."""
    for field in ('agency_id', 'category_id', 'district_id'):
        if getattr(filters, field) is not None and row[field] != getattr(filters, field):
            return False
    if filters.status is not None and row['status'] != filters.status.value:
        return False
    if filters.channel is not None and row['channel'] != filters.channel.value:
        return False
    if filters.sla_state and _sla_filter_state(row, now_ms) != filters.sla_state:
        return False
    text = filters.text.strip().lower()
    return not text or text in row['title'].lower() or text in row['code'].lower()


def _sla_filter_state(row: dict[str, Any], now_ms: int) -> str:
    if row['sort_due'] is None:
        return 'stopped'
    if row['sort_due'] <= now_ms:
        return 'breached'
    return 'at_risk' if row['sort_risk'] is not None and row['sort_risk'] <= now_ms else 'on_track'


async def rows_for(complaints: list[Complaint], now: datetime) -> list[dict[str, Any]]:
    clocks: dict[int, list[SlaClock]] = {}
    for sla_clock in await SlaClock.filter(complaint_id__in=[c.id for c in complaints]).order_by('id'):
        clocks.setdefault(sla_clock.complaint_id, []).append(sla_clock)
    return [staff_row(c, clocks.get(c.id, []), now) for c in complaints]


__all__ = ['PAGE_SIZE', 'SLA_FILTERS', 'Channel', 'ClockKind', 'Filters', 'QueuePage', 'Status', 'counters',
           'matches', 'queue', 'row_for', 'row_for_actor', 'shared_counters', 'shared_queue', 'visible_to']
