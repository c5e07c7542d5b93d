"""No input crashes an API request: the inputs that gave 500s, then a sweep of malformed bodies, content types,
encodings, dates and query strings over every API route (status below 500, no traceback logged)."""

import json
import logging
import traceback

import httpx
import pytest
from nicegui import core
from nicegui.testing import User

from api.open311 import MAX_BODY
from services import apikeys, complaints, limits
from tests import factories

API = '/open311/v2'
DESCRIPTION = 'Jalan di depan Pasar Induk Wonosobo berlubang dalam, sudah dua motor jatuh minggu ini.'


async def _new_key(name: str = 'mitra-x') -> str:
    return (await apikeys.create(name=name))[1]


def _open311_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    [error] = response.json()
    assert error['code'] == status and error['description']
    return error['description']


def _post_json(user: User, text: str, **kwargs) -> object:
    """POST ``text`` as written (escapes included) as a JSON body."""
    return user.http_client.post(f'{API}/requests.json', content=text.encode(),
                                 headers={'Content-Type': 'application/json'}, **kwargs)


# --- The six inputs of the report ---

async def test_lone_surrogate_in_the_key_without_any_valid_key_is_a_400(user: User):
    response = await _post_json(user, '{"api_key": "lpr_\\ud800", "service_code": "JALAN"}')
    assert 'api_key' in _open311_error(response, 400)


async def test_lone_surrogate_in_a_field_with_a_valid_key_is_a_400_and_nothing_stored(user: User):
    body = json.dumps({'api_key': await _new_key(), 'service_code': 'JALAN\ud800', 'description': DESCRIPTION,
                       'lat': -7.36, 'long': 109.9})  # json.dumps writes the lone surrogate as \ud800
    assert 'service_code' in _open311_error(await _post_json(user, body), 400)
    assert await complaints.Complaint.all().count() == 0


