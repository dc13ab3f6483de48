"""Batched consumers: one transaction per batch, per-aggregate order without sleeping, parked versions."""

import asyncio
import logging
import subprocess
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import nats
import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.consumer import (
    ConsumerMetrics,
    Event,
    HoldReason,
    Interest,
    Outcome,
    plan_batch,
    rounds,
)
from services.kit.events import MSG_ID_HEADER, Envelope, EventPayload, ensure_stream, stream_config, subject
from tests.events.conftest import AccountCredited, EventWorld, NatsServer, eventually
from tests.support.processes import ROOT


class AccountCreditedV2(EventPayload):
    """A later version of ``account.credited`` that the first consumer build does not know."""

    event_type = "account.credited"
    version = 2
    aggregate = "account"

    account_id: int
    amount: int
    note: str


def envelope(
    aggregate: str, seq: int, *, type_: str = "account.credited", version: int = 1, **payload: Any
) -> Envelope:
    return Envelope(
        id=uuid.uuid4(),
        type=type_,
        version=version,
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        aggregate_id=aggregate,
        seq=seq,
        payload=payload or {"account_id": int(aggregate.split(":")[1]), "amount": seq},
    )


def knows_v1(event_type: str, version: int) -> Interest:
    if event_type != "account.credited":
        return Interest.IGNORED
    return Interest.HANDLED if version == 1 else Interest.UNKNOWN_VERSION


# The plan: a pure function, tested without a database.


def test_a_batch_applies_each_aggregates_events_in_seq_order_whatever_their_arrival_order() -> None:
    a3, a1, b1, a2 = (
        envelope("account:1", 3),
        envelope("account:1", 1),
        envelope("account:2", 1),
        envelope("account:1", 2),
    )
    plan = plan_batch([a3, a1, b1, a2], {"account:1": 0}, [], knows_v1)
    assert [(e.aggregate_id, e.seq) for e in plan.apply if e.aggregate_id == "account:1"] == [
        ("account:1", 1),
        ("account:1", 2),
        ("account:1", 3),
    ]
    assert plan.positions == {"account:1": 3, "account:2": 1}
    assert plan.outcomes == [Outcome.APPLIED] * 4
    assert plan.hold == [] and plan.release == []


def test_events_after_a_gap_are_held_and_applied_when_the_gap_fills() -> None:
    a2, a3 = envelope("account:1", 2), envelope("account:1", 3)
    first = plan_batch([a3, a2], {"account:1": 0}, [], knows_v1)
    assert first.apply == [] and first.positions == {}
    assert first.outcomes == [Outcome.HELD, Outcome.HELD]
    assert {(e.seq, reason) for e, reason in first.hold} == {(2, HoldReason.WAITING), (3, HoldReason.WAITING)}

    a1 = envelope("account:1", 1)
    second = plan_batch([a1], {"account:1": 0}, [a2, a3], knows_v1)
    assert [e.seq for e in second.apply] == [1, 2, 3]
    assert [e.seq for e in second.release] == [2, 3]
    assert second.positions == {"account:1": 3} and second.outcomes == [Outcome.APPLIED]


def test_events_at_or_below_the_position_or_already_held_are_duplicates() -> None:
    old, held, same = envelope("account:1", 2), envelope("account:1", 5), envelope("account:1", 5)
    plan = plan_batch([old, same, old], {"account:1": 3}, [held], knows_v1)
    assert plan.outcomes == [Outcome.DUPLICATE] * 3
    assert plan.apply == [] and plan.hold == []


def test_an_unknown_version_is_parked_and_holds_back_its_aggregate_only() -> None:
    a1, a2v2, a3 = envelope("account:1", 1), envelope("account:1", 2, version=2), envelope("account:1", 3)
    b1, other = envelope("account:2", 1), envelope("account:3", 1, type_="account.frozen")
    plan = plan_batch([a1, a2v2, a3, b1, other], {}, [], knows_v1)
    assert [(e.aggregate_id, e.seq) for e in plan.apply] == [("account:1", 1), ("account:2", 1), ("account:3", 1)]
    assert plan.outcomes == [Outcome.APPLIED, Outcome.PARKED, Outcome.HELD, Outcome.APPLIED, Outcome.IGNORED]
    assert [(e.seq, reason) for e, reason in plan.hold] == [(2, HoldReason.UNKNOWN_VERSION), (3, HoldReason.WAITING)]
    assert plan.positions == {"account:1": 1, "account:2": 1, "account:3": 1}

    # A consumer that knows version 2 applies the parked event and the one behind it, in order.
    plan = plan_batch([], {"account:1": 1}, [a3, a2v2], lambda t, v: Interest.HANDLED)
    assert [e.seq for e in plan.apply] == [2, 3] and plan.positions == {"account:1": 3}


