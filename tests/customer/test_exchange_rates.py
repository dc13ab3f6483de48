"""Exchange rates: bulk upsert, the rate of a date or of the latest earlier one, listing."""

from datetime import date
from decimal import Decimal
from typing import Any

from tests.support.problems import assert_problem, snapshot

RATES = "/api/v1/exchange-rates"


def _rate(day: str, currency: str, rate: Any) -> dict[str, Any]:
    return {"date": day, "currency": currency, "rate": rate}


async def _put(client: Any, *rates: dict[str, Any]) -> dict[str, int]:
    response = await client.put(RATES, json={"rates": list(rates)})
    assert response.status_code == 200, response.text
    return response.json()


async def _stored(db: Any) -> dict[tuple[str, date], Decimal]:
    rows = await db.fetch("SELECT currency, rate_date, rate FROM customer.exchange_rate")
    return {(row["currency"], row["rate_date"]): row["rate"] for row in rows}


async def test_bulk_upsert_inserts_then_updates(customer, db):
    first = await _put(
        customer,
        _rate("2024-01-02", "EUR", "0.91"),
        _rate("2024-01-03", "EUR", "0.92"),
        _rate("2024-01-02", "gbp", "0.79"),
    )
    assert first == {"inserted": 3, "updated": 0}
    assert await _stored(db) == {
        ("EUR", date(2024, 1, 2)): Decimal("0.91"),
        ("EUR", date(2024, 1, 3)): Decimal("0.92"),
        ("GBP", date(2024, 1, 2)): Decimal("0.79"),
    }
    second = await _put(customer, _rate("2024-01-03", "EUR", "0.95"), _rate("2024-01-04", "EUR", "0.96"))
    assert second == {"inserted": 1, "updated": 1}
    stored = await _stored(db)
    assert stored[("EUR", date(2024, 1, 3))] == Decimal("0.95")
    assert stored[("EUR", date(2024, 1, 4))] == Decimal("0.96")
    assert len(stored) == 4


async def test_duplicate_date_and_currency_in_one_body_writes_nothing(customer, db):
    await _put(customer, _rate("2024-01-02", "EUR", "0.91"))
    before = await snapshot(db)
    response = await customer.put(
        RATES,
        json={
            "rates": [
                _rate("2024-01-02", "EUR", "0.50"),
                _rate("2024-01-05", "JPY", "140"),
                _rate("2024-01-02", "eur", "0.60"),  # the same currency once normalised
            ]
        },
    )
    body = assert_problem(response, 422, "validation", ["body.rates.2"])
    assert body["errors"][0]["code"] == "duplicate"
    assert await snapshot(db) == before


async def test_a_rate_for_the_base_currency_is_refused(customer, db):
    response = await customer.put(
        RATES, json={"rates": [_rate("2024-01-02", "EUR", "0.9"), _rate("2024-01-02", "USD", "2")]}
    )
    assert_problem(response, 422, "validation", ["body.rates.1.currency"])
    assert await _stored(db) == {}


async def test_bad_rates_are_refused_naming_the_field(customer, db):
    cases = [
        ({"rates": []}, "body.rates"),
        ({"rates": [_rate("2024-01-02", "XYZ", "1")]}, "body.rates.0.currency"),
        ({"rates": [_rate("2024-01-02", "EURO", "1")]}, "body.rates.0.currency"),
        ({"rates": [_rate("2024-01-02", "EUR", "0")]}, "body.rates.0.rate"),
        ({"rates": [_rate("2024-01-02", "EUR", "-1.5")]}, "body.rates.0.rate"),
        ({"rates": [_rate("2024-01-02", "EUR", "abc")]}, "body.rates.0.rate"),
        ({"rates": [_rate("2024-01-02", "EUR", "1.123456789")]}, "body.rates.0.rate"),  # numeric(18, 8)
        ({"rates": [_rate("2024-02-30", "EUR", "1")]}, "body.rates.0.date"),
        ({"rates": [_rate("2024-01-02", "EUR", "1") | {"source": "ecb"}]}, "body.rates.0.source"),
        ({"rates": "EUR"}, "body.rates"),
    ]
    for body, field in cases:
        assert_problem(await customer.put(RATES, json=body), 422, "validation", [field])
    assert await _stored(db) == {}


