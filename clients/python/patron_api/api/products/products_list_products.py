from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.catalogue_page import CataloguePage
from ...models.problem import Problem
from ...models.product_sort import ProductSort
from ...models.products_public import ProductsPublic
from ...models.record_status import RecordStatus
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    sort: ProductSort | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    own_brand: bool | None | Unset = UNSET,
    track_stock: bool | None | Unset = UNSET,
    sku: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, RecordStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_brand: None | str | Unset
    if isinstance(brand, Unset):
        json_brand = UNSET
    else:
        json_brand = brand
    params["brand"] = json_brand

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

    json_own_brand: bool | None | Unset
    if isinstance(own_brand, Unset):
        json_own_brand = UNSET
    else:
        json_own_brand = own_brand
    params["own_brand"] = json_own_brand

    json_track_stock: bool | None | Unset
    if isinstance(track_stock, Unset):
        json_track_stock = UNSET
    else:
        json_track_stock = track_stock
    params["track_stock"] = json_track_stock

    json_sku: None | str | Unset
    if isinstance(sku, Unset):
        json_sku = UNSET
    else:
        json_sku = sku
    params["sku"] = json_sku

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

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
        "url": "/api/v1/products",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CataloguePage | ProductsPublic | Problem:
    if response.status_code == 200:
        def _parse_response_200(data: object) -> CataloguePage | ProductsPublic:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = ProductsPublic.from_dict(data)



                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = CataloguePage.from_dict(data)



            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CataloguePage | ProductsPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    sort: ProductSort | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    own_brand: bool | None | Unset = UNSET,
    track_stock: bool | None | Unset = UNSET,
    sku: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[CataloguePage | ProductsPublic | Problem]:
    """ Products; a customer gets the active catalogue, each product without its costs or stock

     Products; a customer gets the active catalogue, each product without its costs or stock.

    Args:
        sort (ProductSort | Unset):
        status (None | RecordStatus | Unset):
        brand (None | str | Unset):
        category (None | str | Unset):
        subcategory (None | str | Unset):
        own_brand (bool | None | Unset):
        track_stock (bool | None | Unset):
        sku (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CataloguePage | ProductsPublic | Problem]
     """


    kwargs = _get_kwargs(
        sort=sort,
status=status,
brand=brand,
category=category,
subcategory=subcategory,
own_brand=own_brand,
track_stock=track_stock,
sku=sku,
q=q,
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
    sort: ProductSort | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    own_brand: bool | None | Unset = UNSET,
    track_stock: bool | None | Unset = UNSET,
    sku: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> CataloguePage | ProductsPublic | Problem | None:
    """ Products; a customer gets the active catalogue, each product without its costs or stock

     Products; a customer gets the active catalogue, each product without its costs or stock.

    Args:
        sort (ProductSort | Unset):
        status (None | RecordStatus | Unset):
        brand (None | str | Unset):
        category (None | str | Unset):
        subcategory (None | str | Unset):
        own_brand (bool | None | Unset):
        track_stock (bool | None | Unset):
        sku (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CataloguePage | ProductsPublic | Problem
     """


    return sync_detailed(
        client=client,
sort=sort,
status=status,
brand=brand,
category=category,
subcategory=subcategory,
own_brand=own_brand,
track_stock=track_stock,
sku=sku,
q=q,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    sort: ProductSort | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    own_brand: bool | None | Unset = UNSET,
    track_stock: bool | None | Unset = UNSET,
    sku: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[CataloguePage | ProductsPublic | Problem]:
    """ Products; a customer gets the active catalogue, each product without its costs or stock

     Products; a customer gets the active catalogue, each product without its costs or stock.

    Args:
        sort (ProductSort | Unset):
        status (None | RecordStatus | Unset):
        brand (None | str | Unset):
        category (None | str | Unset):
        subcategory (None | str | Unset):
        own_brand (bool | None | Unset):
        track_stock (bool | None | Unset):
        sku (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CataloguePage | ProductsPublic | Problem]
     """


    kwargs = _get_kwargs(
        sort=sort,
status=status,
brand=brand,
category=category,
subcategory=subcategory,
own_brand=own_brand,
track_stock=track_stock,
sku=sku,
q=q,
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
    sort: ProductSort | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    category: None | str | Unset = UNSET,
    subcategory: None | str | Unset = UNSET,
    own_brand: bool | None | Unset = UNSET,
    track_stock: bool | None | Unset = UNSET,
    sku: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> CataloguePage | ProductsPublic | Problem | None:
    """ Products; a customer gets the active catalogue, each product without its costs or stock

     Products; a customer gets the active catalogue, each product without its costs or stock.

    Args:
        sort (ProductSort | Unset):
        status (None | RecordStatus | Unset):
        brand (None | str | Unset):
        category (None | str | Unset):
        subcategory (None | str | Unset):
        own_brand (bool | None | Unset):
        track_stock (bool | None | Unset):
        sku (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CataloguePage | ProductsPublic | Problem
     """


    return (await asyncio_detailed(
        client=client,
sort=sort,
status=status,
brand=brand,
category=category,
subcategory=subcategory,
own_brand=own_brand,
track_stock=track_stock,
sku=sku,
q=q,
limit=limit,
cursor=cursor,

    )).parsed
