#!/opt/patron/bin/python
"""Container health check: GET /health/ready of the `patron serve NAME` process in this container.

The port is the one the process's own settings give (``PATRON_<NAME>_PORT``, then ``PATRON_PORT``,
then the service's default) unless the command line says ``--port``. Exit 0 when ready, 1 otherwise.
"""

import importlib
import sys
import urllib.request
from pathlib import Path

SETTINGS = {
    "customer": "services.customer.settings:CustomerSettings",
    "loyalty": "services.loyalty.settings:LoyaltySettings",
    "analytics": "services.analytics.settings:AnalyticsSettings",
    "gateway": "gateway.settings:GatewaySettings",
}


def served() -> tuple[str, int | None]:
    """The NAME and --port of the first `patron serve NAME` process (PID 1 unless an init runs it)."""
    for cmdline in sorted(Path("/proc").glob("[0-9]*/cmdline"), key=lambda p: int(p.parent.name)):
        try:
            argv = [arg.decode() for arg in cmdline.read_bytes().split(b"\0") if arg]
        except OSError:
            continue
        if "serve" not in argv or not any(Path(arg).name == "patron" for arg in argv):
            continue
        rest = argv[argv.index("serve") + 1 :]
        names = [arg for arg in rest if arg in SETTINGS]
        if not names:
            continue
        port = None
        for i, arg in enumerate(rest):
            if arg == "--port" and i + 1 < len(rest):
                port = int(rest[i + 1])
            elif arg.startswith("--port="):
                port = int(arg.partition("=")[2])
        return names[0], port
    raise SystemExit("no `patron serve NAME` process in this container")


def main() -> int:
    name, port = served()
    if port is None:
        module, _, cls = SETTINGS[name].partition(":")
        port = getattr(importlib.import_module(module), cls)().port
    url = f"http://127.0.0.1:{port}/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except Exception as exc:
        print(f"{name}: {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
