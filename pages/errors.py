"""The error pages: 404 for an address that does not exist, 500 when a page fails while it is built.

Both are in Indonesian, offer a way back (home, and the board on staff addresses) and never show the
exception: the reader gets a plain sentence, the operator gets the traceback in the log (NiceGUI logs
it before the page goes out).
"""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse
from nicegui import app, ui
from starlette.exceptions import HTTPException

from components.design import escape
from components.frame import frame, head_html
from services.settings import settings

NOT_FOUND = ('Halaman tidak ditemukan',
             'Maaf, halaman yang Anda buka tidak ada. Mungkin alamatnya salah ketik, atau halamannya sudah '
             'dipindahkan.')
FAILED = ('Terjadi kesalahan',
          'Maaf, halaman ini gagal dimuat karena ada kesalahan di sistem kami. Silakan coba lagi beberapa saat '
          'lagi. Untuk aduan yang mendesak, hubungi Call Center 112.')


def create() -> None:
    """Serve both pages. Called from main.py: the test fixtures drop the page-exception handler before each test."""
    app.exception_handler(404)(_not_found)
    app.on_page_exception(_page_failed)


async def _not_found(request: Request, exception: Exception) -> Response:
    endpoint = request.scope.get('endpoint')
    if endpoint is not None and endpoint is not app and not request.scope.get('nicegui_page_path') \
            and isinstance(exception, HTTPException):
        return await http_exception_handler(request, exception)  # a route's own 404 (a photo) stays FastAPI's
    # Plain HTML rather than a NiceGUI page: scanners ask for thousands of addresses that do not exist, and each
    # NiceGUI page would be a client held in memory until it is pruned (api/edge.py)
    return HTMLResponse(_document(NOT_FOUND[0], _content(*NOT_FOUND, request.url.path)), status_code=404)


def _page_failed() -> None:
    """NiceGUI calls this inside a fresh client when a page's builder raised, and answers 500 with what it builds."""
    ui.page_title(f'{FAILED[0]} · {settings.app_name}')
    with frame():
        ui.html(_content(*FAILED, ui.context.client.request.url.path), sanitize=False).mark('error')


def _content(title: str, text: str, path: str) -> str:
    links = '<a href="/">Kembali ke beranda</a>'
    if path == '/admin' or path.startswith('/admin/'):
        links += '<a href="/admin">Ke papan petugas</a>'
    return (f'<section class="lapor-card lapor-error"><h1>{title}</h1><p>{text}</p>'
            f'<p class="lapor-row">{links}</p></section>')


def _document(title: str, body: str) -> str:
    """A whole page with the app's stylesheet and header, for answers that are not NiceGUI pages."""
    name = escape(settings.app_name)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1">{head_html()}<title>{title} · {name}</title></head>'
            f'<body><header class="lapor-header"><a href="/" class="lapor-brand">{name}'
            f'<small>{escape(settings.region_name)}</small></a></header><main class="lapor-main">{body}</main>'
            '</body></html>')
