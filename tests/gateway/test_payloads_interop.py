"""The payload schemes against independent implementations, each run here: WebCrypto in Node.js, Python's
``cryptography``, the ``openssl`` tool and the ``crypto-js`` npm package (installed at test time, pinned).

A missing tool, or an npm that cannot reach its registry, fails these tests: they are the proof that
clients built on other libraries interoperate, and must not quietly disappear.
"""

import base64
import importlib.util
import json
import re
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest

from gateway.payloads import PayloadRefused, Reason, gcm, legacy
from gateway.payloads.refusal import b64url_decode, b64url_encode

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes(range(200, 232))
KID = "interop-1"
CRYPTO_JS_VERSION = "4.2.0"
PASSPHRASE = "interop legacy passphrase 9c1d"
PLAINTEXTS = [
    "",
    "{}",
    '{"name":"Zoë","points":10}',
    "x" * 15,
    "y" * 16,
    "z" * 17,
    json.dumps({"lines": list(range(300))}),
]

NODE_PRELUDE = """
import { readFileSync } from "node:fs";
import * as patron from "./clients/javascript/patron-encrypt.mjs";
const input = JSON.parse(readFileSync(0, "utf8"));
const hex = (text) => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
const text = (bytes) => new TextDecoder().decode(bytes);
const refused = async (promise) => promise.then(() => false, () => true);
const output = (value) => process.stdout.write(JSON.stringify(value));
const key = await patron.importKey(input.key);
"""


def doc_vector(name: str) -> dict:
    document = (ROOT / "docs" / "encryption.md").read_text()
    found = re.search(rf"<!-- vector: {re.escape(name)} -->\n```json\n(.*?)\n```", document, re.DOTALL)
    assert found, f"docs/encryption.md has no vector {name}"
    return json.loads(found[1])


def run(command: list[str], *, stdin: str = "", timeout: float = 60, env: dict | None = None) -> str:
    try:
        done = subprocess.run(
            command, input=stdin, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False
        )
    except FileNotFoundError:
        pytest.fail(f"{command[0]} is not installed; these interop tests need it")
    assert done.returncode == 0, f"{command[0]} failed ({done.returncode}):\n{done.stderr}"
    return done.stdout


def node(script: str, payload: dict[str, Any], *, timeout: float = 60) -> Any:
    """Run ``script`` with ``node -e`` (an ES module, after NODE_PRELUDE) with ``payload`` as ``input``."""
    return json.loads(run(["node", "--input-type=module", "-e", NODE_PRELUDE + script], stdin=json.dumps(payload)))


def refusal(call) -> Reason:
    with pytest.raises(PayloadRefused) as refused:
        call()
    return refused.value.reason


# A loopback HTTP server built on the gateway's payload functions, for the clients' fetch paths


