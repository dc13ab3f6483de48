"""A bill as a plan: what it asks, checked, priced and announced by pure functions around its one read.

``request_bill`` turns the caller's bill into what must be read (its customer, currency, time and
products); ``plan_bill`` takes what was read and returns every row and event the bill writes, or
refuses it whole. Neither touches a database, so each rule of a bill is tested on its own
(tests/customer/test_bill_plan.py); ``repository`` reads and writes, ``service`` joins them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from services.contracts.customer import Channel as ChannelName
from services.contracts.customer import PurchaseLineAmounts, PurchaseRecorded, ReturnedLine, StockChanged
from services.customer.base import RecordStatus
from services.customer.purchases.pricing import ZERO, LineAmounts, price_line, refund, returned_share
from services.customer.purchases.schemas import (
    PurchaseCreate,
    PurchaseLinePublic,
    PurchasePublic,
    PurchaseSource,
    PurchaseStatus,
    ReturnRequest,
)
from services.customer.stock.repository import StockChange, changed_events
from services.kit.errors import Conflict, FieldError, Forbidden, InvalidInput
from services.kit.money import share_cents, to_cent
from services.kit.principal import Channel, Principal, PrincipalKind

# Clocks of tills and phones drift; a bill a few minutes "in the future" is still a bill of now.
FUTURE_TOLERANCE = timedelta(minutes=5)
CHANNELS: dict[Channel, ChannelName] = {Channel.SELF: "self", Channel.ASSISTED: "assisted"}


@dataclass(frozen=True)
class Ledger:
    """What the ledger needs from the deployment's settings."""

    base_currency: str
    business_timezone: str


@dataclass(frozen=True)
class BillRequest:
    """A bill as asked, with what its read needs: who, where, when, in which currency, which products."""

    data: PurchaseCreate
    customer_id: int | None
    channel: ChannelName
    currency: str
    base_currency: str
    purchased_at: datetime
    rate_day: date  # the purchase's day in the business time zone: the rate of that day or before applies
    product_ids: list[int]  # ascending, each once: the order the products are locked in


@dataclass(frozen=True)
class ProductRow:
    """A product as the bill's read locked it."""

    id: int
    sku: str
    name: str
    brand: str | None
    category: str | None
    unit_price: Decimal
    status: str
    track_stock: bool
    stock_quantity: int


@dataclass(frozen=True)
class BillRead:
    """What the bill's read found: its parties' status (None: no such row), the rate, the products."""

    store_status: str | None
    customer_status: str | None
    rate_date: date | None
    rate: Decimal | None
    products: Mapping[int, ProductRow]


@dataclass(frozen=True)
class Redemption:
    """What the loyalty service reserved for the bill: a reward's percent off one product's line, and wallet
    points worth ``points_value`` in the base currency off the whole bill."""

    reward_product_id: int | None = None
    reward_percent: int | None = None
    points: int = 0
    points_value: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class RedeemedAmounts:
    """What the redemption took off the bill, in its currency."""

    local_reward_discount: Decimal
    local_points_discount: Decimal


NOTHING_REDEEMED = RedeemedAmounts(Decimal("0.00"), Decimal("0.00"))


@dataclass(frozen=True)
class BillIds:
    """The ids a bill's rows will have, drawn before its transaction (something may be reserved on them)."""

    purchase_id: int
    line_ids: Sequence[int]


@dataclass(frozen=True)
class PlannedLine(LineAmounts):
    """A line of the bill: its place, its product and quantity, and its amounts."""

    id: int
    line_no: int
    product_id: int
    quantity: int
    returned_quantity: int


@dataclass(frozen=True)
class Totals:
    base_gross: Decimal
    base_discount: Decimal
    base_total: Decimal
    local_gross: Decimal
    local_discount: Decimal
    local_total: Decimal

    @classmethod
    def of(cls, lines: Sequence[LineAmounts]) -> "Totals":
        def total(field: str) -> Decimal:
            return sum((getattr(line, field) for line in lines), ZERO)

        return cls(*(total(name) for name in cls.__dataclass_fields__))


