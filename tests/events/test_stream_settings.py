"""The stream's replicas and limits come from settings, and what docs/deploy.md promises of them holds."""

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest

from patron.embedded import EmbeddedNats, _nats_answers, nats_server_binary
from services.kit.events import STREAM_NAME, configured_stream
from services.kit.settings import PatronSettings
from tests.events.conftest import EventWorld, NatsServer, eventually, free_port


def test_the_stream_is_configured_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_EVENTS_STREAM_REPLICAS", "3")
    monkeypatch.setenv("PATRON_EVENTS_STREAM_MAX_AGE_DAYS", "30")
    monkeypatch.setenv("PATRON_EVENTS_STREAM_MAX_BYTES", "1000000")
    monkeypatch.setenv("PATRON_EVENTS_DUPLICATE_WINDOW_SECONDS", "120")
    config = configured_stream(PatronSettings())
    assert config.num_replicas == 3
    assert config.max_age == 30 * 86_400
    assert config.max_bytes == 1_000_000
    assert config.duplicate_window == 120
    assert config.discard is not None and config.discard.value == "new"

    for name in ("REPLICAS", "MAX_AGE_DAYS", "MAX_BYTES"):
        monkeypatch.delenv(f"PATRON_EVENTS_STREAM_{name}")
    defaults = configured_stream(PatronSettings())
    assert defaults.num_replicas == 1 and defaults.max_age is None and defaults.max_bytes == -1


async def test_a_full_stream_refuses_new_events_which_wait_in_the_outbox(
    world: EventWorld, nats_server: NatsServer
) -> None:
    small = PatronSettings(events_stream_max_bytes=4096)
    relay = world.relay(nats_server.url, stream=configured_stream(small), publish_timeout=0.5)
    for i in range(60):
        await world.credit(i % 5, i + 1)
    await relay.start()
    try:

        async def stuck() -> bool:
            return relay.failures > 0 and 0 < relay.published_total < 60

        await eventually(stuck, what="the relay refused by a full stream")
        assert await relay.backlog() == 60 - relay.published_total  # the rest wait, none lost
    finally:
        await relay.stop()

    roomy = world.relay(nats_server.url, stream=configured_stream(PatronSettings(events_stream_max_bytes=1 << 20)))
    await roomy.start()
    try:

        async def drained() -> bool:
            return await roomy.backlog() == 0

        await eventually(drained, what="the outbox drained once the stream has room")
    finally:
        await roomy.stop()
    nc = await nats.connect(nats_server.url)
    try:
        info = await nc.jetstream().stream_info(STREAM_NAME)
        assert info.state.messages == 60
    finally:
        await nc.close()


@pytest.fixture
def nats_cluster(tmp_path: Path) -> Iterator[list[EmbeddedNats]]:
    """Three JetStream servers routed into one cluster, as docs/deploy.md's Helm chart runs them."""
    client_ports = [free_port() for _ in range(3)]
    cluster_ports = [free_port() for _ in range(3)]
    routes = ",".join(f"nats://127.0.0.1:{port}" for port in cluster_ports)
    servers: list[EmbeddedNats] = []
    try:
        for n, (client, cluster) in enumerate(zip(client_ports, cluster_ports, strict=True)):
            store = tmp_path / f"nats-{n}"
            store.mkdir()
            command = [
                nats_server_binary(),
                "-js",
                "-sd",
                str(store),
                "-a",
                "127.0.0.1",
                "-p",
                str(client),
                "--server_name",
                f"patron-{n}",
                "--cluster_name",
                "patron",
                "--cluster",
                f"nats://127.0.0.1:{cluster}",
                "--routes",
                routes,
            ]
            with (store / "nats-server.log").open("ab") as log:
                process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            servers.append(EmbeddedNats(process=process, host="127.0.0.1", port=client, store_dir=store))
        for server in servers:
            for _ in range(300):
                if _nats_answers(server.host, server.port):
                    break
                subprocess.run(["sleep", "0.05"], check=True)
        yield servers
    finally:
        for server in servers:
            server.stop()


async def test_on_a_three_server_cluster_the_stream_has_three_replicas_and_survives_losing_one(
    world: EventWorld, nats_cluster: list[EmbeddedNats]
) -> None:
    urls = ",".join(server.url for server in nats_cluster)
    stream = configured_stream(PatronSettings(events_stream_replicas=3))
    relay = world.relay(urls, stream=stream, publish_timeout=2.0)
    consumer = world.consumer("replicated", urls, stream=stream)
    for i in range(20):
        await world.credit(i % 4, i + 1)
    await relay.start()  # it retries until the cluster has elected its leaders
    try:

        async def published() -> bool:
            return await relay.backlog() == 0

        await eventually(published, timeout=60, what="the first events published on the cluster")
        nc = await nats.connect(nats_cluster[0].url)
        try:
            info = await nc.jetstream().stream_info(STREAM_NAME)
            assert info.config.num_replicas == 3
            assert info.cluster is not None and len(info.cluster.replicas or []) == 2
            leader = info.cluster.leader
        finally:
            await nc.close()

        # The stream's leader goes away; the others carry on with every event.
        [lost] = [server for server in nats_cluster if f"patron-{nats_cluster.index(server)}" == leader]
        await asyncio.to_thread(lost.stop)
        for i in range(20):
            await world.credit(i % 4, 100 + i)
        await eventually(published, timeout=60, what="events published after losing a server")
        await consumer.start()

        async def converged() -> bool:
            return await world.projected("replicated") == await world.balances()

        await eventually(converged, timeout=60, what="every event read from the surviving servers")
        assert await world.projected_events("replicated") == 40
    finally:
        await consumer.stop()
        await relay.stop()
