"""Tracking: ``/lacak`` asks for the code, ``/lacak/<code>`` follows the complaint live."""

from __future__ import annotations

from fastapi import Request
from nicegui import ui

from components.design import STATUS_COLOURS, escape, wib
from components.fields import text_input
from components.frame import frame
from components.sla_countdown import SlaCountdown
from components.timeline import Timeline
from services import attachments, complaints, events
from services.complaints import PinLimited, Privacy, PublicView
from services.complaints_labels import PRIVACY_LABELS, STATUS_LABELS
from services.errors import NotFound, RateLimited
from services.settings import settings
from services.sla import ClockKind

from .track_reply import ReplyPanel


def create() -> None:
    @ui.page('/lacak', title=f'Lacak aduan · {settings.app_name}')
    def lookup_page(request: Request) -> None:
        with frame():
            _LookupForm(_address(request))

    @ui.page('/lacak/{code}', title=f'Lacak aduan · {settings.app_name}')
    async def track_page(request: Request, code: str) -> None:
        address = _address(request)
        with frame():
            try:
                found = await complaints.look_up(code=code, client_address=address)
            except (NotFound, RateLimited) as error:
                ui.label(error.message).classes('lapor-alert').mark('lookup-error')
                _LookupForm(address, code=code)
                return
            _TrackView(found.view, address=address)


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


class _LookupForm:
    def __init__(self, address: str | None, code: str = '') -> None:
        self.address = address
        with ui.element('section').classes('lapor-card lapor-form') as self.card:
            ui.html('<h1>Lacak aduan</h1><p class="lapor-muted">Masukkan kode pelacakan, misalnya '
                    f'{settings.code_prefix}-7K3M-9QXD. PIN hanya diperlukan untuk aduan rahasia.</p>',
                    sanitize=False)
            self.code = text_input('Kode pelacakan', marker='code', autocapitalize='characters',
                                   autocomplete='off', spellcheck='false')
            self.code.value = code
            self.pin = text_input('PIN (opsional)', marker='pin', inputmode='numeric', autocomplete='off',
                                  max_length=6)
            self.code.on('keydown.enter', self._go)
            self.pin.on('keydown.enter', self._go)
            ui.button('Lacak', on_click=self._go).classes('lapor-submit').props(
                'unelevated color=primary no-caps').mark('lookup')

    async def _go(self) -> None:
        self.code.error = self.pin.error = None
        if not (self.code.value or '').strip():
            self.code.error = 'Masukkan kode pelacakan.'
            return
        try:
            found = await complaints.look_up(code=self.code.value, pin=self.pin.value,
                                             client_address=self.address)
        except PinLimited as error:  # the code was right: the wait is about this complaint's PIN
            self.pin.error = error.message
            return
        except (NotFound, RateLimited) as error:
            self.code.error = error.message
            return
        if found.pin_wrong:
            self.pin.error = 'PIN tidak cocok. Periksa kembali PIN yang Anda simpan.'
            return
        if not found.pin_ok:
            ui.navigate.to(f'/lacak/{found.view.code}')
            return
        # The PIN stays in this page only: the complaint opens here, and the address bar shows its
        # link, which asks for the PIN again when opened later (a shared phone keeps no secret).
        parent = self.card.parent_slot.parent
        self.card.delete()
        with parent:
            _TrackView(found.view, address=self.address, pin=self.pin.value.strip())
        ui.navigate.history.replace(f'/lacak/{found.view.code}')


