"""The loyalty service's outbox: its event contracts, written in the transactions of its own schema."""

from services.contracts.loyalty import catalog
from services.kit.outbox import Outbox, outbox_tables
from services.loyalty.base import Table

outbox = Outbox(catalog, outbox_tables(Table.metadata))
