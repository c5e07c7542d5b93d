"""The operator's pages through NiceGUI's simulated user: entering a 112 call, a screened-out post and its reversal."""

from datetime import timedelta

from nicegui.testing import User

from models import Channel, Complaint, IntakeRecord, SocialScreening
from services import auth, clock, intake
from tests import factories, staff


async def _operator(user: User) -> None:
    await auth.create_user(username='operator112', password=staff.PASSWORD, role='operator',
                           full_name='Rina Operator')
    await staff.login(user, 'operator112')
    await user.should_see(marker='no-entries', retries=30)  # the operator's board: what they entered


async def _fill(user: User, **overrides) -> None:
    values = {
        'category': await factories.category_id('PJU'),
        'title': 'Lampu jalan mati di depan pasar',
        'description': 'Penelepon melaporkan lampu jalan di depan pasar Kertek mati sejak dua malam.',
        'district': await factories.district_id('Kertek'),
        'reporter_name': 'Pak Darto',
        'reporter_phone': '0813 1111 2222',
        'reference': '112-20261130-0457',
    }
    values.update(overrides)
    for marker, value in values.items():
        user.find(marker=marker).elements.pop().value = value


async def test_an_operator_enters_a_call_and_reads_out_the_code_and_pin(user: User):
    await _operator(user)
    await user.open('/admin/aduan/baru')
    await _fill(user)
    called = clock.now() - timedelta(minutes=40)
    user.find(marker='reported_at').elements.pop().value = clock.local(called).strftime('%Y-%m-%dT%H:%M')
    user.find(marker='save').click()
    await user.should_see(marker='pin', retries=30)
    code = user.find(marker='code').elements.pop().text
    pin = user.find(marker='pin').elements.pop().text.removeprefix('PIN: ')
    complaint = await Complaint.get(code=code)
    assert complaint.channel == Channel.CALL_CENTER and complaint.source == 'Rina Operator'
    assert abs((complaint.reported_at - called).total_seconds()) < 60  # the clocks start at the call
    record = await IntakeRecord.get(complaint_id=complaint.id)
    assert record.reference == '112-20261130-0457'
    found = await complaints_look_up(code, pin)
    assert found.pin_ok
    await user.open('/admin')  # the operator's board lists it
    await user.should_see(code)
    await user.should_see('Call Center 112')
    await user.open(f'/admin/aduan/{code}')  # the staff page says where it came from and who typed it when
    await user.should_see('ref. 112-20261130-0457')
    await user.should_see('oleh Rina Operator')


async def complaints_look_up(code: str, pin: str):
    from services import complaints  # noqa: PLC0415

    return await complaints.look_up(code=code, pin=pin)


async def test_a_wrong_form_names_every_field_and_keeps_what_was_typed(user: User):
    await _operator(user)
    await user.open('/admin/aduan/baru')
    await _fill(user, title='', district=None)
    user.find(marker='reported_at').elements.pop().value = clock.local(
        clock.now() + timedelta(days=1)).strftime('%Y-%m-%dT%H:%M')
    user.find(marker='save').click()
    await user.should_see(marker='form-error', retries=30)
    await user.should_see('waktu melapor')
    assert 'masa depan' in user.find(marker='reported_at').elements.pop().error
    assert user.find(marker='title').elements.pop().error
    assert user.find(marker='description').elements.pop().value.startswith('Penelepon melaporkan')
    assert not await Complaint.exists()


async def test_a_post_failing_the_criteria_is_screened_out_and_a_supervisor_accepts_it(user: User, create_user):
    await _operator(user)
    await user.open('/admin/aduan/baru')
    user.find(marker='channel').elements.pop().value = 'social_media'
    await _fill(user, reference='')
    user.find(marker='platform').elements.pop().value = 'Facebook'
    user.find(marker='post_url').elements.pop().value = 'https://facebook.com/groups/wonosobo/posts/1'
    user.find(marker='author_handle').elements.pop().value = 'Warga Kertek'
    checklist = await intake.criteria()
    for criterion in checklist:  # every one holds but "not a private dispute"
        user.find(marker=f'criterion-{criterion.id}').elements.pop().value = 'sengketa' not in criterion.text
    user.find(marker='save').click()
    await user.should_see(marker='screened-out', retries=30)
    await user.should_see('Bukan sengketa pribadi antarwarga')
    assert not await Complaint.exists()
    screening = await SocialScreening.get()

    boss = create_user()
    await staff.login(boss, 'admin', staff.ADMIN_PASSWORD)
    await boss.should_see(marker='queue', retries=30)
    await boss.open('/admin/penyaringan')
    await boss.should_see('Disaring keluar')
    boss.find(marker=f'reverse-note-{screening.id}').type('Masalah lampu jalan umum, bukan sengketa.')
    boss.find(marker=f'reverse-{screening.id}').click()
    await boss.should_see('diterima sebagai aduan', retries=30)
    complaint = await Complaint.get()
    assert complaint.channel == Channel.SOCIAL_MEDIA
    assert (await SocialScreening.get(id=screening.id)).complaint_id == complaint.id


async def test_the_intake_page_is_for_operators_and_supervisors_only(user: User):
    await auth.create_user(username='dpupr', password=staff.PASSWORD, role='opd_admin', agency_code='DPUPR')
    await staff.on_board(user, 'dpupr')
    await user.open('/admin/aduan/baru')
    await user.should_see(marker='forbidden')
    await user.should_not_see(marker='save')


async def test_the_operator_is_offered_similar_open_complaints_with_their_codes(user: User):
    first = await factories.submit(title='Lampu jalan mati di depan pasar Kertek',
                                   description='Lampu jalan di depan pasar Kertek mati sejak tiga malam, gelap.',
                                   category_id=await factories.category_id('PJU'))
    await _operator(user)
    await user.open('/admin/aduan/baru')
    await _fill(user)
    user.find(marker='duplicate-hint').trigger('similar')  # what the browser sends once typing pauses
    await user.should_see('Apakah maksud Anda salah satu dari ini?', retries=30)
    await user.should_see(first.code)  # to read out to the caller, who may follow that one instead
