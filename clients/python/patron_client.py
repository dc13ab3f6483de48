"""Patron's Python client for partners: sign in, send JSON bodies encrypted (AES-256-GCM), read replies decrypted.

It needs ``cryptography`` and ``httpx2`` (or ``httpx``, the same API). Typed calls go through ``patron_api``,
the client generated from Patron's OpenAPI contract by openapi-python-client (next to this file), every
request of it sealed by :class:`SealingTransport`::

    from patron_api.api.purchases import purchases_record_purchase

    with PatronClient("https://patron.example.com", kid="partner-7", key="<the key, base64url>") as patron:
        patron.sign_in("buyer@example.com", "their password")
        recorded = purchases_record_purchase.sync_detailed(client=patron.api(), body=...)

Or untyped calls with :meth:`PatronClient.request`::

    from patron_client import PatronClient

    with PatronClient("https://patron.example.com", kid="partner-7", key="<the key, base64url>") as patron:
        patron.sign_in("buyer@example.com", "their password")
        reply = patron.request("POST", "/api/v1/purchases", json={"customer_id": 42, "lines": []})
        print(reply.status, reply.body)

The wire format is in docs/encryption.md of the Patron repository.
"""

from __future__ import annotations

import base64
import json as jsonlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

try:
    import httpx2 as httpx
except ImportError:  # pragma: no cover - the same client under its older name
    import httpx  # type: ignore[no-redef,import-not-found,unused-ignore]

MEDIA_TYPE = "application/vnd.patron.encrypted+json"
REQUEST_LABEL = "patron-gcm-v1"
REPLY_LABEL = "patron-gcm-v1-reply"


class ReplyRefused(Exception):
    """The reply does not decrypt as the reply to this request: tampered with, swapped, or not ours."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any  # the decoded JSON reply, or None when it was empty
    encrypted: bool  # False only for the gateway's one refusal of an envelope (400, in the clear)
    headers: Mapping[str, str]


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def request_associated_data(method: str, target: str, ts: int, kid: str) -> bytes:
    return "\n".join((REQUEST_LABEL, method, target, str(ts), kid)).encode("utf-8")


def reply_associated_data(status: int, request_nonce: str, ts: int, kid: str) -> bytes:
    return "\n".join((REPLY_LABEL, str(status), request_nonce, str(ts), kid)).encode("utf-8")


def seal_request(
    key: bytes, kid: str, method: str, target: str, plaintext: bytes, ts: int | None = None, nonce: bytes | None = None
) -> dict[str, Any]:
    """The envelope ``{kid, nonce, ts, ct}`` of a request; ``plaintext`` is ``b""`` for a bodiless request."""
    ts = int(time.time()) if ts is None else ts
    nonce = os.urandom(12) if nonce is None else nonce
    ct = AESGCM(key).encrypt(nonce, plaintext, request_associated_data(method, target, ts, kid))
    return {"kid": kid, "nonce": b64url_encode(nonce), "ts": ts, "ct": b64url_encode(ct)}


def envelope_headers(envelope: Mapping[str, Any]) -> dict[str, str]:
    """The headers a bodiless request (GET, DELETE) carries instead of a body: the empty plaintext's envelope."""
    return {
        "X-Patron-Key-Id": envelope["kid"],
        "X-Patron-Nonce": envelope["nonce"],
        "X-Patron-Timestamp": str(envelope["ts"]),
        "X-Patron-Tag": envelope["ct"],
    }


def open_reply(key: bytes, kid: str, status: int, request_nonce: str, envelope: Mapping[str, Any]) -> bytes:
    """The plaintext of the reply, with this status, to the request sealed with ``request_nonce`` (base64url)."""
    try:
        if envelope["kid"] != kid:
            raise ReplyRefused("the reply is under another key")
        associated_data = reply_associated_data(status, request_nonce, int(envelope["ts"]), kid)
        return AESGCM(key).decrypt(b64url_decode(envelope["nonce"]), b64url_decode(envelope["ct"]), associated_data)
    except (InvalidTag, KeyError, TypeError, ValueError) as exc:
        raise ReplyRefused("the reply does not decrypt as the reply to this request") from exc


