"""The loyalty service's consumer tables: the inbox, each aggregate's position and the held events."""

from services.kit.consumer import inbox_tables
from services.loyalty.base import Table

inbox = inbox_tables(Table.metadata)