@dataclass(frozen=True)
class BillPlan:
    """Everything a bill writes: its row's values, its lines, the stock it takes and its events."""

    request: BillRequest
    purchase_id: int
    rate: Decimal
    rate_date: date | None
    lines: list[PlannedLine]
    totals: Totals
    taken: list[StockChange]
    recorded: PurchaseRecorded
    stock_changed: list[StockChanged]
    redemption: Redemption | None = None
    redeemed: RedeemedAmounts = NOTHING_REDEEMED


def request_bill(data: PurchaseCreate, *, principal: Principal, ledger: Ledger, now: datetime) -> BillRequest:
    """Check what can be checked before reading anything, and say what to read."""
    customer_id = _acting_customer(principal, data.customer_id)
    _check_lines_shape(data)
    if customer_id is None and (data.reward_token is not None or data.points is not None):
        field = "body.reward_token" if data.reward_token is not None else "body.points"
        raise InvalidInput.field(field, "a guest sale cannot redeem a reward or spend points", "guest")
    zone = ZoneInfo(ledger.business_timezone)
    purchased_at = data.purchased_at or now
    if purchased_at.tzinfo is None:
        purchased_at = purchased_at.replace(tzinfo=zone)
    if purchased_at > now + FUTURE_TOLERANCE:
        raise InvalidInput.field("body.purchased_at", "a purchase cannot lie in the future", "future")
    return BillRequest(
        data=data,
        customer_id=customer_id,
        channel=CHANNELS[principal.channel],
        currency=data.currency or ledger.base_currency,
        base_currency=ledger.base_currency,
        purchased_at=purchased_at,
        rate_day=purchased_at.astimezone(zone).date(),
        product_ids=sorted({line.product_id for line in data.lines}),
    )


def plan_bill(request: BillRequest, read: BillRead, ids: BillIds, redemption: Redemption | None = None) -> BillPlan:
    """Every row and event of the bill, or a refusal of all of it (422 for bad input, 409 for short stock).

    ``redemption`` is what the loyalty service reserved for it: its discounts come after the lines' own.
    """
    _check_parties(request, read)
    rate_date, rate = _rate(request, read)
    priced = _price_lines(request.data, read.products, rate)
    redeemed = NOTHING_REDEEMED
    if redemption is not None:
        priced, redeemed = _redeem(request.data, read.products, rate, priced, redemption)
    lines = [
        PlannedLine(
            id=line_id,
            line_no=no,
            product_id=line.product_id,
            quantity=line.quantity,
            returned_quantity=0,
            **vars(amounts),
        )
        for no, (line_id, line, amounts) in enumerate(zip(ids.line_ids, request.data.lines, priced, strict=True), 1)
    ]
    # Tracked products give stock: their rows are locked, so the quantity each is left with is known.
    taken = [
        StockChange(line.product_id, -line.quantity, "sale", purchase_id=ids.purchase_id)
        for line in lines
        if read.products[line.product_id].track_stock
    ]
    stock = {change.product_id: read.products[change.product_id].stock_quantity for change in taken}
    totals = Totals.of(priced)
    return BillPlan(
        request=request,
        purchase_id=ids.purchase_id,
        rate=rate,
        rate_date=rate_date,
        lines=lines,
        totals=totals,
        taken=taken,
        recorded=_recorded(request, ids.purchase_id, rate, totals, lines, redemption),
        stock_changed=changed_events(taken, stock),
        redemption=redemption,
        redeemed=redeemed,
    )


def _acting_customer(principal: Principal, customer_id: int | None) -> int | None:
    """A customer records bills only for themself; staff and partners record for anyone."""
    if principal.kind is not PrincipalKind.CUSTOMER:
        return customer_id
    if customer_id is not None and customer_id != principal.customer_id:
        raise Forbidden("a customer can record purchases only for themself")
    return principal.customer_id


def _check_lines_shape(data: PurchaseCreate) -> None:
    errors: list[FieldError] = []
    seen: dict[int, int] = {}
    for index, line in enumerate(data.lines):
        first = seen.setdefault(line.product_id, index)
        if first != index:
            message = f"repeats lines.{first}; put the quantity on one line"
            errors.append(FieldError(f"body.lines.{index}.product_id", message, "duplicate"))
    if errors:
        raise InvalidInput("a product appears on two lines", errors=errors)


