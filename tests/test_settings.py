"""The supervisor's settings: services on a real database, then the pages through NiceGUI's simulated user."""

from datetime import timedelta

import pytest
from nicegui.testing import User as SimulatedUser

from models import AccessLog, Agency, Category, Complaint, ResponseTemplate, Role, SlaCalendar, SlaClock, User
from services import admin_settings, auth, clock, complaints, staff_view
from services.complaints import ClockKind, Privacy
from services.errors import DomainError, NotAllowed, ValidationFailed
from services.workflow import Actor
from tests import factories
from tests.staff import ADMIN_PASSWORD, PASSWORD, on_board

service = pytest.mark.usefixtures('database')


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, 'throttle', auth.LoginThrottle())


async def _supervisor() -> Actor:
    return auth.actor_of(await User.get(username='admin').select_related('agency'))


async def _staff(username: str, role: Role, agency_code: str | None = None) -> Actor:
    user = await auth.create_user(username=username, password=PASSWORD, role=role, agency_code=agency_code)
    return auth.actor_of(await User.get(id=user.id).select_related('agency'))


async def _agency_id(code: str) -> int:
    return (await Agency.get(code=code)).id


def _category_fields(**overrides) -> dict:
    fields = {'name': 'Gangguan sinyal', 'description': 'Menara, sinyal seluler, internet desa',
              'agency_id': None, 'first_response_minutes': 120, 'resolution_minutes': 7 * 24 * 60,
              'calendar': SlaCalendar.ROUND_THE_CLOCK, 'pause_when_waiting': False, 'active': True, 'sort_order': 50}
    fields.update(overrides)
    return fields


async def _snapshot() -> tuple:
    """Everything a settings call could change, to compare before and after a refusal."""
    return (await Agency.all().order_by('id').values_list('code', 'name', 'short_name', 'active'),
            await Category.all().order_by('id').values_list(
                'code', 'name', 'agency_id', 'first_response_minutes', 'resolution_minutes', 'calendar',
                'pause_when_waiting', 'active', 'sort_order'),
            await User.all().order_by('id').values_list('username', 'full_name', 'role', 'agency_id', 'active',
                                                        'password_hash'),
            await ResponseTemplate.all().order_by('id').values_list('title', 'body', 'agency_id', 'active'))


# --- Services ---

@service
@pytest.mark.parametrize('role', [Role.OPD_ADMIN, Role.OPERATOR, Role.VIEWER])
async def test_every_settings_call_refuses_anyone_but_a_supervisor_and_changes_nothing(role: Role):
    supervisor = await _supervisor()
    other = await _staff('petugas', role, 'DPUPR' if role == Role.OPD_ADMIN else None)
    category = await Category.get(code='JALAN')
    dpupr = await _agency_id('DPUPR')
    template = await admin_settings.save_template(supervisor, template_id=None, title='Terima kasih',
                                                  body='Terima kasih atas laporan Anda.', agency_id=None)
    before = await _snapshot()
    calls = [
        admin_settings.list_agencies(other),
        admin_settings.get_agency(other, dpupr),
        admin_settings.create_agency(other, code='BARU', name='Badan Baru', short_name='Baru'),
        admin_settings.update_agency(other, agency_id=dpupr, name='Diganti', short_name='X', active=False),
        admin_settings.list_categories(other),
        admin_settings.get_category(other, category.id),
        admin_settings.create_category(other, code='SINYAL', **_category_fields()),
        admin_settings.update_category(other, category_id=category.id, **_category_fields(active=False)),
        admin_settings.list_users(other),
        admin_settings.get_user(other, other.user_id),
        admin_settings.create_user(other, username='baru', full_name='Baru', role=Role.SUPERVISOR, agency_id=None,
                                   password=PASSWORD),
        admin_settings.update_user(other, user_id=other.user_id, full_name='Saya', role=Role.SUPERVISOR,
                                   agency_id=None, active=True),
        admin_settings.set_user_password(other, user_id=supervisor.user_id, password='sandi-baru-panjang'),
        admin_settings.list_templates(other),
        admin_settings.get_template(other, template.id),
        admin_settings.save_template(other, template_id=template.id, title='Diganti', body='Diganti.',
                                     agency_id=None, active=False),
        admin_settings.access_log(other),
    ]
    for call in calls:
        with pytest.raises(NotAllowed, match='Hanya supervisor'):
            await call
    assert await _snapshot() == before
    assert (await auth.login(username='admin', password=ADMIN_PASSWORD, address=None)).role == Role.SUPERVISOR


