"""Open311 GeoReport v2 to the letter (issue 12 §4): both formats for every resource, the spec's errors and
status codes, the fields a partner posts coming back, the 90-day window and paging, the updates feed, CORS,
keys with a channel and a limit, and a category's extra questions. Over the running app, real SQLite."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from xml.etree import ElementTree

import httpx
import pytest
from nicegui.testing import User

from api import open311
from models import Role
from services import apikeys, clock, complaints, open311_attributes
from services import open311 as open311_service
from services.complaints import Channel, Privacy, Status
from services.complaints_labels import STATUS_LABELS
from services.errors import ValidationFailed
from services.workflow import Action, Actor
from tests import factories, lifecycle

API = '/open311/v2'
DESCRIPTION = 'Jalan di depan Pasar Induk Wonosobo berlubang dalam, sudah dua motor jatuh minggu ini.'
SUPERVISOR = Actor(1, 'admin', 'Admin Diskominfo', Role.SUPERVISOR)
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'


async def _key(name: str = 'mitra-x', **kwargs) -> str:
    return (await apikeys.create(name=name, **kwargs))[1]


def _fields(api_key: str, **overrides: str) -> dict[str, str]:
    fields = {'api_key': api_key, 'service_code': 'JALAN', 'description': DESCRIPTION, 'lat': '-7.3613',
              'long': '109.9024', 'first_name': 'Rina', 'last_name': 'Wati', 'email': 'rina.wati@contoh.id'}
    fields.update(overrides)
    return fields


def _xml(response: httpx.Response, root: str) -> ElementTree.Element:
    """The answer parsed by a strict parser, from its bytes, after checking the declaration and the type."""
    assert response.headers['content-type'] == 'text/xml; charset=utf-8', response.headers['content-type']
    assert response.content.startswith(DECLARATION), response.content[:80]
    element = ElementTree.fromstring(response.content)
    assert element.tag == root, ElementTree.tostring(element)[:200]
    return element


def _json(response: httpx.Response) -> object:
    assert response.headers['content-type'] == 'application/json; charset=utf-8', response.headers['content-type']
    return response.json()


def _spec_errors(response: httpx.Response, status: int) -> str:
    """The spec's error array (JSON or XML, by the answer's type): each error's code is the status."""
    assert response.status_code == status, response.text
    if response.headers['content-type'].startswith('text/xml'):
        root = _xml(response, 'errors')
        items = [(int(e.findtext('code')), e.findtext('description')) for e in root.findall('error')]
    else:
        items = [(e['code'], e['description']) for e in _json(response)]
    assert items and all(code == status and text for code, text in items)
    return ' '.join(text for _, text in items)


async def _post(user: User, fields: dict[str, str], fmt: str = 'json', **kwargs) -> str:
    response = await user.http_client.post(f'{API}/requests.{fmt}', data=fields, **kwargs)
    assert response.status_code == 200, response.text
    if fmt == 'xml':
        return _xml(response, 'service_requests').find('request').findtext('service_request_id')
    return _json(response)[0]['service_request_id']


# --- (1) every resource in both formats ---

async def test_every_resource_answers_in_xml_that_a_strict_parser_reads_and_in_json(user: User):
    raw = await _key()
    code = await _post(user, _fields(raw))
    await lifecycle.step(complaints.code_key_of(code), Action.RESPOND, message='Petugas menuju lokasi & <segera>.')
    get = user.http_client.get

    discovery = _xml(await get(f'{API}/discovery.xml'), 'discovery')
    endpoint = discovery.find('endpoints/endpoint')
    assert endpoint.findtext('url') == 'http://lapor.test/open311/v2'
    assert [f.text for f in endpoint.findall('formats/format')] == ['text/xml', 'application/json']
    assert _json(await get(f'{API}/discovery.json'))['endpoints'][0]['specification'].endswith('GeoReport_v2')

    services = _xml(await get(f'{API}/services.xml'), 'services')
    jalan = next(s for s in services.findall('service') if s.findtext('service_code') == 'JALAN')
    assert jalan.findtext('service_name') == 'Jalan rusak atau berlubang' and jalan.findtext('metadata') == 'false'
    assert len(services.findall('service')) == len(_json(await get(f'{API}/services.json'))) == 22

    definition = _xml(await get(f'{API}/services/JALAN.xml'), 'service_definition')
    assert definition.findtext('service_code') == 'JALAN' and definition.find('attributes') is not None
    assert _json(await get(f'{API}/services/JALAN.json')) == {'service_code': 'JALAN', 'attributes': []}

    one = _xml(await get(f'{API}/requests/{code}.xml'), 'service_requests').find('request')
    assert one.findtext('service_request_id') == code and one.findtext('status') == 'open'
    assert one.findtext('status_notes') == 'Petugas menuju lokasi & <segera>.'  # escaped, read back whole
    assert _json(await get(f'{API}/requests/{code}.json'))[0]['status_notes'] == 'Petugas menuju lokasi & <segera>.'

    listed = _xml(await get(f'{API}/requests.xml', params={'api_key': raw}), 'service_requests')
    assert [r.findtext('service_request_id') for r in listed.findall('request')] == [code]

    posted = await _post(user, _fields(raw), fmt='xml')
    assert posted.startswith('WSB-')

    updates = _xml(await get(f'{API}/servicerequestupdates.xml', params={'api_key': raw}), 'service_request_updates')
    assert {u.findtext('service_request_id') for u in updates.findall('request_update')} == {code, posted}


