"""The AES-256-GCM payload scheme (pure): round trips, tampering refused, the window, replies bound to requests."""

import json
import re
from pathlib import Path

import pytest
from starlette.datastructures import Headers

from gateway.payloads import PayloadRefused, Reason, gcm, keywrap
from gateway.payloads.refusal import b64url_decode, b64url_encode

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
KID = "app-android-7"
NOW = 1_767_225_600
BODY = b'{"customer_id":42,"lines":[{"product_id":7,"quantity":2}]}'
TARGET = "/api/v1/purchases?dry_run=false&store=3"


def doc_vector(name: str) -> dict:
    """A test vector as docs/encryption.md prints it."""
    text = (ROOT / "docs" / "encryption.md").read_text()
    found = re.search(rf"<!-- vector: {re.escape(name)} -->\n```json\n(.*?)\n```", text, re.DOTALL)
    assert found, f"docs/encryption.md has no vector {name}"
    return json.loads(found[1])


def sealed(plaintext: bytes = BODY, *, method: str = "POST", target: str = TARGET, ts: int = NOW) -> bytes:
    return gcm.seal_request(KEY, KID, method, target, plaintext, ts).to_json()


def opened(
    body: bytes, *, method: str = "POST", target: str = TARGET, now: float = NOW, keys=None
) -> gcm.OpenedRequest:
    envelope = gcm.read_envelope(body)
    return gcm.open_request(keys if keys is not None else {KID: KEY}, method, target, envelope, now=now)


def refusal(call) -> Reason:
    with pytest.raises(PayloadRefused) as refused:
        call()
    return refused.value.reason


def with_field(body: bytes, **changes) -> bytes:
    document = json.loads(body)
    document.update(changes)
    return json.dumps(document).encode()


# Round trips


def test_a_sealed_request_opens_to_its_body_kid_nonce_and_time():
    body = sealed()
    envelope = json.loads(body)
    assert envelope.keys() == {"kid", "nonce", "ts", "ct"}
    assert envelope["kid"] == KID and envelope["ts"] == NOW
    assert len(b64url_decode(envelope["nonce"])) == 12
    assert len(b64url_decode(envelope["ct"])) == len(BODY) + 16
    request = opened(body, now=NOW + 30)
    assert request == gcm.OpenedRequest(kid=KID, nonce=b64url_decode(envelope["nonce"]), ts=NOW, plaintext=BODY)


def test_every_seal_draws_a_fresh_nonce():
    nonces = {json.loads(sealed())["nonce"] for _ in range(50)}
    assert len(nonces) == 50


def test_the_key_lookup_may_be_a_function_and_picks_the_key_by_id():
    body = gcm.seal_request(OTHER_KEY, "second", "POST", TARGET, BODY, NOW).to_json()
    keys = {KID: KEY, "second": OTHER_KEY}
    assert opened(body, keys=keys.get).plaintext == BODY
    assert opened(body, keys=keys).kid == "second"


def test_a_bodiless_request_travels_as_four_headers_and_opens_to_an_empty_body():
    headers = gcm.seal_request(KEY, KID, "GET", "/api/v1/customers/42", b"", NOW).to_headers()
    assert set(headers) == {"X-Patron-Key-Id", "X-Patron-Nonce", "X-Patron-Timestamp", "X-Patron-Tag"}
    assert len(b64url_decode(headers["X-Patron-Tag"])) == 16
    envelope = gcm.read_envelope_headers(Headers(headers))  # Starlette's: case-insensitive, as the gateway has them
    request = gcm.open_request({KID: KEY}, "GET", "/api/v1/customers/42", envelope, now=NOW)
    assert request.plaintext == b"" and request.nonce == b64url_decode(headers["X-Patron-Nonce"])
    assert gcm.has_envelope_headers(Headers(headers))
    assert not gcm.has_envelope_headers(Headers({"accept": "application/json"}))


def test_only_the_envelope_of_an_empty_body_goes_into_headers():
    with pytest.raises(ValueError):
        gcm.seal_request(KEY, KID, "POST", TARGET, b"x", NOW).to_headers()


