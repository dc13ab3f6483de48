"""Where the system a command talks to runs: the ``patron up`` of the data folder, unless an address is given.

``patron up`` writes ``<data-dir>/up.json`` (its pid, the gateway's and NATS's addresses) while it
runs and removes it when it stops. Every command that calls the gateway or NATS finds them here, so
a command never silently talks to whatever answers on a default port.
"""

import json
import os
from pathlib import Path
from typing import Any

STATE_FILE = "up.json"


class NotRunning(RuntimeError):
    """No ``patron up`` runs from the data folder and no address was given: the message says what to do."""


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_state(data_dir: Path, *, given: str | None = None) -> dict[str, Any]:
    """What the ``patron up`` of ``data_dir`` wrote down; :class:`NotRunning` when none runs from there.

    ``given`` names the option or variable that would point the command elsewhere, for the message.
    """
    otherwise = f", or give {given}" if given else ""
    state_file = data_dir / STATE_FILE
    try:
        state: dict[str, Any] = json.loads(state_file.read_text())
    except FileNotFoundError:
        raise NotRunning(
            f"Patron is not running from {data_dir} (no {STATE_FILE}): start it with `patron up`{otherwise}"
        ) from None
    except ValueError:
        raise NotRunning(f"{state_file} is not readable: restart `patron up`{otherwise}") from None
    if not isinstance(state, dict) or not alive(state.get("pid")):
        pid = state.get("pid") if isinstance(state, dict) else None
        raise NotRunning(
            f"Patron is not running from {data_dir} (pid {pid} of {STATE_FILE} is gone): "
            f"start it with `patron up`{otherwise}"
        )
    return state


def gateway_url(url: str | None, data_dir: Path) -> str:
    """The gateway given (``--url``, else ``PATRON_URL``), else the one the running ``patron up`` started."""
    if url:
        return url.rstrip("/")
    state = running_state(data_dir, given="--url or PATRON_URL")
    return str(state["gateway_url"]).rstrip("/")


def nats_url(url: str | None, data_dir: Path) -> str:
    """The NATS server given (``--nats-url``, else ``PATRON_NATS_URL``), else the running ``patron up``'s."""
    if url:
        return url
    state = running_state(data_dir, given="--nats-url or PATRON_NATS_URL")
    return str(state["nats_url"])
