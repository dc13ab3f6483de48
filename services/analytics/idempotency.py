"""The analytics service's idempotency keys: each write sent with a key acts once per caller and key."""

from services.analytics.base import Table
from services.kit.idempotency import idempotency_table

keys = idempotency_table(Table.metadata)
