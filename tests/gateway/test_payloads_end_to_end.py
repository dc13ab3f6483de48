"""Encrypted payloads through the whole system on loopback, with clients built on other libraries: WebCrypto
in Node.js (clients/javascript/patron-encrypt.mjs), Python's ``cryptography`` (clients/python/patron_client.py),
and for the legacy scheme the ``openssl`` tool and the ``crypto-js`` npm package. Each signs in or records
a purchase sealed, and reads the gateway's sealed reply with its own code.
"""

import json

import httpx2
import pytest

from gateway.payloads.middleware import LEGACY_MEDIA_TYPE
from tests.gateway.conftest import STACK_ADMIN
from tests.gateway.test_payloads_interop import (  # noqa: F401 - fixtures
    OPENSSL_ENC,
    crypto_js,
    crypto_js_run,
    node,
    patron_client,
    run,
)
from tests.support.accounts import STAFF_PASSWORD, bearer


@pytest.fixture
def admin_http(stack):
    with httpx2.Client(base_url=stack["gateway"], headers=bearer(stack["token"]), trust_env=False, timeout=30) as http:
        yield http


@pytest.fixture
def product(admin_http) -> dict:
    body = {"sku": "E2E-1", "name": "Sealed kettle", "unit_cost": "2.00", "unit_price": "7.00", "track_stock": False}
    response = admin_http.post("/api/v1/products", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def client_key(admin_http, client: str, scheme: str = "gcm") -> dict:
    response = admin_http.post("/api/v1/client-keys", json={"client": client, "scheme": scheme})
    assert response.status_code == 201, response.text
    return response.json()


def purchase_of(product: dict, quantity: int = 3) -> dict:
    return {"lines": [{"product_id": product["id"], "quantity": quantity}]}


def test_a_node_client_on_webcrypto_signs_in_and_records_a_purchase_sealed(stack, admin_http, product):
    key = client_key(admin_http, "web-shop")
    result = node(
        """
        const base = input.url, kid = input.kid;
        const signedIn = await patron.encryptedFetch(base + "/api/v1/auth/sign-in", {
          key, kid, method: "POST", body: { email: input.email, password: input.password },
        });
        const auth = { Authorization: `Bearer ${signedIn.body.access_token}` };
        const purchase = await patron.encryptedFetch(base + "/api/v1/purchases", {
          key, kid, method: "POST", body: input.purchase, headers: { ...auth, "Idempotency-Key": crypto.randomUUID() },
        });
        const url = base + "/api/v1/purchases/" + purchase.body.id;
        const read = await patron.encryptedFetch(url, { key, kid, headers: auth });
        output({ signedIn: [signedIn.status, signedIn.encrypted], purchase, read });
        """,
        {
            "key": key["secret"],
            "kid": key["kid"],
            "url": stack["gateway"],
            "email": STACK_ADMIN,
            "password": STAFF_PASSWORD,
            "purchase": purchase_of(product),
        },
    )
    assert result["signedIn"] == [200, True]
    assert result["purchase"]["status"] == 201 and result["purchase"]["encrypted"]
    assert result["purchase"]["body"]["lines"][0]["quantity"] == 3
    assert result["read"]["status"] == 200 and result["read"]["encrypted"]
    assert result["read"]["body"]["id"] == result["purchase"]["body"]["id"]


def test_the_python_client_on_cryptography_signs_in_and_records_a_purchase_sealed(
    stack,
    admin_http,
    product,
    patron_client,  # noqa: F811
):
    key = client_key(admin_http, "partner-till")
    http = httpx2.Client(base_url=stack["gateway"], trust_env=False, timeout=30)
    with patron_client.PatronClient(stack["gateway"], kid=key["kid"], key=key["secret"], http=http) as client:
        client.sign_in(STACK_ADMIN, STAFF_PASSWORD)
        recorded = client.request("POST", "/api/v1/purchases", json=purchase_of(product, 4))
        read = client.request("GET", f"/api/v1/purchases/{recorded.body['id']}")
        missing = client.request("GET", "/api/v1/purchases/999999")
    assert recorded.status == 201 and recorded.encrypted and recorded.body["lines"][0]["quantity"] == 4
    assert read.status == 200 and read.encrypted and read.body["id"] == recorded.body["id"]
    assert missing.status == 404 and missing.encrypted and missing.body["status"] == 404
    listed = admin_http.get("/api/v1/purchases").json()["items"]
    assert [item["id"] for item in listed] == [recorded.body["id"]]


def test_legacy_bodies_from_openssl_and_crypto_js_are_recorded_and_their_replies_decrypt_there(
    stack,
    admin_http,
    product,
    crypto_js,  # noqa: F811
):
    key = client_key(admin_http, "old-android", "legacy")
    passphrase = key["secret"]
    headers = {"Content-Type": LEGACY_MEDIA_TYPE, "X-Patron-Key-Id": key["kid"]}

    text = run(
        [*OPENSSL_ENC, "-salt", "-base64", "-A", "-pass", f"pass:{passphrase}"],
        stdin=json.dumps(purchase_of(product, 5)),
    )
    response = admin_http.post("/api/v1/purchases", content=text, headers=headers)
    assert response.status_code == 201 and response.headers["content-type"] == LEGACY_MEDIA_TYPE
    reply = run([*OPENSSL_ENC, "-d", "-base64", "-A", "-pass", f"pass:{passphrase}"], stdin=response.text)
    by_openssl = json.loads(reply)
    assert by_openssl["lines"][0]["quantity"] == 5

    sealed = crypto_js_run(
        crypto_js,
        "output(CryptoJS.AES.encrypt(JSON.stringify(input.purchase), input.passphrase).toString());",
        {"purchase": purchase_of(product, 6), "passphrase": passphrase},
    )
    response = admin_http.post("/api/v1/purchases", content=sealed, headers=headers)
    assert response.status_code == 201, response.text
    opened = crypto_js_run(
        crypto_js,
        "output(JSON.parse(CryptoJS.AES.decrypt(input.text, input.passphrase).toString(CryptoJS.enc.Utf8)));",
        {"text": response.text, "passphrase": passphrase},
    )
    assert opened["lines"][0]["quantity"] == 6 and opened["id"] != by_openssl["id"]

    tampered = text[:-8] + ("A" if text[-8] != "A" else "B") + text[-7:]
    refused = admin_http.post("/api/v1/purchases", content=tampered, headers=headers)  # the last block garbled
    assert refused.status_code == 400 and refused.headers["content-type"] == "application/problem+json"
    assert len(admin_http.get("/api/v1/purchases").json()["items"]) == 2
