"""The whole lifecycle in one map: the table the architecture document states, the reporter's moves, and the
system's auto-close."""

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from models import Category, ClockKind, Complaint, EventKind, SlaClock, Status, TimelineEvent
from services import attachments, clock, complaints, limits, sla, sla_engine, staff_view, workflow
from services.complaints import PinLimited
from services.complaints_labels import EVENT_LABELS
from services.errors import DomainError, RateLimited, ValidationFailed
from services.workflow import Action, Effect, Party
from tests import factories, lifecycle

pytestmark = pytest.mark.usefixtures('database')
T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wednesday 09:00 WIB

# docs/ARCHITECTURE.md §2, written out: (move, from, to, who, first-response clock, resolution clock)
OPEN = 'baru didisposisikan direspons ditindaklanjuti menunggu_pelapor'
ANY = OPEN + ' selesai ditolak ditutup digabung'
STAFF, SUPERVISOR = 'supervisor opd_admin', 'supervisor'
EXPECTED = [
    ('dispatch', 'baru', 'didisposisikan', SUPERVISOR, 'runs', 'runs'),
    ('reassign', 'didisposisikan', 'didisposisikan', SUPERVISOR, 'runs', 'runs'),
    ('hand_back', 'didisposisikan', 'baru', STAFF, 'runs', 'runs'),
    ('reject', 'baru didisposisikan', 'ditolak', SUPERVISOR, 'rejected', 'rejected'),
    ('respond', 'didisposisikan', 'direspons', STAFF, 'stops', 'runs'),
    ('follow_up', 'direspons menunggu_pelapor ditindaklanjuti', 'ditindaklanjuti', STAFF, 'none', 'resumes'),
    ('wait', 'direspons ditindaklanjuti', 'menunggu_pelapor', STAFF, 'none', 'pauses'),
    ('resolve', 'direspons ditindaklanjuti', 'selesai', STAFF, 'none', 'stops'),
    ('note', ANY, None, STAFF, 'none', 'none'),
    ('merge', OPEN, 'digabung', SUPERVISOR, 'merged', 'merged'),
    ('add_info', 'menunggu_pelapor', 'ditindaklanjuti', 'reporter', 'none', 'resumes'),
    ('add_info', 'baru didisposisikan direspons ditindaklanjuti', None, 'reporter', 'none', 'none'),
    ('rate', 'selesai ditutup', None, 'reporter', 'none', 'none'),
    ('reopen', 'selesai', 'ditindaklanjuti', 'reporter', 'none', 'new'),
    ('sla_at_risk', OPEN, None, 'system', 'marks_at_risk', 'marks_at_risk'),
    ('sla_breach', OPEN, None, 'system', 'marks_breach', 'marks_breach'),
    ('auto_close', 'selesai', 'ditutup', 'system', 'none', 'none'),
]


def test_the_map_is_the_table_of_the_architecture_document():
    def row(move: workflow.Move) -> tuple:
        return (move.action, frozenset(move.sources), move.target, frozenset(move.who), move.first_response,
                move.resolution)

    expected = {(a, frozenset(Status(s) for s in sources.split()), Status(to) if to else None,
                 frozenset(who.split()), Effect(first), Effect(resolution))
                for a, sources, to, who, first, resolution in EXPECTED}
    assert {row(m) for m in workflow.TRANSITIONS} == expected
    assert len(workflow.TRANSITIONS) == len(EXPECTED)
    for status in Status:  # one row per move and state at most: the map never has to choose
        for action in {m.action for m in workflow.TRANSITIONS}:
            assert sum(status in m.sources for m in workflow.TRANSITIONS if m.action == action) <= 1


def test_every_event_a_move_writes_has_a_label():
    assert set(EVENT_LABELS) == set(EventKind)


def _key() -> str:
    return secrets.token_urlsafe(18)


