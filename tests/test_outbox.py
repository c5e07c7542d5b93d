"""The outbox against real receivers on loopback: every message arrives once, whatever the receivers do."""

import asyncio
import secrets
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from models import Complaint, Notification, OutboxAttempt, OutboxMessage, OutboxStatus, Recipient, Transport, User
from services import admin_settings, auth, clock, events, notifications, outbox, senders, workflow, writes
from services.settings import settings
from services.workflow import Action
from tests import factories, lifecycle
from tests.receivers import Gateway, Mailbox
from tests.staff import PASSWORD

pytestmark = pytest.mark.usefixtures('database')


@pytest.fixture(autouse=True)
def _still_clock():
    clock.freeze(datetime.now(UTC))  # each step of a test happens at a moment it names


@pytest.fixture
def mailbox():
    box = Mailbox().up()
    yield box
    box.down()


@pytest.fixture
def gateway():
    receiver = Gateway().up()
    yield receiver
    receiver.down()


@pytest.fixture
def senders_on(monkeypatch, mailbox, gateway):
    """Both senders pointed at the loopback receivers, with short timeouts."""
    for name, value in {'smtp_host': '127.0.0.1', 'smtp_port': mailbox.port, 'smtp_starttls': False,
                        'smtp_from': 'lapor@wonosobokab.go.id', 'sms_webhook_url': gateway.url,
                        'sms_webhook_secret': 'rahasia-gerbang', 'outbox_timeout': 2.0}.items():
        monkeypatch.setattr(settings, name, value)
    return mailbox, gateway


async def _reported(**overrides):
    """A complaint whose reporter asked for news by SMS and email."""
    return await factories.submit(notify_reporter=True, reporter_email='siti@contoh.id', **overrides)


async def _all_due() -> outbox.Delivery:
    """Passes of the worker until nothing is claimed."""
    total = Counter()
    while (done := await outbox.deliver_due()).claimed:
        total.update({'claimed': done.claimed, 'sent': done.sent, 'retrying': done.retrying, 'failed': done.failed,
                      'lost': done.lost, 'released': done.released})
    return outbox.Delivery(**total)


async def test_a_new_complaint_queues_the_reporters_sms_and_email_and_the_opds_notices():
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                           email='dpupr@wonosobokab.go.id')
    await auth.create_user(username='dpupr2', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    result = await _reported()
    messages = await OutboxMessage.all().order_by('id')
    assert [(m.recipient, m.transport, m.address) for m in messages] == [
        (Recipient.REPORTER, Transport.WEBHOOK, '6281234567890'),
        (Recipient.REPORTER, Transport.EMAIL, 'siti@contoh.id'),
        (Recipient.STAFF, Transport.EMAIL, 'dpupr@wonosobokab.go.id'),
    ]
    assert all(m.status == OutboxStatus.PENDING and m.code == result.code for m in messages)
    assert f'{settings.public_url}/lacak/{result.code}' in messages[0].body
    notices = await Notification.all().prefetch_related('user')
    assert sorted(n.user.username for n in notices) == ['dpupr', 'dpupr2']
    assert all(n.complaint_id == messages[0].complaint_id for n in notices)


async def test_no_news_for_a_reporter_who_did_not_ask():
    await factories.submit(reporter_email='siti@contoh.id')
    assert not await OutboxMessage.filter(recipient=Recipient.REPORTER).exists()


async def test_a_rolled_back_change_leaves_no_message_and_tells_no_bell():
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                           email='dpupr@wonosobokab.go.id')
    result = await _reported()
    complaint = await Complaint.get(code=result.code)
    await OutboxMessage.all().delete()
    told: list[frozenset[int]] = []
    events.staff_notified.subscribe(told.append)
    try:
        with pytest.raises(ZeroDivisionError):
            async with writes.transaction():
                await Complaint.filter(id=complaint.id).update(rating=5)
                await outbox.announce(complaint.id, 'add_info', message='Foto tambahan')
                assert await OutboxMessage.all().count() == 1  # written, inside the transaction
                assert await Notification.filter(kind='info_added').count() == 1
                1 / 0  # noqa: B018  (the change fails after its messages were written)
        assert await OutboxMessage.all().count() == 0
        assert await Notification.filter(kind='info_added').count() == 0
        assert (await Complaint.get(id=complaint.id)).rating is None
        await asyncio.sleep(0)
        assert told == []

        async with writes.transaction():
            await outbox.announce(complaint.id, 'add_info', message='Foto tambahan')
            await asyncio.sleep(0)
            assert told == []  # not before the commit
        assert told == [frozenset(await User.filter(username='dpupr').values_list('id', flat=True))]
        assert await OutboxMessage.all().count() == 1
    finally:
        events.staff_notified.unsubscribe(told.append)


