"""The internal principal: signed by the gateway, checked on every non-health route of a service."""

import re
import time

import jwt
import pytest
from fastapi.routing import iter_route_contexts

from services.kit.errors import Unauthorized
from services.kit.principal import (
    PRINCIPAL_HEADER,
    Channel,
    Principal,
    PrincipalKind,
    principal_headers,
    sign_principal,
    verify_principal,
)
from tests.conftest import TEST_SECRET
from tests.support.problems import assert_problem, snapshot

# Long enough for HS512 too (RFC 7518 §3.2), which one refused token below is signed with.
SECRET = "unit-test-secret-" + "0123456789abcdef" * 3
SHOPPER = Principal(kind=PrincipalKind.CUSTOMER, subject="customer:7", customer_id=7, scopes=["purchases:write"])
# Open on purpose: probes and the Prometheus scrape; everything else, the service's contract included, needs a
# principal (the public contract and its docs page are the gateway's).
OPEN_PATHS = {"/health/live", "/health/ready", "/metrics"}


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": "patron",
        "aud": "patron-services",
        "iat": now,
        "exp": now + 60,
        "principal": SHOPPER.model_dump(mode="json"),
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def test_a_signed_principal_verifies_to_itself() -> None:
    token = sign_principal(SHOPPER, secret=SECRET)
    assert verify_principal(token, secret=SECRET) == SHOPPER


def test_principal_headers_carry_a_verifiable_token() -> None:
    headers = principal_headers(SHOPPER, secret=SECRET)
    assert list(headers) == [PRINCIPAL_HEADER]
    assert verify_principal(headers[PRINCIPAL_HEADER], secret=SECRET) == SHOPPER


def test_the_token_lives_for_the_ttl() -> None:
    claims = jwt.decode(
        sign_principal(SHOPPER, secret=SECRET, ttl_seconds=90), SECRET, algorithms=["HS256"], audience="patron-services"
    )
    assert claims["exp"] - claims["iat"] == 90


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(sign_principal(SHOPPER, secret=SECRET, ttl_seconds=-30), id="expired"),
        pytest.param(sign_principal(SHOPPER, secret="another-secret-0123456789abcdef0123"), id="wrong-secret"),
        pytest.param("garbage", id="garbage"),
        pytest.param("", id="empty"),
        pytest.param("a.b.c", id="three-garbage-parts"),
        pytest.param(jwt.encode(_claims(), key=None, algorithm="none"), id="unsigned"),
        pytest.param(jwt.encode(_claims(aud="elsewhere"), SECRET, algorithm="HS256"), id="wrong-audience"),
        pytest.param(jwt.encode(_claims(iss="someone"), SECRET, algorithm="HS256"), id="wrong-issuer"),
        pytest.param(jwt.encode(_claims(exp=None), SECRET, algorithm="HS256"), id="no-expiry"),
        pytest.param(jwt.encode(_claims(principal=None), SECRET, algorithm="HS256"), id="no-principal"),
        pytest.param(jwt.encode(_claims(principal={"kind": "robot", "subject": "x"}), SECRET), id="unknown-kind"),
        pytest.param(jwt.encode(_claims(principal={"kind": "staff", "subject": ""}), SECRET), id="empty-subject"),
        pytest.param(jwt.encode(_claims(principal="staff"), SECRET, algorithm="HS256"), id="principal-not-object"),
        pytest.param(jwt.encode(_claims(), SECRET, algorithm="HS512"), id="other-algorithm"),
    ],
)
def test_invalid_tokens_are_unauthorized(token: str) -> None:
    with pytest.raises(Unauthorized) as refused:
        verify_principal(token, secret=SECRET)
    assert refused.value.status == 401
    assert refused.value.headers == {"WWW-Authenticate": "Patron"}


def test_channel_is_self_only_for_a_customer() -> None:
    assert SHOPPER.channel is Channel.SELF
    assert SHOPPER.channel == "self"
    for kind in (PrincipalKind.STAFF, PrincipalKind.PARTNER, PrincipalKind.SERVICE):
        principal = Principal(kind=kind, subject=f"{kind}:1")
        assert principal.channel is Channel.ASSISTED
        assert principal.channel == "assisted"


def _guarded_requests(app: object) -> list[tuple[str, str]]:
    """Every method and path of every route (included routers flattened), path parameters filled with 1."""
    requests = []
    for route in iter_route_contexts(app.routes):  # type: ignore[attr-defined]
        if route.path in OPEN_PATHS:
            continue
        path = route.path
        for name in route.param_convertors:
            path = re.sub(r"\{" + name + r"(:[a-z_]+)?\}", "1", path)
        requests += [(method, path) for method in sorted(route.methods or ())]
    return requests


