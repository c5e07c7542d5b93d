"""The board's queue: the SOP's order, what each role sees, filters, counters and paging."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from models import Agency, Category, Role
from services import admin_settings, board, clock, workflow
from services.board import Filters
from services.workflow import Action, Actor
from tests import factories

pytestmark = pytest.mark.usefixtures('database')
T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
SUPERVISOR = Actor(1, 'admin', 'Admin', Role.SUPERVISOR)


async def _opd(code: str) -> Actor:
    agency = await Agency.get(code=code)
    return Actor(2, code.lower(), f'Admin {code}', Role.OPD_ADMIN, agency.id, agency.short_name)


async def _scene() -> dict[str, str]:
    """Four complaints: one breached, one due soon, one due later, one whose clocks stopped."""
    clock.freeze(T0)
    breached = await factories.submit(title='Sudah lewat batas')
    clock.freeze(T0 + timedelta(minutes=100))
    soon = await factories.submit(title='Segera jatuh tempo', category_id=await factories.category_id('PUSKESMAS'))
    clock.freeze(T0 + timedelta(minutes=130))
    later = await factories.submit(title='Masih lama')
    stopped = await factories.submit(title='Sudah ditolak')
    await workflow.act(SUPERVISOR, code_key=stopped.view.code_key, action=Action.REJECT, expected_version=1,
                       message='Aduan ganda.')
    clock.freeze(T0 + timedelta(minutes=200))
    return {'breached': breached.code, 'soon': soon.code, 'later': later.code, 'stopped': stopped.code}


async def test_queue_puts_breached_first_then_nearest_deadline_then_stopped():
    codes = await _scene()
    page = await board.queue(SUPERVISOR)
    assert [r['code'] for r in page.rows] == [codes['breached'], codes['soon'], codes['later'], codes['stopped']]
    assert [r['sla_state'] for r in page.rows] == ['breached', 'at_risk', 'on_track', 'rejected']
    assert page.total == 4
    assert all('reporter' not in key and 'phone' not in key for key in page.rows[0])


async def test_opd_admin_sees_only_its_own_queue():
    codes = await _scene()
    dinkes = await board.queue(await _opd('DINKES'))
    assert [r['code'] for r in dinkes.rows] == [codes['soon']]


async def test_filters_and_counters():
    codes = await _scene()
    breached = await board.queue(SUPERVISOR, Filters(sla_state='breached'))
    assert [r['code'] for r in breached.rows] == [codes['breached']]
    found = await board.queue(SUPERVISOR, Filters(text='masih lama'))
    assert [r['code'] for r in found.rows] == [codes['later']]
    counts = await board.counters(SUPERVISOR)
    assert (counts['breached'], counts['at_risk'], counts['on_track'], counts['stopped']) == (1, 1, 1, 1)
    assert counts['didisposisikan'] == 3 and counts['ditolak'] == 1


async def test_paging_runs_from_running_into_stopped_complaints():
    codes = await _scene()
    pages = [await board.queue(SUPERVISOR, page=n, page_size=3) for n in range(2)]
    assert [r['code'] for p in pages for r in p.rows] == [codes['breached'], codes['soon'], codes['later'],
                                                          codes['stopped']]


async def test_boards_of_one_scope_share_one_reading_of_the_counters_until_something_changes(monkeypatch):
    supervisor, dpupr = SUPERVISOR, await _opd('DPUPR')
    reads = []
    original = board.counters

    async def counted(actor, filters):
        reads.append(actor.agency_id)
        return await original(actor, filters)
    monkeypatch.setattr(board, 'counters', counted)
    board._shared_counts.clear()
    await factories.submit()

    first = await asyncio.gather(*(board.shared_counters(supervisor) for _ in range(50)))
    assert reads == [None] and all(c == first[0] for c in first)  # fifty boards, one query set
    assert first[0]['on_track'] == 1
    await board.shared_counters(dpupr)
    assert reads == [None, dpupr.agency_id]  # an OPD admin's counts are its own

    await factories.submit(title='Aduan kedua')  # a change: the next reading is fresh
    assert (await board.shared_counters(supervisor))['on_track'] == 2
    assert (await board.shared_counters(supervisor, Filters(status=board.Status.BARU)))['on_track'] == 2
    assert reads == [None, dpupr.agency_id, None]  # the status filter does not change what is counted


async def test_boards_of_one_scope_share_one_reading_of_a_page_until_something_changes(monkeypatch):
    supervisor, dpupr = SUPERVISOR, await _opd('DPUPR')
    reads = []
    original = board.queue

    async def counted(actor, filters, *, page, page_size):
        reads.append((actor.agency_id, page))
        return await original(actor, filters, page=page, page_size=page_size)
    monkeypatch.setattr(board, 'queue', counted)
    first = await factories.submit(title='Jalan berlubang di Kertek')

    opened = await asyncio.gather(*(board.shared_queue(supervisor) for _ in range(50)))
    assert reads == [(None, 0)]  # fifty boards opened, one reading
    assert all(page.rows == [opened[0].rows[0]] and page.rows[0]['code'] == first.code for page in opened)
    assert (await board.shared_queue(dpupr)).rows[0]['code'] == first.code
    assert (await board.shared_queue(supervisor, page=1)).rows == []
    assert reads == [(None, 0), (dpupr.agency_id, 0), (None, 1)]  # an OPD's page and another page are their own

    second = await factories.submit(title='Lampu jalan mati')  # a change: the next board reads afresh
    assert {row['code'] for row in (await board.shared_queue(supervisor)).rows} == {first.code, second.code}
    assert len(board._shared_pages) == 1  # the readings made before the change are let go

    jalan = await Category.get(code='JALAN')  # an edited category: rows name it, so they are read again
    await admin_settings.update_category(
        supervisor, category_id=jalan.id, name='Jalan dan trotoar rusak', description=jalan.description,
        agency_id=jalan.agency_id, first_response_minutes=jalan.first_response_minutes,
        resolution_minutes=jalan.resolution_minutes, calendar=jalan.calendar,
        pause_when_waiting=jalan.pause_when_waiting, active=True, sort_order=jalan.sort_order)
    assert {row['category'] for row in (await board.shared_queue(supervisor)).rows} == {'Jalan dan trotoar rusak'}
    assert len(reads) == 5