def _party_error(field: str, what: str, status: str | None) -> FieldError | None:
    if status is None:
        return FieldError(field, f"{what} does not exist", "unknown")
    if status != RecordStatus.ACTIVE:
        return FieldError(field, f"{what} is inactive", "inactive")
    return None


def _check_parties(request: BillRequest, read: BillRead) -> None:
    found = [_party_error("body.store_id", f"store {request.data.store_id}", read.store_status)]
    if request.customer_id is not None:
        found.append(_party_error("body.customer_id", f"customer {request.customer_id}", read.customer_status))
    errors = [error for error in found if error is not None]
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)


def _rate(request: BillRequest, read: BillRead) -> tuple[date | None, Decimal]:
    if request.currency == request.base_currency:
        return None, Decimal(1)
    if read.rate is None:
        message = f"no {request.currency} exchange rate on or before {request.rate_day}"
        raise InvalidInput.field("body.currency", message, "no_rate")
    return read.rate_date, read.rate


def _product_error(index: int, product_id: int, product: ProductRow | None) -> FieldError:
    field = f"body.lines.{index}.product_id"
    if product is None:
        return FieldError(field, f"product {product_id} does not exist", "unknown")
    return FieldError(field, f"product {product_id} is inactive", "inactive")


def _price_lines(data: PurchaseCreate, products: Mapping[int, ProductRow], rate: Decimal) -> list[LineAmounts]:
    """Each line priced from its locked product; refused whole (422, or 409 if short) if any line cannot be served."""
    errors: list[FieldError] = []
    priced: list[LineAmounts] = []
    short: list[dict[str, int]] = []
    for index, line in enumerate(data.lines):
        product = products.get(line.product_id)
        if product is None or product.status != RecordStatus.ACTIVE:
            errors.append(_product_error(index, line.product_id, product))
            continue
        try:
            priced.append(
                price_line(
                    base_unit_price=product.unit_price, quantity=line.quantity, rate=rate, local_discount=line.discount
                )
            )
        except ValueError:
            errors.append(FieldError(f"body.lines.{index}.discount", "discount exceeds the line's price", "too_large"))
            continue
        if product.track_stock and product.stock_quantity < line.quantity:
            available = product.stock_quantity
            short.append(
                {"line": index, "product_id": line.product_id, "requested": line.quantity, "available": available}
            )
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)
    if short:
        raise _short_of_stock(short)
    return priced


def _redeem(
    data: PurchaseCreate,
    products: Mapping[int, ProductRow],
    rate: Decimal,
    priced: list[LineAmounts],
    redemption: Redemption,
) -> tuple[list[LineAmounts], RedeemedAmounts]:
    """The lines priced again with what the bill redeemed taken off (SPEC §3.1, §3.5).

    The reward takes its percent off the rewarded product's line (after the line's own discount),
    rounded half-up to the cent. The points' value, in the bill's currency, is then shared over every
    line in proportion to what is left of it, by largest remainder; it may not exceed the bill.
    """
    reward = [ZERO] * len(priced)
    if redemption.reward_product_id is not None:
        on_bill = [i for i, line in enumerate(data.lines) if line.product_id == redemption.reward_product_id]
        if not on_bill:
            message = f"the reward is for product {redemption.reward_product_id}, which is not on the bill"
            raise InvalidInput.field("body.reward_token", message, "not_on_bill")
        (i,) = on_bill
        reward[i] = to_cent(priced[i].local_total * (redemption.reward_percent or 0) / 100)
    left = [line.local_total - off for line, off in zip(priced, reward, strict=True)]
    points_local = to_cent(redemption.points_value * rate)
    if points_local > sum(left, ZERO):
        message = f"{redemption.points} points are worth {points_local}, more than the bill's {sum(left, ZERO)}"
        raise InvalidInput.field("body.points", message, "worth_more_than_bill")
    points = share_cents(points_local, left) if points_local > 0 else [ZERO] * len(priced)
    repriced = [
        price_line(
            base_unit_price=products[line.product_id].unit_price,
            quantity=line.quantity,
            rate=rate,
            local_discount=line.discount + reward[i] + points[i],
        )
        for i, line in enumerate(data.lines)
    ]
    return repriced, RedeemedAmounts(sum(reward, ZERO), points_local)


