"""The current payload scheme: AES-256-GCM envelopes bound to their request, and replies bound to theirs.

Pure functions, no I/O: the gateway's middleware looks keys up, checks nonces against the shared
replay store and speaks HTTP; clients and tests seal and open with the same functions. The wire
format is fixed byte by byte in docs/encryption.md.

A request's associated data (UTF-8, ASCII in practice; ``\\n`` is one line feed byte)::

    patron-gcm-v1\\n<METHOD>\\n<target>\\n<ts>\\n<kid>

and a reply's::

    patron-gcm-v1-reply\\n<status>\\n<request nonce, base64url>\\n<ts>\\n<kid>

None of the parts may contain a line feed (they are checked), so the bytes split back into exactly
one set of parts.
"""

import json
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from Crypto.Cipher import AES

from gateway.payloads.refusal import PayloadRefused, Reason, b64url_decode, b64url_encode

MEDIA_TYPE = "application/vnd.patron.encrypted+json"
KEY_ID_HEADER = "X-Patron-Key-Id"
NONCE_HEADER = "X-Patron-Nonce"
TIMESTAMP_HEADER = "X-Patron-Timestamp"
TAG_HEADER = "X-Patron-Tag"
ENVELOPE_HEADERS = (KEY_ID_HEADER, NONCE_HEADER, TIMESTAMP_HEADER, TAG_HEADER)

KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16
DEFAULT_WINDOW_SECONDS = 300
MAX_TIMESTAMP = 2**53 - 1  # the largest integer every JSON parser (JavaScript's too) reads exactly

REQUEST_LABEL = "patron-gcm-v1"
REPLY_LABEL = "patron-gcm-v1-reply"

_KEY_ID = re.compile(r"[\x21-\x7e]{1,128}")  # visible ASCII: fits a header, holds no line feed
_METHOD = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}")  # an HTTP token (RFC 9110 §5.6.2)
_TARGET = re.compile(r"/[\x21-\x7e]{0,8191}")  # origin-form as sent: percent-encoded, visible ASCII
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,15}")  # the one spelling of a timestamp in a header
_ENVELOPE_FIELDS = frozenset({"kid", "nonce", "ts", "ct"})

KeyLookup = Callable[[str], bytes | None]


@dataclass(frozen=True, slots=True)
class Envelope:
    """One encrypted message: key id, nonce, timestamp and ciphertext followed by its 16-byte tag."""

    kid: str
    nonce: bytes
    ts: int
    ct: bytes

    def to_json(self) -> bytes:
        """The envelope as the body of a request or reply (compact JSON, UTF-8)."""
        document = {"kid": self.kid, "nonce": b64url_encode(self.nonce), "ts": self.ts, "ct": b64url_encode(self.ct)}
        return json.dumps(document, separators=(",", ":")).encode("utf-8")

    def to_headers(self) -> dict[str, str]:
        """The envelope of a bodiless request as headers; only an empty plaintext (the tag alone) fits."""
        if len(self.ct) != TAG_SIZE:
            raise ValueError("only the envelope of an empty plaintext travels as headers")
        return {
            KEY_ID_HEADER: self.kid,
            NONCE_HEADER: b64url_encode(self.nonce),
            TIMESTAMP_HEADER: str(self.ts),
            TAG_HEADER: b64url_encode(self.ct),
        }


@dataclass(frozen=True, slots=True)
class OpenedRequest:
    """A request that decrypted and authenticated; the caller still checks ``(kid, nonce)`` for replays."""

    kid: str
    nonce: bytes
    ts: int
    plaintext: bytes


def new_key() -> bytes:
    """A fresh random AES-256 key for a client."""
    return secrets.token_bytes(KEY_SIZE)


def request_target(raw_path: bytes, query_string: bytes) -> str:
    """The target to bind, from an ASGI scope's ``raw_path`` and ``query_string`` (the bytes as received).

    Bytes that are not visible ASCII come through as they are and make ``open_request`` refuse.
    """
    return (raw_path + (b"?" + query_string if query_string else b"")).decode("latin-1")