def test_a_reply_opens_only_for_its_own_request_and_status():
    request = opened(sealed())
    reply = gcm.seal_reply(KEY, KID, 201, request.nonce, b'{"purchase_id":1}', NOW + 1).to_json()
    assert json.loads(reply)["nonce"] != b64url_encode(request.nonce)
    assert gcm.open_reply(KEY, KID, 201, request.nonce, reply) == b'{"purchase_id":1}'

    another = opened(sealed())
    assert refusal(lambda: gcm.open_reply(KEY, KID, 201, another.nonce, reply)) == Reason.BAD_TAG
    assert refusal(lambda: gcm.open_reply(KEY, KID, 200, request.nonce, reply)) == Reason.BAD_TAG
    assert refusal(lambda: gcm.open_reply(OTHER_KEY, KID, 201, request.nonce, reply)) == Reason.BAD_TAG
    assert refusal(lambda: gcm.open_reply(KEY, "someone-else", 201, request.nonce, reply)) == Reason.UNKNOWN_KEY


def test_a_request_cannot_pass_for_a_reply_nor_a_reply_for_a_request():
    request_body = sealed(target="/x")
    nonce = opened(request_body, target="/x").nonce
    assert refusal(lambda: gcm.open_reply(KEY, KID, 200, nonce, request_body)) == Reason.BAD_TAG
    reply = gcm.seal_reply(KEY, KID, 200, nonce, BODY, NOW).to_json()
    assert refusal(lambda: opened(reply)) == Reason.BAD_TAG


def test_an_empty_reply_is_still_authenticated():
    nonce = opened(sealed()).nonce
    reply = gcm.seal_reply(KEY, KID, 200, nonce, b"", NOW).to_json()
    assert gcm.open_reply(KEY, KID, 200, nonce, reply) == b""
    assert refusal(lambda: gcm.open_reply(KEY, KID, 204, nonce, reply)) == Reason.BAD_TAG


# Tampering: any single byte of the ciphertext, the tag or the nonce, or any associated-data part


def test_changing_any_byte_of_the_ciphertext_or_the_tag_is_refused():
    body = sealed()
    ct = b64url_decode(json.loads(body)["ct"])
    for index in range(len(ct)):
        for flip in (0x01, 0x80):
            changed = ct[:index] + bytes([ct[index] ^ flip]) + ct[index + 1 :]
            assert refusal(lambda c=changed: opened(with_field(body, ct=b64url_encode(c)))) == Reason.BAD_TAG


def test_a_truncated_or_extended_ciphertext_is_refused():
    body = sealed()
    ct = b64url_decode(json.loads(body)["ct"])
    for changed in (ct[:-1], ct + b"\x00", ct[1:], ct[:16]):
        assert refusal(lambda c=changed: opened(with_field(body, ct=b64url_encode(c)))) == Reason.BAD_TAG
    assert refusal(lambda: opened(with_field(body, ct=b64url_encode(ct[:15])))) == Reason.BAD_ENVELOPE


def test_changing_any_byte_of_the_nonce_is_refused():
    body = sealed()
    nonce = b64url_decode(json.loads(body)["nonce"])
    for index in range(len(nonce)):
        changed = nonce[:index] + bytes([nonce[index] ^ 0x01]) + nonce[index + 1 :]
        assert refusal(lambda n=changed: opened(with_field(body, nonce=b64url_encode(n)))) == Reason.BAD_TAG


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("PUT", TARGET),  # another method
        ("post", TARGET),  # methods are case-sensitive
        ("POST", "/api/v1/purchases/1?dry_run=false&store=3"),  # another path
        ("POST", "/api/v1/customers?dry_run=false&store=3"),
        ("POST", "/api/v1/purchases?dry_run=true&store=3"),  # another query
        ("POST", "/api/v1/purchases?dry_run=false"),  # a query part dropped
        ("POST", "/api/v1/purchases?store=3&dry_run=false"),  # the same parameters in another order
        ("POST", "/api/v1/purchases"),  # no query
        ("POST", "/api/v1/purchases?dry_run=false&store=3&x=1"),  # a query part added
        ("POST", "/api/v1/purchases?dry_run=false&store=%33"),  # another spelling of the same query
    ],
)
def test_a_body_on_another_method_path_or_query_is_refused(method, target):
    assert refusal(lambda: opened(sealed(), method=method, target=target)) == Reason.BAD_TAG


