"""A supervisor merges a complaint into another (issue 12 §3): only supervisors, only into an open complaint that
was not merged itself; the merged complaint's clocks stop as merged (never met); both codes keep working and the
merged one follows its survivor; its reporter gets the survivor's news through the outbox."""

import pytest

from models import ClockKind, ClockOutcome, Complaint, EventKind, OutboxMessage, SlaClock, Status, TimelineEvent
from services import complaints, sla, staff_view, workflow
from services.errors import DomainError
from services.workflow import Action
from tests import factories, lifecycle

pytestmark = pytest.mark.usefixtures('database')


async def _merge(source: complaints.Submitted, into: str, *, by: str = 'supervisor', message: str = ''):
    who = (await lifecycle.people())[by]
    version = await Complaint.get(code_key=source.view.code_key).values_list('version', flat=True)
    return await workflow.act(who, code_key=source.view.code_key, action=Action.MERGE, expected_version=version,
                              into=into, message=message)


async def _state(result: complaints.Submitted) -> tuple[Status, int]:
    row = await Complaint.get(code_key=result.view.code_key)
    return row.status, await TimelineEvent.filter(complaint_id=row.id).count()


async def test_a_supervisor_merges_and_the_merged_complaint_follows_its_survivor():
    survivor = await factories.submit()
    merged = await factories.submit(title='Jalan depan SD Kertek berlubang')
    await _merge(merged, survivor.code.lower(), message='Lokasi dan masalahnya sama.')  # the code is read loosely
    row = await Complaint.get(code_key=merged.view.code_key)
    assert row.status == Status.DIGABUNG and row.merged_at is not None
    assert row.merged_into_id == (await Complaint.get(code_key=survivor.view.code_key)).id

    found = await complaints.look_up(code=merged.code)  # the merged code still works, without a PIN
    view = found.view
    assert view.status == Status.DIGABUNG and view.merged_into == survivor.code
    assert view.followed.code == survivor.code and view.followed.status == Status.DIDISPOSISIKAN
    assert view.events[-1].kind == EventKind.MERGED and f'Digabung ke {survivor.code}' in view.events[-1].message

    await lifecycle.step(survivor.view.code_key, Action.RESPOND, message='Tim kami meninjau lokasi besok pagi.')
    followed = (await complaints.look_up(code=merged.code)).view.followed
    assert followed.status == Status.DIRESPONS  # the survivor's progress, at the merged code
    assert followed.events[-1].message == 'Tim kami meninjau lokasi besok pagi.'
    assert (await complaints.look_up(code=survivor.code)).view.status == Status.DIRESPONS  # and its own code

    public = [e.message for e in (await complaints.look_up(code=survivor.code)).view.events]
    assert 'Aduan lain tentang masalah yang sama digabungkan ke aduan ini.' in public
    assert merged.code not in str(public)  # the merged code is not handed to whoever holds the survivor's
    staff = await staff_view.detail((await lifecycle.people())['supervisor'], survivor.view.code_key)
    assert any(e.message == f'Aduan {merged.code} digabungkan ke aduan ini.' and not public_ for e, public_
               in staff.events)
    merged_staff = await staff_view.detail((await lifecycle.people())['supervisor'], merged.view.code_key)
    assert any(e.message == 'Alasan penggabungan: Lokasi dan masalahnya sama.' and not public_ for e, public_
               in merged_staff.events)
    assert Action.MERGE not in merged_staff.actions  # a merged complaint is closed to every move but a note


async def test_the_merged_complaints_clocks_stop_as_merged_never_as_met():
    survivor = await factories.submit()
    merged = await lifecycle.walk_to(Status.DIRESPONS)  # its first response was met; resolution still running
    await _merge(merged, survivor.code)
    clocks = {c.kind: c for c in await SlaClock.filter(complaint__code_key=merged.view.code_key)}
    assert clocks[ClockKind.FIRST_RESPONSE].outcome == ClockOutcome.MET  # stopped before: kept as it was
    resolution = clocks[ClockKind.RESOLUTION]
    assert resolution.outcome == ClockOutcome.MERGED and resolution.stopped_at is not None
    assert sla.state(resolution, resolution.stopped_at) == sla.SlaState.MERGED
    assert await Complaint.get(code_key=merged.view.code_key).values_list('next_due_at', flat=True) is None
    running = await SlaClock.filter(complaint__code_key=survivor.view.code_key, stopped_at=None).count()
    assert running == 2  # the survivor's clocks go on


@pytest.mark.parametrize('who', ['dpupr', 'operator', 'viewer'])
async def test_only_a_supervisor_may_merge(who):
    survivor = await factories.submit()
    merged = await factories.submit()
    before = await _state(merged)
    with pytest.raises(DomainError, match='tidak berwenang'):
        await _merge(merged, survivor.code, by=who)
    assert await _state(merged) == before


