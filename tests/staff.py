"""Staff as the simulated user drives them: signing in through the login page, and supervisors' actors."""

from __future__ import annotations

from nicegui.testing import User

from models import Role
from services import auth
from services.workflow import Actor

PASSWORD = 'sandi-panjang-1'
ADMIN_PASSWORD = 'rahasia-admin-123'  # LAPOR_ADMIN_PASSWORD in tests/conftest.py


async def login(user: User, username: str, password: str = PASSWORD) -> None:
    """Type the credentials into /login and press the button (the page then goes where it goes)."""
    await user.open('/login')
    user.find(marker='username').type(username)
    user.find(marker='password').type(password)
    user.find(marker='login').click()


async def on_board(user: User, username: str, password: str = PASSWORD) -> None:
    await login(user, username, password)
    await user.should_see(marker='queue', retries=30)


async def supervisor() -> Actor:
    """The first supervisor as a service caller without a browser session (the CLI's way)."""
    actor = await auth.actor(1)
    assert actor is not None and actor.role == Role.SUPERVISOR
    return actor
