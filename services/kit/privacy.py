"""What a service holds about one customer, read for a privacy export, and whether it applied an erasure.

Every table of the service's schema with a ``customer_id`` column (and its ``customer`` table) is read,
so a table added later is in the export without anyone remembering to list it; columns holding secrets
(password or token hashes) are left out, and the consumer bookkeeping tables hold no customer rows.
"""

from collections.abc import Collection
from typing import Any
from uuid import UUID

from fastapi.encoders import jsonable_encoder
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Columns never exported, whatever the table: what would let someone act as the customer.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "secret", "secret_hash"})

# Each table naming a customer, and the column that does: ``customer_id``, or the ``id`` of the schema's own
# ``customer`` table (the customer record, or the copy a service keeps of it).
_TABLES = text(
    "SELECT c.table_name, c.column_name FROM information_schema.columns c"
    " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
    " WHERE c.table_schema = :schema AND t.table_type = 'BASE TABLE'"
    " AND (c.column_name = 'customer_id' OR (c.table_name = 'customer' AND c.column_name = 'id'))"
    " ORDER BY c.table_name"
)


async def rows_about_customer(
    session: AsyncSession, *, schema: str, customer_id: int, leave_out: Collection[str] = ()
) -> dict[str, list[dict[str, Any]]]:
    """Each table of ``schema`` naming the customer (but ``leave_out``), with its rows about them, as JSON."""
    tables = [row for row in (await session.execute(_TABLES, {"schema": schema})).all() if row[0] not in leave_out]
    found: dict[str, list[dict[str, Any]]] = {}
    for table, column in tables:
        # The names come from the catalogue of the service's own schema, not from the caller.
        rows = await session.execute(
            text(f'SELECT * FROM "{schema}"."{table}" WHERE "{column}" = :customer_id ORDER BY 1'),
            {"customer_id": customer_id},
        )
        found[table] = [
            jsonable_encoder({key: value for key, value in row.items() if key not in SECRET_COLUMNS})
            for row in rows.mappings()
        ]
    return found


async def erasure_applied(session: AsyncSession, *, schema: str, consumer: str, event_id: UUID) -> bool:
    """Whether ``consumer`` of this service has applied the ``customer.erased`` event ``event_id``."""
    statement = text(
        f'SELECT EXISTS (SELECT FROM "{schema}".event_inbox WHERE consumer = :consumer AND event_id = :event_id)'
    )
    return bool((await session.execute(statement, {"consumer": consumer, "event_id": event_id})).scalar_one())
