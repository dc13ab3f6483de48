"""An erasure reaches every service even when some are down when it is asked, and a rebuild of loyalty and
analytics from the event stream brings nothing back and changes no figure."""

import json
import subprocess
import sys

import pytest

from tests.privacy.conftest import ROOT, Stack, staff, wait_until
from tests.privacy.flow import (
    PERSONAL,
    customer_with_bills,
    erased_everywhere,
    export_of,
    ok,
    reports,
    scalar,
    service_client,
)

pytestmark = pytest.mark.timeout(900)
ACCOUNTS = "SELECT count(*) FROM gateway.customer_account WHERE customer_id = $1"


def test_an_erasure_asked_while_loyalty_and_the_gateway_are_down_is_applied_when_they_return(stack: Stack):
    admin = staff(stack, "privacy-admin@example.com", ["admin"])
    customer_id, _ = customer_with_bills(stack, admin)
    stack.stop("loyalty")
    stack.stop("gateway")

    customer = service_client(stack, "customer")
    erasure = ok(customer.post(f"/api/v1/privacy/customers/{customer_id}/erasure"), 202)
    states = {s["service"]: s["state"] for s in erasure["services"]}
    assert (states["customer"], states["loyalty"], states["gateway"]) == ("done", "unreachable", "unreachable")
    path = f"/api/v1/privacy/customers/{customer_id}/erasure"

    def analytics_done() -> dict[str, str] | None:
        services = {s["service"]: s["state"] for s in ok(customer.get(path))["services"]}
        return services if services["analytics"] == "done" else None

    services = wait_until(analytics_done, "analytics applies the erasure")
    assert (services["loyalty"], services["gateway"]) == ("unreachable", "unreachable")
    assert ok(customer.get(path))["state"] == "running"
    assert scalar(stack.database_url, ACCOUNTS, customer_id) == 1  # the gateway could not be told yet

    stack.start("loyalty")
    stack.start("gateway")
    erased_everywhere(staff(stack, "privacy-admin-2@example.com", ["admin"]), customer_id)
    assert scalar(stack.database_url, ACCOUNTS, customer_id) == 0


def rebuild(stack: Stack, service: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "patron.cli", service, "rebuild", "--timeout", "300"],
        cwd=ROOT,
        env=stack.process_env(service),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_rebuilding_loyalty_and_analytics_from_the_stream_brings_nothing_back_and_changes_no_figure(stack: Stack):
    admin = staff(stack, "privacy-admin@example.com", ["admin"])
    # Her whole profile in the event that creates her: a replay keeps a bill with the attributes its
    # customer had in the same batch's earlier rounds, and this test is about what an erasure leaves.
    customer_id, _ = customer_with_bills(stack, admin, registered=False)
    ok(admin.post(f"/api/v1/privacy/customers/{customer_id}/erasure"), 202)
    erased_everywhere(admin, customer_id)
    before = reports(admin, customer_id)

    for service in ("loyalty", "analytics"):
        stack.stop(service)
        rebuild(stack, service)
        stack.start(service)
    # The replay applied the erasure again, in its place in the stream, and every figure is as it was.
    erased_everywhere(admin, customer_id)
    assert reports(admin, customer_id) == before
    document = export_of(admin, customer_id)
    assert document["parts"]["loyalty"]["tables"]["reward"]  # the rebuilt ledger has her rewards again...
    assert not [value for value in PERSONAL if value in json.dumps(document)]  # ...and nothing personal
