"""Database wiring: tortoise config, migrations on start, and the app lifespan.

``register`` lives here (not in main.py) because NiceGUI's test fixtures re-run main.py for
every test, and wrapping the lifespan there would stack one more database per test.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.migrations.executor import MigrationExecutor

from .settings import settings

log = logging.getLogger(__name__)


def tortoise_config(db_url: str | None = None) -> dict[str, Any]:
    return {
        'connections': {'default': db_url or settings.database_url},
        'apps': {'lapor': {'models': ['models'], 'default_connection': 'default', 'migrations': 'migrations'}},
        'use_tz': True,
        'timezone': 'UTC',
    }


TORTOISE_ORM = tortoise_config()  # read by the `tortoise` CLI (pyproject's [tool.tortoise])


async def migrate() -> None:
    """Apply pending migrations to the open connection (idempotent)."""
    executor = MigrationExecutor(get_connection('default'), TORTOISE_ORM['apps'])
    await executor.migrate()


@asynccontextmanager
async def open_database(db_url: str | None = None) -> AsyncIterator[None]:
    """Connect, migrate and seed; close on exit. Used by the app lifespan, the CLI and tests."""
    from . import seed  # noqa: PLC0415  (seed imports models, which need nothing of this module)

    url = db_url or settings.database_url
    if url.startswith('sqlite://') and ':memory:' not in url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    try:
        if url.startswith('sqlite://'):
            connection = get_connection('default')
            # WAL lets readers proceed while the single writer commits; NORMAL is durable with WAL
            await connection.execute_script('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; '
                                            'PRAGMA foreign_keys=ON;')
        await migrate()
        await seed.seed_reference_data()
        await _first_supervisor()
        yield
    finally:
        await Tortoise.close_connections()


async def _first_supervisor() -> None:
    from . import auth  # noqa: PLC0415  (auth needs the models this module sets up)

    password = await auth.ensure_first_supervisor()
    if password:  # the one time it is shown: on the console of whoever started the app first
        print(f'Akun supervisor "admin" dibuat dengan kata sandi: {password}  (simpan, hanya ditampilkan sekali)',
              flush=True)


def register(app: Any) -> None:
    """Wrap the ASGI app's lifespan so the database is open while the app runs (once per process)."""
    if getattr(app.state, 'lapor_database', False):
        return
    app.state.lapor_database = True
    from fastapi.routing import _merge_lifespan_context  # noqa: PLC0415

    @asynccontextmanager
    async def database_lifespan(_app: Any) -> AsyncIterator[None]:
        async with open_database():
            yield

    app.router.lifespan_context = _merge_lifespan_context(database_lifespan, app.router.lifespan_context)
