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
    customer_id: int,
    *,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,

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


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/clv/summary/{customer_id}".format(customer_id=quote(str(customer_id), safe=""),),
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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

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
    customer_id: int,
    *,
    client: AuthenticatedClient,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,

) -> Response[Any | Problem]:
    """ One customer's summary; 404 when the customer has no purchase on or before the calibration end

     One customer's summary; 404 when the customer has no purchase on or before the calibration end.

    Args:
        customer_id (int):
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day.
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,

) -> Any | Problem | None:
    """ One customer's summary; 404 when the customer has no purchase on or before the calibration end

     One customer's summary; 404 when the customer has no purchase on or before the calibration end.

    Args:
        customer_id (int):
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day.
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        customer_id=customer_id,
client=client,
calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,

    ).parsed

async def asyncio_detailed(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,

) -> Response[Any | Problem]:
    """ One customer's summary; 404 when the customer has no purchase on or before the calibration end

     One customer's summary; 404 when the customer has no purchase on or before the calibration end.

    Args:
        customer_id (int):
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day.
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: int,
    *,
    client: AuthenticatedClient,
    calibration_end: datetime.date | None | Unset = UNSET,
    unit_days: int | Unset = 7,
    format_: Format | Unset = UNSET,

) -> Any | Problem | None:
    """ One customer's summary; 404 when the customer has no purchase on or before the calibration end

     One customer's summary; 404 when the customer has no purchase on or before the calibration end.

    Args:
        customer_id (int):
        calibration_end (datetime.date | None | Unset): Only purchases on or before this day.
        unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
client=client,
calibration_end=calibration_end,
unit_days=unit_days,
format_=format_,

    )).parsed