def _short_of_stock(short: list[dict[str, int]]) -> Conflict:
    return Conflict(
        "not enough stock for " + ", ".join(f"product {s['product_id']}" for s in short),
        errors=[
            FieldError(f"body.lines.{s['line']}.quantity", f"only {s['available']} in stock", "insufficient_stock")
            for s in short
        ],
        short_lines=short,
    )


def _recorded(
    request: BillRequest,
    purchase_id: int,
    rate: Decimal,
    totals: Totals,
    lines: Sequence[PlannedLine],
    redemption: Redemption | None,
) -> PurchaseRecorded:
    data = request.data
    return PurchaseRecorded(
        purchase_id=purchase_id,
        number=data.number,
        customer_id=request.customer_id,
        store_id=data.store_id,
        channel=request.channel,
        source=PurchaseSource.LIVE.value,
        currency=request.currency,
        base_currency=request.base_currency,
        rate=rate,
        purchased_at=request.purchased_at,
        reward_token=data.reward_token,
        base_total=totals.base_total,
        local_total=totals.local_total,
        base_discount=totals.base_discount,
        local_discount=totals.local_discount,
        lines=[
            PurchaseLineAmounts(
                line_id=line.id,
                line_no=line.line_no,
                product_id=line.product_id,
                quantity=line.quantity,
                base_unit_price=line.base_unit_price,
                local_unit_price=line.local_unit_price,
                base_discount=line.base_discount,
                local_discount=line.local_discount,
                base_total=line.base_total,
                local_total=line.local_total,
            )
            for line in lines
        ],
        points_spent=redemption.points if redemption is not None else 0,
    )


def plan_return(purchase_id: int, lines: Mapping[int, "LineFacts"], data: ReturnRequest) -> list[ReturnedLine]:
    """The lines a return gives back, with their exact refunds; refused whole if any line cannot be returned.

    ``lines`` are the bill's lines by id, as locked. Each line appears once, belongs to the bill,
    and gives back at most what was bought and not yet returned.
    """
    _check_return_lines(purchase_id, lines, data)
    left = {line_id: line.quantity - line.returned_quantity for line_id, line in lines.items()}
    over = [
        FieldError(f"body.lines.{index}.quantity", f"only {left[item.line_id]} left to return", "too_many")
        for index, item in enumerate(data.lines)
        if item.quantity > left[item.line_id]
    ]
    if over:
        raise Conflict("cannot return more than was bought", errors=over)
    return [_returned(lines[item.line_id], item.quantity) for item in data.lines]


def _check_return_lines(purchase_id: int, lines: Mapping[int, "LineFacts"], data: ReturnRequest) -> None:
    errors: list[FieldError] = []
    seen: set[int] = set()
    for index, item in enumerate(data.lines):
        if item.line_id in seen:
            errors.append(FieldError(f"body.lines.{index}.line_id", "line appears twice", "duplicate"))
        elif item.line_id not in lines:
            message = f"line {item.line_id} is not on purchase {purchase_id}"
            errors.append(FieldError(f"body.lines.{index}.line_id", message, "unknown"))
        seen.add(item.line_id)
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)


def _returned(line: "LineFacts", quantity: int) -> ReturnedLine:
    return ReturnedLine(
        line_id=line.id,
        product_id=line.product_id,
        quantity=quantity,
        base_amount=refund(line.base_total, line.quantity, line.returned_quantity, quantity),
        local_amount=refund(line.local_total, line.quantity, line.returned_quantity, quantity),
    )


# The answer: a bill and its lines as the API shows them, from what was written or read back.


class AmountFacts(Protocol):
    """The six amounts a line and a bill both carry: gross, discount and total, in both currencies."""

    @property
    def base_gross(self) -> Decimal: ...
    @property
    def base_discount(self) -> Decimal: ...
    @property
    def base_total(self) -> Decimal: ...
    @property
    def local_gross(self) -> Decimal: ...
    @property
    def local_discount(self) -> Decimal: ...
    @property
    def local_total(self) -> Decimal: ...