async def _reporter(result: complaints.Submitted, action: str, *, key: str | None = None, **kwargs):
    return await workflow.reporter_act(code_key=result.view.code_key, pin=result.pin, action=action,
                                       request_key=key or _key(), **kwargs)


async def _photo_token() -> str:
    return (await attachments.store_image(factories.image_bytes())).token


async def test_added_information_ends_the_wait_and_the_paused_time_is_added():
    await Category.filter(code='JALAN').update(pause_when_waiting=True)
    clock.freeze(T0)
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR)
    paused = await SlaClock.get(complaint__code_key=result.view.code_key, kind=ClockKind.RESOLUTION)
    assert paused.paused_at == T0
    clock.advance(timedelta(days=2))
    photo = await _photo_token()
    view = await _reporter(result, Action.ADD_INFO, message='Ini foto lubangnya dari dekat, di depan gerbang SD.',
                           photo_tokens=[photo])
    assert view.status == Status.DITINDAKLANJUTI
    resolution = view.clock(ClockKind.RESOLUTION)
    assert not resolution.paused and resolution.due_at == T0 + timedelta(days=9)  # 7 days + the 2 it waited
    added = view.events[-1]
    assert (added.actor, added.status) == ('Pelapor', Status.DITINDAKLANJUTI)
    assert 'dari dekat' in added.message and len(added.photos) == 1  # on the public timeline, with its photo
    people = await lifecycle.people()
    staff = await staff_view.detail(people['dpupr'], result.view.code_key)
    seen = next(event for event, public in staff.events if 'dari dekat' in event.message and public)
    assert seen.photos == added.photos  # the OPD sees the photo with the reporter's words


async def test_added_information_while_the_opd_works_keeps_the_state():
    result = await lifecycle.walk_to(Status.DIRESPONS)
    view = await _reporter(result, Action.ADD_INFO, message='Lubangnya sekarang makin lebar setelah hujan.')
    assert view.status == Status.DIRESPONS
    assert view.events[-1].message.endswith('makin lebar setelah hujan.')


@pytest.mark.parametrize('status', [Status.SELESAI, Status.DITOLAK, Status.DITUTUP])
async def test_no_information_is_added_to_a_closed_complaint(status):
    result = await lifecycle.walk_to(status)
    before = await TimelineEvent.filter(complaint__code_key=result.view.code_key).count()
    with pytest.raises(DomainError, match='masih diproses'):
        await _reporter(result, Action.ADD_INFO, message='Tambahan yang terlambat.')
    assert await TimelineEvent.filter(complaint__code_key=result.view.code_key).count() == before


async def test_empty_information_is_refused_with_a_message():
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR)
    with pytest.raises(ValidationFailed) as caught:
        await _reporter(result, Action.ADD_INFO, message='   ')
    assert 'Tuliskan informasi' in caught.value.errors['message']
    assert (await Complaint.get(code_key=result.view.code_key)).status == Status.MENUNGGU_PELAPOR


async def test_a_double_tap_and_a_resend_add_the_information_once():
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR)
    key = _key()
    first, second = await asyncio.gather(
        _reporter(result, Action.ADD_INFO, key=key, message='Lokasinya di depan warung Bu Sri.'),
        _reporter(result, Action.ADD_INFO, key=key, message='Lokasinya di depan warung Bu Sri.'))
    again = await _reporter(result, Action.ADD_INFO, key=key, message='Lokasinya di depan warung Bu Sri.')
    added = await TimelineEvent.filter(complaint__code_key=result.view.code_key, kind='info_added')
    assert len(added) == 1
    assert first.status == second.status == again.status == Status.DITINDAKLANJUTI


async def test_nothing_without_the_right_pin_and_wrong_pins_are_throttled():
    limits.configure(pin=(3, 3600))
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR)
    for _ in range(3):
        with pytest.raises(DomainError, match='PIN tidak cocok'):
            await workflow.reporter_act(code_key=result.view.code_key, pin='000000', action=Action.ADD_INFO,
                                        request_key=_key(), message='Coba-coba.', client_address='10.0.0.9')
    with pytest.raises(PinLimited):  # even the right PIN waits now
        await _reporter(result, Action.ADD_INFO, message='Informasi dari pelapor asli.')
    assert not await TimelineEvent.filter(complaint__code_key=result.view.code_key, kind='info_added').exists()
    assert (await Complaint.get(code_key=result.view.code_key)).status == Status.MENUNGGU_PELAPOR


