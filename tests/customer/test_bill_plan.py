"""The bill as a plan: every rule of recording a purchase, as pure functions, with no database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

from services.customer.purchases.plan import (
    BillIds,
    BillRead,
    Ledger,
    ProductRow,
    line_public,
    plan_bill,
    purchase_public,
    request_bill,
)
from services.customer.purchases.schemas import PurchaseCreate
from services.kit.errors import Conflict, Forbidden, InvalidInput
from services.kit.principal import Principal, PrincipalKind

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
LEDGER = Ledger(base_currency="USD", business_timezone="Europe/Berlin")
STAFF = Principal(kind=PrincipalKind.STAFF, subject="staff:1", roles=["admin"])
SHOPPER = Principal(kind=PrincipalKind.CUSTOMER, subject="c", customer_id=7)
IDS = BillIds(purchase_id=42, line_ids=[100])
TWO, THREE = BillIds(purchase_id=42, line_ids=[100, 101]), BillIds(purchase_id=42, line_ids=[100, 101, 102])


def product(
    id_: int, *, price: str = "10.00", stock: int = 5, track: bool = True, status: str = "active"
) -> ProductRow:
    return ProductRow(
        id=id_,
        sku=f"SKU-{id_}",
        name=f"Product {id_}",
        brand="Contoso",
        category="Audio",
        unit_price=Decimal(price),
        status=status,
        track_stock=track,
        stock_quantity=stock,
    )


def read(*products: ProductRow, rate: str | None = None, store: str | None = "active", customer: str | None = "active"):
    return BillRead(
        store_status=store,
        customer_status=customer,
        rate_date=date(2026, 3, 1) if rate else None,
        rate=Decimal(rate) if rate else None,
        products={p.id: p for p in products},
    )


def bill(**fields) -> PurchaseCreate:
    return PurchaseCreate.model_validate({"lines": [{"product_id": 1, "quantity": 2}]} | fields)


def fields_of(exc: InvalidInput | Conflict) -> list[str]:
    return [error["field"] for error in exc.errors]


def test_a_bill_is_priced_from_the_catalogue_and_announced_with_its_stock() -> None:
    data = bill(customer_id=7, lines=[{"product_id": 2, "quantity": 3}, {"product_id": 1, "quantity": 2}])
    request = request_bill(data, principal=STAFF, ledger=LEDGER, now=NOW)
    assert request.product_ids == [1, 2] and request.channel == "assisted" and request.purchased_at == NOW
    plan = plan_bill(request, read(product(1, price="12.99", stock=5), product(2, price="1.00", track=False)), TWO)
    assert [(line.id, line.line_no, line.product_id, line.quantity) for line in plan.lines] == [
        (100, 1, 2, 3),
        (101, 2, 1, 2),
    ]
    assert plan.totals.base_total == Decimal("28.98") and plan.totals.local_total == Decimal("28.98")
    assert plan.recorded.purchase_id == 42 and plan.recorded.customer_id == 7
    assert [line.line_id for line in plan.recorded.lines] == [100, 101]
    # Only the tracked product gives stock, and its event says what is left.
    assert [(c.product_id, c.quantity, c.kind, c.purchase_id) for c in plan.taken] == [(1, -2, "sale", 42)]
    assert [(e.product_id, e.quantity, e.stock_quantity) for e in plan.stock_changed] == [(1, -2, 3)]


def test_a_foreign_currency_bill_uses_the_rate_of_its_business_day() -> None:
    late_evening = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # already 5 March in Berlin
    request = request_bill(
        bill(currency="EUR", purchased_at=late_evening.isoformat()), principal=STAFF, ledger=LEDGER, now=NOW
    )
    assert request.rate_day == date(2026, 3, 5)
    plan = plan_bill(request, read(product(1, price="10.00"), rate="0.9137"), IDS)
    assert plan.rate == Decimal("0.9137") and plan.rate_date == date(2026, 3, 1)
    assert plan.lines[0].local_unit_price == Decimal("9.14") and plan.totals.local_total == Decimal("18.28")
    with pytest.raises(InvalidInput) as refused:
        plan_bill(request, read(product(1)), IDS)
    assert fields_of(refused.value) == ["body.currency"]


def test_what_the_bill_asks_is_checked_before_anything_is_read() -> None:
    with pytest.raises(InvalidInput) as future:
        request_bill(
            bill(purchased_at=(NOW + timedelta(minutes=6)).isoformat()), principal=STAFF, ledger=LEDGER, now=NOW
        )
    assert fields_of(future.value) == ["body.purchased_at"]
    request_bill(bill(purchased_at=(NOW + timedelta(minutes=4)).isoformat()), principal=STAFF, ledger=LEDGER, now=NOW)
    twice = bill(lines=[{"product_id": 1, "quantity": 1}, {"product_id": 1, "quantity": 2}])
    with pytest.raises(InvalidInput) as repeated:
        request_bill(twice, principal=STAFF, ledger=LEDGER, now=NOW)
    assert fields_of(repeated.value) == ["body.lines.1.product_id"]
    with pytest.raises(Forbidden):
        request_bill(bill(customer_id=8), principal=SHOPPER, ledger=LEDGER, now=NOW)
    own = request_bill(bill(), principal=SHOPPER, ledger=LEDGER, now=NOW)
    assert own.customer_id == 7 and own.channel == "self"


def test_unknown_or_inactive_parties_and_products_refuse_the_whole_bill_naming_each_field() -> None:
    data = bill(customer_id=9, lines=[{"product_id": 1, "quantity": 1}, {"product_id": 2, "quantity": 1}])
    request = request_bill(data, principal=STAFF, ledger=LEDGER, now=NOW)
    with pytest.raises(InvalidInput) as parties:
        plan_bill(request, read(product(1), product(2), store="inactive", customer=None), TWO)
    assert fields_of(parties.value) == ["body.store_id", "body.customer_id"]
    with pytest.raises(InvalidInput) as products:
        plan_bill(request, read(product(2, status="inactive")), TWO)
    assert fields_of(products.value) == ["body.lines.0.product_id", "body.lines.1.product_id"]
    with pytest.raises(InvalidInput) as discount:
        plan_bill(
            request_bill(
                bill(lines=[{"product_id": 1, "quantity": 1, "discount": "10.01"}]),
                principal=STAFF,
                ledger=LEDGER,
                now=NOW,
            ),
            read(product(1)),
            IDS,
        )
    assert fields_of(discount.value) == ["body.lines.0.discount"]


def test_a_line_short_of_stock_is_a_409_listing_every_short_line() -> None:
    data = bill(
        lines=[{"product_id": 1, "quantity": 6}, {"product_id": 2, "quantity": 1}, {"product_id": 3, "quantity": 9}]
    )
    request = request_bill(data, principal=STAFF, ledger=LEDGER, now=NOW)
    with pytest.raises(Conflict) as short:
        plan_bill(request, read(product(1, stock=5), product(2, stock=1), product(3, stock=0)), THREE)
    assert fields_of(short.value) == ["body.lines.0.quantity", "body.lines.2.quantity"]
    plan = plan_bill(request, read(product(1, stock=6), product(2, stock=1), product(3, stock=0, track=False)), THREE)
    assert [e.stock_quantity for e in plan.stock_changed] == [0, 0]


def test_the_answer_is_built_from_the_plan_and_the_stored_row() -> None:
    request = request_bill(bill(), principal=STAFF, ledger=LEDGER, now=NOW)
    products = read(product(1, price="12.99"))
    plan = plan_bill(request, products, IDS)
    line = line_public(plan.lines[0], products.products[1], purchase_status="recorded")
    assert line.sku == "SKU-1" and line.base_net == Decimal("25.98") and line.returned_quantity == 0
    cancelled = line_public(plan.lines[0], products.products[1], purchase_status="cancelled")
    assert cancelled.base_net == Decimal("0.00")
    stored = type(
        "Stored",
        (),
        {
            "id": 42,
            "number": None,
            "customer_id": None,
            "store_id": 0,
            "channel": "assisted",
            "source": "live",
            "status": "recorded",
            "currency": "USD",
            "rate": Decimal(1),
            "rate_date": None,
            "purchased_at": NOW,
            "reward_token": None,
            **{name: getattr(plan.totals, name) for name in vars(plan.totals)},
            "base_returned": Decimal(0),
            "local_returned": Decimal(0),
            "cancelled_at": None,
            "cancel_reason": None,
            "reward_product_id": None,
            "reward_percent": None,
            "local_reward_discount": Decimal(0),
            "points_spent": 0,
            "points_value": Decimal(0),
            "local_points_discount": Decimal(0),
        },
    )()
    answer = purchase_public(stored, [line], base_currency="USD")
    assert answer.base_net == Decimal("25.98") and answer.lines == [line]


PURCHASE_PATH = ["plan.py", "repository.py", "service.py", "api.py", "pricing.py", "rewards.py"]


@pytest.mark.parametrize("module", PURCHASE_PATH)
def test_no_function_on_the_purchase_path_is_past_radon_grade_b(module: str) -> None:
    source = (Path(__file__).resolve().parents[2] / "services" / "customer" / "purchases" / module).read_text()
    graded = {block.fullname: cc_rank(block.complexity) for block in cc_visit(source)}
    assert graded and all(grade in "AB" for grade in graded.values()), graded


def test_a_return_gives_back_exact_refunds_and_never_more_than_is_left() -> None:
    from services.customer.purchases.plan import plan_return
    from services.customer.purchases.schemas import ReturnRequest

    request = request_bill(bill(lines=[{"product_id": 1, "quantity": 3}]), principal=STAFF, ledger=LEDGER, now=NOW)
    (line,) = plan_bill(request, read(product(1, price="10.00")), IDS).lines  # 3 x 10.00, line 100
    lines = {100: line}
    (first,) = plan_return(42, lines, ReturnRequest(lines=[{"line_id": 100, "quantity": 1}]))
    assert (first.line_id, first.product_id, first.quantity, first.base_amount) == (100, 1, 1, Decimal("10.00"))
    with pytest.raises(Conflict) as too_many:
        plan_return(42, lines, ReturnRequest(lines=[{"line_id": 100, "quantity": 4}]))
    assert fields_of(too_many.value) == ["body.lines.0.quantity"]
    with pytest.raises(InvalidInput) as wrong:
        plan_return(
            42,
            lines,
            ReturnRequest(
                lines=[{"line_id": 100, "quantity": 1}, {"line_id": 100, "quantity": 1}, {"line_id": 7, "quantity": 1}]
            ),
        )
    assert fields_of(wrong.value) == ["body.lines.1.line_id", "body.lines.2.line_id"]