def batch(import_id: int, seq: int, *accounts: int) -> Envelope:
    """A batch event announcing ``accounts`` (each at its seq 1), as an import writes one."""
    items = [[account, account * 10] for account in accounts]
    payload = {"import_id": import_id, "member": "account", "fields": ["account_id", "amount"], "items": items}
    return envelope(f"import:{import_id}", seq, type_="accounts.imported", **payload)


def test_a_batch_event_puts_its_aggregates_at_seq_1_and_their_next_events_apply_after_it() -> None:
    # account:1's seq 2 arrives first; the batch that announces it comes in the same fetch.
    a2, chunk = envelope("account:1", 2), batch(5, 1, 1, 2)
    plan = plan_batch([a2, chunk], {}, [], knows_v1)
    assert [(e.aggregate_id, e.seq) for e in plan.apply] == [("import:5", 1), ("account:1", 2)]
    assert plan.positions == {"import:5": 1, "account:1": 2, "account:2": 1}
    assert plan.outcomes == [Outcome.APPLIED, Outcome.IGNORED] and plan.hold == []
    # A handler for account.credited sees account:1's seq 2 in a later round than the batch that announced it.
    assert [[e.type for group in round_ for e in group] for round_ in rounds(plan.apply)] == [
        ["accounts.imported"],
        ["account.credited"],
    ]


def test_an_event_of_an_imported_aggregate_waits_for_its_batch_event_and_a_redelivered_batch_is_a_duplicate() -> None:
    a2 = envelope("account:1", 2)
    plan = plan_batch([a2], {}, [], knows_v1)
    assert plan.apply == [] and plan.hold == [(a2, HoldReason.WAITING)]  # no seq 1 yet: it waits
    chunk = batch(5, 1, 1)
    plan = plan_batch([chunk], {}, [a2], knows_v1)  # the batch arrives: the held event follows it
    assert [(e.aggregate_id, e.seq) for e in plan.apply] == [("import:5", 1), ("account:1", 2)]
    assert plan.release == [a2] and plan.positions == {"import:5": 1, "account:1": 2}
    again = plan_batch([chunk], {"import:5": 1, "account:1": 2}, [], knows_v1)
    assert again.apply == [] and again.positions == {} and again.outcomes == [Outcome.DUPLICATE]
    # Chunks of one import apply in their seq order, the second one's items after the first's.
    second, first = batch(6, 2, 3), batch(6, 1, 4)
    plan = plan_batch([second, first], {}, [], knows_v1)
    assert [e.seq for e in plan.apply] == [1, 2] and plan.positions["account:3"] == plan.positions["account:4"] == 1


def test_rounds_keep_each_aggregates_order_across_event_types() -> None:
    created = envelope("account:1", 1, type_="account.opened")
    credit_a = envelope("account:1", 2)
    credit_b = envelope("account:1", 3)
    other_credit = envelope("account:2", 1)
    closed = envelope("account:1", 4, type_="account.closed")
    grouped = rounds([created, credit_a, credit_b, other_credit, closed])
    as_seqs = [[[(e.aggregate_id, e.seq) for e in group] for group in round_] for round_ in grouped]
    assert as_seqs == [
        [[("account:1", 1)], [("account:2", 1)]],  # opened, then account:2's first credit
        [[("account:1", 2), ("account:1", 3)]],  # account:1's credits, one call
        [[("account:1", 4)]],
    ]


# On a real PostgreSQL and NATS.


async def _publish(url: str, envelopes: Sequence[Envelope]) -> None:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, stream_config())
        for e in envelopes:
            await js.publish(subject("evtest", e.type), e.to_bytes(), headers={MSG_ID_HEADER: str(e.id)})
    finally:
        await nc.close()


