"""Encrypted payloads through real gateway apps (two processes on one database) and a real customer process:
client keys made by the admin, sign-in and purchases sealed end to end, the one 400 for every failure,
``Idempotency-Key`` on the decrypted body, rotation and retirement.
"""

import asyncio
import base64
import json
import time
import uuid

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.payloads import gcm, legacy, replay
from gateway.payloads.middleware import LEGACY_MEDIA_TYPE
from gateway.payloads.refusal import b64url_decode, b64url_encode
from services.kit.db import async_url
from tests.gateway.test_staff import ADMIN, _until, gateway, gateways  # noqa: F401 - fixtures
from tests.support.accounts import STAFF_PASSWORD

PURCHASES = "/api/v1/purchases"


@pytest.fixture
async def admin(gateway):  # noqa: F811
    response = await gateway.post("/api/v1/auth/sign-in", json={"email": ADMIN, "password": STAFF_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def product(gateway, admin):  # noqa: F811
    body = {"sku": "ENC-1", "name": "Sealed lamp", "unit_cost": "1.00", "unit_price": "2.50", "track_stock": False}
    response = await gateway.post("/api/v1/products", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


async def make_key(gateway, admin, client="ios-app", scheme="gcm") -> dict:  # noqa: F811
    response = await gateway.post("/api/v1/client-keys", json={"client": client, "scheme": scheme}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


def secret_of(created: dict) -> bytes:
    return b64url_decode(created["secret"])


def purchase_body(product: dict) -> bytes:
    return json.dumps({"lines": [{"product_id": product["id"], "quantity": 2}]}).encode()


def sealed(created: dict, method: str, target: str, plaintext: bytes, *, ts: int | None = None) -> gcm.Envelope:
    now = int(time.time()) if ts is None else ts
    return gcm.seal_request(secret_of(created), created["kid"], method, target, plaintext, now)


async def send(client, method, target, envelope: gcm.Envelope, headers=None, body: bytes | None = None):
    sent = {"Content-Type": gcm.MEDIA_TYPE, **(headers or {})}
    return await client.request(method, target, content=envelope.to_json() if body is None else body, headers=sent)


def opened(created: dict, response, envelope: gcm.Envelope) -> dict | None:
    assert response.headers["content-type"] == gcm.MEDIA_TYPE, response.text
    plaintext = gcm.open_reply(
        secret_of(created), created["kid"], response.status_code, envelope.nonce, response.content
    )
    return json.loads(plaintext) if plaintext else None


async def purchases(db) -> int:
    return await db.fetchval("SELECT count(*) FROM customer.purchase")


def refusal_of(response) -> dict:
    """The one refusal: 400, in the clear, the same body whatever the reason (its request id aside)."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["request_id"] == response.headers["x-request-id"]
    assert "instance" not in body
    return {name: value for name, value in body.items() if name != "request_id"}


async def test_an_admin_makes_a_key_shown_once_and_stored_wrapped(gateway, admin, db):  # noqa: F811
    created = await make_key(gateway, admin)
    assert created["client"] == "ios-app" and created["scheme"] == "gcm" and created["status"] == "active"
    assert len(secret_of(created)) == 32 and created["kid"].startswith("ck_")
    stored = await db.fetchrow("SELECT * FROM gateway.client_key WHERE id = $1", created["id"])
    assert secret_of(created) not in bytes(stored["wrapped_secret"]) and created["secret"] not in str(dict(stored))
    listed = (await gateway.get("/api/v1/client-keys", headers=admin)).json()["items"]
    assert [(item["kid"], item["status"]) for item in listed] == [(created["kid"], "active")]
    assert all("secret" not in item for item in listed)
    read = (await gateway.get(f"/api/v1/client-keys/{created['id']}", headers=admin)).json()
    assert "secret" not in read and read["kid"] == created["kid"]
    passphrase = await make_key(gateway, admin, client="old-android", scheme="legacy")
    assert passphrase["scheme"] == "legacy" and len(passphrase["secret"]) >= 43
    assert (await gateway.get("/api/v1/client-keys/999", headers=admin)).status_code == 404
    assert (await gateway.get("/api/v1/client-keys")).status_code == 401
    refused = await gateway.post("/api/v1/client-keys", json={"client": "x", "scheme": "rot13"}, headers=admin)
    assert refused.status_code == 422


async def test_sign_in_and_a_purchase_travel_sealed_and_their_replies_come_back_sealed(
    gateway,  # noqa: F811
    admin,
    product,
    db,
):
    key = await make_key(gateway, admin)
    credentials = json.dumps({"email": ADMIN, "password": STAFF_PASSWORD}).encode()
    envelope = sealed(key, "POST", "/api/v1/auth/sign-in", credentials)
    response = await send(gateway, "POST", "/api/v1/auth/sign-in", envelope)
    assert response.status_code == 200 and response.headers["x-patron-content-type"] == "application/json"
    token = opened(key, response, envelope)["access_token"]
    assert STAFF_PASSWORD.encode() not in envelope.to_json()

    bearer = {"Authorization": f"Bearer {token}"}
    envelope = sealed(key, "POST", PURCHASES, purchase_body(product))
    response = await send(gateway, "POST", PURCHASES, envelope, bearer)
    assert response.status_code == 201, response.text
    recorded = opened(key, response, envelope)
    assert recorded["lines"][0]["product_id"] == product["id"] and await purchases(db) == 1

    # A bodiless GET asks for its reply sealed with the envelope headers.
    target = f"{PURCHASES}/{recorded['id']}"
    envelope = sealed(key, "GET", target, b"")
    response = await gateway.get(target, headers=bearer | envelope.to_headers())
    assert response.status_code == 200 and opened(key, response, envelope)["id"] == recorded["id"]

    # Problems come back sealed: validation, a missing token, another's 404.
    envelope = sealed(key, "POST", PURCHASES, b'{"lines":[]}')
    response = await send(gateway, "POST", PURCHASES, envelope, bearer)
    assert response.status_code == 422 and response.headers["x-patron-content-type"] == "application/problem+json"
    assert opened(key, response, envelope)["type"].endswith("/validation")
    envelope = sealed(key, "POST", PURCHASES, purchase_body(product))
    response = await send(gateway, "POST", PURCHASES, envelope)
    assert response.status_code == 401 and opened(key, response, envelope)["status"] == 401
    assert await purchases(db) == 1

    # A plain 204 (sign-out) becomes a sealed 200 of the empty plaintext.
    refresh = json.dumps({"refresh_token": "not-a-token"}).encode()
    envelope = sealed(key, "POST", "/api/v1/auth/sign-out", refresh)
    response = await send(gateway, "POST", "/api/v1/auth/sign-out", envelope)
    if response.status_code == 200:
        assert opened(key, response, envelope) is None
    else:  # an unknown refresh token may be refused: still sealed
        assert opened(key, response, envelope)["status"] == response.status_code

    # A plain request is untouched.
    plain = await gateway.post(PURCHASES, json=json.loads(purchase_body(product)), headers=bearer)
    assert plain.status_code == 201 and plain.headers["content-type"] == "application/json"


def _tamper(envelope: gcm.Envelope, part: str) -> bytes:
    document = json.loads(envelope.to_json())
    if part in ("nonce", "ct", "tag"):
        raw = bytearray(b64url_decode(document["ct" if part == "tag" else part]))
        raw[-1 if part == "tag" else 0] ^= 0x01
        document["ct" if part == "tag" else part] = b64url_encode(bytes(raw))
    elif part == "ts":
        document["ts"] += 1  # associated data: the time
    elif part == "kid":
        document["kid"] = document["kid"] + "x"
    elif part == "base64":
        document["ct"] = document["ct"][:-1] + "!"
    elif part == "json":
        return envelope.to_json()[:-1]
    return json.dumps(document).encode()


async def test_every_failure_gets_the_same_400_and_records_nothing(gateways, admin, product, db):  # noqa: F811
    here, other = gateways
    key = await make_key(here, admin)
    bearer = admin
    body = purchase_body(product)
    refusals: list[tuple[str, dict]] = []

    for part in ("nonce", "ct", "tag", "ts", "kid", "base64", "json"):
        envelope = sealed(key, "POST", PURCHASES, body)
        response = await send(here, "POST", PURCHASES, envelope, bearer, body=_tamper(envelope, part))
        refusals.append((part, refusal_of(response)))

    envelope = sealed(key, "POST", PURCHASES, body)
    moved = await send(here, "POST", f"{PURCHASES}?store=1", envelope, bearer)  # on another path
    refusals.append(("another path", refusal_of(moved)))
    stale = sealed(key, "POST", PURCHASES, body, ts=int(time.time()) - 301)
    refusals.append(("old", refusal_of(await send(here, "POST", PURCHASES, stale, bearer))))
    future = sealed(key, "POST", PURCHASES, body, ts=int(time.time()) + 301)
    refusals.append(("future", refusal_of(await send(here, "POST", PURCHASES, future, bearer))))
    not_json = sealed(key, "POST", PURCHASES, b"{not json")
    refusals.append(("plaintext", refusal_of(await send(here, "POST", PURCHASES, not_json, bearer))))
    empty = sealed(key, "POST", PURCHASES, b"")  # headers of a bodiless request, but a plain body beside them
    wrong_type = await here.post(PURCHASES, content=body, headers=bearer | empty.to_headers())
    refusals.append(("media type", refusal_of(wrong_type)))
    assert await purchases(db) == 0

    first = sealed(key, "POST", PURCHASES, body)
    assert (await send(here, "POST", PURCHASES, first, bearer)).status_code == 201
    refusals.append(("replay", refusal_of(await send(here, "POST", PURCHASES, first, bearer))))
    refusals.append(("replay elsewhere", refusal_of(await send(other, "POST", PURCHASES, first, bearer))))
    assert await purchases(db) == 1

    retired = await here.post(f"/api/v1/client-keys/{key['id']}/retire", headers=admin)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    after = sealed(key, "POST", PURCHASES, body)
    refusals.append(("retired", refusal_of(await send(here, "POST", PURCHASES, after, bearer))))
    assert await purchases(db) == 1

    bodies = {json.dumps(body, sort_keys=True) for _, body in refusals}
    assert len(bodies) == 1, refusals
    metrics = (await here.get("/metrics")).text
    for reason in ("bad_tag", "unknown_key", "bad_base64", "bad_json", "out_of_window", "replayed", "wrong_media_type"):
        assert f'patron_gateway_payload_refusals_total{{reason="{reason}"}}' in metrics, reason


async def test_a_retry_sealed_again_with_a_fresh_nonce_replays_the_first_answer(gateway, admin, product, db):  # noqa: F811
    key = await make_key(gateway, admin)
    headers = admin | {"Idempotency-Key": str(uuid.uuid4())}
    first = sealed(key, "POST", PURCHASES, purchase_body(product))
    answered = await send(gateway, "POST", PURCHASES, first, headers)
    retry = sealed(key, "POST", PURCHASES, purchase_body(product))
    assert retry.nonce != first.nonce
    again = await send(gateway, "POST", PURCHASES, retry, headers)
    assert answered.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert opened(key, again, retry) == opened(key, answered, first)
    assert await purchases(db) == 1
    other = sealed(
        key, "POST", PURCHASES, json.dumps({"lines": [{"product_id": product["id"], "quantity": 5}]}).encode()
    )
    conflict = await send(gateway, "POST", PURCHASES, other, headers)
    assert conflict.status_code == 422 and opened(key, conflict, other)["status"] == 422
    assert await purchases(db) == 1


async def test_rotation_keeps_two_keys_working_and_a_retired_one_stops_at_once(gateways, admin, product):  # noqa: F811
    here, there = gateways
    old = await make_key(here, admin, client="android-app")
    rotated = await here.post(f"/api/v1/client-keys/{old['id']}/rotate", headers=admin)
    assert rotated.status_code == 201, rotated.text
    new = rotated.json()
    assert new["client"] == "android-app" and new["kid"] != old["kid"] and new["secret"] != old["secret"]
    third = await here.post(f"/api/v1/client-keys/{new['id']}/rotate", headers=admin)
    assert third.status_code == 409 and third.headers["content-type"] == "application/problem+json"
    assert (await here.post("/api/v1/client-keys", json={"client": "android-app"}, headers=admin)).status_code == 409

    async def works(client, key) -> bool:
        envelope = sealed(key, "POST", PURCHASES, purchase_body(product))
        response = await send(client, "POST", PURCHASES, envelope, admin)
        return response.status_code == 201 and opened(key, response, envelope)["id"] > 0

    assert await works(here, old) and await works(here, new)

    async def both_there() -> bool:
        return await works(there, old) and await works(there, new)

    assert await _until(both_there)
    assert (await here.post(f"/api/v1/client-keys/{old['id']}/retire", headers=admin)).status_code == 200
    envelope = sealed(old, "POST", PURCHASES, purchase_body(product))
    refusal_of(await send(here, "POST", PURCHASES, envelope, admin))  # at once where it was retired
    assert await works(here, new)

    async def refused_there() -> bool:
        envelope = sealed(old, "POST", PURCHASES, purchase_body(product))
        return (await send(there, "POST", PURCHASES, envelope, admin)).status_code == 400

    assert await _until(refused_there)
    assert (await here.post(f"/api/v1/client-keys/{new['id']}/rotate", headers=admin)).status_code == 201


async def test_a_legacy_client_sends_and_reads_the_cryptojs_format(gateway, admin, product, db):  # noqa: F811
    key = await make_key(gateway, admin, client="old-android", scheme="legacy")
    passphrase = key["secret"]
    headers = admin | {"Content-Type": LEGACY_MEDIA_TYPE, "X-Patron-Key-Id": key["kid"]}
    text = legacy.encrypt(passphrase, purchase_body(product))
    response = await gateway.post(PURCHASES, content=text, headers=headers)
    assert response.status_code == 201 and response.headers["content-type"] == LEGACY_MEDIA_TYPE
    assert response.headers["x-patron-key-id"] == key["kid"]
    recorded = json.loads(legacy.decrypt(passphrase, response.text))
    assert recorded["lines"][0]["quantity"] == 2

    bodiless = await gateway.get(f"{PURCHASES}/{recorded['id']}", headers=admin | {"X-Patron-Key-Id": key["kid"]})
    assert bodiless.status_code == 200 and json.loads(legacy.decrypt(passphrase, bodiless.text))["id"] == recorded["id"]

    raw = bytearray(base64.b64decode(text))
    raw[-17] ^= 0x01  # the last block's padding comes out wrong
    bad_padding = await gateway.post(PURCHASES, content=base64.b64encode(bytes(raw)), headers=headers)
    gcm_key = await make_key(gateway, admin, client="ios-app")
    wrong_scheme = await gateway.post(PURCHASES, content=text, headers=headers | {"X-Patron-Key-Id": gcm_key["kid"]})
    not_base64 = await gateway.post(PURCHASES, content="%%%", headers=headers)
    bodies = {json.dumps(refusal_of(r), sort_keys=True) for r in (bad_padding, wrong_scheme, not_base64)}
    assert len(bodies) == 1
    assert await purchases(db) == 1


async def test_one_envelope_sent_many_times_at_once_to_two_processes_is_recorded_once(gateways, admin, product, db):  # noqa: F811
    here, there = gateways
    key = await make_key(here, admin)

    async def known_there() -> bool:
        probe = sealed(key, "POST", PURCHASES, b'{"lines":[]}')
        return (await send(there, "POST", PURCHASES, probe, admin)).status_code == 422

    assert await _until(known_there)
    envelope = sealed(key, "POST", PURCHASES, purchase_body(product))
    sends = [send(client, "POST", PURCHASES, envelope, admin) for client in (here, there, here, there, here, there)]
    statuses = sorted(response.status_code for response in await asyncio.gather(*sends))
    assert statuses == [201, 400, 400, 400, 400, 400]
    assert await purchases(db) == 1


async def test_nonces_whose_time_left_the_window_are_purged(database_url, db):
    now = int(time.time())
    rows = [("k1", b"a" * 12, now - 400), ("k1", b"b" * 12, now - 10), ("k2", b"c" * 12, now + 250)]
    await db.executemany("INSERT INTO gateway.payload_nonce (kid, nonce, ts) VALUES ($1, $2, $3)", rows)
    engine = create_async_engine(async_url(database_url), poolclass=NullPool)
    try:
        assert await replay.purge(engine, window_seconds=300) == 1
        assert await replay.purge(engine, window_seconds=300) == 0
    finally:
        await engine.dispose()
    kept = await db.fetch("SELECT kid, nonce FROM gateway.payload_nonce ORDER BY kid, nonce")
    assert [(row["kid"], bytes(row["nonce"])) for row in kept] == [("k1", b"b" * 12), ("k2", b"c" * 12)]
