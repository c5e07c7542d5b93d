"""The ``georeport`` client library (PyPI georeport 0.3.1, a dev dependency) calling the real app: its list of
services, a service's definition, one request, the list with its filters, in XML and in JSON (issue 12 §4).

The library speaks HTTP through ``requests``; here its requests go, byte for byte, into the app's own ASGI stack
(the ``user`` fixture's client) instead of over a socket: the library runs in a worker thread and each of its
requests is answered by the app on the test's event loop. georeport 0.3.1 has no call that posts a request and
sends no ``api_key`` when it lists, so the list is opened to the public for it as a supervisor would.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import requests
from georeport import GeoReport
from nicegui.testing import User

from models import Role
from services import apikeys, app_settings, clock, complaints, open311_attributes
from services.complaints import Privacy
from services.workflow import Action, Actor
from tests import lifecycle

SUPERVISOR = Actor(1, 'admin', 'Admin Diskominfo', Role.SUPERVISOR)
ROOT = 'http://lapor.test/open311/v2'
DESCRIPTION = 'Jalan di depan Pasar Induk Wonosobo berlubang dalam, sudah dua motor jatuh minggu ini.'


class _IntoTheApp(requests.adapters.BaseAdapter):
    """A ``requests`` transport that hands each request to the app on the test's loop and waits for its answer."""

    def __init__(self, user: User, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.user, self.loop = user, loop

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        answer = asyncio.run_coroutine_threadsafe(self.user.http_client.request(
            request.method, request.url, headers=dict(request.headers), content=request.body), self.loop).result(30)
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.encoding = answer.encoding
        response.url, response.request = request.url, request
        return response

    def close(self) -> None:
        pass


@pytest.fixture
async def library(user: User, monkeypatch):
    """Call ``georeport`` (a sync library) from a thread, its HTTP answered by the app."""
    adapter = _IntoTheApp(user, asyncio.get_running_loop())
    monkeypatch.setattr(requests.Session, 'get_adapter', lambda self, url: adapter)

    async def call(fmt: str, method: str, *args, **kwargs):
        return await asyncio.to_thread(getattr(GeoReport(ROOT, output_format=fmt), method), *args, **kwargs)
    return call


def _listed(answer) -> list[dict]:
    """xmltodict reads one <request> as a dict, several as a list."""
    return answer if isinstance(answer, list) else [answer]


async def _requests(user: User) -> dict[str, str]:
    _, raw = await apikeys.create(name='mitra-x')
    codes = {}
    clock.freeze(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    for name, service_code in (('jalan', 'JALAN'), ('air', 'AIR')):
        response = await user.http_client.post(f'{ROOT}/requests.json', data={
            'api_key': raw, 'service_code': service_code, 'description': DESCRIPTION, 'lat': '-7.3613',
            'long': '109.9024', 'address_string': 'Jl. Kertek km 3', 'privacy': Privacy.PUBLIK})
        codes[name] = response.json()[0]['service_request_id']
        clock.advance(timedelta(days=2))
    await lifecycle.step(complaints.code_key_of(codes['air']), Action.RESPOND, message='Petugas menuju lokasi.',
                         by='supervisor')
    await lifecycle.step(complaints.code_key_of(codes['air']), Action.RESOLVE, message='Pipa sudah diganti.',
                         by='supervisor')
    await app_settings.set_open311_public_list(SUPERVISOR, on=True)
    return codes


@pytest.mark.parametrize('fmt', ['json', 'xml'])
async def test_the_library_lists_services_and_reads_a_definition(user: User, library, fmt):
    await open311_attributes.save(SUPERVISOR, category_id=await complaints.category_id('JALAN'), attribute_id=None,
                                  code='LEBAR', datatype='number', required=True, description='Lebar lubang (m)?',
                                  order=1)
    services = await library(fmt, 'get_service_list')
    by_code = {s['service_code']: s for s in services}
    assert len(by_code) == 22 and by_code['JALAN']['service_name'] == 'Jalan rusak atau berlubang'
    assert str(by_code['JALAN']['metadata']).lower() == 'true'
    definition = await library(fmt, 'get_service_definition', 'JALAN')
    assert definition['service_code'] == 'JALAN'
    attributes = definition['attributes'] if fmt == 'json' else [definition['attributes']['attribute']]
    assert [a['code'] for a in attributes] == ['LEBAR']
    assert str(attributes[0]['required']).lower() == 'true'
    with pytest.raises(requests.HTTPError) as refused:
        await library(fmt, 'get_service_definition', 'TIDAKADA')
    assert refused.value.response.status_code == 404


@pytest.mark.parametrize('fmt', ['json', 'xml'])
async def test_the_library_reads_one_request_and_the_list_with_its_filters(user: User, library, fmt):
    codes = await _requests(user)
    one = await library(fmt, 'get_service_request', codes['jalan'])
    assert one['service_request_id'] == codes['jalan'] and one['status'] == 'open'
    assert one['address_string'] == 'Jl. Kertek km 3' and one['service_code'] == 'JALAN'
    resolved = await library(fmt, 'get_service_request', codes['air'])
    assert resolved['status'] == 'closed' and resolved['status_notes'] == 'Pipa sudah diganti.'

    def ids(answer) -> list[str]:
        return [item['service_request_id'] for item in _listed(answer)]

    assert ids(await library(fmt, 'get_service_requests')) == [codes['air'], codes['jalan']]
    assert ids(await library(fmt, 'get_service_requests', service_code='AIR')) == [codes['air']]
    assert ids(await library(fmt, 'get_service_requests', status='open')) == [codes['jalan']]
    assert ids(await library(fmt, 'get_service_requests', start_date='2026-11-21T00:00:00Z',
                             end_date='2026-11-30T00:00:00Z')) == [codes['air']]
    assert ids(await library(fmt, 'get_service_requests', service_request_id=codes['jalan'],
                             status='closed')) == [codes['jalan']]  # the id overrides the other filters
    with pytest.raises(requests.HTTPError) as refused:
        await library(fmt, 'get_service_requests', start_date='2026-01-01T00:00:00Z',
                      end_date='2026-11-30T00:00:00Z')
    assert refused.value.response.status_code == 400
