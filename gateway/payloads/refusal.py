"""The one exception every payload failure raises, and the reasons it names for logs and metrics only."""

import base64
import binascii
import re
from enum import StrEnum


class Reason(StrEnum):
    """Why a payload was refused; a bounded set, fit for a metric label. Never sent to the client."""

    BAD_JSON = "bad_json"  # not a JSON object, duplicate keys, not UTF-8
    BAD_ENVELOPE = "bad_envelope"  # missing, extra or mistyped fields; nonce or ciphertext of the wrong size
    BAD_HEADERS = "bad_headers"  # a bodiless request's headers missing, repeated or malformed
    BAD_BASE64 = "bad_base64"  # not canonical base64url (GCM) or not base64 (legacy)
    BAD_REQUEST_LINE = "bad_request_line"  # the method or target cannot be bound unambiguously
    OUT_OF_WINDOW = "out_of_window"  # the timestamp is too far from the gateway's clock
    UNKNOWN_KEY = "unknown_key"  # no active key has this id (unknown, retired, or another client's)
    BAD_TAG = "bad_tag"  # authentication failed: wrong key, or any byte changed
    BAD_FORMAT = "bad_format"  # legacy: no ``Salted__`` header, or a length that is not whole blocks
    BAD_PADDING = "bad_padding"  # legacy: the PKCS#7 padding is wrong (wrong passphrase, or tampering)
    # Raised by the gateway around these functions, listed here so one type carries every reason:
    REPLAYED = "replayed"  # the nonce was seen before within the window
    WRONG_MEDIA_TYPE = "wrong_media_type"  # encryption is required for this client, or the media type is wrong
    NOT_ENABLED = "not_enabled"  # the legacy scheme is off for this client


class PayloadRefused(Exception):
    """An encrypted payload that must be refused. Every reason gets the same reply; ``reason`` is for logs."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(str(reason))
        self.reason = reason


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(data: bytes) -> str:
    """Base64url (RFC 4648 §5) without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of canonical unpadded base64url; anything else (padding, other letters, stray bits) is refused.

    Canonical only, so one byte string has exactly one spelling: the nonce a replay store keys on, and
    the nonce a reply is bound to, cannot be respelled.
    """
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise PayloadRefused(Reason.BAD_BASE64)
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise PayloadRefused(Reason.BAD_BASE64) from None
    if b64url_encode(data) != text:
        raise PayloadRefused(Reason.BAD_BASE64)
    return data
