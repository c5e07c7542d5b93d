"""The citizen's submit page, ``/``: one form, a draft kept in the browser, the code on success."""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import Request
from nicegui import ui

from components.attribute_fields import AttributeFields
from components.card import Card
from components.design import wib_time
from components.duplicate_hint import DuplicateHint
from components.fields import select, styled, text_input
from components.form_draft import FormDraft
from components.frame import frame
from components.photo_picker import PhotoPicker
from components.qr import qr_svg
from services import attachments, complaints, open311_attributes
from services.complaints import Submitted
from services.complaints_labels import PRIVACY_LABELS
from services.errors import RateLimited, ValidationFailed
from services.settings import settings
from services.validation import DESCRIPTION_MAX, NAME_MAX, TITLE_MAX

DRAFT_KEY = 'lapor-draft-v1'
PRIVACY_VALUES = list(PRIVACY_LABELS)


def create() -> None:
    @ui.page('/', title=f'{settings.app_name} · {settings.region_name}')
    async def submit_page(request: Request) -> None:
        categories = await complaints.active_categories()
        districts = await complaints.districts()
        with frame() as main:
            _SubmitForm(main, categories, districts,
                        client_address=request.client.host if request.client else None)


def _tracking_url(code: str) -> str:
    return f'{settings.public_url.rstrip("/")}/lacak/{code}'


