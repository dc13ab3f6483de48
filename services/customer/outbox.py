"""The customer service's outbox: its event contracts, written in the transactions of its own schema."""

from services.contracts.customer import catalog
from services.customer.base import Table
from services.kit.outbox import Outbox, outbox_tables

outbox = Outbox(catalog, outbox_tables(Table.metadata))