async def test_a_posted_request_answers_with_the_spec_fields_and_no_token(user: User):
    response = await user.http_client.post(f'{API}/requests.json', data=_fields(await _key(), account_id='akun-7'))
    [answer] = _json(response)
    assert set(answer) == {'service_request_id', 'service_notice', 'account_id'}  # no "token": null beside an id
    assert answer['account_id'] == 'akun-7'
    response = await user.http_client.post(f'{API}/requests.xml', data=_fields(await _key('mitra-y')))
    request = _xml(response, 'service_requests').find('request')
    assert request.find('token') is None and request.findtext('service_request_id').startswith('WSB-')


@pytest.mark.parametrize('fmt', ['json', 'xml'])
async def test_errors_are_the_spec_array_with_the_spec_status_codes(user: User, fmt):
    get, post = user.http_client.get, user.http_client.post
    assert 'api_key' in _spec_errors(await post(f'{API}/requests.{fmt}', data=_fields('lpr_salah')), 403)
    no_key = _fields('')
    del no_key['api_key']
    assert 'api_key' in _spec_errors(await post(f'{API}/requests.{fmt}', data=no_key), 403)
    assert 'api_key' in _spec_errors(await get(f'{API}/requests.{fmt}'), 403)
    unknown = await post(f'{API}/requests.{fmt}', data=_fields(await _key(), service_code='TIDAKADA'))
    assert 'TIDAKADA' in _spec_errors(unknown, 404)
    assert 'TIDAKADA' in _spec_errors(await get(f'{API}/services/TIDAKADA.{fmt}'), 404)
    assert 'WSB-0000-0000' in _spec_errors(await get(f'{API}/requests/WSB-0000-0000.{fmt}'), 404)
    assert 'description' in _spec_errors(await post(f'{API}/requests.{fmt}', data=_fields(
        await _key('mitra-y'), description='pendek')), 400)
    assert await complaints.Complaint.all().count() == 0


@pytest.mark.parametrize('fmt', ['json', 'xml'])
async def test_routing_errors_under_the_prefix_are_the_spec_array_too(user: User, fmt):
    assert _spec_errors(await user.http_client.get(f'{API}/tidak-ada.{fmt}'), 404)
    assert _spec_errors(await user.http_client.get(f'/open311/v3/services.{fmt}'), 404)
    refused = await user.http_client.delete(f'{API}/services.{fmt}')
    assert 'GET' in _spec_errors(refused, 405) and refused.headers['allow'] == 'GET'
    refused = await user.http_client.put(f'{API}/requests.{fmt}')
    _spec_errors(refused, 405)
    assert set(refused.headers['allow'].split(', ')) == {'GET', 'POST'}


async def test_a_format_that_is_not_json_or_xml_is_a_404(user: User):
    assert _spec_errors(await user.http_client.get(f'{API}/services.html'), 404)


# --- (2) the fields a partner posts come back ---

