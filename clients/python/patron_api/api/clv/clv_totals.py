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
    rfm_run_id: int | None | Unset = UNSET,
    format_: Format | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["horizon"] = horizon

    params["months"] = months

    params["discount_rate"] = discount_rate

    json_rfm_run_id: int | None | Unset
    if isinstance(rfm_run_id, Unset):
        json_rfm_run_id = UNSET
    else:
        json_rfm_run_id = rfm_run_id
    params["rfm_run_id"] = json_rfm_run_id

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/clv/fits/{fit_id}/totals".format(fit_id=quote(str(fit_id), safe=""),),
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
    fit_id: int,
    *,
    client: AuthenticatedClient,
    horizon: float | Unset = 52.0,
    months: int | Unset = 12,
    discount_rate: float | Unset = 0.01,
    rfm_run_id: int | None | Unset = UNSET,
    format_: Format | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers

     Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers
    the run did not score: segment null): customers, purchases expected over the horizon, the expected
    number
    of customers alive and the total lifetime value.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
        rfm_run_id (int | None | Unset): Total per segment of this RFM run.
        format_ (Format | Unset):

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
rfm_run_id=rfm_run_id,
format_=format_,

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
    rfm_run_id: int | None | Unset = UNSET,
    format_: Format | Unset = UNSET,

) -> Any | Problem | None:
    """ Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers

     Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers
    the run did not score: segment null): customers, purchases expected over the horizon, the expected
    number
    of customers alive and the total lifetime value.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
        rfm_run_id (int | None | Unset): Total per segment of this RFM run.
        format_ (Format | Unset):

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
rfm_run_id=rfm_run_id,
format_=format_,

    ).parsed

async def asyncio_detailed(
    fit_id: int,
    *,
    client: AuthenticatedClient,
    horizon: float | Unset = 52.0,
    months: int | Unset = 12,
    discount_rate: float | Unset = 0.01,
    rfm_run_id: int | None | Unset = UNSET,
    format_: Format | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers

     Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers
    the run did not score: segment null): customers, purchases expected over the horizon, the expected
    number
    of customers alive and the total lifetime value.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
        rfm_run_id (int | None | Unset): Total per segment of this RFM run.
        format_ (Format | Unset):

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
rfm_run_id=rfm_run_id,
format_=format_,

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
    rfm_run_id: int | None | Unset = UNSET,
    format_: Format | Unset = UNSET,

) -> Any | Problem | None:
    """ Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers

     Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run
    (customers
    the run did not score: segment null): customers, purchases expected over the horizon, the expected
    number
    of customers alive and the total lifetime value.

    Args:
        fit_id (int):
        horizon (float | Unset): Expected purchases over this many time units ahead. Default:
            52.0.
        months (int | Unset): The lifetime value's horizon, in months of 30 days. Default: 12.
        discount_rate (float | Unset): The monthly discount rate (0.01: 1 % a month). Default:
            0.01.
        rfm_run_id (int | None | Unset): Total per segment of this RFM run.
        format_ (Format | Unset):

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
rfm_run_id=rfm_run_id,
format_=format_,

    )).parsed
