"""Liveness and readiness: live says the process answers, ready says it can reach its database.

A service with an outbox also reports its backlog in the readiness reply: how many events are
committed but not yet acknowledged by the broker, and the age of the oldest. The backlog never makes
a service unready: the outbox exists so that a broker outage does not stop the service's writes.
"""

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.errors import NotReady
from services.kit.outbox import OutboxTables, backlog, oldest_unsent_age

router = APIRouter(tags=["health"])

READY_TIMEOUT_SECONDS = 2.0

log = logging.getLogger("patron.health")


@router.get("/health/live", operation_id="health-live", include_in_schema=False)
async def live() -> dict[str, str]:
    return {"status": "ok"}


async def _outbox(engine: AsyncEngine, tables: OutboxTables) -> dict[str, Any]:
    """The outbox's backlog and the age of its oldest unsent event, or why they could not be read."""
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS), AsyncSession(engine) as session:
            return {
                "backlog": await backlog(session, tables),
                "oldest_unsent_seconds": round(await oldest_unsent_age(session, tables), 3),
            }
    except Exception as exc:  # reported, never a reason to be unready
        log.warning("readiness: outbox backlog unreadable (%r)", exc)
        return {"error": type(exc).__name__}


@router.get("/health/ready", operation_id="health-ready", include_in_schema=False)
async def ready(request: Request) -> JSONResponse:
    engine = request.app.state.engine
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not ready"
        raise NotReady(f"database unreachable: {type(exc).__name__}") from exc
    body: dict[str, Any] = {"status": "ok", "database": "ok"}
    tables: OutboxTables | None = getattr(request.app.state, "outbox_tables", None)
    if tables is not None:
        body["outbox"] = await _outbox(engine, tables)
    return JSONResponse(body)
