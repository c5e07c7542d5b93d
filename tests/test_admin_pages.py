"""Staff pages through NiceGUI's simulated users: login, lockout, the live board, the complaint page."""

import asyncio

import pytest
from nicegui.testing import User

from models import AccessLog
from pages import session
from services import auth
from services.complaints import Privacy
from tests import factories
from tests.staff import ADMIN_PASSWORD, PASSWORD, login, on_board


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, 'throttle', auth.LoginThrottle())


async def test_board_needs_a_login_and_a_wrong_password_says_so(user: User):
    await user.open('/admin')
    await user.should_see(marker='login')
    await login(user, 'admin', 'salah-sandi')
    await user.should_see('Nama pengguna atau kata sandi salah.', retries=30)
    await on_board(user, 'admin', ADMIN_PASSWORD)


async def test_ten_failures_lock_the_username(user: User, monkeypatch):
    async def no_sleep(_seconds):
        return None
    monkeypatch.setattr(auth, '_pause', no_sleep)
    for _ in range(10):
        await login(user, 'admin', 'salah-sandi')
        error = user.find(marker='login-error').elements.pop()
        await factories.eventually(lambda error=error: 'salah.' in error.text)
    await login(user, 'admin', ADMIN_PASSWORD)
    await user.should_see('Terlalu banyak percobaan masuk yang gagal', retries=30)


async def test_submitted_complaint_appears_on_an_open_board(user: User, create_user):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    await on_board(user, 'dpupr')
    citizen = create_user()  # a second browser: the citizen sends it through the submit page
    await citizen.open('/')
    for marker, value in {'category': await factories.category_id('JALAN'), 'title': 'Aduan dari warga lain',
                          'description': 'Jalan di depan pasar Kertek berlubang besar dan membahayakan pengendara.',
                          'district': await factories.district_id('Kertek'), 'village': 'Kertek',
                          'reporter_name': 'Budi Santoso', 'reporter_phone': '+62 812 1111 2222',
                          'consent': True}.items():
        citizen.find(marker=marker).elements.pop().value = value
    citizen.find(marker='submit').click()
    await citizen.should_see(marker='code', retries=30)
    code = citizen.find(marker='code').elements.pop().text
    await user.should_see(code, retries=20)
    await user.should_see('Aduan dari warga lain')


async def test_opd_admin_gets_not_found_for_another_opds_complaint(user: User):
    await auth.create_user(username='dinkes', password=PASSWORD, role='opd_admin', agency_code='DINKES')
    result = await factories.submit()
    await on_board(user, 'dinkes')
    await user.open(f'/admin/aduan/{result.code}')
    await user.should_see('Aduan tidak ditemukan')
    await user.should_not_see(result.view.title)


async def test_admin_responds_and_contact_opening_is_logged(user: User):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    result = await factories.submit(privacy=Privacy.RAHASIA)
    await on_board(user, 'dpupr')
    await user.open(f'/admin/aduan/{result.code}')
    await user.should_see('Lubang besar di tengah jalan')
    user.find(marker='show-contact').click()
    await user.should_see('0812-3456-7890', retries=30)
    assert {r.what for r in await AccessLog.all()} == {'rahasia', 'contact'}
    user.find(marker='message').type('Tim kami akan meninjau lokasi besok pagi.')
    user.find(marker='action-respond').click()
    await user.should_see('Sudah direspons', retries=20)


async def test_two_admins_racing_the_second_is_told_and_keeps_the_text(user: User, create_user):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    result = await factories.submit()
    other = create_user()
    for person in (user, other):
        await on_board(person, 'dpupr' if person is user else 'admin', PASSWORD if person is user else ADMIN_PASSWORD)
        await person.open(f'/admin/aduan/{result.code}')
    other.find(marker='message').type('Catatan yang sedang ditulis.')
    user.find(marker='message').type('Respons pertama.')
    user.find(marker='action-respond').click()
    await other.should_see('baru saja diubah oleh dpupr', retries=20)
    await other.should_see('Respons pertama.')
    assert other.find(marker='message').elements.pop().value == 'Catatan yang sedang ditulis.'


