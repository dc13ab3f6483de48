"""Where uploaded files are stored, and when they are deleted: when their import is done, or a while after it failed."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from services.customer.imports.service import DISCARD_JOB, discard_ended_uploads, import_discard
from services.customer.settings import CustomerSettings
from services.kit.jobs import JobRun
from tests.imports.conftest import customer_service, run_import
from tests.imports.test_imports import MINIMAL

MIXED_DATES = b"client_id,ordered_at,amount,email,name\nc1,13/01/2024,1.00,,\nc2,01/13/2024,1.00,,\n"


def _folders(root: Path) -> list[str]:
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


async def test_a_done_import_deletes_its_files_and_a_failed_one_keeps_them_for_their_time(
    importer, db, database_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "imports"
    done = await run_import(importer, "minimal", [("bills.csv", MINIMAL)])
    assert done["state"] == "done"
    assert _folders(root) == []

    failed = await run_import(importer, "minimal", [("mixed.csv", MIXED_DATES)])
    assert failed["state"] == "failed"
    files = json.loads(await db.fetchval("SELECT files FROM customer.import_job WHERE id = $1", failed["id"]))
    kept = Path(files[0]["path"]).parent
    assert _folders(root) == [kept.name] and (kept / "mixed.csv").is_file()

    engine = create_async_engine(database_url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        assert await discard_ended_uploads(engine, keep_failed=timedelta(hours=24)) == []
        assert _folders(root) == [kept.name]
        await db.execute(
            "UPDATE customer.import_job SET finished_at = now() - interval '25 hours' WHERE id = $1", failed["id"]
        )
        assert await discard_ended_uploads(engine, keep_failed=timedelta(hours=24)) == [failed["id"]]
        assert _folders(root) == []
        # The job and its report stay; only the files go.
        job = (await importer.get(f"/api/v1/imports/{failed['id']}")).json()
        assert job["state"] == "failed" and "mixes day-first" in job["error"]
    finally:
        await engine.dispose()

    scheduler = importer._transport.app.state.scheduler  # type: ignore[attr-defined]
    assert scheduler.jobs[DISCARD_JOB].every == timedelta(minutes=10)


async def test_the_periodic_job_keeps_failed_files_as_long_as_the_setting_says(
    database_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "uploads"
    async with customer_service(database_url, import_dir=root) as client:
        failed = await run_import(client, "minimal", [("mixed.csv", MIXED_DATES)])
    assert failed["state"] == "failed" and len(_folders(root)) == 1

    engine = create_async_engine(database_url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        for hours, left in ((1, 1), (0, 0)):
            settings = CustomerSettings(database_url=database_url, import_dir=root, import_keep_failed_hours=hours)
            job = import_discard(engine, settings)
            await job.run(JobRun(name=job.name, key="slot", attempt=1))
            assert len(_folders(root)) == left, hours
    finally:
        await engine.dispose()


def test_uploads_are_stored_in_the_data_folder_unless_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PATRON_CUSTOMER_IMPORT_DIR", raising=False)
    monkeypatch.delenv("PATRON_CUSTOMER_DATA_DIR", raising=False)
    monkeypatch.setenv("PATRON_DATA_DIR", str(tmp_path / "data"))
    settings = CustomerSettings()
    assert settings.import_folder == tmp_path / "data" / "imports"
    assert settings.import_keep_failed_hours == 24

    monkeypatch.setenv("PATRON_CUSTOMER_IMPORT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("PATRON_CUSTOMER_IMPORT_KEEP_FAILED_HOURS", "2.5")
    settings = CustomerSettings()
    assert settings.import_folder == tmp_path / "elsewhere"
    assert settings.import_keep_failed_hours == 2.5
