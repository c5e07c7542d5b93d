"""The Open311 GeoReport v2 API (JSON) as a partner system calls it, over the running app."""

import itertools
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from nicegui.testing import User

from api import open311
from models import Category, Role
from services import admin_settings, apikeys, attachments, clock, complaints
from services.complaints import Channel, Privacy, Status
from services.workflow import Action, Actor
from tests import factories, lifecycle

API = '/open311/v2'
DESCRIPTION = 'Jalan di depan Pasar Induk Wonosobo berlubang dalam, sudah dua motor jatuh minggu ini.'


async def _new_key(name: str = 'mitra-x') -> str:
    _, raw = await apikeys.create(name=name)
    return raw


def _request_fields(api_key: str, **overrides: str) -> dict[str, str]:
    fields = {'api_key': api_key, 'service_code': 'JALAN', 'description': DESCRIPTION,
              'lat': '-7.3613', 'long': '109.9024', 'first_name': 'Rina', 'last_name': 'Wati',
              'email': 'rina.wati@contoh.id', 'phone': '0813 2222 3333'}
    fields.update(overrides)
    return fields


async def _post(user: User, fields: dict[str, str]) -> str:
    response = await user.http_client.post(f'{API}/requests.json', data=fields)
    assert response.status_code == 200, response.text
    return response.json()[0]['service_request_id']


async def _get_one(user: User, code: str) -> dict:
    response = await user.http_client.get(f'{API}/requests/{code}.json')
    assert response.status_code == 200, response.text
    [item] = response.json()
    return item


_readers = itertools.count()


async def _reader_key() -> str:
    """A fresh partner key for reading the list (the list needs one unless a supervisor made it public)."""
    return await _new_key(f'pembaca-{next(_readers)}')


async def _listed(user: User, **params: str) -> list[str]:
    response = await user.http_client.get(f'{API}/requests.json', params={'api_key': await _reader_key(), **params})
    assert response.status_code == 200, response.text
    return [item['service_request_id'] for item in response.json()]


def _assert_refused(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, list) and body
    assert all(error['code'] == status and error['description'] for error in body)
    text = ' '.join(error['description'] for error in body)
    for word in words:
        assert word in text


# --- services.json ---

async def test_services_list_every_active_category_with_its_opd_as_group(user: User):
    response = await user.http_client.get(f'{API}/services.json')
    assert response.status_code == 200
    services = {s['service_code']: s for s in response.json()}
    assert len(services) == 22
    assert services['JALAN'] == {
        'service_code': 'JALAN', 'service_name': 'Jalan rusak atau berlubang',
        'description': 'Jalan kabupaten rusak, berlubang, longsor', 'metadata': False, 'type': 'realtime',
        'keywords': '', 'group': 'Dinas Pekerjaan Umum dan Penataan Ruang'}
    assert services['AIR']['group'] == 'Perumda Air Minum Tirta Aji'
    assert services['LAINNYA']['group']  # no OPD yet: still named, so partners can group it
    assert all(s['type'] == 'realtime' and s['metadata'] is False for s in services.values())


async def test_api_answers_without_a_browser_session_while_pages_keep_theirs(user: User):
    api = await user.http_client.get(f'{API}/services.json')
    assert api.status_code == 200 and 'set-cookie' not in api.headers  # a poller gets no session to carry
    page = await user.http_client.get('/lacak')
    assert page.status_code == 200 and 'session=' in page.headers.get('set-cookie', '')


async def test_inactive_category_is_not_offered_and_cannot_be_posted_to(user: User):
    await Category.filter(code='WISATA').update(active=False)
    services = (await user.http_client.get(f'{API}/services.json')).json()
    assert 'WISATA' not in {s['service_code'] for s in services}
    assert len(services) == 21
    response = await user.http_client.post(f'{API}/requests.json',
                                           data=_request_fields(await _new_key(), service_code='WISATA'))
    _assert_refused(response, 404, 'service_code', 'WISATA')  # the spec: an unknown service_code is a 404


# --- POST requests.json ---

