"""The legacy payload scheme of the original mobile clients: CryptoJS's (and ``openssl enc``'s) passphrase format.

The text is base64 (standard alphabet, padded) of ``Salted__`` + an 8-byte salt + AES-256-CBC
ciphertext with PKCS#7 padding; key and IV come from the passphrase and the salt by OpenSSL's
``EVP_BytesToKey`` with MD5 and one iteration. That is ``CryptoJS.AES.encrypt(text, passphrase)``
and ``openssl enc -aes-256-cbc -md md5 -salt -base64 -A``.

It has no integrity check and no replay protection: a changed byte decrypts to changed plaintext
(or fails the padding), and a recorded message can be sent again. Off by default, per client, and
only for clients that cannot move to the GCM scheme yet (see docs/encryption.md).
"""

import base64
import binascii
import hashlib
import secrets

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad

from gateway.payloads.refusal import PayloadRefused, Reason

MAGIC = b"Salted__"
SALT_SIZE = 8
KEY_SIZE = 32
IV_SIZE = 16
_BLOCK = 16


def derive_key_and_iv(passphrase: bytes, salt: bytes) -> tuple[bytes, bytes]:
    """OpenSSL's ``EVP_BytesToKey`` with MD5, one iteration: ``D_i = MD5(D_{i-1} || passphrase || salt)``."""
    derived = b""
    block = b""
    while len(derived) < KEY_SIZE + IV_SIZE:
        block = hashlib.md5(block + passphrase + salt, usedforsecurity=False).digest()
        derived += block
    return derived[:KEY_SIZE], derived[KEY_SIZE : KEY_SIZE + IV_SIZE]


def encrypt(passphrase: str | bytes, plaintext: bytes, salt: bytes | None = None) -> str:
    """The legacy text of ``plaintext``: one line of padded base64. ``salt`` is for test vectors only."""
    salt = secrets.token_bytes(SALT_SIZE) if salt is None else salt
    if len(salt) != SALT_SIZE:
        raise ValueError("the salt must be 8 bytes")
    key, iv = derive_key_and_iv(_passphrase_bytes(passphrase), salt)
    ciphertext = AES.new(key, AES.MODE_CBC, iv=iv).encrypt(pad(plaintext, _BLOCK, style="pkcs7"))
    return base64.b64encode(MAGIC + salt + ciphertext).decode("ascii")


def decrypt(passphrase: str | bytes, text: str | bytes) -> bytes:
    """The plaintext of a legacy text; whitespace (``openssl``'s line breaks) is ignored.

    Raises ``PayloadRefused`` (bad_base64, bad_format, bad_padding). A wrong passphrase or a changed
    byte is caught only when the padding happens to come out wrong: there is no integrity check.
    """
    if isinstance(text, str):
        try:
            text = text.encode("ascii")
        except UnicodeEncodeError:
            raise PayloadRefused(Reason.BAD_BASE64) from None
    try:
        raw = base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise PayloadRefused(Reason.BAD_BASE64) from None
    if not raw.startswith(MAGIC):
        raise PayloadRefused(Reason.BAD_FORMAT)
    salt, ciphertext = raw[len(MAGIC) : len(MAGIC) + SALT_SIZE], raw[len(MAGIC) + SALT_SIZE :]
    if len(salt) != SALT_SIZE or not ciphertext or len(ciphertext) % _BLOCK:
        raise PayloadRefused(Reason.BAD_FORMAT)
    key, iv = derive_key_and_iv(_passphrase_bytes(passphrase), salt)
    padded = AES.new(key, AES.MODE_CBC, iv=iv).decrypt(ciphertext)
    try:
        return unpad(padded, _BLOCK, style="pkcs7")
    except ValueError:
        raise PayloadRefused(Reason.BAD_PADDING) from None


def _passphrase_bytes(passphrase: str | bytes) -> bytes:
    # CryptoJS turns a string passphrase into UTF-8 bytes; so does the shell for ``-pass pass:``.
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
