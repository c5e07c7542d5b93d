"""No input swells the server: request bodies are bounded before they are read, huge photos are refused
before they are decoded, photos decode two at a time, and page loads that never connect do not pile up."""

import asyncio
import io
import threading
import time
from typing import Any

import pytest
from nicegui import Client, core
from nicegui.testing import User
from PIL import Image, ImageFile

from api import edge
from services import attachments
from services.settings import settings
from tests import factories

CHUNK = 64 * 1024


async def _post_raw(path: str, chunks: int, *, declared: int | None) -> tuple[int, bytes, int]:
    """POST ``chunks`` chunks of 64 KiB straight into the ASGI app; the status, the body and how many bytes the
    app pulled from the client."""
    headers = [(b'host', b'lapor.test'), (b'content-type', b'application/octet-stream')]
    if declared is not None:
        headers.append((b'content-length', str(declared).encode()))
    scope = {'type': 'http', 'asgi': {'version': '3.0'}, 'http_version': '1.1', 'method': 'POST', 'scheme': 'http',
             'path': path, 'raw_path': path.encode(), 'query_string': b'', 'root_path': '', 'headers': headers,
             'client': ('127.0.0.1', 50000), 'server': ('lapor.test', 80), 'state': {}}
    sent = 0
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent >= chunks * CHUNK:
            await asyncio.sleep(3600)  # a client still sending: the app must not wait for it
        sent += CHUNK
        return {'type': 'http.request', 'body': b'\0' * CHUNK, 'more_body': sent < chunks * CHUNK}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await asyncio.wait_for(core.app(scope, receive, send), timeout=10)
    status = next(m['status'] for m in messages if m['type'] == 'http.response.start')
    body = b''.join(m.get('body', b'') for m in messages if m['type'] == 'http.response.body')
    return status, body, sent


@pytest.mark.parametrize('path', ['/api/foto', '/open311/v2/requests.json', '/', '/_nicegui_ws/socket.io/'])
async def test_a_body_declared_over_its_bound_is_refused_unread(user: User, path: str):
    limit, _ = edge.body_bound(path)
    status, _, pulled = await _post_raw(path, chunks=limit // CHUNK + 10, declared=limit + 1)
    assert status == 413
    assert pulled == 0


async def test_a_photo_streamed_without_length_is_cut_at_its_bound(user: User):
    status, body, pulled = await _post_raw('/api/foto', chunks=1000, declared=None)  # 64 MB on offer
    assert status == 413 and 'Foto terlalu besar' in body.decode()
    assert pulled <= settings.max_upload_bytes + CHUNK


async def test_open311_refuses_a_large_body_over_http(user: User):
    response = await user.http_client.post('/open311/v2/requests.json', content=b'x' * (edge.OPEN311_BODY_BOUND + 1))
    assert response.status_code == 413
    assert response.json()[0]['code'] == 413


async def test_a_photo_over_60_megapixels_is_refused_before_decoding(user: User, monkeypatch):
    image = Image.new('1', (7_800, 7_800))  # 60.8 MP: over the limit, yet under Pillow's own refusal at 120 MP
    out = io.BytesIO()
    image.save(out, 'PNG')
    decoded = []
    load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, 'load', lambda self: decoded.append(self.size) or load(self))
    response = await user.http_client.post('/api/foto', content=out.getvalue(), headers={'Content-Type': 'image/png'})
    assert response.status_code == 413
    assert response.json()['detail'] == 'Foto terlalu besar: 7.800 × 7.800 piksel (maksimal 60 megapiksel).'
    assert decoded == []


async def test_at_most_two_photos_decode_at_once(monkeypatch):
    running, most = 0, 0
    lock = threading.Lock()
    reencode = attachments._reencode

    def counting(data: bytes):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.05)  # long enough for the others to start if nothing held them back
            return reencode(data)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(attachments, '_reencode', counting)
    photos = [factories.image_bytes(size=(400 + n, 300)) for n in range(6)]
    stored = await asyncio.gather(*(attachments.store_image(data) for data in photos))
    assert len({s.sha256 for s in stored}) == 6
    assert most == 2


async def test_page_loads_that_never_connect_are_forgotten_in_a_flood(user: User, monkeypatch):
    monkeypatch.setattr(settings, 'unconnected_per_address', 10**9)  # as if from many addresses
    monkeypatch.setattr(settings, 'unconnected_total', 10**9)
    for _ in range(edge.UNCONNECTED_KEPT + 50):  # a bot's loads, none of which opens its websocket
        assert (await user.http_client.get('/')).status_code == 200
    waiting = [c for c in Client.instances.values() if not c.has_socket_connection]
    assert len(waiting) >= edge.UNCONNECTED_KEPT + 50
    assert edge.prune_unconnected() == 0  # within the grace every page may still connect
    later = time.time() + edge.UNCONNECTED_GRACE + 1
    assert edge.prune_unconnected(now=later) == 50
    assert sum(not c.has_socket_connection for c in Client.instances.values()) == edge.UNCONNECTED_KEPT


async def test_a_flood_from_one_address_loses_its_own_pages_first(user: User, monkeypatch):
    monkeypatch.setattr(settings, 'unconnected_per_address', 10**9)  # the busy page would stop the flood first
    monkeypatch.setattr(settings, 'unconnected_total', 10**9)
    for n in range(edge.UNCONNECTED_KEPT + 20):
        address = '10.0.0.1' if n >= 20 else f'10.0.1.{n}'  # 20 phones, then one source's flood
        assert (await user.http_client.get('/', headers={'X-Forwarded-For': address})).status_code == 200
    for client in Client.instances.values():  # ASGITransport has no proxy layer: set what uvicorn would
        forwarded = client.request.headers.get('x-forwarded-for')
        if forwarded:
            client.request.scope['client'] = (forwarded, 0)
    edge.prune_unconnected(now=time.time() + edge.UNCONNECTED_GRACE + 1)
    left = [c.ip for c in Client.instances.values() if not c.has_socket_connection]
    assert sum(ip.startswith('10.0.1.') for ip in left) == 20


def _waiting() -> int:
    return sum(not c.has_socket_connection for c in Client.instances.values())


async def test_an_address_whose_pages_wait_in_numbers_gets_a_small_page_until_they_go(user: User):
    cap = settings.unconnected_per_address
    answers = [await user.http_client.get('/') for _ in range(cap + 5)]  # a bot: no page opens its websocket
    assert [a.status_code for a in answers] == [200] * cap + [429] * 5
    assert 'Mohon tunggu sebentar' in answers[-1].text and answers[-1].headers['retry-after'] == '5'
    assert 'content-security-policy' in answers[-1].headers
    assert _waiting() == cap  # the refused loads built nothing
    assert edge.prune_unconnected() == 0  # within the grace every page may still connect
    assert edge.prune_unconnected(now=time.time() + edge.UNCONNECTED_GRACE + 1) == cap
    assert (await user.http_client.get('/')).status_code == 200  # the address is served again


async def test_when_pages_from_everyone_wait_in_numbers_new_loads_get_the_small_page(user: User, monkeypatch):
    monkeypatch.setattr(settings, 'unconnected_per_address', 10**9)  # as if each load came from its own address
    monkeypatch.setattr(settings, 'unconnected_total', 30)
    answers = [(await user.http_client.get('/lacak')).status_code for _ in range(35)]
    assert answers == [200] * 30 + [429] * 5
    assert (await user.http_client.get('/open311/v2/services.json')).status_code == 200  # the API is not a page
