from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.customer_levels_public import CustomerLevelsPublic
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,
    level: int | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_month: None | str | Unset
    if isinstance(month, Unset):
        json_month = UNSET
    else:
        json_month = month
    params["month"] = json_month

    json_run_id: int | None | Unset
    if isinstance(run_id, Unset):
        json_run_id = UNSET
    else:
        json_run_id = run_id
    params["run_id"] = json_run_id

    json_level: int | None | Unset
    if isinstance(level, Unset):
        json_level = UNSET
    else:
        json_level = level
    params["level"] = json_level

    json_city: None | str | Unset
    if isinstance(city, Unset):
        json_city = UNSET
    else:
        json_city = city
    params["city"] = json_city

    json_store_id: int | None | Unset
    if isinstance(store_id, Unset):
        json_store_id = UNSET
    else:
        json_store_id = store_id
    params["store_id"] = json_store_id

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
        "url": "/api/v1/loyalty/levels",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CustomerLevelsPublic | Problem:
    if response.status_code == 200:
        response_200 = CustomerLevelsPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CustomerLevelsPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,
    level: int | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[CustomerLevelsPublic | Problem]:
    """ Customers' levels in a month's latest run (or the run named), by customer id, with their figures

     Customers' levels in a month's latest run (or the run named), by customer id, with their figures.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerLevelsPublic | Problem]
     """


    kwargs = _get_kwargs(
        month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,
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
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,
    level: int | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> CustomerLevelsPublic | Problem | None:
    """ Customers' levels in a month's latest run (or the run named), by customer id, with their figures

     Customers' levels in a month's latest run (or the run named), by customer id, with their figures.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerLevelsPublic | Problem
     """


    return sync_detailed(
        client=client,
month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,
    level: int | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[CustomerLevelsPublic | Problem]:
    """ Customers' levels in a month's latest run (or the run named), by customer id, with their figures

     Customers' levels in a month's latest run (or the run named), by customer id, with their figures.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerLevelsPublic | Problem]
     """


    kwargs = _get_kwargs(
        month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,
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
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,
    level: int | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> CustomerLevelsPublic | Problem | None:
    """ Customers' levels in a month's latest run (or the run named), by customer id, with their figures

     Customers' levels in a month's latest run (or the run named), by customer id, with their figures.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerLevelsPublic | Problem
     """


    return (await asyncio_detailed(
        client=client,
month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,
limit=limit,
cursor=cursor,

    )).parsed
