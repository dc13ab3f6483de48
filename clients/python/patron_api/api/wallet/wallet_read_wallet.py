from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.wallet_public import WalletPublic
from typing import cast



def _get_kwargs(
    customer_id: int,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/loyalty/customers/{customer_id}/wallet".format(customer_id=quote(str(customer_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WalletPublic:
    if response.status_code == 200:
        response_200 = WalletPublic.from_dict(response.json())



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

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WalletPublic]:
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

) -> Response[Problem | WalletPublic]:
    """ A customer's points, their value in the base currency, and when the next of them expire

     A customer's points, their value in the base currency, and when the next of them expire.

    A customer the loyalty service has never seen has an empty wallet.

    Args:
        customer_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WalletPublic]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: int,
    *,
    client: AuthenticatedClient,

) -> Problem | WalletPublic | None:
    """ A customer's points, their value in the base currency, and when the next of them expire

     A customer's points, their value in the base currency, and when the next of them expire.

    A customer the loyalty service has never seen has an empty wallet.

    Args:
        customer_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WalletPublic
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,

    ).parsed

async def asyncio_detailed(
    customer_id: int,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | WalletPublic]:
    """ A customer's points, their value in the base currency, and when the next of them expire

     A customer's points, their value in the base currency, and when the next of them expire.

    A customer the loyalty service has never seen has an empty wallet.

    Args:
        customer_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WalletPublic]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: int,
    *,
    client: AuthenticatedClient,

) -> Problem | WalletPublic | None:
    """ A customer's points, their value in the base currency, and when the next of them expire

     A customer's points, their value in the base currency, and when the next of them expire.

    A customer the loyalty service has never seen has an empty wallet.

    Args:
        customer_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WalletPublic
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,

    )).parsed
