from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.erasure_public import ErasurePublic
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    customer_id: int,
    *,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/privacy/customers/{customer_id}/erasure".format(customer_id=quote(str(customer_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErasurePublic | Problem:
    if response.status_code == 200:
        response_200 = ErasurePublic.from_dict(response.json())



        return response_200

    if response.status_code == 202:
        response_202 = ErasurePublic.from_dict(response.json())



        return response_202

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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErasurePublic | Problem]:
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
    idempotency_key: str | Unset = UNSET,

) -> Response[ErasurePublic | Problem]:
    """ Erase a customer's personal data in every service

     Erase a customer's personal data in every service.

    Here at once: name, email, phone, username, birth date, postcode and custom attributes are cleared,
    and the customer can no longer sign in. The `customer.erased` event carries it to the other services
    (a service down now applies it when it returns), and the gateway deletes the credentials. Bills,
    rewards and wallet entries stay, anonymous, so no sales, loyalty or analytics figure changes. Asking
    again returns the same erasure (200).

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErasurePublic | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> ErasurePublic | Problem | None:
    """ Erase a customer's personal data in every service

     Erase a customer's personal data in every service.

    Here at once: name, email, phone, username, birth date, postcode and custom attributes are cleared,
    and the customer can no longer sign in. The `customer.erased` event carries it to the other services
    (a service down now applies it when it returns), and the gateway deletes the credentials. Bills,
    rewards and wallet entries stay, anonymous, so no sales, loyalty or analytics figure changes. Asking
    again returns the same erasure (200).

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErasurePublic | Problem
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErasurePublic | Problem]:
    """ Erase a customer's personal data in every service

     Erase a customer's personal data in every service.

    Here at once: name, email, phone, username, birth date, postcode and custom attributes are cleared,
    and the customer can no longer sign in. The `customer.erased` event carries it to the other services
    (a service down now applies it when it returns), and the gateway deletes the credentials. Bills,
    rewards and wallet entries stay, anonymous, so no sales, loyalty or analytics figure changes. Asking
    again returns the same erasure (200).

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErasurePublic | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> ErasurePublic | Problem | None:
    """ Erase a customer's personal data in every service

     Erase a customer's personal data in every service.

    Here at once: name, email, phone, username, birth date, postcode and custom attributes are cleared,
    and the customer can no longer sign in. The `customer.erased` event carries it to the other services
    (a service down now applies it when it returns), and the gateway deletes the credentials. Bills,
    rewards and wallet entries stay, anonymous, so no sales, loyalty or analytics figure changes. Asking
    again returns the same erasure (200).

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErasurePublic | Problem
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
idempotency_key=idempotency_key,

    )).parsed