async def test_enqueue_outside_a_transaction_is_refused():
    draft = outbox.Draft(Recipient.STAFF, Transport.EMAIL, 'a@contoh.id', 'isi')
    with pytest.raises(RuntimeError):
        await outbox.enqueue([draft])
    assert not await OutboxMessage.exists()


async def test_nothing_is_sent_while_no_sender_is_set_up():
    await _reported()
    assert senders.configured() == frozenset()
    assert await outbox.deliver_due() == outbox.Delivery()
    assert await OutboxMessage.filter(status=OutboxStatus.PENDING).count() == 2
    assert not await OutboxMessage.filter(lease_owner__not_isnull=True).exists()


async def test_every_message_arrives_exactly_once_with_the_receivers_down_for_a_while(senders_on):
    mailbox, gateway = senders_on
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                           email='dpupr@wonosobokab.go.id')
    mailbox.down()
    gateway.down()
    for n in range(6):
        await _reported(title=f'Aduan nomor {n}')
    queued = await OutboxMessage.all().count()
    assert queued == 18  # an SMS and an email to each reporter, an email to the OPD's admin

    # Each pass tries the next email only, the rest wait for a later pass untried; the reporter's phone (the same
    # for all six) gets one try, and its five later SMS wait behind that one, untried, so they keep their order
    first = await _all_due()
    assert (first.sent, first.retrying, first.claimed - first.released) == (0, 13, 13)
    errors = set(await OutboxMessage.filter(attempts=1).values_list('last_error', flat=True))
    assert all(e and (e.startswith('SMTP: ') or e.startswith('Webhook: ')) for e in errors), errors
    clock.advance(timedelta(seconds=30))
    assert (await _all_due()).claimed == 0  # the next try is a minute after the first

    mailbox.up()
    gateway.up()
    clock.advance(timedelta(seconds=31))
    second = await _all_due()
    assert (second.claimed, second.sent) == (18, 18)
    clock.advance(timedelta(days=3))
    assert (await _all_due()).claimed == 0  # a sent message is never claimed again

    sms_ids = [m.id for m in await OutboxMessage.filter(transport=Transport.WEBHOOK)]
    assert sorted(gateway.ids()) == sorted(sms_ids)  # each SMS once
    assert set(gateway.secrets) == {'rahasia-gerbang'}
    assert Counter(mailbox.ids()).most_common(1)[0][1] == 1  # no email twice
    assert len(mailbox.messages) == 12
    assert len(mailbox.to('siti@contoh.id')) == 6 and len(mailbox.to('dpupr@wonosobokab.go.id')) == 6
    rows = await OutboxMessage.all()
    assert all(m.status == OutboxStatus.SENT and m.sent_at == clock.now() - timedelta(days=3)
               and m.last_error is None and m.lease_owner is None for m in rows)
    assert sorted(m.attempts for m in rows) == [1] * 5 + [2] * 13
    tries = await OutboxAttempt.all().order_by('id').values_list('message_id', 'ok')
    assert Counter(ok for _, ok in tries) == {False: 13, True: 18}


async def test_the_webhook_body_is_as_documented(senders_on):
    _, gateway = senders_on
    result = await _reported()
    await _all_due()
    (body,) = gateway.received
    message = await OutboxMessage.get(transport=Transport.WEBHOOK)
    assert body == {'to': '6281234567890', 'text': message.body, 'code': result.code, 'id': message.id}


async def test_a_gateway_answering_an_error_is_retried_and_its_answer_recorded(senders_on):
    _, gateway = senders_on
    gateway.status = 503
    await _reported()
    assert (await _all_due()).retrying == 2 - 1  # the email went; the SMS did not
    message = await OutboxMessage.get(transport=Transport.WEBHOOK)
    assert message.status == OutboxStatus.PENDING and message.last_error.startswith('Webhook: jawaban HTTP 503')
    assert message.next_attempt_at == clock.now() + timedelta(minutes=1)


