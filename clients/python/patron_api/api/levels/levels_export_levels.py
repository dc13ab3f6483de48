from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

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


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/loyalty/levels.csv",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

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
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,
    level: int | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ The same customers as the listing, all of them, as CSV

     The same customers as the listing, all of them, as CSV.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,

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

) -> Any | Problem | None:
    """ The same customers as the listing, all of them, as CSV

     The same customers as the listing, all of them, as CSV.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        client=client,
month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,
    level: int | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    store_id: int | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ The same customers as the listing, all of them, as CSV

     The same customers as the listing, all of them, as CSV.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,

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

) -> Any | Problem | None:
    """ The same customers as the listing, all of them, as CSV

     The same customers as the listing, all of them, as CSV.

    Args:
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.
        level (int | None | Unset): Only customers of this level.
        city (None | str | Unset): Only customers of this city.
        store_id (int | None | Unset): Only customers of this home store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        client=client,
month=month,
run_id=run_id,
level=level,
city=city,
store_id=store_id,

    )).parsed
