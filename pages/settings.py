"""The supervisor's settings, ``/admin/pengaturan``: OPDs, categories, staff, response templates, access log,
the outbox.

Each area is a list (one HTML table, linking to each row's form) and a form page per row, with
``baru`` for a new one. Errors show beside their field and the form keeps what was typed.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from nicegui import ui

from components.design import escape, wib
from components.fields import select, text_input
from components.frame import admin_frame
from services import admin_settings, app_settings, outbox
from services.admin_settings import AccessPage, SlaCalendar
from services.complaints_labels import (
    CALENDAR_LABELS,
    OUTBOX_STATUS_LABELS,
    RECIPIENT_LABELS,
    ROLE_LABELS,
    TRANSPORT_LABELS,
)
from services.errors import DomainError, NotFound, ValidationFailed
from services.outbox import OutboxPage, OutboxStatus
from services.settings import settings
from services.workflow import Actor, Role

from . import session

BASE = '/admin/pengaturan'
AREAS = (
    ('opd', 'OPD', 'Dinas dan badan yang menerima aduan.'),
    ('kategori', 'Kategori', 'OPD tujuan, batas waktu SOP, kalender, aturan jeda dan kategori yang aktif.'),
    ('pengguna', 'Pengguna', 'Akun petugas: peran, OPD, kata sandi, aktif atau nonaktif.'),
    ('templat', 'Templat jawaban', 'Jawaban siap pakai untuk petugas, per OPD atau untuk semua OPD.'),
    ('log-akses', 'Log akses', 'Siapa membuka data kontak pelapor atau isi aduan rahasia, dan kapan.'),
    ('pesan-keluar', 'Pesan keluar', 'Kabar lewat SMS dan email untuk pelapor dan petugas: menunggu, terkirim, '
                                     'gagal; kirim ulang yang gagal.'),
    ('open311', 'Open311', 'Apakah daftar aduan Open311 terbuka untuk umum tanpa kunci API mitra; aplikasi '
                           'peramban mitra yang diizinkan (CORS).'),
    # Open311 (issue 12 §4): pages/settings_open311.py
    ('kunci-api', 'Kunci API', 'Kunci sistem mitra: buat, lihat, cabut; saluran dan batas permintaan tiap kunci.'),
    ('pertanyaan', 'Pertanyaan tambahan', 'Pertanyaan tambahan per kategori, ditanyakan saat aduan dikirim.'),
)
ACCESS_LABELS = {'contact': 'data kontak', 'rahasia': 'isi aduan rahasia'}
NO_AGENCY = 0  # the select's key for "no OPD": Quasar selects do not take None as an option's value
NEW = 'baru'


def create() -> None:
    from . import settings_open311  # noqa: PLC0415  (it builds on this module's frame and form)

    @ui.page(BASE, title=f'Pengaturan · {settings.app_name}')
    async def index_page() -> None:
        async with _settings_frame(BASE, None) as actor:
            if actor:
                _senders_notice()
                items = ''.join(f'<li><a href="{BASE}/{slug}">{title}</a><span class="lapor-muted">{text}</span></li>'
                                for slug, title, text in AREAS)
                ui.html(f'<ul class="lapor-settings-areas">{items}</ul>', sanitize=False).mark('areas')

    _area('opd', 'OPD', _agency_list, _agency_form)
    _area('kategori', 'Kategori', _category_list, _category_form)
    _area('pengguna', 'Pengguna', _user_list, _user_form)
    _area('templat', 'Templat jawaban', _template_list, _template_form)

    @ui.page(f'{BASE}/log-akses', title=f'Log akses · {settings.app_name}')
    async def access_log_page(pengguna: str = '', kode: str = '') -> None:
        async with _settings_frame(f'{BASE}/log-akses', 'Log akses') as actor:
            if actor:
                log = _AccessLog(actor, username=pengguna, code=kode)
                await log.load()

    @ui.page(f'{BASE}/pesan-keluar', title=f'Pesan keluar · {settings.app_name}')
    async def outbox_page(status: str = OutboxStatus.PENDING.value, halaman: int = 0) -> None:
        async with _settings_frame(f'{BASE}/pesan-keluar', 'Pesan keluar') as actor:
            if actor:
                shown = _Outbox(actor, status if status in set(OutboxStatus) else OutboxStatus.PENDING.value,
                                page=halaman)
                await shown.load()

    @ui.page(f'{BASE}/open311', title=f'Open311 · {settings.app_name}')
    async def open311_page() -> None:
        async with _settings_frame(f'{BASE}/open311', 'Open311', headed=True) as actor:
            if actor:
                await _open311_form(actor)
                await settings_open311.origins_form(actor)

    settings_open311.create()


def _area(slug: str, title: str, build_list: Callable[[Actor], Awaitable[None]],
          build_form: Callable[..., Awaitable[None]]) -> None:
    """An area's two pages: its list, and the form of one row (``baru`` for a new one)."""
    path = f'{BASE}/{slug}'

    @ui.page(path, title=f'{title} · {settings.app_name}')
    async def list_page() -> None:
        async with _settings_frame(path, title) as actor:
            if actor:
                await build_list(actor)

    @ui.page(f'{path}/{{item}}', title=f'{title} · {settings.app_name}')
    async def form_page(item: str, disimpan: int = 0) -> None:
        async with _settings_frame(f'{path}/{item}', title, back=path, headed=True) as actor:
            if actor:
                await _load_form(lambda: build_form(actor, item, saved=bool(disimpan)))