def test_a_body_with_another_time_is_refused_even_within_the_window():
    body = sealed()
    for ts in (NOW - 1, NOW + 1, NOW + 60):
        assert refusal(lambda t=ts: opened(with_field(body, ts=t))) == Reason.BAD_TAG


def test_a_body_with_another_key_id_is_refused_even_when_that_id_has_the_same_key():
    body = sealed()
    keys = {KID: KEY, "twin": KEY}
    assert refusal(lambda: opened(with_field(body, kid="twin"), keys=keys)) == Reason.BAD_TAG


def test_a_bodiless_request_with_forged_or_moved_headers_is_refused():
    headers = gcm.seal_request(KEY, KID, "GET", "/api/v1/customers/42", b"", NOW).to_headers()

    def attempt(changed: dict, method: str = "GET", target: str = "/api/v1/customers/42") -> Reason:
        return refusal(
            lambda: gcm.open_request(
                {KID: KEY, "twin": KEY}, method, target, gcm.read_envelope_headers(changed), now=NOW
            )
        )

    tag = b64url_decode(headers["X-Patron-Tag"])
    for index in range(16):
        forged = tag[:index] + bytes([tag[index] ^ 0x01]) + tag[index + 1 :]
        assert attempt(headers | {"X-Patron-Tag": b64url_encode(forged)}) == Reason.BAD_TAG
    assert attempt(headers | {"X-Patron-Tag": b64url_encode(bytes(16))}) == Reason.BAD_TAG
    assert attempt(headers | {"X-Patron-Nonce": b64url_encode(bytes(12))}) == Reason.BAD_TAG
    assert attempt(headers | {"X-Patron-Timestamp": str(NOW + 1)}) == Reason.BAD_TAG
    assert attempt(headers | {"X-Patron-Key-Id": "twin"}) == Reason.BAD_TAG
    assert attempt(headers, target="/api/v1/customers/43") == Reason.BAD_TAG
    assert attempt(headers, target="/api/v1/customers/42?page=2") == Reason.BAD_TAG
    assert attempt(headers, method="DELETE") == Reason.BAD_TAG


# The window and the keys


def test_a_request_is_accepted_up_to_the_window_and_refused_beyond_it_either_way():
    body = sealed()
    assert opened(body, now=NOW + 300).plaintext == BODY
    assert opened(body, now=NOW - 300).plaintext == BODY
    assert refusal(lambda: opened(body, now=NOW + 301)) == Reason.OUT_OF_WINDOW
    assert refusal(lambda: opened(body, now=NOW - 301)) == Reason.OUT_OF_WINDOW
    envelope = gcm.read_envelope(body)
    narrow = gcm.open_request({KID: KEY}, "POST", TARGET, envelope, now=NOW + 10, window_seconds=10)
    assert narrow.plaintext == BODY
    assert (
        refusal(lambda: gcm.open_request({KID: KEY}, "POST", TARGET, envelope, now=NOW + 11, window_seconds=10))
        == Reason.OUT_OF_WINDOW
    )


def test_the_window_is_checked_before_the_key_is_looked_up():
    looked_up: list[str] = []

    def lookup(kid: str) -> bytes | None:
        looked_up.append(kid)
        return KEY

    envelope = gcm.read_envelope(sealed())
    assert refusal(lambda: gcm.open_request(lookup, "POST", TARGET, envelope, now=NOW + 3600)) == Reason.OUT_OF_WINDOW
    assert looked_up == []


def test_an_unknown_or_retired_key_id_is_refused():
    assert refusal(lambda: opened(sealed(), keys={})) == Reason.UNKNOWN_KEY
    assert refusal(lambda: opened(sealed(), keys=lambda kid: None)) == Reason.UNKNOWN_KEY


