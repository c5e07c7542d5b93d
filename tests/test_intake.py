"""Complaints entered by staff (services.intake): the clocks start when the citizen reported, back-dating is on
record, social-media posts pass only under the criteria, and screened-out posts are kept and can be reversed."""

from datetime import timedelta

import pytest

from models import (
    Attachment,
    Channel,
    ClockKind,
    Complaint,
    IntakeRecord,
    OutboxMessage,
    Role,
    ScreeningOutcome,
    SlaClock,
    SocialScreening,
    TimelineEvent,
)
from services import auth, clock, intake
from services.errors import NotAllowed, ValidationFailed
from services.intake import Source
from tests import factories
from tests.staff import supervisor

pytestmark = pytest.mark.usefixtures('database')


async def _member(role: Role, name: str = 'op1', agency: str | None = None):
    user = await auth.create_user(username=name, password='sandi-panjang-1', role=role, agency_code=agency,
                                  full_name=f'Petugas {name}')
    return await auth.actor(user.id)


async def _fields(**overrides):
    fields = {'category_id': await factories.category_id(), 'title': 'Lampu jalan mati di Jalan Kertek',
              'description': 'Penelepon melaporkan lampu jalan mati sejak tiga malam, jalan gelap dan rawan.',
              'district_id': await factories.district_id(), 'reporter_name': 'Pak Darto',
              'reporter_phone': '0813-1111-2222'}
    fields.update(overrides)
    return fields


async def test_a_call_entered_later_starts_its_clocks_at_the_call_and_records_the_backdating():
    operator = await _member(Role.OPERATOR)
    called = clock.now() - timedelta(hours=3)
    entered = await intake.enter(operator, source=Source(Channel.CALL_CENTER, called, reference='112-0457'),
                                 **await _fields())
    assert entered.submitted is not None and not entered.screened_out
    complaint = await Complaint.get(code=entered.submitted.code)
    assert complaint.channel == Channel.CALL_CENTER and complaint.source == 'Petugas op1'
    assert abs((complaint.reported_at - called).total_seconds()) < 1
    first = await SlaClock.get(complaint_id=complaint.id, kind=ClockKind.FIRST_RESPONSE)
    assert abs((first.started_at - called).total_seconds()) < 1
    assert first.due_at < clock.now()  # two hours from the call, not from the typing: already due
    record = await IntakeRecord.get(complaint_id=complaint.id)
    assert (record.reference, record.operator_name) == ('112-0457', 'Petugas op1')
    assert record.backdated_seconds >= 3 * 3600 - 5
    note = await TimelineEvent.get(complaint_id=complaint.id, kind='note')
    assert not note.is_public and 'setelah warga melapor' in note.message
    # The caller hears the code and PIN from the operator; the outbox sends the code and link, never the PIN
    sms = await OutboxMessage.get(complaint_id=complaint.id, recipient='reporter')
    assert entered.submitted.code in sms.body and '/lacak/' in sms.body and entered.submitted.pin not in sms.body


async def test_a_call_entered_at_once_needs_no_backdating_note():
    operator = await _member(Role.OPERATOR)
    entered = await intake.enter(operator, source=Source(Channel.WALK_IN, clock.now() - timedelta(minutes=3)),
                                 **await _fields())
    assert entered.submitted is not None
    complaint = await Complaint.get(code=entered.submitted.code)
    assert complaint.channel == Channel.WALK_IN
    assert not await TimelineEvent.filter(complaint_id=complaint.id, kind='note').exists()


@pytest.mark.parametrize(('moment', 'message'), [
    (timedelta(hours=1), 'masa depan'), (-timedelta(days=7, hours=1), '7 hari'), (None, 'Isi tanggal')])
async def test_the_reported_moment_may_not_lie_ahead_nor_more_than_seven_days_back(moment, message):
    operator = await _member(Role.OPERATOR)
    when = None if moment is None else clock.now() + moment
    with pytest.raises(ValidationFailed) as failed:
        await intake.enter(operator, source=Source(Channel.CALL_CENTER, when), **await _fields(title=''))
    assert message in failed.value.errors['reported_at']
    assert 'title' in failed.value.errors  # every wrong field at once
    assert not await Complaint.exists()


@pytest.mark.parametrize('role', [Role.VIEWER, Role.OPD_ADMIN])
async def test_only_operators_and_supervisors_enter_complaints(role):
    member = await _member(role, agency='DPUPR' if role == Role.OPD_ADMIN else None)
    with pytest.raises(NotAllowed):
        await intake.enter(member, source=Source(Channel.CALL_CENTER, clock.now()), **await _fields())
    assert not await Complaint.exists()


