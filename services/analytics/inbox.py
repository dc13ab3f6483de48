"""The analytics service's consumer tables: the inbox, each aggregate's position and the held events."""

from services.analytics.base import Table
from services.kit.consumer import inbox_tables

inbox = inbox_tables(Table.metadata)
