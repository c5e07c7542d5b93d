"""The supervisor's Open311 settings pages (issue 12 §4): API keys with a channel and a limit (the key shown
once), the allowed browser origins, and a category's extra questions; as a supervisor and an operator use them."""

from nicegui.testing import User

from services import apikeys, auth, complaints, open311, open311_attributes
from services.complaints import Channel
from services.workflow import Role
from tests.staff import ADMIN_PASSWORD, PASSWORD, login, on_board
from tests.staff import supervisor as staff_supervisor

API = '/open311/v2'
DESCRIPTION = 'Jalan di depan Pasar Induk Wonosobo berlubang dalam, sudah dua motor jatuh minggu ini.'


def _fields(api_key: str, **overrides: str) -> dict[str, str]:
    return {'api_key': api_key, 'service_code': 'JALAN', 'description': DESCRIPTION, 'lat': '-7.3613',
            'long': '109.9024', **overrides}


async def test_supervisor_creates_a_key_sees_it_once_and_revokes_it(user: User):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan')
    await user.should_see('Kunci API')
    await user.open('/admin/pengaturan/kunci-api')
    await user.should_see('Belum ada data.')
    user.find(marker='key-name').type('Sistem 112')
    user.find(marker='key-channel').elements.pop().value = Channel.CALL_CENTER.value
    limit = user.find(marker='key-limit').elements.pop()
    limit.value = '30'
    user.find(marker='create-key').click()
    await user.should_see('tidak akan ditampilkan lagi', retries=30)
    [shown] = user.find(marker='raw-key').elements
    raw = shown.content.split('>')[2].split('<')[0]
    assert raw.startswith(apikeys.KEY_PREFIX)
    await user.should_see('Call Center 112')
    # the key works, and what it posts is recorded as the 112 system's
    response = await user.http_client.post(f'{API}/requests.json', data=_fields(raw))
    assert response.status_code == 200, response.text
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(response.json()[0]['service_request_id']))
    assert (stored.channel, stored.source) == (Channel.CALL_CENTER, 'Sistem 112')
    [key] = await apikeys.all_keys()
    assert key.requests_per_minute == 30 and key.created_by == 'admin' and raw not in str(vars(key))
    # opened again, the page lists the key but never shows it
    await user.open('/admin/pengaturan/kunci-api')
    await user.should_see('Sistem 112')
    await user.should_not_see(raw)
    user.find(marker='revoke-name').elements.pop().value = 'Sistem 112'
    user.find(marker='revoke').click()
    await user.should_see('Dicabut', retries=30)
    assert (await user.http_client.post(f'{API}/requests.json', data=_fields(raw))).status_code == 403


async def test_a_key_form_with_mistakes_names_them_and_keeps_what_was_typed(user: User):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan/kunci-api')
    user.find(marker='key-name').type('Aplikasi Desa')
    user.find(marker='key-limit').elements.pop().value = 'banyak'
    user.find(marker='create-key').click()
    await user.should_see('Isi angka 1 sampai', retries=30)
    assert user.find(marker='key-name').elements.pop().value == 'Aplikasi Desa'
    assert await apikeys.all_keys() == []


async def test_an_operator_cannot_open_the_key_pages(user: User):
    await auth.create_user(username='op112', password=PASSWORD, role=Role.OPERATOR)
    await login(user, 'op112')
    await user.should_see(marker='new-intake', retries=30)  # an operator's board: what they entered
    for path in ('/admin/pengaturan/kunci-api', '/admin/pengaturan/pertanyaan'):
        await user.open(path)
        await user.should_see('hanya dapat dibuka oleh supervisor')
        await user.should_not_see('Buat kunci')


async def test_supervisor_allows_a_partners_origin_on_the_open311_page(user: User):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan/open311')
    await user.should_see('Aplikasi peramban mitra (CORS)')
    origins = user.find(marker='cors-origins').elements.pop()
    origins.value = 'https://aplikasi.contoh.id/jalur'
    user.find(marker='save-origins').click()
    await user.should_see('bukan asal yang sah', retries=30)
    assert origins.value == 'https://aplikasi.contoh.id/jalur'  # kept as typed, to be fixed
    origins.value = 'https://aplikasi.contoh.id'
    user.find(marker='save-origins').click()
    await user.should_see('Tersimpan: 1 asal diizinkan.', retries=30)
    assert await open311.allowed_origins() == {'https://aplikasi.contoh.id'}
    preflight = await user.http_client.options(f'{API}/services.json', headers={
        'Origin': 'https://aplikasi.contoh.id', 'Access-Control-Request-Method': 'GET'})
    assert preflight.status_code == 204


async def test_supervisor_adds_a_question_to_a_category_and_the_api_asks_it(user: User):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    jalan = await complaints.category_id('JALAN')
    await user.open(f'/admin/pengaturan/pertanyaan?kategori={jalan}')
    await user.should_see('Tambah pertanyaan')
    user.find(marker='question-code').type('BAHAYA')
    user.find(marker='question-text').type('Apa bahayanya?')
    user.find(marker='question-type').elements.pop().value = 'singlevaluelist'
    user.find(marker='question-values').elements.pop().value = 'MOTOR = Motor jatuh\nMOBIL = Mobil rusak'
    user.find(marker='question-required').elements.pop().value = True
    user.find(marker='save-question').click()
    await user.should_see('Motor jatuh, Mobil rusak', retries=30)
    definition = (await user.http_client.get(f'{API}/services/JALAN.json')).json()
    [question] = definition['attributes']
    assert (question['code'], question['datatype'], question['required']) == ('BAHAYA', 'singlevaluelist', True)
    assert question['values'] == [{'key': 'MOTOR', 'name': 'Motor jatuh'}, {'key': 'MOBIL', 'name': 'Mobil rusak'}]


async def test_staff_see_a_partners_answers_and_photo_link_on_the_complaint_page(user: User):
    jalan = await complaints.category_id('JALAN')
    supervisor = await staff_supervisor()
    await open311_attributes.save(supervisor, category_id=jalan, attribute_id=None, code='BAHAYA',
                                  datatype='singlevaluelist', required=True, description='Apa bahayanya?', order=1,
                                  values=[('MOTOR', 'Motor jatuh')])
    _, raw = await apikeys.create(name='Aplikasi Desa')
    response = await user.http_client.post(f'{API}/requests.json', data=_fields(
        raw, media_url='https://desa.contoh.id/foto/1.jpg', **{'attribute[BAHAYA]': 'MOTOR'}))
    code = response.json()[0]['service_request_id']
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open(f'/admin/aduan/{code}')
    await user.should_see('Apa bahayanya?')
    await user.should_see('Motor jatuh')
    [extras] = user.find(marker='partner-extras').elements
    assert 'href="https://desa.contoh.id/foto/1.jpg"' in extras.content and 'noreferrer' in extras.content
