"""The photo upload and download routes, as the submit form's picker and the tracking page use them."""

from nicegui.testing import User

from services import attachments, limits
from services.settings import settings
from tests import factories


async def test_upload_reencodes_strips_exif_and_returns_a_token(user: User):
    response = await user.http_client.post('/api/foto', content=factories.image_bytes(exif_gps=True),
                                           headers={'Content-Type': 'image/jpeg'})
    assert response.status_code == 200
    body = response.json()
    sha = attachments.read_token(body['token'])
    assert sha is not None and max(body['width'], body['height']) == settings.photo_max_side
    stored = attachments.path_of(sha).read_bytes()
    assert stored[:2] == b'\xff\xd8' and b'Exif' not in stored


async def test_upload_refuses_a_non_image_with_a_message(user: User):
    response = await user.http_client.post('/api/foto', content=b'MZ\x90\x00 definitely a program',
                                           headers={'Content-Type': 'image/jpeg'})
    assert response.status_code == 415
    assert 'bukan foto' in response.json()['detail']


async def test_server_enforces_its_own_size_limit(user: User, monkeypatch):
    monkeypatch.setattr(settings, 'max_upload_bytes', 50_000)
    big = factories.image_bytes('PNG', size=(1200, 1200)) + b'\0' * 60_000
    response = await user.http_client.post('/api/foto', content=big, headers={'Content-Type': 'image/png'})
    assert response.status_code == 413
    assert 'terlalu besar' in response.json()['detail']

    async def chunks():  # no Content-Length: the server counts what arrives
        for _ in range(10):
            yield b'\0' * 10_000
    response = await user.http_client.post('/api/foto', content=chunks(), headers={'Content-Type': 'image/png'})
    assert response.status_code == 413


async def test_uploads_are_limited_per_address(user: User):
    limits.configure(upload=(1, 600))
    data = factories.image_bytes(size=(100, 100))
    assert (await user.http_client.post('/api/foto', content=data)).status_code == 200
    response = await user.http_client.post('/api/foto', content=data)
    assert response.status_code == 429 and 'Terlalu banyak unggahan' in response.json()['detail']


async def test_photos_are_served_only_by_signed_url(user: User):
    stored = await attachments.store_image(factories.image_bytes(size=(300, 200)))
    url = attachments.signed_url(stored.sha256)
    response = await user.http_client.get(url)
    assert response.status_code == 200 and response.headers['content-type'] == 'image/jpeg'
    tampered = url.replace('s=', 's=0')
    assert (await user.http_client.get(tampered)).status_code == 404
    assert (await user.http_client.get(f'/lampiran/{stored.sha256}.jpg')).status_code == 404
    assert (await user.http_client.get('/lampiran/..%2Fsecret.key')).status_code == 404


async def test_rahasia_photos_reach_only_the_pin_holder(user: User):
    stored = await attachments.store_image(factories.image_bytes(size=(300, 200)))
    result = await factories.submit(privacy='rahasia', photo_tokens=[stored.token])
    await user.open(f'/lacak/{result.code}')
    photos = next(e for e in user.client.elements.values() if 'photos' in e._markers)  # hidden until unlocked
    assert stored.sha256 not in (photos.content or '')
    user.find(marker='pin').type(result.pin)
    user.find(marker='unlock').click()
    await factories.eventually(lambda: stored.sha256 in (photos.content or ''))