@service
async def test_category_input_is_checked_field_by_field_in_indonesian():
    supervisor = await _supervisor()
    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.create_category(supervisor, code='JALAN', **_category_fields(
            name='  ', first_response_minutes=0, resolution_minutes=None, sort_order=None))
    assert refused.value.errors == {
        'code': 'Kode "JALAN" sudah dipakai kategori lain.',
        'name': 'Isi nama kategori.',
        'first_response': 'Isi batas waktu respons awal dengan angka lebih dari nol.',
        'resolution': 'Isi batas waktu penyelesaian dengan angka lebih dari nol.',
        'sort_order': 'Isi urutan dengan angka 0 sampai 9999.',
    }
    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.create_category(supervisor, code='ada spasi', **_category_fields(
            first_response_minutes=3 * 24 * 60, resolution_minutes=24 * 60, calendar='kapan-saja'))
    assert refused.value.errors == {
        'code': 'Kode 2–32 karakter: huruf besar, angka atau garis bawah, tanpa spasi.',
        'first_response': 'Batas respons awal tidak boleh lebih lama dari batas penyelesaian.',
        'calendar': 'Pilih kalender: sepanjang waktu atau jam kerja.',
    }
    assert not await Category.exists(name='Gangguan sinyal')


@service
async def test_deactivated_category_leaves_the_submit_list_and_keeps_its_complaints():
    supervisor = await _supervisor()
    earlier = await factories.submit()
    jalan = await Category.get(code='JALAN')
    assert jalan.id in [i for i, _, _ in await complaints.active_categories()]  # now cached

    await admin_settings.update_category(supervisor, category_id=jalan.id, **_category_fields(
        name=jalan.name, agency_id=jalan.agency_id, active=False))

    assert jalan.id not in [i for i, _, _ in await complaints.active_categories()]  # the cache was dropped
    assert 'JALAN' not in [code for code, *_ in await complaints.categories_for_api()]
    with pytest.raises(ValidationFailed) as refused:
        await factories.submit(category_id=jalan.id)
    assert refused.value.errors == {'category': 'Pilih kategori aduan.'}
    kept = await Complaint.get(code=earlier.code)
    assert kept.category_id == jalan.id
    detail = await staff_view.detail(supervisor, earlier.view.code_key)
    assert detail.category == jalan.name


@service
async def test_new_sla_windows_apply_to_the_next_complaint_and_running_clocks_keep_their_deadlines():
    supervisor = await _supervisor()
    before = await factories.submit()
    jalan = await Category.get(code='JALAN')
    old_due = await SlaClock.filter(complaint__code=before.code).order_by('kind').values_list('kind', 'due_at')

    await admin_settings.update_category(supervisor, category_id=jalan.id, **_category_fields(
        name=jalan.name, agency_id=jalan.agency_id, first_response_minutes=30, resolution_minutes=3 * 24 * 60))
    after = await factories.submit(title='Aduan sesudah perubahan')

    assert await SlaClock.filter(complaint__code=before.code).order_by('kind').values_list(
        'kind', 'due_at') == old_due
    clocks = {c.kind: c for c in await SlaClock.filter(complaint__code=after.code)}
    assert clocks[ClockKind.FIRST_RESPONSE].due_at - clocks[ClockKind.FIRST_RESPONSE].started_at == timedelta(
        minutes=30)
    assert clocks[ClockKind.RESOLUTION].due_at - clocks[ClockKind.RESOLUTION].started_at == timedelta(days=3)


