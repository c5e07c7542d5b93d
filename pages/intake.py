"""Staff intake: ``/admin/aduan/baru`` (an operator types what a citizen reported by phone, post, chat, visit or
letter) and ``/admin/penyaringan`` (screened social-media posts, the checklist, a supervisor's reversal).

Made for a person on the phone: one screen, keyboard only (Tab through the fields, the category and kecamatan
found by typing a few letters, Ctrl+Enter saves), a draft kept in the browser across a reload, and the code and
PIN shown large to be read out to the caller.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from nicegui import ui

from components.attribute_fields import AttributeFields
from components.card import Card
from components.design import escape, wib, wib_short
from components.duplicate_hint import DuplicateHint
from components.fields import DROPDOWN_ICON, Select, styled, text_input
from components.form_draft import FormDraft
from components.frame import admin_frame
from components.photo_picker import PhotoPicker
from services import clock, complaints, intake, open311_attributes
from services.complaints_labels import CHANNEL_LABELS, PRIVACY_LABELS, ROLE_LABELS, STATUS_LABELS
from services.errors import DomainError, NotAllowed, ValidationFailed
from services.intake import PLATFORMS, STAFF_CHANNELS, Source
from services.sessions import SessionEnded
from services.settings import settings
from services.validation import DESCRIPTION_MAX, NAME_MAX, TITLE_MAX
from services.workflow import Actor, Role

from . import session

DRAFT_KEY = 'lapor-intake-draft-v1'
REFERENCE_LABELS = {
    'call_center': 'Nomor referensi panggilan 112', 'social_media': 'Referensi (opsional)',
    'whatsapp': 'Referensi percakapan (opsional; nomor pengirim diisi di Nomor HP)',
    'walk_in': 'Nomor antrean atau loket (opsional)',
    'letter': 'Nomor surat',
}
MOMENT_LABELS = {
    'call_center': 'Waktu panggilan', 'social_media': 'Waktu unggahan', 'whatsapp': 'Waktu pesan diterima',
    'walk_in': 'Waktu warga datang', 'letter': 'Tanggal surat diterima',
}
_FIELD_NAMES = {
    'channel': 'kanal', 'reported_at': 'waktu melapor', 'reference': 'referensi', 'platform': 'platform',
    'post_url': 'tautan unggahan', 'author_handle': 'akun', 'screenshot': 'tangkapan layar',
    'category': 'kategori', 'title': 'judul', 'description': 'uraian', 'district': 'kecamatan',
    'village': 'desa', 'address': 'detail lokasi', 'reporter_name': 'nama', 'reporter_phone': 'nomor HP',
    'reporter_email': 'email', 'privacy': 'privasi', 'photos': 'foto',
}
# Ctrl+Enter (or Cmd+Enter) anywhere in the form saves it: the operator's hands stay on the keyboard. Heard by the
# card on the way down (capture): a select stops Enter's way up, so a listener there would miss it in a select
_SAVE_KEYS_JS = ('(e) => { if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); '
                 'e.stopPropagation(); emit(); } }')


def create() -> None:
    @ui.page('/admin/aduan/baru', title=f'Catat aduan · {settings.app_name}')
    async def intake_page() -> None:
        actor = await session.require_actor('/admin/aduan/baru')
        if actor is None:
            return
        with admin_frame(actor.name, ROLE_LABELS[actor.role], supervisor=actor.role == Role.SUPERVISOR,
                         user_id=actor.user_id, intake=actor.role in (Role.OPERATOR, Role.SUPERVISOR)) as column:
            if actor.role not in intake.INTAKE_ROLES:
                ui.label('Halaman ini hanya untuk operator dan supervisor.').classes('lapor-alert').mark('forbidden')
                return
            _IntakeForm(column, actor, await complaints.active_categories(), await complaints.districts(),
                        await intake.criteria())

    @ui.page('/admin/penyaringan', title=f'Penyaringan media sosial · {settings.app_name}')
    async def screening_page() -> None:
        actor = await session.require_actor('/admin/penyaringan')
        if actor is None:
            return
        with admin_frame(actor.name, ROLE_LABELS[actor.role], supervisor=actor.role == Role.SUPERVISOR,
                         user_id=actor.user_id, intake=actor.role in (Role.OPERATOR, Role.SUPERVISOR)):
            if actor.role not in intake.INTAKE_ROLES:
                ui.label('Halaman ini hanya untuk operator dan supervisor.').classes('lapor-alert').mark('forbidden')
                return
            await _ScreeningPage(actor).build()


def _local_input(moment: datetime) -> str:
    """``moment`` as a datetime-local field shows it, in WIB."""
    return clock.local(moment).strftime('%Y-%m-%dT%H:%M')


def _parse_local(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat((text or '').strip()).replace(tzinfo=clock.LOCAL_ZONE)
    except ValueError:
        return None


def _select(options: dict, label: str, *, marker: str) -> Select:
    """A select found by typing a few letters of an option (Quasar's filter), opened by the keyboard."""
    field = Select(options, label=label, with_input=True)
    # Enter picks the first option the typed letters left: Quasar's Enter picks only an option the arrow keys
    # highlighted, and otherwise closes the list with nothing picked (Quasar emits keydown before it acts)
    field.on('keydown', js_handler=f'(e) => {{ if (e.key !== "Enter" || e.ctrlKey || e.metaKey || e.altKey || '
                                   f'e.shiftKey || !e.target.value) return; const s = getElement({field.id})?.$refs'
                                   '.qRef; if (s?.getOptionIndex() === -1) s.moveOptionSelection(1, true); }')
    return styled(field, f'outlined stack-label options-dense dropdown-icon="{DROPDOWN_ICON}" hide-bottom-space '
                         'fill-input hide-selected input-debounce=0').mark(marker)


class _IntakeForm:
    """One screen: the channel and its source, the complaint, the reporter; then the code and PIN to read out."""

    def __init__(self, column: ui.element, actor: Actor, categories: list[tuple[int, str, str]],
                 districts: list[tuple[int, str]], checklist: list[intake.Criterion]) -> None:
        self.column = column
        self.actor = actor
        self.token = secrets.token_urlsafe(18)
        self.sending = False
        self.checklist = checklist
        with column:
            self.result = ui.element('section').classes('lapor-card').mark('intake-result')
            self.result.set_visibility(False)
            self._build(categories, districts)
        self._channel_changed()

    def _build(self, categories: list[tuple[int, str, str]], districts: list[tuple[int, str]]) -> None:
        with Card('<h1>Catat aduan dari kanal lain</h1><p class="lapor-muted">Untuk aduan dari Call Center 112, '
                  'media sosial, WhatsApp, warga yang datang langsung, atau surat. Jam SLA dihitung sejak warga '
                  'melapor. Tekan Ctrl+Enter untuk menyimpan.</p>', classes='lapor-card lapor-form') as self.card:
            self.draft = FormDraft(self.card, DRAFT_KEY, self.token, self._restore)
            self.channel = ui.radio({c.value: CHANNEL_LABELS[c] for c in STAFF_CHANNELS},
                                    value=STAFF_CHANNELS[0].value, on_change=self._channel_changed).props(
                'inline').mark('channel')
            with ui.element('div').classes('lapor-row'):
                self.moment = text_input(MOMENT_LABELS['call_center'], marker='reported_at', type='datetime-local')
                self.moment.value = _local_input(clock.now())
                self.reference = text_input(REFERENCE_LABELS['call_center'], marker='reference', max_length=120)
            # The post's fields and the checklist are built when the channel is first social media (most entries are
            # calls): every element costs server time on every page load (make bench measures this page)
            self.social = ui.element('div').classes('lapor-form')
            self.social_built = False
            self.category = _select({cid: name for cid, name, _ in categories}, 'Kategori', marker='category')
            self.questions = AttributeFields(ui.element('div').classes('lapor-form').mark('questions'))
            self.category.on_value_change(self._category_changed)
            self.title = text_input('Judul singkat', marker='title', max_length=TITLE_MAX)
            self.description = styled(ui.textarea('Uraian aduan'), 'outlined stack-label autogrow counter '
                                      'hide-bottom-space', {'maxlength': DESCRIPTION_MAX}).mark('description')
            with ui.element('div').classes('lapor-row'):
                self.district = _select(dict(districts), 'Kecamatan', marker='district')
                self.village = text_input('Desa/kelurahan', marker='village', max_length=100)
            self.address = text_input('Detail lokasi', marker='address', max_length=300)
            # Similar open complaints, with their codes: the operator may tell the caller it is already reported and
            # give that code to follow instead (bounded per staff member, as the citizen's form is per address)
            self.similar = DuplicateHint(category=self.category, district=self.district, title=self.title,
                                         description=self.description, client_address=f'staff:{self.actor.user_id}',
                                         show_code=True)
            self.photos = PhotoPicker(upload_url='/api/foto', max_photos=settings.max_photos,
                                      title=f'Foto dari pelapor (opsional, maksimal {settings.max_photos})').mark(
                'photos')
            ui.html('<h2>Pelapor</h2>', sanitize=False)
            with ui.element('div').classes('lapor-row'):
                self.name = text_input('Nama (opsional)', marker='reporter_name', max_length=NAME_MAX)
                self.phone = text_input('Nomor HP (opsional)', marker='reporter_phone', type='tel')
                self.email = text_input('Email (opsional)', marker='reporter_email', type='email')
            self.privacy = ui.radio({p.value: label for p, (label, _) in PRIVACY_LABELS.items()},
                                    value='publik').props('inline').mark('privacy')
            self.notify = ui.checkbox('Kirim kode dan tautan pelacakan ke nomor HP/email pelapor (PIN tidak pernah '
                                      'dikirim)', value=True).mark('notify')
            self.summary = ui.label().classes('lapor-alert').mark('form-error')
            self.summary.set_visibility(False)
            self.send = ui.button('Simpan aduan', on_click=self._submit).classes('lapor-submit').props(
                'unelevated color=primary no-caps').mark('save')
        self.card.on('keydown.capture', self._submit, js_handler=_SAVE_KEYS_JS)
        self.fields: dict[str, Any] = {
            'reported_at': self.moment, 'reference': self.reference, 'category': self.category, 'title': self.title,
            'description': self.description, 'district': self.district, 'village': self.village,
            'address': self.address, 'reporter_name': self.name, 'reporter_phone': self.phone,
            'reporter_email': self.email,
        }
        for name, field in self.fields.items():
            self.draft.keep(name, field, value='v?.label ?? null' if isinstance(field, ui.select) else 'v')
        self.draft.keep('channel', self.channel)

    async def _category_changed(self) -> None:
        """Ask the picked category's extra questions (none for most)."""
        category = self.category.value
        self.questions.show(await open311_attributes.for_category(category) if isinstance(category, int) else [])

    def _channel_changed(self) -> None:
        channel = self.channel.value
        self.moment.props['label'] = MOMENT_LABELS.get(channel, 'Waktu warga melapor')
        self.reference.props['label'] = REFERENCE_LABELS.get(channel, 'Referensi')
        if channel == 'social_media' and not self.social_built:
            self._build_social()
        self.social.set_visibility(channel == 'social_media')

    def _build_social(self) -> None:
        self.social_built = True
        with self.social:
            with ui.element('div').classes('lapor-row'):
                self.platform = _select({p: p for p in PLATFORMS}, 'Platform', marker='platform')
                self.handle = text_input('Akun pengunggah', marker='author_handle', max_length=100)
            self.post_url = text_input('Tautan unggahan', marker='post_url', max_length=500, type='url')
            self.screenshot = PhotoPicker(upload_url='/api/foto', max_photos=1,
                                          title='Tangkapan layar unggahan (tidak pernah tampil ke publik)').mark(
                'screenshot')
            ui.html('<h2>Kriteria penyaringan</h2><p class="lapor-muted">Unggahan diterima bila semua kriteria '
                    'wajib terpenuhi; bila tidak, tetap tersimpan sebagai disaring keluar beserta alasannya.</p>',
                    sanitize=False)
            self.criteria = {c.id: ui.checkbox(f'{c.text}{"" if c.required else " (anjuran)"}').mark(
                f'criterion-{c.id}') for c in self.checklist}
        for name, field in (('platform', self.platform), ('author_handle', self.handle), ('post_url', self.post_url)):
            self.fields[name] = field
            self.draft.keep(name, field, value='v?.label ?? null' if isinstance(field, ui.select) else 'v')

    def _restore(self, draft: dict[str, Any]) -> None:
        if not isinstance(draft, dict):
            return
        self.token = FormDraft.token_of(draft, self.token)
        channel = draft.get('channel')
        if isinstance(channel, int) and 0 <= channel < len(STAFF_CHANNELS):  # a radio keeps its option's index
            self.channel.value = STAFF_CHANNELS[channel].value
        self._channel_changed()  # builds the post's fields before they are filled
        FormDraft.fill(self.fields, draft, max_length=DESCRIPTION_MAX)

    async def _submit(self) -> None:
        if self.sending:
            return
        self.sending = True
        self.send.props('loading')
        channel = self.channel.value
        social = channel == 'social_media' and self.social_built
        try:
            entered = await intake.enter(
                self.actor, source=Source(
                    channel=channel, reported_at=_parse_local(self.moment.value), reference=self.reference.value or '',
                    platform=self.platform.value or '' if social else '', post_url=self.post_url.value or ''
                    if social else '', author_handle=self.handle.value or '' if social else '',
                    screenshot_token=next(iter(self.screenshot.tokens), '') if social else ''),
                category_id=self.category.value, title=self.title.value, description=self.description.value or '',
                district_id=self.district.value, village=self.village.value, address=self.address.value,
                reporter_name=self.name.value, reporter_phone=self.phone.value, reporter_email=self.email.value,
                privacy=self.privacy.value, notify_reporter=bool(self.notify.value),
                photo_tokens=tuple(self.photos.tokens), attribute_answers=self.questions.answers(),
                answers={cid: bool(box.value) for cid, box in self.criteria.items()} if social else None,
                request_key=self.token)
        except ValidationFailed as error:
            self._show_errors(error.errors)
            return
        except SessionEnded:
            session.to_login('/admin/aduan/baru')
            return
        except DomainError as error:
            self._show_errors({}, error.message)
            return
        finally:
            self.sending = False
            self.send.props(remove='loading')
        self.draft.clear()
        self._show_result(entered)

    def _show_errors(self, errors: dict[str, str], message: str | None = None) -> None:
        for name, field in self.fields.items():
            field.error = errors.get(name)
        self.photos.error = errors.get('photos')
        if self.social_built:
            self.screenshot.error = errors.get('screenshot')
        asked = self.questions.show_errors(errors)
        names = dict.fromkeys('pertanyaan tambahan' if name.startswith('attribute[') else _FIELD_NAMES.get(name, name)
                              for name in errors)
        self.summary.text = message or 'Aduan belum tersimpan. Mohon perbaiki: ' + ', '.join(names) + '.'
        self.summary.set_visibility(True)
        first = next((self.fields[name] for name in self.fields if name in errors), None) or next(iter(asked), None)
        if first is not None:  # Quasar gives a field's id to its input or textarea itself
            ui.run_javascript(f'const f = document.getElementById({json.dumps(first.html_id)}); '
                              '(f?.querySelector("input, textarea") || f)?.focus()')

    def _show_result(self, entered: intake.Entered) -> None:
        self.card.set_visibility(False)
        self.result.clear()
        with self.result:
            if entered.submitted is None:
                ui.html('<h1>Unggahan disaring keluar</h1><p>Unggahan ini tidak memenuhi kriteria wajib dan '
                        'tersimpan di daftar penyaringan (tidak tampil ke publik):</p><ul>'
                        + ''.join(f'<li>{escape(reason)}</li>' for reason in entered.reasons) + '</ul>',
                        sanitize=False).mark('screened-out')
                ui.link('Lihat daftar penyaringan', '/admin/penyaringan')
            else:
                result = entered.submitted
                ui.html('<h1>Aduan tersimpan</h1><p>Bacakan kode dan PIN ini kepada pelapor, pelan dan per huruf. '
                        'PIN hanya tampil sekali ini.</p>', sanitize=False)
                ui.label(result.code).classes('lapor-code').mark('code')
                ui.label(f'PIN: {result.pin}').classes('lapor-pin').mark('pin')
                first = result.view.clocks[0]
                ui.label(f'Respons awal paling lambat {wib(first.due_at)}.').classes('lapor-muted')
                ui.link('Buka aduan ini', f'/admin/aduan/{result.code}').mark('open-complaint')
            ui.button('Catat aduan berikutnya', on_click=lambda: ui.navigate.to('/admin/aduan/baru')).props(
                'unelevated color=primary no-caps').classes('lapor-submit').mark('next')
        self.result.set_visibility(True)


class _ScreeningPage:
    """Posts screened in the last 30 days, newest first; supervisors reverse a screening-out and edit the list."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.supervisor = actor.role == Role.SUPERVISOR

    async def build(self) -> None:
        ui.html('<section class="lapor-card"><h1>Penyaringan media sosial</h1><p class="lapor-muted">Unggahan yang '
                'disaring dalam 30 hari terakhir, yang diterima maupun yang disaring keluar. Data unggahan tidak '
                'pernah tampil ke publik.</p></section>', sanitize=False)
        self.rows = ui.element('div').mark('screenings')
        await self.show_rows()
        if self.supervisor:
            self.criteria_box = ui.element('section').classes('lapor-card lapor-form').mark('criteria')
            await self.show_criteria()

    async def show_rows(self) -> None:
        rows = await intake.screenings(self.actor, since=clock.now() - timedelta(days=30))
        self.rows.clear()
        with self.rows:
            if not rows:
                ui.label('Belum ada unggahan yang disaring dalam 30 hari terakhir.').classes('lapor-muted')
            for row in rows:
                with ui.element('section').classes('lapor-card').mark(f'screening-{row.id}'):
                    outcome = 'Diterima' if row.outcome == 'passed' else 'Disaring keluar'
                    reversed_text = (f'<p class="lapor-muted">Diubah oleh {escape(row.reversed_by or "")} pada '
                                     f'{wib_short(row.reversed_at)}: {escape(row.reversal_note or "")}</p>'
                                     if row.reversed_at else '')
                    ui.html(f'<h2>{outcome}{" · " + escape(row.code) if row.code else ""}</h2>'
                            f'<p>{escape(row.platform)} · {escape(row.author_handle)} · '
                            f'<a href="{escape(row.post_url)}" target="_blank" rel="noopener noreferrer">tautan</a> · '
                            f'diunggah {wib_short(row.posted_at)}</p>'
                            f'<p class="lapor-pre">{escape(row.post_text[:500])}</p>'
                            + (f'<p class="lapor-note">Alasan: {escape(row.reasons)}</p>' if row.reasons else '')
                            + f'<p class="lapor-muted">Disaring oleh {escape(row.screened_by)} pada '
                              f'{wib_short(row.screened_at)}</p>' + reversed_text, sanitize=False)
                    if self.supervisor and row.outcome == 'screened_out' and row.reversed_at is None:
                        note = text_input('Alasan membatalkan penyaringan', marker=f'reverse-note-{row.id}',
                                          max_length=intake.MAX_NOTE)
                        ui.button('Terima sebagai aduan', on_click=lambda r=row, n=note: self.reverse(r.id, n)).props(
                            'outline color=primary no-caps').mark(f'reverse-{row.id}')
                    elif self.supervisor and row.outcome == 'passed' and row.reversed_at is None and row.code:
                        note = text_input('Alasan menyaring keluar', marker=f'reverse-note-{row.id}',
                                          max_length=intake.MAX_NOTE)
                        ui.button('Saring keluar dan tolak aduan', on_click=lambda r=row, n=note: self.reverse(
                            r.id, n, accept=False)).props('outline color=negative no-caps').mark(f'reverse-{row.id}')

    async def reverse(self, screening_id: int, note: ui.input, *, accept: bool = True) -> None:
        note.error = None
        try:
            if accept:
                submitted = await intake.accept_screened_out(self.actor, screening_id, note=note.value or '')
            else:
                await intake.screen_out_passed(self.actor, screening_id, note=note.value or '')
        except ValidationFailed as error:
            note.error = next(iter(error.errors.values()))
            return
        except SessionEnded:
            session.to_login('/admin/penyaringan')
            return
        except DomainError as error:
            ui.notify(error.message, type='warning', position='top', icon='none')
            return
        ui.notify(f'Unggahan diterima sebagai aduan {submitted.code}.' if accept else
                  'Unggahan disaring keluar dan aduannya ditolak.', position='top', icon='none')
        await self.show_rows()

    async def show_criteria(self) -> None:
        checklist = await intake.criteria(active_only=False)
        self.criteria_box.clear()
        with self.criteria_box:
            ui.html('<h2>Kriteria penyaringan</h2><p class="lapor-muted">Unggahan diterima bila semua kriteria wajib '
                    'terpenuhi. Kriteria anjuran dicatat tetapi tidak menentukan.</p>', sanitize=False)
            for item in [*checklist, None]:
                with ui.element('div').classes('lapor-row'):
                    suffix = item.id if item else 'new'
                    text = text_input('Kriteria' if item else 'Kriteria baru', marker=f'criterion-text-{suffix}',
                                      max_length=intake.MAX_CRITERION)
                    text.value = item.text if item else ''
                    required = ui.checkbox('Wajib', value=item.required if item else True).mark(
                        f'criterion-required-{suffix}')
                    active = ui.checkbox('Aktif', value=item.active if item else True).mark(
                        f'criterion-active-{suffix}')
                    ui.button('Simpan' if item else 'Tambah', on_click=lambda i=item, t=text, r=required, a=active:
                              self.save_criterion(i, t, r, a)).props('outline color=primary no-caps').mark(
                        f'criterion-save-{suffix}')

    async def save_criterion(self, item: intake.Criterion | None, text: ui.input, required: ui.checkbox,
                             active: ui.checkbox) -> None:
        text.error = None
        try:
            await intake.save_criterion(self.actor, criterion_id=item.id if item else None, text=text.value or '',
                                        required=bool(required.value), active=bool(active.value))
        except ValidationFailed as error:
            text.error = next(iter(error.errors.values()))
            return
        except SessionEnded:
            session.to_login('/admin/penyaringan')
            return
        except (NotAllowed, DomainError) as error:
            ui.notify(error.message, type='warning', position='top', icon='none')
            return
        ui.notify('Kriteria disimpan.', position='top', icon='none')
        await self.show_criteria()


async def operator_home(actor: Actor) -> None:
    """The operator's board: the complaints they entered, newest first, and the way to enter the next one."""
    with ui.element('section').classes('lapor-card'):
        ui.html('<h1>Aduan yang Anda catat</h1>', sanitize=False)
        ui.link('Catat aduan baru', '/admin/aduan/baru').classes('lapor-link-button').mark('new-intake')
    rows = await intake.entered_by(actor)
    if not rows:
        ui.label('Belum ada aduan yang Anda catat.').classes('lapor-muted').mark('no-entries')
        return
    cells = ''.join(
        f'<tr><td><a href="/admin/aduan/{escape(r.code)}">{escape(r.code)}</a></td><td>{escape(r.title)}</td>'
        f'<td>{CHANNEL_LABELS[r.channel]}</td><td>{escape(r.reference)}</td><td>{wib_short(r.source_at)}</td>'
        f'<td>{STATUS_LABELS[r.status]}</td></tr>' for r in rows)
    ui.html('<div class="lapor-settings-table"><table><thead><tr><th>Kode</th><th>Judul</th>'
            '<th>Kanal</th><th>Referensi</th><th>Dilaporkan</th><th>Status</th></tr></thead>'
            f'<tbody>{cells}</tbody></table></div>', sanitize=False).mark('entries')