class _SubmitForm:
    """The form and, once sent, the success panel in its place."""

    def __init__(self, container: ui.element, categories: list[tuple[int, str, str]],
                 districts: list[tuple[int, str]], *, client_address: str | None) -> None:
        self.client_address = client_address
        self.token = secrets.token_urlsafe(18)
        self.sending = False
        self.container = container
        self.consent_error: ui.label | None = None  # made on the first error: a page built once per visit
        self.summary: ui.label | None = None  # stays lean (every element costs server time per page)
        self._build(categories, districts)

    def _build(self, categories: list[tuple[int, str, str]], districts: list[tuple[int, str]]) -> None:
        with Card('<h1>Sampaikan aduan Anda</h1><p class="lapor-muted">Setiap aduan mendapat respons awal paling '
                  'lambat 2 jam dan ditindaklanjuti paling lambat 7 × 24 jam.</p>', classes='lapor-card lapor-form') \
                as first_card:
            self.draft = FormDraft(first_card, DRAFT_KEY, self.token, self._restore)
            self.category = select({cid: name for cid, name, _ in categories}, 'Kategori', marker='category')
            # a category's extra questions (most have none), asked once it is picked
            self.questions = AttributeFields(ui.element('div').classes('lapor-form').mark('questions'))
            self.title = text_input('Judul singkat', marker='title', max_length=TITLE_MAX,
                                    hint='Contoh: Jalan berlubang di depan SD Kalianget')
            self.description = styled(ui.textarea('Uraian aduan'), 'outlined stack-label autogrow counter '
                                      'hide-bottom-space', {'maxlength': DESCRIPTION_MAX, 'hint': 'Ceritakan apa, di '
                                      'mana, dan sejak kapan (minimal 20 karakter)'}).mark('description')
            self.district = select(dict(districts), 'Kecamatan', marker='district')
            # Similar open complaints of this category and kecamatan, once some words are typed: the citizen may
            # follow one instead, or ignore them and send
            self.similar = DuplicateHint(category=self.category, district=self.district, title=self.title,
                                         description=self.description, client_address=self.client_address)
            self.village = text_input('Desa/kelurahan', marker='village', max_length=100)
            self.address = text_input('Detail lokasi', marker='address', max_length=300,
                                      hint='Nama jalan, RT/RW, patokan terdekat')
            self._build_location()
            self.photos = PhotoPicker(upload_url='/api/foto', max_photos=settings.max_photos,
                                      title=f'Foto (opsional, maksimal {settings.max_photos})').mark('photos')
        with Card('<h2>Data pelapor</h2><p class="lapor-muted">Nomor HP dan email tidak pernah ditampilkan '
                  'kepada umum.</p>', classes='lapor-card lapor-form'):
            self.name = text_input('Nama', marker='reporter_name', max_length=NAME_MAX)
            self.phone = text_input('Nomor HP', marker='reporter_phone', type='tel', inputmode='tel',
                                    autocomplete='tel', hint='Contoh: 0812 3456 7890')
            self.email = text_input('Email (opsional)', marker='reporter_email', type='email', inputmode='email',
                                    autocomplete='email')
            self.notify = ui.checkbox('Kirimi saya kabar: setiap perkembangan aduan ini dikirim ke nomor HP (SMS) '
                                      'dan email di atas.').mark('notify')
            ui.html('<strong>Privasi aduan</strong>', sanitize=False)
            self.privacy = ui.radio({p: f'{label}: {text}' for p, (label, text) in PRIVACY_LABELS.items()},
                                    value=PRIVACY_VALUES[0]).mark('privacy')
            self.consent = ui.checkbox('Saya menyatakan aduan ini benar dan menyetujui data saya digunakan untuk '
                                       'menangani aduan ini.').mark('consent')
            self.send = ui.button('Kirim aduan', on_click=self._submit).classes('lapor-submit').props(
                'unelevated color=primary no-caps').mark('submit')
        self.fields: dict[str, Any] = {
            'category': self.category, 'title': self.title, 'description': self.description,
            'district': self.district, 'village': self.village, 'address': self.address,
            'reporter_name': self.name, 'reporter_phone': self.phone, 'reporter_email': self.email,
        }
        for name, field in self.fields.items():
            self.draft.keep(name, field, value='v?.label ?? null' if isinstance(field, ui.select) else 'v')
            field.on_value_change(lambda _, field=field: setattr(field, 'error', None))
        self.category.on_value_change(self._category_changed)
        self.draft.keep('privacy', self.privacy)
        self.draft.keep('consent', self.consent)
        self.draft.keep('notify', self.notify)
        self.draft.keep('photos', self.photos, event='change')

    def _build_location(self) -> None:
        """An optional button that reads the phone's GPS in the browser (nothing loaded from elsewhere)."""
        self.latitude: float | None = None
        self.longitude: float | None = None
        with ui.element('div').classes('lapor-row'):
            self.locate = ui.button('Gunakan lokasi saya').props('outline no-caps color=primary').mark('locate')
            self.location_clear = ui.button('Hapus lokasi', on_click=lambda: self._set_location(None)).props(
                'flat no-caps color=primary').mark('location-clear')
            self.location_clear.set_visibility(False)
        self.location_status = ui.label().classes('lapor-muted').props('role=status aria-live=polite').mark(
            'location-status')
        self.locate.on('click', self._located, js_handler=_LOCATE_JS.replace('KEY', json.dumps(DRAFT_KEY)))

    async def _category_changed(self) -> None:
        """Ask the picked category's extra questions (none for most)."""
        category = self.category.value
        self.questions.show(await open311_attributes.for_category(category) if isinstance(category, int) else [])

    def _located(self, e: Any) -> None:
        """The browser's answer: a point, or why there is none (the codes of GeolocationPositionError)."""
        args = e.args if isinstance(e.args, dict) else {}
        if args.get('busy'):
            self.location_status.text = 'Mencari lokasi Anda…'
            return
        if args.get('error') is not None:
            kept = ' Lokasi yang tersimpan sebelumnya tetap dikirim.' if self.latitude is not None else ''
            self.location_status.text = _LOCATION_ERRORS.get(args['error'], _LOCATION_ERRORS[2]) + kept
            return
        self._set_location(args.get('point'), args.get('accuracy'))

    def _set_location(self, point: Any, accuracy: Any = None) -> None:
        """Keep ``point`` ([latitude, longitude] from the browser, checked here) or forget it (None)."""
        valid = (isinstance(point, list) and len(point) == 2 and all(isinstance(v, int | float) for v in point)
                 and -90 <= point[0] <= 90 and -180 <= point[1] <= 180)
        self.latitude, self.longitude = (float(point[0]), float(point[1])) if valid else (None, None)
        self.location_clear.set_visibility(valid)
        self.locate.text = 'Perbarui lokasi' if valid else 'Gunakan lokasi saya'
        if not valid:
            self.location_status.text = ''
            self.client.run_javascript(f'window.laporDraft?.put({json.dumps(DRAFT_KEY)}, "location", null)')
            return
        near = f' (akurasi ± {round(accuracy)} m)' if isinstance(accuracy, int | float) and accuracy > 0 else ''
        self.location_status.text = f'Lokasi tersimpan: {self.latitude:.5f}, {self.longitude:.5f}{near}.'

    @property
    def client(self) -> Any:
        return self.container.client

    async def _restore(self, draft: dict[str, Any]) -> None:
        """Put a draft kept in the browser back into the form (after a reload or a dropped connection)."""
        if self.sending or not hasattr(self, 'fields'):
            return
        self.token = FormDraft.token_of(draft, self.token)
        FormDraft.fill(self.fields, draft)
        if isinstance(draft.get('privacy'), int) and 0 <= draft['privacy'] < len(PRIVACY_VALUES):
            self.privacy.value = PRIVACY_VALUES[draft['privacy']]
        if isinstance(draft.get('consent'), bool):
            self.consent.value = draft['consent']
        if isinstance(draft.get('notify'), bool):
            self.notify.value = draft['notify']
        if draft.get('location'):
            self._set_location(draft['location'])
        tokens = [t for t in draft.get('photos') or [] if isinstance(t, str)]
        items = [{'token': t, 'url': attachments.signed_url(sha)}
                 for t in tokens[:settings.max_photos] if (sha := attachments.read_token(t))]
        if items:
            self.photos.restore(items)

    async def _submit(self) -> None:
        if self.sending:  # a double tap: the first tap is already on its way
            return
        self.sending = True
        self.send.props('loading')
        try:
            result = await complaints.submit(
                category_id=self.category.value, title=self.title.value, description=self.description.value or '',
                district_id=self.district.value, village=self.village.value, address=self.address.value,
                reporter_name=self.name.value, reporter_phone=self.phone.value, reporter_email=self.email.value,
                latitude=self.latitude, longitude=self.longitude,
                privacy=self.privacy.value, consent=bool(self.consent.value),
                notify_reporter=bool(self.notify.value), photo_tokens=self.photos.tokens,
                attribute_answers=self.questions.answers(),
                idempotency_key=self.token, client_address=self.client_address)
        except ValidationFailed as error:
            self._show_errors(error.errors)
            return
        except RateLimited as error:
            self._show_errors({}, error.message)
            return
        finally:
            self.sending = False
            self.send.props(remove='loading')
        self.draft.clear()
        self.container.clear()
        with self.container:
            _success(result, news_to=_news_to(self.notify.value, self.phone.value, self.email.value))
        # The form was scrolled down to its button: the new, shorter page would open part-way, the code cut off.
        # After the browser has drawn it (a frame later), go to its top.
        self.client.run_javascript('requestAnimationFrame(() => window.scrollTo(0, 0))')

    def _show_errors(self, errors: dict[str, str], message: str | None = None) -> None:
        for name, field in self.fields.items():
            field.error = errors.get(name)
        self.photos.error = errors.get('photos')
        consent = errors.get('consent') or errors.get('privacy') or ''
        if consent and self.consent_error is None:
            self.consent_error = self._label_after(self.consent, 'lapor-field-error', 'consent-error')
        if self.consent_error is not None:
            self.consent_error.text = consent
        if self.summary is None:
            self.summary = self._label_after(self.send, 'lapor-alert', 'form-error', before=True)
        # In the order the form shows them (the service finds some later than others), and the first one brought
        # into view with the keyboard on it: a toast alone left a citizen looking at the button, not the field.
        asked = self.questions.show_errors(errors)
        ordered = sorted(errors, key=_form_position)
        names = dict.fromkeys(_FIELD_NAMES.get(_QUESTIONS if name.startswith('attribute[') else name, name)
                              for name in ordered)
        self.summary.text = message or 'Aduan belum terkirim. Mohon perbaiki isian yang ditandai merah: ' + \
            ', '.join(names) + '.'
        first = next((element for name in ordered if (element := asked[0] if name.startswith('attribute[') and asked
                                                      else self._element_of(name)) is not None), None)
        if first is not None:
            self.client.run_javascript(_FOCUS_JS.replace('ID', json.dumps(first.html_id)))
        else:
            ui.notify(self.summary.text, type='warning', position='top', icon='none')

    def _element_of(self, name: str) -> ui.element | None:
        if name in self.fields:
            return self.fields[name]
        return {'photos': self.photos, 'location': self.locate, 'consent': self.consent,
                'privacy': self.privacy}.get(name)

    @staticmethod
    def _label_after(anchor: ui.element, classes: str, marker: str, *, before: bool = False) -> ui.label:
        """A message label placed next to ``anchor`` (after it, or just before it)."""
        parent = anchor.parent_slot.parent
        with parent:
            label = ui.label().classes(classes).mark(marker)
        label.move(parent, target_index=parent.default_slot.children.index(anchor) + (0 if before else 1))
        return label


