from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.target_run_create import TargetRunCreate
from ...models.target_run_public import TargetRunPublic
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: TargetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/loyalty/targets/runs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TargetRunPublic:
    if response.status_code == 201:
        response_201 = TargetRunPublic.from_dict(response.json())



        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TargetRunPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TargetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | TargetRunPublic]:
    """ Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <

     Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <
    upper`): by percent, volume × (1 + percent/100); by value, volume + value; to the cent. A zero
    percent
    or value, or a zero volume, sets no target. Last month's levels are those of its latest level run,
    computed now if there is none (409 while last month is still going on).

    Args:
        idempotency_key (str | Unset):
        body (TargetRunCreate): A target run for a month, from last month's levels and volumes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TargetRunPublic]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: TargetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | TargetRunPublic | None:
    """ Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <

     Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <
    upper`): by percent, volume × (1 + percent/100); by value, volume + value; to the cent. A zero
    percent
    or value, or a zero volume, sets no target. Last month's levels are those of its latest level run,
    computed now if there is none (409 while last month is still going on).

    Args:
        idempotency_key (str | Unset):
        body (TargetRunCreate): A target run for a month, from last month's levels and volumes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TargetRunPublic
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TargetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | TargetRunPublic]:
    """ Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <

     Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <
    upper`): by percent, volume × (1 + percent/100); by value, volume + value; to the cent. A zero
    percent
    or value, or a zero volume, sets no target. Last month's levels are those of its latest level run,
    computed now if there is none (409 while last month is still going on).

    Args:
        idempotency_key (str | Unset):
        body (TargetRunCreate): A target run for a month, from last month's levels and volumes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TargetRunPublic]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TargetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | TargetRunPublic | None:
    """ Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <

     Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <
    upper`): by percent, volume × (1 + percent/100); by value, volume + value; to the cent. A zero
    percent
    or value, or a zero volume, sets no target. Last month's levels are those of its latest level run,
    computed now if there is none (409 while last month is still going on).

    Args:
        idempotency_key (str | Unset):
        body (TargetRunCreate): A target run for a month, from last month's levels and volumes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TargetRunPublic
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