async def test_lookup_returns_the_rate_of_the_date_or_the_latest_earlier_one(customer):
    await _put(customer, _rate("2024-01-02", "EUR", "0.91"), _rate("2024-01-05", "EUR", "0.93"))
    exact = await customer.get(f"{RATES}/EUR/2024-01-05")
    assert exact.status_code == 200, exact.text
    assert exact.json() == {
        "currency": "EUR",
        "date": "2024-01-05",
        "requested_date": "2024-01-05",
        "rate": "0.93",
        "base_currency": "USD",
    }
    between = (await customer.get(f"{RATES}/EUR/2024-01-04")).json()
    assert (between["date"], between["requested_date"], between["rate"]) == ("2024-01-02", "2024-01-04", "0.91")
    later = (await customer.get(f"{RATES}/eur/2030-06-01")).json()
    assert (later["currency"], later["date"], later["rate"]) == ("EUR", "2024-01-05", "0.93")


async def test_lookup_before_the_first_rate_is_404(customer):
    await _put(customer, _rate("2024-01-02", "EUR", "0.91"))
    body = assert_problem(await customer.get(f"{RATES}/EUR/2024-01-01"), 404, "not-found")
    assert (body["currency"], body["date"]) == ("EUR", "2024-01-01")
    assert_problem(await customer.get(f"{RATES}/GBP/2024-06-01"), 404, "not-found")


async def test_the_base_currency_rate_is_one(customer):
    response = await customer.get(f"{RATES}/USD/2024-03-15")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "currency": "USD",
        "date": "2024-03-15",
        "requested_date": "2024-03-15",
        "rate": "1",
        "base_currency": "USD",
    }


async def test_rates_are_shown_without_trailing_zeros_and_keep_their_precision(customer):
    await _put(customer, _rate("2024-01-02", "JPY", "141.5"), _rate("2024-01-02", "EUR", "0.91234567"))
    assert (await customer.get(f"{RATES}/JPY/2024-01-02")).json()["rate"] == "141.5"
    assert (await customer.get(f"{RATES}/EUR/2024-01-02")).json()["rate"] == "0.91234567"
    await _put(customer, _rate("2024-01-03", "JPY", "100"))
    assert (await customer.get(f"{RATES}/JPY/2024-01-03")).json()["rate"] == "100"


async def test_lookup_refuses_bad_currency_and_date(customer):
    for path, field in [
        (f"{RATES}/XYZ/2024-01-01", "path.currency"),
        (f"{RATES}/usd1/2024-01-01", "path.currency"),
        (f"{RATES}/US/2024-01-01", "path.currency"),
        (f"{RATES}/EUR/2024-13-01", "path.on"),
        (f"{RATES}/EUR/yesterday", "path.on"),
    ]:
        assert_problem(await customer.get(path), 422, "validation", [field])


async def test_list_filters_and_pages(customer):
    rates = [_rate(f"2024-01-0{day}", currency, f"{day}.5") for currency in ("EUR", "GBP", "JPY") for day in (1, 2, 3)]
    await _put(customer, *reversed(rates))

    async def served(**params: Any) -> list[tuple[str, str, str]]:
        seen: list[tuple[str, str, str]] = []
        cursor = None
        while True:
            response = await customer.get(RATES, params=params | {"limit": 2} | ({"cursor": cursor} if cursor else {}))
            assert response.status_code == 200, response.text
            page = response.json()
            assert all(item["base_currency"] == "USD" for item in page["items"])
            seen += [(item["currency"], item["date"], item["rate"]) for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return seen

    everything = await served()
    assert everything == [(r["currency"], r["date"], r["rate"]) for r in rates]  # by currency, then date
    assert await served(currency="gbp") == [("GBP", f"2024-01-0{day}", f"{day}.5") for day in (1, 2, 3)]
    assert await served(date_from="2024-01-02", date_to="2024-01-02") == [
        (currency, "2024-01-02", "2.5") for currency in ("EUR", "GBP", "JPY")
    ]
    assert await served(currency="JPY", date_from="2024-01-03") == [("JPY", "2024-01-03", "3.5")]
    assert_problem(await customer.get(RATES, params={"currency": "XYZ"}), 422, "validation", ["query.currency"])
    assert_problem(await customer.get(RATES, params={"date_from": "soon"}), 422, "validation", ["query.date_from"])
