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



def _get_kwargs(
    fit_id: int,
    *,
    horizon: float | Unset = 52.0,
    months: int | Unset = 12,
    discount_rate: float | Unset = 0.01,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["horizon"] = horizon

    params["months"] = months

    params["discount_rate"] = discount_rate

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
        "url": "/api/v1/analytics/clv/fits/{fit_id}/predictions".format(fit_id=quote(str(fit_id), safe=""),),
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
    fit_id: int,
    *,
    client: AuthenticatedClient,
    horizon: float | Unset = 52.0,
    months: int | Unset = 12,
    discount_rate: float | Unset = 0.01,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time

     Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time
    units, the probability of being alive, the expected spend per purchase and the lifetime value over
    ``months`` months discounted at ``discount_rate`` a month. The summaries are read again from the
    facts at
    the fit's calibration end. The CSV holds every customer.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
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
        fit_id=fit_id,
horizon=horizon,
months=months,
discount_rate=discount_rate,
format_=format_,
limit=limit,
cursor=cursor,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    fit_id: int,
    *,
    client: AuthenticatedClient,
    horizon: float | Unset = 52.0,
    months: int | Unset = 12,
    discount_rate: float | Unset = 0.01,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time

     Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time
    units, the probability of being alive, the expected spend per purchase and the lifetime value over
    ``months`` months discounted at ``discount_rate`` a month. The summaries are read again from the
    facts at
    the fit's calibration end. The CSV holds every customer.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
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
        fit_id=fit_id,
client=client,
horizon=horizon,
months=months,
discount_rate=discount_rate,
format_=format_,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    fit_id: int,
    *,
    client: AuthenticatedClient,
    horizon: float | Unset = 52.0,
    months: int | Unset = 12,
    discount_rate: float | Unset = 0.01,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time

     Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time
    units, the probability of being alive, the expected spend per purchase and the lifetime value over
    ``months`` months discounted at ``discount_rate`` a month. The summaries are read again from the
    facts at
    the fit's calibration end. The CSV holds every customer.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
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
        fit_id=fit_id,
horizon=horizon,
months=months,
discount_rate=discount_rate,
format_=format_,
limit=limit,
cursor=cursor,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    fit_id: int,
    *,
    client: AuthenticatedClient,
    horizon: float | Unset = 52.0,
    months: int | Unset = 12,
    discount_rate: float | Unset = 0.01,
    format_: Format | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time

     Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon``
    time
    units, the probability of being alive, the expected spend per purchase and the lifetime value over
    ``months`` months discounted at ``discount_rate`` a month. The summaries are read again from the
    facts at
    the fit's calibration end. The CSV holds every customer.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
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
        fit_id=fit_id,
client=client,
horizon=horizon,
months=months,
discount_rate=discount_rate,
format_=format_,
limit=limit,
cursor=cursor,

    )).parsed
