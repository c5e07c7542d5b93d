"""Test set-up: a fresh SQLite database per test, a private data folder, a clean clock."""

import asyncio
import itertools
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

os.environ['LAPOR_DB_URL'] = 'sqlite://:memory:'
os.environ.setdefault('LAPOR_DATA_DIR', tempfile.mkdtemp(prefix='lapor-test-'))
os.environ['LAPOR_PUBLIC_URL'] = 'http://lapor.test'
os.environ['LAPOR_ADMIN_PASSWORD'] = 'rahasia-admin-123'

import httpx
import pytest
from nicegui import context, core, ui
from nicegui.testing import User

from services import app_settings, clock, complaints, db, limits, notifications, open311
from services.settings import settings
from tests import factories  # noqa: F401

# Replaying every migration costs about two seconds (tortoise renders the model state after each operation), which
# every test paid for its fresh database. The migrations run once per test process into a template instead, seeded
# as the app seeds a new database, and each test gets its own copy of that file: the same schema and data, the same
# code path (open_database migrates and seeds again, finding nothing to do), in milliseconds.
_DATABASES = Path(tempfile.mkdtemp(prefix='lapor-db-', dir='/dev/shm' if Path('/dev/shm').is_dir() else None))
_TEMPLATE = _DATABASES / 'template.sqlite3'
_copies = itertools.count()


def _template() -> Path:
    if not _TEMPLATE.exists():
        async def build() -> None:
            async with db.open_database(f'sqlite://{_TEMPLATE.as_posix()}'):
                pass
        asyncio.run(build())
    return _TEMPLATE


@pytest.fixture(autouse=True)
def _fresh_database():
    """This test's own database: a copy of the migrated, seeded template (the app and the services open it)."""
    path = _DATABASES / f'test-{next(_copies)}.sqlite3'
    shutil.copyfile(_template(), path)
    settings.db_url = f'sqlite://{path.as_posix()}'
    yield
    for leftover in (path, path.with_name(path.name + '-wal'), path.with_name(path.name + '-shm')):
        leftover.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _clean_state(_fresh_database):
    clock.reset()
    complaints.forget_reference_data()  # each test has a fresh database
    limits.configure(submit=(settings.submit_limit, settings.submit_window),
                     lookup=(settings.lookup_fail_limit, settings.lookup_fail_window),
                     upload=(settings.upload_limit, settings.upload_window),
                     pin=(settings.pin_fail_limit, settings.pin_fail_window),
                     info=(settings.reporter_info_limit, settings.reporter_info_window))
    app_settings.forget()
    open311.forget()  # allowed origins and per-key counts of an earlier test's database
    notifications.forget_recipients()  # staff of an earlier test's database
    yield
    clock.reset()


_opening: ContextVar[User | None] = ContextVar('opening', default=None)  # the user whose page is being built


class _ToThePagesUser:
    """Stands for ui.navigate, ui.notify or ui.download while simulated users run: each call goes to the
    ``name`` attribute of the user ``owner()`` picks."""

    def __init__(self, owner: Callable[[], User], name: str) -> None:
        self._owner, self._name = owner, name

    def _target(self) -> Any:
        return object.__getattribute__(self._owner(), self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._target(), attribute)


@pytest.fixture(autouse=True)
def _simulated_users_apart(monkeypatch):
    """NiceGUI's simulated User points ui.navigate, ui.notify and ui.download at its own whenever any of its
    attributes is read, so with two users on pages the one read last gets every page's navigation: one user's
    page refreshing its notices (its outbox reads that user) while the other user's login ran sent the other
    user's redirect to the board to the wrong user (a CI failure). Here each call goes to its page's user, and
    a redirect made while a page is built (to /login, after /logout) to the user opening it."""
    users = weakref.WeakSet()
    last: User | None = None
    created, opened = User.__init__, User.open

    def owner() -> User:
        client = context.client if context.slot_stack else None
        on_page = next((u for u in list(users) if object.__getattribute__(u, 'client') is client), None)
        return on_page or _opening.get() or last

    stand_ins = [_ToThePagesUser(owner, name) for name in ('navigate', 'notify', 'download')]

    def init(self, client) -> None:
        created(self, client)
        users.add(self)

    def read(self, name: str) -> Any:
        nonlocal last
        last = self
        ui.navigate, ui.notify, ui.download = stand_ins
        return object.__getattribute__(self, name)

    async def open_page(self, path: str, **kwargs: Any) -> Any:
        token = _opening.set(self)  # the page is built in this task or in tasks that copy its context
        try:
            return await opened(self, path, **kwargs)
        finally:
            _opening.reset(token)

    monkeypatch.setattr(User, '__init__', init)
    monkeypatch.setattr(User, '__getattribute__', read)
    monkeypatch.setattr(User, 'open', open_page)


@pytest.fixture
def create_user(user: User) -> Callable[[], User]:
    """More simulated users on the ``user`` fixture's app. NiceGUI's own ``create_user`` runs the app's start-up
    a second time (a second database, every start-up timer twice) and replaces its run config with defaults."""
    return lambda: User(httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test'))


@pytest.fixture
async def database():
    """The test's migrated and seeded database, open for service tests."""
    async with db.open_database():
        yield


# --- Real Chromium for tests/test_browser.py (NiceGUI's `screen` fixture; nothing leaves localhost) ---

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
PHONE = (360, 740)
DESKTOP = (1280, 900)


@pytest.fixture(scope='session')
def nicegui_chrome_options():
    """Headless Chromium the size of a phone, with nothing that phones home."""
    from selenium import webdriver  # noqa: PLC0415  (only browser tests need selenium)

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                     '--disable-background-networking', '--disable-component-update', '--disable-sync',
                     '--no-first-run', '--disable-search-engine-choice-screen', f'--window-size={PHONE[0]},{PHONE[1]}'):
        options.add_argument(argument)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})  # the screen fixture fails on JS errors
    return options


@pytest.fixture(scope='session')
def nicegui_driver(nicegui_chrome_options):
    """Debian's chromedriver by path: Selenium Manager is never asked (it would go online)."""
    driver = _chromium(nicegui_chrome_options)
    yield driver
    driver.quit()


def _emulate(driver, size: tuple[int, int], *, mobile: bool) -> None:
    driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': size[0], 'height': size[1], 'deviceScaleFactor': 2 if mobile else 1, 'mobile': mobile})


def _chromium(options):
    from nicegui.testing.screen import Screen  # noqa: PLC0415
    from selenium import webdriver  # noqa: PLC0415
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    # Headless Chromium will not make a window narrower than 500 px (measured), so the phone's viewport is
    # emulated: layout checks then mean 360 px, and the page's viewport meta tag applies as on a phone
    _emulate(driver, PHONE, mobile=True)
    driver.implicitly_wait(Screen.IMPLICIT_WAIT)
    driver.set_page_load_timeout(10)
    return driver


@pytest.fixture
def second_driver(nicegui_chrome_options):
    """Another phone-sized Chromium with its own cookies and storage: a second person on the server that
    ``screen`` runs (tests/test_browser_admin.py: the citizen, while ``screen`` is the admin)."""
    driver = _chromium(nicegui_chrome_options)
    yield driver
    driver.quit()


@pytest.fixture
def desktop(nicegui_driver):
    """The shared browser at a desktop's size for one test (the staff pages), a phone again afterwards."""
    _emulate(nicegui_driver, DESKTOP, mobile=False)
    yield
    _emulate(nicegui_driver, PHONE, mobile=True)
