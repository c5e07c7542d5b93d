"""Submitting a complaint through the service, on a real SQLite database."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import aiosqlite
import pytest
from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

from services import attachments, clock, complaints, events, limits
from services.complaints import Channel, ClockKind, Privacy, Status
from services.errors import RateLimited, ValidationFailed
from tests import factories

pytestmark = pytest.mark.usefixtures('database')


async def test_submit_routes_to_the_categorys_opd_and_starts_both_clocks():
    clock.freeze(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # Friday 22:00 WIB
    result = await factories.submit()
    view = result.view
    assert view.status == Status.DIDISPOSISIKAN
    assert view.agency_name == 'Dinas Pekerjaan Umum dan Penataan Ruang'
    assert view.clock(ClockKind.FIRST_RESPONSE).due_at == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert view.clock(ClockKind.RESOLUTION).due_at == datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    stored = await complaints.public_view_by_key(view.code_key)
    assert stored.clocks == view.clocks
    assert [e.message for e in stored.events] == [e.message for e in view.events]


async def test_lainnya_waits_for_a_supervisor_with_clocks_running():
    result = await factories.submit(category_id=await factories.category_id('LAINNYA'))
    assert result.view.status == Status.BARU
    assert result.view.agency_name is None
    assert len(result.view.clocks) == 2


async def test_code_is_shaped_and_read_loosely():
    result = await factories.submit()
    prefix, first, second = result.code.split('-')
    assert prefix == 'WSB' and len(first) == 4 and len(second) == 4
    loose = result.code.lower().replace('-', ' ').replace('0', 'o').replace('1', 'l')
    found = await complaints.look_up(code=loose)
    assert found.view.code == result.code


async def test_phone_is_stored_normalised_for_every_usual_form():
    for typed in ('0812 3456 7890', '+62 812-3456-7890', '6281234567890', '(0812) 3456.7890'):
        result = await factories.submit(reporter_phone=typed)
        stored = await complaints.Complaint.get(code_key=result.view.code_key)
        assert stored.reporter_phone == '6281234567890'


@pytest.mark.parametrize(('field', 'value'), [
    ('description', 'terlalu pendek'),
    ('description', 'x' * 5001),
    ('title', ''),
    ('reporter_phone', '12345'),
    ('reporter_phone', ''),
    ('reporter_email', 'bukan-email'),
    ('reporter_name', ''),
    ('consent', False),
    ('category_id', None),
    ('district_id', None),
])
async def test_web_form_rules_refuse_with_a_message_per_field(field, value):
    with pytest.raises(ValidationFailed) as caught:
        await factories.submit(**{field: value})
    key = {'category_id': 'category', 'district_id': 'district'}.get(field, field)
    assert key in caught.value.errors
    assert caught.value.errors[key]
    assert await complaints.Complaint.all().count() == 0


async def test_api_channel_may_leave_out_title_district_and_contact():
    result = await complaints.submit(category_id=await factories.category_id(), channel=Channel.API,
                                     description='Lampu jalan di simpang tiga Kertek mati sejak Senin malam.',
                                     privacy=Privacy.ANONIM, address='Simpang tiga Kertek', source='mitra')
    assert result.view.title is None and result.view.district_name is None


async def test_same_idempotency_key_makes_one_complaint_and_a_new_pin():
    first = await factories.submit(idempotency_key='draft-token-123456')
    again = await factories.submit(idempotency_key='draft-token-123456')
    assert again.code == first.code and again.replayed
    assert await complaints.Complaint.all().count() == 1
    assert (await complaints.look_up(code=first.code, pin=again.pin)).pin_ok
    assert not (await complaints.look_up(code=first.code, pin=first.pin)).pin_ok or first.pin == again.pin


async def test_a_key_reused_for_a_different_complaint_makes_a_new_one():  # e.g. a draft that outlived its sending
    first = await factories.submit(idempotency_key='draft-token-123456')
    other = await factories.submit(idempotency_key='draft-token-123456', title='Lampu jalan mati di pasar')
    assert other.code != first.code and not other.replayed
    assert await complaints.Complaint.all().count() == 2
    assert (await complaints.look_up(code=other.code, pin=other.pin)).view.title == 'Lampu jalan mati di pasar'


async def test_submissions_are_limited_per_address():
    limits.configure(submit=(2, 600))
    await factories.submit(client_address='10.0.0.9')
    await factories.submit(client_address='10.0.0.9')
    with pytest.raises(RateLimited) as caught:
        await factories.submit(client_address='10.0.0.9')
    assert 'coba lagi' in caught.value.message
    await factories.submit(client_address='10.0.0.10')  # another address is not affected
    assert await complaints.Complaint.all().count() == 3


async def test_invalid_submissions_do_not_count_against_the_limit():
    limits.configure(submit=(1, 600))
    with pytest.raises(ValidationFailed):
        await factories.submit(description='pendek', client_address='10.0.0.9')
    await factories.submit(client_address='10.0.0.9')


async def test_photos_are_reencoded_without_exif_and_attached():
    stored = await attachments.store_image(factories.image_bytes(exif_gps=True))
    assert max(stored.width, stored.height) == 1600
    result = await factories.submit(photo_tokens=[stored.token])
    assert result.view.photos == (stored.sha256,)
    data = attachments.path_of(stored.sha256).read_bytes()
    assert b'Exif' not in data and b'PhoneMaker' not in data


async def test_forged_photo_token_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        await factories.submit(photo_tokens=['a' * 64 + '.forged'])
    assert 'photos' in caught.value.errors


@pytest.mark.parametrize('payload', [b'%PDF-1.4 not an image', b'<svg xmlns="http://www.w3.org/2000/svg"/>', b''])
async def test_non_images_are_refused_with_a_message(payload):
    with pytest.raises(attachments.NotAnImage) as caught:
        await attachments.store_image(payload)
    assert 'foto' in caught.value.message.lower()


@pytest.mark.parametrize('fmt', ['PNG', 'WEBP'])
async def test_png_and_webp_are_accepted(fmt):
    stored = await attachments.store_image(factories.image_bytes(fmt, size=(800, 600)))
    assert (stored.width, stored.height) == (800, 600)


async def test_heic_is_accepted():
    import io  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415
    out = io.BytesIO()
    Image.new('RGB', (640, 480), (10, 200, 30)).save(out, 'HEIF')
    stored = await attachments.store_image(out.getvalue())
    assert (stored.width, stored.height) == (640, 480)


async def test_created_event_is_published_after_commit():
    """Looked at from inside the subscriber, at the moment of publishing: no transaction is open, neither the
    ORM's (a transaction client in context) nor SQLite's own (the raw insert path), and the row is already there."""
    client = connections.get('default')
    seen = []
    reads: list[asyncio.Future[bool]] = []

    def at_publish(news: events.ComplaintNews) -> None:
        in_orm_transaction = isinstance(connections.get('default'), TransactionalDBClient)
        in_sqlite_transaction = client._connection._conn.in_transaction
        seen.append((news.kind, news.code_key, in_orm_transaction, in_sqlite_transaction))
        reads.append(asyncio.ensure_future(complaints.Complaint.exists(code_key=news.code_key)))
    events.complaint_changed.subscribe(at_publish)
    try:
        result = await factories.submit()
    finally:
        events.complaint_changed.unsubscribe(at_publish)  # the bus outlives this test
    assert seen == [('created', result.view.code_key, False, False)]
    assert await reads[0]  # a read started at the moment of publishing finds the complaint


async def test_rahasia_content_needs_the_pin():
    result = await factories.submit(privacy=Privacy.RAHASIA)
    without = await complaints.look_up(code=result.code)
    assert not without.view.content_visible and without.view.description is None and without.view.events == ()
    assert without.view.status == Status.DIDISPOSISIKAN and len(without.view.clocks) == 2
    with_pin = await complaints.look_up(code=result.code, pin=result.pin)
    assert with_pin.pin_ok and with_pin.view.description


async def test_failed_lookups_are_limited_before_any_database_work():
    limits.configure(lookup=(3, 60))
    result = await factories.submit()
    for _ in range(2):
        with pytest.raises(complaints.NotFound):
            await complaints.look_up(code='WSB-0000-0000', client_address='10.1.1.1')
    wrong = await complaints.look_up(code=result.code, pin='000000' if result.pin != '000000' else '111111',
                                     client_address='10.1.1.1')
    assert wrong.pin_wrong
    with _statements_counted() as statements:
        with pytest.raises(RateLimited):
            await complaints.look_up(code=result.code, client_address='10.1.1.1')
    assert statements == []  # refused without a single statement sent to SQLite
    other = await factories.submit(title='Lampu jalan mati di alun-alun')  # not looked up yet: read from SQLite
    with _statements_counted() as statements:
        ok = await complaints.look_up(code=other.code, client_address='10.1.1.2')
    assert ok.view.code == other.code
    assert statements  # the counter does see a lookup's reads


@contextmanager
def _statements_counted() -> Iterator[list[str]]:
    """Every call that reaches aiosqlite's connection thread (each ORM query, and writes.py's raw path), named."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        seen.append(getattr(fn, '__name__', repr(fn)))
        return await original(self, fn, *args, **kwargs)
    aiosqlite.Connection._execute = counted
    try:
        yield seen
    finally:
        aiosqlite.Connection._execute = original


async def test_clock_moves_for_tests():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock.freeze(start)
    clock.advance(timedelta(hours=3))
    assert clock.now() == start + timedelta(hours=3)