# --- Frame, lists and the form helper ---

@asynccontextmanager
async def _settings_frame(path: str, title: str | None, *, back: str | None = None,
                          headed: bool = False) -> AsyncIterator[Actor | None]:
    """The staff frame with the settings' breadcrumb; yields the actor, or None (not signed in: sent to the
    login page; not a supervisor: told so politely, and shown nothing else). A page without a heading of its own
    (not ``headed``) gets one for screen readers, the breadcrumb's last item, which sighted readers see there."""
    actor = await session.require_actor(path)
    if actor is None:
        yield None
        return
    with admin_frame(actor.name, ROLE_LABELS[actor.role], supervisor=actor.role == Role.SUPERVISOR,
                     user_id=actor.user_id):
        if actor.role != Role.SUPERVISOR:
            with ui.element('section').classes('lapor-card'):
                ui.label('Maaf, halaman pengaturan hanya dapat dibuka oleh supervisor.').classes(
                    'lapor-alert').mark('not-allowed')
                ui.html('<p><a href="/admin">Kembali ke papan aduan</a></p>', sanitize=False)
            yield None
            return
        crumbs = [f'<a href="{BASE}">Pengaturan</a>'] if title else ['Pengaturan']
        if title:
            crumbs.append(f'<a href="{back}">{escape(title)}</a>' if back else escape(title))
        heading = '' if headed else f'<h1 class="lapor-sr-only">{escape(title or "Pengaturan")}</h1>'
        ui.html(f'<nav class="lapor-crumbs" aria-label="Jejak halaman">{" › ".join(crumbs)}</nav>{heading}',
                sanitize=False)
        yield actor


async def _load_form(build: Callable[[], Awaitable[None]]) -> None:
    """Build a row's form; an unknown row says so instead."""
    try:
        await build()
    except NotFound as error:
        ui.label(error.message).classes('lapor-alert').mark('not-found')


def _new_button(label: str, target: str) -> None:
    ui.button(label, on_click=lambda: ui.navigate.to(target)).props('unelevated no-caps color=primary').mark('new')