async def test_rating_once_after_resolution():
    result = await lifecycle.walk_to(Status.SELESAI)
    with pytest.raises(ValidationFailed):
        await _reporter(result, Action.RATE, rating=6)
    view = await _reporter(result, Action.RATE, rating=4, message='Cepat, terima kasih.')
    assert (view.rating, view.rating_comment) == (4, 'Cepat, terima kasih.')
    assert view.status == Status.SELESAI
    with pytest.raises(DomainError, match='sudah memberi penilaian'):
        await _reporter(result, Action.RATE, rating=1)
    assert (await Complaint.get(code_key=result.view.code_key)).rating == 4


async def test_an_open_complaint_cannot_be_rated():
    result = await lifecycle.walk_to(Status.DITINDAKLANJUTI)
    with pytest.raises(DomainError, match='setelah aduan selesai'):
        await _reporter(result, Action.RATE, rating=5)


async def test_a_resolved_complaint_closes_itself_a_week_later_as_the_systems_move():
    clock.freeze(T0)
    result = await lifecycle.walk_to(Status.SELESAI)
    assert await workflow.next_close_at() == T0 + timedelta(days=7)
    assert await workflow.close_due(T0 + timedelta(days=7) - timedelta(seconds=1)) == []
    clock.advance(timedelta(days=9))  # the server was down: the sweep closes it at its true moment
    assert len(await workflow.close_due(clock.now())) == 1
    view = await complaints.public_view_by_key(result.view.code_key)
    closed = view.events[-1]
    assert (view.status, closed.actor, closed.created_at) == (Status.DITUTUP, 'Sistem', T0 + timedelta(days=7))
    assert await workflow.close_due(clock.now()) == []  # once
    assert await workflow.next_close_at() is None
    rated = await _reporter(result, Action.RATE, rating=5)  # a closed complaint may still be rated
    assert rated.rating == 5


async def test_a_reopened_complaint_is_not_closed_by_the_old_resolution():
    clock.freeze(T0)
    result = await lifecycle.walk_to(Status.SELESAI)
    clock.advance(timedelta(days=3))
    view = await _reporter(result, Action.REOPEN, message='Lubangnya muncul lagi.')
    assert view.reopen_until is None
    assert await workflow.close_due(T0 + timedelta(days=30)) == []
    assert (await Complaint.get(code_key=result.view.code_key)).status == Status.DITINDAKLANJUTI


async def test_reopening_twice_with_one_form_reopens_once():
    result = await lifecycle.walk_to(Status.SELESAI)
    key = _key()
    await _reporter(result, Action.REOPEN, key=key, message='Belum diperbaiki sama sekali.')
    await _reporter(result, Action.REOPEN, key=key, message='Belum diperbaiki sama sekali.')
    assert await SlaClock.filter(complaint__code_key=result.view.code_key, kind=ClockKind.RESOLUTION).count() == 2
    assert await TimelineEvent.filter(complaint__code_key=result.view.code_key, kind='reopened').count() == 1


async def test_the_map_lets_the_system_mark_open_complaints_only_and_the_reporter_never_resolve():
    assert workflow.may(Party.SYSTEM, Action.SLA_BREACH, Status.DIRESPONS)
    assert not workflow.may(Party.SYSTEM, Action.SLA_BREACH, Status.SELESAI)
    assert not workflow.may(Party.REPORTER, Action.RESOLVE, Status.DITINDAKLANJUTI)


