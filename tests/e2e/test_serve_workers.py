"""`patron serve NAME` with several worker processes, to use more than one core."""

import httpx2
import psutil

from tests.conftest import TEST_SECRET, signed
from tests.support.processes import serve


def test_a_service_runs_several_workers_that_all_answer(database_url, tmp_path):
    env = {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_EVENTS_RELAY": "false",
        "PATRON_WORKERS": "2",
    }
    with serve("customer", env, tmp_path) as service:
        workers = [p for p in psutil.Process(service.process.pid).children(recursive=True) if "python" in p.name()]
        assert len(workers) >= 2, workers
        with httpx2.Client(base_url=service.url, headers=signed(), timeout=30) as client:
            answers = {client.get("/api/v1/stores/0").status_code for _ in range(20)}
        assert answers == {200}
