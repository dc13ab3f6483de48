"""Every table of the loyalty schema, imported in one place for Alembic and the tests."""

from services.loyalty.base import Table
from services.loyalty.budgets import models as budgets
from services.loyalty.idempotency import keys
from services.loyalty.inbox import inbox
from services.loyalty.jobs import jobs
from services.loyalty.ledger import models as ledger
from services.loyalty.levels import models as levels
from services.loyalty.outbox import outbox
from services.loyalty.program import models as program
from services.loyalty.redemptions import models as redemptions
from services.loyalty.rewards import models as rewards
from services.loyalty.targets import models as targets
from services.loyalty.wallet import models as wallet

metadata = Table.metadata

__all__ = [
    "budgets",
    "inbox",
    "jobs",
    "keys",
    "ledger",
    "levels",
    "metadata",
    "outbox",
    "program",
    "redemptions",
    "rewards",
    "targets",
    "wallet",
]
