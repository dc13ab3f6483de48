"""Liveness and readiness: live says the process answers, ready says it can reach its database."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from services.kit.errors import NotReady

router = APIRouter(tags=["health"])

READY_TIMEOUT_SECONDS = 2.0


@router.get("/health/live", operation_id="health-live", include_in_schema=False)
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", operation_id="health-ready", include_in_schema=False)
async def ready(request: Request) -> JSONResponse:
    engine = request.app.state.engine
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not ready"
        raise NotReady(f"database unreachable: {type(exc).__name__}") from exc
    return JSONResponse({"status": "ok", "database": "ok"})
