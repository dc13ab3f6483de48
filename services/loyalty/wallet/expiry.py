"""The periodic job that expires wallet points past their expiry and announces each expiry."""

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.clock import utcnow
from services.kit.jobs import JobRun, PeriodicJob
from services.kit.settings import ServiceSettings
from services.loyalty.wallet import service

EXPIRY_JOB = "wallet.expire"

log = logging.getLogger("patron.loyalty.wallet")


def points_expiry(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    every = timedelta(minutes=getattr(settings, "points_expiry_every_minutes", 60))

    async def expire(run: JobRun) -> None:
        now, expired = utcnow(), 0
        # A transaction per chunk of wallets: a spend waits for at most one chunk's locks.
        while True:
            async with AsyncSession(engine) as session, session.begin():
                wallets, lots = await service.expire_some(session, now)
            expired += lots
            if wallets < service.EXPIRY_CHUNK:
                break
        if expired:
            log.info("wallet: %d lots of points expired", expired)

    return PeriodicJob(EXPIRY_JOB, every, expire)