class _TrackView:
    """The complaint as its holder may see it, kept live by the event bus."""

    def __init__(self, view: PublicView, *, address: str | None, pin: str | None = None) -> None:
        self.address = address
        self.key = view.code_key
        self.pin_ok = pin is not None
        self.pin_value = pin
        # Few elements, each built with its final props: every element and every prop change costs server time on
        # every page load (measured by make bench), so what never changes by itself on screen is one HTML element
        # per card, rewritten whole when the complaint changes
        label, meaning = PRIVACY_LABELS[view.privacy]
        self.privacy_note = f'Aduan {label.lower()}. {meaning}'  # what the choice means here; fixed, like the choice
        with ui.element('section').classes('lapor-card'):
            self.summary = ui.html('', sanitize=False).mark('summary')
            with ui.element('div').classes('lapor-clocks'):
                self.clocks = [SlaCountdown(view.clock(kind)).mark(f'clock-{kind.value}')
                               for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)]
        with ui.element('section').classes('lapor-card') as self.content_card:
            self.content = ui.html('', sanitize=False).mark('content')
        self.locked_card: ui.element | None = None  # the PIN form, only for a rahasia complaint (privacy is fixed)
        if view.privacy == Privacy.RAHASIA:
            with ui.element('section').classes('lapor-card lapor-form') as self.locked_card:
                ui.html('<p class="lapor-note">Aduan ini <strong>rahasia</strong>. Isi dan riwayatnya hanya terlihat '
                        'dengan PIN yang Anda terima saat mengirim aduan.</p>', sanitize=False)
                self.pin = text_input('PIN', marker='pin', inputmode='numeric', autocomplete='off', max_length=6)
                self.pin.on('keydown.enter', self._unlock)
                ui.button('Buka dengan PIN', on_click=self._unlock).props('unelevated color=primary no-caps').mark(
                    'unlock')
        self.reply = ReplyPanel(view.for_viewer(pin_ok=self.pin_ok), address=address, pin=pin,
                                on_pin=self._pin_given)
        with ui.element('section').classes('lapor-card') as self.timeline_card:
            self.timeline = Timeline((), heading='Riwayat penanganan').mark('timeline')
        self.show(view)
        events.complaint_changed.subscribe(self._on_change)

    def show(self, full: PublicView) -> None:
        view = full.for_viewer(pin_ok=self.pin_ok)
        followed = view.followed  # a merged complaint shows its survivor's status, clocks and progress
        facts = ''.join(f'<dt>{term}</dt><dd>{escape(value)}</dd>' for term, value in (
            ('Kategori', view.category_name),
            ('Ditangani', followed.agency_name or 'Menunggu verifikasi Diskominfo'),
            ('Dilaporkan', wib(view.reported_at))))
        self.summary.content = (
            f'<h1 class="lapor-code">{view.code}</h1>'
            f'<p class="lapor-status-line"><span class="lapor-status" style="background:'
            f'{STATUS_COLOURS[followed.status.value]}">{STATUS_LABELS[followed.status]}</span></p>'
            f'{_merged_note(view)}'
            f'<dl class="lapor-dl">{facts}</dl>'
            f'<p class="lapor-muted lapor-privacy-note">{escape(self.privacy_note)}</p>')
        for countdown, kind in zip(self.clocks, (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION), strict=True):
            if (clock_view := followed.clock(kind)) is not None:
                countdown.show(clock_view)
        self.content_card.set_visibility(view.content_visible)
        if self.locked_card is not None:
            self.locked_card.set_visibility(not view.content_visible)
        progress = followed.events if view.survivor is not None and followed.content_visible else ()
        self.timeline_card.set_visibility(view.content_visible or bool(progress))
        if progress:  # its own story up to the merge, then the survivor's public timeline
            self.timeline.show(sorted((*(view.events if view.content_visible else ()), *progress),
                                      key=lambda event: event.created_at))
        self.reply.show(view)
        if view.content_visible:
            place = ', '.join(p for p in (view.village, f'Kec. {view.district_name}' if view.district_name else None)
                              if p)
            photos = ''.join(
                f'<a class="lapor-photo" href="{url}" target="_blank"><img src="{url}" alt="Foto {i}" '
                f'loading="lazy"></a>' for i, url in enumerate(map(attachments.signed_url, view.photos), 1))
            self.content.content = ''.join((
                f'<h2>{escape(view.title)}</h2>' if view.title else '',
                f'<p class="lapor-muted">{escape(place)}</p>' if place else '',
                f'<p class="lapor-pre">{escape(view.description or "")}</p>',
                f'<div class="lapor-photo-list">{photos}</div>' if photos else ''))
            if not progress:
                self.timeline.show(view.events)

    def _pin_given(self, pin: str) -> None:
        """The PIN was right (unlocked here, or a reply was accepted): kept in this page only."""
        self.pin_ok, self.pin_value = True, pin
        self.reply.known_pin = pin

    def _on_change(self, news: events.ComplaintNews) -> None:
        if news.code_key == self.key:
            self.show(news.public)

    async def _unlock(self) -> None:
        self.pin.error = None
        try:
            found = await complaints.look_up(code=self.key, pin=self.pin.value or '', client_address=self.address)
        except (NotFound, RateLimited) as error:
            self.pin.error = error.message
            return
        if not found.pin_ok:
            self.pin.error = 'PIN tidak cocok. Periksa kembali PIN yang Anda simpan.'
            return
        self._pin_given(self.pin.value.strip())
        self.show(found.view)


def _merged_note(view: PublicView) -> str:
    """What a merged complaint's page says first: which complaint it follows now (a rahasia survivor unnamed)."""
    if view.survivor is None:
        return ''
    if not view.content_visible:  # a rahasia complaint without its PIN: that it was merged, nothing of where to
        return ('<p class="lapor-note" data-marker="merged">Aduan ini digabungkan ke aduan lain yang membahas masalah '
                'yang sama. Status dan batas waktunya mengikuti aduan tersebut.</p>')
    if view.merged_into:
        target = f'aduan <a href="/lacak/{view.merged_into}">{view.merged_into}</a>'
    else:
        target = 'aduan rahasia lain'
    return (f'<p class="lapor-note" data-marker="merged">Aduan ini digabungkan ke {target} karena membahas masalah '
            'yang sama. Status, batas waktu, dan perkembangan di halaman ini mengikuti aduan tersebut. Bila Anda '
            'meminta kabar lewat SMS atau email, kabar aduan tersebut juga dikirim kepada Anda.</p>')