def request_associated_data(method: str, target: str, ts: int, kid: str) -> bytes:
    """The associated data of a request: ``patron-gcm-v1\\n METHOD \\n target \\n ts \\n kid``.

    ``target`` is the request target as sent on the wire: the path, and ``?`` and the query when the
    query is not empty, percent-encoded exactly as in the request line. Raises ``ValueError`` for a
    part that could not be bound unambiguously.
    """
    if not _METHOD.fullmatch(method):
        raise ValueError("the method must be an HTTP token")
    if not _TARGET.fullmatch(target) or target.endswith("?"):
        raise ValueError("the target must be a path in origin-form, percent-encoded, with a non-empty query if any")
    return "\n".join((REQUEST_LABEL, method, target, _timestamp(ts), _key_id(kid))).encode("utf-8")


def reply_associated_data(status: int, request_nonce: bytes, ts: int, kid: str) -> bytes:
    """The associated data of a reply: ``patron-gcm-v1-reply\\n status \\n request nonce \\n ts \\n kid``."""
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError("the status must be an HTTP status code, 100 to 599")
    if len(request_nonce) != NONCE_SIZE:
        raise ValueError("the request nonce must be 12 bytes")
    parts = (REPLY_LABEL, str(status), b64url_encode(request_nonce), _timestamp(ts), _key_id(kid))
    return "\n".join(parts).encode("utf-8")


def seal_request(
    key: bytes, kid: str, method: str, target: str, plaintext: bytes, ts: int, nonce: bytes | None = None
) -> Envelope:
    """Encrypt a request body (``b""`` for a bodiless request: send ``.to_headers()`` then).

    ``nonce`` is for test vectors only; leave it out and a fresh random one is drawn.
    """
    associated_data = request_associated_data(method, target, ts, kid)
    return _seal(key, kid, ts, plaintext, associated_data, nonce)


def read_envelope(body: bytes) -> Envelope:
    """The envelope in a request or reply body, checked for shape only (nothing is decrypted yet)."""
    try:
        document = json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadRefused(Reason.BAD_JSON) from None
    if not isinstance(document, dict):
        raise PayloadRefused(Reason.BAD_JSON)
    if document.keys() != _ENVELOPE_FIELDS:
        raise PayloadRefused(Reason.BAD_ENVELOPE)
    kid, nonce, ts, ct = document["kid"], document["nonce"], document["ts"], document["ct"]
    if not (isinstance(kid, str) and isinstance(nonce, str) and isinstance(ct, str)):
        raise PayloadRefused(Reason.BAD_ENVELOPE)
    if isinstance(ts, bool) or not isinstance(ts, int) or not 0 <= ts <= MAX_TIMESTAMP:
        raise PayloadRefused(Reason.BAD_ENVELOPE)
    return _envelope(kid, nonce, ts, ct, Reason.BAD_ENVELOPE)


def has_envelope_headers(headers: Mapping[str, str]) -> bool:
    """Whether a request carries any of the bodiless-envelope headers (and so asks for an encrypted reply)."""
    wanted = {name.lower() for name in ENVELOPE_HEADERS}
    return any(name.lower() in wanted for name in headers)


def read_envelope_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> Envelope:
    """The envelope of a bodiless request from its four headers (names in any case, each exactly once).

    Takes a mapping, or the raw header pairs so a repeated header is seen and refused.
    """
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    found: dict[str, str] = {}
    wanted = {name.lower() for name in ENVELOPE_HEADERS}
    for name, value in pairs:
        lowered = name.lower()
        if lowered in wanted:
            if lowered in found:
                raise PayloadRefused(Reason.BAD_HEADERS)
            found[lowered] = value
    if found.keys() != wanted:
        raise PayloadRefused(Reason.BAD_HEADERS)
    ts_text = found[TIMESTAMP_HEADER.lower()]
    if not _DECIMAL.fullmatch(ts_text) or int(ts_text) > MAX_TIMESTAMP:
        raise PayloadRefused(Reason.BAD_HEADERS)
    tag = found[TAG_HEADER.lower()]
    if len(tag) != 22:  # 16 bytes in base64url: a bodiless request carries the tag and nothing else
        raise PayloadRefused(Reason.BAD_HEADERS)
    return _envelope(found[KEY_ID_HEADER.lower()], found[NONCE_HEADER.lower()], int(ts_text), tag, Reason.BAD_HEADERS)


