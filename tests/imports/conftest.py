"""Import fixtures: the customer service with its uploads in a scratch folder, and job helpers."""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.conftest import TEST_SECRET, ServiceClient

# The datasets live in shared/ beside the checkout (never edited); PATRON_DATASETS points elsewhere.
DATASETS = Path(os.environ.get("PATRON_DATASETS", Path(__file__).resolve().parents[3] / "shared" / "data"))
GLOBAL_ELECTRONICS = DATASETS / "global-electronics"

MAX_BYTES = 30_000_000


@asynccontextmanager
async def customer_service(database_url: str, **settings: Any) -> AsyncIterator[ServiceClient]:
    """A client of an in-process customer service with these import settings (events not published)."""
    from services.customer.app import create_app
    from services.customer.settings import CustomerSettings

    app = create_app(
        CustomerSettings(
            database_url=database_url, environment="test", internal_secret=TEST_SECRET, events_relay=False, **settings
        )
    )
    async with app.router.lifespan_context(app), ServiceClient(app) as client:
        yield client


@pytest.fixture
async def importer(database_url: str, tmp_path: Path) -> AsyncIterator[ServiceClient]:
    """A client of the customer service whose imports are stored under ``tmp_path`` (limit 30 MB)."""
    async with customer_service(
        database_url, import_dir=tmp_path / "imports", import_max_bytes=MAX_BYTES, import_batch_rows=20_000
    ) as client:
        yield client


async def upload(
    client: httpx2.AsyncClient, preset: str, files: list[tuple[str, bytes]], **fields: str
) -> httpx2.Response:
    return await client.post(
        "/api/v1/imports",
        data={"preset": preset, **fields},
        files=[("file", (name, content, "text/csv")) for name, content in files],
    )


async def wait_for(client: httpx2.AsyncClient, job_id: int, timeout: float = 120.0) -> dict[str, Any]:
    """Poll a job until it is done or failed; return it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(f"/api/v1/imports/{job_id}")
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["state"] in ("done", "failed"):
            return job
        assert asyncio.get_running_loop().time() < deadline, f"import {job_id} still {job['state']}"
        await asyncio.sleep(0.05)


async def run_import(
    client: httpx2.AsyncClient, preset: str, files: list[tuple[str, bytes]], **fields: str
) -> dict[str, Any]:
    response = await upload(client, preset, files, **fields)
    assert response.status_code == 202, response.text
    return await wait_for(client, response.json()["id"])


@pytest.fixture
async def busy_importer(database_url: str, tmp_path: Path) -> AsyncIterator[ServiceClient]:
    """The customer service loading batches of 7 rows, 4 at once: batches overlap on everything they share."""
    async with customer_service(
        database_url, import_dir=tmp_path / "imports", import_batch_rows=7, import_loaders=4
    ) as client:
        yield client


@pytest.fixture
async def small_importer(database_url: str, tmp_path: Path) -> AsyncIterator[ServiceClient]:
    """The customer service with an upload limit of 2,000 bytes."""
    async with customer_service(database_url, import_dir=tmp_path / "small-imports", import_max_bytes=2_000) as client:
        yield client