class SealingTransport:
    """An ``httpx`` transport for the generated client: seals each request's JSON body (or, bodiless, its
    headers) under the key, and hands back each sealed reply opened, as the plain JSON it carries."""

    def __init__(self, kid: str, key: bytes, *, clock: Callable[[], float] = time.time, inner: Any = None) -> None:
        import httpx as plain_httpx  # the generated client's own library

        self._httpx = plain_httpx
        self._kid, self._key, self._clock = kid, key, clock
        self._inner = inner if inner is not None else plain_httpx.HTTPTransport()

    def handle_request(self, request: Any) -> Any:
        method = request.method.upper()
        target = request.url.raw_path.decode("ascii")
        plaintext = request.read()
        envelope = seal_request(self._key, self._kid, method, target, plaintext, ts=int(self._clock()))
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in ("content-length", "content-type", "accept")
        }
        headers["Accept"] = MEDIA_TYPE
        if plaintext:
            headers["Content-Type"] = MEDIA_TYPE
            content = jsonlib.dumps(envelope, separators=(",", ":")).encode("utf-8")
        else:
            headers |= envelope_headers(envelope)
            content = b""
        sealed = self._httpx.Request(method, request.url, headers=headers, content=content)
        response = self._inner.handle_request(sealed)
        body = response.read()
        if response.headers.get("content-type", "").split(";")[0].strip() != MEDIA_TYPE:
            return response
        try:
            reply_envelope = jsonlib.loads(body)
        except ValueError as exc:
            raise ReplyRefused("the reply is not an envelope") from exc
        plain = open_reply(self._key, self._kid, response.status_code, envelope["nonce"], reply_envelope)
        kept = {n: v for n, v in response.headers.items() if n.lower() not in ("content-length", "content-type")}
        kept["Content-Type"] = "application/json"
        return self._httpx.Response(response.status_code, headers=kept, content=plain)

    def close(self) -> None:
        self._inner.close()

    def __enter__(self) -> SealingTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PatronClient:
    """Every request encrypted under the client's key, every reply decrypted and checked against its request."""

    def __init__(
        self,
        base_url: str,
        *,
        kid: str,
        key: bytes | str,
        token: str | None = None,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.kid = kid
        self._key = b64url_decode(key) if isinstance(key, str) else key
        if len(self._key) != 32:
            raise ValueError("the key is 32 bytes (43 characters of base64url)")
        self.token = token  # a bearer: the access token from sign_in, or one given
        self._http = http if http is not None else httpx.Client(base_url=base_url, timeout=30)
        self._clock = clock

        self._base_url = base_url

    def api(self) -> Any:
        """The generated client (``patron_api``), every call sealed, with the access token once signed in."""
        from patron_api.client import AuthenticatedClient, Client

        transport = SealingTransport(self.kid, self._key, clock=self._clock)
        if self.token is None:
            return Client(base_url=self._base_url, httpx_args={"transport": transport})
        return AuthenticatedClient(base_url=self._base_url, token=self.token, httpx_args={"transport": transport})

    def sign_in(self, email: str, password: str) -> str:
        """Sign in (the password travels encrypted) and send the access token with every later request."""
        from patron_api.api.auth import auth_sign_in
        from patron_api.models.sign_in_request import SignInRequest

        self.token = None
        with self.api() as client:
            reply = auth_sign_in.sync_detailed(client=client, body=SignInRequest(email=email, password=password))
        if reply.status_code != 200 or reply.parsed is None or not hasattr(reply.parsed, "access_token"):
            raise PermissionError(f"sign-in refused ({reply.status_code}): {reply.content!r}")
        self.token = str(reply.parsed.access_token)
        return self.token

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """One encrypted call; ``json`` is the body (None: no body). A retry must call again: fresh nonce."""
        method = method.upper()
        sent_headers = {"Accept": MEDIA_TYPE, **(headers or {})}
        if self.token:
            sent_headers["Authorization"] = f"Bearer {self.token}"
        # The target bound in is the one this request line will carry, exactly as httpx encodes it.
        target = self._http.build_request(method, path, params=params).url.raw_path.decode("ascii")
        plaintext = b"" if json is None else jsonlib.dumps(json, separators=(",", ":")).encode("utf-8")
        envelope = seal_request(self._key, self.kid, method, target, plaintext, ts=int(self._clock()))
        if json is None:
            sent_headers |= envelope_headers(envelope)
            content = None
        else:
            sent_headers["Content-Type"] = MEDIA_TYPE
            content = jsonlib.dumps(envelope, separators=(",", ":")).encode("utf-8")
        response = self._http.request(method, path, params=params, content=content, headers=sent_headers)
        if response.headers.get("content-type", "").split(";")[0].strip() != MEDIA_TYPE:
            body = response.json() if response.content else None
            return Reply(status=response.status_code, body=body, encrypted=False, headers=response.headers)
        try:
            reply_envelope = response.json()
        except ValueError as exc:
            raise ReplyRefused("the reply is not an envelope") from exc
        plain = open_reply(self._key, self.kid, response.status_code, envelope["nonce"], reply_envelope)
        body = jsonlib.loads(plain) if plain else None
        return Reply(status=response.status_code, body=body, encrypted=True, headers=response.headers)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PatronClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