@service
async def test_a_new_category_is_offered_at_once_and_routes_its_complaints():
    supervisor = await _supervisor()
    created = await admin_settings.create_category(
        supervisor, code='sinyal', **_category_fields(agency_id=await _agency_id('DISKOMINFO'),
                                                      first_response_minutes=60, resolution_minutes=48 * 60,
                                                      calendar=SlaCalendar.WORKING_HOURS))
    assert created.code == 'SINYAL' and created.agency_name == 'Dinas Komunikasi dan Informatika'
    assert (created.id, 'Gangguan sinyal', 'Menara, sinyal seluler, internet desa') in \
        await complaints.active_categories()
    result = await factories.submit(category_id=created.id)
    assert result.view.agency_name == 'Dinas Komunikasi dan Informatika'
    first = await SlaClock.get(complaint__code=result.code, kind=ClockKind.FIRST_RESPONSE)
    category = await Category.get(id=created.id)
    assert category.calendar == SlaCalendar.WORKING_HOURS
    assert first.due_at == (await _working_deadline(category, first.started_at))


async def _working_deadline(category, start):
    from services import sla  # noqa: PLC0415

    return sla.deadlines(category, ClockKind.FIRST_RESPONSE, start)[1]


@service
async def test_an_opd_with_active_categories_stays_active_until_they_are_routed_elsewhere():
    supervisor = await _supervisor()
    pdam = await _agency_id('PDAM')
    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.update_agency(supervisor, agency_id=pdam, name='Perumda Air Minum Tirta Aji',
                                           short_name='PDAM Tirta Aji', active=False)
    assert refused.value.errors['active'].startswith('OPD ini masih menjadi tujuan kategori aktif: Air bersih (PDAM).')
    air = await Category.get(code='AIR')
    await admin_settings.update_category(supervisor, category_id=air.id, **_category_fields(
        name=air.name, agency_id=await _agency_id('DPUPR')))
    await admin_settings.update_agency(supervisor, agency_id=pdam, name='Perumda Air Minum Tirta Aji',
                                       short_name='PDAM', active=False)
    assert pdam not in [i for i, _ in await complaints.agencies()]
    with pytest.raises(ValidationFailed) as refused:  # nor is a category newly routed to it
        await admin_settings.update_category(supervisor, category_id=air.id, **_category_fields(
            name=air.name, agency_id=pdam))
    assert refused.value.errors == {
        'agency': 'Pilih OPD yang masih aktif, atau kosongkan agar aduan menunggu supervisor.'}


@service
async def test_agency_codes_are_unique_and_names_required():
    supervisor = await _supervisor()
    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.create_agency(supervisor, code='dinkes', name='', short_name='')
    assert refused.value.errors == {'code': 'Kode "DINKES" sudah dipakai OPD lain.', 'name': 'Isi nama OPD.',
                                    'short_name': 'Isi nama singkat OPD (tampil di papan dan linimasa).'}
    created = await admin_settings.create_agency(supervisor, code='bapperida', name='Badan Perencanaan',
                                                 short_name='Bapperida')
    assert created.code == 'BAPPERIDA'
    assert (created.id, 'Badan Perencanaan') in await complaints.agencies()


@service
async def test_supervisor_creates_an_opd_admin_who_can_log_in():
    supervisor = await _supervisor()
    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.create_user(supervisor, username='admin', full_name='', role=Role.OPD_ADMIN,
                                         agency_id=None, password='pendek')
    assert refused.value.errors == {
        'username': 'Nama pengguna "admin" sudah dipakai. Pilih nama lain.',
        'full_name': 'Isi nama lengkap (tampil di linimasa internal dan log akses).',
        'agency': 'Admin OPD harus terikat pada satu OPD yang aktif. Pilih OPD-nya.',
        'password': 'Kata sandi minimal 10 karakter.',
    }
    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.create_user(supervisor, username='a b', full_name='X', role='raja', agency_id=None,
                                         password=PASSWORD)
    assert set(refused.value.errors) == {'username', 'role'}
    assert await User.all().count() == 1

    created = await admin_settings.create_user(supervisor, username=' DLH.Admin ', full_name='Admin DLH',
                                               role=Role.OPD_ADMIN, agency_id=await _agency_id('DLH'),
                                               password=PASSWORD)
    assert (created.username, created.role, created.agency_name) == ('dlh.admin', Role.OPD_ADMIN, 'DLH')
    actor = await auth.login(username='dlh.admin', password=PASSWORD, address=None)
    assert actor.agency_id == await _agency_id('DLH')


