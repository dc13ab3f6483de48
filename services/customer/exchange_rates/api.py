"""HTTP routes for exchange rates."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from services.customer.exchange_rates import service
from services.customer.exchange_rates.schemas import (
    ExchangeRateLookup,
    ExchangeRatePublic,
    ExchangeRatesPublic,
    ExchangeRatesUpsert,
    ExchangeRatesUpserted,
)
from services.kit.api import IsoDate
from services.kit.db import SessionDep
from services.kit.money import Currency
from services.kit.pagination import PageDep

router = APIRouter(prefix="/exchange-rates", tags=["exchange-rates"])


def _base(request: Request) -> str:
    return str(request.app.state.settings.base_currency)


@router.put("", response_model=ExchangeRatesUpserted)
async def upsert_exchange_rates(
    request: Request, session: SessionDep, body: ExchangeRatesUpsert
) -> ExchangeRatesUpserted:
    inserted, updated = await service.upsert_rates(session, rates=body.rates, base_currency=_base(request))
    return ExchangeRatesUpserted(inserted=inserted, updated=updated)


@router.get("", response_model=ExchangeRatesPublic)
async def list_exchange_rates(
    request: Request,
    session: SessionDep,
    page: PageDep,
    currency: Annotated[Currency | None, Query()] = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
) -> ExchangeRatesPublic:
    filters = {"currency": currency, "date_from": date_from, "date_to": date_to}
    rows, next_cursor = await service.list_rates(session, filters=filters, page=page)
    base = _base(request)
    items = [ExchangeRatePublic(currency=r.currency, date=r.rate_date, rate=r.rate, base_currency=base) for r in rows]
    return ExchangeRatesPublic(items=items, next_cursor=next_cursor)


@router.get("/{currency}/{on}", response_model=ExchangeRateLookup)
async def lookup_exchange_rate(
    request: Request, session: SessionDep, currency: Annotated[Currency, Path()], on: IsoDate
) -> ExchangeRateLookup:
    """The rate of the date, or of the latest earlier date; 404 when there is none."""
    base = _base(request)
    rate_date, rate = await service.rate_on(session, currency=currency, on=on, base_currency=base)
    return ExchangeRateLookup(currency=currency, date=rate_date, rate=rate, base_currency=base, requested_date=on)