async def test_a_posted_address_media_url_device_and_account_are_kept_and_returned(user: User):
    raw = await _key('Aplikasi Desa')
    media = 'https://desa.contoh.id/foto/lubang.jpg?ukuran=besar&v=2'
    code = await _post(user, _fields(raw, address_string='Jl. Kertek-Wonosobo km 3', media_url=media,
                                     device_id='android-5f2c', account_id='warga-881'))
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(code))
    assert (stored.address, stored.media_url, stored.device_id, stored.account_id) == (
        'Jl. Kertek-Wonosobo km 3', media, 'android-5f2c', 'warga-881')
    for fmt in ('json', 'xml'):
        response = await user.http_client.get(f'{API}/requests/{code}.{fmt}', headers={'X-Api-Key': raw})
        item = (_json(response)[0] if fmt == 'json' else
                {e.tag: e.text for e in _xml(response, 'service_requests').find('request')})
        assert item['address_string'] == 'Jl. Kertek-Wonosobo km 3'
        assert item['media_url'] == media  # the partner's link, as given (never fetched)
        assert (item['device_id'], item['account_id']) == ('android-5f2c', 'warga-881')
    # anyone else sees the request but not the partner's own identifiers
    [public] = _json(await user.http_client.get(f'{API}/requests/{code}.json'))
    assert public['address_string'] == 'Jl. Kertek-Wonosobo km 3' and 'account_id' not in public
    [other] = _json(await user.http_client.get(f'{API}/requests/{code}.json',
                                               headers={'X-Api-Key': await _key('mitra-lain')}))
    assert 'device_id' not in other


async def test_an_address_only_request_shows_its_address_as_its_location(user: User):
    code = await _post(user, _fields(await _key(), lat='', long='', address_string='Depan Pasar Kertek'))
    [item] = _json(await user.http_client.get(f'{API}/requests/{code}.json'))
    assert item['address'] == 'Depan Pasar Kertek' and item['address_string'] == 'Depan Pasar Kertek'
    assert item['lat'] is None


@pytest.mark.parametrize(('overrides', 'words'), [
    ({'media_url': 'javascript:alert(1)'}, ('media_url', 'http')),
    ({'media_url': 'file:///etc/passwd'}, ('media_url', 'http')),
    ({'media_url': 'https://contoh.id/' + 'a' * 500}, ('media_url', '500')),
    ({'device_id': 'x' * 101}, ('device_id', '100')),
    ({'account_id': 'x' * 101}, ('account_id', '100')),
])
async def test_a_bad_media_url_device_or_account_is_refused_and_nothing_stored(user: User, overrides, words):
    response = await user.http_client.post(f'{API}/requests.json', data=_fields(await _key(), **overrides))
    text = _spec_errors(response, 400)
    assert all(word in text for word in words)
    assert await complaints.Complaint.all().count() == 0


async def test_a_rahasia_request_shows_neither_its_address_nor_its_link(user: User):
    raw = await _key()
    code = await _post(user, _fields(raw, privacy='rahasia', address_string='Rumah saya', media_url='https://x.id/a'))
    [item] = _json(await user.http_client.get(f'{API}/requests/{code}.json'))
    assert item['address'] is None and item['address_string'] is None and item['media_url'] is None
    assert item['status_notes'] == STATUS_LABELS[Status.DIDISPOSISIKAN]  # its state in words, never a message


# --- (3) the window, the override, the cap and paging ---

