"""The photo upload and download routes, as the submit form's picker and the tracking page use them."""

import io
import os
import time

from nicegui.testing import User
from PIL import Image, ImageOps

from services import attachments, clock, limits, scheduler
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
    content = next(e for e in user.client.elements.values() if 'content' in e._markers)  # hidden until unlocked
    assert stored.sha256 not in (content.content or '')
    user.find(marker='pin').type(result.pin)
    user.find(marker='unlock').click()
    await factories.eventually(lambda: stored.sha256 in (content.content or ''))


def _photo(seed: int, size: tuple[int, int] = (640, 480), orientation: int | None = None) -> bytes:
    """A JPEG of its own (no other test stores the same file): red on the left half, blue on the right."""
    image = Image.new('RGB', size, (220, 30, 30))
    image.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    image.paste((seed * 37 % 256, seed * 91 % 256, 7), (0, 0, 32, 32))  # survives re-encoding as JPEG
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, 'JPEG', quality=95, exif=exif)
    return out.getvalue()


def _age(path, hours: float) -> None:
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))


async def test_a_turned_phone_photo_is_stored_upright_and_shrunk(user: User):
    data = _photo(1, size=(4000, 2000), orientation=6)  # a portrait photo, stored sideways with an EXIF turn
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    response = await user.http_client.post('/api/foto', content=data, headers={'Content-Type': 'image/jpeg'})
    assert response.status_code == 200
    body = response.json()
    assert (body['width'], body['height']) == (800, 1600)
    with Image.open(attachments.path_of(attachments.read_token(body['token']))) as stored:
        assert stored.size == (800, 1600)
        for x, y in ((0.5, 0.25), (0.5, 0.75)):  # the halves stay where a viewer of the original sees them
            expected = upright.getpixel((int(x * upright.width), int(y * upright.height)))
            seen = stored.getpixel((int(x * stored.width), int(y * stored.height)))
            assert all(abs(a - b) < 30 for a, b in zip(seen, expected, strict=True)), (x, y, seen, expected)


async def test_photos_in_no_complaint_are_deleted_after_a_day(database):
    used, orphan, fresh = [await attachments.store_image(_photo(n)) for n in (10, 11, 12)]
    await factories.submit(photo_tokens=[used.token])
    for photo in (used, orphan):
        _age(attachments.path_of(photo.sha256), hours=25)
    _age(attachments.path_of(fresh.sha256), hours=23)
    assert await attachments.delete_orphans(now=clock.now()) >= 1  # the folder is shared with other tests
    assert not attachments.path_of(orphan.sha256).exists()
    assert attachments.path_of(used.sha256).exists() and attachments.path_of(fresh.sha256).exists()
    assert attachments.read_token(orphan.token) is None  # a form still holding it is told to upload again


async def test_uploading_a_photo_again_gives_it_another_day(database):
    data = _photo(20)
    first = await attachments.store_image(data)
    _age(attachments.path_of(first.sha256), hours=25)
    again = await attachments.store_image(data)  # the same photo picked again for a new complaint
    assert again.sha256 == first.sha256
    await attachments.delete_orphans(now=clock.now())
    await factories.submit(photo_tokens=[again.token])
    assert attachments.path_of(again.sha256).exists()


async def test_the_scheduler_cleans_up_photos_hourly(user: User):
    job = scheduler.scheduler.get_job('photo-orphans')
    assert job is not None and job.trigger.interval.total_seconds() == 3600
