"""The admin transitions: permission matrix, state machine, clocks, and the version check."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from models import Agency, Category, ClockOutcome, Complaint, SlaCalendar, SlaClock, TimelineEvent
from services import clock, complaints, sla_engine, staff_view, workflow
from services.complaints import ClockKind, Status
from services.errors import DomainError, NotFound, ValidationFailed
from services.workflow import Action, Conflict
from tests import factories, lifecycle

pytestmark = pytest.mark.usefixtures('database')
T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wednesday 09:00 WIB


async def _agency_id(code: str) -> int:
    return (await Agency.get(code=code)).id


actors = lifecycle.people


async def _in_state(status: Status) -> complaints.Submitted:
    return await lifecycle.walk_to(status)


def _args(action: str, agencies: dict[str, int]) -> dict:
    if action == Action.DISPATCH:
        return {'agency_id': agencies['DPUPR']}
    if action == Action.REASSIGN:
        return {'agency_id': agencies['DINKES']}
    return {'message': 'Pesan petugas untuk pelapor.'}


STATES = list(lifecycle.PATHS)


async def _reopen(result: complaints.Submitted, reason: str) -> complaints.PublicView:
    return await workflow.reporter_act(code_key=result.view.code_key, pin=result.pin, action=Action.REOPEN,
                                       request_key=secrets.token_urlsafe(18), message=reason)


@pytest.mark.parametrize('status', STATES)
@pytest.mark.parametrize('role', ['supervisor', 'dpupr', 'dinkes', 'operator', 'viewer'])
async def test_every_state_action_and_role(status, role):
    agencies = {'DPUPR': await _agency_id('DPUPR'), 'DINKES': await _agency_id('DINKES')}
    actor = (await actors())[role]
    for action in workflow.STAFF_ACTIONS:
        result = await _in_state(status)
        key = result.view.code_key
        before = await Complaint.get(code_key=key)
        events_before = await TimelineEvent.filter(complaint_id=before.id).count()
        sees = role != 'dinkes' and not (role == 'dpupr' and before.agency_id is None)
        move = workflow.move_for(action, status)
        allowed = move is not None and actor.role in move.who and sees
        try:
            into = (await factories.submit()).code if action == Action.MERGE else None
            await workflow.act(actor, code_key=key, action=action, expected_version=before.version, into=into,
                               **_args(action, agencies))
        except DomainError as error:
            assert not allowed, f'{role} {action} from {status} refused: {error.message}'
            after = await Complaint.get(code_key=key)
            assert (after.status, after.version, after.agency_id) == (before.status, before.version, before.agency_id)
            assert await TimelineEvent.filter(complaint_id=before.id).count() == events_before
            if not sees:
                assert isinstance(error, NotFound)
        else:
            assert allowed, f'{role} could {action} from {status}'
            after = await Complaint.get(code_key=key)
            assert after.status == (move.target or status) and after.version == before.version + 1


async def test_opd_admin_cannot_open_other_opds_complaint():
    people = await actors()
    result = await factories.submit()
    with pytest.raises(NotFound):
        await workflow.load_for(people['dinkes'], result.view.code_key)
    assert (await workflow.load_for(people['dpupr'], result.view.code_key)).code == result.code


async def test_second_admin_is_told_who_changed_it_and_nothing_is_overwritten():
    people = await actors()
    result = await factories.submit()
    key = result.view.code_key
    await workflow.act(people['dpupr'], code_key=key, action=Action.RESPOND, expected_version=1,
                       message='Respons admin pertama.')
    with pytest.raises(Conflict) as caught:
        await workflow.act(people['supervisor'], code_key=key, action=Action.NOTE, expected_version=1,
                           message='Catatan yang terlambat.')
    assert 'Admin DPUPR' in caught.value.message
    view = await complaints.public_view_by_key(key)
    assert [e.message for e in view.events][-1] == 'Respons admin pertama.'


async def test_first_response_stops_its_clock_met_or_late():
    people = await actors()
    clock.freeze(T0)
    on_time = await factories.submit()
    late = await factories.submit()
    clock.advance(timedelta(minutes=90))
    view = await workflow.act(people['dpupr'], code_key=on_time.view.code_key, action=Action.RESPOND,
                              expected_version=1, message='Segera kami tinjau.')
    assert view.clock(ClockKind.FIRST_RESPONSE).outcome == ClockOutcome.MET
    assert view.clock(ClockKind.RESOLUTION).stopped_at is None
    clock.advance(timedelta(hours=1))
    view = await workflow.act(people['dpupr'], code_key=late.view.code_key, action=Action.RESPOND,
                              expected_version=1, message='Maaf terlambat.')
    assert view.clock(ClockKind.FIRST_RESPONSE).outcome == ClockOutcome.LATE


async def test_rejection_stops_both_clocks_outside_compliance():
    people = await actors()
    result = await factories.submit()
    view = await workflow.act(people['supervisor'], code_key=result.view.code_key, action=Action.REJECT,
                              expected_version=1, message='Aduan ganda.')
    assert {c.outcome for c in view.clocks} == {ClockOutcome.REJECTED}


async def test_sla_clocks_go_on_track_at_risk_breached_once():
    clock.freeze(T0)
    result = await factories.submit()
    assert await sla_engine.record_due_transitions(T0 + timedelta(minutes=89)) == []
    assert await sla_engine.next_due_at() == T0 + timedelta(minutes=90)
    risk = await sla_engine.record_due_transitions(T0 + timedelta(minutes=95))
    assert [(t.kind, t.what, t.at) for t in risk] == [(ClockKind.FIRST_RESPONSE, 'at_risk', T0 + timedelta(minutes=90))]
    breach = await sla_engine.record_due_transitions(T0 + timedelta(days=8))
    assert {(t.kind, t.what) for t in breach} == {(ClockKind.FIRST_RESPONSE, 'breached'),
                                                  (ClockKind.RESOLUTION, 'at_risk'),
                                                  (ClockKind.RESOLUTION, 'breached')}
    assert await sla_engine.record_due_transitions(T0 + timedelta(days=9)) == []  # recorded once
    stored = await SlaClock.filter(complaint__code_key=result.view.code_key, kind=ClockKind.FIRST_RESPONSE)
    assert stored[0].breached_at == T0 + timedelta(hours=2)  # its true time, not the sweep's
    assert stored[0].breached_agency_id == await _agency_id('DPUPR')
    internal = await TimelineEvent.filter(complaint__code_key=result.view.code_key, is_public=False)
    assert len(internal) == 2
    assert await sla_engine.next_due_at() is None


async def test_stopped_clock_never_breaches():
    people = await actors()
    clock.freeze(T0)
    result = await factories.submit()
    await workflow.act(people['dpupr'], code_key=result.view.code_key, action=Action.RESPOND, expected_version=1,
                       message='Ditanggapi.')
    recorded = await sla_engine.record_due_transitions(T0 + timedelta(hours=3))
    assert recorded == []


async def test_pause_while_waiting_moves_the_resolution_deadline_when_the_category_says_so():
    people = await actors()
    await Category.filter(code='JALAN').update(pause_when_waiting=True)
    clock.freeze(T0)
    result = await factories.submit()
    key = result.view.code_key
    await workflow.act(people['dpupr'], code_key=key, action=Action.RESPOND, expected_version=1, message='Oke.')
    await workflow.act(people['dpupr'], code_key=key, action=Action.WAIT, expected_version=2,
                       message='Mohon kirim foto lokasi yang lebih jelas.')
    clock.advance(timedelta(days=10))
    assert await sla_engine.record_due_transitions(clock.now()) == []  # paused: no breach
    view = await workflow.act(people['dpupr'], code_key=key, action=Action.FOLLOW_UP, expected_version=3,
                              message='Foto diterima, tim dijadwalkan.')
    resolution = view.clock(ClockKind.RESOLUTION)
    assert resolution.due_at == T0 + timedelta(days=7) + timedelta(days=10)
    assert not resolution.paused


async def test_waiting_does_not_pause_by_default():
    people = await actors()
    clock.freeze(T0)
    result = await factories.submit()
    key = result.view.code_key
    await workflow.act(people['dpupr'], code_key=key, action=Action.RESPOND, expected_version=1, message='Oke.')
    await workflow.act(people['dpupr'], code_key=key, action=Action.WAIT, expected_version=2, message='Info?')
    breach = await sla_engine.record_due_transitions(T0 + timedelta(days=8))
    assert (ClockKind.RESOLUTION, 'breached') in {(t.kind, t.what) for t in breach}


async def test_restart_records_overdue_transitions_with_their_true_time():
    clock.freeze(T0)
    await factories.submit()
    await factories.submit()
    # the server was down for a day: the start-up sweep records everything at once, at the true times
    recorded = await sla_engine.record_due_transitions(T0 + timedelta(days=1))
    assert len([t for t in recorded if t.what == 'breached']) == 2
    assert {t.at for t in recorded if t.what == 'breached'} == {T0 + timedelta(hours=2)}


async def test_working_hours_calendar_skips_the_weekend_and_a_public_holiday():
    await Category.filter(code='JALAN').update(calendar=SlaCalendar.WORKING_HOURS)
    clock.freeze(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # Friday 22:00 WIB
    result = await factories.submit()
    due = result.view.clock(ClockKind.FIRST_RESPONSE).due_at
    assert due == datetime(2026, 11, 30, 2, 30, tzinfo=UTC)  # Monday 09:30 WIB
    clock.freeze(datetime(2026, 12, 24, 8, 0, tzinfo=UTC))  # Thursday 15:00 WIB, Christmas on Friday
    result = await factories.submit()
    due = result.view.clock(ClockKind.FIRST_RESPONSE).due_at
    assert due == datetime(2026, 12, 28, 1, 30, tzinfo=UTC)  # Monday 08:30 WIB


async def test_reopen_starts_a_new_resolution_clock_and_keeps_the_old_one():
    people = await actors()
    clock.freeze(T0)
    result = await _in_state(Status.SELESAI)
    key = result.view.code_key
    with pytest.raises(ValidationFailed) as empty:
        await _reopen(result, '   ')
    assert 'alasan' in empty.value.errors['message']
    clock.advance(timedelta(days=3))
    view = await _reopen(result, 'Lubangnya muncul lagi setelah hujan.')
    assert view.status == Status.DITINDAKLANJUTI
    clocks = await SlaClock.filter(complaint__code_key=key, kind=ClockKind.RESOLUTION).order_by('started_at')
    assert [c.outcome for c in clocks] == [ClockOutcome.MET, None]
    assert clocks[1].started_at == clock.now() and clocks[1].due_at == clock.now() + timedelta(days=7)
    assert view.clock(ClockKind.RESOLUTION).due_at == clocks[1].due_at  # the page shows the new clock
    assert (await Complaint.get(code_key=key)).next_due_at == clocks[1].due_at  # and the board sorts by it
    events = await TimelineEvent.filter(complaint__code_key=key, kind='reopened', is_public=True)
    assert 'muncul lagi' in events[0].message
    # the new clock runs its own course: at risk, then breached, recorded once
    breach = await sla_engine.record_due_transitions(clock.now() + timedelta(days=8))
    assert {(t.kind, t.what) for t in breach} == {(ClockKind.RESOLUTION, 'at_risk'), (ClockKind.RESOLUTION, 'breached')}
    # resolved again, it cannot be reopened a second time
    version = (await Complaint.get(code_key=key)).version
    await workflow.act(people['dpupr'], code_key=key, action=Action.RESOLVE, expected_version=version,
                       message='Sudah ditambal ulang.')
    with pytest.raises(DomainError, match='sudah pernah dibuka kembali'):
        await _reopen(result, 'Masih rusak.')


@pytest.mark.parametrize('status', [s for s in STATES if s != Status.SELESAI])
async def test_only_a_resolved_complaint_can_be_reopened(status):
    result = await _in_state(status)
    before = await Complaint.get(code_key=result.view.code_key)
    with pytest.raises(DomainError):
        await _reopen(result, 'Belum beres.')
    after = await Complaint.get(code_key=result.view.code_key)
    assert (after.status, after.version) == (before.status, before.version)


async def test_reopen_is_refused_more_than_seven_days_after_resolution():
    clock.freeze(T0)
    result = await _in_state(Status.SELESAI)
    clock.advance(timedelta(days=7, minutes=1))
    with pytest.raises(DomainError, match='7 hari'):
        await _reopen(result, 'Rusak lagi.')
    assert await SlaClock.filter(complaint__code_key=result.view.code_key, kind=ClockKind.RESOLUTION).count() == 1


async def test_dispatch_and_reassign_keep_the_supervisors_message_for_staff_not_the_citizen():
    people = await actors()
    result = await _in_state(Status.BARU)
    key = result.view.code_key
    version = (await Complaint.get(code_key=key)).version
    await workflow.act(people['supervisor'], code_key=key, action=Action.DISPATCH, expected_version=version,
                       agency_id=await _agency_id('DPUPR'), message='Mohon cek lokasi, dekat SD Negeri 2.')
    await workflow.act(people['supervisor'], code_key=key, action=Action.REASSIGN, expected_version=version + 1,
                       agency_id=await _agency_id('DINKES'), message='Ternyata soal puskesmas, bukan jalan.')
    staff = await staff_view.detail(people['dinkes'], key)
    internal = [event.message for event, public in staff.events if not public]
    assert 'Pesan disposisi: Mohon cek lokasi, dekat SD Negeri 2.' in internal
    assert 'Pesan disposisi: Ternyata soal puskesmas, bukan jalan.' in internal
    public = [event.message for event in (await complaints.public_view_by_key(key)).events]
    assert public[-2:] == ['Diteruskan ke Dinas Pekerjaan Umum dan Penataan Ruang.', 'Diteruskan ke Dinas Kesehatan.']
    assert not any('SD Negeri' in text or 'puskesmas' in text for text in public)


async def test_dispatch_without_a_message_writes_only_where_it_went():
    people = await actors()
    result = await _in_state(Status.BARU)
    key = result.view.code_key
    before = await TimelineEvent.filter(complaint__code_key=key).count()
    await workflow.act(people['supervisor'], code_key=key, action=Action.DISPATCH,
                       expected_version=(await Complaint.get(code_key=key)).version,
                       agency_id=await _agency_id('DPUPR'))
    assert await TimelineEvent.filter(complaint__code_key=key).count() == before + 1
