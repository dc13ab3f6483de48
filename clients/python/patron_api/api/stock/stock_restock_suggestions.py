from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.restock_suggestions import RestockSuggestions
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    cover_days: int | None | Unset = UNSET,
    target_days: int | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_cover_days: int | None | Unset
    if isinstance(cover_days, Unset):
        json_cover_days = UNSET
    else:
        json_cover_days = cover_days
    params["cover_days"] = json_cover_days

    json_target_days: int | None | Unset
    if isinstance(target_days, Unset):
        json_target_days = UNSET
    else:
        json_target_days = target_days
    params["target_days"] = json_target_days


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/products/restock-suggestions",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RestockSuggestions:
    if response.status_code == 200:
        response_200 = RestockSuggestions.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RestockSuggestions]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cover_days: int | None | Unset = UNSET,
    target_days: int | None | Unset = UNSET,

) -> Response[Problem | RestockSuggestions]:
    """ Days of cover from the last 30 days' net sales, for the products under the cover asked

     Days of cover from the last 30 days' net sales, for the products under the cover asked.

    Args:
        cover_days (int | None | Unset): List products under this cover.
        target_days (int | None | Unset): Suggest enough for this cover.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RestockSuggestions]
     """


    kwargs = _get_kwargs(
        cover_days=cover_days,
target_days=target_days,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    cover_days: int | None | Unset = UNSET,
    target_days: int | None | Unset = UNSET,

) -> Problem | RestockSuggestions | None:
    """ Days of cover from the last 30 days' net sales, for the products under the cover asked

     Days of cover from the last 30 days' net sales, for the products under the cover asked.

    Args:
        cover_days (int | None | Unset): List products under this cover.
        target_days (int | None | Unset): Suggest enough for this cover.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RestockSuggestions
     """


    return sync_detailed(
        client=client,
cover_days=cover_days,
target_days=target_days,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cover_days: int | None | Unset = UNSET,
    target_days: int | None | Unset = UNSET,

) -> Response[Problem | RestockSuggestions]:
    """ Days of cover from the last 30 days' net sales, for the products under the cover asked

     Days of cover from the last 30 days' net sales, for the products under the cover asked.

    Args:
        cover_days (int | None | Unset): List products under this cover.
        target_days (int | None | Unset): Suggest enough for this cover.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RestockSuggestions]
     """


    kwargs = _get_kwargs(
        cover_days=cover_days,
target_days=target_days,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    cover_days: int | None | Unset = UNSET,
    target_days: int | None | Unset = UNSET,

) -> Problem | RestockSuggestions | None:
    """ Days of cover from the last 30 days' net sales, for the products under the cover asked

     Days of cover from the last 30 days' net sales, for the products under the cover asked.

    Args:
        cover_days (int | None | Unset): List products under this cover.
        target_days (int | None | Unset): Suggest enough for this cover.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RestockSuggestions
     """


    return (await asyncio_detailed(
        client=client,
cover_days=cover_days,
target_days=target_days,

    )).parsed