async def test_a_double_tap_enters_the_complaint_once():
    operator = await _member(Role.OPERATOR)
    source = Source(Channel.WHATSAPP, clock.now(), reference='WA-20261130-12')
    first = await intake.enter(operator, source=source, request_key='abc123', **await _fields())
    again = await intake.enter(operator, source=source, request_key='abc123', **await _fields())
    assert first.submitted is not None and again.submitted is not None
    assert first.submitted.code == again.submitted.code
    assert await Complaint.all().count() == 1 and await IntakeRecord.all().count() == 1


def _social(**overrides) -> Source:
    fields = {'channel': Channel.SOCIAL_MEDIA, 'reported_at': clock.now() - timedelta(hours=1),
              'platform': 'Instagram', 'post_url': 'https://instagram.com/p/abc', 'author_handle': '@warga_kertek'}
    fields.update(overrides)
    return Source(**fields)


async def _all_hold() -> dict[int, bool]:
    return {c.id: True for c in await intake.criteria()}


async def test_a_post_meeting_every_required_criterion_becomes_a_complaint_with_its_screening():
    operator = await _member(Role.OPERATOR)
    checklist = await intake.criteria()
    assert len(checklist) == 5 and sum(c.required for c in checklist) == 4  # the defaults
    answers = {c.id: c.required for c in checklist}  # the advisory one need not hold
    photo = await factories_photo()
    entered = await intake.enter(operator, source=_social(screenshot_token=photo), answers=answers,
                                 **await _fields())
    assert entered.submitted is not None
    complaint = await Complaint.get(code=entered.submitted.code)
    screening = await SocialScreening.get(complaint_id=complaint.id)
    assert screening.outcome == ScreeningOutcome.PASSED and screening.post_url == 'https://instagram.com/p/abc'
    assert all(a['holds'] == a['required'] for a in screening.answers)
    shot = await Attachment.get(complaint_id=complaint.id)
    assert not shot.is_public and shot.sha256 == screening.screenshot_sha


async def factories_photo() -> str:
    from services import attachments  # noqa: PLC0415

    stored = await attachments.store_image(factories.image_bytes())
    return stored.token


async def test_a_post_failing_a_required_criterion_is_kept_screened_out_and_a_supervisor_can_reverse_it():
    operator = await _member(Role.OPERATOR)
    checklist = await intake.criteria()
    hate = next(c for c in checklist if 'SARA' in c.text)
    answers = {c.id: c.id != hate.id for c in checklist}
    entered = await intake.enter(operator, source=_social(), answers=answers, **await _fields())
    assert entered.screened_out and entered.reasons == (hate.text,)
    assert not await Complaint.exists()
    row = await SocialScreening.get(id=entered.screening_id)
    assert row.outcome == ScreeningOutcome.SCREENED_OUT and hate.text in row.reasons
    assert row.draft['title'] == 'Lampu jalan mati di Jalan Kertek'  # nothing typed is lost

    with pytest.raises(NotAllowed):  # an operator cannot overturn a screening
        await intake.accept_screened_out(operator, row.id, note='Menurut saya layak.')
    boss = await supervisor()
    with pytest.raises(ValidationFailed):
        await intake.accept_screened_out(boss, row.id, note='')
    submitted = await intake.accept_screened_out(boss, row.id, note='Bukan SARA, keluhan layanan biasa.')
    complaint = await Complaint.get(code=submitted.code)
    assert complaint.channel == Channel.SOCIAL_MEDIA
    row = await SocialScreening.get(id=row.id)
    assert row.outcome == ScreeningOutcome.PASSED and row.complaint_id == complaint.id
    assert row.reversed_by and row.reversal_note == 'Bukan SARA, keluhan layanan biasa.'
    log = await TimelineEvent.get(complaint_id=complaint.id, kind='note')
    assert not log.is_public and 'dibatalkan' in log.message
    with pytest.raises(Exception, match='sudah diubah'):
        await intake.accept_screened_out(boss, row.id, note='Sekali lagi, dua kali klik.')
    assert await Complaint.all().count() == 1
    rows = await intake.screenings(operator)
    assert [r.code for r in rows] == [submitted.code]
    counts = await intake.screening_counts(since=clock.now() - timedelta(days=1))
    assert counts == {'passed': 1, 'screened_out': 0}


async def test_a_post_needs_its_link_and_platform():
    operator = await _member(Role.OPERATOR)
    with pytest.raises(ValidationFailed) as failed:
        await intake.enter(operator, source=_social(post_url='javascript:alert(1)', platform='Friendster'),
                           answers=await _all_hold(), **await _fields())
    assert set(failed.value.errors) >= {'post_url', 'platform'}
    assert not await SocialScreening.exists()


