"""One complaint for staff, ``/admin/aduan/<code>``: everything about it and the actions."""

from __future__ import annotations

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

from components.design import escape, wib
from components.duplicate_hint import age_text
from components.fields import select, text_input
from components.frame import admin_frame
from components.sla_countdown import SlaCountdown
from components.timeline import Timeline
from services import attachments, complaints, duplicates, events, staff_view
from services.complaints_labels import (
    CHANNEL_LABELS,
    CLOCK_LABELS,
    PRIVACY_LABELS,
    ROLE_LABELS,
    SLA_STATE_LABELS,
    STATUS_LABELS,
)
from services.errors import DomainError, NotFound
from services.sessions import SessionEnded
from services.settings import settings
from services.staff_view import StaffDetail
from services.workflow import Action, Actor, Role, Status, act, merge_preview

from . import session

ACTION_LABELS = {
    Action.DISPATCH: 'Disposisikan', Action.REASSIGN: 'Alihkan ke OPD lain', Action.HAND_BACK: 'Bukan kewenangan',
    Action.REJECT: 'Tolak', Action.RESPOND: 'Kirim respons awal', Action.FOLLOW_UP: 'Kirim tindak lanjut',
    Action.WAIT: 'Minta informasi pelapor', Action.RESOLVE: 'Selesaikan', Action.NOTE: 'Simpan catatan internal',
    Action.MERGE: 'Gabungkan ke aduan lain',
}


def create() -> None:
    @ui.page('/admin/aduan/{code}', title=f'Aduan · {settings.app_name}')
    async def complaint_page(code: str) -> None:
        actor = await session.require_actor(f'/admin/aduan/{code}')
        if actor is None:
            return
        with admin_frame(actor.name, ROLE_LABELS[actor.role], supervisor=actor.role == Role.SUPERVISOR,
                         user_id=actor.user_id, intake=actor.role in (Role.OPERATOR, Role.SUPERVISOR)):
            key = complaints.code_key_of(code)
            try:
                detail = await staff_view.detail(actor, key or '')
            except NotFound as error:
                ui.label(error.message).classes('lapor-alert').mark('not-found')
                return
            view = _ComplaintView(actor, detail)
            await view.load_options()
            await view.load_similar()


