"""The gateway's encrypted payloads, end to end: a pure ASGI middleware outside every route.

A request that announces an envelope (the GCM media type, the legacy media type, or an
``X-Patron-…`` header) is opened here: its key found in this process's copy of the active client
keys, its time and tag checked, its nonce recorded in the shared replay store. What passes on is
the plain request (``application/json``, the plaintext as its body), so sign-in, the permission
rows, validation, ``Idempotency-Key`` and the forwarded service routes see an ordinary request; its
reply, whatever it is (problems included, ``204`` made ``200``), is sealed back under the same key.
Every failure gets the same ``400`` in the clear, nothing is passed on, and only a log line and the
``reason`` label of ``patron_gateway_payload_refusals_total`` say why. A plain request costs one
look at its headers. The choices are settled in docs/encryption.md.
"""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.client_keys.cache import ClientKey, ClientKeyCache, ClientKeysUnknown
from gateway.client_keys.schemas import Scheme
from gateway.payloads import gcm, legacy, replay
from gateway.payloads.refusal import PayloadRefused, Reason
from services.kit.errors import PROBLEM_JSON, problem_type
from services.kit.request_id import current_request_id

log = logging.getLogger("patron.gateway.payloads")

LEGACY_MEDIA_TYPE = "application/vnd.patron.legacy-encrypted"
CONTENT_TYPE_HEADER = "X-Patron-Content-Type"  # the plain reply's media type, beside its sealed body

_GCM = gcm.MEDIA_TYPE.encode("latin-1")
_LEGACY = LEGACY_MEDIA_TYPE.encode("latin-1")
_KEY_ID = gcm.KEY_ID_HEADER.lower().encode("latin-1")
_ENVELOPE_NAMES = frozenset(name.lower().encode("latin-1") for name in gcm.ENVELOPE_HEADERS)
_DROPPED = _ENVELOPE_NAMES | {b"content-type", b"content-length", b"transfer-encoding"}
_REPLY_DROPPED = frozenset({b"content-type", b"content-length", b"transfer-encoding", b"content-encoding"})
_REFUSAL_TYPE = problem_type("bad-payload")
_MAX_BODY = 16 * 1024 * 1024


class PayloadMetrics:
    """Encrypted requests accepted (by scheme) and refused (by reason), on the gateway's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.refused = Counter(
            "patron_gateway_payload_refusals_total",
            "Encrypted requests refused, by reason (every reason gets the same 400).",
            ["reason"],
            registry=registry,
        )
        self.opened = Counter(
            "patron_gateway_encrypted_requests_total",
            "Encrypted requests opened and passed on, by scheme and client.",
            ["scheme", "client"],
            registry=registry,
        )


@dataclass(frozen=True, slots=True)
class _Opened:
    key: ClientKey
    nonce: bytes | None  # the request's nonce (gcm): its reply is bound to it
    plaintext: bytes


def _announced(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a request announces an envelope: the one check a plain request pays for."""
    for name, value in headers:
        if name in _ENVELOPE_NAMES or (name == b"content-type" and value.startswith(b"application/vnd.patron.")):
            return True
    return False


def _media_type(value: bytes) -> bytes:
    return value.split(b";", 1)[0].strip().lower()


class PayloadMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        keys: ClientKeyCache,
        engine: Callable[[], AsyncEngine],
        window_seconds: int,
        metrics: PayloadMetrics,
    ) -> None:
        self.app = app
        self.keys = keys
        self.replay = replay.ReplayStore(engine)
        self.window_seconds = window_seconds
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _announced(scope["headers"]):
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
            opened = await self._open(scope, body)
        except PayloadRefused as refused:
            self.metrics.refused.labels(reason=refused.reason.value).inc()
            log.warning(
                "encrypted payload refused",
                extra={"reason": refused.reason.value, "method": scope["method"], "path": scope["path"]},
            )
            await _plain(send, 400, _problem(400, "Bad request", "The encrypted payload was refused."))
            return
        except (ClientKeysUnknown, replay.ReplayUnavailable) as exc:  # the shared store is out of reach
            log.error("encrypted request not served: shared store unavailable", extra={"error": repr(exc)})
            unavailable = _problem(503, "Service not ready", "Encrypted payloads are unavailable.", "not-ready")
            await _plain(send, 503, unavailable)
            return
        self.metrics.opened.labels(scheme=opened.key.scheme.value, client=opened.key.client).inc()
        await self._pass_on(scope, opened, receive, send)

    async def _open(self, scope: Scope, body: bytes) -> _Opened:
        content_type = b""
        envelope_names: list[bytes] = []
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = _media_type(value)
            elif name in _ENVELOPE_NAMES:
                envelope_names.append(name)
        method: str = scope["method"]
        if content_type == _LEGACY:
            return self._open_legacy(scope, body, envelope_names)
        if content_type == _GCM:
            if envelope_names:  # the envelope travels in the body or in headers, never both
                raise PayloadRefused(Reason.BAD_HEADERS)
            envelope = gcm.read_envelope(body)
        else:
            if not envelope_names or body or content_type.startswith(b"application/vnd.patron."):
                raise PayloadRefused(Reason.WRONG_MEDIA_TYPE)
            if envelope_names == [_KEY_ID]:  # a bodiless legacy request names its key only
                return self._open_legacy(scope, body, envelope_names)
            pairs = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]]
            envelope = gcm.read_envelope_headers(pairs)
        target = gcm.request_target(scope.get("raw_path") or scope["path"].encode("utf-8"), scope["query_string"])
        key = self.keys.get(envelope.kid)
        secret = key.secret if key is not None and key.scheme is Scheme.GCM else None
        request = gcm.open_request(
            {envelope.kid: secret} if secret is not None else {},
            method,
            target,
            envelope,
            now=time.time(),
            window_seconds=self.window_seconds,
        )
        _check_json(request.plaintext)
        if not await self.replay.first_use(request.kid, request.nonce, request.ts):
            raise PayloadRefused(Reason.REPLAYED)
        assert key is not None
        return _Opened(key, request.nonce, request.plaintext)

    def _open_legacy(self, scope: Scope, body: bytes, envelope_names: list[bytes]) -> _Opened:
        if envelope_names != [_KEY_ID]:
            raise PayloadRefused(Reason.BAD_HEADERS)
        kid = next(value for name, value in scope["headers"] if name == _KEY_ID).decode("latin-1")
        key = self.keys.get(kid)
        if key is None:
            raise PayloadRefused(Reason.UNKNOWN_KEY)
        if key.scheme is not Scheme.LEGACY:
            raise PayloadRefused(Reason.NOT_ENABLED)
        plaintext = legacy.decrypt(key.secret, body) if body else b""
        _check_json(plaintext)
        return _Opened(key, None, plaintext)

    async def _pass_on(self, scope: Scope, opened: _Opened, receive: Receive, send: Send) -> None:
        headers = [
            (name, value)
            for name, value in scope["headers"]
            if name not in _DROPPED and not (name == b"accept" and b"vnd.patron." in value)
        ]
        if opened.plaintext:
            length = str(len(opened.plaintext)).encode()
            headers += [(b"content-type", b"application/json"), (b"content-length", length)]
        inner = {**scope, "headers": headers}
        delivered = False

        async def receive_plain() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": opened.plaintext, "more_body": False}
            return await receive()  # the body was read: what comes now is the client leaving

        start: Message | None = None
        chunks: list[bytes] = []
        replied = False

        async def seal_reply(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await send_sealed(start["status"], start.get("headers", []), b"".join(chunks))

        async def send_sealed(status: int, reply_headers: list[tuple[bytes, bytes]], plaintext: bytes) -> None:
            nonlocal replied
            replied = True
            content_type = b""
            kept = []
            for name, value in reply_headers:
                lowered = name.lower()
                if lowered == b"content-type":
                    content_type = value
                elif lowered not in _REPLY_DROPPED:
                    kept.append((name, value))
            if status == 204:  # an encrypted request always gets an authenticated reply
                status, plaintext = 200, b""
            if opened.nonce is not None:
                sealed = gcm.seal_reply(
                    opened.key.secret, opened.key.kid, status, opened.nonce, plaintext, int(time.time())
                ).to_json()
                media_type = _GCM
            else:
                sealed = legacy.encrypt(opened.key.secret, plaintext).encode("ascii")
                media_type = _LEGACY
                kept.append((_KEY_ID, opened.key.kid.encode("latin-1")))
            if content_type:
                kept.append((CONTENT_TYPE_HEADER.lower().encode("latin-1"), content_type))
            kept += [(b"content-type", media_type), (b"content-length", str(len(sealed)).encode())]
            await send({"type": "http.response.start", "status": status, "headers": kept})
            await send({"type": "http.response.body", "body": sealed})

        try:
            await self.app(inner, receive_plain, seal_reply)
        except Exception:
            if replied:
                raise
            # Answered sealed too: the outermost error handler then sees a reply already sent.
            body = json.dumps(_problem(500, "Internal error", "An unexpected error occurred.", "internal")).encode()
            await send_sealed(500, [(b"content-type", PROBLEM_JSON.encode())], body)
            raise


def _check_json(plaintext: bytes) -> None:
    if not plaintext:
        return
    try:
        json.loads(plaintext)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadRefused(Reason.BAD_JSON) from None


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > _MAX_BODY:
            raise PayloadRefused(Reason.BAD_ENVELOPE)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _problem(status: int, title: str, detail: str, slug: str = "bad-payload") -> dict[str, object]:
    """A problem without ``instance``: the refusal is the same for every request but its id."""
    body: dict[str, object] = {
        "type": _REFUSAL_TYPE if slug == "bad-payload" else problem_type(slug),
        "title": title,
        "status": status,
        "detail": detail,
    }
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    return body


async def _plain(send: Send, status: int, problem: dict[str, object]) -> None:
    body = json.dumps(problem, separators=(",", ":")).encode("utf-8")
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