async def test_the_list_defaults_to_the_latest_90_days_and_refuses_a_longer_span(user: User):
    raw = await _key()
    clock.freeze(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    old = await _post(user, _fields(raw))
    clock.freeze(datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    new = await _post(user, _fields(raw))
    listed = _json(await user.http_client.get(f'{API}/requests.json', params={'api_key': raw}))
    assert [i['service_request_id'] for i in listed] == [new]
    early = {'api_key': raw, 'start_date': '2026-06-15T00:00:00Z'}
    assert [i['service_request_id'] for i in _json(await user.http_client.get(f'{API}/requests.json',
                                                                              params=early))] == [old]
    too_long = {'api_key': raw, 'start_date': '2026-06-01T00:00:00Z', 'end_date': '2026-11-30T00:00:00Z'}
    assert '90 hari' in _spec_errors(await user.http_client.get(f'{API}/requests.json', params=too_long), 400)


async def test_service_request_id_overrides_every_other_filter(user: User):
    raw = await _key()
    clock.freeze(datetime(2026, 5, 1, 3, 0, tzinfo=UTC))
    old = await _post(user, _fields(raw, service_code='AIR'))
    clock.freeze(datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    params = {'api_key': raw, 'service_request_id': old, 'status': 'closed', 'service_code': 'JALAN',
              'start_date': '2026-11-01T00:00:00Z'}
    listed = _json(await user.http_client.get(f'{API}/requests.json', params=params))
    assert [i['service_request_id'] for i in listed] == [old]


async def test_pages_read_every_request_newest_first_with_a_link_to_the_next(user: User):
    raw = await _key()
    clock.freeze(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    posted = []
    for _ in range(5):
        posted.append(await _post(user, _fields(raw)))
        clock.advance(timedelta(hours=1))
    seen, page = [], 1
    while True:
        response = await user.http_client.get(f'{API}/requests.json',
                                              params={'api_key': raw, 'page_size': '2', 'page': str(page)})
        seen += [i['service_request_id'] for i in _json(response)]
        if 'link' not in response.headers:
            break
        assert response.headers['link'].endswith('rel="next"') and f'page={page + 1}' in response.headers['link']
        assert 'api_key' not in response.headers['link']  # the key never travels in a link
        page += 1
    assert seen == posted[::-1] and page == 3


async def test_one_answer_holds_at_most_the_cap(user: User, monkeypatch):
    monkeypatch.setattr(open311, 'MAX_PAGE_SIZE', 3)  # the spec's 1,000, made small enough to reach here
    raw = await _key()
    for _ in range(4):
        await _post(user, _fields(raw))
    first = await user.http_client.get(f'{API}/requests.json', params={'api_key': raw})
    assert len(_json(first)) == 3 and 'page=2' in first.headers['link']
    second = await user.http_client.get(f'{API}/requests.json', params={'api_key': raw, 'page': '2'})
    assert len(_json(second)) == 1 and 'link' not in second.headers


@pytest.mark.parametrize('params', [{'page_size': '1001'}, {'page_size': '0'}, {'page': '-1'}, {'page': 'dua'},
                                    {'page': '99999999'}])
async def test_a_bad_page_is_refused(user: User, params):
    response = await user.http_client.get(f'{API}/requests.json', params={'api_key': await _key(), **params})
    assert 'page' in _spec_errors(response, 400)


# --- (4) the updates feed ---

async def test_updates_follow_every_public_step_of_listed_requests_oldest_first(user: User):
    raw = await _key()
    clock.freeze(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))
    code = await _post(user, _fields(raw))
    secret = await _post(user, _fields(raw, privacy='rahasia'))
    clock.advance(timedelta(hours=1))
    await lifecycle.step(complaints.code_key_of(code), Action.RESPOND, message='Kami tinjau besok pagi.')
    await lifecycle.step(complaints.code_key_of(secret), Action.RESPOND, message='Isi rahasia.')
    clock.advance(timedelta(hours=1))
    await lifecycle.step(complaints.code_key_of(code), Action.RESOLVE, message='Lubang sudah ditambal.')
    updates = _json(await user.http_client.get(f'{API}/servicerequestupdates.json', params={'api_key': raw}))
    assert [u['service_request_id'] for u in updates] == [code] * 3  # a rahasia complaint's steps never
    assert [u['status'] for u in updates] == ['open', 'open', 'closed']
    assert updates[1]['description'] == 'Kami tinjau besok pagi.'
    assert updates[2]['updated_datetime'] == '2026-11-27T05:00:00Z'
    assert len({u['update_id'] for u in updates}) == 3
    later = _json(await user.http_client.get(f'{API}/servicerequestupdates.json', params={
        'api_key': raw, 'start_date': '2026-11-27T04:30:00Z'}))
    assert [u['description'] for u in later] == ['Lubang sudah ditambal.']
    assert 'api_key' in _spec_errors(await user.http_client.get(f'{API}/servicerequestupdates.json'), 403)


# --- (5) keys: a channel, a name, a limit ---

async def test_a_complaint_posted_with_the_112_key_is_recorded_as_call_center(user: User):
    raw = await _key('Sistem 112', channel=Channel.CALL_CENTER)
    code = await _post(user, _fields(raw))
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(code))
    assert (stored.channel, stored.source) == (Channel.CALL_CENTER, 'Sistem 112')
    assert 'Call Center 112' in (await complaints.look_up(code=code)).view.events[0].message


async def test_a_key_past_its_limit_waits_and_its_post_stores_nothing(user: User):
    raw = await _key(requests_per_minute=2)
    await _post(user, _fields(raw))
    await user.http_client.get(f'{API}/requests.json', params={'api_key': raw})
    refused = await user.http_client.post(f'{API}/requests.json', data=_fields(raw))
    assert 'per menit' in _spec_errors(refused, 429) and int(refused.headers['retry-after']) > 0
    assert await complaints.Complaint.all().count() == 1
    other = await _key('mitra-lain')  # another partner is not held up
    await _post(user, _fields(other))


async def test_supervisors_create_list_and_revoke_keys_and_others_may_not(user: User):
    row, raw = await apikeys.create_as(SUPERVISOR, name='Sistem 112', channel=Channel.CALL_CENTER,
                                       requests_per_minute=30)
    assert raw.startswith('lpr_') and row.prefix == raw[:10] and row.created_by == 'admin'
    [listed] = await apikeys.list_as(SUPERVISOR)
    assert (listed.name, listed.channel, listed.requests_per_minute) == ('Sistem 112', Channel.CALL_CENTER, 30)
    with pytest.raises(ValidationFailed) as refused:
        await apikeys.create_as(SUPERVISOR, name='Sistem 112', channel=Channel.API, requests_per_minute=0)
    assert set(refused.value.errors) == {'requests_per_minute'}
    with pytest.raises(ValidationFailed) as refused:
        await apikeys.create_as(SUPERVISOR, name='Sistem 112', channel=Channel.WEB, requests_per_minute=10)
    assert set(refused.value.errors) == {'channel'}
    operator = Actor(4, 'op112', 'Operator 112', Role.OPERATOR)
    for call in (apikeys.list_as(operator), apikeys.revoke_as(operator, name='Sistem 112')):
        with pytest.raises(Exception, match='supervisor'):
            await call
    await apikeys.revoke_as(SUPERVISOR, name='Sistem 112')
    assert 'api_key' in _spec_errors(await user.http_client.post(f'{API}/requests.json', data=_fields(raw)), 403)


# --- (6) CORS ---

PARTNER = 'https://aplikasi.contoh.id'


async def test_no_origin_is_allowed_until_a_supervisor_names_it(user: User):
    preflight = await user.http_client.options(f'{API}/requests.json', headers={
        'Origin': PARTNER, 'Access-Control-Request-Method': 'POST'})
    _spec_errors(preflight, 403)
    assert 'access-control-allow-origin' not in preflight.headers
    await open311_service.set_cors_origins(SUPERVISOR, f'{PARTNER}/\nhttp://localhost:5173')
    assert await open311_service.cors_origins(SUPERVISOR) == ['http://localhost:5173', PARTNER]
    preflight = await user.http_client.options(f'{API}/requests.json', headers={
        'Origin': PARTNER, 'Access-Control-Request-Method': 'POST'})
    assert preflight.status_code == 204
    assert preflight.headers['access-control-allow-origin'] == PARTNER
    assert set(preflight.headers['access-control-allow-methods'].split(', ')) >= {'GET', 'POST'}
    assert 'X-Api-Key' in preflight.headers['access-control-allow-headers']
    listed = await user.http_client.get(f'{API}/services.json', headers={'Origin': PARTNER})
    assert listed.headers['access-control-allow-origin'] == PARTNER
    elsewhere = await user.http_client.get(f'{API}/services.json', headers={'Origin': 'https://lain.id'})
    assert elsewhere.status_code == 200 and 'access-control-allow-origin' not in elsewhere.headers


async def test_a_post_from_an_origin_not_allowed_never_creates_a_complaint(user: User):
    raw = await _key()
    await open311_service.set_cors_origins(SUPERVISOR, PARTNER)
    # a browser's plain form POST needs no preflight: the server itself refuses it
    refused = await user.http_client.post(f'{API}/requests.json', data=_fields(raw),
                                          headers={'Origin': 'https://penipu.contoh'})
    assert 'Origin' in _spec_errors(refused, 403)
    assert await complaints.Complaint.all().count() == 0
    allowed = await user.http_client.post(f'{API}/requests.json', data=_fields(raw), headers={'Origin': PARTNER})
    assert allowed.status_code == 200 and allowed.headers['access-control-allow-origin'] == PARTNER
    assert await complaints.Complaint.all().count() == 1


@pytest.mark.parametrize('text', ['https://contoh.id/jalur', 'ftp://contoh.id', 'bukan asal', 'https://'])
async def test_an_origin_that_is_not_one_is_refused(user: User, text):
    with pytest.raises(ValidationFailed):
        await open311_service.set_cors_origins(SUPERVISOR, text)
    assert await open311_service.cors_origins(SUPERVISOR) == []


# --- (7) a category's extra questions ---

async def _jalan_questions() -> int:
    jalan = await complaints.category_id('JALAN')
    await open311_attributes.save(SUPERVISOR, category_id=jalan, attribute_id=None, code='LEBAR', datatype='number',
                                  required=True, description='Kira-kira berapa meter lebar lubangnya?', order=1)
    await open311_attributes.save(SUPERVISOR, category_id=jalan, attribute_id=None, code='BAHAYA',
                                  datatype='multivaluelist', required=False, description='Apa bahayanya?', order=2,
                                  values=open311_attributes.parse_values('MOTOR = Motor jatuh\nMOBIL = Mobil rusak'))
    return jalan


async def test_a_category_with_questions_has_metadata_and_a_definition_in_both_formats(user: User):
    await _jalan_questions()
    services = {s['service_code']: s for s in _json(await user.http_client.get(f'{API}/services.json'))}
    assert services['JALAN']['metadata'] is True and services['AIR']['metadata'] is False
    definition = _json(await user.http_client.get(f'{API}/services/JALAN.json'))
    assert [a['code'] for a in definition['attributes']] == ['LEBAR', 'BAHAYA']
    assert definition['attributes'][0] == {
        'variable': True, 'code': 'LEBAR', 'datatype': 'number', 'required': True, 'datatype_description': None,
        'order': 1, 'description': 'Kira-kira berapa meter lebar lubangnya?', 'values': []}
    xml = _xml(await user.http_client.get(f'{API}/services/JALAN.xml'), 'service_definition')
    values = xml.findall('attributes/attribute')[1].findall('values/value')
    assert [(v.findtext('key'), v.findtext('name')) for v in values] == [('MOTOR', 'Motor jatuh'),
                                                                         ('MOBIL', 'Mobil rusak')]


async def test_answers_are_checked_and_stored_with_the_complaint(user: User):
    await _jalan_questions()
    raw = await _key()
    missing = await user.http_client.post(f'{API}/requests.json', data=_fields(raw))
    assert 'attribute[LEBAR]' in _spec_errors(missing, 400)
    wrong = await user.http_client.post(f'{API}/requests.json', data=_fields(
        raw, **{'attribute[LEBAR]': 'dua', 'attribute[BAHAYA]': 'TRUK', 'attribute[WARNA]': 'merah'}))
    text = _spec_errors(wrong, 400)
    assert 'attribute[LEBAR]' in text and 'TRUK' in text and 'attribute[WARNA]' in text
    assert await complaints.Complaint.all().count() == 0
    body = httpx.QueryParams([*_fields(raw).items(), ('attribute[LEBAR]', '1,5'), ('attribute[BAHAYA][]', 'MOTOR'),
                              ('attribute[BAHAYA][]', 'MOBIL')])
    response = await user.http_client.post(f'{API}/requests.json', content=str(body).encode(),
                                           headers={'Content-Type': 'application/x-www-form-urlencoded'})
    code = _json(response)[0]['service_request_id']
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(code))
    assert stored.attributes == {'LEBAR': 1.5, 'BAHAYA': ['MOBIL', 'MOTOR']}
    questions = await open311_attributes.for_category('JALAN')
    assert open311_attributes.shown(questions, stored.attributes) == [
        ('Kira-kira berapa meter lebar lubangnya?', '1.5'), ('Apa bahayanya?', 'Mobil rusak, Motor jatuh')]
    as_json = await user.http_client.post(f'{API}/requests.json', json={
        **_fields(raw), 'attribute': {'LEBAR': 2, 'BAHAYA': ['MOTOR']}})
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(_json(as_json)[0]['service_request_id']))
    assert stored.attributes == {'LEBAR': 2, 'BAHAYA': ['MOTOR']}


