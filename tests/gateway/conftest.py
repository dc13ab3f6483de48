"""The whole system as processes on loopback: the three services and the gateway in front."""

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET
from tests.support.processes import serve


@pytest.fixture
def stack(database_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Base URLs of every running process, by name; the gateway is the public one."""
    env = {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_LOG_LEVEL": "INFO",
        "PATRON_EVENTS_RELAY": "false",
    }
    urls: dict[str, str] = {}
    with ExitStack() as running:
        for name in ("customer", "loyalty", "analytics"):
            urls[name] = running.enter_context(serve(name, env, tmp_path)).url
        gateway_env = env | {f"PATRON_GATEWAY_{name.upper()}_URL": url for name, url in urls.items()}
        urls["gateway"] = running.enter_context(serve("gateway", gateway_env, tmp_path)).url
        urls["logs"] = str(tmp_path)
        yield urls