def test_a_request_under_another_key_is_refused():
    assert refusal(lambda: opened(sealed(), keys={KID: OTHER_KEY})) == Reason.BAD_TAG


def test_a_key_that_is_not_32_bytes_is_a_programming_error_not_a_refusal():
    with pytest.raises(ValueError):
        gcm.seal_request(KEY[:16], KID, "POST", TARGET, BODY, NOW)
    with pytest.raises(ValueError):
        opened(sealed(), keys={KID: KEY[:16]})


def test_new_keys_are_32_random_bytes():
    keys = {gcm.new_key() for _ in range(20)}
    assert len(keys) == 20 and all(len(key) == 32 for key in keys)


# The envelope's shape


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", Reason.BAD_JSON),
        (b"not json", Reason.BAD_JSON),
        (b"\xff\xfe{}", Reason.BAD_JSON),
        (b"[]", Reason.BAD_JSON),
        (b'"text"', Reason.BAD_JSON),
        (b'{"kid":"a","kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_JSON),
        (b'{"nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA","v":1}', Reason.BAD_ENVELOPE),
        (b'{"kid":1,"nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"","nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a b","nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a\\nb","nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":"1","ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":1.0,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":true,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":-1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (
            b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":9007199254740992,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}',
            Reason.BAD_ENVELOPE,
        ),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_BASE64),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA==","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_BASE64),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAA+","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_BASE64),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAB"}', Reason.BAD_BASE64),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
        (b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":1,"ct":"AAAAAAAAAAAAAAAAAAAA"}', Reason.BAD_ENVELOPE),
    ],
)
def test_a_malformed_envelope_is_refused_with_its_reason(body, reason):
    assert refusal(lambda: gcm.read_envelope(body)) == reason


def test_a_huge_integer_timestamp_is_refused_as_bad_json_or_envelope():
    body = b'{"kid":"a","nonce":"AAAAAAAAAAAAAAAA","ts":' + b"9" * 5000 + b',"ct":"AAAAAAAAAAAAAAAAAAAAAA"}'
    assert refusal(lambda: gcm.read_envelope(body)) in {Reason.BAD_JSON, Reason.BAD_ENVELOPE}


def test_base64url_has_one_spelling_only():
    assert b64url_decode("AAE") == b"\x00\x01"
    for text in ("AAF", "AAE=", "AA E", "AAE\n", "A", "AA+/", "AA.."):
        assert refusal(lambda t=text: b64url_decode(t)) == Reason.BAD_BASE64


@pytest.mark.parametrize(
    "change",
    [
        {"X-Patron-Tag": None},
        {"X-Patron-Nonce": None},
        {"X-Patron-Key-Id": None},
        {"X-Patron-Timestamp": None},
        {"X-Patron-Timestamp": "01767225600"},
        {"X-Patron-Timestamp": "+1767225600"},
        {"X-Patron-Timestamp": "1767225600.0"},
        {"X-Patron-Timestamp": " 1767225600"},
        {"X-Patron-Timestamp": "99999999999999999"},
        {"X-Patron-Tag": "AAAAAAAAAAAAAAAAAAAAAAAAAA"},
    ],
)
def test_malformed_bodiless_headers_are_refused(change):
    headers = gcm.seal_request(KEY, KID, "GET", "/a", b"", NOW).to_headers()
    for name, value in change.items():
        if value is None:
            del headers[name]
        else:
            headers[name] = value
    assert refusal(lambda: gcm.read_envelope_headers(headers)) == Reason.BAD_HEADERS


def test_a_repeated_envelope_header_is_refused_and_names_are_case_insensitive():
    headers = gcm.seal_request(KEY, KID, "GET", "/a", b"", NOW).to_headers()
    pairs = [(name.lower(), value) for name, value in headers.items()]
    assert gcm.read_envelope_headers(pairs).kid == KID
    repeated = [*pairs, ("X-PATRON-NONCE", b64url_encode(bytes(12)))]
    assert refusal(lambda: gcm.read_envelope_headers(repeated)) == Reason.BAD_HEADERS
    raw = Headers(raw=[(name.encode(), value.encode()) for name, value in repeated])
    assert refusal(lambda: gcm.read_envelope_headers(raw)) == Reason.BAD_HEADERS


