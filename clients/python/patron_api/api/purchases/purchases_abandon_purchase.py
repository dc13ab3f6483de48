from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.abandon_public import AbandonPublic
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    purchase_id: int,
    *,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/purchases/{purchase_id}/abandon".format(purchase_id=quote(str(purchase_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AbandonPublic | Problem:
    if response.status_code == 200:
        response_200 = AbandonPublic.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AbandonPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    purchase_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> Response[AbandonPublic | Problem]:
    """ Fence a purchase id off (services only: the loyalty service, before it releases a reservation)

     Fence a purchase id off (services only: the loyalty service, before it releases a reservation).

    ``abandoned``: no bill has the id and none can take it now (a late bill with it fails);
    ``recorded``: a bill has it. Asking again gives the same answer.

    Args:
        purchase_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AbandonPublic | Problem]
     """


    kwargs = _get_kwargs(
        purchase_id=purchase_id,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    purchase_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> AbandonPublic | Problem | None:
    """ Fence a purchase id off (services only: the loyalty service, before it releases a reservation)

     Fence a purchase id off (services only: the loyalty service, before it releases a reservation).

    ``abandoned``: no bill has the id and none can take it now (a late bill with it fails);
    ``recorded``: a bill has it. Asking again gives the same answer.

    Args:
        purchase_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AbandonPublic | Problem
     """


    return sync_detailed(
        purchase_id=purchase_id,
client=client,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    purchase_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> Response[AbandonPublic | Problem]:
    """ Fence a purchase id off (services only: the loyalty service, before it releases a reservation)

     Fence a purchase id off (services only: the loyalty service, before it releases a reservation).

    ``abandoned``: no bill has the id and none can take it now (a late bill with it fails);
    ``recorded``: a bill has it. Asking again gives the same answer.

    Args:
        purchase_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AbandonPublic | Problem]
     """


    kwargs = _get_kwargs(
        purchase_id=purchase_id,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    purchase_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> AbandonPublic | Problem | None:
    """ Fence a purchase id off (services only: the loyalty service, before it releases a reservation)

     Fence a purchase id off (services only: the loyalty service, before it releases a reservation).

    ``abandoned``: no bill has the id and none can take it now (a late bill with it fails);
    ``recorded``: a bill has it. Asking again gives the same answer.

    Args:
        purchase_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AbandonPublic | Problem
     """


    return (await asyncio_detailed(
        purchase_id=purchase_id,
client=client,
idempotency_key=idempotency_key,

    )).parsed
