from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.record_status import RecordStatus
from ...models.store_sort import StoreSort
from ...models.stores_public import StoresPublic
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    sort: StoreSort | Unset = UNSET,
    country: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    json_online: bool | None | Unset
    if isinstance(online, Unset):
        json_online = UNSET
    else:
        json_online = online
    params["online"] = json_online

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, RecordStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

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
        "url": "/api/v1/stores",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | StoresPublic:
    if response.status_code == 200:
        response_200 = StoresPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | StoresPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    sort: StoreSort | Unset = UNSET,
    country: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Problem | StoresPublic]:
    """ List Stores

    Args:
        sort (StoreSort | Unset):
        country (None | str | Unset):
        state (None | str | Unset):
        online (bool | None | Unset):
        status (None | RecordStatus | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StoresPublic]
     """


    kwargs = _get_kwargs(
        sort=sort,
country=country,
state=state,
online=online,
status=status,
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
    sort: StoreSort | Unset = UNSET,
    country: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Problem | StoresPublic | None:
    """ List Stores

    Args:
        sort (StoreSort | Unset):
        country (None | str | Unset):
        state (None | str | Unset):
        online (bool | None | Unset):
        status (None | RecordStatus | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StoresPublic
     """


    return sync_detailed(
        client=client,
sort=sort,
country=country,
state=state,
online=online,
status=status,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    sort: StoreSort | Unset = UNSET,
    country: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Problem | StoresPublic]:
    """ List Stores

    Args:
        sort (StoreSort | Unset):
        country (None | str | Unset):
        state (None | str | Unset):
        online (bool | None | Unset):
        status (None | RecordStatus | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StoresPublic]
     """


    kwargs = _get_kwargs(
        sort=sort,
country=country,
state=state,
online=online,
status=status,
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
    sort: StoreSort | Unset = UNSET,
    country: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Problem | StoresPublic | None:
    """ List Stores

    Args:
        sort (StoreSort | Unset):
        country (None | str | Unset):
        state (None | str | Unset):
        online (bool | None | Unset):
        status (None | RecordStatus | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StoresPublic
     """


    return (await asyncio_detailed(
        client=client,
sort=sort,
country=country,
state=state,
online=online,
status=status,
limit=limit,
cursor=cursor,

    )).parsed
