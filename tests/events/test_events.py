"""What the events design promises, proven on a real NATS JetStream and a real PostgreSQL."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import nats
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.consumer import Event, Outcome
from services.kit.events import (
    MSG_ID_HEADER,
    STREAM_NAME,
    Envelope,
    EventCatalog,
    EventPayload,
    ensure_stream,
    stream_config,
    subject,
)
from services.kit.outbox import envelope_of
from tests.events.conftest import AccountCredited, EventWorld, NatsServer, eventually


class Unlisted(EventPayload):
    event_type = "account.frozen"
    aggregate = "account"

    account_id: int


async def _stream_messages(url: str) -> int:
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().stream_info(STREAM_NAME)
        return int(info.state.messages)
    finally:
        await nc.close()


def _converged(world: EventWorld, projection: str) -> Callable[[], Awaitable[bool]]:
    """The projection equals the write side's balances."""

    async def check() -> bool:
        balances = await world.balances()
        return bool(balances) and await world.projected(projection) == balances

    return check


async def test_outbox_numbers_events_per_aggregate_and_refuses_unlisted_types(world: EventWorld) -> None:
    first = await world.credit(1, 10)
    second = await world.credit(1, 5)
    other = await world.credit(2, 7)
    assert (first.aggregate_id, first.seq) == ("account:1", 1)
    assert (second.aggregate_id, second.seq) == ("account:1", 2)
    assert (other.aggregate_id, other.seq) == ("account:2", 1)
    assert first.type == "account.credited" and first.version == 1
    assert first.payload == {"account_id": 1, "amount": 10}
    assert first.occurred_at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="not listed"):
        async with AsyncSession(world.engine) as session, session.begin():
            await world.outbox.add(session, Unlisted(account_id=1))
    assert await world.outbox_count() == 3


async def test_concurrent_writers_of_one_aggregate_get_gapless_seqs(world: EventWorld) -> None:
    envelopes = await asyncio.gather(*(world.credit(9, 1) for _ in range(20)))
    assert sorted(e.seq for e in envelopes) == list(range(1, 21))
    async with AsyncSession(world.engine) as session:
        rows = (await session.execute(world.outbox_tables.outbox.select().order_by("id"))).all()
    # Outbox id order (publish order) is seq order within the aggregate: the row lock serialises writers.
    assert [row.seq for row in rows] == list(range(1, 21))


async def test_a_consumer_that_was_down_receives_every_event_when_back(
    world: EventWorld, nats_server: NatsServer
) -> None:
    relay = world.relay(nats_server.url)
    await relay.start()
    consumer = world.consumer("ledger", nats_server.url)
    try:
        await consumer.start()
        for i in range(10):
            await world.credit(i % 3, i + 1)
        await eventually(_converged(world, "ledger"), what="first events applied")
        await consumer.stop()

        # The consumer is down while more happens.
        for i in range(30):
            await world.credit(i % 4, 100 + i)

        async def published() -> bool:
            return await relay.backlog() == 0

        await eventually(published, what="relay drained")
        assert await world.projected("ledger") != await world.balances()

        consumer = world.consumer("ledger", nats_server.url)  # same durable name: resumes where it was
        await consumer.start()
        await eventually(_converged(world, "ledger"), what="missed events applied")
        assert await world.projected_events("ledger") == 40
    finally:
        await consumer.stop()
        await relay.stop()


async def test_broker_restart_in_the_middle_of_writes_loses_nothing(world: EventWorld, nats_server: NatsServer) -> None:
    relay = world.relay(nats_server.url, publish_timeout=0.5)
    consumer = world.consumer("ledger", nats_server.url)
    await relay.start()
    await consumer.start()
    try:
        for i in range(15):
            await world.credit(i % 5, i + 1)
        await asyncio.to_thread(nats_server.stop)
        for i in range(15):  # committed while the broker is down: they wait in the outbox
            await world.credit(i % 5, 1000 + i)

        async def publishing_failed() -> bool:
            return relay.failures > 0 and await relay.backlog() > 0

        # The relay really tried and failed (publish timed out unacked) before the broker returns.
        await eventually(publishing_failed, what="a failed publish with events held in the outbox")
        await asyncio.to_thread(nats_server.start)
        for i in range(15):
            await world.credit(i % 5, 5000 + i)

        await eventually(_converged(world, "ledger"), timeout=30, what="all events applied after the restart")

        async def drained() -> bool:
            return await relay.backlog() == 0

        await eventually(drained, what="outbox drained")
        assert await world.projected_events("ledger") == 45
        assert await _stream_messages(nats_server.url) == 45  # nothing lost, nothing stored twice
    finally:
        await consumer.stop()
        await relay.stop()


