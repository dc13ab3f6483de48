"""The loyalty service's app factory (``uvicorn --factory services.loyalty.app:create_app``)."""

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from services.contracts.permissions import PERMISSIONS
from services.kit.app import create_service_app, keep_client
from services.kit.consumer import Consumer
from services.kit.privacy_api import privacy_router
from services.kit.settings import ServiceSettings
from services.loyalty.budgets.api import router as budgets
from services.loyalty.idempotency import keys
from services.loyalty.jobs import jobs
from services.loyalty.ledger.consumer import CONSUMER_NAME, figures_lag_histogram, ledger_consumer
from services.loyalty.levels.api import router as levels
from services.loyalty.outbox import outbox
from services.loyalty.program.api import router as program
from services.loyalty.redemptions.api import router as redemptions
from services.loyalty.redemptions.sweep import reservation_sweep
from services.loyalty.rewards.api import router as rewards
from services.loyalty.rewards.events import rewards_consumer
from services.loyalty.rewards.expiry import reward_expiry
from services.loyalty.settings import LoyaltySettings
from services.loyalty.targets.api import router as targets
from services.loyalty.targets.schedule import target_schedule
from services.loyalty.wallet.api import router as wallet
from services.loyalty.wallet.expiry import points_expiry

privacy = privacy_router(service="loyalty", prefix="/loyalty", schema="loyalty", consumer=CONSUMER_NAME)


def create_app(settings: LoyaltySettings | None = None) -> FastAPI:
    settings = settings or LoyaltySettings()
    lag = figures_lag_histogram()

    def ledger(engine: AsyncEngine, service_settings: ServiceSettings) -> Consumer:
        return ledger_consumer(engine, service_settings, lag=lag)

    app = create_service_app(
        title="Patron loyalty service",
        settings=settings,
        routers=[rewards, redemptions, wallet, program, levels, budgets, targets, privacy],
        outbox=outbox,
        consumers=[ledger, rewards_consumer],
        jobs=jobs,
        scheduled=[reward_expiry, reservation_sweep, points_expiry, target_schedule],
        idempotency=keys,
        permissions=PERMISSIONS,
    )
    app.state.metrics.registry.register(lag)
    # The customer service's catalogue, read for the reward views.
    keep_client(app, "customer_client", target="customer", url=settings.customer_url, settings=settings)
    return app