async def publish_outbox(world: EventWorld, nats_server: NatsServer) -> None:
    """Run a relay until every event of the outbox is in the stream."""
    relay = world.relay(nats_server.url)
    await relay.start()

    async def published() -> bool:
        return await relay.backlog() == 0

    try:
        await eventually(published, what="all events published")
    finally:
        await relay.stop()


async def test_one_batch_is_one_transaction_and_reaches_handlers_as_one_call(
    world: EventWorld, nats_server: NatsServer
) -> None:
    for i in range(120):
        await world.credit(i % 7, i + 1)
    await publish_outbox(world, nats_server)
    consumer = world.consumer("batched", nats_server.url, batch_size=200)
    await consumer.start()
    try:

        async def converged() -> bool:
            return await world.projected("batched") == await world.balances()

        await eventually(converged, what="all events applied")
        assert await world.projected_events("batched") == 120
        # 120 events in far fewer handler calls, several events of one account in one call.
        assert sum(world.batch_sizes) == 120 and max(world.batch_sizes) > 7
        assert consumer.metrics.batches.labels("batched")._value.get() < 120
    finally:
        await consumer.stop()


async def test_an_unknown_version_is_parked_counted_and_logged_and_applied_by_a_consumer_that_knows_it(
    world: EventWorld, nats_server: NatsServer, caplog: pytest.LogCaptureFixture
) -> None:
    first = await world.credit(1, 10)  # account:1 seq 1, version 1
    newer = envelope("account:1", 2, version=2, account_id=1, amount=20, note="bonus")
    after = envelope("account:1", 3, account_id=1, amount=5)
    other = await world.credit(2, 7)
    await _publish(nats_server.url, [first, newer, after, other])

    registry = CollectorRegistry()
    old_build = world.consumer("ledger", nats_server.url, metrics=ConsumerMetrics(registry))
    with caplog.at_level(logging.WARNING, logger="patron.consumer"):
        await old_build.start()
        try:

            async def settled() -> bool:
                return sum(old_build.counts.values()) == 4 and await old_build.pending() == 0

            await eventually(settled, what="every message acknowledged")
            assert old_build._task is not None and not old_build._task.done()  # still running
            assert await world.projected("ledger") == {1: 10, 2: 7}
            assert old_build.counts[Outcome.PARKED] == 1 and old_build.counts[Outcome.HELD] == 1
            assert await old_build.held() == {HoldReason.UNKNOWN_VERSION: 1, HoldReason.WAITING: 1}
            parked = registry.get_sample_value(
                "patron_consumer_parked_events_total",
                {"consumer": "ledger", "type": "account.credited", "version": "2"},
            )
            assert parked == 1
        finally:
            await old_build.stop()
    assert any("parked account.credited version 2" in r.getMessage() for r in caplog.records)

    # The next build knows version 2: it applies the parked event, then the one held behind it.
    new_build = world.consumer("ledger", nats_server.url)

    @new_build.handles(AccountCreditedV2)
    async def on_v2(session: AsyncSession, events: Sequence[Event[AccountCreditedV2]]) -> None:
        as_v1 = [
            Event(
                e.id,
                e.aggregate_id,
                e.seq,
                e.occurred_at,
                AccountCredited(account_id=e.payload.account_id, amount=e.payload.amount),
            )
            for e in events
        ]
        await world.credit_handler("ledger")(session, as_v1)

    await new_build.start()
    try:

        async def released() -> bool:
            return await world.projected("ledger") == {1: 35, 2: 7}

        await eventually(released, what="parked events applied by the new build")
        assert [seq for aggregate, seq in await world.applied_order("ledger") if aggregate == "account:1"] == [1, 2, 3]
        assert await new_build.held() == {HoldReason.UNKNOWN_VERSION: 0, HoldReason.WAITING: 0}
    finally:
        await new_build.stop()


