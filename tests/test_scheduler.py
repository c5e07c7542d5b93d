"""The scheduler, started with the app, records a breach when its time comes."""

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from models import SlaClock
from services import clock
from tests import factories


async def test_app_records_a_breach_on_its_own_when_due(user: User):
    clock.freeze(datetime.now(UTC) - timedelta(hours=3))  # reported three hours ago
    result = await factories.submit()
    clock.reset()
    await user.open(f'/lacak/{result.code}')  # the app is running: its scheduler was armed by the change

    async def breached() -> bool:
        return await SlaClock.filter(complaint__code_key=result.view.code_key, breached_at__not_isnull=True).exists()

    for _ in range(100):
        if await breached():
            break
        await __import__('asyncio').sleep(0.05)
    assert await breached()