# The associated data: exact bytes, and no part may hold a line feed


def test_the_associated_data_of_a_request_and_a_reply_are_these_bytes():
    assert gcm.request_associated_data("POST", "/api/v1/purchases?x=1", 1700000000, "k1") == (
        b"patron-gcm-v1\nPOST\n/api/v1/purchases?x=1\n1700000000\nk1"
    )
    assert gcm.reply_associated_data(201, bytes(12), 1700000001, "k1") == (
        b"patron-gcm-v1-reply\n201\nAAAAAAAAAAAAAAAA\n1700000001\nk1"
    )


def test_the_target_is_the_raw_path_and_the_query_as_received():
    assert (
        gcm.request_target(b"/api/v1/customers/a%20b", b"page=2&q=%C3%BC") == "/api/v1/customers/a%20b?page=2&q=%C3%BC"
    )
    assert gcm.request_target(b"/api/v1/customers", b"") == "/api/v1/customers"
    envelope = gcm.read_envelope(sealed(target="/a"))
    odd = gcm.request_target("/caf\u00e9".encode(), b"")
    assert refusal(lambda: gcm.open_request({KID: KEY}, "POST", odd, envelope, now=NOW)) == Reason.BAD_REQUEST_LINE


@pytest.mark.parametrize(
    ("method", "target", "kid"),
    [
        ("PO\nST", "/a", KID),
        ("POST\n", "/a", KID),
        ("", "/a", KID),
        ("PO ST", "/a", KID),
        ("POST", "/a\n", KID),
        ("POST", "/a\nPOST", KID),
        ("POST", "/a b", KID),
        ("POST", "a", KID),
        ("POST", "", KID),
        ("POST", "https://host/a", KID),
        ("POST", "/a?", KID),
        ("POST", "/caf\u00e9", KID),
        ("POST", "/a", "k\n1"),
        ("POST", "/a", ""),
        ("POST", "/a", "k" * 129),
    ],
)
def test_parts_that_could_not_be_bound_unambiguously_are_refused(method, target, kid):
    with pytest.raises(ValueError):
        gcm.seal_request(KEY, kid, method, target, BODY, NOW)
    if kid == KID:
        envelope = gcm.read_envelope(sealed(target="/a"))
        assert (
            refusal(lambda: gcm.open_request({KID: KEY}, method, target, envelope, now=NOW)) == Reason.BAD_REQUEST_LINE
        )


def test_a_reply_needs_a_real_status_and_a_12_byte_request_nonce():
    for status in (99, 600, True):
        with pytest.raises(ValueError):
            gcm.seal_reply(KEY, KID, status, bytes(12), b"", NOW)
    with pytest.raises(ValueError):
        gcm.seal_reply(KEY, KID, 200, bytes(11), b"", NOW)


def test_the_refusal_names_its_reason_only_as_a_label():
    refused = PayloadRefused(Reason.BAD_TAG)
    assert refused.reason == "bad_tag" and str(refused) == "bad_tag"
    assert all(re.fullmatch(r"[a-z0-9_]+", reason.value) for reason in Reason)


# The documented test vectors


def test_the_documented_request_vector():
    vector = doc_vector("gcm-request")
    key, nonce = bytes.fromhex(vector["key_hex"]), bytes.fromhex(vector["nonce_hex"])
    ad = gcm.request_associated_data(vector["method"], vector["target"], vector["ts"], vector["kid"])
    assert ad == vector["associated_data"].encode()
    envelope = gcm.seal_request(
        key, vector["kid"], vector["method"], vector["target"], vector["plaintext"].encode(), vector["ts"], nonce
    )
    assert envelope.ct.hex() == vector["ct_and_tag_hex"]
    assert envelope.to_json().decode() == vector["body"]
    request = gcm.open_request(
        {vector["kid"]: key},
        vector["method"],
        vector["target"],
        gcm.read_envelope(vector["body"].encode()),
        now=vector["ts"],
    )
    assert request.plaintext == vector["plaintext"].encode() and request.nonce == nonce