async def test_json_nested_deeper_than_python_parses_is_a_400_and_a_huge_one_a_413(user: User):
    depth = MAX_BODY // 2 - 10  # within the size bound, far past Python's recursion limit
    assert 'tidak dapat dibaca' in _open311_error(await _post_json(user, '[' * depth + ']' * depth), 400)
    assert 'tidak dapat dibaca' in _open311_error(await _post_json(user, '{"a":' * (MAX_BODY // 6)), 400)
    _open311_error(await _post_json(user, '[' * 100_000 + ']' * 100_000), 413)  # refused by its size first


@pytest.mark.parametrize(('name', 'value'), [
    ('start_date', '0001-01-01'),
    ('start_date', '0001-01-01T00:00:00+01:00'),
    ('end_date', '9999-12-31T23:59:59-05:00'),
])
async def test_dates_out_of_range_are_a_400_naming_the_field(user: User, name, value):
    response = await user.http_client.get(f'{API}/requests.json', params={'api_key': await _new_key(), name: value})
    assert name in _open311_error(response, 400)


async def test_dates_at_the_edges_that_fit_still_work(user: User):
    code = (await factories.submit()).code
    raw = await _new_key()
    for params in ({'start_date': '0001-01-02T00:00:00Z'}, {'end_date': '9999-12-31T23:59:59Z'},
                   {'start_date': '9999-12-30T00:00:00Z'}, {'end_date': '0001-01-02T00:00:00Z'},
                   {'start_date': '0001-01-02T00:00:00Z', 'end_date': '0001-03-01T00:00:00Z'}):
        response = await user.http_client.get(f'{API}/requests.json', params={'api_key': raw, **params})
        assert response.status_code == 200 and response.json() == [], params  # each window fits, none holds it
    # the whole range at once spans more than the spec's 90 days: refused (the default window finds it)
    response = await user.http_client.get(f'{API}/requests.json', params={
        'api_key': raw, 'start_date': '0001-01-02T00:00:00Z', 'end_date': '9999-12-31T23:59:59Z'})
    assert '90 hari' in _open311_error(response, 400)
    response = await user.http_client.get(f'{API}/requests.json', params={'api_key': raw})
    assert [i['service_request_id'] for i in response.json()] == [code]


# --- The sweep ---

BODIES = [
    (b'', 'application/json'),
    (b'null', 'application/json'),
    (b'{"api_key": null}', 'application/json'),
    (b'{"api_key": ["lpr_x"], "service_code": {"a": 1}}', 'application/json'),
    (b'{"api_key": 1e999, "lat": 1e999, "long": -1e999}', 'application/json'),
    (b'{"lat": "1e999", "long": "nan", "address_string": "x"}', 'application/json'),
    (b'{"service_code": "JALAN\\u0000", "description": "\\u0000\\u0000"}', 'application/json'),
    (b'{"\\ud800": "x", "description": "\\udfff\\ud800"}', 'application/json'),
    (b'\xef\xbb\xbf{"a": 1}', 'application/json'),  # a UTF-8 byte order mark
    (b'\xff\xfe{\x00}\x00', 'application/json; charset=utf-16'),
    (b'{"a": "\xed\xa0\x80"}', 'application/json'),  # a surrogate in raw UTF-8 bytes
    (b'[' * 20_000, 'application/json'),
    (b'{"a": ' + b'9' * 50_000 + b'}', 'application/json'),  # an integer past Python's digit limit
    (b'api_key=%ED%A0%80&service_code=%00&description=%FF', 'application/x-www-form-urlencoded'),
    (b'api_key=lpr_\xff\xfe&service_code=\xed\xa0\x80', 'application/x-www-form-urlencoded; charset=latin-1'),
    (b'&&&==&=' * 500, 'application/x-www-form-urlencoded'),
    (b'a=1&' * 5_000, 'application/x-www-form-urlencoded'),
    (b'--b\r\nContent-Disposition: form-data; name="api_key"\r\n\r\nlpr_\xed\xa0\x80\r\n--b--\r\n',
     'multipart/form-data; boundary=b'),
    (b'--b\r\nContent-Disposition: form-data; name="f"; filename="x.jpg"\r\n\r\n\xff\xd8\r\n--b--\r\n',
     'multipart/form-data; boundary=b'),
    (b'--b\r\nbroken', 'multipart/form-data; boundary=b'),
    (b'x' * 100, 'multipart/form-data; boundary="'),
    (b'<xml/>', 'application/xml'),
    (b'{}', ''),
    (b'{}', 'application/json; charset=does-not-exist'),
    (b'\x00' * 1000, 'application/octet-stream'),
]
QUERIES = [
    b'',
    b'api_key=lpr_%ED%A0%80',
    b'api_key=%00&start_date=%00',
    b'start_date=\xff\xfe&end_date=\xed\xa0\x80',
    b'start_date=0001-01-01&end_date=9999-12-31T23:59:59-05:00',
    b'start_date=-1&end_date=99999-01-01',
    b'start_date=2026-13-45T25:61:61Z',
    b'start_date=2026-11-28T00:00:00+99:00',
    b'start_date=' + b'9' * 5000,
    b'status=open,closed,,,&status=%00',
    b'service_request_id=' + b','.join([b'WSB-0000-0000'] * 5000),
    b'service_code=' + b','.join([b'X'] * 5000),
    b'service_code=%F0%9F%92%A9&service_request_id=%E2%80%AE',
    b'%%%=%%%&&==',
]
PATHS = ['/open311/v2/services.json', '/open311/v2/requests.json', '/open311/v2/requests/WSB-0000-0000.json',
         '/open311/v2/requests/%ED%A0%80.json', '/open311/v2/requests/%00.json', '/open311/v2/requests/..%2F.json',
         '/open311/v2/requests/' + 'A' * 5000 + '.json', '/api/foto', '/lampiran/x.jpg',
         '/lampiran/' + '0' * 64 + '.jpg']
HEADERS = [
    [],
    [(b'x-api-key', b'lpr_\xff\xfe')],
    [(b'api_key', b'\xed\xa0\x80'), (b'idempotency-key', b'\xff' * 300)],
    [(b'content-length', b'99999999999999999999')],
    [(b'content-length', b'-1')],
    [(b'content-type', b'application/json'), (b'idempotency-key', b'\x00')],
]


async def _call(method: str, path: str, query: bytes, body: bytes, headers: list[tuple[bytes, bytes]]) -> int:
    """One request straight into the app's ASGI stack (bytes as given, no client cleaning them up)."""
    sent: list[dict] = []
    chunks = [body[i:i + 8192] for i in range(0, len(body), 8192)] or [b'']

    async def receive() -> dict:
        if chunks:
            chunk = chunks.pop(0)
            return {'type': 'http.request', 'body': chunk, 'more_body': bool(chunks)}
        return {'type': 'http.disconnect'}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {'type': 'http', 'asgi': {'version': '3.0'}, 'http_version': '1.1', 'method': method, 'scheme': 'http',
             'path': httpx.URL(path).path, 'raw_path': path.encode(), 'query_string': query, 'root_path': '',
             'headers': [(b'host', b'test'), *headers], 'client': ('10.7.7.7', 1234), 'server': ('test', 80)}
    await core.app(scope, receive, send)
    return next(m['status'] for m in sent if m['type'] == 'http.response.start')


async def test_no_malformed_request_to_any_api_route_makes_a_500_or_a_traceback(user: User, caplog):
    raw = (await _new_key()).encode()
    await factories.submit()
    limits.configure(lookup=(10_000, 60), upload=(10_000, 60))  # the sweep is about crashes, not limits
    caplog.set_level(logging.WARNING)
    failures = []
    requests = [('POST', f'{API}/requests.json', query, body, [(b'content-type', kind.encode()), *extra])
                for body, kind in BODIES for query in (b'', b'api_key=' + raw) for extra in HEADERS]
    requests += [('POST', f'{API}/requests.json', query, b'{}', [(b'content-type', b'application/json')])
                 for query in QUERIES]
    requests += [(method, path, query, body, [(b'content-type', kind.encode())])
                 for method in ('GET', 'POST') for path in PATHS for query in QUERIES[:6] for body, kind in BODIES[::4]
                 # raw non-ASCII bytes in a query string reach only Open311 here: uvicorn answers them with its own 400
                 # (measured), and Starlette's URL, which NiceGUI's middleware reads, would fail to decode them
                 if path.startswith(API) or query.isascii()]
    requests += [('GET', f'{API}/requests.json', query + b'&api_key=' + raw, b'', extra)
                 for query in QUERIES for extra in HEADERS[:3]]
    for method, path, query, body, headers in requests:
        try:
            status = await _call(method, path, query, body, headers)
        except Exception as error:  # the test reports every crash, not the first
            where = traceback.extract_tb(error.__traceback__)[-1]
            failures.append((method, path, query[:60], body[:60], headers, f'{error!r} at {where.filename}:'
                             f'{where.lineno}'))
            continue
        if status >= 500:
            failures.append((method, path, query[:60], body[:60], headers, status))
    assert not failures, f'{len(failures)} crashed, for example:\n' + '\n'.join(map(str, failures[:3]))
    tracebacks = [r for r in caplog.records if r.exc_info or 'Traceback' in r.getMessage()]
    assert not tracebacks, f'{tracebacks[0].name}: {tracebacks[0].getMessage()}'
    assert await complaints.Complaint.all().count() == 1  # nothing malformed was stored

