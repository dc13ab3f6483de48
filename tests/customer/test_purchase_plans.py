"""Recording a bill reuses PostgreSQL's plans: its statements are planned once per connection, not per bill."""

import httpx2

from services.customer.app import create_app
from services.customer.settings import CustomerSettings
from tests.conftest import TEST_SECRET, signed
from tests.support.builders import make_product

POOL = 4


async def test_each_statement_of_a_bill_is_planned_once_per_connection_and_reused(database_url):
    """PostgreSQL plans a prepared statement afresh for its first five runs, then keeps a generic plan
    unless that plan looks dearer than the fresh ones. A statement whose estimates depend on its
    values (a series as long as the bill) would be planned anew for every bill."""
    settings = CustomerSettings(
        database_url=database_url,
        environment="test",
        internal_secret=TEST_SECRET,
        events_relay=False,
        database_pool_size=POOL,
        import_loaders=1,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://customer", headers=signed()) as http:
            products = [await make_product(http, price="2.00", stock=1000) for _ in range(3)]
            for size in (1, 2, 3) * 20:  # bills of different lengths
                lines = [{"product_id": p["id"], "quantity": 1} for p in products[:size]]
                response = await http.post("/api/v1/purchases", json={"lines": lines})
                assert response.status_code == 201, response.text
        plans = []
        for connection in [await app.state.engine.connect() for _ in range(POOL)]:
            driver = (await connection.get_raw_connection()).driver_connection
            plans += await driver.fetch(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE '%customer.purchase%' AND generic_plans + custom_plans >= 10"
            )
            await connection.close()
    bill_statements = [p for p in plans if "WITH head" in p["statement"] or "WITH purchase" in p["statement"]]
    assert len(bill_statements) >= 2  # the read and the write, on at least one connection
    for plan in bill_statements:
        assert plan["custom_plans"] <= 5, plan["statement"][:80]
        assert plan["generic_plans"] >= 5