class _LoopbackGateway(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.opened: list[dict[str, Any]] = []
        self.refusals: list[Reason] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _LoopbackGateway

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            if (self.headers.get("Content-Type") or "").split(";")[0].strip() == gcm.MEDIA_TYPE:
                envelope = gcm.read_envelope(body)
            else:
                envelope = gcm.read_envelope_headers(self.headers.items())
            request = gcm.open_request({KID: KEY}, self.command, self.path, envelope, now=time.time())
        except PayloadRefused as exc:
            self.server.refusals.append(exc.reason)
            self._send(400, "application/problem+json", b'{"status":400,"title":"Bad payload"}')
            return
        seen = {
            "method": self.command,
            "target": self.path,
            "body": json.loads(request.plaintext) if request.plaintext else None,
            "authorization": self.headers.get("Authorization"),
        }
        self.server.opened.append(seen)
        if self.path == "/api/v1/auth/sign-in":
            # The gateway's sign-in reply, whole (TokensPublic): the client reads it through the generated model.
            token = "token-for-" + seen["body"]["email"]
            status, reply = (
                200,
                {"access_token": token, "token_type": "bearer", "expires_in": 900, "refresh_token": "r"},
            )
        else:
            status, reply = (201 if request.plaintext else 200), seen
        # /swapped/… answers as if to another request: the client must refuse it.
        bound_to = secrets.token_bytes(12) if self.path.startswith("/swapped") else request.nonce
        sealed = gcm.seal_reply(KEY, KID, status, bound_to, json.dumps(reply).encode(), int(time.time()))
        self._send(status, gcm.MEDIA_TYPE, sealed.to_json())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


@pytest.fixture
def loopback_gateway() -> Iterator[_LoopbackGateway]:
    server = _LoopbackGateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# WebCrypto (Node.js), through clients/javascript/patron-encrypt.mjs


def test_webcrypto_reproduces_the_documented_vectors():
    request, bodiless, reply = doc_vector("gcm-request"), doc_vector("gcm-bodiless"), doc_vector("gcm-reply")
    script = """
    const r = input.request, b = input.bodiless, p = input.reply;
    const sealed = await patron.sealRequest(key, r.kid, r.method, r.target, r.plaintext, r.ts, hex(r.nonce_hex));
    const empty = await patron.sealRequest(key, b.kid, b.method, b.target, "", b.ts, hex(b.nonce_hex));
    const opened = await patron.openReply(key, p.kid, p.status, sealed.nonce, JSON.parse(p.body));
    output({ body: JSON.stringify(sealed), headers: patron.envelopeHeaders(empty), reply: text(opened) });
    """
    key = b64url_encode(bytes.fromhex(request["key_hex"]))
    result = node(script, {"key": key, "request": request, "bodiless": bodiless, "reply": reply})
    assert result == {"body": request["body"], "headers": bodiless["headers"], "reply": reply["plaintext"]}


def test_a_request_sealed_with_webcrypto_opens_and_its_reply_decrypts_there():
    target = "/api/v1/purchases?dry_run=false&note=caf%C3%A9"
    sealed = node(
        """
        const body = await patron.sealRequest(key, input.kid, "POST", input.target, input.plaintext);
        const empty = await patron.sealRequest(key, input.kid, "GET", "/api/v1/customers/42", "");
        const bodiless = patron.envelopeHeaders(empty);
        output({ body, bodiless });
        """,
        {"key": b64url_encode(KEY), "kid": KID, "target": target, "plaintext": '{"customer_id":42,"name":"Zoë"}'},
    )
    envelope = gcm.read_envelope(json.dumps(sealed["body"]).encode())
    request = gcm.open_request({KID: KEY}, "POST", target, envelope, now=time.time())
    assert request.plaintext == '{"customer_id":42,"name":"Zoë"}'.encode()
    with pytest.raises(PayloadRefused, match=r"^bad_tag$"):  # the same body moved to another path
        gcm.open_request({KID: KEY}, "POST", "/api/v1/purchases", envelope, now=time.time())
    headers = gcm.read_envelope_headers(sealed["bodiless"])
    get = gcm.open_request({KID: KEY}, "GET", "/api/v1/customers/42", headers, now=time.time())
    assert get.plaintext == b""

    reply = gcm.seal_reply(KEY, KID, 201, request.nonce, '{"purchase_id":7,"name":"Zoë"}'.encode(), int(time.time()))
    body = json.loads(reply.to_json())
    ct = b64url_decode(body["ct"])
    tampered = dict(body, ct=b64url_encode(bytes([ct[0] ^ 1]) + ct[1:]))
    result = node(
        """
        const { reply, tampered, nonce, other } = input;
        output({
          plaintext: text(await patron.openReply(key, input.kid, 201, nonce, reply)),
          anotherRequest: await refused(patron.openReply(key, input.kid, 201, other, reply)),
          anotherStatus: await refused(patron.openReply(key, input.kid, 200, nonce, reply)),
          tampered: await refused(patron.openReply(key, input.kid, 201, nonce, tampered)),
        });
        """,
        {
            "key": b64url_encode(KEY),
            "kid": KID,
            "reply": body,
            "tampered": tampered,
            "nonce": b64url_encode(request.nonce),
            "other": b64url_encode(get.nonce),
        },
    )
    assert result == {
        "plaintext": '{"purchase_id":7,"name":"Zoë"}',
        "anotherRequest": True,
        "anotherStatus": True,
        "tampered": True,
    }


def test_encrypted_fetch_in_node_calls_a_loopback_server_built_on_the_gateways_code(loopback_gateway):
    result = node(
        """
        const post = await patron.encryptedFetch(input.url + "/api/v1/purchases?store=3&note=a b", {
          key, kid: input.kid, method: "POST", body: { customer_id: 42, name: "Zoë" },
          headers: { Authorization: "Bearer t1" },
        });
        const rewards = input.url + "/api/v1/customers/42/rewards?page=2";
        const get = await patron.encryptedFetch(rewards, { key, kid: input.kid });
        const swapped = await refused(patron.encryptedFetch(input.url + "/swapped/1", { key, kid: input.kid }));
        output({ post, get, swapped });
        """,
        {"key": b64url_encode(KEY), "kid": KID, "url": loopback_gateway.url},
    )
    assert result["post"] == {
        "status": 201,
        "encrypted": True,
        "body": {
            "method": "POST",
            "target": "/api/v1/purchases?store=3&note=a%20b",
            "body": {"customer_id": 42, "name": "Zoë"},
            "authorization": "Bearer t1",
        },
    }
    assert result["get"]["status"] == 200 and result["get"]["encrypted"]
    assert result["get"]["body"]["target"] == "/api/v1/customers/42/rewards?page=2"
    assert result["get"]["body"]["body"] is None
    assert result["swapped"] is True
    assert loopback_gateway.refusals == []


# Python's cryptography package (AESGCM), through clients/python/patron_client.py


@pytest.fixture(scope="module")
def patron_client() -> ModuleType:
    # It imports the generated client, patron_api, which sits beside it (as it does once installed).
    if str(ROOT / "clients" / "python") not in sys.path:
        sys.path.append(str(ROOT / "clients" / "python"))
    spec = importlib.util.spec_from_file_location("patron_client", ROOT / "clients" / "python" / "patron_client.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    assert "AESGCM" in vars(module), "the Python client must use cryptography's AESGCM, not pycryptodome"
    return module


def test_cryptography_reproduces_the_documented_vectors(patron_client):
    request, bodiless, reply = doc_vector("gcm-request"), doc_vector("gcm-bodiless"), doc_vector("gcm-reply")
    key = bytes.fromhex(request["key_hex"])
    sealed = patron_client.seal_request(
        key,
        request["kid"],
        request["method"],
        request["target"],
        request["plaintext"].encode(),
        ts=request["ts"],
        nonce=bytes.fromhex(request["nonce_hex"]),
    )
    assert json.dumps(sealed, separators=(",", ":")) == request["body"]
    empty = patron_client.seal_request(
        key,
        bodiless["kid"],
        bodiless["method"],
        bodiless["target"],
        b"",
        ts=bodiless["ts"],
        nonce=bytes.fromhex(bodiless["nonce_hex"]),
    )
    assert patron_client.envelope_headers(empty) == bodiless["headers"]
    opened = patron_client.open_reply(key, reply["kid"], reply["status"], sealed["nonce"], json.loads(reply["body"]))
    assert opened == reply["plaintext"].encode()


def test_a_request_sealed_with_cryptography_opens_and_its_reply_decrypts_there(patron_client):
    sealed = patron_client.seal_request(KEY, KID, "PUT", "/api/v1/customers/42", b'{"name":"Zo\xc3\xab"}')
    request = gcm.open_request(
        {KID: KEY}, "PUT", "/api/v1/customers/42", gcm.read_envelope(json.dumps(sealed).encode()), now=time.time()
    )
    assert request.plaintext == b'{"name":"Zo\xc3\xab"}'
    reply = json.loads(gcm.seal_reply(KEY, KID, 200, request.nonce, b'{"id":42}', int(time.time())).to_json())
    assert patron_client.open_reply(KEY, KID, 200, sealed["nonce"], reply) == b'{"id":42}'
    other = patron_client.seal_request(KEY, KID, "PUT", "/api/v1/customers/42", b"{}")["nonce"]
    for attempt in (
        lambda: patron_client.open_reply(KEY, KID, 200, other, reply),
        lambda: patron_client.open_reply(KEY, KID, 500, sealed["nonce"], reply),
        lambda: patron_client.open_reply(bytes(32), KID, 200, sealed["nonce"], reply),
        lambda: patron_client.open_reply(KEY, "another", 200, sealed["nonce"], reply),
    ):
        with pytest.raises(patron_client.ReplyRefused):
            attempt()


def test_the_python_client_signs_in_and_calls_a_loopback_server_built_on_the_gateways_code(
    patron_client, loopback_gateway
):
    http = httpx2.Client(base_url=loopback_gateway.url, trust_env=False, timeout=30)
    with patron_client.PatronClient(loopback_gateway.url, kid=KID, key=b64url_encode(KEY), http=http) as client:
        assert client.sign_in("clerk@example.com", "s3cret pass") == "token-for-clerk@example.com"
        created = client.request("POST", "/api/v1/purchases", json={"customer_id": 42}, params={"note": "a b/ü"})
        read = client.request("GET", "/api/v1/customers/42")
        with pytest.raises(patron_client.ReplyRefused):
            client.request("GET", "/swapped/1")
    assert loopback_gateway.opened[0]["body"] == {"email": "clerk@example.com", "password": "s3cret pass"}
    assert created.status == 201 and created.encrypted
    assert created.body["body"] == {"customer_id": 42}
    assert created.body["target"] == "/api/v1/purchases?note=a+b%2F%C3%BC"
    assert created.body["authorization"] == "Bearer token-for-clerk@example.com"
    assert read.status == 200 and read.body["body"] is None and read.body["method"] == "GET"
    assert loopback_gateway.refusals == []


# The legacy scheme against the openssl tool


OPENSSL_ENC = ["openssl", "enc", "-aes-256-cbc", "-md", "md5"]


@pytest.mark.parametrize("plaintext", PLAINTEXTS)
def test_a_body_made_by_openssl_enc_decrypts_with_the_legacy_scheme(plaintext):
    text = run([*OPENSSL_ENC, "-salt", "-base64", "-A", "-pass", f"pass:{PASSPHRASE}"], stdin=plaintext)
    assert base64.b64decode(text).startswith(b"Salted__")
    assert legacy.decrypt(PASSPHRASE, text) == plaintext.encode()


def test_a_body_made_by_openssl_enc_with_line_breaks_decrypts_too():
    plaintext = json.dumps({"lines": list(range(100))})
    text = run([*OPENSSL_ENC, "-salt", "-base64", "-pass", f"pass:{PASSPHRASE}"], stdin=plaintext)
    assert "\n" in text.strip()
    assert legacy.decrypt(PASSPHRASE, text) == plaintext.encode()


@pytest.mark.parametrize("plaintext", PLAINTEXTS)
def test_a_legacy_reply_decrypts_with_openssl_enc_d(plaintext):
    text = legacy.encrypt(PASSPHRASE, plaintext.encode())
    assert run([*OPENSSL_ENC, "-d", "-base64", "-A", "-pass", f"pass:{PASSPHRASE}"], stdin=text) == plaintext


def test_openssl_with_the_documented_salt_gives_the_documented_ciphertext():
    vector = doc_vector("legacy")
    printed = run(
        [*OPENSSL_ENC, "-S", vector["salt_hex"], "-base64", "-A", "-pass", f"pass:{vector['passphrase']}", "-p"],
        stdin=vector["plaintext"],
    )
    derived = dict(re.findall(r"^(key|iv)\s*=\s*([0-9A-Fa-f]+)$", printed, re.MULTILINE))
    assert derived == {"key": vector["key_hex"].upper(), "iv": vector["iv_hex"].upper()}
    ours = base64.b64decode(vector["text"])[16:]
    theirs = base64.b64decode(printed.splitlines()[-1])
    assert theirs.endswith(ours)  # OpenSSL 3 leaves the Salted__ header out when the salt is given with -S


def test_an_openssl_body_whose_padding_was_tampered_with_is_refused():
    plaintext = '{"customer_id":42,"p":1}'  # 24 bytes: two blocks, the second ends in eight padding bytes 0x08
    text = run([*OPENSSL_ENC, "-salt", "-base64", "-A", "-pass", f"pass:{PASSPHRASE}"], stdin=plaintext)
    raw = bytearray(base64.b64decode(text))
    assert len(raw) == 16 + 32
    raw[16 + 15] ^= 0x01  # the first block's last byte: the last padding byte turns 0x09
    assert refusal(lambda: legacy.decrypt(PASSPHRASE, base64.b64encode(bytes(raw)))) == Reason.BAD_PADDING


# The legacy scheme against crypto-js, as the original mobile clients used it


@pytest.fixture(scope="session")
def crypto_js(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """crypto-js, pinned, installed once into the pytest cache (a tmp folder without one). Fails without npm."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir(f"crypto-js-{CRYPTO_JS_VERSION}") if cache else tmp_path_factory.mktemp("crypto-js")
    manifest = folder / "node_modules" / "crypto-js" / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text())["version"] != CRYPTO_JS_VERSION:
        command = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(folder)]
        try:
            done = subprocess.run(
                [*command, f"crypto-js@{CRYPTO_JS_VERSION}"], capture_output=True, text=True, timeout=300, check=False
            )
        except (FileNotFoundError, subprocess.TimeoutExpired) as exc:
            pytest.fail(f"could not install crypto-js@{CRYPTO_JS_VERSION} with npm: {exc}")
        if done.returncode != 0:
            pytest.fail(f"npm could not install crypto-js@{CRYPTO_JS_VERSION}:\n{done.stdout}\n{done.stderr}")
    assert json.loads(manifest.read_text())["version"] == CRYPTO_JS_VERSION
    return folder


CRYPTO_JS_PRELUDE = """
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const input = JSON.parse(readFileSync(0, "utf8"));
const CryptoJS = createRequire(input.folder + "/")("crypto-js");
const output = (value) => process.stdout.write(JSON.stringify(value));
"""


def crypto_js_run(folder: Path, script: str, payload: dict[str, Any]) -> Any:
    command = ["node", "--input-type=module", "-e", CRYPTO_JS_PRELUDE + script]
    return json.loads(run(command, stdin=json.dumps({"folder": str(folder), **payload})))


def test_bodies_made_by_crypto_js_decrypt_with_the_legacy_scheme(crypto_js):
    texts = crypto_js_run(
        crypto_js,
        "output(input.plaintexts.map((p) => CryptoJS.AES.encrypt(p, input.passphrase).toString()));",
        {"plaintexts": PLAINTEXTS, "passphrase": PASSPHRASE},
    )
    assert len(set(texts)) == len(PLAINTEXTS)
    for plaintext, text in zip(PLAINTEXTS, texts, strict=True):
        assert legacy.decrypt(PASSPHRASE, text) == plaintext.encode()


def test_legacy_replies_decrypt_with_crypto_js(crypto_js):
    texts = [legacy.encrypt(PASSPHRASE, plaintext.encode()) for plaintext in PLAINTEXTS]
    decrypted = crypto_js_run(
        crypto_js,
        "output(input.texts.map((t) => CryptoJS.AES.decrypt(t, input.passphrase).toString(CryptoJS.enc.Utf8)));",
        {"texts": texts, "passphrase": PASSPHRASE},
    )
    assert decrypted == PLAINTEXTS


def test_crypto_js_with_the_documented_salt_gives_the_documented_text(crypto_js):
    vector = doc_vector("legacy")
    result = crypto_js_run(
        crypto_js,
        """
        const salt = CryptoJS.enc.Hex.parse(input.salt_hex);
        const derived = CryptoJS.kdf.OpenSSL.execute(input.passphrase, 256 / 32, 128 / 32, salt);
        const sealed = CryptoJS.AES.encrypt(input.plaintext, derived.key, { iv: derived.iv });
        const params = CryptoJS.lib.CipherParams.create({ ciphertext: sealed.ciphertext, salt });
        const text = CryptoJS.format.OpenSSL.stringify(params);
        output({ key: derived.key.toString(), iv: derived.iv.toString(), text });
        """,
        vector,
    )
    assert result == {"key": vector["key_hex"], "iv": vector["iv_hex"], "text": vector["text"]}
