"""The events benchmark: replaying a JetStream stream of 1,000,000 events into a consumer that inserts
them into a table, against a bare fetch-and-ack of the same stream and against the one-event consumer
Patron had before consumers applied batches.

    python bench/events/run.py [--events 1000000] [--baseline-events 20000] [--batch-size 1000]
                               [--server postgresql://...] [--nats nats://...] [--old-ref REF]

One run:

1. a scratch database with the consumer tables (inbox, positions, held) and an ``item`` table; an
   embedded NATS server from the wheel in a scratch directory (or ``--nats``);
2. ``--events`` envelopes of one event type over 10,000 aggregates, published into the stream
   ``PATRON`` (not timed);
3. **bare**: a durable pull consumer with nats-py that fetches batches and acks every message,
   nothing else;
4. **batched**: ``services.kit.consumer.Consumer`` with one set-based handler that inserts the
   batch's items with one statement, replaying the whole stream;
5. **one-event**: the consumer of ``--old-ref`` (read from git history: one transaction per event),
   with a handler inserting one row, on the first ``--baseline-events`` of the stream (replaying a
   million at its rate would take most of an hour; events/s is what is compared);
6. prints events/s of each, batched/bare and batched/one-event.

Every phase replays from the stream's start with a durable consumer of its own, in this process.
"""

import argparse
import asyncio
import json
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import types
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import BigInteger, Column, MetaData, Numeric, Table, Text, text
from sqlalchemy.ext.asyncio import AsyncSession

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from patron.embedded import start_embedded_nats  # noqa: E402
from services.kit.consumer import Consumer, Event, Outcome, inbox_tables  # noqa: E402
from services.kit.db import NAMING_CONVENTION, create_engine  # noqa: E402
from services.kit.events import STREAM_NAME, EventPayload, ensure_stream, stream_config  # noqa: E402

SCHEMA = "bench"
SERVICE = "benchmark"
AGGREGATES = 10_000
OLD_REF = "ddde41e"  # the last commit whose consumer applied one event per transaction


class ItemRecorded(EventPayload):
    event_type = "item.recorded"
    aggregate = "item"

    item_id: int
    amount: str


def metadata() -> tuple[MetaData, Table]:
    meta = MetaData(schema=SCHEMA, naming_convention=NAMING_CONVENTION)
    inbox_tables(meta)
    item = Table(
        "item",
        meta,
        Column("consumer", Text, nullable=False),
        Column("item_id", BigInteger, nullable=False),
        Column("seq", BigInteger, nullable=False),
        Column("amount", Numeric(12, 2), nullable=False),
    )
    return meta, item


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def publish(nats_url: str, events: int) -> None:
    """``events`` envelopes, round-robin over the aggregates, each aggregate's seq counting from 1."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, stream_config())
        subject = f"patron.{SERVICE}.{ItemRecorded.event_type}"
        occurred = "2026-01-01T00:00:00Z"
        for n in range(events):
            item, seq = n % AGGREGATES + 1, n // AGGREGATES + 1
            body = {
                "id": str(uuid.uuid4()),
                "type": ItemRecorded.event_type,
                "version": 1,
                "occurred_at": occurred,
                "aggregate_id": f"item:{item}",
                "seq": seq,
                "payload": {"item_id": item, "amount": f"{n % 997}.{n % 100:02d}"},
            }
            # Plain publishes land in the stream too; the flush below waits for the server to have them.
            await nc.publish(subject, json.dumps(body).encode())
            if n % 50_000 == 49_999:
                await nc.flush()
        await nc.flush()
        while (await js.stream_info(STREAM_NAME)).state.messages < events:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    finally:
        await nc.close()


async def bare(nats_url: str, events: int, batch_size: int) -> float:
    """Seconds to fetch and ack ``events`` messages with nats-py alone."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        config = ConsumerConfig(
            durable_name="bench-bare",
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            max_ack_pending=max(1000, 4 * batch_size),
        )
        sub = await js.pull_subscribe(f"patron.{SERVICE}.>", durable="bench-bare", config=config)
        done = 0
        started = time.perf_counter()
        while done < events:
            for msg in await sub.fetch(batch_size, timeout=5):
                await msg.ack()
                done += 1
        return time.perf_counter() - started
    finally:
        await nc.close()


async def batched(database_url: str, nats_url: str, events: int, batch_size: int) -> float:
    """Seconds for the batched consumer to apply ``events`` events, inserting each batch in one statement."""
    tables = inbox_tables(MetaData(schema=SCHEMA, naming_convention=NAMING_CONVENTION))
    engine = create_engine(database_url, pool_size=2, application_name="patron-bench-events")
    consumer = Consumer(
        engine, tables, name="bench-batched", nats_url=nats_url, services=[SERVICE], batch_size=batch_size
    )
    insert = text(f"""
        INSERT INTO {SCHEMA}.item (consumer, item_id, seq, amount)
        SELECT 'batched', i, s, a
        FROM unnest(CAST(:items AS bigint[]), CAST(:seqs AS bigint[]), CAST(:amounts AS numeric[])) AS v (i, s, a)
    """)

    @consumer.handles(ItemRecorded)
    async def record(session: AsyncSession, batch: Sequence[Event[ItemRecorded]]) -> None:
        await session.execute(
            insert,
            {
                "items": [e.payload.item_id for e in batch],
                "seqs": [e.seq for e in batch],
                "amounts": [e.payload.amount for e in batch],
            },
        )

    try:
        return await timed_until_applied(consumer, Outcome.APPLIED, events)
    finally:
        await engine.dispose()