async def test_the_back_off_then_failure(senders_on):
    _, gateway = senders_on
    gateway.down()
    await _reported()
    await OutboxMessage.filter(transport=Transport.EMAIL).delete()
    waits = []
    for _ in range(5):
        before = clock.now()
        assert (await _all_due()).claimed == 1
        message = await OutboxMessage.get()
        if message.status == OutboxStatus.PENDING:
            waits.append(message.next_attempt_at - before)
            clock.advance(message.next_attempt_at - clock.now())
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
    assert message.status == OutboxStatus.FAILED and message.attempts == 5
    assert message.last_error.startswith('Webhook: ')
    assert await OutboxAttempt.filter(message_id=message.id, ok=False).count() == 5
    gateway.up()
    clock.advance(timedelta(days=1))
    assert (await _all_due()).claimed == 0  # failed stays failed until a supervisor sends it again
    assert gateway.received == []


async def test_a_message_whose_worker_died_is_sent_after_its_lease_runs_out(senders_on):
    _, gateway = senders_on
    await _reported()
    await OutboxMessage.filter(transport=Transport.EMAIL).delete()
    # A worker claims the message, then dies before sending it
    dead = await outbox._claim('dead-worker:1', frozenset(Transport), limit=10, lease=outbox.LEASE)
    assert len(dead) == 1
    assert (await _all_due()).claimed == 0  # its lease still holds
    clock.advance(outbox.LEASE - timedelta(seconds=1))
    assert (await _all_due()).claimed == 0
    clock.advance(timedelta(seconds=1))
    assert (await _all_due()).sent == 1
    assert gateway.ids() == [dead[0].id]
    # The dead worker comes back and reports its try: the message stays sent, once
    assert await outbox._record(dead[0], 'dead-worker:1', None, outbox.BACKOFF) == 'lost'
    message = await OutboxMessage.get()
    assert message.status == OutboxStatus.SENT and message.attempts == 1
    clock.advance(timedelta(hours=3))
    assert (await _all_due()).claimed == 0
    assert len(gateway.received) == 1


async def test_two_workers_at_once_never_send_the_same_message(senders_on):
    mailbox, gateway = senders_on
    for n in range(10):
        await _reported(title=f'Aduan nomor {n}')
    done = await asyncio.gather(*(outbox.deliver_due(owner=f'worker-{n}', limit=7) for n in range(4)))
    while (more := await outbox.deliver_due()).claimed:
        done.append(more)
    assert sum(d.claimed for d in done) == sum(d.sent for d in done) == 20
    assert sorted(gateway.ids()) == sorted(await OutboxMessage.filter(transport=Transport.WEBHOOK).values_list(
        'id', flat=True))
    assert len(mailbox.messages) == len(set(mailbox.ids())) == 10