async def test_a_second_admin_lands_on_their_own_pages_whatever_the_first_ones_page_does(user: User, create_user,
                                                                                          monkeypatch):
    """The first admin is read just before each of the second's redirects, as the first one's page does when
    it sends an update (the CI failure NiceGUI's simulated users caused; tests/conftest.py routes by page)."""
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    await on_board(user, 'admin', ADMIN_PASSWORD)
    real_login, current_actor = auth.login, session.current_actor

    async def login_while_the_first_page_sends(**kwargs):
        actor = await real_login(**kwargs)
        user.back_history  # noqa: B018  (what the first page's outbox does when it sends)
        return actor

    async def signed_out_while_the_first_page_sends():
        actor = await current_actor()
        user.back_history  # noqa: B018
        return actor
    monkeypatch.setattr(auth, 'login', login_while_the_first_page_sends)
    monkeypatch.setattr(session, 'current_actor', signed_out_while_the_first_page_sends)
    other = create_user()
    await other.open('/admin')  # signed out: sent to the login page while the board is being built
    await other.should_see(marker='login', retries=30)
    await login(other, 'dpupr')
    await other.should_see('dpupr (Admin OPD)', retries=30)
    await other.should_see(marker='queue')
    await user.should_see('Supervisor Diskominfo (Supervisor)')  # the first admin stayed where they were


def _codes(user: User) -> list[str]:
    return [row['code'] for row in user.find(marker='queue').elements.pop().rows]


async def test_board_filters_narrow_the_queue_and_its_counters(user: User):
    road = await factories.submit(title='Jalan berlubang di Kertek')
    light = await factories.submit(title='Lampu jalan mati di Wonosobo',
                                   district_id=await factories.district_id('Wonosobo'))
    other = await factories.submit(title='Saluran air tersumbat', category_id=await factories.category_id('JEMBATAN'))
    await on_board(user, 'admin', ADMIN_PASSWORD)
    assert set(_codes(user)) == {road.code, light.code, other.code}
    counters = user.find(marker='counters').elements.pop()
    assert 'Aman: <b>3</b>' in counters.content

    district = user.find(marker='filter-district').elements.pop()
    district.value = await factories.district_id('Wonosobo')
    await factories.eventually(lambda: _codes(user) == [light.code])
    await user.should_see('Halaman 1 dari 1 · 1 aduan')
    await factories.eventually(lambda: 'Aman: <b>1</b>' in counters.content)
    district.value = None
    category = user.find(marker='filter-category').elements.pop()
    category.value = await factories.category_id('JEMBATAN')
    await factories.eventually(lambda: _codes(user) == [other.code])
    category.value = None
    user.find(marker='filter-text').type('lampu')
    await factories.eventually(lambda: _codes(user) == [light.code])
    user.find(marker='filter-text').clear()
    await factories.eventually(lambda: len(_codes(user)) == 3)
    user.find(marker='filter-sla').elements.pop().value = 'breached'
    await factories.eventually(lambda: _codes(user) == [])
    await user.should_see('Halaman 1 dari 1 · 0 aduan')


async def test_counters_and_total_follow_a_new_complaint_within_two_seconds(user: User):
    """No reload and no call from the test: the app's one timer brings the counters and the pager's total
    level with the row that appeared at once."""
    await factories.submit(title='Jalan berlubang di Kertek')
    await on_board(user, 'admin', ADMIN_PASSWORD)
    counters = user.find(marker='counters').elements.pop()
    assert 'Aman: <b>1</b>' in counters.content
    await user.should_see('Halaman 1 dari 1 · 1 aduan')

    await factories.submit(title='Lampu jalan mati di Wonosobo')
    await user.should_see('Lampu jalan mati di Wonosobo', retries=20)  # the row, at once
    await factories.eventually(lambda: 'Aman: <b>2</b>' in counters.content, timeout=2.0)
    await factories.eventually(lambda: _pager(user) == 'Halaman 1 dari 1 · 2 aduan', timeout=0.5)