def test_the_customer_app_has_routes_to_guard(customer_app) -> None:
    requests = _guarded_requests(customer_app)
    for method, path in [
        ("POST", "/api/v1/customers"),
        ("GET", "/api/v1/customers/1"),
        ("PATCH", "/api/v1/customers/1"),
        ("DELETE", "/api/v1/customers/1"),
        ("POST", "/api/v1/customers/1/deactivate"),
        ("GET", "/api/v1/products"),
        ("DELETE", "/api/v1/products/1"),
        ("PATCH", "/api/v1/stores/1"),
        ("PUT", "/api/v1/exchange-rates"),
        ("GET", "/api/v1/exchange-rates/1/1"),
        ("GET", "/openapi.json"),
    ]:
        assert (method, path) in requests
    assert all(path.startswith("/api/v1/") or path == "/openapi.json" for _, path in requests)


async def test_every_route_refuses_a_request_without_a_valid_principal(customer, db):
    before = await snapshot(db)
    expired = sign_principal(SHOPPER, secret=TEST_SECRET, ttl_seconds=-30)
    foreign = sign_principal(SHOPPER, secret="not-the-service-secret-0123456789abcdef")
    anonymous = customer.as_principal(None)
    for method, path in _guarded_requests(customer._transport.app):
        body = {} if method in ("POST", "PUT", "PATCH") else None
        for headers in ({}, {PRINCIPAL_HEADER: expired}, {PRINCIPAL_HEADER: foreign}, {PRINCIPAL_HEADER: "garbage"}):
            response = await anonymous.request(method, path, json=body, headers=headers)
            problem = assert_problem(response, 401, "unauthorized")
            assert response.headers["www-authenticate"] == "Patron", (method, path)
            assert "principal" in problem["detail"]
    assert await snapshot(db) == before


async def test_health_needs_no_principal(customer):
    anonymous = customer.as_principal(None)
    assert (await anonymous.get("/health/live")).status_code == 200
    assert (await anonymous.get("/health/ready")).status_code == 200


async def test_a_customer_principal_is_accepted(customer):
    made = await customer.post("/api/v1/customers", json={"name": "Ada", "username": "ada"})
    assert made.status_code == 201, made.text
    me = SHOPPER.model_copy(update={"subject": f"customer:{made.json()['id']}", "customer_id": made.json()["id"]})
    async with customer.as_principal(me) as shopper:
        # The catalogue: customers read it (docs/security.md); stores are staff's.
        response = await shopper.get("/api/v1/products")
    assert response.status_code == 200, response.text


def test_the_gateway_reuses_a_token_until_half_its_lifetime_is_gone(monkeypatch) -> None:
    import services.kit.principal as principal_module

    monkeypatch.setattr(principal_module, "_signed", {})  # tokens signed "later" stay in this test
    first = sign_principal(SHOPPER, secret=SECRET, ttl_seconds=60)
    assert sign_principal(SHOPPER, secret=SECRET, ttl_seconds=60) == first
    other = SHOPPER.model_copy(update={"subject": "customer:8", "customer_id": 8})
    assert verify_principal(sign_principal(other, secret=SECRET, ttl_seconds=60), secret=SECRET) == other

    real = time.time
    monkeypatch.setattr(principal_module, "time", type("Later", (), {"time": staticmethod(lambda: real() + 31)}))
    later = sign_principal(SHOPPER, secret=SECRET, ttl_seconds=60)
    assert later != first
    claims = jwt.decode(later, options={"verify_signature": False})
    assert claims["iat"] >= int(real()) + 31


def test_a_remembered_token_still_expires(monkeypatch) -> None:
    import services.kit.principal as principal_module

    monkeypatch.setattr(principal_module, "_LEEWAY_SECONDS", 0)
    token = sign_principal(SHOPPER, secret=SECRET, ttl_seconds=2)
    assert verify_principal(token, secret=SECRET) == SHOPPER
    expires = jwt.decode(token, SECRET, algorithms=["HS256"], audience="patron-services")["exp"]
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    with pytest.raises(Unauthorized):
        verify_principal(token, secret=SECRET)


def test_a_token_verified_with_one_secret_is_not_trusted_under_another() -> None:
    token = sign_principal(SHOPPER, secret=SECRET)
    assert verify_principal(token, secret=SECRET) == SHOPPER
    with pytest.raises(Unauthorized):
        verify_principal(token, secret="another-secret-0123456789abcdef0123")


def test_a_principal_cannot_be_changed_once_made() -> None:
    with pytest.raises(ValueError):
        SHOPPER.subject = "customer:8"  # type: ignore[misc]


async def test_a_caller_without_a_principal_gets_401_before_any_complaint_about_its_input(customer, db):
    before = await snapshot(db)
    anonymous = customer.as_principal(None)
    malformed = b'{"store_id": 0, "lines": ['
    json_type = {"Content-Type": "application/json"}
    for headers in ({}, {PRINCIPAL_HEADER: "garbage"}):
        response = await anonymous.post("/api/v1/purchases", content=malformed, headers={**json_type, **headers})
        assert_problem(response, 401, "unauthorized")
        unknown = await anonymous.get("/api/v1/no-such-route", headers=headers)
        assert_problem(unknown, 401, "unauthorized")
    # Signed, the same body is the client's mistake, named as such.
    assert_problem(await customer.post("/api/v1/purchases", content=malformed, headers=json_type), 422, "validation")
    assert await snapshot(db) == before
