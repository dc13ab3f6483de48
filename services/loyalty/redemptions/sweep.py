"""The periodic job that settles reservations past their deadline, behind the customer service's fence."""

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.client import ServiceClient, ServiceError
from services.kit.clock import utcnow
from services.kit.jobs import JobRun, PeriodicJob
from services.kit.settings import ServiceSettings
from services.loyalty.redemptions import fence, service

SWEEP_JOB = "redemptions.release"
SWEEP_CHUNK = 100

log = logging.getLogger("patron.loyalty.redemptions")


def reservation_sweep(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    every = timedelta(seconds=getattr(settings, "reservation_sweep_seconds", 10))
    timeout = timedelta(seconds=getattr(settings, "reservation_timeout_seconds", 60))
    customer_url = getattr(settings, "customer_url", "http://127.0.0.1:8001")

    async def sweep(run: JobRun) -> None:
        async with AsyncSession(engine) as session:
            due = await service.due(session, now=utcnow(), limit=SWEEP_CHUNK)
        if not due:
            return
        async with ServiceClient.from_settings("customer", customer_url, settings) as client:
            for purchase_id in due:
                try:
                    status = await fence.settle(engine, client, purchase_id)
                except ServiceError as exc:
                    # The customer service did not answer: look again after another timeout.
                    log.warning("reservation of purchase %d not settled: %s", purchase_id, exc)
                    async with AsyncSession(engine) as session, session.begin():
                        await service.postpone(session, purchase_id, until=utcnow() + timeout)
                    continue
                log.info("reservation of purchase %d settled: %s", purchase_id, status)

    return PeriodicJob(SWEEP_JOB, every, sweep)