def _table(headings: tuple[str, ...], rows: list[tuple[bool, tuple[str, ...]]], *, marker: str) -> None:
    """One HTML table (one element however many rows); cells are already escaped. Inactive rows are dimmed."""
    head = ''.join(f'<th>{h}</th>' for h in headings)
    body = ''.join(f'<tr{" class=lapor-inactive" if dim else ""}>' + ''.join(f'<td>{c}</td>' for c in cells) + '</tr>'
                   for dim, cells in rows)
    if not rows:
        body = f'<tr><td colspan="{len(headings)}" class="lapor-muted">Belum ada data.</td></tr>'
    ui.html(f'<div class="lapor-settings-table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            '</table></div>', sanitize=False).mark(marker)


def _link(href: str, text: str) -> str:
    return f'<a href="{href}">{escape(text)}</a>'


def _state(active: bool) -> str:
    return 'Aktif' if active else 'Nonaktif'


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + '…'


def _duration(minutes: int) -> str:
    """'7 hari', '2 jam', '1 jam 30 menit'."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return ' '.join(part for part in (f'{days} hari' if days else '', f'{hours} jam' if hours else '',
                                      f'{mins} menit' if mins else '') if part) or '0 menit'


def _number(text: str | None) -> float | None:
    """A number as people type it here ('1,5' or '1.5'), or None when it is not one."""
    try:
        value = float((text or '').strip().replace(',', '.'))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _whole(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None and value.is_integer() else None


def _plain(value: float) -> str:
    return f'{value:g}'.replace('.', ',')


class _Form:
    """A settings form: its fields by the service's field names, its save button and its messages."""

    def __init__(self, heading: str) -> None:
        self.inputs: dict[str, Any] = {}
        self.notes: dict[str, ui.label] = {}
        self.card = ui.element('section').classes('lapor-card lapor-form lapor-settings-form')
        with self.card:
            ui.html(f'<h1>{escape(heading)}</h1>', sanitize=False)

    def field(self, name: str, element: Any) -> Any:
        """Register an input or select: its error shows under it and clears when it is changed."""
        self.inputs[name] = element
        element.on_value_change(lambda _, e=element: setattr(e, 'error', None))
        return element

    def note(self, name: str) -> None:
        """A message line for a field without its own error slot (a checkbox)."""
        self.notes[name] = ui.label().classes('lapor-field-error').mark(f'{name}-error')

    def footer(self, label: str, on_click: Callable[[], Awaitable[None]], *, marker: str = 'save') -> None:
        ui.button(label, on_click=on_click).props('unelevated no-caps color=primary').mark(marker)
        self.summary = ui.label().classes('lapor-field-error').mark(f'{marker}-error')
        self.done = ui.label().classes('lapor-saved').mark(f'{marker}-done')

    def show(self, errors: dict[str, str], message: str = '') -> None:
        for name, element in self.inputs.items():
            element.error = errors.get(name)
        for name, label in self.notes.items():
            label.text = errors.get(name, '')
        self.summary.text = message
        self.done.text = ''

    def saved(self, text: str) -> None:
        self.show({})
        self.done.text = text

    async def run(self, save: Callable[[], Awaitable[Any]]) -> Any:
        """Call the service; on a refusal show why, keep every field as typed, and return None."""
        try:
            result = await save()
        except ValidationFailed as error:
            self.show(error.errors, error.message)
            return None
        except DomainError as error:
            self.show({}, error.message)
            return None
        return result


def _int_id(item: str) -> int | None:
    """The row id in the path, None for a new row; NotFound for anything else."""
    if item == NEW:
        return None
    if not item.isdigit():
        raise NotFound('Data yang dicari tidak ditemukan.')
    return int(item)


def _agency_options(agencies: list[admin_settings.AgencyRow], current: int | None, none_label: str) -> dict:
    """Active OPDs by name, plus the current one even when it is no longer active."""
    return {NO_AGENCY: none_label, **{a.id: a.name for a in agencies if a.active or a.id == current}}


async def _agency_list(actor: Actor) -> None:
    _new_button('Tambah OPD', f'{BASE}/opd/{NEW}')
    rows = await admin_settings.list_agencies(actor)
    _table(('Kode', 'Nama', 'Nama singkat', 'Status'), [
        (not a.active, (escape(a.code), _link(f'{BASE}/opd/{a.id}', a.name), escape(a.short_name),
                        _state(a.active))) for a in rows], marker='agencies')


async def _category_list(actor: Actor) -> None:
    _new_button('Tambah kategori', f'{BASE}/kategori/{NEW}')
    ui.label('Kategori nonaktif tidak tampil di formulir aduan; aduan yang sudah masuk tetap ada.') \
        .classes('lapor-muted')
    rows = await admin_settings.list_categories(actor)
    _table(('Urutan', 'Kategori', 'OPD tujuan', 'Respons awal', 'Penyelesaian', 'Kalender', 'Status'), [
        (not c.active, (str(c.sort_order), _link(f'{BASE}/kategori/{c.id}', c.name),
                        escape(c.agency_name or 'Menunggu disposisi supervisor'),
                        _duration(c.first_response_minutes), _duration(c.resolution_minutes),
                        CALENDAR_LABELS[SlaCalendar(c.calendar)] + (' · jeda saat menunggu pelapor'
                                                       if c.pause_when_waiting else ''),
                        _state(c.active))) for c in rows], marker='categories')


async def _user_list(actor: Actor) -> None:
    _new_button('Tambah pengguna', f'{BASE}/pengguna/{NEW}')
    rows = await admin_settings.list_users(actor)
    _table(('Nama pengguna', 'Nama lengkap', 'Email', 'Peran', 'OPD', 'Terakhir masuk', 'Status'), [
        (not u.active, (_link(f'{BASE}/pengguna/{u.id}', u.username), escape(u.full_name), escape(u.email or '—'),
                        ROLE_LABELS[u.role], escape(u.agency_name or '—'),
                        wib(u.last_login_at) if u.last_login_at else 'belum pernah', _state(u.active)))
        for u in rows], marker='users')


async def _template_list(actor: Actor) -> None:
    _new_button('Tambah templat', f'{BASE}/templat/{NEW}')
    rows = await admin_settings.list_templates(actor)
    _table(('Judul', 'Untuk', 'Teks', 'Status'), [
        (not t.active, (_link(f'{BASE}/templat/{t.id}', t.title), escape(t.agency_name or 'Semua OPD'),
                        escape(_shorten(t.body, 120)), _state(t.active))) for t in rows],
           marker='templates')


# --- The forms ---

async def _agency_form(actor: Actor, item: str, *, saved: bool) -> None:
    agency_id = _int_id(item)
    agency = await admin_settings.get_agency(actor, agency_id) if agency_id is not None else None
    form = _Form(agency.name if agency else 'OPD baru')
    with form.card:
        code = form.field('code', text_input('Kode', marker='code', max_length=32,
                                             hint='Huruf besar, angka atau garis bawah; tidak dapat diubah nanti.'))
        if agency:
            code.value = agency.code
            code.disable()
        name = form.field('name', text_input('Nama OPD', marker='name', max_length=200))
        short_name = form.field('short_name', text_input('Nama singkat', marker='short-name', max_length=60,
                                                         hint='Tampil di papan dan linimasa, mis. "DPUPR".'))
        active = ui.checkbox('Aktif (dapat menerima aduan)', value=True).mark('active')
        form.note('active')
        if agency:
            name.value, short_name.value, active.value = agency.name, agency.short_name, agency.active

        async def save() -> None:
            if agency is None:
                created = await form.run(lambda: admin_settings.create_agency(
                    actor, code=code.value or '', name=name.value or '', short_name=short_name.value or '',
                    active=active.value))
                if created:
                    ui.navigate.to(f'{BASE}/opd/{created.id}?disimpan=1')
            elif await form.run(lambda: admin_settings.update_agency(
                    actor, agency_id=agency.id, name=name.value or '', short_name=short_name.value or '',
                    active=active.value)):
                form.saved('Perubahan tersimpan.')

        form.footer('Simpan', save)
        if saved:
            form.saved('Tersimpan.')


async def _category_form(actor: Actor, item: str, *, saved: bool) -> None:
    category_id = _int_id(item)
    category = await admin_settings.get_category(actor, category_id) if category_id is not None else None
    agencies = await admin_settings.list_agencies(actor)
    form = _Form(category.name if category else 'Kategori baru')
    with form.card:
        code = form.field('code', text_input('Kode', marker='code', max_length=32,
                                             hint='Dipakai API (service_code); tidak dapat diubah nanti.'))
        name = form.field('name', text_input('Nama kategori', marker='name', max_length=120))
        description = form.field('description', text_input('Keterangan singkat', marker='description',
                                                            max_length=300, hint='Tampil di bawah nama kategori.'))
        agency = form.field('agency', select(
            _agency_options(agencies, category.agency_id if category else None,
                            'Tanpa OPD: aduan menunggu disposisi supervisor'), 'OPD tujuan', marker='agency'))
        agency.value = NO_AGENCY
        ui.html('<h2>Batas waktu SOP</h2>', sanitize=False)
        ui.label('Batas waktu baru berlaku untuk aduan yang masuk setelah disimpan; aduan yang sudah berjalan '
                 'tetap memakai batas waktunya.').classes('lapor-hint')
        first = form.field('first_response', text_input('Respons awal (jam)', marker='first-response',
                                                        inputmode='decimal', hint='Mis. 2 atau 0,5'))
        with ui.element('div').classes('lapor-row'):
            resolution = form.field('resolution', text_input('Penyelesaian', marker='resolution',
                                                             inputmode='decimal'))
            unit = select({'hari': 'hari', 'jam': 'jam'}, 'Satuan', marker='resolution-unit')
            unit.value = 'hari'
        calendar = form.field('calendar', select({c.value: label for c, label in CALENDAR_LABELS.items()}, 'Kalender',
                                                 marker='calendar'))
        calendar.value = SlaCalendar.ROUND_THE_CLOCK.value
        ui.label('Jam kerja: waktu dihitung hanya pada jam dan hari kerja, tanpa hari libur nasional '
                 '(7 hari = 168 jam kerja).').classes('lapor-hint')
        pause = ui.checkbox('Jeda batas penyelesaian selama menunggu informasi dari pelapor').mark('pause')
        active = ui.checkbox('Aktif (tampil di formulir aduan)', value=True).mark('active')
        order = form.field('sort_order', text_input('Urutan tampil', marker='sort-order', inputmode='numeric',
                                                    hint='Angka kecil tampil lebih dulu.'))
        order.value = '0'
        first.value, resolution.value = '2', '7'
        if category:
            code.value = category.code
            code.disable()
            name.value, description.value = category.name, category.description
            agency.value = category.agency_id or NO_AGENCY
            first.value = _plain(category.first_response_minutes / 60)
            if category.resolution_minutes % (24 * 60) == 0:
                resolution.value = _plain(category.resolution_minutes / (24 * 60))
            else:
                resolution.value, unit.value = _plain(category.resolution_minutes / 60), 'jam'
            calendar.value, pause.value = category.calendar.value, category.pause_when_waiting
            active.value, order.value = category.active, str(category.sort_order)

        def values() -> dict:
            hours, per = _number(first.value), (24 * 60 if unit.value == 'hari' else 60)
            span = _number(resolution.value)
            return {'name': name.value or '', 'description': description.value or '',
                    'agency_id': agency.value or None,
                    'first_response_minutes': round(hours * 60) if hours is not None else None,
                    'resolution_minutes': round(span * per) if span is not None else None,
                    'calendar': calendar.value or '', 'pause_when_waiting': pause.value, 'active': active.value,
                    'sort_order': _whole(order.value)}

        async def save() -> None:
            if category is None:
                created = await form.run(lambda: admin_settings.create_category(
                    actor, code=code.value or '', **values()))
                if created:
                    ui.navigate.to(f'{BASE}/kategori/{created.id}?disimpan=1')
            elif await form.run(lambda: admin_settings.update_category(actor, category_id=category.id, **values())):
                form.saved('Perubahan tersimpan.')

        form.footer('Simpan', save)
        if saved:
            form.saved('Tersimpan.')


async def _user_form(actor: Actor, item: str, *, saved: bool) -> None:
    user_id = _int_id(item)
    person = await admin_settings.get_user(actor, user_id) if user_id is not None else None
    agencies = await admin_settings.list_agencies(actor)
    form = _Form(f'{person.username}' if person else 'Pengguna baru')
    with form.card:
        username = form.field('username', text_input('Nama pengguna', marker='username', max_length=60,
                                                     hint='Huruf kecil, angka, titik, garis bawah atau tanda hubung.',
                                                     autocomplete='off'))
        full_name = form.field('full_name', text_input('Nama lengkap', marker='full-name', max_length=120))
        email = form.field('email', text_input('Email (opsional)', marker='email', max_length=200, type='email',
                                               inputmode='email', autocomplete='off',
                                               hint='Pemberitahuan untuk petugas ini juga dikirim ke email ini.'))
        role = form.field('role', select({r.value: label for r, label in ROLE_LABELS.items()}, 'Peran',
                                         marker='role'))
        agency = form.field('agency', select(_agency_options(agencies, person.agency_id if person else None,
                                                             'Pilih OPD'), 'OPD', marker='agency'))
        agency.value = NO_AGENCY
        role.on_value_change(lambda e: agency.set_visibility(e.value == Role.OPD_ADMIN.value))
        password = None
        active = None
        if person:
            username.value = person.username
            username.disable()
            full_name.value, role.value, email.value = person.full_name, person.role.value, person.email or ''
            agency.value = person.agency_id or NO_AGENCY
            active = ui.checkbox('Aktif (dapat masuk)', value=person.active).mark('active')
            form.note('active')
        else:
            password = form.field('password', text_input(
                'Kata sandi awal', marker='password', type='password', autocomplete='new-password',
                hint='Minimal 10 karakter. Sampaikan kepada pengguna secara pribadi.'))
        agency.set_visibility(role.value == Role.OPD_ADMIN.value)

        def agency_id() -> int | None:
            return (agency.value or None) if role.value == Role.OPD_ADMIN.value else None

        async def save() -> None:
            if person is None:
                assert password is not None
                created = await form.run(lambda: admin_settings.create_user(
                    actor, username=username.value or '', full_name=full_name.value or '', role=role.value or '',
                    agency_id=agency_id(), password=password.value or '', email=email.value or ''))
                if created:
                    ui.navigate.to(f'{BASE}/pengguna/{created.id}?disimpan=1')
            else:
                assert active is not None
                if await form.run(lambda: admin_settings.update_user(
                        actor, user_id=person.id, full_name=full_name.value or '', role=role.value or '',
                        agency_id=agency_id(), active=active.value, email=email.value or '')):
                    form.saved('Perubahan tersimpan.')

        form.footer('Simpan', save)
        if saved:
            form.saved('Tersimpan.')

    if person:
        _password_form(actor, person)
        ui.html(f'<p><a href="{BASE}/log-akses?pengguna={escape(person.username)}">Lihat log akses '
                f'{escape(person.username)}</a></p>', sanitize=False)


def _password_form(actor: Actor, person: admin_settings.UserRow) -> None:
    form = _Form('Kata sandi baru')
    with form.card:
        ui.label('Untuk pengguna yang lupa kata sandinya. Sampaikan kata sandi baru secara pribadi.').classes(
            'lapor-hint')
        password = form.field('password', text_input('Kata sandi baru', marker='new-password', type='password',
                                                     autocomplete='new-password', hint='Minimal 10 karakter.'))

        async def save() -> None:
            if await form.run(lambda: _set_password(actor, person.id, password.value or '')):
                password.value = ''
                form.saved('Kata sandi baru tersimpan.')

        form.footer('Setel kata sandi', save, marker='set-password')


async def _set_password(actor: Actor, user_id: int, password: str) -> bool:
    await admin_settings.set_user_password(actor, user_id=user_id, password=password)
    return True


async def _template_form(actor: Actor, item: str, *, saved: bool) -> None:
    template_id = _int_id(item)
    template = await admin_settings.get_template(actor, template_id) if template_id is not None else None
    agencies = await admin_settings.list_agencies(actor)
    form = _Form(template.title if template else 'Templat baru')
    with form.card:
        title = form.field('title', text_input('Judul', marker='title', max_length=100))
        body = form.field('body', ui.textarea('Teks jawaban').props(
            f'outlined stack-label autogrow hide-bottom-space maxlength={admin_settings.MAX_TEMPLATE_BODY}').mark(
            'body'))
        agency = form.field('agency', select(_agency_options(agencies, template.agency_id if template else None,
                                                             'Semua OPD'), 'Untuk OPD', marker='agency'))
        agency.value = NO_AGENCY
        active = ui.checkbox('Aktif (ditawarkan di halaman aduan)', value=True).mark('active')
        if template:
            title.value, body.value = template.title, template.body
            agency.value, active.value = template.agency_id or NO_AGENCY, template.active

        async def save() -> None:
            result = await form.run(lambda: admin_settings.save_template(
                actor, template_id=template.id if template else None, title=title.value or '', body=body.value or '',
                agency_id=agency.value or None, active=active.value))
            if result and template is None:
                ui.navigate.to(f'{BASE}/templat/{result.id}?disimpan=1')
            elif result:
                form.saved('Perubahan tersimpan.')

        form.footer('Simpan', save)
        if saved:
            form.saved('Tersimpan.')


class _AccessLog:
    """The access log a page at a time, newest first, filtered by username and/or complaint code."""

    def __init__(self, actor: Actor, *, username: str, code: str) -> None:
        self.actor = actor
        self.page = 0
        with ui.element('section').classes('lapor-filters'):
            self.username = text_input('Nama pengguna', marker='filter-username').props('dense clearable')
            self.code = text_input('Kode aduan', marker='filter-code').props('dense clearable')
            ui.button('Tampilkan', on_click=self._filter).props('unelevated no-caps color=primary').mark('filter')
        self.username.value, self.code.value = username, code
        for field in (self.username, self.code):
            field.on('keydown.enter', self._filter)
        self.table = ui.html('', sanitize=False).mark('access-log')
        with ui.element('div').classes('lapor-row'):
            self.previous = ui.button('Lebih baru', on_click=lambda: self._turn(-1)).props('flat no-caps').mark(
                'previous')
            self.page_label = ui.label().mark('page')
            self.next = ui.button('Lebih lama', on_click=lambda: self._turn(1)).props('flat no-caps').mark('next')

    async def load(self) -> None:
        result = await admin_settings.access_log(self.actor, username=self.username.value or '',
                                                 code=self.code.value or '', page=self.page)
        self.table.content = _access_table(result)
        self.page_label.text = f'Halaman {self.page + 1}'
        self.previous.set_enabled(self.page > 0)
        self.next.set_enabled(result.has_next)

    async def _filter(self) -> None:
        self.page = 0
        await self.load()

    async def _turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        await self.load()


def _access_table(result: AccessPage) -> str:
    rows = ''.join(
        f'<tr><td>{wib(e.created_at)}</td><td>{escape(e.username)}'
        + (f' <span class="lapor-muted">({escape(e.full_name)})</span>' if e.full_name else '')
        + f'</td><td><a href="/admin/aduan/{escape(e.complaint_code)}">{escape(e.complaint_code)}</a></td>'
        f'<td>{ACCESS_LABELS.get(e.what, escape(e.what))}</td></tr>' for e in result.entries)
    if not rows:
        rows = '<tr><td colspan="4" class="lapor-muted">Tidak ada catatan akses untuk saringan ini.</td></tr>'
    return ('<div class="lapor-settings-table"><table><thead><tr><th>Waktu</th><th>Pengguna</th><th>Aduan</th>'
            f'<th>Yang dibuka</th></tr></thead><tbody>{rows}</tbody></table></div>')


def _senders_notice(on: frozenset | None = None) -> None:
    """Says, while a sender is not set up, that its messages wait (nothing when both are)."""
    text = outbox.senders_notice(on)
    if text:
        ui.html(f'<p class="lapor-alert">{escape(text)} Atur <code>LAPOR_SMTP_HOST</code> dan '
                '<code>LAPOR_SMS_WEBHOOK_URL</code> di server (lihat README), lalu mulai ulang aplikasi.</p>',
                sanitize=False).mark('senders-notice')


class _Outbox:
    """The outbox in one status a page at a time, with the count of each status; a failed message can be sent
    again."""

    def __init__(self, actor: Actor, status: str, *, page: int) -> None:
        self.actor = actor
        self.status = OutboxStatus(status)
        self.page = max(0, page)
        self.body = ui.element('div').classes('lapor-outbox')

    async def load(self) -> None:
        result = await outbox.list_messages(self.actor, status=self.status, page=self.page)
        self.body.clear()
        with self.body:
            _senders_notice(result.senders)
            tabs = ' · '.join(
                (f'<strong>{OUTBOX_STATUS_LABELS[s]} ({result.counts[s]})</strong>' if s == self.status else
                 f'<a href="{BASE}/pesan-keluar?status={s.value}">{OUTBOX_STATUS_LABELS[s]} ({result.counts[s]})</a>')
                for s in OutboxStatus)
            ui.html(f'<nav class="lapor-tabs">{tabs}</nav>', sanitize=False).mark('outbox-tabs')
            if self.status == OutboxStatus.FAILED:
                self._failed(result)
            else:
                ui.html(_outbox_table(result, self.status), sanitize=False).mark('outbox')
            with ui.element('div').classes('lapor-row'):
                if self.page > 0:
                    ui.link('Lebih awal', f'{BASE}/pesan-keluar?status={self.status.value}&halaman={self.page - 1}')
                ui.label(f'Halaman {self.page + 1}').classes('lapor-muted')
                if result.has_next:
                    ui.link('Berikutnya', f'{BASE}/pesan-keluar?status={self.status.value}&halaman={self.page + 1}')

    def _failed(self, result: OutboxPage) -> None:
        if not result.rows:
            ui.label('Tidak ada pesan yang gagal.').classes('lapor-muted').mark('outbox')
            return
        with ui.element('div').mark('outbox'):
            for row in result.rows:
                with ui.element('section').classes('lapor-card lapor-outbox-failed'):
                    ui.html(_message_html(row), sanitize=False)
                    ui.button('Kirim ulang', on_click=lambda _, m=row.id: self._retry(m)).props(
                        'outline no-caps color=primary').mark(f'retry-{row.id}')

    async def _retry(self, message_id: int) -> None:
        try:
            await outbox.retry(self.actor, message_id=message_id)
        except DomainError as error:
            ui.notify(error.message, type='warning')
            return
        ui.notify('Pesan dijadwalkan untuk dikirim ulang sekarang.', type='positive')
        await self.load()


def _message_html(row: outbox.MessageRow) -> str:
    """One failed message: to whom, by what, what it says, its tries and last error."""
    return (f'<p><strong>{RECIPIENT_LABELS[row.recipient]}</strong> · {TRANSPORT_LABELS[row.transport]} · '
            f'{escape(row.address)} · aduan {_complaint_link(row.code)}</p>'
            f'<p>{escape(_shorten(row.subject or row.body, 200))}</p>'
            f'<p class="lapor-muted">Dibuat {wib(row.created_at)} · {row.attempts} kali dicoba</p>'
            f'<p class="lapor-field-error">Galat terakhir: {escape(row.last_error or "—")}</p>')


def _outbox_table(result: OutboxPage, status: OutboxStatus) -> str:
    """Pending messages with their next try (and why the last failed), or sent ones with when they went."""
    rows = ''.join(
        f'<tr><td>{wib(r.created_at)}</td><td>{RECIPIENT_LABELS[r.recipient]}<br><span class="lapor-muted">'
        f'{TRANSPORT_LABELS[r.transport]} · {escape(r.address)}</span></td><td>{_complaint_link(r.code)}</td>'
        f'<td>{escape(_shorten(r.subject or r.body, 160))}</td><td>{r.attempts}</td>'
        f'<td>{wib(r.sent_at or r.next_attempt_at)}'
        + (f'<br><span class="lapor-field-error">{escape(r.last_error)}</span>' if r.last_error else '')
        + '</td></tr>' for r in result.rows)
    if not rows:
        rows = '<tr><td colspan="6" class="lapor-muted">Tidak ada pesan.</td></tr>'
    when = 'Terkirim' if status == OutboxStatus.SENT else 'Coba berikutnya'
    # Six columns scroll sideways on a phone: the region takes the keyboard's focus so it can be scrolled without a
    # pointer (axe: scrollable-region-focusable)
    return ('<div class="lapor-settings-table" tabindex="0" role="region" aria-label="Daftar pesan keluar"><table>'
            '<thead><tr><th>Dibuat</th><th>Untuk</th><th>Aduan</th>'
            f'<th>Pesan</th><th>Percobaan</th><th>{when}</th></tr></thead><tbody>{rows}</tbody></table></div>')


def _complaint_link(code: str | None) -> str:
    return f'<a href="/admin/aduan/{escape(code)}">{escape(code)}</a>' if code else '—'


async def _open311_form(actor: Actor) -> None:
    """The one switch: whether Open311's list of requests answers without a partner's key (off by default)."""
    switch = await app_settings.open311_public_list(actor)
    form = _Form('Daftar aduan Open311')
    with form.card:
        ui.html('<p class="lapor-muted">Tanpa kunci API, siapa pun hanya dapat mengambil satu aduan dengan kodenya. '
                'Bila daftar dibuka untuk umum, siapa pun dapat mengunduh daftar aduan publik dan anonim terbaru '
                'beserta kode, kategori, status, uraian, foto, dan lokasinya (tanpa nama dan kontak pelapor). '
                'Aduan rahasia tidak pernah tercantum di daftar.</p>', sanitize=False)
        public = ui.checkbox('Buka daftar aduan untuk umum (tanpa kunci API)', value=switch.on).mark('open311-public')
        if switch.updated_by and switch.updated_at:
            ui.label(f'Terakhir diubah oleh {switch.updated_by}, {wib(switch.updated_at)}.').classes('lapor-muted')

        async def save() -> None:
            if await form.run(lambda: app_settings.set_open311_public_list(actor, on=bool(public.value))):
                form.saved('Tersimpan: daftar aduan terbuka untuk umum.' if public.value
                           else 'Tersimpan: daftar aduan hanya untuk mitra dengan kunci API.')

        form.footer('Simpan', save)