async def test_supervisors_edit_the_checklist_and_a_new_required_line_screens_posts():
    boss = await supervisor()
    operator = await _member(Role.OPERATOR)
    with pytest.raises(NotAllowed):
        await intake.save_criterion(operator, criterion_id=None, text='Ada foto bukti', required=True)
    added = await intake.save_criterion(boss, criterion_id=None, text='Ada foto atau video bukti', required=True)
    answers = {c.id: c.id != added.id for c in await intake.criteria()}
    entered = await intake.enter(operator, source=_social(), answers=answers, **await _fields())
    assert entered.reasons == ('Ada foto atau video bukti',)
    await intake.save_criterion(boss, criterion_id=added.id, text=added.text, required=False)
    entered = await intake.enter(operator, source=_social(), answers=answers, **await _fields())
    assert entered.submitted is not None


async def test_a_supervisor_screens_out_a_passed_post_and_its_complaint_is_rejected_with_the_reason():
    operator = await _member(Role.OPERATOR)
    entered = await intake.enter(operator, source=_social(), answers=await _all_hold(), **await _fields())
    assert entered.submitted is not None
    screening = await SocialScreening.get(complaint__code=entered.submitted.code)
    with pytest.raises(NotAllowed):
        await intake.screen_out_passed(operator, screening.id, note='Ternyata hoaks.')
    boss = await supervisor()
    await intake.screen_out_passed(boss, screening.id, note='Ternyata hoaks, foto dari daerah lain.')
    complaint = await Complaint.get(code=entered.submitted.code)
    assert complaint.status == 'ditolak'
    rejection = await TimelineEvent.get(complaint_id=complaint.id, kind='rejected')
    assert rejection.is_public and 'foto dari daerah lain' in rejection.message
    screening = await SocialScreening.get(id=screening.id)
    assert screening.outcome == ScreeningOutcome.SCREENED_OUT and screening.reversed_by
    with pytest.raises(Exception, match='sudah diubah'):
        await intake.screen_out_passed(boss, screening.id, note='Dua kali klik yang sama.')


async def test_a_screened_out_post_sent_twice_is_recorded_once():
    operator = await _member(Role.OPERATOR)
    answers = {c.id: False for c in await intake.criteria()}
    first = await intake.enter(operator, source=_social(), answers=answers, request_key='form-1', **await _fields())
    again = await intake.enter(operator, source=_social(), answers=answers, request_key='form-1', **await _fields())
    assert first.screened_out and first.screening_id == again.screening_id
    assert await SocialScreening.all().count() == 1


async def test_operators_do_not_read_a_rahasia_posts_content_on_the_screening_list():
    operator = await _member(Role.OPERATOR)
    other = await _member(Role.OPERATOR, name='op2')
    entered = await intake.enter(operator, source=_social(), answers=await _all_hold(), privacy='rahasia',
                                 **await _fields())
    assert entered.submitted is not None
    [row] = await intake.screenings(other)
    assert 'lampu jalan mati' not in row.post_text.lower() and not row.post_url and not row.author_handle
    [row] = await intake.screenings(await supervisor())  # Diskominfo reads it
    assert 'lampu jalan mati' in row.post_text.lower()


async def test_accepting_an_old_screened_out_post_starts_its_clocks_now_and_keeps_its_screenshot():
    operator = await _member(Role.OPERATOR)
    answers = {c.id: False for c in await intake.criteria()}
    photo = await factories_photo()
    entered = await intake.enter(operator, source=_social(screenshot_token=photo,
                                                          reported_at=clock.now() - timedelta(days=6)),
                                 answers=answers, **await _fields())
    clock.freeze(clock.now() + timedelta(days=4))  # accepted ten days after it was posted
    try:
        submitted = await intake.accept_screened_out(await supervisor(), entered.screening_id,
                                                     note='Ternyata layak, lampu jalan umum.')
    finally:
        clock.reset()
    complaint = await Complaint.get(code=submitted.code)
    first = await SlaClock.get(complaint_id=complaint.id, kind=ClockKind.FIRST_RESPONSE)
    assert first.due_at > clock.now()  # not already breached for days before it was accepted
    shot = await Attachment.get(complaint_id=complaint.id)
    assert not shot.is_public


async def test_a_reversal_that_cannot_make_the_complaint_changes_nothing_and_says_what_to_do():
    from models import Category  # noqa: PLC0415

    operator = await _member(Role.OPERATOR)
    answers = {c.id: False for c in await intake.criteria()}
    entered = await intake.enter(operator, source=_social(), answers=answers, **await _fields())
    await Category.filter(code='JALAN').update(active=False)
    from services import complaints  # noqa: PLC0415

    complaints.forget_reference_data()
    with pytest.raises(Exception, match='Catat ulang'):
        await intake.accept_screened_out(await supervisor(), entered.screening_id, note='Layak diterima.')
    row = await SocialScreening.get(id=entered.screening_id)
    assert row.outcome == ScreeningOutcome.SCREENED_OUT and row.reversed_at is None
    assert not await Complaint.exists()
