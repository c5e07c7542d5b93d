"""The staff header's notices: an unread count that follows the bus, and a list to open and clear."""

from __future__ import annotations

from nicegui import ui

from services import events, notifications

from .design import escape, wib_short


class NotificationBell:
    """A header button "Pemberitahuan (N)" for one staff member; the list opens in a dialog.

    The dialog is built on the first opening: every staff page carries the bell, most never open it, and
    each element a page holds costs server memory and garbage-collection time for as long as it is open.
    """

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self.button = ui.button('Pemberitahuan', on_click=self.open).props(
            'flat no-caps dense color=white').classes('lapor-bell').mark('notifications')
        self.dialog: ui.dialog | None = None
        events.staff_notified.subscribe(self._on_notified)

    def _build_dialog(self) -> ui.dialog:
        with self.button.parent_slot.parent, ui.dialog() as dialog, ui.card().classes('lapor-notices'):
            ui.html('<h2>Pemberitahuan</h2>', sanitize=False).mark('notices-title')
            self.list = ui.html('', sanitize=False).mark('notice-list')
            with ui.element('div').classes('lapor-row'):
                self.clear = ui.button('Tandai semua sudah dibaca', on_click=self.mark_read).props(
                    'unelevated no-caps color=primary').mark('notices-read')
                ui.button('Tutup', on_click=dialog.close).props('flat no-caps')
        return dialog

    async def refresh(self) -> None:
        count = await notifications.unread_count(user_id=self.user_id)
        self.button.text = f'Pemberitahuan ({count})' if count else 'Pemberitahuan'
        self.button.classes(add='lapor-bell-unread' if count else '', remove='' if count else 'lapor-bell-unread')

    async def open(self) -> None:
        notices = await notifications.unread(user_id=self.user_id)
        if self.dialog is None:
            self.dialog = self._build_dialog()
        items = ''.join(
            f'<li><small>{wib_short(n.created_at)}</small> '
            + (f'<a href="/admin/aduan/{escape(n.code)}">{escape(n.message)}</a>' if n.code else escape(n.message))
            for n in notices)
        self.list.content = (f'<ul class="lapor-notice-list">{items}</ul>' if notices
                             else '<p class="lapor-muted">Tidak ada pemberitahuan baru.</p>')
        self.clear.set_visibility(bool(notices))
        self.dialog.open()

    async def mark_read(self) -> None:
        await notifications.mark_read(user_id=self.user_id)
        if self.dialog is not None:
            self.dialog.close()
        await self.refresh()

    async def _on_notified(self, user_ids: frozenset[int]) -> None:
        if self.user_id not in user_ids or self.button.is_deleted:
            return
        await self.refresh()
