"""Stores: the online shop is store 0 and stays active; physical stores are created, listed and updated."""

from datetime import date
from typing import Any

from tests.support.problems import assert_problem, snapshot

STORES = "/api/v1/stores"


async def _create(client: Any, name: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(STORES, json={"name": name} | fields)
    assert response.status_code == 201, response.text
    return response.json()


async def test_store_zero_is_the_online_shop(customer, db):
    response = await customer.get(f"{STORES}/0")
    assert response.status_code == 200, response.text
    shop = response.json()
    assert (shop["id"], shop["online"], shop["status"]) == (0, True, "active")
    assert shop["name"] == "Online shop"
    assert await db.fetchval("SELECT online FROM customer.store WHERE id = 0") is True


async def test_create_read_and_list(customer, db):
    body = {
        "external_ref": "S-7",
        "name": "  Camden ",
        "country": "United Kingdom",
        "state": "London",
        "square_metres": 1200,
        "opened_on": "2015-03-01",
    }
    response = await customer.post(STORES, json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"] >= 1  # 0 is taken by the online shop
    assert {key: created[key] for key in body} == body | {"name": "Camden"}
    assert (created["online"], created["status"]) == (False, "active")
    assert (await customer.get(f"{STORES}/{created['id']}")).json() == created
    row = await db.fetchrow("SELECT * FROM customer.store WHERE id = $1", created["id"])
    assert (row["name"], row["square_metres"], row["opened_on"]) == ("Camden", 1200, date(2015, 3, 1))
    listed = (await customer.get(STORES)).json()
    assert [item["id"] for item in listed["items"]] == [0, created["id"]]


async def test_list_filters_sorts_and_pages(customer):
    stores = {
        "oslo": await _create(customer, "Oslo", country="Norway"),
        "bergen": await _create(customer, "Bergen", country="Norway", state="Vestland"),
        "lyon": await _create(customer, "Lyon", country="France"),
        "alpha": await _create(customer, "Alpha", country="France"),
    }
    closed = await customer.patch(f"{STORES}/{stores['lyon']['id']}", json={"status": "inactive"})
    assert closed.status_code == 200 and closed.json()["status"] == "inactive"
    ids = {store["id"]: key for key, store in stores.items()} | {0: "online"}

    async def keys(**params: Any) -> list[str]:
        served: list[str] = []
        cursor = None
        while True:
            response = await customer.get(STORES, params=params | {"limit": 2} | ({"cursor": cursor} if cursor else {}))
            assert response.status_code == 200, response.text
            served += [ids[item["id"]] for item in response.json()["items"]]
            cursor = response.json()["next_cursor"]
            if cursor is None:
                return served

    assert await keys() == ["online", "oslo", "bergen", "lyon", "alpha"]
    assert await keys(sort="name") == ["alpha", "bergen", "lyon", "online", "oslo"]
    assert await keys(country="Norway") == ["oslo", "bergen"]
    assert await keys(state="Vestland") == ["bergen"]
    assert await keys(online="true") == ["online"]
    assert await keys(online="false") == ["oslo", "bergen", "lyon", "alpha"]
    assert await keys(status="inactive") == ["lyon"]
    assert await keys(country="France", status="active") == ["alpha"]


async def test_update_changes_only_the_fields_sent(customer):
    created = await _create(customer, "Old name", country="Spain", square_metres=300)
    response = await customer.patch(f"{STORES}/{created['id']}", json={"name": "New name", "state": "Madrid"})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["name"], updated["state"]) == ("New name", "Madrid")
    assert (updated["country"], updated["square_metres"]) == ("Spain", 300)


async def test_a_store_can_be_deactivated_and_reactivated(customer, db):
    created = await _create(customer, "Seasonal")
    for status in ["inactive", "active"]:
        response = await customer.patch(f"{STORES}/{created['id']}", json={"status": status})
        assert response.status_code == 200, response.text
        assert await db.fetchval("SELECT status FROM customer.store WHERE id = $1", created["id"]) == status


async def test_store_zero_cannot_be_deactivated(customer, db):
    before = await snapshot(db)
    response = await customer.patch(f"{STORES}/0", json={"status": "inactive", "name": "Closed"})
    body = assert_problem(response, 409, "conflict")
    assert "store 0" in body["detail"]
    assert await snapshot(db) == before
    assert await db.fetchval("SELECT status FROM customer.store WHERE id = 0") == "active"


async def test_store_zero_can_be_renamed(customer):
    response = await customer.patch(f"{STORES}/0", json={"name": "Web shop", "status": "active"})
    assert response.status_code == 200, response.text
    assert (response.json()["name"], response.json()["online"]) == ("Web shop", True)


async def test_bad_store_input_is_refused(customer, db):
    created = await _create(customer, "Valid")
    before = await snapshot(db)
    for body, field in [
        ({"name": ""}, "body.name"),
        ({"name": "   "}, "body.name"),
        ({"name": "x" * 201}, "body.name"),
        ({"name": "S", "square_metres": -1}, "body.square_metres"),
        ({"name": "S", "square_metres": "big"}, "body.square_metres"),
        ({"name": "S", "opened_on": "2020-02-30"}, "body.opened_on"),
        ({"name": "S", "id": 5}, "body.id"),
    ]:
        assert_problem(await customer.post(STORES, json=body), 422, "validation", [field])
    for body, field in [
        ({"name": None}, "body.name"),
        ({"status": None}, "body.status"),
        ({"status": "closed"}, "body.status"),
        ({"online": True}, "body.online"),
    ]:
        assert_problem(await customer.patch(f"{STORES}/{created['id']}", json=body), 422, "validation", [field])
    assert await snapshot(db) == before


async def test_external_ref_is_unique(customer, db):
    await _create(customer, "First", external_ref="S-1")
    before = await snapshot(db)
    response = await customer.post(STORES, json={"name": "Second", "external_ref": "S-1"})
    assert_problem(response, 409, "conflict", ["body.external_ref"])
    assert await snapshot(db) == before


async def test_unknown_store_is_404(customer):
    assert_problem(await customer.get(f"{STORES}/77"), 404, "not-found")
    assert_problem(await customer.patch(f"{STORES}/77", json={"name": "x"}), 404, "not-found")