def test_the_documented_bodiless_vector():
    vector = doc_vector("gcm-bodiless")
    key, nonce = bytes.fromhex(vector["key_hex"]), bytes.fromhex(vector["nonce_hex"])
    ad = gcm.request_associated_data(vector["method"], vector["target"], vector["ts"], vector["kid"])
    assert ad == vector["associated_data"].encode()
    envelope = gcm.seal_request(key, vector["kid"], vector["method"], vector["target"], b"", vector["ts"], nonce)
    assert envelope.ct.hex() == vector["tag_hex"]
    assert envelope.to_headers() == vector["headers"]
    request = gcm.open_request(
        {vector["kid"]: key},
        vector["method"],
        vector["target"],
        gcm.read_envelope_headers(vector["headers"]),
        now=vector["ts"],
    )
    assert request.plaintext == b""


def test_the_documented_reply_vector():
    vector = doc_vector("gcm-reply")
    key, nonce = bytes.fromhex(vector["key_hex"]), bytes.fromhex(vector["nonce_hex"])
    request_nonce = bytes.fromhex(vector["request_nonce_hex"])
    assert request_nonce.hex() == doc_vector("gcm-request")["nonce_hex"]
    ad = gcm.reply_associated_data(vector["status"], request_nonce, vector["ts"], vector["kid"])
    assert ad == vector["associated_data"].encode()
    envelope = gcm.seal_reply(
        key, vector["kid"], vector["status"], request_nonce, vector["plaintext"].encode(), vector["ts"], nonce
    )
    assert envelope.ct.hex() == vector["ct_and_tag_hex"]
    assert envelope.to_json().decode() == vector["body"]
    plaintext = gcm.open_reply(key, vector["kid"], vector["status"], request_nonce, vector["body"].encode())
    assert plaintext == vector["plaintext"].encode()


def test_the_documented_javascript_is_the_file_the_tests_run():
    text = (ROOT / "docs" / "encryption.md").read_text()
    path = "clients/javascript/patron-encrypt.mjs"
    found = re.search(rf"<!-- include: {re.escape(path)} -->\n```js\n(.*?)```", text, re.DOTALL)
    assert found, f"docs/encryption.md does not include {path}"
    assert found[1] == (ROOT / path).read_text(), f"copy {path} into docs/encryption.md again"


# Keys at rest


def test_a_wrapped_key_unwraps_only_under_its_kek_and_its_key_id():
    kek = bytes(range(100, 132))
    wrapped = keywrap.wrap(kek, KID, KEY)
    assert wrapped[:1] == b"\x01" and len(wrapped) == 1 + 12 + 32 + 16
    assert keywrap.unwrap(kek, KID, wrapped) == KEY
    assert keywrap.wrap(kek, KID, KEY) != wrapped  # a fresh nonce each time
    with pytest.raises(keywrap.UnwrapFailed):
        keywrap.unwrap(kek, "another-id", wrapped)
    with pytest.raises(keywrap.UnwrapFailed):
        keywrap.unwrap(bytes(32), KID, wrapped)
    for index in range(len(wrapped)):
        changed = wrapped[:index] + bytes([wrapped[index] ^ 0x01]) + wrapped[index + 1 :]
        with pytest.raises(keywrap.UnwrapFailed):
            keywrap.unwrap(kek, KID, changed)
    with pytest.raises(keywrap.UnwrapFailed):
        keywrap.unwrap(kek, KID, wrapped[:20])


def test_a_legacy_passphrase_wraps_too_and_the_kek_must_be_32_bytes():
    kek = bytes(range(100, 132))
    passphrase = b"correct horse battery staple"
    assert keywrap.unwrap(kek, "legacy-3", keywrap.wrap(kek, "legacy-3", passphrase)) == passphrase
    with pytest.raises(ValueError):
        keywrap.wrap(kek[:16], KID, KEY)