async def test_a_filtered_boards_total_follows_changes_too(user: User):
    """The total comes from the counters' reading (by status, by SLA state), so the filter must pick the right one."""
    await on_board(user, 'admin', ADMIN_PASSWORD)
    user.find(marker='filter-status').elements.pop().value = 'didisposisikan'
    await user.should_see('Halaman 1 dari 1 · 0 aduan', retries=30)
    await factories.submit(title='Jalan berlubang di Kertek')  # routed to DPUPR: didisposisikan
    await factories.submit(title='Aduan lain-lain', category_id=await factories.category_id('LAINNYA'))  # baru
    await factories.eventually(lambda: _pager(user) == 'Halaman 1 dari 1 · 1 aduan', timeout=2.5)
    await asyncio.sleep(1.2)  # another tick: the baru one still does not count
    assert _pager(user) == 'Halaman 1 dari 1 · 1 aduan'


async def test_boards_of_one_scope_share_one_reading_of_the_counters_per_change(user: User, create_user,
                                                                                  monkeypatch):
    from services import board  # noqa: PLC0415

    await auth.create_user(username='kominfo', password=PASSWORD, role='supervisor')
    other = create_user()
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await on_board(other, 'kominfo')
    readings = []
    counters = board.counters

    async def counted(actor, filters):
        readings.append(actor.name)
        return await counters(actor, filters)
    monkeypatch.setattr(board, 'counters', counted)
    await factories.submit(title='Lampu jalan mati di Wonosobo')
    for person in (user, other):
        await factories.eventually(lambda person=person: _pager(person).endswith(' 1 aduan'), timeout=2.5)
    assert len(readings) == 1  # two boards of one scope and the same filters, one change: one reading


def _pager(user: User) -> str:
    return user.find(marker='queue').elements.pop().pager_text


async def test_board_pages_through_the_queue(user: User, monkeypatch):
    from services import board  # noqa: PLC0415

    monkeypatch.setattr(board, 'PAGE_SIZE', 2)
    for n in range(3):
        await factories.submit(title=f'Jalan berlubang nomor {n}')
    await login(user, 'admin', ADMIN_PASSWORD)
    await user.should_see('Halaman 1 dari 2 · 3 aduan', retries=30)
    assert len(_codes(user)) == 2
    first_page = set(_codes(user))
    user.find(marker='queue').trigger('turn', 1)
    await user.should_see('Halaman 2 dari 2 · 3 aduan')
    assert len(_codes(user)) == 1 and not set(_codes(user)) & first_page
    user.find(marker='queue').trigger('turn', 1)  # past the last page (a tampered browser): stays on the last
    await user.should_see('Halaman 2 dari 2 · 3 aduan')
    user.find(marker='queue').trigger('turn', -1)
    await user.should_see('Halaman 1 dari 2 · 3 aduan')
    assert set(_codes(user)) == first_page


async def test_hand_back_by_an_opd_admin_confirms_and_returns_to_the_board(user: User, caplog):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    result = await factories.submit()
    await on_board(user, 'dpupr')
    await user.open(f'/admin/aduan/{result.code}')
    user.find(marker='message').type('Jalan ini jalan provinsi, bukan kewenangan kabupaten.')
    user.find(marker='action-hand_back').click()
    await user.should_see(f'Aduan {result.code} dikembalikan ke Diskominfo untuk diteruskan.', retries=30)
    await user.should_see(marker='queue')
    assert result.code not in _codes(user)  # no longer in this OPD's queue
    assert not [r for r in caplog.records if r.exc_info], 'no traceback'


