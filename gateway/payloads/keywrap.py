"""Client key material at rest: a client's key (or legacy passphrase) wrapped under the key-encryption key.

AES-256-GCM with a fresh nonce and the key's id as associated data, so a wrapped key copied onto
another key id's row does not unwrap. The wrapped form is ``0x01`` (format version) + 12-byte nonce
+ ciphertext + 16-byte tag; store it as it is (``bytea``) or as base64.
"""

import secrets

from Crypto.Cipher import AES

VERSION = b"\x01"
KEK_SIZE = 32
_NONCE_SIZE = 12
_TAG_SIZE = 16
_LABEL = b"patron-keywrap-v1\n"


class UnwrapFailed(Exception):
    """The wrapped key does not open: another key-encryption key, another key id, or a damaged value."""


def wrap(kek: bytes, kid: str, secret: bytes, nonce: bytes | None = None) -> bytes:
    """``secret`` wrapped under ``kek`` for key id ``kid``. ``nonce`` is for tests only."""
    _check_kek(kek)
    nonce = secrets.token_bytes(_NONCE_SIZE) if nonce is None else nonce
    if len(nonce) != _NONCE_SIZE:
        raise ValueError("the nonce must be 12 bytes")
    cipher = AES.new(kek, AES.MODE_GCM, nonce=nonce, mac_len=_TAG_SIZE)
    cipher.update(_associated_data(kid))
    ciphertext, tag = cipher.encrypt_and_digest(secret)
    return VERSION + nonce + ciphertext + tag


def unwrap(kek: bytes, kid: str, wrapped: bytes) -> bytes:
    """The secret that ``wrap(kek, kid, secret)`` wrapped; raises ``UnwrapFailed`` otherwise."""
    _check_kek(kek)
    if len(wrapped) < len(VERSION) + _NONCE_SIZE + _TAG_SIZE or not wrapped.startswith(VERSION):
        raise UnwrapFailed("not a wrapped key of a known format")
    nonce = wrapped[len(VERSION) : len(VERSION) + _NONCE_SIZE]
    body = wrapped[len(VERSION) + _NONCE_SIZE :]
    cipher = AES.new(kek, AES.MODE_GCM, nonce=nonce, mac_len=_TAG_SIZE)
    cipher.update(_associated_data(kid))
    try:
        secret: bytes = cipher.decrypt_and_verify(body[:-_TAG_SIZE], body[-_TAG_SIZE:])
    except ValueError:
        raise UnwrapFailed("the wrapped key does not authenticate") from None
    return secret


def _associated_data(kid: str) -> bytes:
    return _LABEL + kid.encode("utf-8")


def _check_kek(kek: bytes) -> None:
    if len(kek) != KEK_SIZE:
        raise ValueError("the key-encryption key is 32 bytes")
