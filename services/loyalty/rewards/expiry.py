"""The periodic job that marks rewards past their expiry as expired and announces each."""

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.jobs import JobRun, PeriodicJob
from services.kit.settings import ServiceSettings
from services.loyalty.rewards import service

EXPIRY_JOB = "rewards.expire"

log = logging.getLogger("patron.loyalty.rewards")


def reward_expiry(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    every = timedelta(minutes=getattr(settings, "reward_expiry_every_minutes", 60))

    async def expire(run: JobRun) -> None:
        async with AsyncSession(engine) as session, session.begin():
            expired = await service.expire_due(session)
        if expired:
            log.info("rewards: %d expired", expired)

    return PeriodicJob(EXPIRY_JOB, every, expire)
