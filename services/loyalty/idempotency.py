"""The loyalty service's idempotency keys: each write sent with a key acts once per caller and key."""

from services.kit.idempotency import idempotency_table
from services.loyalty.base import Table

keys = idempotency_table(Table.metadata)