@pytest.mark.parametrize("mode", ["before-commit", "after-commit"])
async def test_a_consumer_killed_mid_batch_leaves_a_redelivery_that_changes_nothing(
    world: EventWorld, nats_server: NatsServer, database_url: str, mode: str
) -> None:
    for i in range(200):
        await world.credit(i % 10, i + 1)
    await publish_outbox(world, nats_server)

    child = subprocess.Popen(
        [sys.executable, "-m", "tests.events.consumer_process", database_url, nats_server.url, "killed", mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), timeout=60)
        assert line.strip() == b"hanging"
    finally:
        child.kill()
        child.wait()
    # The killed process committed its first batch; the batch it died in left nothing behind.
    committed = await world.projected_events("killed")
    assert 0 < committed < 200
    assert len(await world.applied_order("killed")) == committed

    successor = world.consumer("killed", nats_server.url, ack_wait=1.0, batch_size=50)
    await successor.start()
    try:

        async def converged() -> bool:
            return await world.projected("killed") == await world.balances()

        await eventually(converged, timeout=30, what="the successor caught up")
        if mode == "after-commit":
            # The committed but unacknowledged batch comes again and is recognised as applied.

            async def redelivered() -> bool:
                return successor.counts[Outcome.DUPLICATE] >= committed

            await eventually(redelivered, timeout=30, what="the unacknowledged batch redelivered")
        assert await world.projected("killed") == await world.balances()
        assert await world.projected_events("killed") == 200
        order = await world.applied_order("killed")
        assert len(order) == 200 and len(set(order)) == 200
        assert await successor.pending() == 0
    finally:
        await successor.stop()


async def test_the_inbox_keeps_an_event_from_being_applied_twice_even_if_its_position_is_lost(
    world: EventWorld,
) -> None:
    first, second = await world.credit(4, 10), await world.credit(4, 5)
    consumer = world.consumer("inboxed", "nats://127.0.0.1:1")  # no broker needed: applied directly
    assert await consumer.apply_batch([first, second]) == [Outcome.APPLIED, Outcome.APPLIED]
    async with world.engine.begin() as connection:
        await connection.execute(world.inbox_tables.position.delete())
    await consumer.apply_batch([first, second])
    assert await world.projected("inboxed") == {4: 15}
    assert await world.projected_events("inboxed") == 2


async def test_a_batch_event_moves_its_aggregates_to_seq_1_and_applies_what_waited_for_it(world: EventWorld) -> None:
    consumer = world.consumer("announced", "nats://127.0.0.1:1")  # applied directly: no broker needed
    early = envelope("account:1", 2)
    assert await consumer.apply_batch([early]) == [Outcome.HELD]  # its seq 1 is an item of a batch not yet here
    chunk = batch(9, 1, 1, 2, 3)
    assert await consumer.apply_batch([chunk]) == [Outcome.IGNORED]
    assert await world.applied_order("announced") == [("account:1", 2)]  # the held event, right after its batch
    later = [envelope("account:2", 2), envelope("account:3", 2)]
    assert await consumer.apply_batch(later) == [Outcome.APPLIED, Outcome.APPLIED]
    assert await consumer.apply_batch([chunk, early]) == [Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert await consumer.held() == {HoldReason.WAITING: 0, HoldReason.UNKNOWN_VERSION: 0}
    assert await world.applied_order("announced") == [
        ("account:1", 2),
        ("account:2", 2),
        ("account:3", 2),
    ]


async def test_a_step_after_the_handlers_runs_once_per_batch_in_its_transaction(world: EventWorld) -> None:
    consumer = world.consumer("stepped", "nats://127.0.0.1:1")  # no broker needed: applied directly
    seen: list[int] = []

    @consumer.after_handlers
    async def count_projected(session: AsyncSession) -> None:
        # Sees what every handler of the batch wrote, before the batch commits.
        p = world.projection
        total = select(func.coalesce(func.sum(p.c.balance), 0)).where(p.c.projection == "stepped")
        seen.append(int((await session.execute(total)).scalar_one()))

    batch = [await world.credit(7, 10), await world.credit(7, 5), await world.credit(8, 1)]
    assert await consumer.apply_batch(batch) == [Outcome.APPLIED] * 3
    assert seen == [16]
    assert await consumer.apply_batch(batch) == [Outcome.DUPLICATE] * 3  # nothing handled: no step
    assert seen == [16]