class _ComplaintView:
    def __init__(self, actor: Actor, detail: StaffDetail) -> None:
        self.actor = actor
        self.detail = detail
        self.watch = session.watch_of_page()
        with ui.element('section').classes('lapor-card'):
            TextElement(tag='h1', text=detail.code).classes('lapor-code').mark('code')
            self.banner = ui.label().classes('lapor-note').mark('changed')
            self.banner.set_visibility(False)
            self.merged_note = ui.label().classes('lapor-note').mark('merged-into')
            self.merged_link = ui.link('Buka aduan tujuan', '#').mark('merged-link')
            with ui.element('dl').classes('lapor-dl'):
                self.facts = {name: _fact(label, name) for name, label in (
                    ('status', 'Status'), ('category', 'Kategori'), ('agency', 'OPD'), ('place', 'Lokasi'),
                    ('reported', 'Dilaporkan'), ('channel', 'Kanal'), ('privacy', 'Privasi'))}
            # Plain links a phone hands to its map app: nothing is loaded by this page (closed network).
            self.map_link = ui.html('', sanitize=False).mark('map-link')
            self.title = ui.label().classes('lapor-queue-title').mark('title')
            self.description = ui.label().classes('lapor-pre').mark('description')
            self.photos = ui.html('', sanitize=False).classes('lapor-photo-list')
            self.partner = ui.html('', sanitize=False).mark('partner-extras')  # Open311 (issue 12 §4)
            if actor.role in (staff_view.Role.SUPERVISOR, staff_view.Role.OPD_ADMIN):
                self.contact = ui.label().mark('contact')
                ui.button('Tampilkan kontak pelapor (tercatat)', on_click=self._show_contact).props(
                    'flat no-caps').mark('show-contact')
        with ui.element('section').classes('lapor-card'):
            ui.html('<h2>Batas waktu SOP</h2>', sanitize=False)
            self.countdowns = ui.element('div').classes('lapor-clocks')
            self.clock_history = ui.html('', sanitize=False).classes('lapor-muted').mark('clock-history')
        self.actions_card = ui.element('section').classes('lapor-card lapor-form')
        with ui.element('section').classes('lapor-card'):
            ui.html('<h2>Riwayat lengkap</h2>', sanitize=False)
            self.timeline = Timeline(()).mark('timeline')
        self._build_actions()
        self.show(detail)
        events.complaint_changed.subscribe(self._on_change)

    def _build_actions(self) -> None:
        with self.actions_card:
            ui.html('<h2>Tindakan</h2>', sanitize=False)
            self.templates = select({}, 'Templat jawaban', marker='template').props('clearable')
            self.templates.on_value_change(self._use_template)
            self.message = ui.textarea('Pesan').props('outlined autogrow maxlength=5000').mark('message')
            self.target = select({}, 'OPD tujuan', marker='target-agency')
            self.buttons = ui.element('div').classes('lapor-row')
            self.error = ui.label().classes('lapor-field-error').mark('action-error')
            self._build_merge()

    def _build_merge(self) -> None:
        """A supervisor merges this complaint into another open one by its code, after a confirmation that names
        both (issue 12 §3); what is typed in the message box goes with it as an internal note."""
        with ui.element('div').classes('lapor-form') as self.merge_box:
            ui.html('<h3>Gabungkan dengan aduan lain</h3><p class="lapor-muted">Untuk aduan yang membahas masalah yang '
                    'sama. Aduan ini akan berstatus "Digabung", batas waktunya berhenti (tidak dihitung), dan '
                    'pelapornya mengikuti perkembangan aduan tujuan.</p>', sanitize=False)
            self.merge_code = text_input('Kode aduan tujuan', marker='merge-into', max_length=24,
                                         hint=f'Contoh: {settings.code_prefix}-7K3M-9QXD', autocomplete='off',
                                         autocapitalize='characters')
            ui.button(ACTION_LABELS[Action.MERGE], on_click=self._ask_merge).props('outline no-caps color=primary') \
                .mark('action-merge')
            self.similar = ui.element('div').classes('lapor-similar').mark('merge-similar')  # filled on load
        with ui.dialog() as self.merge_dialog, ui.card().classes('lapor-card'):
            self.merge_question = ui.label().mark('merge-question')
            with ui.element('div').classes('lapor-row'):
                ui.button('Ya, gabungkan', on_click=self._merge).props('unelevated no-caps color=primary').mark(
                    'merge-confirm')
                ui.button('Batal', on_click=self.merge_dialog.close).props('flat no-caps').mark('merge-cancel')

    async def load_similar(self) -> None:
        """Open complaints like this one, to merge into with one tap (what a citizen writing it would be offered)."""
        if Action.MERGE not in self.detail.actions:
            return
        try:
            found = await duplicates.similar_to(self.actor, self.detail.code_key)
        except SessionEnded:
            self._leave()
            return
        self.similar.clear()
        if not found:
            return
        with self.similar:
            ui.html('<h3>Aduan serupa yang masih terbuka</h3>', sanitize=False)
            with ui.element('ul').classes('lapor-similar-list'):
                for suggestion in found:
                    with ui.element('li').mark('merge-candidate'):
                        ui.label(f'{suggestion.code} · {suggestion.title}').classes('lapor-similar-title')
                        ui.label(f'{STATUS_LABELS[suggestion.status]} · dilaporkan '
                                 f'{age_text(suggestion.reported_at)}').classes('lapor-muted')
                        ui.button('Pakai kode ini', on_click=lambda code=suggestion.code: self.merge_code.set_value(
                            code)).props('flat no-caps color=primary').mark('merge-pick')

    async def _ask_merge(self) -> None:
        self.error.text = ''
        self.merge_code.error = None
        try:
            code, about = await merge_preview(self.actor, code_key=self.detail.code_key,
                                              into=(self.merge_code.value or '')[:40])
        except SessionEnded:
            self._leave()
            return
        except DomainError as error:
            self.merge_code.error = error.message
            return
        self.merge_target = code
        self.merge_question.text = (f'Gabungkan aduan {self.detail.code} ke aduan {code}: {about}? Aduan '
                                    f'{self.detail.code} akan ditutup sebagai "Digabung" dan pelapornya mengikuti '
                                    f'aduan {code}. Tindakan ini tidak dapat dibatalkan.')
        self.merge_dialog.open()

    async def _merge(self) -> None:
        self.merge_dialog.close()
        await self._act(Action.MERGE, into=self.merge_target)

    def show(self, detail: StaffDetail) -> None:
        self.detail = detail
        values = {'status': STATUS_LABELS[Status(detail.status)], 'category': detail.category,
                  'agency': detail.agency or 'Belum didisposisikan', 'place': detail.place or '—',
                  'reported': wib(detail.reported_at), 'channel': CHANNEL_LABELS[detail.channel] + (
                      f' ({detail.source})' if detail.source else '') + _intake_text(detail),
                  'privacy': PRIVACY_LABELS[detail.privacy][0]}
        for name, element in self.facts.items():
            element.text = values[name]
        self.map_link.content = _map_links(detail.latitude, detail.longitude)
        self.title.text = detail.title or ''
        self.description.text = detail.description
        self.photos.content = ''.join(f'<a class="lapor-photo" href="{u}" target="_blank"><img src="{u}"></a>'
                                      for u in map(attachments.signed_url, detail.photos))
        self.partner.content = _partner_extras(detail)
        self.countdowns.clear()
        with self.countdowns:
            for record in detail.clocks:
                if record.view.stopped_at is None:
                    SlaCountdown(record.view)
        self.clock_history.content = '<br>'.join(
            f'{CLOCK_LABELS[r.view.kind]}: mulai {wib(r.view.started_at)}, batas {wib(r.view.due_at)} — '
            f'{SLA_STATE_LABELS[r.state.value].lower()}'
            + (f', terlampaui {wib(r.breached_at)}' if r.breached_at else '')
            for r in detail.clocks)
        self.timeline.show([event for event, _ in detail.events],
                           internal=[not public for _, public in detail.events])
        self.buttons.clear()
        with self.buttons:
            for action in detail.actions:
                if action == Action.MERGE:
                    continue  # its own box: a code to type and a confirmation
                ui.button(ACTION_LABELS[action], on_click=lambda a=action: self._act(a)).props(
                    'unelevated no-caps color=primary' if action != Action.NOTE else 'outline no-caps').mark(
                    f'action-{action}')
        self.actions_card.set_visibility(bool(detail.actions))
        self.merge_box.set_visibility(Action.MERGE in detail.actions)
        self.merged_note.text = (f'Aduan ini sudah digabungkan ke aduan {detail.merged_into}.'
                                 if detail.merged_into else '')
        self.merged_note.set_visibility(bool(detail.merged_into))
        self.merged_link.set_visibility(bool(detail.merged_into))
        if detail.merged_into:
            self.merged_link.props['href'] = f'/admin/aduan/{detail.merged_into}'
        self.target.set_visibility(any(a in detail.actions for a in (Action.DISPATCH, Action.REASSIGN)))

    async def load_options(self) -> None:
        self.target.set_options(dict(await complaints.agencies()))
        self.template_bodies = dict(await staff_view.templates(self.actor, self.detail.agency_id))
        self.templates.set_options(list(self.template_bodies))

    def _use_template(self) -> None:
        if self.templates.value:
            self.message.value = self.template_bodies.get(self.templates.value, '')

    async def _act(self, action: str, *, into: str | None = None) -> None:
        self.error.text = ''
        try:
            await act(self.actor, code_key=self.detail.code_key, action=action,
                      expected_version=self.detail.version, message=self.message.value or '',
                      agency_id=self.target.value, into=into)
        except SessionEnded:
            self._leave()
            return
        except DomainError as error:  # a Conflict too: the message stays in the box
            self.error.text = error.message
            return
        self.message.value = ''
        if action == Action.MERGE:
            self.merge_code.value = ''
        self.banner.set_visibility(False)
        try:
            fresh = await staff_view.detail(self.actor, self.detail.code_key)
        except NotFound:  # handed back: the complaint is no longer this OPD's to see
            session.leave_notice(f'Aduan {self.detail.code} dikembalikan ke Diskominfo untuk diteruskan.')
            ui.navigate.to('/admin')
            return
        except SessionEnded:
            self._leave()
            return
        self.show(fresh)
        ui.notify('Tersimpan.', position='top', icon='none')

    def _leave(self) -> None:
        session.to_login(f'/admin/aduan/{self.detail.code}')

    async def _on_change(self, news: events.ComplaintNews) -> None:
        if news.code_key != self.detail.code_key:
            return
        if self.watch is not None and not self.watch.valid:
            return  # the member's access changed: the page is leaving or being built again
        try:
            fresh = await staff_view.detail(self.actor, self.detail.code_key)
        except SessionEnded:
            self._leave()
            return
        except NotFound:
            self.banner.text = 'Aduan ini sudah tidak lagi ditangani OPD Anda.'
            self.banner.set_visibility(True)
            self.actions_card.set_visibility(False)
            return
        if fresh.version != self.detail.version and fresh.updated_by != self.actor.name:
            self.banner.text = f'Aduan ini baru saja diubah oleh {fresh.updated_by or "sistem"}.'
            self.banner.set_visibility(True)
        self.show(fresh)

    async def _show_contact(self) -> None:
        try:
            contact = await staff_view.contact(self.actor, self.detail.code_key)
        except SessionEnded:
            self._leave()
            return
        except DomainError as error:
            self.contact.text = error.message
            return
        self.contact.text = ' · '.join(p for p in (contact.name, contact.phone, contact.email) if p) or 'Tanpa kontak'


