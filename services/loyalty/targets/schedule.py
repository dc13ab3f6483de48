"""The schedule of target runs: on the first day of a month (business time zone), the configured run, once."""

import logging
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.clock import business_today
from services.kit.errors import Conflict
from services.kit.jobs import JobRun, PeriodicJob
from services.kit.settings import ServiceSettings
from services.loyalty.targets import service
from services.loyalty.targets.levels import levels_computer
from services.loyalty.targets.schemas import TargetRunTerms

SCHEDULE_JOB = "targets.schedule"

log = logging.getLogger("patron.loyalty.targets")


def scheduled_terms(settings: ServiceSettings) -> TargetRunTerms | None:
    """The configured run (``PATRON_LOYALTY_TARGET_SCHEDULE``), or None when the schedule is off."""
    configured = str(getattr(settings, "target_schedule", "") or "").strip()
    return TargetRunTerms.model_validate_json(configured) if configured else None


async def run_schedule(engine: AsyncEngine, settings: ServiceSettings, *, today: date) -> Any | None:
    """Make this month's scheduled run if ``today`` is its first day and none was made; the run, or None."""
    terms = scheduled_terms(settings)
    if terms is None or today.day != 1:
        return None
    try:
        async with AsyncSession(engine) as session, session.begin():
            compute_levels = levels_computer(settings.business_timezone)
            run = await service.create_scheduled_run(session, month=today, terms=terms, compute_levels=compute_levels)
    except Conflict as refused:
        log.warning("targets: the scheduled run of %s waits: %s", f"{today:%Y-%m}", refused.detail)
        return None
    if run is not None:
        log.info("targets: scheduled run %d of %s set %d targets", run.id, f"{today:%Y-%m}", run.targets)
    return run


def target_schedule(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    """Looks every ``target_schedule_every_minutes`` (60) whether today is a month's first day: a check each
    hour, not a daily slot, because the slots follow UTC and the first day follows the business time zone."""
    every = timedelta(minutes=getattr(settings, "target_schedule_every_minutes", 60))

    async def schedule(run: JobRun) -> None:
        await run_schedule(engine, settings, today=business_today(settings.business_timezone))

    return PeriodicJob(SCHEDULE_JOB, every, schedule)
