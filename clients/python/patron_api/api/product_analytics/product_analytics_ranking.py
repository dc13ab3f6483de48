from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.format_ import Format
from ...models.problem import Problem
from ...models.rank_by import RankBy
from ...models.rank_order import RankOrder
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    by: RankBy | Unset = UNSET,
    order: RankOrder | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    product_id: int | None | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_by: str | Unset = UNSET
    if not isinstance(by, Unset):
        json_by = by.value

    params["by"] = json_by

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_date_from: None | str | Unset
    if isinstance(date_from, Unset):
        json_date_from = UNSET
    elif isinstance(date_from, datetime.date):
        json_date_from = date_from.isoformat()
    else:
        json_date_from = date_from
    params["date_from"] = json_date_from

    json_date_to: None | str | Unset
    if isinstance(date_to, Unset):
        json_date_to = UNSET
    elif isinstance(date_to, datetime.date):
        json_date_to = date_to.isoformat()
    else:
        json_date_to = date_to
    params["date_to"] = json_date_to

    json_product_id: int | None | Unset
    if isinstance(product_id, Unset):
        json_product_id = UNSET
    else:
        json_product_id = product_id
    params["product_id"] = json_product_id

    json_category: None | str | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    else:
        json_category = category
    params["category"] = json_category

    json_subcategory: None | str | Unset
    if isinstance(subcategory, Unset):
        json_subcategory = UNSET
    else:
        json_subcategory = subcategory
    params["subcategory"] = json_subcategory

    json_brand: None | str | Unset
    if isinstance(brand, Unset):
        json_brand = UNSET
    else:
        json_brand = brand
    params["brand"] = json_brand

    json_store_id: int | None | Unset
    if isinstance(store_id, Unset):
        json_store_id = UNSET
    else:
        json_store_id = store_id
    params["store_id"] = json_store_id

    json_online: bool | None | Unset
    if isinstance(online, Unset):
        json_online = UNSET
    else:
        json_online = online
    params["online"] = json_online

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    else:
        json_currency = currency
    params["currency"] = json_currency

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/products/ranking",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem:
    if response.status_code == 200:
        response_200 = response.json()
        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    by: RankBy | Unset = UNSET,
    order: RankOrder | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    product_id: int | None | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Products ranked by units or revenue in the range (ties by product id), with their cost and margin

     Products ranked by units or revenue in the range (ties by product id), with their cost and margin.

    Every product that sold in the range and every active product that did not (units 0) is ranked;
    service lines (postage, fees...) are not products here. Paginated; `format=csv` downloads every row.

    Args:
        by (RankBy | Unset):
        order (RankOrder | Unset):
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.
        product_id (int | None | Unset): Only this product.
        category (None | str | Unset): Only this category.
        subcategory (None | str | Unset): Only this subcategory.
        brand (None | str | Unset): Only this brand.
        store_id (int | None | Unset): Only this store.
        online (bool | None | Unset): Only the online store(s), or only physical stores.
        country (None | str | Unset): Only this country.
        currency (None | str | Unset): Only bills in this currency (ISO 4217).
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        by=by,
order=order,
format_=format_,
date_from=date_from,
date_to=date_to,
product_id=product_id,
category=category,
subcategory=subcategory,
brand=brand,
store_id=store_id,
online=online,
country=country,
currency=currency,
limit=limit,
cursor=cursor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    by: RankBy | Unset = UNSET,
    order: RankOrder | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    product_id: int | None | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Products ranked by units or revenue in the range (ties by product id), with their cost and margin

     Products ranked by units or revenue in the range (ties by product id), with their cost and margin.

    Every product that sold in the range and every active product that did not (units 0) is ranked;
    service lines (postage, fees...) are not products here. Paginated; `format=csv` downloads every row.

    Args:
        by (RankBy | Unset):
        order (RankOrder | Unset):
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.
        product_id (int | None | Unset): Only this product.
        category (None | str | Unset): Only this category.
        subcategory (None | str | Unset): Only this subcategory.
        brand (None | str | Unset): Only this brand.
        store_id (int | None | Unset): Only this store.
        online (bool | None | Unset): Only the online store(s), or only physical stores.
        country (None | str | Unset): Only this country.
        currency (None | str | Unset): Only bills in this currency (ISO 4217).
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        client=client,
by=by,
order=order,
format_=format_,
date_from=date_from,
date_to=date_to,
product_id=product_id,
category=category,
subcategory=subcategory,
brand=brand,
store_id=store_id,
online=online,
country=country,
currency=currency,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    by: RankBy | Unset = UNSET,
    order: RankOrder | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    product_id: int | None | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Products ranked by units or revenue in the range (ties by product id), with their cost and margin

     Products ranked by units or revenue in the range (ties by product id), with their cost and margin.

    Every product that sold in the range and every active product that did not (units 0) is ranked;
    service lines (postage, fees...) are not products here. Paginated; `format=csv` downloads every row.

    Args:
        by (RankBy | Unset):
        order (RankOrder | Unset):
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.
        product_id (int | None | Unset): Only this product.
        category (None | str | Unset): Only this category.
        subcategory (None | str | Unset): Only this subcategory.
        brand (None | str | Unset): Only this brand.
        store_id (int | None | Unset): Only this store.
        online (bool | None | Unset): Only the online store(s), or only physical stores.
        country (None | str | Unset): Only this country.
        currency (None | str | Unset): Only bills in this currency (ISO 4217).
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        by=by,
order=order,
format_=format_,
date_from=date_from,
date_to=date_to,
product_id=product_id,
category=category,
subcategory=subcategory,
brand=brand,
store_id=store_id,
online=online,
country=country,
currency=currency,
limit=limit,
cursor=cursor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    by: RankBy | Unset = UNSET,
    order: RankOrder | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    product_id: int | None | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Products ranked by units or revenue in the range (ties by product id), with their cost and margin

     Products ranked by units or revenue in the range (ties by product id), with their cost and margin.

    Every product that sold in the range and every active product that did not (units 0) is ranked;
    service lines (postage, fees...) are not products here. Paginated; `format=csv` downloads every row.

    Args:
        by (RankBy | Unset):
        order (RankOrder | Unset):
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.
        product_id (int | None | Unset): Only this product.
        category (None | str | Unset): Only this category.
        subcategory (None | str | Unset): Only this subcategory.
        brand (None | str | Unset): Only this brand.
        store_id (int | None | Unset): Only this store.
        online (bool | None | Unset): Only the online store(s), or only physical stores.
        country (None | str | Unset): Only this country.
        currency (None | str | Unset): Only bills in this currency (ISO 4217).
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        client=client,
by=by,
order=order,
format_=format_,
date_from=date_from,
date_to=date_to,
product_id=product_id,
category=category,
subcategory=subcategory,
brand=brand,
store_id=store_id,
online=online,
country=country,
currency=currency,
limit=limit,
cursor=cursor,

    )).parsed