async def test_no_pin_in_any_message_and_no_content_of_a_rahasia_complaint(senders_on):
    mailbox, gateway = senders_on
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                           email='dpupr@wonosobokab.go.id')
    await auth.create_user(username='spv', password=PASSWORD, role='supervisor', email='spv@wonosobokab.go.id')
    secret_words = ('Kalibeber', 'pungutan liar', 'Pak Lurah', 'Apakah Anda melihatnya')
    result = await _reported(privacy='rahasia', title='Pungutan liar di Kalibeber',
                             description='Pak Lurah meminta uang untuk surat pindah, pungutan liar tiap minggu.')
    public = await _reported(title='Lampu jalan mati di Sapuran')
    complaint = await Complaint.get(code=result.code)
    async with writes.transaction():
        for move, said in (('dispatch', ''), ('respond', 'Kami cek pungutan liar itu.'),
                           ('wait', 'Apakah Anda melihatnya sendiri di Kalibeber?'), ('resolve', 'Pak Lurah ditegur.'),
                           ('add_info', 'Pak Lurah datang lagi'), ('reopen', 'pungutan liar masih ada'),
                           ('rate', 'Pak Lurah tetap'), ('hand_back', 'Kalibeber bukan wilayah kami'),
                           ('reject', 'pungutan liar bukan wewenang'), ('auto_close', '')):
            await outbox.announce(complaint, move, message=said, rating=1)
    await _all_due()
    rahasia = await OutboxMessage.filter(code=result.code)
    assert {m.move for m in rahasia} >= {'submitted', 'dispatch', 'respond', 'wait', 'resolve', 'add_info', 'reopen',
                                         'rate', 'hand_back', 'reject', 'auto_close'}
    texts = [m.body + m.subject for m in rahasia] + [n.message for n in await Notification.filter(
        complaint_id=complaint.id)] + [b['text'] for b in gateway.received] + \
        [str(m) for m in mailbox.messages if result.code in str(m['Subject'])]
    assert texts
    for text in texts:
        assert not any(word.lower() in text.lower() for word in secret_words), text
    everything = [m.body + m.subject for m in await OutboxMessage.all()] + [str(m) for m in mailbox.messages] + \
        [b['text'] for b in gateway.received]
    for pin in (result.pin, public.pin):
        assert not any(pin in text for text in everything)
    # The public complaint's own title does reach its OPD
    assert any('Lampu jalan mati di Sapuran' in m.body for m in await OutboxMessage.filter(code=public.code))


async def test_a_staff_members_own_move_gives_them_no_notice():
    admin = await auth.create_user(username='spv', password=PASSWORD, role='supervisor', email='spv@contoh.id')
    other = await auth.create_user(username='spv2', password=PASSWORD, role='supervisor')
    result = await factories.submit(category_id=await factories.category_id('LAINNYA'))
    async with writes.transaction():
        await outbox.announce(await Complaint.get(code=result.code), 'hand_back', message='bukan kami',
                              actor_user_id=admin.id)
    first = await User.get(username='admin')  # the supervisor every database starts with
    assert sorted(await Notification.filter(kind='handed_back').values_list('user_id', flat=True)) == [
        first.id, other.id]
    assert not await OutboxMessage.filter(address='spv@contoh.id').exists()


async def test_a_low_rating_tells_the_supervisors_and_a_good_one_does_not():
    await auth.create_user(username='spv', password=PASSWORD, role='supervisor', email='spv@contoh.id')
    result = await factories.submit()
    for stars in (5, 3, 2):
        async with writes.transaction():
            await Complaint.filter(code=result.code).update(rating=stars)
            await outbox.announce(await Complaint.get(code=result.code), 'rate', message='lambat')
    assert await Notification.filter(kind='low_rating').values_list('message', flat=True) == [
        f'{result.code} mendapat penilaian 2 dari 5: lambat'] * 2  # both supervisors: admin and spv
    assert await OutboxMessage.filter(move='rate').values_list('address', flat=True) == ['spv@contoh.id']


async def _as_reporter(result, action: str, **kwargs) -> None:
    await workflow.reporter_act(code_key=result.view.code_key, pin=result.pin, action=action,
                                request_key=secrets.token_urlsafe(18), **kwargs)