_QUESTIONS = 'questions'  # the category's extra questions, as one place in the form's order
_FORM_ORDER = ['category', _QUESTIONS, 'title', 'description', 'district', 'village', 'address', 'location', 'photos',
               'reporter_name', 'reporter_phone', 'reporter_email', 'privacy', 'consent']
_FIELD_NAMES = {
    'category': 'kategori', 'title': 'judul', 'description': 'uraian', 'district': 'kecamatan',
    'reporter_name': 'nama', 'reporter_phone': 'nomor HP', 'reporter_email': 'email', 'consent': 'persetujuan',
    'photos': 'foto', 'privacy': 'privasi', 'location': 'lokasi', _QUESTIONS: 'pertanyaan tambahan',
}


def _form_position(name: str) -> int:
    name = _QUESTIONS if name.startswith('attribute[') else name
    return _FORM_ORDER.index(name) if name in _FORM_ORDER else len(_FORM_ORDER)


# Quasar draws a field's error a tick after its prop arrives; then the field is centred (not under the header) and its
# input focused, so a phone opens its keyboard there.
_FOCUS_JS = '''setTimeout(() => {
  const field = document.getElementById(ID);
  if (!field) return;
  field.scrollIntoView({block: "center"});
  (field.querySelector("input, textarea, [tabindex]") || field).focus({preventScroll: true});
}, 50)'''