async def test_a_viewer_sees_rahasia_complaints_without_their_content(user: User):
    await auth.create_user(username='bupati', password=PASSWORD, role='viewer')
    secret = await factories.submit(privacy=Privacy.RAHASIA, title='Pungutan liar di kantor desa',
                                    description='Kepala urusan meminta uang untuk surat keterangan, bukti ada.')
    public = await factories.submit(title='Lampu jalan mati di Kertek')
    await on_board(user, 'bupati')
    await user.should_see(secret.code)
    await user.should_see('Lampu jalan mati di Kertek')
    await user.should_not_see('Pungutan liar')
    user.find(marker='filter-text').type('pungutan')  # searching does not tell what it says either
    await user.should_not_see(secret.code, retries=30)
    later = await factories.submit(privacy=Privacy.RAHASIA, title='Guru meminta uang ujian')
    await user.open('/admin')
    await user.should_see(later.code, retries=30)
    await user.should_not_see('Guru meminta uang ujian')
    await user.open(f'/admin/aduan/{secret.code}')
    await user.should_see('Isi aduan rahasia hanya dapat dibaca oleh OPD yang menanganinya dan Diskominfo.')
    await user.should_not_see('Pungutan liar')
    await user.should_not_see('Kepala urusan')
    assert not await AccessLog.filter(what='rahasia').exists()  # nothing rahasia was opened
    assert public.code


async def test_a_fresh_install_offers_response_templates_for_everyone_and_the_complaints_opd(user: User):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    result = await factories.submit()  # a road complaint: DPUPR's
    await on_board(user, 'dpupr')
    await user.open(f'/admin/aduan/{result.code}')
    offered = list(user.find(marker='template').elements.pop().options)
    assert 'Respons awal: aduan diterima, lokasi akan dicek' in offered
    assert 'Selesai: masalah sudah ditangani' in offered
    assert 'Jalan rusak: masuk jadwal perbaikan' in offered
    assert 'Layanan kesehatan: diteruskan ke puskesmas' not in offered  # Dinkes's own, not DPUPR's
    user.find(marker='template').elements.pop().value = 'Jalan rusak: masuk jadwal perbaikan'
    assert 'Tim DPUPR sudah meninjau' in user.find(marker='message').elements.pop().value


async def test_templates_are_seeded_once_and_a_deactivated_one_stays_off_after_a_restart(user: User):
    from models import ResponseTemplate  # noqa: PLC0415  (only this test reads the table itself)
    from services import seed  # noqa: PLC0415

    await user.open('/')  # the app has started: its database is seeded
    seeded = await ResponseTemplate.all().count()
    assert seeded == len(seed.RESPONSE_TEMPLATES)
    await ResponseTemplate.all().update(active=False)  # a supervisor switched every one off
    await seed.seed_reference_data()  # the next start
    assert await ResponseTemplate.all().count() == seeded
    assert not await ResponseTemplate.filter(active=True).exists()


async def test_staff_see_the_reporters_gps_point_as_a_map_link(user: User):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    with_point = await factories.submit(latitude=-7.3604, longitude=109.9027)
    without = await factories.submit(title='Lampu jalan mati di Kertek')
    await on_board(user, 'dpupr')
    await user.open(f'/admin/aduan/{with_point.code}')
    link = user.find(marker='map-link').elements.pop()
    assert 'href="geo:-7.360400,109.902700?q=-7.360400,109.902700"' in link.content
    assert 'openstreetmap.org/?mlat=-7.360400&amp;mlon=109.902700' in link.content
    await user.open(f'/admin/aduan/{without.code}')
    assert user.find(marker='map-link').elements.pop().content == ''


async def test_a_viewer_gets_no_map_link_for_a_rahasia_complaint(user: User):
    await auth.create_user(username='bupati', password=PASSWORD, role='viewer')
    secret = await factories.submit(privacy=Privacy.RAHASIA, latitude=-7.3604, longitude=109.9027)
    await on_board(user, 'bupati')
    await user.open(f'/admin/aduan/{secret.code}')
    await user.should_see('Isi aduan rahasia hanya dapat dibaca')
    assert user.find(marker='map-link').elements.pop().content == ''
    assert '109.9' not in str([e._to_dict() for e in user.client.elements.values()])
