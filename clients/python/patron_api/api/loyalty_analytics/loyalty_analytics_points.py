from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.format_ import Format
from ...models.period_grain import PeriodGrain
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    grain: PeriodGrain | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_grain: str | Unset = UNSET
    if not isinstance(grain, Unset):
        json_grain = grain.value

    params["grain"] = json_grain

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
        "url": "/api/v1/analytics/loyalty/points",
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
    grain: PeriodGrain | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity

     Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity.

    `spent` is net of refunds; `outstanding` is every wallet's balance added up at the period's end (or
    the range's), the liability a finance team books. Points are spent only while valid, so the share
    spent within their validity is spent over spent plus expired.

    Args:
        grain (PeriodGrain | Unset):
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
        grain=grain,
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
    grain: PeriodGrain | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Any | Problem | None:
    """ Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity

     Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity.

    `spent` is net of refunds; `outstanding` is every wallet's balance added up at the period's end (or
    the range's), the liability a finance team books. Points are spent only while valid, so the share
    spent within their validity is spent over spent plus expired.

    Args:
        grain (PeriodGrain | Unset):
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
grain=grain,
format_=format_,
date_from=date_from,
date_to=date_to,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    grain: PeriodGrain | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity

     Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity.

    `spent` is net of refunds; `outstanding` is every wallet's balance added up at the period's end (or
    the range's), the liability a finance team books. Points are spent only while valid, so the share
    spent within their validity is spent over spent plus expired.

    Args:
        grain (PeriodGrain | Unset):
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
        grain=grain,
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
    grain: PeriodGrain | Unset = UNSET,
    format_: Format | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,

) -> Any | Problem | None:
    """ Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity

     Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in
    validity.

    `spent` is net of refunds; `outstanding` is every wallet's balance added up at the period's end (or
    the range's), the liability a finance team books. Points are spent only while valid, so the share
    spent within their validity is spent over spent plus expired.

    Args:
        grain (PeriodGrain | Unset):
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
grain=grain,
format_=format_,
date_from=date_from,
date_to=date_to,

    )).parsed
