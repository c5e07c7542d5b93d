"""The submit page through NiceGUI's simulated user."""

from nicegui.testing import User

from services import admin_settings, complaints, limits
from tests import factories, staff


async def _fill(user: User, **overrides) -> None:
    values = {
        'category': await factories.category_id('PJU'),
        'title': 'Lampu jalan mati',
        'description': 'Lampu jalan di depan masjid Kertek mati sejak tiga hari, jalan gelap sekali.',
        'district': await factories.district_id('Kertek'),
        'village': 'Kertek',
        'reporter_name': 'Budi Santoso',
        'reporter_phone': '+62 812 1111 2222',
    }
    values.update(overrides)
    for marker, value in values.items():
        user.find(marker=marker).elements.pop().value = value


async def test_valid_complaint_shows_code_pin_and_promise(user: User):
    await user.open('/')
    await _fill(user)
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see(marker='code', retries=30)
    code = user.find(marker='code').elements.pop().text
    assert code.startswith('WSB-')
    await user.should_see(marker='pin')
    await user.should_see('Respons awal paling lambat')
    await user.should_see('Penyelesaian paling lambat')
    found = await complaints.look_up(code=code)
    assert found.view.category_name == 'Lampu penerangan jalan umum'


async def test_bad_fields_get_messages_and_keep_what_was_typed(user: User):
    await user.open('/')
    await _fill(user, description='terlalu pendek', reporter_phone='12345')
    user.find(marker='submit').click()
    await user.should_see(marker='form-error', retries=30)
    await factories.eventually(lambda: bool(user.find(marker='description').elements.pop().error))
    description = user.find(marker='description').elements.pop()
    phone = user.find(marker='reporter_phone').elements.pop()
    assert 'minimal 20 karakter' in description.error
    assert 'Nomor HP tidak valid' in phone.error
    assert description.value == 'terlalu pendek'
    assert user.find(marker='title').elements.pop().value == 'Lampu jalan mati'
    await user.should_see('Centang persetujuan')
    assert await complaints.Complaint.all().count() == 0


async def test_double_tap_creates_one_complaint(user: User):
    await user.open('/')
    await _fill(user)
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    user.find(marker='submit').click()
    await user.should_see(marker='code', retries=30)
    assert await complaints.Complaint.all().count() == 1


async def test_submission_limit_shows_a_clear_message(user: User):
    limits.configure(submit=(1, 600))
    await user.open('/')
    await _fill(user)
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see(marker='code', retries=30)
    await user.open('/')
    await _fill(user)
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see('Terlalu banyak aduan dari perangkat ini', retries=30)
    await user.should_see('Silakan coba lagi dalam 10 menit')  # when, in words a citizen reads
    await user.should_see('atau hubungi Call Center 112')  # and somewhere to turn meanwhile
    assert user.find(marker='title').elements.pop().value == 'Lampu jalan mati'
    assert await complaints.Complaint.all().count() == 1


async def test_inactive_categories_are_not_offered(user: User):
    lights = await factories.category_id('PJU')
    await user.open('/')
    offered = user.find(marker='category').elements.pop().options
    assert lights in offered and 'Lainnya' in offered.values()

    supervisor = await staff.supervisor()
    row = await admin_settings.get_category(supervisor, lights)
    await admin_settings.update_category(
        supervisor, category_id=lights, name=row.name, description=row.description, agency_id=row.agency_id,
        first_response_minutes=row.first_response_minutes, resolution_minutes=row.resolution_minutes,
        calendar=row.calendar, pause_when_waiting=row.pause_when_waiting, active=False, sort_order=row.sort_order)

    await user.open('/')
    options = user.find(marker='category').elements.pop().options
    assert lights not in options
    assert 'Lainnya' in options.values() and len(options) == len(offered) - 1  # the active ones still are


async def test_an_empty_form_lists_its_errors_in_the_order_of_the_form(user: User):
    await user.open('/')
    user.find(marker='submit').click()
    await user.should_see(marker='form-error', retries=30)
    summary = user.find(marker='form-error').elements.pop().text
    named = summary.split(': ', 1)[1].rstrip('.').split(', ')
    # The service finds a missing category and district after the other fields: the page puts them back in place
    assert named == ['kategori', 'judul', 'uraian', 'kecamatan', 'nama', 'nomor HP', 'persetujuan'], summary


async def test_the_phones_position_goes_with_the_complaint(user: User):
    await user.open('/')
    await _fill(user)
    user.find(marker='locate').trigger('click', {'point': [-7.3604, 109.9027], 'accuracy': 12.4})
    await user.should_see('Lokasi tersimpan: -7.36040, 109.90270 (akurasi ± 12 m).')
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see(marker='code', retries=30)
    complaint = await complaints.Complaint.get()
    assert (complaint.latitude, complaint.longitude) == (-7.3604, 109.9027)


async def test_a_refused_or_missing_position_says_so_and_sends_none(user: User):
    await user.open('/')
    await _fill(user)
    user.find(marker='locate').trigger('click', {'error': 1})
    await user.should_see('Izin lokasi ditolak. Aduan tetap bisa dikirim')
    user.find(marker='locate').trigger('click', {'error': 0})
    await user.should_see('Browser ini tidak dapat membagikan lokasi')
    user.find(marker='locate').trigger('click', {'point': ['-7', 'x']})  # not a point: kept as none
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see(marker='code', retries=30)
    complaint = await complaints.Complaint.get()
    assert (complaint.latitude, complaint.longitude) == (None, None)
