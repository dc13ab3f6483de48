"""Exchange-rate rules: bulk upsert, and the rate of a date or of the latest earlier date."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.customer import DatedRate, ExchangeRateUpserted
from services.customer.exchange_rates.models import ExchangeRate
from services.customer.exchange_rates.schemas import ExchangeRateIn
from services.customer.outbox import outbox
from services.kit.db import table_of
from services.kit.errors import FieldError, InvalidInput, NotFound
from services.kit.pagination import PageParams, SortKey, paginate

_c = table_of(ExchangeRate).c
BY_CURRENCY_DATE = SortKey("currency,date", _c.currency, _c.rate_date)


def reject_unusable_rates(rates: list[ExchangeRateIn], *, base_currency: str) -> None:
    seen: dict[tuple[str, date], int] = {}
    errors = []
    for index, rate in enumerate(rates):
        if rate.currency == base_currency:
            # The base currency's rate is 1 by definition; a stored one would never be read.
            errors.append(FieldError(f"body.rates.{index}.currency", "is the base currency, whose rate is 1", "base"))
        key = (rate.currency, rate.date)
        if key in seen:
            errors.append(
                FieldError(f"body.rates.{index}", f"repeats rates.{seen[key]} ({key[0]} on {key[1]})", "duplicate")
            )
        seen.setdefault(key, index)
    if errors:
        raise InvalidInput("some rates repeat a currency and date or are for the base currency", errors=errors)


async def upsert_rates(session: AsyncSession, *, rates: list[ExchangeRateIn], base_currency: str) -> tuple[int, int]:
    """Insert or replace each (date, currency) rate; return (inserted, updated)."""
    reject_unusable_rates(rates, base_currency=base_currency)
    values = insert(ExchangeRate).values([{"currency": r.currency, "rate_date": r.date, "rate": r.rate} for r in rates])
    statement: Any = values.on_conflict_do_update(
        index_elements=["currency", "rate_date"],
        set_={"rate": values.excluded.rate, "updated_at": literal_column("now()")},
    ).returning(literal_column("xmax = 0"))
    flags = (await session.execute(statement)).scalars().all()
    inserted = sum(1 for flag in flags if flag)
    by_currency: dict[str, list[DatedRate]] = {}
    for rate in rates:
        by_currency.setdefault(rate.currency, []).append(DatedRate(date=rate.date, rate=rate.rate))
    for currency, dated in sorted(by_currency.items()):
        await outbox.add(session, ExchangeRateUpserted(currency=currency, base_currency=base_currency, rates=dated))
    return inserted, len(flags) - inserted


async def rate_on(session: AsyncSession, *, currency: str, on: date, base_currency: str) -> tuple[date, Decimal]:
    """The rate of ``on`` or of the latest earlier date; the base currency is always 1."""
    if currency == base_currency:
        return on, Decimal(1)
    statement = (
        select(_c.rate_date, _c.rate)
        .where(_c.currency == currency, _c.rate_date <= on)
        .order_by(_c.rate_date.desc())
        .limit(1)
    )
    row = (await session.execute(statement)).first()
    if row is None:
        raise NotFound(f"no {currency} rate on or before {on.isoformat()}", currency=currency, date=on.isoformat())
    return row.rate_date, row.rate


async def list_rates(
    session: AsyncSession, *, filters: dict[str, Any], page: PageParams
) -> tuple[list[ExchangeRate], str | None]:
    statement = select(ExchangeRate)
    if filters.get("currency"):
        statement = statement.where(_c.currency == filters["currency"])
    if filters.get("date_from"):
        statement = statement.where(_c.rate_date >= filters["date_from"])
    if filters.get("date_to"):
        statement = statement.where(_c.rate_date <= filters["date_to"])
    return await paginate(session, statement, sort=BY_CURRENCY_DATE, params=page)