async def test_only_supervisors_define_questions_and_bad_ones_are_named(user: User):
    jalan = await complaints.category_id('JALAN')
    operator = Actor(4, 'op112', 'Operator 112', Role.OPERATOR)
    with pytest.raises(Exception, match='supervisor'):
        await open311_attributes.save(operator, category_id=jalan, attribute_id=None, code='X', datatype='string',
                                      required=False, description='Pertanyaan?', order=0)
    with pytest.raises(ValidationFailed) as refused:
        await open311_attributes.save(SUPERVISOR, category_id=jalan, attribute_id=None, code='bad code!',
                                      datatype='warna', required=False, description='', order=0)
    assert set(refused.value.errors) == {'code', 'datatype', 'description'}
    with pytest.raises(ValidationFailed) as refused:
        await open311_attributes.save(SUPERVISOR, category_id=jalan, attribute_id=None, code='PILIH',
                                      datatype='singlevaluelist', required=False, description='Pilih?', order=0)
    assert set(refused.value.errors) == {'values'}


# --- A hand-written POST, as the spec shows it ---

async def test_a_hand_written_form_encoded_post_as_the_spec_shows_it(user: User):
    raw = await _key()
    body = (f'api_key={raw}&service_code=JALAN&lat=-7.3613&long=109.9024&address_string=Jl.%20Kertek%20km%203'
            '&email=rina.wati%40contoh.id&device_id=tt222111&account_id=123456&first_name=Rina&last_name=Wati'
            '&phone=081322223333&description=Jalan%20di%20depan%20Pasar%20Induk%20berlubang%20dalam%2C%20bahaya'
            '&media_url=http%3A%2F%2Fdesa.contoh.id%2Ffoto.jpg')
    response = await user.http_client.post(f'{API}/requests.xml', content=body.encode(),
                                           headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert response.status_code == 200, response.text
    request = _xml(response, 'service_requests').find('request')
    assert request.findtext('account_id') == '123456'
    code = request.findtext('service_request_id')
    stored = await complaints.Complaint.get(code_key=complaints.code_key_of(code))
    assert (stored.address, stored.media_url, stored.device_id, stored.reporter_name, stored.privacy) == (
        'Jl. Kertek km 3', 'http://desa.contoh.id/foto.jpg', 'tt222111', 'Rina Wati', Privacy.ANONIM)


async def test_a_web_complaint_is_found_through_the_api_with_its_place(user: User):
    result = await factories.submit(privacy=Privacy.PUBLIK)
    [item] = _json(await user.http_client.get(f'{API}/requests/{result.code}.json'))
    assert item['address'] == 'Kertek, Kec. Kertek' and item['address_string'] is None


async def test_a_body_over_the_bound_is_the_spec_array_with_its_charset_too(user: User):
    response = await user.http_client.post(f'{API}/requests.xml', content=b'x' * (open311.MAX_BODY + 1),
                                           headers={'Content-Type': 'application/x-www-form-urlencoded'})
    _spec_errors(response, 413)


async def test_no_malformed_request_to_the_new_routes_makes_a_500(user: User):
    from tests.test_api_inputs import HEADERS, QUERIES, _call  # noqa: PLC0415  (the sweep's own inputs)

    raw = (await _key()).encode()
    await factories.submit()
    paths = [f'{API}/discovery.xml', f'{API}/discovery.json', f'{API}/services.xml', f'{API}/services/JALAN.xml',
             f'{API}/services/%ED%A0%80.xml', f'{API}/services/%00.json', f'{API}/services/' + 'A' * 5000 + '.xml',
             f'{API}/servicerequestupdates.json', f'{API}/servicerequestupdates.xml', f'{API}/requests.xml',
             f'{API}/requests/WSB-0000-0000.xml', f'{API}/x/y/z.xml', '/open311/', '/open311/v2/']
    extra_queries = [b'page=1e9', b'page_size=%00', b'page=%F0%9F%92%A9&page_size=-0', b'page=' + b'9' * 5000,
                     b'attribute[x]=1', b'start_date=2026-01-01&end_date=2026-12-31']
    failures = []
    for method in ('GET', 'POST', 'OPTIONS', 'DELETE'):
        for path in paths:
            for query in [*QUERIES[:6], *extra_queries]:
                for headers in (HEADERS[0], [(b'origin', b'https://x.id')], [(b'origin', b'\xff\xfe')]):
                    for key in (b'', b'&api_key=' + raw):
                        status = await _call(method, path, query + key, b'{}',
                                             [(b'content-type', b'application/json'), *headers])
                        if status >= 500:
                            failures.append((method, path[:60], query[:40], headers, status))
    assert not failures, failures[:3]


@pytest.mark.parametrize('code', ['A' * 5000, 'JALAN\x00'])
async def test_a_service_code_no_category_could_have_is_a_404_not_a_crash(user: User, code):
    response = await user.http_client.post(f'{API}/requests.json', data=_fields(await _key(), service_code=code))
    _spec_errors(response, 404 if '\x00' not in code else 400)
    _spec_errors(await user.http_client.get(f'{API}/services/{quote(code[:4000])}.xml'), 404)
