"""A service app runs its consumers for its lifetime and reports their pending counts at /metrics."""

import asyncio
import re
import subprocess
import sys
import time
from typing import ClassVar

import httpx2

from services.kit.app import create_service_app
from services.kit.settings import ServiceSettings


class ScratchSettings(ServiceSettings):
    schema_name: ClassVar[str] = "evtest"


def _pending(metrics: str, consumer: str) -> float | None:
    found = re.search(rf'^patron_consumer_pending{{consumer="{consumer}"}} (\S+)$', metrics, re.M)
    return float(found.group(1)) if found else None


async def test_consumers_run_with_the_app_and_their_pending_count_is_a_metric(world, nats_server, database_url):
    for account_id in range(1, 6):
        await world.credit(account_id, 10)
    relay = world.relay(nats_server.url)
    assert await relay.publish_batch() == 5
    await relay.stop()

    settings = ScratchSettings(database_url=database_url, nats_url=nats_server.url, environment="test")
    app = create_service_app(
        title="scratch",
        settings=settings,
        routers=[],
        consumers=[lambda engine, _settings: world.consumer("wired", nats_server.url)],
    )
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://scratch") as client:
            deadline = time.monotonic() + 15
            while await world.projected_events("wired") < 5:
                assert time.monotonic() < deadline, "the app's consumer did not apply the events"
                await asyncio.sleep(0.1)
            metrics = (await client.get("/metrics")).text
            assert _pending(metrics, "wired") == 0.0
    assert app.state.consumers[0].name == "wired"

    # `patron events` shows the stream and the durable consumer the app left behind.
    shown = subprocess.run(
        [sys.executable, "-m", "patron.cli", "events", "--nats-url", nats_server.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert "stream PATRON: 5 messages (patron.>)" in shown.stdout
    assert "consumer wired: 0 pending, 0 awaiting ack" in shown.stdout