async def test_a_republished_event_is_dropped_by_the_broker(world: EventWorld, nats_server: NatsServer) -> None:
    envelope = await world.credit(1, 10)
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, stream_config())
        headers = {MSG_ID_HEADER: str(envelope.id)}
        first = await js.publish(subject("evtest", envelope.type), envelope.to_bytes(), headers=headers)
        again = await js.publish(subject("evtest", envelope.type), envelope.to_bytes(), headers=headers)
        assert not first.duplicate
        assert again.duplicate and again.seq == first.seq
        assert (await js.stream_info(STREAM_NAME)).state.messages == 1
    finally:
        await nc.close()


async def test_a_redelivered_event_changes_nothing(world: EventWorld, nats_server: NatsServer) -> None:
    envelope = await world.credit(1, 10)
    consumer = world.consumer("ledger", nats_server.url)
    # The handler path directly: the same envelope twice is applied once.
    assert await consumer.apply(envelope) is Outcome.APPLIED
    assert await consumer.apply(envelope) is Outcome.DUPLICATE
    assert await world.projected("ledger") == {1: 10}

    # Through the broker: the same envelope stored twice (as after the duplicate window) is applied once.
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, stream_config())
        for _ in range(2):
            await js.publish(
                subject("evtest", envelope.type), envelope.to_bytes(), headers={MSG_ID_HEADER: uuid.uuid4().hex}
            )
    finally:
        await nc.close()
    fresh = world.consumer("ledger-2", nats_server.url)
    await fresh.start()
    try:

        async def both_seen() -> bool:
            return fresh.counts[Outcome.APPLIED] + fresh.counts[Outcome.DUPLICATE] == 2

        await eventually(both_seen, what="both deliveries handled")
        assert fresh.counts[Outcome.APPLIED] == 1 and fresh.counts[Outcome.DUPLICATE] == 1
        assert await world.projected("ledger-2") == {1: 10}
        assert await world.projected_events("ledger-2") == 1
    finally:
        await fresh.stop()


async def test_events_of_one_aggregate_are_applied_in_seq_order_whatever_the_delivery_order(
    world: EventWorld, nats_server: NatsServer
) -> None:
    envelopes = [await world.credit(7, amount) for amount in (1, 2, 3, 4, 5)]
    envelopes += [await world.credit(8, amount) for amount in (10, 20)]
    shuffled = [envelopes[i] for i in (2, 4, 6, 0, 3, 5, 1)]  # account:7 seqs 3,5,1,4,2; account:8 seqs 2,1
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, stream_config())
        for envelope in shuffled:
            await js.publish(
                subject("evtest", envelope.type), envelope.to_bytes(), headers={MSG_ID_HEADER: str(envelope.id)}
            )
    finally:
        await nc.close()

    # Two at a time, so early arrivals wait in the held table for a later batch (one batch would
    # simply sort them).
    consumer = world.consumer("ordered", nats_server.url, batch_size=2)
    await consumer.start()
    try:
        await eventually(_converged(world, "ordered"), what="all events applied")
        order = await world.applied_order("ordered")
        assert [seq for aggregate, seq in order if aggregate == "account:7"] == [1, 2, 3, 4, 5]
        assert [seq for aggregate, seq in order if aggregate == "account:8"] == [1, 2]
        assert consumer.counts[Outcome.HELD] > 0  # the early ones really were held back
    finally:
        await consumer.stop()


async def test_a_failing_handler_is_retried_and_later_events_of_its_aggregate_wait(
    world: EventWorld, nats_server: NatsServer
) -> None:
    relay = world.relay(nats_server.url)
    consumer = world.consumer("flaky", nats_server.url, max_retry_delay=0.5)
    registration = consumer._handlers[("account.credited", 1)]
    failures = {"left": 2}

    async def flaky(session: AsyncSession, events: Sequence[Event[AccountCredited]]) -> None:
        if any(event.seq == 1 for event in events) and failures["left"] > 0:
            failures["left"] -= 1
            raise RuntimeError("transient failure")
        await registration.handler(session, events)

    consumer._handlers[("account.credited", 1)] = replace(registration, handler=flaky)
    for amount in (1, 2, 3):
        await world.credit(3, amount)
    await relay.start()
    await consumer.start()
    try:
        await eventually(_converged(world, "flaky"), what="all events applied after retries")
        assert failures["left"] == 0 and consumer.failures == 2
        assert [seq for _, seq in await world.applied_order("flaky")] == [1, 2, 3]
    finally:
        await consumer.stop()
        await relay.stop()


