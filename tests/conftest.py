"""Test set-up: a fresh in-memory SQLite database per test, a private data folder, a clean clock."""

import os
import tempfile

os.environ['LAPOR_DB_URL'] = 'sqlite://:memory:'
os.environ.setdefault('LAPOR_DATA_DIR', tempfile.mkdtemp(prefix='lapor-test-'))
os.environ['LAPOR_PUBLIC_URL'] = 'http://lapor.test'

import pytest

from services import clock, db, limits
from services.settings import settings
from tests import factories  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_state():
    clock.reset()
    limits.configure(submit=(settings.submit_limit, settings.submit_window),
                     lookup=(settings.lookup_fail_limit, settings.lookup_fail_window),
                     upload=(settings.upload_limit, settings.upload_window))
    yield
    clock.reset()


@pytest.fixture
async def database():
    """A migrated and seeded in-memory database for service tests."""
    async with db.open_database('sqlite://:memory:'):
        yield
