"""The wallet: points earned, spent on bills oldest first, refunded lot by lot, adjusted by staff, expired on time.

Every write locks the customer's wallet row first, replays their entries into lots, expires the
lots due by the write's time, writes its entries and moves the balance by their sum, all in the
caller's transaction, with one event per entry. So a spend never takes expired points, and
concurrent spends are applied one after another against the balance each leaves.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.loyalty import WalletEntryWritten
from services.kit.clock import utcnow
from services.kit.errors import Conflict, InvalidInput
from services.kit.pagination import PageParams, SortKey, paginate
from services.loyalty.outbox import outbox
from services.loyalty.program.service import program_at
from services.loyalty.wallet import repository
from services.loyalty.wallet.models import wallet_entry
from services.loyalty.wallet.rules import (
    Entry,
    Ledger,
    LedgerInconsistent,
    add_months,
    points_value,
    refunds_of,
    replay,
)
from services.loyalty.wallet.schemas import WalletEntryPublic, WalletPublic

EXPIRY_CHUNK = 500
NEWEST_FIRST = SortKey("-id", wallet_entry.c.id, descending=True)


class _Write:
    """One write to a locked wallet: its lots as replayed, the entries written and the events they announce."""

    def __init__(self, session: AsyncSession, customer_id: int, balance: int, ledger: Ledger) -> None:
        if balance != ledger.balance:
            raise LedgerInconsistent(f"wallet {customer_id}: balance {balance}, entries sum to {ledger.balance}")
        self.session = session
        self.customer_id = customer_id
        self.balance = balance
        self.ledger = ledger
        self.moved = 0
        self.events: list[WalletEntryWritten] = []

    @classmethod
    async def open(cls, session: AsyncSession, customer_id: int) -> "_Write":
        row = await repository.lock_wallet(session, customer_id)
        return cls(session, customer_id, row.balance, replay(await repository.entries_of(session, customer_id)))

    async def entry(self, **values: Any) -> Any:
        row = await repository.insert_entry(self.session, {"customer_id": self.customer_id, **values})
        self.ledger.apply(Entry(row.id, row.kind, row.points, row.expires_at, row.lot_id))
        self.balance += row.points
        self.moved += row.points
        self.events.append(
            WalletEntryWritten(
                entry_id=row.id,
                customer_id=row.customer_id,
                kind=row.kind,
                points=row.points,
                balance_after=self.balance,
                purchase_id=row.purchase_id,
                lot_id=row.lot_id,
                expires_at=row.expires_at,
                source=row.source,
                created_at=row.created_at,
            )
        )
        return row

    async def expire_due(self, now: datetime) -> int:
        """Expire what is left of every lot past its expiry at ``now``; how many lots."""
        due = self.ledger.due(now)
        for lot in due:
            await self.entry(
                kind="expire",
                points=-lot.remaining,
                reason="expired",
                source=f"lot:{lot.id}",
                lot_id=lot.id,
                created_at=now,
            )
        return len(due)

    async def close(self) -> None:
        """Move the balance by what was written and announce each entry; nothing if nothing was written."""
        if not self.events:
            return
        upcoming = self.ledger.next_expiry()
        balance = await repository.move_balance(
            self.session, self.customer_id, self.moved, upcoming[0] if upcoming else None
        )
        if balance != self.balance or balance != self.ledger.balance:
            raise LedgerInconsistent(f"wallet {self.customer_id}: balance {balance}, entries sum to {self.balance}")
        await outbox.add_many(self.session, self.events)


def _insufficient(balance: int) -> InvalidInput:
    return InvalidInput.field("body.points", f"the wallet holds only {balance} points", "insufficient_points")


async def _lot_expiry(session: AsyncSession, at: datetime) -> datetime:
    """When points written at ``at`` expire: the program's months later, as the program stood then."""
    program = await program_at(session, at)
    return add_months(at, program.settings.points_expiry_months)


async def spend_for_purchase(
    session: AsyncSession, *, customer_id: int, purchase_id: int, points: int, at: datetime
) -> Any:
    """Spend ``points`` of the customer's wallet on a bill, oldest points first; the spend entry.

    Idempotent by bill: a bill spends once, and asking again returns that spend. A bill whose points
    were given back before it spent any (it was abandoned) is refused, so the late spend never lands.
    """
    if points <= 0:
        raise InvalidInput.field("body.points", "must be a positive number of points", "positive")
    await repository.lock_purchase(session, purchase_id)
    existing = await repository.spend_of_purchase(session, purchase_id)
    if existing is not None:
        if existing.customer_id != customer_id:
            raise Conflict(f"purchase {purchase_id} spent the points of another customer")
        return existing
    if await repository.is_refused(session, purchase_id):
        raise Conflict(f"purchase {purchase_id} was cancelled: its points cannot be spent any more")
    write = await _Write.open(session, customer_id)
    await write.expire_due(at)
    if write.balance < points:
        raise _insufficient(write.balance)
    row = await write.entry(
        kind="spend",
        points=-points,
        reason=f"spent on purchase {purchase_id}",
        source=f"purchase:{purchase_id}",
        purchase_id=purchase_id,
        created_at=at,
    )
    await write.close()
    return row


