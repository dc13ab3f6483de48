from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.customer_data_part import CustomerDataPart
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    customer_id: int,
    *,
    erasure_event: None | Unset | UUID = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_erasure_event: None | str | Unset
    if isinstance(erasure_event, Unset):
        json_erasure_event = UNSET
    elif isinstance(erasure_event, UUID):
        json_erasure_event = str(erasure_event)
    else:
        json_erasure_event = erasure_event
    params["erasure_event"] = json_erasure_event


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/privacy/customers/{customer_id}".format(customer_id=quote(str(customer_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CustomerDataPart | Problem:
    if response.status_code == 200:
        response_200 = CustomerDataPart.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CustomerDataPart | Problem]:
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
    erasure_event: None | Unset | UUID = UNSET,

) -> Response[CustomerDataPart | Problem]:
    """ What the analytics service holds about a customer (services only)

     What the analytics service holds about a customer (services only).

    Every table naming the customer, with its rows, for a privacy export; and whether the service has
    applied the erasure event given as `erasure_event`.

    Args:
        customer_id (int): Numeric id.
        erasure_event (None | Unset | UUID): The `customer.erased` event to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerDataPart | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
erasure_event=erasure_event,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    erasure_event: None | Unset | UUID = UNSET,

) -> CustomerDataPart | Problem | None:
    """ What the analytics service holds about a customer (services only)

     What the analytics service holds about a customer (services only).

    Every table naming the customer, with its rows, for a privacy export; and whether the service has
    applied the erasure event given as `erasure_event`.

    Args:
        customer_id (int): Numeric id.
        erasure_event (None | Unset | UUID): The `customer.erased` event to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerDataPart | Problem
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
erasure_event=erasure_event,

    ).parsed

async def asyncio_detailed(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    erasure_event: None | Unset | UUID = UNSET,

) -> Response[CustomerDataPart | Problem]:
    """ What the analytics service holds about a customer (services only)

     What the analytics service holds about a customer (services only).

    Every table naming the customer, with its rows, for a privacy export; and whether the service has
    applied the erasure event given as `erasure_event`.

    Args:
        customer_id (int): Numeric id.
        erasure_event (None | Unset | UUID): The `customer.erased` event to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerDataPart | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
erasure_event=erasure_event,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    erasure_event: None | Unset | UUID = UNSET,

) -> CustomerDataPart | Problem | None:
    """ What the analytics service holds about a customer (services only)

     What the analytics service holds about a customer (services only).

    Every table naming the customer, with its rows, for a privacy export; and whether the service has
    applied the erasure event given as `erasure_event`.

    Args:
        customer_id (int): Numeric id.
        erasure_event (None | Unset | UUID): The `customer.erased` event to ask about.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerDataPart | Problem
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
erasure_event=erasure_event,

    )).parsed