async def test_a_complaints_whole_life_reaches_its_reporter_and_staff_once_each(senders_on):
    mailbox, gateway = senders_on
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                           email='dpupr@wonosobokab.go.id')
    await User.filter(username='admin').update(email='spv@wonosobokab.go.id')
    notifications.forget_recipients()  # as admin_settings.update_user does
    result = await _reported()
    key = result.view.code_key
    await lifecycle.step(key, Action.RESPOND)
    await lifecycle.step(key, Action.NOTE, message='Catatan internal: cek dengan UPT.')
    await lifecycle.step(key, Action.WAIT, message='Di depan rumah nomor berapa tepatnya?')
    await _as_reporter(result, Action.ADD_INFO, message='Depan rumah nomor 12.')
    await lifecycle.step(key, Action.RESOLVE)
    await _as_reporter(result, Action.RATE, rating=2, message='Tambalannya sudah retak lagi.')
    await _as_reporter(result, Action.REOPEN, message='Tambalannya sudah retak lagi.')
    await lifecycle.step(key, Action.RESOLVE, message='Sudah ditambal ulang dengan aspal panas.')
    clock.advance(workflow.CLOSE_AFTER)
    await lifecycle.step(key, Action.AUTO_CLOSE)
    await _all_due()

    sms = [body['text'] for body in gateway.received]  # the note, and the reporter's own moves, say nothing
    expected = ('sudah kami terima.', 'sudah ditanggapi petugas.', 'petugas bertanya: "Di depan rumah nomor berapa '
                'tepatnya?"', 'sudah selesai ditangani.', 'sudah selesai ditangani.', 'sudah ditutup.')
    assert len(sms) == len(expected) and all(part in text for part, text in zip(expected, sms, strict=True)), sms
    assert all(result.code in text and text.endswith(f'/lacak/{result.code}') for text in sms)
    to_reporter = mailbox.subjects('siti@contoh.id')
    assert to_reporter == [f'Aduan {result.code} {end}' for end in (
        'diterima', 'ditanggapi petugas', 'menunggu jawaban Anda', 'selesai ditangani', 'selesai ditangani',
        'ditutup')]
    assert mailbox.subjects('dpupr@wonosobokab.go.id') == [
        f'{result.code}: aduan baru untuk DPUPR: Jalan berlubang di depan SD',
        f'{result.code}: pelapor menambahkan informasi: Depan rumah nomor 12.',
        f'{result.code} dibuka kembali oleh pelapor: Tambalannya sudah retak lagi.']
    assert mailbox.subjects('spv@wonosobokab.go.id') == [
        f'{result.code} mendapat penilaian 2 dari 5: Tambalannya sudah retak lagi.']
    assert len(set(mailbox.ids())) == len(mailbox.messages) == 10
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 16


async def test_an_email_given_to_a_staff_member_gets_the_next_notice():
    person = await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                                    full_name='Admin DPUPR')
    await factories.submit()
    assert not await OutboxMessage.filter(recipient=Recipient.STAFF).exists()
    supervisor = auth.actor_of(await User.get(username='admin'))
    await admin_settings.update_user(supervisor, user_id=person.id, full_name='Admin DPUPR', role='opd_admin',
                                     agency_id=person.agency_id, active=True, email='dpupr@wonosobokab.go.id')
    second = await factories.submit(title='Aduan berikutnya')
    assert await OutboxMessage.filter(recipient=Recipient.STAFF).values_list('address', 'code') == [
        ('dpupr@wonosobokab.go.id', second.code)]


async def test_a_receiver_that_fails_costs_one_try_per_pass_and_a_phones_messages_keep_their_order(senders_on):
    _, gateway = senders_on
    result = await _reported()
    for action in (Action.RESPOND, Action.WAIT):
        await lifecycle.step(result.view.code_key, action)
    await OutboxMessage.filter(transport=Transport.EMAIL).delete()  # the reporter's three SMS only
    gateway.status = 503
    done = await outbox.deliver_due()
    assert (done.claimed, done.retrying, done.released) == (3, 1, 2)  # the later two were not tried
    assert await OutboxAttempt.all().count() == 1
    gateway.status = 200
    clock.advance(timedelta(minutes=1))
    assert (await _all_due()).sent == 3
    texts = [body['text'] for body in gateway.received]
    assert len(texts) == 3
    assert 'sudah kami terima' in texts[0] and 'ditanggapi petugas' in texts[1] and 'bertanya' in texts[2]


async def test_a_worker_whose_lease_passed_to_another_does_not_send(senders_on):
    _, gateway = senders_on
    await _reported()
    await OutboxMessage.filter(transport=Transport.EMAIL).delete()
    slow = await outbox._claim('slow-worker:1', frozenset(Transport), limit=10, lease=outbox.LEASE)
    clock.advance(outbox.LEASE + timedelta(seconds=1))  # its batch took longer than the lease
    taken = await outbox._claim('other-worker:1', frozenset(Transport), limit=10, lease=outbox.LEASE)
    assert [m.id for m in taken] == [m.id for m in slow]
    # the slow worker reaches the message only now: its lease is gone, so it does not send it
    sender = senders.WebhookSender()
    try:
        assert await outbox._send_one(slow[0], 'slow-worker:1', outbox.BACKOFF, outbox.LEASE,
                                      webhook_sender=sender) == 'lost'
    finally:
        await sender.close()
    assert gateway.received == []
