"""The SQL of the wallet: the one writer of its entries and of the balance row they lock and move."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.loyalty.wallet.models import wallet, wallet_entry, wallet_refusal
from services.loyalty.wallet.rules import Entry

WE = wallet_entry
# The first key of the bill locks (the second is the bill's id, hashed): no other lock uses it.
WALLET_PURCHASE_LOCK = 7_300_002


async def lock_purchase(session: AsyncSession, purchase_id: int) -> None:
    """Serialise spending a bill's points and giving them back until the transaction ends."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:kind, hashint8(CAST(:id AS bigint)))"),
        {"kind": WALLET_PURCHASE_LOCK, "id": purchase_id},
    )


async def lock_wallet(session: AsyncSession, customer_id: int) -> Any:
    """The customer's wallet row, made if new and locked until the transaction ends: every write takes it first."""
    await session.execute(
        text("INSERT INTO loyalty.wallet (customer_id) VALUES (:id) ON CONFLICT (customer_id) DO NOTHING"),
        {"id": customer_id},
    )
    statement = select(wallet).where(wallet.c.customer_id == customer_id).with_for_update()
    return (await session.execute(statement)).one()


async def wallet_of(session: AsyncSession, customer_id: int) -> Any:
    return (await session.execute(select(wallet).where(wallet.c.customer_id == customer_id))).first()


async def entries_of(session: AsyncSession, customer_id: int) -> list[Entry]:
    """What the replay needs of every entry of the customer's, in id order."""
    statement = (
        select(WE.c.id, WE.c.kind, WE.c.points, WE.c.expires_at, WE.c.lot_id)
        .where(WE.c.customer_id == customer_id)
        .order_by(WE.c.id)
    )
    return [Entry(row.id, row.kind, row.points, row.expires_at, row.lot_id) for row in await session.execute(statement)]


async def insert_entry(session: AsyncSession, values: dict[str, Any]) -> Any:
    return (await session.execute(insert(WE).values(**values).returning(WE))).one()


async def move_balance(session: AsyncSession, customer_id: int, points: int, next_expiry: datetime | None) -> int:
    """Add ``points`` (the sum of the entries just written) to the locked wallet's balance; the new balance."""
    statement = (
        update(wallet)
        .where(wallet.c.customer_id == customer_id)
        .values(balance=wallet.c.balance + points, next_expiry=next_expiry, updated_at=func.now())
        .returning(wallet.c.balance)
    )
    return int((await session.execute(statement)).scalar_one())


async def spend_of_purchase(session: AsyncSession, purchase_id: int) -> Any:
    statement = select(WE).where(WE.c.kind == "spend", WE.c.purchase_id == purchase_id)
    return (await session.execute(statement)).first()


async def refunds_of_purchase(session: AsyncSession, purchase_id: int) -> list[Any]:
    statement = select(WE).where(WE.c.kind == "refund", WE.c.purchase_id == purchase_id).order_by(WE.c.id)
    return list((await session.execute(statement)).all())


async def earning_of_source(session: AsyncSession, source: str) -> Any:
    return (await session.execute(select(WE).where(WE.c.kind == "earn", WE.c.source == source))).first()


async def is_refused(session: AsyncSession, purchase_id: int) -> bool:
    found = await session.execute(
        select(wallet_refusal.c.purchase_id).where(wallet_refusal.c.purchase_id == purchase_id)
    )
    return found.first() is not None


async def refuse(session: AsyncSession, purchase_id: int, reason: str) -> None:
    """Remember that the bill's points were given back before any was spent: a late spend finds this."""
    await session.execute(
        text(
            "INSERT INTO loyalty.wallet_refusal (purchase_id, reason) VALUES (:id, :reason) "
            "ON CONFLICT (purchase_id) DO NOTHING"
        ),
        {"id": purchase_id, "reason": reason},
    )


async def wallets_due(session: AsyncSession, now: datetime, *, limit: int) -> list[int]:
    """Up to ``limit`` wallets holding points past their expiry, locked (others' locked ones skipped)."""
    statement = (
        select(wallet.c.customer_id)
        .where(wallet.c.next_expiry <= now)
        .order_by(wallet.c.next_expiry, wallet.c.customer_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(statement)).scalars())


async def entries_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    rows = {row.id: row for row in await session.execute(select(WE).where(WE.c.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]