async def refund_purchase(session: AsyncSession, *, purchase_id: int, reason: str, at: datetime) -> list[Any]:
    """Give back what the bill's spend took, one refund per lot with that lot's expiry; the entries written.

    Nothing if the bill spent nothing (and then it never will) or was refunded already.
    """
    await repository.lock_purchase(session, purchase_id)
    spend = await repository.spend_of_purchase(session, purchase_id)
    if spend is None:
        await repository.refuse(session, purchase_id, reason)
        return []
    if await repository.refunds_of_purchase(session, purchase_id):
        return []
    write = await _Write.open(session, spend.customer_id)
    await write.expire_due(at)
    # Refunded points expire when they would have; any already past expire at the next expiry run.
    rows = [
        await write.entry(
            kind="refund",
            points=take.points,
            reason=reason,
            source=f"purchase:{purchase_id}",
            purchase_id=purchase_id,
            lot_id=take.lot_id,
            expires_at=take.expires_at,
            created_at=at,
        )
        for take in refunds_of(write.ledger, spend.id)
    ]
    await write.close()
    return rows


async def earn_once(
    session: AsyncSession, *, customer_id: int, points: int, reason: str, source: str, at: datetime
) -> tuple[Any, bool]:
    """``earn``, also telling whether the entry is new (False: the source had earned already)."""
    if points <= 0:
        raise InvalidInput.field("body.points", "must be a positive number of points", "positive")
    write = await _Write.open(session, customer_id)
    existing = await repository.earning_of_source(session, source)
    if existing is not None:
        if existing.customer_id != customer_id:
            raise Conflict(f"source {source!r} earned points for another customer")
        return existing, False
    await write.expire_due(at)
    row = await write.entry(
        kind="earn",
        points=points,
        reason=reason,
        source=source,
        expires_at=await _lot_expiry(session, at),
        created_at=at,
    )
    await write.close()
    return row, True


async def earn(session: AsyncSession, *, customer_id: int, points: int, reason: str, source: str, at: datetime) -> Any:
    """Credit ``points`` to the customer's wallet as a lot expiring the program's months later; the entry.

    Idempotent by source: a source earns once, and asking again returns that entry.
    """
    row, _ = await earn_once(session, customer_id=customer_id, points=points, reason=reason, source=source, at=at)
    return row


async def adjust(session: AsyncSession, *, customer_id: int, points: int, reason: str, by: str, at: datetime) -> Any:
    """A staff correction: positive adds a lot, negative takes the oldest points first; never below zero."""
    if points == 0:
        raise InvalidInput.field("body.points", "must not be zero", "non_zero")
    write = await _Write.open(session, customer_id)
    await write.expire_due(at)
    if points < 0 and write.balance < -points:
        raise _insufficient(write.balance)
    row = await write.entry(
        kind="adjust",
        points=points,
        reason=reason,
        source=by,
        expires_at=await _lot_expiry(session, at) if points > 0 else None,
        created_at=at,
    )
    await write.close()
    return row


async def expire_some(session: AsyncSession, now: datetime, *, limit: int | None = None) -> tuple[int, int]:
    """Expire the points past their expiry of up to ``limit`` wallets, announcing each entry; (wallets read,
    lots expired). Fewer wallets than ``limit`` means none is left due."""
    customers = await repository.wallets_due(session, now, limit=limit or EXPIRY_CHUNK)
    expired = 0
    for customer_id in customers:
        write = await _Write.open(session, customer_id)
        expired += await write.expire_due(now)
        await write.close()
        if not write.events:
            # Nothing held past its expiry (a stale next expiry): set it right so the wallet is not read again.
            upcoming = write.ledger.next_expiry()
            await repository.move_balance(session, customer_id, 0, upcoming[0] if upcoming else None)
    return len(customers), expired


async def expire_due(session: AsyncSession, now: datetime | None = None) -> int:
    """Expire the points of every wallet holding some past their expiry, announcing each entry; how many
    lots were expired."""
    now = now or utcnow()
    total = 0
    while True:
        wallets, expired = await expire_some(session, now)
        total += expired
        if wallets < EXPIRY_CHUNK:
            return total


async def _ledger(session: AsyncSession, customer_id: int) -> Ledger:
    return replay(await repository.entries_of(session, customer_id))


async def balance(session: AsyncSession, customer_id: int) -> int:
    """The points the customer can spend now: points past their expiry are left out, expired or not yet."""
    return (await _ledger(session, customer_id)).available(utcnow())


async def read_wallet(session: AsyncSession, *, customer_id: int, currency: str) -> WalletPublic:
    """The balance as the customer sees it now, its value, and the next points to expire."""
    now = utcnow()
    ledger = await _ledger(session, customer_id)
    points = ledger.available(now)
    program = await program_at(session, now)
    upcoming = ledger.next_expiry(after=now)
    return WalletPublic(
        customer_id=customer_id,
        balance=points,
        value=points_value(points, program.settings.points_per_currency_unit),
        currency=currency,
        points_per_currency_unit=program.settings.points_per_currency_unit,
        next_expiry=upcoming[0] if upcoming else None,
        expiring_points=upcoming[1] if upcoming else 0,
    )


async def list_entries(
    session: AsyncSession, *, customer_id: int, page: PageParams
) -> tuple[list[WalletEntryPublic], str | None]:
    """A customer's wallet entries, newest first."""
    statement = select(wallet_entry.c.id).where(wallet_entry.c.customer_id == customer_id)
    ids, next_cursor = await paginate(session, statement, sort=NEWEST_FIRST, params=page)
    rows = await repository.entries_by_id(session, ids)
    return [WalletEntryPublic.model_validate(row._mapping) for row in rows], next_cursor


def entry_public(row: Any) -> WalletEntryPublic:
    return WalletEntryPublic.model_validate(row._mapping)
