"""Lapor: wiring only (settings, database, pages, API, ui.run)."""

import gc
import sys

import cli

# Only when this file is the program itself: NiceGUI's test fixtures run it with pytest's command line
if __name__ == '__main__' and cli.is_command(sys.argv, __file__):
    sys.exit(cli.main(sys.argv[1:]))

from nicegui import app, ui

from api import edge, files, open311
from components import design, frame, speedups
from pages import admin_complaint, board, errors, intake, login, submit, track
from pages import settings as settings_pages
from services import db, scheduler
from services.settings import settings

speedups.install()
db.register(app)
if not any(getattr(route, 'path', None) == '/static' for route in app.routes):
    app.add_static_files('/static', frame.STATIC_DIR, max_cache_age=7 * 24 * 3600)
app.include_router(files.router)
edge.serve_apart(app, [open311.router], ['/open311/'])  # a partner's poller needs no browser session
edge.guard(app)  # in front of all: bounded request bodies, security headers on every answer
app.timer(1.0, edge.prune_unconnected, immediate=False)  # page loads that never connect go sooner in a flood
app.colors(**design.BRAND)  # Quasar's primary is the header's blue: one primary colour
ui.add_head_html(frame.head_html(), shared=True)
ui.add_body_html(frame.shell_html(), shared=True)
submit.create()
track.create()
login.create()
board.create()
intake.create()  # before admin_complaint: /admin/aduan/baru is not a complaint's code
admin_complaint.create()
settings_pages.create()
errors.create()


# The collector's first threshold counts objects allocated minus freed: at CPython's 700, the message history
# and timer handles of a few hundred open pages trip it hundreds of times a minute, promoting short-lived
# objects until a full collection (190 ms with 200 boards open, measured in make bench) lands in the middle of
# a fan-out. At 10,000 the young collections all but stop during a burst and full ones become rare; each costs
# the same, cyclic garbage still goes, and memory per board is unchanged (make bench measures it)
GC_THRESHOLDS = (10_000, 10, 10)


async def _startup() -> None:
    await scheduler.start()
    # Everything built so far lives as long as the process: keep it out of the collector's full passes,
    # whose pauses otherwise set the tail latency of every request (measured in make bench)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _announce_addresses() -> None:
    base = settings.public_url.rstrip('/')
    print(f'Warga: {base}/  ·  Petugas: {base}/admin', flush=True)


app.on_startup(_startup)
app.on_shutdown(scheduler.stop)
if cli.is_program(sys.argv, __file__):  # on the operator's console, not in every test's start
    app.on_startup(_announce_addresses)

if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host=settings.host,
        port=settings.port,
        title=settings.app_name,
        language='id',
        tailwind=False,
        storage_secret=settings.secret,
        reconnect_timeout=settings.reconnect_timeout,
        favicon='static/favicon.svg',
        show=False,
        reload=False,
    )