class LineFacts(AmountFacts, Protocol):
    @property
    def id(self) -> int: ...
    @property
    def line_no(self) -> int: ...
    @property
    def product_id(self) -> int: ...
    @property
    def quantity(self) -> int: ...
    @property
    def returned_quantity(self) -> int: ...
    @property
    def base_unit_price(self) -> Decimal: ...
    @property
    def local_unit_price(self) -> Decimal: ...


class ProductFacts(Protocol):
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def brand(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...


class PurchaseFacts(AmountFacts, Protocol):
    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str | None: ...
    @property
    def customer_id(self) -> int | None: ...
    @property
    def store_id(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def rate(self) -> Decimal: ...
    @property
    def rate_date(self) -> date | None: ...
    @property
    def purchased_at(self) -> datetime: ...
    @property
    def reward_token(self) -> str | None: ...
    @property
    def base_returned(self) -> Decimal: ...
    @property
    def local_returned(self) -> Decimal: ...
    @property
    def cancelled_at(self) -> datetime | None: ...
    @property
    def cancel_reason(self) -> str | None: ...
    @property
    def reward_product_id(self) -> int | None: ...
    @property
    def reward_percent(self) -> int | None: ...
    @property
    def local_reward_discount(self) -> Decimal: ...
    @property
    def points_spent(self) -> int: ...
    @property
    def points_value(self) -> Decimal: ...
    @property
    def local_points_discount(self) -> Decimal: ...


def line_public(row: LineFacts, product: ProductFacts, *, purchase_status: str) -> PurchaseLinePublic:
    """A line as the API shows it: its amounts, its product's details, and what is left of it."""
    gone = row.quantity if purchase_status == PurchaseStatus.CANCELLED else row.returned_quantity
    return PurchaseLinePublic(
        id=row.id,
        line_no=row.line_no,
        product_id=row.product_id,
        sku=product.sku,
        name=product.name,
        brand=product.brand,
        category=product.category,
        quantity=row.quantity,
        returned_quantity=row.returned_quantity,
        base_unit_price=row.base_unit_price,
        local_unit_price=row.local_unit_price,
        base_gross=row.base_gross,
        base_discount=row.base_discount,
        base_total=row.base_total,
        local_gross=row.local_gross,
        local_discount=row.local_discount,
        local_total=row.local_total,
        base_net=row.base_total - returned_share(row.base_total, row.quantity, gone),
        local_net=row.local_total - returned_share(row.local_total, row.quantity, gone),
    )


def purchase_public(p: PurchaseFacts, lines: list[PurchaseLinePublic], *, base_currency: str) -> PurchasePublic:
    """A bill as the API shows it, from its ``purchase`` row and its lines."""
    cancelled = p.status == PurchaseStatus.CANCELLED
    return PurchasePublic(
        id=p.id,
        number=p.number,
        customer_id=p.customer_id,
        store_id=p.store_id,
        channel=p.channel,
        source=PurchaseSource(p.source),
        status=PurchaseStatus(p.status),
        base_currency=base_currency,
        currency=p.currency,
        rate=p.rate,
        rate_date=p.rate_date,
        purchased_at=p.purchased_at,
        reward_token=p.reward_token,
        base_gross=p.base_gross,
        base_discount=p.base_discount,
        base_total=p.base_total,
        local_gross=p.local_gross,
        local_discount=p.local_discount,
        local_total=p.local_total,
        base_returned=p.base_returned,
        local_returned=p.local_returned,
        base_net=ZERO if cancelled else p.base_total - p.base_returned,
        local_net=ZERO if cancelled else p.local_total - p.local_returned,
        cancelled_at=p.cancelled_at,
        cancel_reason=p.cancel_reason,
        reward_product_id=p.reward_product_id,
        reward_percent=p.reward_percent,
        reward_discount=p.local_reward_discount,
        points_spent=p.points_spent,
        points_value=p.points_value,
        points_discount=p.local_points_discount,
        lines=lines,
    )