async def test_posted_request_gets_a_tracking_code_and_reaches_the_categorys_opd(user: User):
    clock.freeze(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))  # Friday 10:00 WIB
    response = await user.http_client.post(f'{API}/requests.json', data=_request_fields(await _new_key()))
    assert response.status_code == 200
    [answer] = response.json()
    code = answer['service_request_id']
    assert code.startswith('WSB-')
    assert code in answer['service_notice'] and '2026-11-27T05:00:00Z' in answer['service_notice']
    found = await complaints.look_up(code=code)
    assert found.view.status == Status.DIDISPOSISIKAN
    assert found.view.agency_name == 'Dinas Pekerjaan Umum dan Penataan Ruang'
    assert found.view.description == DESCRIPTION
    assert 'aplikasi mitra' in found.view.events[0].message


async def test_posted_request_is_anonim_records_the_partner_and_keeps_contact_for_the_opd(user: User):
    code = await _post(user, _request_fields(await _new_key('Aplikasi Wonosobo Sehat')))
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(code))
    assert stored.privacy == Privacy.ANONIM
    assert stored.channel == Channel.API
    assert stored.source == 'Aplikasi Wonosobo Sehat'
    assert stored.reporter_name == 'Rina Wati'
    assert stored.reporter_phone == '6281322223333'
    assert stored.reporter_email == 'rina.wati@contoh.id'
    assert (stored.latitude, stored.longitude) == (-7.3613, 109.9024)


@pytest.mark.parametrize('privacy', [Privacy.PUBLIK, Privacy.RAHASIA])
async def test_privacy_field_overrides_the_anonim_default(user: User, privacy):
    code = await _post(user, _request_fields(await _new_key(), privacy=privacy))
    assert (await complaints.look_up(code=code)).view.privacy == privacy


async def test_json_body_is_accepted_like_a_form(user: User):
    fields = _request_fields(await _new_key(), service_code='PJU')
    fields.update(lat=-7.3613, long=109.9024)  # JSON partners send numbers
    response = await user.http_client.post(f'{API}/requests.json', json=fields)
    assert response.status_code == 200, response.text
    found = await complaints.look_up(code=response.json()[0]['service_request_id'])
    assert found.view.category_name == 'Lampu penerangan jalan umum'


async def test_address_string_alone_is_enough_location(user: User):
    fields = _request_fields(await _new_key(), lat='', long='', address_string='Jl. Kertek-Wonosobo km 3')
    code = await _post(user, fields)
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(code))
    assert stored.address == 'Jl. Kertek-Wonosobo km 3' and stored.latitude is None


async def test_contact_fields_are_optional(user: User):
    fields = {'api_key': await _new_key(), 'service_code': 'SAMPAH', 'description': DESCRIPTION,
              'lat': '-7.36', 'long': '109.90'}
    code = await _post(user, fields)
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(code))
    assert stored.reporter_name is None and stored.reporter_phone is None


async def test_key_pasted_with_surrounding_whitespace_still_works(user: User):
    raw = await _new_key()
    await _post(user, _request_fields(f' {raw}\n'))


async def test_using_a_key_records_when_it_was_last_used(user: User):
    clock.freeze(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))
    await _post(user, _request_fields(await _new_key()))
    [key] = await apikeys.all_keys()
    assert key.last_used_at == datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


async def test_missing_wrong_or_revoked_key_is_refused_with_403_and_nothing_stored(user: User):
    raw = await _new_key()
    for api_key in (None, '', 'lpr_' + 'x' * 43, raw[:-1], 'bukan-kunci'):
        fields = _request_fields(raw)
        if api_key is None:
            del fields['api_key']
        else:
            fields['api_key'] = api_key
        response = await user.http_client.post(f'{API}/requests.json', data=fields)
        _assert_refused(response, 403, 'api_key')  # the spec's status for a missing or wrong key
    await apikeys.revoke(name='mitra-x')
    response = await user.http_client.post(f'{API}/requests.json', data=_request_fields(raw))
    _assert_refused(response, 403, 'api_key')
    assert await complaints.Complaint.all().count() == 0


