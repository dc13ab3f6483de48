from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.allocation_public import AllocationPublic
from ...models.allocation_request import AllocationRequest
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: AllocationRequest,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/loyalty/rewards/allocations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AllocationPublic | Problem:
    if response.status_code == 200:
        response_200 = AllocationPublic.from_dict(response.json())



        return response_200

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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AllocationPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AllocationRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[AllocationPublic | Problem]:
    """ Give a recorded bill its reward (services only: the customer service, right after recording it)

     Give a recorded bill its reward (services only: the customer service, right after recording it).

    Idempotent by purchase id: a bill has one reward at most, and asking again returns it. A bill
    that earns none (imported, a guest sale, too small, no active product) gets ``reward: null``.

    Args:
        idempotency_key (str | Unset):
        body (AllocationRequest): A recorded bill, offered for a reward by the service that
            recorded it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AllocationPublic | Problem]
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
    body: AllocationRequest,
    idempotency_key: str | Unset = UNSET,

) -> AllocationPublic | Problem | None:
    """ Give a recorded bill its reward (services only: the customer service, right after recording it)

     Give a recorded bill its reward (services only: the customer service, right after recording it).

    Idempotent by purchase id: a bill has one reward at most, and asking again returns it. A bill
    that earns none (imported, a guest sale, too small, no active product) gets ``reward: null``.

    Args:
        idempotency_key (str | Unset):
        body (AllocationRequest): A recorded bill, offered for a reward by the service that
            recorded it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AllocationPublic | Problem
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AllocationRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[AllocationPublic | Problem]:
    """ Give a recorded bill its reward (services only: the customer service, right after recording it)

     Give a recorded bill its reward (services only: the customer service, right after recording it).

    Idempotent by purchase id: a bill has one reward at most, and asking again returns it. A bill
    that earns none (imported, a guest sale, too small, no active product) gets ``reward: null``.

    Args:
        idempotency_key (str | Unset):
        body (AllocationRequest): A recorded bill, offered for a reward by the service that
            recorded it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AllocationPublic | Problem]
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
    body: AllocationRequest,
    idempotency_key: str | Unset = UNSET,

) -> AllocationPublic | Problem | None:
    """ Give a recorded bill its reward (services only: the customer service, right after recording it)

     Give a recorded bill its reward (services only: the customer service, right after recording it).

    Idempotent by purchase id: a bill has one reward at most, and asking again returns it. A bill
    that earns none (imported, a guest sale, too small, no active product) gets ``reward: null``.

    Args:
        idempotency_key (str | Unset):
        body (AllocationRequest): A recorded bill, offered for a reward by the service that
            recorded it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AllocationPublic | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