async def test_refusals_change_nothing():
    survivor = await factories.submit()
    merged = await factories.submit()
    closed = await lifecycle.walk_to(Status.SELESAI)
    rejected = await lifecycle.walk_to(Status.DITOLAK)
    before = await _state(merged), await _state(survivor)
    for into, words in ((merged.code, 'dirinya sendiri'), (closed.code, 'masih diproses'),
                        (rejected.code, 'masih diproses'), ('WSB-0000-0000', 'tidak ditemukan'),
                        ('', 'Tuliskan kode')):
        with pytest.raises(DomainError, match=words):
            await _merge(merged, into)
    assert (await _state(merged), await _state(survivor)) == before
    with pytest.raises(DomainError, match='tidak dapat dilakukan'):  # a closed complaint is not merged either
        await _merge(closed, survivor.code)


async def test_no_chains_a_merged_complaint_is_refused_as_a_target_and_followers_move_on():
    first, second, third = [await factories.submit() for _ in range(3)]
    await _merge(first, second.code)
    with pytest.raises(DomainError, match=f'sudah digabungkan ke aduan {second.code}'):
        await _merge(third, first.code)  # into a merged complaint: refused, its survivor named
    await _merge(second, third.code)  # the survivor is merged on: what followed it follows the new survivor
    first_row = await Complaint.get(code_key=first.view.code_key)
    assert first_row.merged_into_id == (await Complaint.get(code_key=third.view.code_key)).id
    assert (await complaints.look_up(code=first.code)).view.merged_into == third.code


async def test_a_rahasia_survivor_shows_only_what_its_code_alone_shows():
    survivor = await factories.submit(privacy='rahasia', title='Pungutan liar di kantor desa')
    merged = await factories.submit()
    await _merge(merged, survivor.code)
    await lifecycle.step(survivor.view.code_key, Action.RESPOND, message='Kami tindak lanjuti secara tertutup.')
    view = (await complaints.look_up(code=merged.code)).view
    assert view.followed.status == Status.DIRESPONS  # its status, as anyone holding its code sees
    assert not view.followed.content_visible and view.followed.events == () and view.followed.title is None
    assert view.merged_into is None and survivor.code not in str(view)  # its code is not handed out
    assert 'Pungutan' not in str(view) and 'tertutup' not in str(view)


async def test_the_merged_reporter_gets_the_survivors_news_through_the_outbox():
    survivor = await factories.submit()
    merged = await factories.submit(reporter_phone='0813-1111-2222', reporter_email='warga@contoh.id',
                                    notify_reporter=True)
    silent = await factories.submit(reporter_phone='0813-3333-4444')  # did not ask for news
    await _merge(merged, survivor.code)
    await _merge(silent, survivor.code)
    merged_id = await Complaint.get(code_key=merged.view.code_key).values_list('id', flat=True)
    told = await OutboxMessage.filter(complaint_id=merged_id, move='merge').values_list('address', flat=True)
    assert sorted(told) == ['6281311112222', 'warga@contoh.id']

    await lifecycle.step(survivor.view.code_key, Action.RESPOND, message='Tim kami meninjau lokasi besok pagi.')
    news = await OutboxMessage.filter(complaint_id=merged_id, move='respond')
    assert sorted(m.address for m in news) == ['6281311112222', 'warga@contoh.id']
    sms = next(m for m in news if m.address.startswith('62'))
    assert f'/lacak/{merged.code}' in sms.body  # their own code, whose page follows the survivor
    assert not await OutboxMessage.filter(address='6281333334444').exists()


async def test_open311_summary_of_a_merged_request_follows_the_survivor():
    survivor = await lifecycle.walk_to(Status.DIRESPONS)
    merged = await factories.submit()
    await _merge(merged, survivor.code)
    summary = await complaints.public_summary(merged.code)
    assert summary is not None and summary.merged_into == survivor.code and summary.status == Status.DIRESPONS


async def test_open311_lists_a_merged_request_by_the_status_it_shows():
    survivor = await factories.submit()
    merged = await factories.submit()
    await _merge(merged, survivor.code)
    open_codes = {s.code for s in await complaints.public_list(statuses=[Status.DIDISPOSISIKAN])}
    assert {survivor.code, merged.code} <= open_codes  # shown as the survivor's state, found by it
    closed = await complaints.public_list(statuses=[Status.DIGABUNG, Status.SELESAI])
    assert merged.code not in {s.code for s in closed}
    listed = {s.code: s for s in await complaints.public_list()}
    assert listed[merged.code].status == Status.DIDISPOSISIKAN and listed[merged.code].merged_into == survivor.code


async def test_a_merged_rahasia_complaint_without_its_pin_shows_neither_its_survivor_nor_its_timeline():
    survivor = await factories.submit(title='Jalan berlubang di depan SD Kertek 2')
    await lifecycle.step(survivor.view.code_key, Action.RESPOND, message='Tim kami meninjau lokasi besok pagi.')
    secret = await factories.submit(privacy='rahasia', title='Pungutan liar di kantor desa')
    await _merge(secret, survivor.code)
    found = await complaints.look_up(code=secret.code)
    view = found.view.for_viewer(pin_ok=False)
    assert view.merged_into is None and view.survivor is not None
    assert view.survivor.code == '' and view.survivor.events == () and not view.survivor.content_visible
    assert view.followed.status == Status.DIRESPONS  # its status still follows the survivor's
    unlocked = (await complaints.look_up(code=secret.code, pin=secret.pin)).view.for_viewer(pin_ok=True)
    assert unlocked.merged_into == survivor.code and unlocked.survivor.events
