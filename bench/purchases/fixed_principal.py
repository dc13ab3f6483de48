"""Bench only: the gateway with every public request acting for one fixed, pre-signed admin.

The ``gateway-fixed`` phase of ``run.py`` serves this, next to the real gateway with a signed-in
admin, to measure what checking a bearer token costs per request. It lives under ``bench/`` and
nothing in Patron imports it, so no running system can reach it: ``patron serve gateway`` always
builds ``gateway.app:create_app`` as it is.

    python bench/purchases/fixed_principal.py --port 8100    # settings from PATRON_* as usual

``PATRON_BENCH_FIXED_SUBJECT`` names the staff principal (``staff:<id>`` of the bench's admin, so
both phases write the same bills). ``gateway.app``'s route looks ``resolve_principal`` up in its
module at each request, so replacing that name here changes only whom each request acts for:
routing, the internal principal, the proxy and the metrics are the real gateway's.
"""

import argparse
import os
import sys
from pathlib import Path

from fastapi import FastAPI, Request

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gateway.app
from gateway.settings import GatewaySettings
from services.kit.principal import Principal, PrincipalKind

SUBJECT_VARIABLE = "PATRON_BENCH_FIXED_SUBJECT"


def create_app() -> FastAPI:
    principal = Principal(
        kind=PrincipalKind.STAFF, subject=os.environ.get(SUBJECT_VARIABLE, "staff:bench"), roles=["admin"]
    )

    def fixed(request: Request, settings: GatewaySettings) -> Principal:
        return principal

    gateway.app.resolve_principal = fixed  # type: ignore[attr-defined]
    return gateway.app.create_app()


def main() -> None:
    """What ``patron serve gateway`` does, with this factory."""
    import uvicorn

    from patron.cli import KEEP_ALIVE_SECONDS
    from patron.server import CoalescingHttpToolsProtocol

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    application = create_app()
    processes = application.state.settings.workers
    uvicorn.run(
        "fixed_principal:create_app" if processes > 1 else application,
        factory=processes > 1,
        workers=processes,
        host=args.host,
        port=args.port,
        log_config=None,
        http=CoalescingHttpToolsProtocol,
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


if __name__ == "__main__":
    main()
