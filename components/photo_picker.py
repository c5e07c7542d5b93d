"""Photo picker: shrinks in the browser, uploads to the server's photo route, keeps tokens."""

from __future__ import annotations

from nicegui import ui


class PhotoPicker(ui.element, component='photo_picker.js'):
    def __init__(self, *, upload_url: str, max_photos: int, title: str = '') -> None:
        super().__init__()
        self.tokens: list[str] = []
        self._props.update({'upload-url': upload_url, 'max': max_photos, 'initial': [], 'title': title,
                            'server-error': ''})
        self.on('change', self._changed)

    def _changed(self, e) -> None:
        self.tokens = [t for t in (e.args or []) if isinstance(t, str)][:self._props['max']]

    @property
    def error(self) -> str:
        """The server's message about the photos (shown under them), or ''."""
        return self._props['server-error']

    @error.setter
    def error(self, message: str | None) -> None:
        self._props['server-error'] = message or ''
        self.update()

    def restore(self, items: list[dict[str, str]]) -> None:
        """Show photos uploaded before a reload: ``items`` are ``{'token', 'url'}``."""
        self.tokens = [item['token'] for item in items]
        self._props['initial'] = items
        self.update()
