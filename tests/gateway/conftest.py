"""The whole system as processes on loopback: the three services and the gateway in front."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET
from tests.support.accounts import FAST_HASHING_ENV, add_staff, sign_in
from tests.support.processes import free_port, serve

STACK_ADMIN = "stack-admin@example.com"


@pytest.fixture
def stack(database_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Base URLs of every running process, by name; the gateway is the public one.

    An admin (``admin``) is created on the stack's database and signed in at the gateway like any
    client; ``token`` is its access token: ``httpx2.Client(base_url=stack["gateway"], headers=bearer(stack["token"]))``.
    """
    with running_stack(database_url, tmp_path) as urls:
        yield urls


@contextmanager
def running_stack(
    database_url: str,
    tmp_path: Path,
    gateway_env: dict[str, str] | None = None,
    gateways: int = 1,
    service_env: dict[str, dict[str, str]] | None = None,
) -> Iterator[dict[str, str]]:
    """The ``stack``, its gateway configured by ``gateway_env``; ``gateways`` > 1 runs more (``gateway-2``…).

    ``service_env`` adds to (or overrides) a service's environment, by its name.
    """
    extra = service_env or {}
    env = {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_LOG_LEVEL": "INFO",
        "PATRON_EVENTS_RELAY": "false",
    }
    urls: dict[str, str] = {}
    with ExitStack() as running:
        # The customer and loyalty services call each other: loyalty starts first, told where the customer
        # service will answer.
        customer_port = free_port()
        own = {"PATRON_LOYALTY_CUSTOMER_URL": f"http://127.0.0.1:{customer_port}"} | extra.get("loyalty", {})
        urls["loyalty"] = running.enter_context(serve("loyalty", env | own, tmp_path)).url
        own = {"PATRON_CUSTOMER_LOYALTY_URL": urls["loyalty"]} | extra.get("customer", {})
        urls["customer"] = running.enter_context(serve("customer", env | own, tmp_path, port=customer_port)).url
        own = {"PATRON_ANALYTICS_CUSTOMER_URL": urls["customer"]} | extra.get("analytics", {})
        urls["analytics"] = running.enter_context(serve("analytics", env | own, tmp_path)).url
        gateway_env = (
            env
            | FAST_HASHING_ENV
            | {f"PATRON_GATEWAY_{name.upper()}_URL": url for name, url in urls.items()}
            | (gateway_env or {})
        )
        urls["gateway"] = running.enter_context(serve("gateway", gateway_env, tmp_path)).url
        for n in range(2, gateways + 1):
            urls[f"gateway-{n}"] = running.enter_context(serve("gateway", gateway_env, tmp_path)).url
        urls["logs"] = str(tmp_path)
        add_staff(database_url, STACK_ADMIN, ["admin"])
        urls["admin"] = STACK_ADMIN
        urls["token"] = sign_in(urls["gateway"], STACK_ADMIN)
        yield urls