async def timed_until_applied(consumer: Any, applied: Any, events: int) -> float:
    """Seconds from starting ``consumer`` until its count of ``applied`` reaches ``events``."""
    started = time.perf_counter()
    await consumer.start()
    while consumer.counts[applied] < events:  # noqa: ASYNC110 - a counter, polled
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    await consumer.stop()
    return elapsed


def old_consumer_module(ref: str) -> types.ModuleType:
    """The consumer module as it was at ``ref``, imported under a name of its own."""
    source = subprocess.run(
        ["git", "show", f"{ref}:services/kit/consumer.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType("patron_bench_old_consumer")
    exec(compile(source, f"{ref}:services/kit/consumer.py", "exec"), module.__dict__)
    return module


async def one_event(database_url: str, nats_url: str, events: int, ref: str) -> float:
    """Seconds for the one-event-per-transaction consumer of ``ref`` to apply the first ``events`` events."""
    old = old_consumer_module(ref)
    tables = inbox_tables(MetaData(schema=SCHEMA, naming_convention=NAMING_CONVENTION))
    engine = create_engine(database_url, pool_size=2, application_name="patron-bench-events-old")
    consumer: Any = old.Consumer(engine, tables, name="bench-one-event", nats_url=nats_url, services=[SERVICE])
    insert = text(f"INSERT INTO {SCHEMA}.item (consumer, item_id, seq, amount) VALUES ('one-event', :i, :s, :a)")

    @consumer.on(ItemRecorded)  # type: ignore[misc]
    async def record(*, session: AsyncSession, event: Any) -> None:
        item = event.payload_as(ItemRecorded)
        await session.execute(insert, {"i": item.item_id, "s": event.seq, "a": item.amount})

    try:
        return await timed_until_applied(consumer, old.Outcome.APPLIED, events)
    finally:
        await engine.dispose()


async def prepare(database_url: str) -> None:
    meta, _ = metadata()
    engine = create_engine(database_url, pool_size=1)
    async with engine.begin() as connection:
        await connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
        await connection.run_sync(meta.create_all)
    await engine.dispose()


async def applied_rows(database_url: str, consumer: str) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {SCHEMA}.item WHERE consumer = $1", consumer))
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the stream")
    parser.add_argument("--baseline-events", type=int, default=20_000, help="events the one-event consumer applies")
    parser.add_argument("--batch-size", type=int, default=1000, help="messages per fetch, bare and batched")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres", help="PostgreSQL")
    parser.add_argument("--nats", default=None, help="a NATS server with JetStream and no PATRON stream")
    parser.add_argument("--old-ref", default=OLD_REF, help="git ref of the one-event consumer")
    parser.add_argument("--only", default="bare,batched,one-event", help="phases to run")
    args = parser.parse_args()
    phases = set(args.only.split(","))
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-events-"))
    server = None
    nats_url = args.nats
    name = f"patron_bench_events_{secrets.token_hex(4)}"
    database_url = args.server.rsplit("/", 1)[0] + "/" + name
    try:
        if nats_url is None:
            server = start_embedded_nats(workdir / "nats", port=free_port())
            nats_url = server.url
        asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
        asyncio.run(prepare(database_url))
        started = time.perf_counter()
        asyncio.run(publish(nats_url, args.events))
        print(f"published {args.events:,} events in {time.perf_counter() - started:.0f}s", flush=True)
        rates: dict[str, float] = {}
        if "bare" in phases:
            cpu = time.process_time()
            seconds = asyncio.run(bare(nats_url, args.events, args.batch_size))
            rates["bare"] = args.events / seconds
            per_event = (time.process_time() - cpu) / args.events * 1e6
            print(
                f"bare fetch-and-ack: {seconds:.1f}s, {rates['bare']:,.0f} events/s, {per_event:.0f} µs CPU/event",
                flush=True,
            )
        if "batched" in phases:
            cpu = time.process_time()
            seconds = asyncio.run(batched(database_url, nats_url, args.events, args.batch_size))
            rates["batched"] = args.events / seconds
            per_event = (time.process_time() - cpu) / args.events * 1e6
            rows = asyncio.run(applied_rows(database_url, "batched"))
            print(
                f"batched consumer: {seconds:.1f}s, {rates['batched']:,.0f} events/s ({rows:,} rows), "
                f"{per_event:.0f} µs CPU/event in this process",
                flush=True,
            )
        if "one-event" in phases:
            count = min(args.baseline_events, args.events)
            seconds = asyncio.run(one_event(database_url, nats_url, count, args.old_ref))
            rates["one-event"] = count / seconds
            print(
                f"one-event consumer ({args.old_ref}): {seconds:.1f}s for {count:,}, {rates['one-event']:,.0f} events/s"
            )
    finally:
        asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    for phase, rate in rates.items():
        print(f"{phase:>10}: {rate:>10,.0f} events/s")
    if "batched" in rates and "bare" in rates:
        print(f"batched / bare fetch-and-ack: {rates['batched'] / rates['bare']:.2f}  (aim >= 0.5)")
    if "batched" in rates and "one-event" in rates:
        print(f"batched / one-event consumer: {rates['batched'] / rates['one-event']:.1f}  (aim >= 10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