@pytest.mark.parametrize('where', ['query', 'X-Api-Key', 'api_key'])
async def test_key_in_the_query_string_or_a_header_is_accepted(user: User, where):
    raw = await _new_key()
    fields = _request_fields(raw)
    del fields['api_key']
    params, headers = ({'api_key': raw}, {}) if where == 'query' else ({}, {where: raw})
    response = await user.http_client.post(f'{API}/requests.json', data=fields, params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert await complaints.Complaint.all().count() == 1


async def test_unknown_service_code_is_a_404_naming_it_and_nothing_stored(user: User):
    response = await user.http_client.post(f'{API}/requests.json',
                                           data=_request_fields(await _new_key(), service_code='TIDAKADA'))
    _assert_refused(response, 404, 'service_code', 'TIDAKADA')
    assert await complaints.Complaint.all().count() == 0


@pytest.mark.parametrize(('overrides', 'words'), [
    ({'service_code': ''}, ('service_code',)),
    ({'description': 'Jalan rusak.'}, ('description', 'minimal 20 karakter')),
    ({'description': 'x' * 5001}, ('description', 'maksimal 5000')),
    ({'lat': '', 'long': ''}, ('Lokasi wajib diisi',)),
    ({'long': ''}, ('Lokasi wajib diisi',)),
    ({'lat': 'tujuh'}, ('lat', 'angka')),
    ({'lat': '95', 'long': '109.9'}, ('lat', 'Koordinat')),
    ({'lat': 'nan'}, ('lat', 'Koordinat')),
    ({'email': 'rina@'}, ('email',)),
    ({'phone': '12345'}, ('phone', 'Nomor HP tidak valid')),
    ({'privacy': 'rahasia-sekali'}, ('privacy',)),
])
async def test_bad_field_is_refused_with_400_naming_it_and_nothing_stored(user: User, overrides, words):
    response = await user.http_client.post(f'{API}/requests.json', data=_request_fields(await _new_key(), **overrides))
    _assert_refused(response, 400, *words)
    assert await complaints.Complaint.all().count() == 0


async def test_every_bad_field_is_named_in_one_answer(user: User):
    fields = _request_fields(await _new_key(), description='pendek', email='bukan-email', phone='999')
    response = await user.http_client.post(f'{API}/requests.json', data=fields)
    _assert_refused(response, 400)
    described = [error['description'] for error in response.json()]
    assert sorted(d.split(':')[0] for d in described) == ['description', 'email', 'phone']


@pytest.mark.parametrize(('content', 'content_type'), [
    (b'{"service_code": "JALAN",', 'application/json'),
    (b'["JALAN"]', 'application/json'),
    (b'\xff\xfe{}', 'application/json'),
    (b'service_code=JALAN', 'text/plain'),
    (b'--x\r\nbroken', 'multipart/form-data'),  # no boundary
])
async def test_unreadable_body_is_refused_with_400(user: User, content, content_type):
    response = await user.http_client.post(f'{API}/requests.json', content=content,
                                           headers={'Content-Type': content_type})
    _assert_refused(response, 400, 'tidak dapat dibaca')


# --- GET requests/<code>.json ---

async def test_request_shows_status_opd_and_resolution_deadline(user: User):
    clock.freeze(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # Friday 22:00 WIB
    code = await _post(user, _request_fields(await _new_key()))
    item = await _get_one(user, code)
    assert item['service_request_id'] == code
    assert item['status'] == 'open'
    assert item['service_code'] == 'JALAN' and item['service_name'] == 'Jalan rusak atau berlubang'
    assert item['agency_responsible'] == 'Dinas Pekerjaan Umum dan Penataan Ruang'
    assert item['requested_datetime'] == '2026-11-27T15:00:00Z'
    assert item['expected_datetime'] == '2026-12-04T15:00:00Z'  # 7 x 24 hours: the resolution clock
    assert item['description'] == DESCRIPTION
    assert (item['lat'], item['long']) == (-7.3613, 109.9024)


async def test_request_is_found_by_its_code_typed_loosely(user: User):
    code = await _post(user, _request_fields(await _new_key()))
    assert (await _get_one(user, code.lower()))['service_request_id'] == code
    assert (await _get_one(user, code.replace('-', '')))['service_request_id'] == code


async def test_lainnya_request_waits_with_no_agency_responsible(user: User):
    code = await _post(user, _request_fields(await _new_key(), service_code='LAINNYA'))
    item = await _get_one(user, code)
    assert item['status'] == 'open' and item['agency_responsible'] is None


async def _resolve(code_key: str) -> None:
    await lifecycle.step(code_key, Action.RESPOND)
    await lifecycle.step(code_key, Action.RESOLVE)


async def test_resolved_request_is_closed(user: User):
    result = await factories.submit()
    await _resolve(result.view.code_key)
    item = await _get_one(user, result.code)
    assert item['status'] == 'closed'
    assert item['status_notes']


async def test_no_request_ever_shows_the_reporters_name_or_contact(user: User):
    raw = await _new_key()
    codes = [await _post(user, _request_fields(raw, privacy=p)) for p in Privacy]
    web = await factories.submit(privacy=Privacy.PUBLIK, reporter_email='siti.aminah@contoh.id')
    secrets = ('Rina', 'Wati', 'rina.wati', '81322223333', '0813 2222 3333', 'Siti', 'Aminah', 'siti.aminah',
               '81234567890', '0812-3456-7890')
    answers = [(await user.http_client.get(f'{API}/requests/{code}.json')).text for code in [*codes, web.code]]
    answers.append((await user.http_client.get(f'{API}/requests.json', params={'api_key': raw})).text)
    for answer in answers:
        assert not [secret for secret in secrets if secret in answer]


async def test_rahasia_request_shows_status_but_no_content_or_place(user: User):
    stored = await attachments.store_image(factories.image_bytes(size=(300, 200)))
    result = await factories.submit(privacy=Privacy.RAHASIA, photo_tokens=[stored.token],
                                    latitude=-7.3613, longitude=109.9024)
    item = await _get_one(user, result.code)
    assert item['status'] == 'open' and item['agency_responsible'] == 'Dinas Pekerjaan Umum dan Penataan Ruang'
    assert item['expected_datetime']
    for field in ('description', 'address', 'lat', 'long', 'media_url'):
        assert item[field] is None, field
    assert await _listed(user, service_request_id=result.code) == []  # never listed, not even by its code


async def test_public_request_shows_place_and_a_working_photo_link(user: User):
    stored = await attachments.store_image(factories.image_bytes(size=(300, 200)))
    result = await factories.submit(privacy=Privacy.PUBLIK, photo_tokens=[stored.token])
    item = await _get_one(user, result.code)
    assert item['address'] == 'Kertek, Kec. Kertek'
    assert item['media_url'].startswith(f'http://lapor.test/lampiran/{stored.sha256}.jpg?')
    photo = await user.http_client.get(item['media_url'].removeprefix('http://lapor.test'))
    assert photo.status_code == 200 and photo.headers['content-type'] == 'image/jpeg'


@pytest.mark.parametrize('code', ['WSB-0000-0000', 'bukan-kode', 'x'])
async def test_unknown_code_is_404(user: User, code):
    response = await user.http_client.get(f'{API}/requests/{code}.json')
    _assert_refused(response, 404, code)


# --- GET requests.json ---

async def test_requests_can_be_fetched_by_a_list_of_codes(user: User):
    raw = await _new_key()
    first, second, third = [await _post(user, _request_fields(raw)) for _ in range(3)]
    assert sorted(await _listed(user, service_request_id=f'{first},{third}')) == sorted([first, third])
    assert await _listed(user, service_request_id=f'{second.lower()}, WSB-0000-0000') == [second]


async def test_requests_are_filtered_by_service_code(user: User):
    raw = await _new_key()
    road = await _post(user, _request_fields(raw, service_code='JALAN'))
    water = await _post(user, _request_fields(raw, service_code='AIR'))
    assert await _listed(user, service_code='AIR') == [water]
    assert sorted(await _listed(user, service_code='JALAN,AIR')) == sorted([road, water])
    assert await _listed(user, service_code='TIDAKADA') == []


async def test_requests_are_filtered_by_open_or_closed(user: User):
    raw = await _new_key()
    still_open = await _post(user, _request_fields(raw))
    resolved = await factories.submit()
    await _resolve(resolved.view.code_key)
    assert await _listed(user, status='open') == [still_open]
    assert await _listed(user, status='closed') == [resolved.code]
    assert sorted(await _listed(user, status='open,closed')) == sorted([still_open, resolved.code])


async def test_requests_are_filtered_by_date_newest_first(user: User):
    raw = await _new_key()
    clock.freeze(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    old = await _post(user, _request_fields(raw))
    clock.freeze(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    middle = await _post(user, _request_fields(raw))
    clock.advance(timedelta(days=3))
    new = await _post(user, _request_fields(raw))
    assert await _listed(user) == [new, middle, old]
    assert await _listed(user, start_date='2026-11-24T00:00:00Z') == [new, middle]
    assert await _listed(user, end_date='2026-11-26T00:00:00+07:00') == [middle, old]
    assert await _listed(user, start_date='2026-11-21T00:00:00Z', end_date='2026-11-26T00:00:00Z') == [middle]
    # 25 November 08:00 WIB is 01:00 UTC, an hour before `middle`: compared as instants, not as text
    assert await _listed(user, start_date='2026-11-25T08:00:00+07:00') == [new, middle]
    assert await _listed(user, end_date='2026-11-25T08:00:00+07:00') == [old]


async def test_date_without_zone_is_read_as_wib(user: User):
    clock.freeze(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # 25 November 01:00 WIB
    code = await _post(user, _request_fields(await _new_key()))
    assert await _listed(user, start_date='2026-11-25') == [code]
    assert await _listed(user, end_date='2026-11-25') == []


@pytest.mark.parametrize(('params', 'words'), [
    ({'status': 'selesai'}, ('status',)),
    ({'status': 'OPEN'}, ('status',)),
    ({'start_date': 'kemarin'}, ('start_date', 'ISO 8601')),
    ({'end_date': '28/11/2026'}, ('end_date', 'ISO 8601')),
    ({'start_date': '2026-11-28T00:00:00Z', 'end_date': '2026-11-01T00:00:00Z'}, ('end_date', 'start_date')),
])
async def test_bad_filter_is_refused_with_400(user: User, params, words):
    response = await user.http_client.get(f'{API}/requests.json', params={'api_key': await _reader_key(), **params})
    _assert_refused(response, 400, *words)


async def test_polled_request_shows_each_change_at_once(user: User):
    """A poller asking again and again sees every change on its next request, though answers are cached."""
    result = await factories.submit()
    assert (await _get_one(user, result.code))['status'] == 'open'
    assert (await _get_one(user, result.code))['status'] == 'open'
    await _resolve(result.view.code_key)
    assert (await _get_one(user, result.code))['status'] == 'closed'


async def test_polled_request_shows_a_renamed_category_at_once(user: User):
    result = await factories.submit()
    assert (await _get_one(user, result.code))['service_name'] == 'Jalan rusak atau berlubang'
    jalan = await Category.get(code='JALAN')
    supervisor = Actor(1, 'admin', 'Admin Diskominfo', Role.SUPERVISOR)
    await admin_settings.update_category(
        supervisor, category_id=jalan.id, name='Jalan rusak', description=jalan.description,
        agency_id=jalan.agency_id, first_response_minutes=jalan.first_response_minutes,
        resolution_minutes=jalan.resolution_minutes, calendar=jalan.calendar,
        pause_when_waiting=jalan.pause_when_waiting, active=True, sort_order=jalan.sort_order)
    assert (await _get_one(user, result.code))['service_name'] == 'Jalan rusak'


# --- The list is not a directory of codes ---

async def test_list_needs_a_partner_key_while_the_public_list_is_off(user: User):
    await factories.submit(privacy=Privacy.PUBLIK)
    for params in ({}, {'api_key': ''}, {'api_key': 'lpr_' + 'x' * 43}):
        response = await user.http_client.get(f'{API}/requests.json', params=params)
        _assert_refused(response, 403, 'api_key')
        assert 'WSB-' not in response.text
    response = await user.http_client.get(f'{API}/requests.json', headers={'X-Api-Key': await _reader_key()})
    assert response.status_code == 200 and len(response.json()) == 1


async def test_rahasia_complaints_are_never_listed_but_each_is_found_by_its_code(user: User):
    shown = {p: (await factories.submit(privacy=p)).code for p in Privacy}
    listed = await _listed(user)
    assert sorted(listed) == sorted([shown[Privacy.PUBLIK], shown[Privacy.ANONIM]])
    assert await _listed(user, service_request_id=','.join(shown.values())) == listed
    assert (await _get_one(user, shown[Privacy.RAHASIA]))['description'] is None  # the holder of the code


# --- A retried POST ---

async def test_a_retried_post_with_the_same_idempotency_key_makes_one_complaint(user: User):
    raw = await _new_key()
    answers = [await user.http_client.post(f'{API}/requests.json', data=_request_fields(raw),
                                           headers={'Idempotency-Key': 'kirim-8c1f2a'}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json()[0]['service_request_id'] == answers[1].json()[0]['service_request_id']
    assert await complaints.Complaint.all().count() == 1
    other = await _post(user, _request_fields(raw))  # no header: a new complaint each time
    assert other != answers[0].json()[0]['service_request_id']


async def test_the_same_idempotency_key_from_two_partners_makes_two_complaints(user: User):
    first, second = await _new_key('mitra-a'), await _new_key('mitra-b')
    codes = [(await user.http_client.post(f'{API}/requests.json', data=_request_fields(raw),
                                          headers={'Idempotency-Key': '1'})).json()[0]['service_request_id']
             for raw in (first, second)]
    assert codes[0] != codes[1]
    assert await complaints.Complaint.all().count() == 2


async def test_an_overlong_idempotency_key_is_refused_and_nothing_stored(user: User):
    response = await user.http_client.post(f'{API}/requests.json', data=_request_fields(await _new_key()),
                                           headers={'Idempotency-Key': 'x' * 201})
    _assert_refused(response, 400, 'Idempotency-Key')
    assert await complaints.Complaint.all().count() == 0


# --- The body is read last, and bounded ---

@pytest.fixture
def bare_api(user: User) -> httpx.AsyncClient:
    """Open311's router alone, without the app's outer layers (api/edge.py bounds every body too): these tests are
    about the router's own guard."""
    app = FastAPI()
    app.include_router(open311.router)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test')


class _Body:
    """A request body that counts how much of it the server asked for."""

    def __init__(self, chunks: int, size: int = 64 * 1024) -> None:
        self.chunks, self.size, self.read = chunks, size, 0

    async def __aiter__(self):
        for _ in range(self.chunks):
            self.read += 1
            yield b'a' * self.size


async def test_a_wrong_key_outside_the_body_is_refused_before_the_body_is_read(bare_api: httpx.AsyncClient):
    body = _Body(6_400)  # 400 MB, if anyone read it
    response = await bare_api.post(f'{API}/requests.json', content=body, headers={
        'X-Api-Key': 'lpr_bukan-kunci', 'Content-Type': 'application/x-www-form-urlencoded'})
    _assert_refused(response, 403, 'api_key')
    assert body.read <= 1


async def test_a_declared_oversized_body_is_refused_at_once(bare_api: httpx.AsyncClient):
    body = _Body(6_400)
    response = await bare_api.post(f'{API}/requests.json', content=body, headers={
        'Content-Length': str(400 * 1024 * 1024), 'Content-Type': 'application/json'})
    _assert_refused(response, 413)
    assert body.read <= 1


async def test_an_undeclared_oversized_body_is_refused_as_it_streams(bare_api: httpx.AsyncClient):
    body = _Body(6_400, size=16 * 1024)  # 100 MB, sent without a length
    response = await bare_api.post(f'{API}/requests.json', content=body, params={'api_key': await _new_key()},
                                           headers={'Content-Type': 'application/json'})
    _assert_refused(response, 413)
    assert body.read <= 6  # stopped just past 64 KiB
    assert await complaints.Complaint.all().count() == 0