async def test_a_paused_clock_past_its_nominal_deadline_is_paused_not_breached():
    await Category.filter(code='JALAN').update(pause_when_waiting=True)
    clock.freeze(T0)
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR)
    clock.advance(timedelta(days=10))
    assert await sla_engine.record_due_transitions(clock.now()) == []  # the engine records nothing while paused
    people = await lifecycle.people()
    staff = await staff_view.detail(people['dpupr'], result.view.code_key)
    resolution = next(c for c in staff.clocks if c.view.kind == ClockKind.RESOLUTION)
    assert resolution.state == sla.SlaState.PAUSED and resolution.breached_at is None
    assert resolution.view.for_browser()['paused'] and resolution.view.for_browser()['breached'] is None


async def test_a_recorded_breach_stays_in_what_the_browser_is_sent_after_a_pause_and_a_resume():
    await Category.filter(code='JALAN').update(pause_when_waiting=True)
    clock.freeze(T0)
    result = await lifecycle.walk_to(Status.DIRESPONS)
    clock.advance(timedelta(days=8))
    await sla_engine.record_due_transitions(clock.now())  # the resolution clock breached at T0 + 7 days
    await lifecycle.step(result.view.code_key, Action.WAIT)
    clock.advance(timedelta(days=1))
    view = await lifecycle.step(result.view.code_key, Action.FOLLOW_UP)  # resumed: its deadline moved a day
    sent = view.clock(ClockKind.RESOLUTION).for_browser()
    assert sent['breached'] == int((T0 + timedelta(days=7)).timestamp() * 1000)
    assert sent['at_risk'] <= int((T0 + timedelta(days=5, hours=6)).timestamp() * 1000)  # recorded, not moved


async def test_a_staff_message_is_bounded_and_a_refusal_names_the_state_in_words():
    result = await lifecycle.walk_to(Status.DIRESPONS)
    with pytest.raises(DomainError, match='paling banyak'):
        await lifecycle.step(result.view.code_key, Action.FOLLOW_UP, message='x' * 5001)
    with pytest.raises(DomainError) as refused:
        await lifecycle.step(result.view.code_key, Action.RESPOND)
    assert '"Sudah direspons"' in refused.value.message  # the label, not the stored value


async def test_added_information_is_limited_per_complaint():
    limits.configure(info=(2, 3600))
    result = await lifecycle.walk_to(Status.DIRESPONS)
    for n in range(2):
        await _reporter(result, Action.ADD_INFO, message=f'Informasi tambahan nomor {n + 1}.')
    with pytest.raises(RateLimited, match='coba lagi'):
        await _reporter(result, Action.ADD_INFO, message='Informasi ketiga.')
    assert await TimelineEvent.filter(complaint__code_key=result.view.code_key, kind='info_added').count() == 2
    await lifecycle.step(result.view.code_key, Action.WAIT)  # the OPD asks: the answer waits for the limit too
    with pytest.raises(RateLimited):
        await _reporter(result, Action.ADD_INFO, message='Jawaban untuk petugas.')


async def test_a_locked_rahasia_view_carries_no_rating():
    result = await lifecycle.walk_to(Status.SELESAI, privacy='rahasia')
    await _reporter(result, Action.RATE, rating=1, message='Petugasnya kasar.')
    locked = (await complaints.public_view_by_key(result.view.code_key)).for_viewer(pin_ok=False)
    assert (locked.rating, locked.rating_comment, locked.reopen_until) == (None, None, None)


async def test_a_complaint_resolved_before_auto_close_existed_closes_a_week_after_its_resolution():
    clock.freeze(T0)
    result = await lifecycle.walk_to(Status.SELESAI)
    await Complaint.filter(code_key=result.view.code_key).update(close_due_at=None)  # as migration 0006 left it
    assert await workflow.close_due(T0 + timedelta(days=6)) == []
    assert len(await workflow.close_due(T0 + timedelta(days=7))) == 1
    closed = (await complaints.public_view_by_key(result.view.code_key)).events[-1]
    assert closed.created_at == T0 + timedelta(days=7)
