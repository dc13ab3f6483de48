from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.exchange_rate_lookup import ExchangeRateLookup
from ...models.problem import Problem
from typing import cast
import datetime



def _get_kwargs(
    currency: str,
    on: datetime.date,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/exchange-rates/{currency}/{on}".format(currency=quote(str(currency), safe=""),on=quote(str(on), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ExchangeRateLookup | Problem:
    if response.status_code == 200:
        response_200 = ExchangeRateLookup.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ExchangeRateLookup | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    currency: str,
    on: datetime.date,
    *,
    client: AuthenticatedClient,

) -> Response[ExchangeRateLookup | Problem]:
    """ The rate of the date, or of the latest earlier date; 404 when there is none

     The rate of the date, or of the latest earlier date; 404 when there is none.

    Args:
        currency (str): An ISO 4217 currency code (upper-cased on the way in).
        on (datetime.date):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExchangeRateLookup | Problem]
     """


    kwargs = _get_kwargs(
        currency=currency,
on=on,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    currency: str,
    on: datetime.date,
    *,
    client: AuthenticatedClient,

) -> ExchangeRateLookup | Problem | None:
    """ The rate of the date, or of the latest earlier date; 404 when there is none

     The rate of the date, or of the latest earlier date; 404 when there is none.

    Args:
        currency (str): An ISO 4217 currency code (upper-cased on the way in).
        on (datetime.date):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExchangeRateLookup | Problem
     """


    return sync_detailed(
        currency=currency,
on=on,
client=client,

    ).parsed

async def asyncio_detailed(
    currency: str,
    on: datetime.date,
    *,
    client: AuthenticatedClient,

) -> Response[ExchangeRateLookup | Problem]:
    """ The rate of the date, or of the latest earlier date; 404 when there is none

     The rate of the date, or of the latest earlier date; 404 when there is none.

    Args:
        currency (str): An ISO 4217 currency code (upper-cased on the way in).
        on (datetime.date):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExchangeRateLookup | Problem]
     """


    kwargs = _get_kwargs(
        currency=currency,
on=on,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    currency: str,
    on: datetime.date,
    *,
    client: AuthenticatedClient,

) -> ExchangeRateLookup | Problem | None:
    """ The rate of the date, or of the latest earlier date; 404 when there is none

     The rate of the date, or of the latest earlier date; 404 when there is none.

    Args:
        currency (str): An ISO 4217 currency code (upper-cased on the way in).
        on (datetime.date):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExchangeRateLookup | Problem
     """


    return (await asyncio_detailed(
        currency=currency,
on=on,
client=client,

    )).parsed
