"""A consumer of the test world in a process of its own, which hangs on purpose so a test can kill it.

``python -m tests.events.consumer_process DATABASE_URL NATS_URL NAME MODE``, MODE being
``before-commit`` (the second batch's handler has written its rows, then hangs inside the
transaction) or ``after-commit`` (the first batch commits, then the process hangs before acking).
It prints ``hanging`` when it reaches that point.
"""

import asyncio
import sys
from collections.abc import Sequence

from nats.aio.msg import Msg
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.consumer import Consumer, Event
from tests.events.conftest import AccountCredited, open_world


def hang() -> "asyncio.Future[None]":
    print("hanging", flush=True)
    return asyncio.get_running_loop().create_future()  # never done


class HangsBeforeAcking(Consumer):
    async def _acknowledge(self, messages: Sequence[Msg]) -> None:
        await hang()


async def main(database_url: str, nats_url: str, name: str, mode: str) -> None:
    world = await open_world(database_url)
    kind = HangsBeforeAcking if mode == "after-commit" else Consumer
    consumer = kind(
        world.engine,
        world.inbox_tables,
        name=name,
        nats_url=nats_url,
        services=["evtest"],
        batch_size=50,
        ack_wait=1.0,
        fetch_timeout=0.5,
    )
    project = world.credit_handler(name)
    batches = 0

    @consumer.handles(AccountCredited)
    async def on_credit(session: AsyncSession, events: Sequence[Event[AccountCredited]]) -> None:
        nonlocal batches
        batches += 1
        await project(session, events)
        if mode == "before-commit" and batches == 2:
            await session.flush()
            await hang()

    await consumer.start()
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
