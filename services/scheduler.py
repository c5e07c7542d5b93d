"""APScheduler in NiceGUI's event loop: it only calls the SLA engine, the auto-close and the hourly photo clean-up.

One job armed for the next due transition or closing (re-armed after every complaint change), a periodic
sweep as a safety net, and a run at start-up so what came due while the server was down is
recorded at once with its true time.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from . import attachments, clock, events, sla_engine, workflow
from .settings import settings

log = logging.getLogger(__name__)
scheduler = AsyncIOScheduler(timezone='UTC', job_defaults={'misfire_grace_time': None, 'coalesce': True})
_NEXT = 'sla-next-due'


async def run_due() -> None:
    """Record what is due now, then arm the job for the next due moment."""
    if not scheduler.running:  # shutting down: the database may already be closed
        return
    try:
        now = clock.now()
        await sla_engine.record_due_transitions(now)
        await workflow.close_due(now)
        await arm()
    except Exception:  # a failed sweep must not stop the schedule: the next one retries
        if scheduler.running:
            log.exception('SLA sweep failed')


async def delete_orphan_photos() -> None:
    """Delete photos uploaded but in no complaint for a day (attachments.delete_orphans)."""
    if not scheduler.running:
        return
    try:
        await attachments.delete_orphans(now=clock.now())
    except Exception:  # the next hour retries
        if scheduler.running:
            log.exception('photo clean-up failed')


async def arm() -> None:
    if not scheduler.running:
        return
    moments = [m for m in (await sla_engine.next_due_at(), await workflow.next_close_at()) if m is not None]
    moment = min(moments, default=None)
    if moment is None:
        if scheduler.get_job(_NEXT):
            scheduler.remove_job(_NEXT)
        return
    run_at = max(moment, clock.now()) + timedelta(milliseconds=50)
    scheduler.add_job(run_due, 'date', run_date=run_at, id=_NEXT, replace_existing=True)


_rearming = False  # a re-arm is running
_rearm_again = False  # a change came while it ran: its due moment may not have been read


async def _rearm() -> None:
    """Arm again until no change came in meanwhile (one at a time: never a skipped run)."""
    global _rearming, _rearm_again  # noqa: PLW0603
    _rearming = True
    try:
        while True:
            _rearm_again = False
            await arm()
            if not _rearm_again:
                return
    finally:
        _rearming = False


def _on_change(_news: events.ComplaintNews) -> None:
    global _rearm_again  # noqa: PLW0603
    if not scheduler.running:
        return
    if _rearming:
        _rearm_again = True
    else:  # a pending job is replaced, so a burst of changes makes one run
        scheduler.add_job(_rearm, id='sla-rearm', replace_existing=True)


async def start() -> None:
    """Start once per process (the app's startup may run twice under test fixtures)."""
    if scheduler.running:
        return
    scheduler.start()
    scheduler.add_job(run_due, 'interval', seconds=settings.sla_sweep_seconds, id='sla-sweep', replace_existing=True)
    scheduler.add_job(delete_orphan_photos, 'interval', hours=1, id='photo-orphans', replace_existing=True)
    events.complaint_changed.subscribe(_on_change)
    await run_due()


def stop() -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)
        events.complaint_changed.unsubscribe(_on_change)
