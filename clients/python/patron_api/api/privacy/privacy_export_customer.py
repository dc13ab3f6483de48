from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.privacy_request_public import PrivacyRequestPublic
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
        "url": "/api/v1/privacy/customers/{customer_id}/exports".format(customer_id=quote(str(customer_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PrivacyRequestPublic | Problem:
    if response.status_code == 202:
        response_202 = PrivacyRequestPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PrivacyRequestPublic | Problem]:
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

) -> Response[PrivacyRequestPublic | Problem]:
    """ Export everything Patron holds about a customer (a job)

     Export everything Patron holds about a customer (a job).

    The export gathers each service's part (customer record, bills and lines, rewards, wallet, analytics
    attributes and segments, credentials metadata without secrets) into one JSON document, labelled per
    service; follow it at the returned id and download the document once it is `done`. A customer may
    export their own data.

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PrivacyRequestPublic | Problem]
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

) -> PrivacyRequestPublic | Problem | None:
    """ Export everything Patron holds about a customer (a job)

     Export everything Patron holds about a customer (a job).

    The export gathers each service's part (customer record, bills and lines, rewards, wallet, analytics
    attributes and segments, credentials metadata without secrets) into one JSON document, labelled per
    service; follow it at the returned id and download the document once it is `done`. A customer may
    export their own data.

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PrivacyRequestPublic | Problem
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

) -> Response[PrivacyRequestPublic | Problem]:
    """ Export everything Patron holds about a customer (a job)

     Export everything Patron holds about a customer (a job).

    The export gathers each service's part (customer record, bills and lines, rewards, wallet, analytics
    attributes and segments, credentials metadata without secrets) into one JSON document, labelled per
    service; follow it at the returned id and download the document once it is `done`. A customer may
    export their own data.

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PrivacyRequestPublic | Problem]
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

) -> PrivacyRequestPublic | Problem | None:
    """ Export everything Patron holds about a customer (a job)

     Export everything Patron holds about a customer (a job).

    The export gathers each service's part (customer record, bills and lines, rewards, wallet, analytics
    attributes and segments, credentials metadata without secrets) into one JSON document, labelled per
    service; follow it at the returned id and download the document once it is `done`. A customer may
    export their own data.

    Args:
        customer_id (int): Numeric id.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PrivacyRequestPublic | Problem
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
idempotency_key=idempotency_key,

    )).parsed
