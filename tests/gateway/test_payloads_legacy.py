"""The legacy CryptoJS/OpenSSL payload scheme (pure): its format, round trips, refusals, and the documented vector."""

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from gateway.payloads import PayloadRefused, Reason, legacy

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long random legacy passphrase 7f3a"


def doc_vector(name: str) -> dict:
    text = (ROOT / "docs" / "encryption.md").read_text()
    found = re.search(rf"<!-- vector: {re.escape(name)} -->\n```json\n(.*?)\n```", text, re.DOTALL)
    assert found, f"docs/encryption.md has no vector {name}"
    return json.loads(found[1])


def refusal(call) -> Reason:
    with pytest.raises(PayloadRefused) as refused:
        call()
    return refused.value.reason


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 31, 32, 1000])
def test_a_legacy_text_decrypts_to_its_plaintext_whatever_its_length(size):
    plaintext = bytes(i % 251 for i in range(size))
    text = legacy.encrypt(PASSPHRASE, plaintext)
    raw = base64.b64decode(text, validate=True)
    assert raw.startswith(b"Salted__")
    assert len(raw) == 16 + (size // 16 + 1) * 16  # PKCS#7 always pads, a whole block when already aligned
    assert legacy.decrypt(PASSPHRASE, text) == plaintext


def test_every_encryption_draws_a_fresh_salt():
    texts = {legacy.encrypt(PASSPHRASE, b"{}") for _ in range(20)}
    salts = {base64.b64decode(text)[8:16] for text in texts}
    assert len(salts) == 20


def test_the_passphrase_is_utf8_and_bytes_work_too():
    text = legacy.encrypt("pässwörd ✓", b"{}")
    assert legacy.decrypt("pässwörd ✓".encode(), text) == b"{}"


def test_whitespace_and_line_breaks_in_the_text_are_ignored():
    text = legacy.encrypt(PASSPHRASE, b"x" * 100)
    wrapped = "\n".join(text[i : i + 64] for i in range(0, len(text), 64)) + "\n"
    assert legacy.decrypt(PASSPHRASE, wrapped) == b"x" * 100
    assert legacy.decrypt(PASSPHRASE, (" " + text + "\r\n").encode()) == b"x" * 100


def test_the_key_derivation_is_evp_bytes_to_key_with_md5():
    # OpenSSL: `openssl enc -aes-256-cbc -md md5 -S 0001020304050607 -pass pass:password -P`
    key, iv = legacy.derive_key_and_iv(b"password", bytes.fromhex("0001020304050607"))
    assert len(key) == 32 and len(iv) == 16
    d1 = hashlib.md5(b"password" + bytes.fromhex("0001020304050607")).digest()
    d2 = hashlib.md5(d1 + b"password" + bytes.fromhex("0001020304050607")).digest()
    d3 = hashlib.md5(d2 + b"password" + bytes.fromhex("0001020304050607")).digest()
    assert key == d1 + d2 and iv == d3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", Reason.BAD_FORMAT),
        ("not base64!", Reason.BAD_BASE64),
        ("U2FsdGVkX1", Reason.BAD_BASE64),
        ("caf\u00e9", Reason.BAD_BASE64),
        (base64.b64encode(b"Salted_!" + bytes(24)).decode(), Reason.BAD_FORMAT),
        (base64.b64encode(b"Salted__" + bytes(8)).decode(), Reason.BAD_FORMAT),
        (base64.b64encode(b"Salted__" + bytes(7)).decode(), Reason.BAD_FORMAT),
        (base64.b64encode(b"Salted__" + bytes(8 + 17)).decode(), Reason.BAD_FORMAT),
        (base64.b64encode(bytes(32)).decode(), Reason.BAD_FORMAT),
    ],
)
def test_a_malformed_legacy_text_is_refused_with_its_reason(text, reason):
    assert refusal(lambda: legacy.decrypt(PASSPHRASE, text)) == reason


def test_a_wrong_passphrase_is_refused_when_the_padding_comes_out_wrong():
    text = legacy.encrypt(PASSPHRASE, b'{"points":10}')
    refused = 0
    for attempt in range(40):
        try:
            legacy.decrypt(f"wrong {attempt}", text)
        except PayloadRefused as exc:
            assert exc.reason == Reason.BAD_PADDING
            refused += 1
    assert refused >= 30  # about 1 in 256 wrong passphrases still unpads: there is no integrity check


def test_there_is_no_integrity_check_a_flipped_bit_changes_the_next_blocks_plaintext():
    # What docs/encryption.md warns about, shown: CBC without a MAC is malleable.
    plaintext = b'{"customer_id":42,"points":0000010}'
    raw = bytearray(base64.b64decode(legacy.encrypt(PASSPHRASE, plaintext)))
    digit = plaintext.index(b"10")  # 32: the first byte of the third block
    raw[16 + digit - 16] ^= ord("1") ^ ord("9")  # the same byte of the ciphertext block before it
    changed = legacy.decrypt(PASSPHRASE, base64.b64encode(bytes(raw)).decode())
    assert changed[digit:] == b"90}"
    assert changed[:16] == plaintext[:16]
    assert changed[16:digit] != plaintext[16:digit]  # the block with the flipped bit is garbled, and nothing notices


def test_the_documented_legacy_vector():
    vector = doc_vector("legacy")
    salt = bytes.fromhex(vector["salt_hex"])
    key, iv = legacy.derive_key_and_iv(vector["passphrase"].encode(), salt)
    assert (key.hex(), iv.hex()) == (vector["key_hex"], vector["iv_hex"])
    assert legacy.encrypt(vector["passphrase"], vector["plaintext"].encode(), salt) == vector["text"]
    assert legacy.decrypt(vector["passphrase"], vector["text"]) == vector["plaintext"].encode()


def test_a_salt_is_8_bytes():
    with pytest.raises(ValueError):
        legacy.encrypt(PASSPHRASE, b"{}", salt=bytes(7))
