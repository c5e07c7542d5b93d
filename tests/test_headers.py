"""Every answer carries the browser's security headers; over HTTPS every cookie is Secure."""

import httpx
import pytest
from nicegui import core
from nicegui.testing import User

from api import edge
from services import attachments
from tests import factories

EXPECTED = {
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
}


def _assert_secured(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get_list(name) == [value], name
    csp = response.headers['content-security-policy']
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert 'http' not in csp.replace('ws://lapor.test', '').replace('wss://lapor.test', '')  # no CDN
    policy = response.headers['permissions-policy']
    assert 'geolocation=(self)' in policy and 'camera=()' in policy and 'microphone=()' in policy


async def test_pages_api_static_files_and_photos_carry_security_headers(user: User):
    stored = await attachments.store_image(factories.image_bytes(size=(300, 200)))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://lapor.test')
    async with client:
        for url in ('/', '/lacak', '/open311/v2/services.json', '/static/lapor.css',
                    attachments.signed_url(stored.sha256), '/tidak-ada'):
            response = await client.get(url)
            assert response.status_code in (200, 404), url
            _assert_secured(response)


async def test_the_page_may_open_its_websocket_to_its_own_host(user: User):
    client = httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://lapor.test')
    async with client:
        csp = (await client.get('/')).headers['content-security-policy']
    connect = next(d for d in csp.split(';') if d.strip().startswith('connect-src')).split()
    assert connect == ['connect-src', "'self'", 'ws://lapor.test', 'wss://lapor.test']


@pytest.mark.parametrize(('scheme', 'secure'), [('https', True), ('http', False)])
async def test_cookies_are_secure_when_served_over_https(user: User, scheme: str, secure: bool):
    client = httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url=f'{scheme}://lapor.test')
    async with client:
        response = await client.get('/')  # a first visit: NiceGUI's session cookie is set
    cookies = response.headers.get_list('set-cookie')
    assert cookies
    assert all(('; Secure' in cookie) is secure for cookie in cookies)


async def test_a_refused_body_carries_the_headers_too(user: User):
    response = await user.http_client.post('/', content=b'x' * (edge.DEFAULT_BODY_BOUND + 1))
    assert response.status_code == 413
    _assert_secured(response)