def _fact(label: str, name: str) -> TextElement:
    TextElement(tag='dt', text=label)
    return TextElement(tag='dd', text='').mark(f'fact-{name}')


def _partner_extras(detail: StaffDetail) -> str:
    """Open311 (issue 12 §4): the answers to the category's questions, and a partner's photo link as a plain link
    (the server never fetches it; the browser opens it only when the officer clicks)."""
    answers = ''.join(f'<dt>{escape(question)}</dt><dd>{escape(answer)}</dd>' for question, answer in detail.answers)
    html = f'<dl class="lapor-dl">{answers}</dl>' if answers else ''
    if detail.media_url:
        html += (f'<p><a href="{escape(detail.media_url)}" target="_blank" rel="noopener noreferrer nofollow">'
                 'Foto dari aplikasi mitra (tautan luar)</a></p>')
    return html


def _map_links(latitude: float | None, longitude: float | None) -> str:
    """The reporter's GPS point as links: ``geo:`` opens the phone's map app, OpenStreetMap a browser's."""
    if latitude is None or longitude is None:
        return ''
    lat, lon = f'{latitude:.6f}', f'{longitude:.6f}'
    osm = f'https://www.openstreetmap.org/?mlat={lat}&amp;mlon={lon}#map=18/{lat}/{lon}'
    point = f'{lat},{lon}'
    return (f'<p class="lapor-muted">Titik GPS pelapor: {point} · <a href="geo:{point}?q={point}">Buka di aplikasi '
            f'peta</a> · <a href="{osm}" target="_blank" rel="noopener noreferrer">OpenStreetMap</a></p>')


def _intake_text(detail: StaffDetail) -> str:
    """Where a complaint entered by staff came from, and when it was typed (back-dating stays visible)."""
    record = detail.intake
    if record is None:
        return ''
    parts = [f'ref. {record.reference}' if record.reference else '',
             ' '.join(p for p in (record.platform, record.author_handle, record.post_url) if p),
             f'dicatat {wib(record.typed_at)} oleh {record.operator_name}']
    return ' · ' + ' · '.join(p for p in parts if p)
