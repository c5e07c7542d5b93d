"""APScheduler in NiceGUI's event loop: it only calls the SLA engine.

One job armed for the next due transition (re-armed after every complaint change), a periodic
sweep as a safety net, and a run at start-up so what came due while the server was down is
recorded at once with its true time.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from . import clock, events, sla_engine
from .settings import settings

log = logging.getLogger(__name__)
scheduler = AsyncIOScheduler(timezone='UTC', job_defaults={'misfire_grace_time': None, 'coalesce': True})
_NEXT = 'sla-next-due'


async def run_due() -> None:
    """Record what is due now, then arm the job for the next due moment."""
    if not scheduler.running:  # shutting down: the database may already be closed
        return
    try:
        await sla_engine.record_due_transitions(clock.now())
        await arm()
    except Exception:  # a failed sweep must not stop the schedule: the next one retries
        if scheduler.running:
            log.exception('SLA sweep failed')


async def arm() -> None:
    if not scheduler.running:
        return
    moment = await sla_engine.next_due_at()
    if moment is None:
        if scheduler.get_job(_NEXT):
            scheduler.remove_job(_NEXT)
        return
    run_at = max(moment, clock.now()) + timedelta(milliseconds=50)
    scheduler.add_job(run_due, 'date', run_date=run_at, id=_NEXT, replace_existing=True)


def _on_change(_news: events.ComplaintNews) -> None:
    if scheduler.running:
        scheduler.add_job(arm, id='sla-rearm', replace_existing=True)  # coalesces a burst of changes


async def start() -> None:
    """Start once per process (the app's startup may run twice under test fixtures)."""
    if scheduler.running:
        return
    scheduler.start()
    scheduler.add_job(run_due, 'interval', seconds=settings.sla_sweep_seconds, id='sla-sweep', replace_existing=True)
    events.complaint_changed.subscribe(_on_change)
    await run_due()


def stop() -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)
        events.complaint_changed.unsubscribe(_on_change)