# Asks the browser for the phone's position (the page's Permissions-Policy allows it for this site only) and sends
# the server only the point, or the reason there is none: 1 refused, 2 unavailable, 3 too slow, 0 not supported.
_LOCATE_JS = '''() => {
  const geo = window.isSecureContext !== false && navigator.geolocation;
  if (!geo) { emit({error: 0}); return; }
  emit({busy: true});
  geo.getCurrentPosition((p) => {
    const point = [p.coords.latitude, p.coords.longitude];
    window.laporDraft?.put(KEY, "location", point);
    emit({point, accuracy: p.coords.accuracy});
  }, (e) => emit({error: e.code}), {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
}'''
_LOCATION_ERRORS = {
    0: 'Browser ini tidak dapat membagikan lokasi. Tuliskan saja detail lokasi di atas.',
    1: 'Izin lokasi ditolak. Aduan tetap bisa dikirim: tuliskan detail lokasi di atas, atau izinkan akses lokasi '
       'untuk situs ini di pengaturan browser lalu coba lagi.',
    2: 'Lokasi Anda belum dapat ditemukan. Pastikan GPS (lokasi) di ponsel aktif lalu coba lagi, atau tuliskan '
       'saja detail lokasi di atas.',
    3: 'Pencarian lokasi terlalu lama. Coba lagi di tempat terbuka, atau tuliskan saja detail lokasi di atas.',
}

# Copies in the browser (no server round trip); says so only when the copy worked.
_COPY_JS = '''(e) => {
  const label = e.target.closest("button").querySelector(".block");
  navigator.clipboard?.writeText("CODE").then(() => { label.textContent = "Tersalin"; }).catch(() => {
    label.textContent = "Salin manual: CODE";
  });
}'''


def _news_to(ticked: Any, phone: str | None, email: str | None) -> str:
    """Where the reporter's news goes, in words ('' when they did not ask)."""
    if not ticked:
        return ''
    ways = [way for way, given in (('SMS ke nomor HP', phone), ('email', email)) if (given or '').strip()]
    return ' dan '.join(ways)


def _success(result: Submitted, *, news_to: str = '') -> None:
    view = result.view
    url = _tracking_url(result.code)
    first, resolution = view.clocks[0], view.clocks[-1]
    with ui.element('section').classes('lapor-card').mark('success'):
        ui.html('<h1>Aduan Anda sudah kami terima</h1><p>Kode pelacakan:</p>', sanitize=False)
        ui.label(result.code).classes('lapor-code').mark('code')
        with ui.element('div').classes('lapor-row'):
            ui.button('Salin kode').props('outline no-caps color=primary').mark('copy').on(
                'click', js_handler=_COPY_JS.replace('CODE', result.code))
            ui.link('Lacak aduan', f'/lacak/{result.code}').classes('lapor-link-button').mark('track-link')
        ui.html(f'<div class="lapor-qr" role="img" aria-label="Kode QR alamat pelacakan">{qr_svg(url)}</div>',
                sanitize=False)
    with ui.element('section').classes('lapor-card'):
        ui.html('<h2>PIN rahasia</h2>', sanitize=False)
        ui.label(result.pin).classes('lapor-pin').mark('pin')
        if result.replayed:
            ui.label('Aduan ini sudah terkirim sebelumnya; PIN di atas adalah PIN barunya.').classes('lapor-muted')
        ui.html('<p class="lapor-note">Simpan kode dan PIN ini sekarang, misalnya dengan tangkapan layar. '
                'PIN hanya ditampilkan sekali ini dan diperlukan untuk melihat aduan rahasia serta '
                'menanggapi petugas. Jangan berikan PIN kepada siapa pun.</p>', sanitize=False)
    with ui.element('section').classes('lapor-card'):
        ui.html('<h2>Janji layanan</h2>', sanitize=False)
        ui.label(f'Respons awal paling lambat {wib_time(first.due_at)}.').mark('promise-first')
        ui.label(f'Penyelesaian paling lambat {wib_time(resolution.due_at)}.').mark('promise-resolution')
        if view.agency_name:
            ui.label(f'Ditangani oleh {view.agency_name}.').classes('lapor-muted')
        if news_to:
            ui.label(f'Kabar setiap perkembangan aduan ini akan kami kirim lewat {news_to} Anda, beserta tautan '
                     'pelacakannya. PIN tidak pernah dikirim.').mark('news-promise')
        ui.link('Kirim aduan lain', '/').classes('lapor-link-button')