def open_request(
    key_lookup: KeyLookup | Mapping[str, bytes],
    method: str,
    target: str,
    envelope: Envelope,
    *,
    now: float,
    window_seconds: int = DEFAULT_WINDOW_SECONDS,
) -> OpenedRequest:
    """Check and decrypt a request's envelope (from ``read_envelope`` or ``read_envelope_headers``).

    The timestamp must be within ``window_seconds`` of ``now`` either way; it is checked before the
    key is looked up, so a stale message costs no lookup. ``key_lookup`` maps a key id to the
    client's active key, or ``None`` (unknown or retired); with an asynchronous store, fetch the key
    for ``envelope.kid`` first and pass ``{envelope.kid: key}``. The replay check (``kid``, ``nonce``
    seen within the window) is the caller's. Every failure raises ``PayloadRefused``.
    """
    try:
        associated_data = request_associated_data(method, target, envelope.ts, envelope.kid)
    except ValueError:
        raise PayloadRefused(Reason.BAD_REQUEST_LINE) from None
    if abs(now - envelope.ts) > window_seconds:
        raise PayloadRefused(Reason.OUT_OF_WINDOW)
    key = key_lookup.get(envelope.kid) if isinstance(key_lookup, Mapping) else key_lookup(envelope.kid)
    if key is None:
        raise PayloadRefused(Reason.UNKNOWN_KEY)
    plaintext = _open(key, envelope, associated_data)
    return OpenedRequest(kid=envelope.kid, nonce=envelope.nonce, ts=envelope.ts, plaintext=plaintext)


def seal_reply(
    key: bytes, kid: str, status: int, request_nonce: bytes, plaintext: bytes, ts: int, nonce: bytes | None = None
) -> Envelope:
    """Encrypt a reply under the request's key, with a fresh nonce, bound to its status and the request's nonce."""
    associated_data = reply_associated_data(status, request_nonce, ts, kid)
    return _seal(key, kid, ts, plaintext, associated_data, nonce)


def open_reply(key: bytes, kid: str, status: int, request_nonce: bytes, body: bytes) -> bytes:
    """Decrypt the reply to the request sealed with ``request_nonce``; another request's reply is refused.

    No time window: a reply bound to a fresh request nonce cannot be older than its request.
    """
    envelope = read_envelope(body)
    if envelope.kid != kid:
        raise PayloadRefused(Reason.UNKNOWN_KEY)
    try:
        associated_data = reply_associated_data(status, request_nonce, envelope.ts, kid)
    except ValueError:
        raise PayloadRefused(Reason.BAD_REQUEST_LINE) from None
    return _open(key, envelope, associated_data)


def _seal(key: bytes, kid: str, ts: int, plaintext: bytes, associated_data: bytes, nonce: bytes | None) -> Envelope:
    _check_key(key)
    nonce = secrets.token_bytes(NONCE_SIZE) if nonce is None else nonce
    if len(nonce) != NONCE_SIZE:
        raise ValueError("the nonce must be 12 bytes")
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=TAG_SIZE)
    cipher.update(associated_data)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return Envelope(kid=kid, nonce=nonce, ts=ts, ct=ciphertext + tag)


def _open(key: bytes, envelope: Envelope, associated_data: bytes) -> bytes:
    _check_key(key)
    cipher = AES.new(key, AES.MODE_GCM, nonce=envelope.nonce, mac_len=TAG_SIZE)
    cipher.update(associated_data)
    try:
        plaintext: bytes = cipher.decrypt_and_verify(envelope.ct[:-TAG_SIZE], envelope.ct[-TAG_SIZE:])
    except ValueError:
        raise PayloadRefused(Reason.BAD_TAG) from None
    return plaintext


def _envelope(kid: str, nonce_text: str, ts: int, ct_text: str, shape: Reason) -> Envelope:
    if not _KEY_ID.fullmatch(kid):
        raise PayloadRefused(shape)
    nonce, ct = b64url_decode(nonce_text), b64url_decode(ct_text)
    if len(nonce) != NONCE_SIZE or len(ct) < TAG_SIZE:
        raise PayloadRefused(shape)
    return Envelope(kid=kid, nonce=nonce, ts=ts, ct=ct)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        raise ValueError("duplicate key")
    return document


def _timestamp(ts: int) -> str:
    if isinstance(ts, bool) or not isinstance(ts, int) or not 0 <= ts <= MAX_TIMESTAMP:
        raise ValueError("the timestamp must be whole Unix seconds, 0 to 2**53 - 1")
    return str(ts)


def _key_id(kid: str) -> str:
    if not _KEY_ID.fullmatch(kid):
        raise ValueError("the key id must be 1 to 128 visible ASCII characters")
    return kid


def _check_key(key: bytes) -> None:
    if len(key) != KEY_SIZE:
        raise ValueError("an AES-256 key is 32 bytes")