@service
async def test_a_supervisor_changes_roles_deactivates_and_resets_passwords_but_never_locks_themselves_out():
    supervisor = await _supervisor()
    dpupr = await _staff('dpupr', Role.OPD_ADMIN, 'DPUPR')
    moved = await admin_settings.update_user(supervisor, user_id=dpupr.user_id, full_name='Admin Dinkes',
                                             role=Role.OPD_ADMIN, agency_id=await _agency_id('DINKES'), active=True)
    assert moved.agency_name == 'Dinkes'
    assert (await auth.actor(dpupr.user_id)).agency_name == 'Dinkes'
    viewer = await admin_settings.update_user(supervisor, user_id=dpupr.user_id, full_name='Pemantau',
                                              role=Role.VIEWER, agency_id=await _agency_id('DINKES'), active=True)
    assert (viewer.role, viewer.agency_id) == (Role.VIEWER, None)  # only OPD admins are bound to an OPD

    await admin_settings.update_user(supervisor, user_id=dpupr.user_id, full_name='Pemantau', role=Role.VIEWER,
                                     agency_id=None, active=False)
    assert await auth.actor(dpupr.user_id) is None
    with pytest.raises(DomainError, match='salah'):
        await auth.login(username='dpupr', password=PASSWORD, address=None)
    await admin_settings.update_user(supervisor, user_id=dpupr.user_id, full_name='Pemantau', role=Role.VIEWER,
                                     agency_id=None, active=True)

    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.set_user_password(supervisor, user_id=dpupr.user_id, password='123')
    assert refused.value.errors == {'password': 'Kata sandi minimal 10 karakter.'}
    await admin_settings.set_user_password(supervisor, user_id=dpupr.user_id, password='sandi-baru-sekali')
    assert (await auth.login(username='dpupr', password='sandi-baru-sekali', address=None)).role == Role.VIEWER

    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.update_user(supervisor, user_id=supervisor.user_id, full_name='Saya',
                                         role=Role.OPERATOR, agency_id=None, active=False)
    assert refused.value.errors == {'active': 'Anda tidak dapat menonaktifkan akun Anda sendiri.',
                                    'role': 'Anda tidak dapat mengubah peran Anda sendiri.'}
    assert (await auth.actor(supervisor.user_id)).role == Role.SUPERVISOR


@service
async def test_templates_for_one_opd_or_all_and_inactive_ones_are_no_longer_offered():
    supervisor = await _supervisor()
    await ResponseTemplate.all().delete()  # the seeded starting set aside: this is about the ones a supervisor writes
    dpupr = await _agency_id('DPUPR')
    with pytest.raises(ValidationFailed) as refused:
        await admin_settings.save_template(supervisor, template_id=None, title='', body=' ', agency_id=None)
    assert refused.value.errors == {'title': 'Isi judul templat.', 'body': 'Isi teks templat.'}
    everyone = await admin_settings.save_template(supervisor, template_id=None, title='Terima kasih',
                                                  body='Terima kasih, laporan Anda kami terima.', agency_id=None)
    roads = await admin_settings.save_template(supervisor, template_id=None, title='Survei lokasi',
                                               body='Tim kami akan meninjau lokasi.', agency_id=dpupr)
    assert roads.agency_name == 'DPUPR'
    assert await staff_view.templates(supervisor, dpupr) == [
        ('Survei lokasi', 'Tim kami akan meninjau lokasi.'),
        ('Terima kasih', 'Terima kasih, laporan Anda kami terima.')]
    assert await staff_view.templates(supervisor, await _agency_id('DINKES')) == [
        ('Terima kasih', 'Terima kasih, laporan Anda kami terima.')]
    await admin_settings.save_template(supervisor, template_id=everyone.id, title='Terima kasih',
                                       body='Terima kasih.', agency_id=None, active=False)
    assert await staff_view.templates(supervisor, dpupr) == [('Survei lokasi', 'Tim kami akan meninjau lokasi.')]


