"""Event fixtures: a real NATS server from the wheel and a scratch ``evtest`` schema with outbox and inbox."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, Column, Identity, MetaData, Table, Text, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from patron.embedded import EmbeddedNats, start_embedded_nats
from services.kit.consumer import BatchHandler, Consumer, Event, InboxTables, inbox_tables
from services.kit.db import NAMING_CONVENTION, create_engine
from services.kit.events import Envelope, EventCatalog, EventPayload
from services.kit.outbox import Outbox, OutboxTables, outbox_tables
from services.kit.relay import OutboxRelay

SCHEMA = "evtest"
WAIT_SECONDS = 15.0


class AccountCredited(EventPayload):
    event_type = "account.credited"
    version = 1
    aggregate = "account"

    account_id: int
    amount: int


CATALOG = EventCatalog("evtest", [AccountCredited])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NatsServer:
    """One broker for a test, restartable on the same port with the same store (so data survives)."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir
        self.port = free_port()
        self.server: EmbeddedNats | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self.server is None
        self.server = start_embedded_nats(self.store_dir, port=self.port)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    broker = NatsServer(tmp_path / "nats-store")
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@dataclass
class EventWorld:
    """The scratch schema: an account table (the write side), the outbox, an inbox and two projections."""

    engine: AsyncEngine
    outbox_tables: OutboxTables
    inbox_tables: InboxTables
    account: Table
    projection: Table
    applied_log: Table
    outbox: Outbox = field(init=False)
    batch_sizes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.outbox = Outbox(CATALOG, self.outbox_tables)

    async def credit(self, account_id: int, amount: int) -> Envelope:
        """The write side: change the account and announce it, in one transaction."""
        async with AsyncSession(self.engine) as session, session.begin():
            await session.execute(
                insert(self.account)
                .values(id=account_id, balance=amount)
                .on_conflict_do_update(
                    index_elements=[self.account.c.id], set_={"balance": self.account.c.balance + amount}
                )
            )
            return await self.outbox.add(session, AccountCredited(account_id=account_id, amount=amount))

    def relay(self, nats_url: str, **options: object) -> OutboxRelay:
        return OutboxRelay(self.engine, self.outbox_tables, nats_url=nats_url, idle_interval=0.05, **options)  # type: ignore[arg-type]

    def consumer(self, name: str, nats_url: str, *, projection: str | None = None, **options: object) -> Consumer:
        """A consumer whose handler adds each credit to ``projection`` and logs the order it applied them in."""
        consumer = Consumer(
            self.engine,
            self.inbox_tables,
            name=name,
            nats_url=nats_url,
            services=["evtest"],
            fetch_timeout=0.5,
            **options,  # type: ignore[arg-type]
        )
        target = projection or name
        consumer.handles(AccountCredited)(self.credit_handler(target))
        return consumer

    def credit_handler(self, target: str) -> BatchHandler[AccountCredited]:
        """Set-based: one statement per table for the whole batch, whatever its size."""

        async def on_account_credited(session: AsyncSession, events: Sequence[Event[AccountCredited]]) -> None:
            totals: dict[int, list[int]] = {}
            for event in events:
                total = totals.setdefault(event.payload.account_id, [0, 0])
                total[0] += event.payload.amount
                total[1] += 1
            await session.execute(
                text(
                    f"""
                    INSERT INTO {SCHEMA}.credit_projection AS p (projection, account_id, balance, events)
                    SELECT :target, a, b, n
                    FROM unnest(CAST(:accounts AS bigint[]), CAST(:balances AS bigint[]), CAST(:counts AS bigint[]))
                        AS v (a, b, n)
                    ON CONFLICT (projection, account_id)
                    DO UPDATE SET balance = p.balance + excluded.balance, events = p.events + excluded.events
                    """
                ),
                {
                    "target": target,
                    "accounts": list(totals),
                    "balances": [t[0] for t in totals.values()],
                    "counts": [t[1] for t in totals.values()],
                },
            )
            await session.execute(
                text(
                    f"""
                    INSERT INTO {SCHEMA}.credit_log (projection, aggregate_id, seq, event_id)
                    SELECT :target, a, s, e
                    FROM unnest(CAST(:aggregates AS text[]), CAST(:seqs AS bigint[]), CAST(:ids AS text[]))
                        WITH ORDINALITY AS v (a, s, e, ord)
                    ORDER BY ord
                    """
                ),
                {
                    "target": target,
                    "aggregates": [e.aggregate_id for e in events],
                    "seqs": [e.seq for e in events],
                    "ids": [str(e.id) for e in events],
                },
            )
            self.batch_sizes.append(len(events))

        return on_account_credited

    async def balances(self) -> dict[int, int]:
        async with AsyncSession(self.engine) as session:
            rows = (await session.execute(select(self.account.c.id, self.account.c.balance))).all()
        return {row.id: row.balance for row in rows}

    async def projected(self, projection: str) -> dict[int, int]:
        p = self.projection
        async with AsyncSession(self.engine) as session:
            statement = select(p.c.account_id, p.c.balance).where(p.c.projection == projection)
            rows = (await session.execute(statement)).all()
        return {row.account_id: row.balance for row in rows}

    async def projected_events(self, projection: str) -> int:
        async with AsyncSession(self.engine) as session:
            statement = text(f"SELECT coalesce(sum(events), 0) FROM {SCHEMA}.credit_projection WHERE projection = :p")
            return int((await session.execute(statement, {"p": projection})).scalar_one())

    async def applied_order(self, projection: str) -> list[tuple[str, int]]:
        log = self.applied_log
        async with AsyncSession(self.engine) as session:
            rows = (
                await session.execute(
                    select(log.c.aggregate_id, log.c.seq).where(log.c.projection == projection).order_by(log.c.id)
                )
            ).all()
        return [(row.aggregate_id, row.seq) for row in rows]

    async def outbox_count(self) -> int:
        async with AsyncSession(self.engine) as session:
            return int((await session.execute(text(f"SELECT count(*) FROM {SCHEMA}.event_outbox"))).scalar_one())


async def open_world(database_url: str) -> EventWorld:
    """The scratch schema in ``database_url`` (created if missing), for a test or a consumer process."""
    metadata = MetaData(schema=SCHEMA, naming_convention=NAMING_CONVENTION)
    outbox = outbox_tables(metadata)
    inbox = inbox_tables(metadata)
    account = Table(
        "account",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=False),
        Column("balance", BigInteger, nullable=False),
    )
    projection = Table(
        "credit_projection",
        metadata,
        Column("projection", Text, primary_key=True),
        Column("account_id", BigInteger, primary_key=True, autoincrement=False),
        Column("balance", BigInteger, nullable=False),
        Column("events", BigInteger, nullable=False),
    )
    applied_log = Table(
        "credit_log",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("projection", Text, nullable=False),
        Column("aggregate_id", Text, nullable=False),
        Column("seq", BigInteger, nullable=False),
        Column("event_id", Text, nullable=False),
    )
    engine = create_engine(database_url, pool_size=5, application_name="patron-evtest")
    async with engine.begin() as connection:
        await connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
        await connection.run_sync(metadata.create_all)
    return EventWorld(engine, outbox, inbox, account, projection, applied_log)


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[EventWorld]:
    opened = await open_world(database_url)
    try:
        yield opened
    finally:
        await opened.engine.dispose()


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float = WAIT_SECONDS, what: str = "condition"
) -> None:
    """Poll ``check`` until it holds, failing after ``timeout`` seconds (never a fixed long sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)
