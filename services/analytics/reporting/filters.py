"""A report's filters (a date range in the business time zone and the sales dimensions), and the SQL they
become over one of the star schema's tables."""

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query

from services.kit.api import IsoDate
from services.kit.errors import InvalidInput

Text = Annotated[str | None, Query(min_length=1, max_length=200)]


@dataclass(frozen=True)
class ReportFilters:
    date_from: date | None = None
    date_to: date | None = None
    product_id: int | None = None
    category: str | None = None
    subcategory: str | None = None
    brand: str | None = None
    store_id: int | None = None
    online: bool | None = None
    country: str | None = None
    currency: str | None = None

    def given(self) -> dict[str, Any]:
        """The filters set, as the reply echoes them."""
        return {name: value for name, value in self.__dict__.items() if value is not None}

    @property
    def by_product(self) -> bool:
        """Whether a filter asks about the products on a bill (so daily orders cannot answer it)."""
        return any(v is not None for v in (self.product_id, self.category, self.subcategory, self.brand))


def report_filters(
    date_from: Annotated[IsoDate | None, Query(description="First day (business time zone), included.")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Last day (business time zone), included.")] = None,
    product_id: Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Only this product.")] = None,
    category: Annotated[str | None, Query(min_length=1, max_length=200, description="Only this category.")] = None,
    subcategory: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Only this subcategory.")
    ] = None,
    brand: Annotated[str | None, Query(min_length=1, max_length=200, description="Only this brand.")] = None,
    store_id: Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Only this store.")] = None,
    online: Annotated[bool | None, Query(description="Only the online store(s), or only physical stores.")] = None,
    country: Annotated[str | None, Query(min_length=1, max_length=100, description="Only this country.")] = None,
    currency: Annotated[
        str | None, Query(pattern="^[A-Z]{3}$", description="Only bills in this currency (ISO 4217).")
    ] = None,
) -> ReportFilters:
    texts = {"category": category, "subcategory": subcategory, "brand": brand, "country": country}
    for name, value in texts.items():
        if value is not None and "\x00" in value:
            raise InvalidInput.field(f"query.{name}", "must not contain a NUL character", "nul")
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput.field("query.date_to", "must not be before date_from", "range")
    return ReportFilters(
        date_from, date_to, product_id, category, subcategory, brand, store_id, online, country, currency
    )


FiltersDep = Annotated[ReportFilters, Depends(report_filters)]

JOINS = {
    # A line whose product, store or customer is not known yet still counts, under an unknown value.
    "product": "LEFT JOIN analytics.product AS p ON p.id = x.product_id",
    "store": "LEFT JOIN analytics.store AS s ON s.id = x.store_id",
    "calendar": "JOIN analytics.calendar AS c ON c.day = x.day",
    "customer": "LEFT JOIN analytics.customer AS cu ON cu.id = x.customer_id",
}


@dataclass
class Where:
    """The joins and conditions of a query over ``x`` (a table with day, product, store, currency, country)."""

    joins: set[str] = field(default_factory=set)
    conditions: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def add(self, condition: str, name: str, value: Any, join: str | None = None) -> None:
        self.conditions.append(condition)
        self.parameters[name] = value
        if join:
            self.joins.add(join)

    def sql(self, table: str, *, extra_joins: AbstractSet[str] = frozenset()) -> str:
        joins = " ".join(JOINS[j] for j in sorted(self.joins | extra_joins, key=list(JOINS).index))
        where = " AND ".join(self.conditions) or "true"
        return f"FROM analytics.{table} AS x {joins} WHERE {where}"


def where(filters: ReportFilters, *, products: bool = True) -> Where:
    """The conditions of ``filters``; without ``products`` the table has no product (daily orders)."""
    w = Where()
    if filters.date_from is not None:
        w.add("x.day >= :date_from", "date_from", filters.date_from)
    if filters.date_to is not None:
        w.add("x.day <= :date_to", "date_to", filters.date_to)
    if products:
        if filters.product_id is not None:
            w.add("x.product_id = :product_id", "product_id", filters.product_id)
        for name in ("category", "subcategory", "brand"):
            value = getattr(filters, name)
            if value is not None:
                w.add(f"p.{name} = :{name}", name, value, "product")
    if filters.store_id is not None:
        w.add("x.store_id = :store_id", "store_id", filters.store_id)
    if filters.online is not None:
        w.add("s.online = :online", "online", filters.online, "store")
    if filters.country is not None:
        w.add("x.country = :country", "country", filters.country)
    if filters.currency is not None:
        w.add("x.currency = :currency", "currency", filters.currency)
    return w
