from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.reward_catalogue_page import RewardCataloguePage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: int,
    *,
    category: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_category: None | str | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    else:
        json_category = category
    params["category"] = json_category

    json_brand: None | str | Unset
    if isinstance(brand, Unset):
        json_brand = UNSET
    else:
        json_brand = brand
    params["brand"] = json_brand

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
        "url": "/api/v1/loyalty/customers/{customer_id}/catalogue".format(customer_id=quote(str(customer_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RewardCataloguePage:
    if response.status_code == 200:
        response_200 = RewardCataloguePage.from_dict(response.json())



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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RewardCataloguePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    category: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Problem | RewardCataloguePage]:
    """ A page of the active catalogue with, per product, the customer's usable reward on it (percent off

     A page of the active catalogue with, per product, the customer's usable reward on it (percent off
    and expiry) or none, and the share of the customer's earned rewards claimed.

    Args:
        customer_id (int): Numeric id.
        category (None | str | Unset):
        brand (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RewardCataloguePage]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
category=category,
brand=brand,
q=q,
limit=limit,
cursor=cursor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    category: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Problem | RewardCataloguePage | None:
    """ A page of the active catalogue with, per product, the customer's usable reward on it (percent off

     A page of the active catalogue with, per product, the customer's usable reward on it (percent off
    and expiry) or none, and the share of the customer's earned rewards claimed.

    Args:
        customer_id (int): Numeric id.
        category (None | str | Unset):
        brand (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RewardCataloguePage
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
category=category,
brand=brand,
q=q,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    category: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Problem | RewardCataloguePage]:
    """ A page of the active catalogue with, per product, the customer's usable reward on it (percent off

     A page of the active catalogue with, per product, the customer's usable reward on it (percent off
    and expiry) or none, and the share of the customer's earned rewards claimed.

    Args:
        customer_id (int): Numeric id.
        category (None | str | Unset):
        brand (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RewardCataloguePage]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
category=category,
brand=brand,
q=q,
limit=limit,
cursor=cursor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    category: None | str | Unset = UNSET,
    brand: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Problem | RewardCataloguePage | None:
    """ A page of the active catalogue with, per product, the customer's usable reward on it (percent off

     A page of the active catalogue with, per product, the customer's usable reward on it (percent off
    and expiry) or none, and the share of the customer's earned rewards claimed.

    Args:
        customer_id (int): Numeric id.
        category (None | str | Unset):
        brand (None | str | Unset):
        q (None | str | Unset): Part of the name or SKU.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RewardCataloguePage
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
category=category,
brand=brand,
q=q,
limit=limit,
cursor=cursor,

    )).parsed
