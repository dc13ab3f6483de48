"""The command line's sign-in: ``patron sign-in`` keeps it, the commands that call the gateway use it.

A sign-in is kept in ``<data-dir>/credentials.json`` (mode 0600, written atomically): the gateway it
was made at, the email, and the refresh token, never the password. Each command exchanges the
refresh token for an access token (the gateway rotates it, and the new one is stored) and sends that
as ``Authorization: Bearer``; it refreshes again when the access token nears its end, so a long
import outlives it. ``PATRON_ACCESS_TOKEN``, when set, is sent as it is instead (for scripts).
"""

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx2

from patron.running import gateway_url

CREDENTIALS_FILE = "credentials.json"
# Refresh this long before the access token's end, so no request carries one that expires in flight.
REFRESH_MARGIN_SECONDS = 60.0
TIMEOUT = httpx2.Timeout(30, connect=5)


class NotSignedIn(RuntimeError):
    """No usable sign-in: the message says what to run."""


class GatewayRefused(RuntimeError):
    """The gateway answered the sign-in with a problem (its title and detail are the message)."""


@dataclass(frozen=True)
class Credentials:
    gateway_url: str
    email: str
    refresh_token: str


def credentials_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIALS_FILE


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """One command at a time reads, uses and replaces the kept refresh token.

    The gateway treats a refresh token used twice as stolen and ends the whole sign-in, so two
    commands started together must not both spend the same one: the second waits, then reads the
    token the first stored.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def save(path: Path, credentials: Credentials) -> None:
    """Write ``credentials`` readable by this user only, replacing the old file in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, scratch = tempfile.mkstemp(prefix=".credentials-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(asdict(credentials), out, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(scratch, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(scratch)
        raise


def load(path: Path) -> Credentials | None:
    try:
        stored = json.loads(path.read_text())
        return Credentials(str(stored["gateway_url"]), str(stored["email"]), str(stored["refresh_token"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        raise NotSignedIn(f"{path} is not a sign-in Patron can read; run `patron sign-in` again") from None


def _problem(response: httpx2.Response) -> str:
    try:
        body = response.json()
        return f"{body.get('title', 'refused')} ({response.status_code}): {body.get('detail', '')}"
    except ValueError:
        return f"HTTP {response.status_code}"


def _tokens(response: httpx2.Response) -> dict[str, object]:
    if response.status_code != 200:
        raise GatewayRefused(_problem(response))
    tokens: dict[str, object] = response.json()
    return tokens


def sign_in(url: str, email: str, password: str, path: Path) -> Credentials:
    """Sign in at the gateway ``url`` and keep the sign-in at ``path``."""
    with httpx2.Client(base_url=url, timeout=TIMEOUT) as client:
        tokens = _tokens(client.post("/api/v1/auth/sign-in", json={"email": email, "password": password}))
    credentials = Credentials(url, email, str(tokens["refresh_token"]))
    with locked(path):
        save(path, credentials)
    return credentials


def sign_out(path: Path) -> Credentials | None:
    """End the kept sign-in at its gateway and forget it; ``None`` when there was none.

    The file is removed even when the gateway cannot be reached (the error is raised afterwards):
    the refresh token then simply expires.
    """
    with locked(path):
        credentials = load(path)
        if credentials is None:
            return None
        try:
            with httpx2.Client(base_url=credentials.gateway_url, timeout=TIMEOUT) as client:
                response = client.post("/api/v1/auth/sign-out", json={"refresh_token": credentials.refresh_token})
            if response.status_code != 204:
                raise GatewayRefused(_problem(response))
        finally:
            path.unlink(missing_ok=True)
    return credentials


class StoredSignIn:
    """Access tokens from the kept sign-in: refreshed at its gateway, the rotated refresh token kept."""

    def __init__(self, path: Path, url: str) -> None:
        self.path = path
        self.url = url
        self._access_token: str | None = None
        self._renew_at = 0.0

    def token(self) -> str:
        if self._access_token is None or time.monotonic() >= self._renew_at:
            self._refresh()
        assert self._access_token is not None
        return self._access_token

    def _refresh(self) -> None:
        with locked(self.path):
            credentials = load(self.path)
            if credentials is None:
                raise NotSignedIn("not signed in: run `patron sign-in` first")
            with httpx2.Client(base_url=self.url, timeout=TIMEOUT) as client:
                response = client.post("/api/v1/auth/refresh", json={"refresh_token": credentials.refresh_token})
            if response.status_code == 401:
                raise NotSignedIn(
                    f"the sign-in of {credentials.email} has ended (signed out, expired or revoked): "
                    "run `patron sign-in` again"
                )
            tokens = _tokens(response)
            save(self.path, Credentials(credentials.gateway_url, credentials.email, str(tokens["refresh_token"])))
        self._access_token = str(tokens["access_token"])
        lifetime = float(tokens.get("expires_in", 900))  # type: ignore[arg-type]
        self._renew_at = time.monotonic() + max(lifetime - REFRESH_MARGIN_SECONDS, lifetime / 2)


class FixedToken:
    """The access token ``PATRON_ACCESS_TOKEN`` gives, sent as it is."""

    def __init__(self, token: str) -> None:
        self._token = token

    def token(self) -> str:
        return self._token


class BearerAuth(httpx2.Auth):
    """``Authorization: Bearer`` on every request of a client, from a token source."""

    def __init__(self, source: StoredSignIn | FixedToken) -> None:
        self.source = source

    def auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, httpx2.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.source.token()}"
        yield request


def gateway_access(url: str | None, data_dir: Path, access_token: str | None = None) -> tuple[str, BearerAuth]:
    """The gateway a command calls and how it authenticates there.

    The gateway is the one given (``--url``, else ``PATRON_URL``), else the one of the kept sign-in,
    else the one the running `patron up` of ``data_dir`` started; with none of them,
    :class:`patron.running.NotRunning`. The token is ``access_token`` (``PATRON_ACCESS_TOKEN``) when
    given, else one from the kept sign-in; without either, :class:`NotSignedIn`. Both are raised
    before any request is sent.
    """
    path = credentials_path(data_dir)
    fixed = (access_token or "").strip()
    credentials = None if fixed else load(path)
    base = gateway_url(url or (credentials.gateway_url if credentials else None), data_dir)
    if not fixed and credentials is None:
        raise NotSignedIn("not signed in: run `patron sign-in` first (or set PATRON_ACCESS_TOKEN)")
    source: StoredSignIn | FixedToken = FixedToken(fixed) if fixed else StoredSignIn(path, base)
    return base, BearerAuth(source)
