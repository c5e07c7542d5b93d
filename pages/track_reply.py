"""The reporter answers back on the tracking page: add information, rate, reopen — each with the PIN."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from nicegui import ui

from components.design import escape, wib
from components.fields import styled, text_input
from components.photo_picker import PhotoPicker
from services import clock, workflow
from services.complaints import PinLimited, PublicView
from services.complaints_labels import STATUS_LABELS
from services.errors import DomainError, RateLimited, ValidationFailed
from services.settings import settings
from services.validation import DESCRIPTION_MAX
from services.workflow import Action

# Material "star" as an SVG path: Quasar draws it inline, so no icon font is downloaded
STAR_ICON = 'M12 17.27 18.18 21l-1.64-7.03L22 9.24l-7.19-.61L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21z|0 0 24 24'


class ReplyPanel:
    """Three small forms, each shown only when its move is allowed now, and one PIN field they share (hidden
    once the PIN was given on this page). Each form carries a request key, renewed after it succeeds, so a
    double tap or a resend after a reconnect makes its move once."""

    def __init__(self, view: PublicView, *, address: str | None, pin: str | None,
                 on_pin: Callable[[str], None]) -> None:
        self.code_key = view.code_key
        self.address = address
        self.known_pin = pin
        self.on_pin = on_pin
        self.sending = False
        self.keys = {action: secrets.token_urlsafe(18) for action in (Action.ADD_INFO, Action.RATE, Action.REOPEN)}
        with ui.element('section').classes('lapor-card lapor-form').mark('reply') as self.card:
            self.heading = ui.html('', sanitize=False).mark('reply-heading')  # the heading, and the officer's question
            self.pin = text_input('PIN aduan', marker='reply-pin', inputmode='numeric', autocomplete='off',
                                  max_length=6, hint='PIN yang Anda terima saat mengirim aduan')
            # Each form is built the first time the complaint allows it, above the status line: most visitors of an
            # open complaint never need the rating's or the reopening's fields, and every element costs server time
            # on every page
            self.info_box: ui.element | None = None
            self.rate_box: ui.element | None = None
            self.rated: ui.label | None = None
            self.reopen_box: ui.element | None = None
            self.done = ui.label().classes('lapor-saved').props('role=status aria-live=polite').mark('reply-done')
        self.show(view)

    def _box(self) -> ui.element:
        """A new container in the card, placed above the status line."""
        with self.card:
            box = ui.element('div').classes('lapor-form')
        box.move(self.card, target_index=self.card.default_slot.children.index(self.done))
        return box

    def _build_info(self) -> ui.element:
        with self._box() as box:
            self.info = styled(ui.textarea('Informasi tambahan'), 'outlined stack-label autogrow counter '
                               'hide-bottom-space', {'maxlength': DESCRIPTION_MAX}).mark('info')
            self.photos = PhotoPicker(upload_url='/api/foto', max_photos=settings.max_photos,
                                      title=f'Foto (opsional, maksimal {settings.max_photos})').mark('info-photos')
            ui.button('Kirim informasi', on_click=self._add_info).classes('lapor-submit').props(
                'unelevated color=primary no-caps').mark('send-info')
        return box

    def _build_rate(self) -> ui.element:
        with self._box() as box:
            ui.label('Seberapa puas Anda dengan penanganan aduan ini?')
            self.stars = ui.rating(value=0, max=5, size='44px', icon=STAR_ICON).props(
                'color=amber-9 color-selected=amber-9 no-dimming').mark('stars')
            self.stars_error = ui.label().classes('lapor-field-error').mark('stars-error')
            self.comment = styled(ui.textarea('Komentar (opsional)'), 'outlined stack-label autogrow '
                                  'hide-bottom-space', {'maxlength': workflow.MAX_COMMENT}).mark('comment')
            ui.button('Kirim penilaian', on_click=self._rate).classes('lapor-submit').props(
                'unelevated color=primary no-caps').mark('send-rating')
        return box

    def _build_reopen(self) -> ui.element:
        with self._box() as box:
            self.reopen_intro = ui.html('', sanitize=False)
            self.reason = styled(ui.textarea('Alasan membuka kembali'), 'outlined stack-label autogrow '
                                 'hide-bottom-space', {'maxlength': workflow.MAX_COMMENT}).mark('reason')
            ui.button('Buka kembali aduan', on_click=self._reopen).props(
                'outline color=primary no-caps').classes('lapor-submit').mark('send-reopen')
        return box

    @staticmethod
    def _ensure(box: ui.element | None, build: Callable[[], ui.element], needed: bool) -> ui.element | None:
        """The box, built now if it is needed for the first time, shown only while needed."""
        if box is None and needed:
            box = build()
        if box is not None:
            box.set_visibility(needed)
        return box

    def show(self, view: PublicView) -> None:
        """Show the forms the complaint allows now (``view`` as its holder may see it)."""
        status = view.status.value
        # what the reporter may do now is the workflow map's answer, not a copy of it
        can_add = workflow.may(workflow.Party.REPORTER, Action.ADD_INFO, view.status)
        can_rate = workflow.may(workflow.Party.REPORTER, Action.RATE, view.status) and view.rating is None
        can_reopen = view.reopen_until is not None and clock.now() < view.reopen_until
        shown = can_add or can_rate or can_reopen or view.rating is not None
        self.card.set_visibility(view.content_visible and shown)
        if not view.content_visible:  # a locked rahasia page carries nothing of the reporter's
            return
        waiting = status == 'menunggu_pelapor'
        question = next((e.message for e in reversed(view.events) if e.kind == 'waiting'), '') if waiting else ''
        heading = ('Petugas menunggu informasi dari Anda' if waiting else 'Tambah informasi' if can_add else
                   'Penilaian Anda')
        self.heading.content = f'<h2>{heading}</h2>' + (
            f'<p class="lapor-note lapor-pre">{escape(question)}</p>' if question else '')
        self.info_box = self._ensure(self.info_box, self._build_info, can_add)
        self.rate_box = self._ensure(self.rate_box, self._build_rate, can_rate)
        self.reopen_box = self._ensure(self.reopen_box, self._build_reopen, can_reopen)
        if can_reopen:
            assert view.reopen_until is not None
            self.reopen_intro.content = ('<h3>Masalahnya belum tuntas?</h3><p class="lapor-muted">Anda dapat membuka '
                                         'kembali aduan ini satu kali, paling lambat '
                                         f'{escape(wib(view.reopen_until))}.</p>')
        if view.rating is not None:
            if self.rated is None:
                with self._box():
                    self.rated = ui.label().mark('rated')
            stars = '★' * view.rating + '☆' * (5 - view.rating)
            comment = f' — "{view.rating_comment}"' if view.rating_comment else ''
            self.rated.text = f'Penilaian Anda: {stars} ({view.rating} dari 5){comment}'
        self.pin.set_visibility(self.known_pin is None and (can_add or can_rate or can_reopen))

    async def _add_info(self) -> None:
        self.info.error = None
        self.photos.error = None
        await self._send(Action.ADD_INFO, message=self.info.value or '', photo_tokens=list(self.photos.tokens),
                         done='Terima kasih. Informasi Anda sudah diteruskan ke petugas.', clear=self._clear_info)

    async def _rate(self) -> None:
        self.stars_error.text = ''
        self.comment.error = None
        await self._send(Action.RATE, rating=int(self.stars.value or 0), message=self.comment.value or '',
                         done='Terima kasih atas penilaian Anda.', clear=lambda: None)

    async def _reopen(self) -> None:
        self.reason.error = None
        await self._send(Action.REOPEN, message=self.reason.value or '',
                         done='Aduan dibuka kembali dan diteruskan ke petugas.', clear=lambda: setattr(
                             self.reason, 'value', ''))

    def _clear_info(self) -> None:
        self.info.value = ''
        self.photos.restore([])

    async def _send(self, action: str, *, done: str, clear: Callable[[], None], **fields) -> None:
        if self.sending:  # a double tap while the first is on its way
            return
        pin = self.known_pin or (self.pin.value or '').strip()
        self.pin.error = None
        self.done.text = ''
        if not pin:
            self.pin.error = 'Masukkan PIN aduan ini.'
            return
        self.sending = True
        try:
            view = await workflow.reporter_act(code_key=self.code_key, pin=pin, action=action,
                                               request_key=self.keys[action], client_address=self.address, **fields)
        except ValidationFailed as error:
            self._show_errors(action, error.errors)
            return
        except (PinLimited, RateLimited) as error:
            self._tell(error.message, about_pin=True)
            return
        except DomainError as error:
            self._tell(error.message, about_pin='PIN' in error.message)
            return
        finally:
            self.sending = False
        self.keys[action] = secrets.token_urlsafe(18)  # the next move of this kind is a new one
        if self.known_pin is None:
            self.known_pin = pin
            self.on_pin(pin)
        clear()
        self.done.text = f'{done} Status aduan: {STATUS_LABELS[view.status]}.'
        self.show(view)

    def _tell(self, message: str, *, about_pin: bool) -> None:
        """A refusal under the PIN field while it is shown; otherwise where the reporter looks (a wait, a
        conflict), never into a hidden field."""
        if about_pin and self.pin.visible:
            self.pin.error = message
        else:
            ui.notify(message, type='warning', position='center', multi_line=True)

    def _show_errors(self, action: str, errors: dict[str, str]) -> None:
        if 'photos' in errors:
            self.photos.error = errors['photos']
        if 'rating' in errors:
            self.stars_error.text = errors['rating']
        if 'message' in errors:
            field = {Action.ADD_INFO: 'info', Action.RATE: 'comment', Action.REOPEN: 'reason'}[action]
            getattr(self, field).error = errors['message']
