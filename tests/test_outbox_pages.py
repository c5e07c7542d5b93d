"""The outbox in the running app: the first message leaves at once, the citizen asks for news on the form, the
supervisors see the outbox and send a failed message again, staff get an email address."""

import asyncio
import time

import pytest
from nicegui.testing import User as SimulatedUser

from models import Complaint, OutboxMessage, OutboxStatus, Transport, User
from services import apikeys, auth
from services.settings import settings
from tests import factories
from tests.receivers import Gateway
from tests.staff import ADMIN_PASSWORD, PASSWORD, on_board
from tests.test_submit_page import _fill


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, 'throttle', auth.LoginThrottle())


@pytest.fixture
def gateway():
    receiver = Gateway().up()
    yield receiver
    receiver.down()


def _webhook_on(monkeypatch, gateway: Gateway) -> None:
    monkeypatch.setattr(settings, 'sms_webhook_url', gateway.url)
    monkeypatch.setattr(settings, 'sms_webhook_secret', 'rahasia-gerbang')
    monkeypatch.setattr(settings, 'outbox_timeout', 2.0)


async def _arrived(gateway: Gateway, count: int, within: float) -> float:
    """Seconds until ``count`` webhooks arrived (AssertionError after ``within``)."""
    started = time.monotonic()
    while len(gateway.received) < count:
        if time.monotonic() - started > within:
            raise AssertionError(f'{len(gateway.received)} of {count} webhooks arrived in {within} s')
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_the_first_message_leaves_within_a_second_or_two_of_the_commit(user: SimulatedUser, monkeypatch,
                                                                               gateway):
    await user.open('/lacak')  # the app and its worker are running
    _webhook_on(monkeypatch, gateway)
    result = await factories.submit(notify_reporter=True)
    await _arrived(gateway, 1, within=2.0)  # the periodic pass alone would take up to LAPOR_OUTBOX_SECONDS (5 s)
    assert gateway.received[0]['code'] == result.code
    await asyncio.sleep(0.3)
    assert len(gateway.received) == 1
    assert (await OutboxMessage.get()).status == OutboxStatus.SENT


async def test_a_citizen_asks_for_news_on_the_form_and_is_told_where_it_goes(user: SimulatedUser):
    await user.open('/')
    await _fill(user, reporter_email='budi@contoh.id')
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='notify').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see(marker='code', retries=30)
    await user.should_see('Kabar setiap perkembangan aduan ini akan kami kirim lewat SMS ke nomor HP dan email Anda')
    code = user.find(marker='code').elements.pop().text
    assert (await Complaint.get(code=code)).notify_reporter
    assert sorted(await OutboxMessage.filter(code=code).values_list('transport', flat=True)) == [
        Transport.EMAIL, Transport.WEBHOOK]


async def test_no_news_unless_the_citizen_ticks_the_box(user: SimulatedUser):
    await user.open('/')
    await _fill(user)
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see(marker='code', retries=30)
    await user.should_not_see(marker='news-promise')
    code = user.find(marker='code').elements.pop().text
    assert not (await Complaint.get(code=code)).notify_reporter
    assert not await OutboxMessage.filter(code=code).exists()


async def test_supervisor_sees_that_no_sender_is_set_up_and_what_waits(user: SimulatedUser):
    await factories.submit(notify_reporter=True, reporter_phone='0812-9876-5432')
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan')
    await user.should_see('Pengirim email/SMS belum diatur; pesan menunggu di antrean.')
    await user.open('/admin/pengaturan/pesan-keluar')
    await user.should_see('Pengirim email/SMS belum diatur; pesan menunggu di antrean.')
    table = user.find(marker='outbox').elements.pop().content
    assert 'Pelapor' in table and 'SMS/WhatsApp' in table
    assert '62812****5432' in table and '6281298765432' not in table  # contact data is opened, logged, elsewhere
    assert 'Menunggu (1)' in user.find(marker='outbox-tabs').elements.pop().content


async def test_supervisor_sends_a_failed_message_again_and_it_arrives_once(user: SimulatedUser, monkeypatch,
                                                                           gateway):
    result = await factories.submit(notify_reporter=True)
    await OutboxMessage.all().update(status=OutboxStatus.FAILED, attempts=5,
                                     last_error='Webhook: jawaban HTTP 503 gateway sedang sibuk')
    _webhook_on(monkeypatch, gateway)
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan/pesan-keluar?status=failed')
    await user.should_see('Galat terakhir: Webhook: jawaban HTTP 503 gateway sedang sibuk')
    await user.should_see('5 kali dicoba')
    await user.should_see('Pengirim email belum diatur (LAPOR_SMTP_HOST); pesan email menunggu di antrean.')
    message = await OutboxMessage.get()
    user.find(marker=f'retry-{message.id}').click()
    await _arrived(gateway, 1, within=3.0)
    assert gateway.received[0]['code'] == result.code
    await user.should_see('Tidak ada pesan yang gagal.', retries=30)
    await asyncio.sleep(0.3)
    assert len(gateway.received) == 1
    sent = await OutboxMessage.get(id=message.id)
    assert sent.status == OutboxStatus.SENT and sent.attempts == 1


async def test_an_opd_admin_cannot_open_the_outbox(user: SimulatedUser):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    await on_board(user, 'dpupr', PASSWORD)
    await user.open('/admin/pengaturan/pesan-keluar')
    await user.should_see('Maaf, halaman pengaturan hanya dapat dibuka oleh supervisor.')
    await user.should_not_see(marker='outbox')


async def test_supervisor_gives_a_staff_member_an_email_and_a_wrong_one_is_explained(user: SimulatedUser):
    person = await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                                    full_name='Admin DPUPR')
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open(f'/admin/pengaturan/pengguna/{person.id}')
    user.find(marker='email').type('dpupr@wonosobo')
    user.find(marker='save').click()
    await user.should_see('Alamat email tidak valid.', retries=30)
    assert user.find(marker='email').elements.pop().value == 'dpupr@wonosobo'
    assert (await User.get(id=person.id)).email is None
    user.find(marker='email').clear()
    user.find(marker='email').type('dpupr@wonosobokab.go.id')
    user.find(marker='save').click()
    await user.should_see('Perubahan tersimpan.', retries=30)
    assert (await User.get(id=person.id)).email == 'dpupr@wonosobokab.go.id'
    await user.open('/admin/pengaturan/pengguna')
    await user.should_see('dpupr@wonosobokab.go.id')


async def test_a_partner_may_ask_for_news_for_the_reporter_through_open311(user: SimulatedUser):
    _, key = await apikeys.create(name='mitra-kabar')
    fields = {'api_key': key, 'service_code': 'JALAN', 'phone': '0813 2222 3333', 'lat': '-7.36', 'long': '109.9',
              'description': 'Jalan di depan Pasar Induk Wonosobo berlubang dalam, dua motor jatuh minggu ini.'}
    codes = []
    for notify in ('true', None):
        answer = await user.http_client.post('/open311/v2/requests.json',
                                             data={**fields, **({'notify': notify} if notify else {})})
        assert answer.status_code == 200, answer.text
        codes.append(answer.json()[0]['service_request_id'])
    assert [(await Complaint.get(code=code)).notify_reporter for code in codes] == [True, False]
    assert await OutboxMessage.filter(code=codes[0], address='6281322223333').exists()
