"""The scheduler, started with the app, records a breach when its time comes, and re-arms after every change."""

import asyncio
from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from models import Complaint, SlaClock, Status
from services import clock, events, scheduler
from tests import factories, lifecycle


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
        await asyncio.sleep(0.05)
    assert await breached()


async def test_a_change_while_the_job_is_being_armed_arms_it_again(user: User, monkeypatch):
    await user.open('/lacak')  # the app and its scheduler are running
    release, seen = asyncio.Event(), []

    async def slow_arm() -> None:  # reads the next due moment while more changes arrive
        seen.append(events.published())  # the changes this run can know of
        await release.wait()
    monkeypatch.setattr(scheduler, 'arm', slow_arm)
    await factories.submit()
    for _ in range(100):
        if seen:
            break
        await asyncio.sleep(0.02)
    await factories.submit(title='Aduan kedua, masuk saat penjadwal sibuk')
    await factories.submit(title='Aduan ketiga, masuk saat penjadwal sibuk')
    last_change = events.published()
    release.set()
    for _ in range(100):
        if seen[-1] >= last_change and not scheduler._rearming:
            break
        await asyncio.sleep(0.02)
    assert seen[-1] >= last_change  # a run began after the last change, so its due moment was read


async def test_the_running_app_closes_a_resolved_complaint_when_its_week_is_over(user: User):
    clock.freeze(datetime.now(UTC) - timedelta(days=7, seconds=1))  # resolved a week and a second ago
    result = await lifecycle.walk_to(Status.SELESAI)
    clock.reset()
    await user.open(f'/lacak/{result.code}')  # the app is running: its scheduler armed the closing
    for _ in range(100):
        if (await Complaint.get(code_key=result.view.code_key)).status == Status.DITUTUP:
            break
        await asyncio.sleep(0.05)
    assert (await Complaint.get(code_key=result.view.code_key)).status == Status.DITUTUP