@service
async def test_access_log_is_paged_newest_first_and_filtered_by_username_and_code():
    supervisor = await _supervisor()
    dpupr = await _staff('dpupr', Role.OPD_ADMIN, 'DPUPR')
    first = await factories.submit(privacy=Privacy.RAHASIA)
    second = await factories.submit(title='Aduan kedua')
    await staff_view.detail(dpupr, first.view.code_key)  # opening a rahasia complaint is logged
    for _ in range(3):
        clock.advance(timedelta(minutes=1))
        await staff_view.contact(dpupr, second.view.code_key)
    clock.advance(timedelta(minutes=1))
    await staff_view.contact(supervisor, first.view.code_key)
    assert await AccessLog.all().count() == 5

    newest = await admin_settings.access_log(supervisor, page_size=2)
    assert [(e.username, e.complaint_code, e.what) for e in newest.entries] == [
        ('admin', first.code, 'contact'), ('dpupr', second.code, 'contact')]
    assert newest.has_next
    last = await admin_settings.access_log(supervisor, page=2, page_size=2)
    assert [(e.complaint_code, e.what) for e in last.entries] == [(first.code, 'rahasia')]
    assert not last.has_next

    by_user = await admin_settings.access_log(supervisor, username=' DPUPR ')
    assert [e.username for e in by_user.entries] == ['dpupr'] * 4
    both = await admin_settings.access_log(supervisor, username='dpupr', code=first.code.lower())
    assert [(e.complaint_code, e.what) for e in both.entries] == [(first.code, 'rahasia')]
    assert (await admin_settings.access_log(supervisor, username='tidak-ada')).entries == []
    assert (await admin_settings.access_log(supervisor, code='WSB-0000-0000')).entries == []


# --- Pages ---

def _set(user: SimulatedUser, marker: str, value) -> None:
    user.find(marker=marker).elements.pop().value = value


def _value(user: SimulatedUser, marker: str):
    return user.find(marker=marker).elements.pop().value


async def test_supervisor_edits_a_category_and_sees_it_saved(user: SimulatedUser):
    jalan = await Category.get(code='JALAN')
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan')
    await user.should_see('Kategori')
    await user.open('/admin/pengaturan/kategori')
    await user.should_see('Jalan rusak atau berlubang')
    await user.should_see('2 jam')
    await user.open(f'/admin/pengaturan/kategori/{jalan.id}')
    assert (_value(user, 'first-response'), _value(user, 'resolution'), _value(user, 'resolution-unit')) == (
        '2', '7', 'hari')
    _set(user, 'first-response', '1,5')
    _set(user, 'resolution', '36')
    _set(user, 'resolution-unit', 'jam')
    _set(user, 'calendar', SlaCalendar.WORKING_HOURS.value)
    user.find(marker='pause').click()
    user.find(marker='save').click()
    await user.should_see('Perubahan tersimpan.', retries=30)
    saved = await Category.get(id=jalan.id)
    assert (saved.first_response_minutes, saved.resolution_minutes, saved.calendar, saved.pause_when_waiting) == (
        90, 36 * 60, SlaCalendar.WORKING_HOURS, True)
    await user.open('/admin/pengaturan/kategori')
    await user.should_see('1 jam 30 menit')
    await user.should_see('1 hari 12 jam')


async def test_opd_admin_is_politely_refused_the_settings(user: SimulatedUser):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    await on_board(user, 'dpupr', PASSWORD)
    for path in ('/admin/pengaturan', '/admin/pengaturan/pengguna', '/admin/pengaturan/log-akses'):
        await user.open(path)
        await user.should_see('Maaf, halaman pengaturan hanya dapat dibuka oleh supervisor.')
        await user.should_not_see('admin (Supervisor')  # the user list is not shown
        await user.should_not_see(marker='access-log')


async def test_supervisor_creates_an_opd_admin_who_can_then_log_in(user: SimulatedUser, create_user):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan/pengguna/baru')
    user.find(marker='username').type('dinkes.admin')
    user.find(marker='full-name').type('Admin Dinas Kesehatan')
    _set(user, 'role', Role.OPD_ADMIN.value)
    _set(user, 'agency', await _agency_id('DINKES'))
    user.find(marker='password').type(PASSWORD)
    user.find(marker='save').click()
    await user.should_see('Tersimpan.', retries=30)
    await user.open('/admin/pengaturan/pengguna')
    await user.should_see('dinkes.admin')

    colleague = create_user()
    await on_board(colleague, 'dinkes.admin', PASSWORD)
    await colleague.should_see('Admin Dinas Kesehatan (Admin OPD)')