async def test_events_committed_while_no_relay_ran_are_published_after_restart(
    world: EventWorld, nats_server: NatsServer
) -> None:
    # Rows committed, relay "killed" before publishing anything.
    for i in range(12):
        await world.credit(i % 3, i + 1)
    async with AsyncSession(world.engine) as session:
        rows = (await session.execute(world.outbox_tables.outbox.select().order_by("id"))).all()
    # ... and a relay killed after publishing the first five but before marking them sent.
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, stream_config())
        for row in rows[:5]:
            await js.publish(row.subject, envelope_of(row).to_bytes(), headers={MSG_ID_HEADER: str(row.event_id)})
    finally:
        await nc.close()
    relay = world.relay(nats_server.url)
    assert await relay.backlog() == 12

    # A relay cancelled in the middle of its work: what it acked may or may not be marked sent, the
    # rest stays in the outbox.
    doomed = world.relay(nats_server.url, batch_size=1)
    await doomed.start()

    async def some_published() -> bool:
        return doomed.published_total >= 2

    await eventually(some_published, what="the doomed relay publishing")
    await doomed.stop(grace=0)
    assert await relay.backlog() <= 10  # (it may have drained everything before the cancel landed)

    await relay.start()
    consumer = world.consumer("ledger", nats_server.url)
    await consumer.start()
    try:

        async def drained() -> bool:
            return await relay.backlog() == 0

        await eventually(drained, what="outbox published")
        await eventually(_converged(world, "ledger"), what="consumer caught up")
        assert await _stream_messages(nats_server.url) == 12  # the five republished ones were dropped
        assert await world.projected_events("ledger") == 12
    finally:
        await consumer.stop()
        await relay.stop()


async def test_replaying_the_stream_into_a_new_consumer_rebuilds_the_same_state(
    world: EventWorld, nats_server: NatsServer
) -> None:
    relay = world.relay(nats_server.url)
    live = world.consumer("live", nats_server.url)
    await relay.start()
    await live.start()
    try:
        for i in range(25):
            await world.credit(i % 6, (i * 37) % 101)
        await eventually(_converged(world, "live"), what="live projection current")
    finally:
        await live.stop()
    rebuilt = world.consumer("rebuilt", nats_server.url)  # new durable, empty projection
    await rebuilt.start()
    try:
        await eventually(_converged(world, "rebuilt"), what="projection rebuilt from the stream")
        assert await world.projected("rebuilt") == await world.projected("live")
        live_order = await world.applied_order("live")
        rebuilt_order = await world.applied_order("rebuilt")
        for aggregate in {a for a, _ in live_order}:
            assert [s for a, s in rebuilt_order if a == aggregate] == [s for a, s in live_order if a == aggregate]
    finally:
        await rebuilt.stop()
        await relay.stop()


async def test_backlog_lag_and_pending_are_readable(world: EventWorld, nats_server: NatsServer) -> None:
    relay = world.relay(nats_server.url)
    assert await relay.backlog() == 0
    assert await relay.lag_seconds() == 0
    assert await relay.last_publish_lag() is None
    for i in range(5):
        await world.credit(i, 1)
    assert await relay.backlog() == 5
    assert await relay.lag_seconds() > 0

    consumer = world.consumer("metered", nats_server.url)
    await consumer.start()
    await relay.start()
    try:
        await eventually(_converged(world, "metered"), what="events applied")

        async def settled() -> bool:
            return await relay.backlog() == 0 and await consumer.pending() == 0

        await eventually(settled, what="nothing pending")
        assert await relay.lag_seconds() == 0
        last = await relay.last_publish_lag()
        assert last is not None and 0 <= last < 15
        assert relay.published_total == 5

        await consumer.stop()
        for i in range(3):
            await world.credit(i, 1)

        async def three_pending() -> bool:
            return await relay.backlog() == 0 and await consumer.pending() == 3

        await eventually(three_pending, what="pending count of a stopped consumer")
    finally:
        await consumer.stop()
        await relay.stop()


def test_catalog_lists_types_with_subjects_and_versions() -> None:
    catalog = EventCatalog("evtest", [AccountCredited])
    assert AccountCredited in catalog and Unlisted not in catalog
    [described] = catalog.describe()
    assert described["type"] == "account.credited"
    assert described["subject"] == "patron.evtest.account.credited"
    assert described["version"] == 1
    assert set(described["schema"]["properties"]) == {"account_id", "amount"}
    with pytest.raises(ValueError, match="twice"):

        class Clash(EventPayload):
            event_type = "account.credited"
            aggregate = "account"

        catalog.register(Clash)


def test_envelope_round_trips_with_occurred_at_in_utc() -> None:
    envelope = Envelope(
        id=uuid.uuid4(),
        type="account.credited",
        version=1,
        occurred_at=datetime.fromisoformat("2026-01-01T01:00:00+01:00"),
        aggregate_id="account:1",
        seq=1,
        payload={"account_id": 1, "amount": 3},
    )
    again = Envelope.from_bytes(envelope.to_bytes())
    assert again == envelope
    assert again.occurred_at.isoformat() == "2026-01-01T00:00:00+00:00"
    assert again.payload_as(AccountCredited) == AccountCredited(account_id=1, amount=3)
