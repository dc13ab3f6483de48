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
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_calibration_end: None | str | Unset
    if isinstance(calibration_end, Unset):
        json_calibration_end = UNSET
    elif isinstance(calibration_end, datetime.date):
        json_calibration_end = calibration_end.isoformat()
    else:
        json_calibration_end = calibration_end
    params["calibration_end"] = json_calibration_end

    params["unit_days"] = unit_days

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/clv/summary",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem:
    if response.status_code == 200:
        response_200 = response.json()
        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

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
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat

     Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat
    purchase days), recency and T (in time units) and monetary value (the mean of the repeat purchase
    days'
    net amounts); the CSV holds every customer.

    Args:
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day
            (default: today, business time zone).
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,
limit=limit,
cursor=cursor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat

     Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat
    purchase days), recency and T (in time units) and monetary value (the mean of the repeat purchase
    days'
    net amounts); the CSV holds every customer.

    Args:
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day
            (default: today, business time zone).
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        client=client,
calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat

     Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat
    purchase days), recency and T (in time units) and monetary value (the mean of the repeat purchase
    days'
    net amounts); the CSV holds every customer.

    Args:
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day
            (default: today, business time zone).
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,
limit=limit,
cursor=cursor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat

     Each customer's summary, by customer id: first and last purchase days, purchase days, frequency
    (repeat
    purchase days), recency and T (in time units) and monetary value (the mean of the repeat purchase
    days'
    net amounts); the CSV holds every customer.

    Args:
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day
            (default: today, business time zone).
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        client=client,
calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,
limit=limit,
cursor=cursor,

    )).parsed
