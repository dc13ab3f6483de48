from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.format_ import Format
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    limit: int | Unset = 100,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_date_from: None | str | Unset
    if isinstance(date_from, Unset):
        json_date_from = UNSET
    elif isinstance(date_from, datetime.date):
        json_date_from = date_from.isoformat()
    else:
        json_date_from = date_from
    params["date_from"] = json_date_from

    json_date_to: None | str | Unset
    if isinstance(date_to, Unset):
        json_date_to = UNSET
    elif isinstance(date_to, datetime.date):
        json_date_to = date_to.isoformat()
    else:
        json_date_to = date_to
    params["date_to"] = json_date_to


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/loyalty/products/boost",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem:
    if response.status_code == 200:
        response_200 = response.json()
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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Each product's boost: units sold with a reward over units sold without one, in the range

     Each product's boost: units sold with a reward over units sold without one, in the range.

    A line is sold with a reward when a reward for its product was redeemed on its bill; units are the
    lines' kept units (bills not cancelled, net of returns). `boost` is none when every unit sold with a
    reward. Most boosted first, then those sold only with a reward, then the rest (ties by product id).

    Args:
        limit (int | Unset): At most this many products. Default: 100.
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
format_=format_,
date_from=date_from,
date_to=date_to,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Any | Problem | None:
    """ Each product's boost: units sold with a reward over units sold without one, in the range

     Each product's boost: units sold with a reward over units sold without one, in the range.

    A line is sold with a reward when a reward for its product was redeemed on its bill; units are the
    lines' kept units (bills not cancelled, net of returns). `boost` is none when every unit sold with a
    reward. Most boosted first, then those sold only with a reward, then the rest (ties by product id).

    Args:
        limit (int | Unset): At most this many products. Default: 100.
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        client=client,
limit=limit,
format_=format_,
date_from=date_from,
date_to=date_to,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Each product's boost: units sold with a reward over units sold without one, in the range

     Each product's boost: units sold with a reward over units sold without one, in the range.

    A line is sold with a reward when a reward for its product was redeemed on its bill; units are the
    lines' kept units (bills not cancelled, net of returns). `boost` is none when every unit sold with a
    reward. Most boosted first, then those sold only with a reward, then the rest (ties by product id).

    Args:
        limit (int | Unset): At most this many products. Default: 100.
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
format_=format_,
date_from=date_from,
date_to=date_to,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Any | Problem | None:
    """ Each product's boost: units sold with a reward over units sold without one, in the range

     Each product's boost: units sold with a reward over units sold without one, in the range.

    A line is sold with a reward when a reward for its product was redeemed on its bill; units are the
    lines' kept units (bills not cancelled, net of returns). `boost` is none when every unit sold with a
    reward. Most boosted first, then those sold only with a reward, then the rest (ties by product id).

    Args:
        limit (int | Unset): At most this many products. Default: 100.
        format_ (Format | Unset):
        date_from (datetime.date | None | Unset): First day (business time zone), included.
        date_to (datetime.date | None | Unset): Last day (business time zone), included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
format_=format_,
date_from=date_from,
date_to=date_to,

    )).parsed