async def test_bad_input_is_explained_beside_the_field_and_the_typed_values_stay(user: SimulatedUser):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan/pengguna/baru')
    user.find(marker='username').type('admin')
    user.find(marker='full-name').type('Petugas Baru')
    _set(user, 'role', Role.OPD_ADMIN.value)
    user.find(marker='password').type('pendek')
    user.find(marker='save').click()
    await user.should_see('Nama pengguna "admin" sudah dipakai. Pilih nama lain.', retries=30)
    await user.should_see('Admin OPD harus terikat pada satu OPD yang aktif. Pilih OPD-nya.')
    await user.should_see('Kata sandi minimal 10 karakter.')
    await user.should_see('Mohon periksa kembali isian yang ditandai.')
    assert (_value(user, 'username'), _value(user, 'full-name'), _value(user, 'password')) == (
        'admin', 'Petugas Baru', 'pendek')
    assert await User.all().count() == 1

    jalan = await Category.get(code='JALAN')
    await user.open(f'/admin/pengaturan/kategori/{jalan.id}')
    _set(user, 'first-response', 'dua jam')
    _set(user, 'name', 'Jalan dan trotoar rusak')
    user.find(marker='save').click()
    await user.should_see('Isi batas waktu respons awal dengan angka lebih dari nol.', retries=30)
    assert (_value(user, 'first-response'), _value(user, 'name')) == ('dua jam', 'Jalan dan trotoar rusak')
    assert (await Category.get(id=jalan.id)).name == 'Jalan rusak atau berlubang'


async def test_access_log_page_shows_who_opened_what_with_a_link_and_filters(user: SimulatedUser):
    dpupr = await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    first = await factories.submit()
    second = await factories.submit(title='Aduan kedua')
    await staff_view.contact(auth.actor_of(await User.get(id=dpupr.id).select_related('agency')),
                             first.view.code_key)
    await staff_view.contact(auth.actor_of(await User.get(username='admin')), second.view.code_key)
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan/log-akses')
    log = user.find(marker='access-log').elements.pop()
    assert f'<a href="/admin/aduan/{first.code}">{first.code}</a>' in log.content
    assert 'data kontak' in log.content and 'dpupr' in log.content
    assert log.content.index(second.code) < log.content.index(first.code)  # newest first

    user.find(marker='filter-username').type('dpupr')
    user.find(marker='filter').click()
    await factories.eventually(lambda: second.code not in log.content)
    assert first.code in log.content
    user.find(marker='filter-username').clear()
    user.find(marker='filter-code').type(second.code)
    user.find(marker='filter').click()
    await factories.eventually(lambda: first.code not in log.content)
    assert second.code in log.content


async def test_supervisor_adds_an_opd_and_a_template_for_it_which_its_complaints_then_offer(user: SimulatedUser):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await ResponseTemplate.all().delete()  # the seeded starting set aside: this is about the one written here
    await user.open('/admin/pengaturan/opd/baru')
    user.find(marker='code').type('dishub')
    user.find(marker='name').type('Dinas Perhubungan')
    user.find(marker='short-name').type('Dishub')
    user.find(marker='save').click()
    await user.should_see('Tersimpan.', retries=30)
    dishub = await Agency.get(code='DISHUB')
    assert (dishub.name, dishub.short_name, dishub.active) == ('Dinas Perhubungan', 'Dishub', True)

    await user.open('/admin/pengaturan/templat/baru')
    user.find(marker='title').type('Rambu diperbaiki')
    _set(user, 'body', 'Rambu yang Anda laporkan sudah kami pasang kembali.')
    _set(user, 'agency', dishub.id)
    user.find(marker='save').click()
    await user.should_see('Tersimpan.', retries=30)
    await user.open('/admin/pengaturan/templat')
    await user.should_see('Rambu diperbaiki')
    supervisor = await _supervisor()
    assert await staff_view.templates(supervisor, dishub.id) == [
        ('Rambu diperbaiki', 'Rambu yang Anda laporkan sudah kami pasang kembali.')]
