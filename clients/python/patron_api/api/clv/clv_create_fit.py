from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.fit import Fit
from ...models.new_fit import NewFit
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: NewFit | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/analytics/clv/fits",
    }

    
    if isinstance(body, NewFit):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Fit | Problem:
    if response.status_code == 201:
        response_201 = Fit.from_dict(response.json())



        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Fit | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewFit | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[Fit | Problem]:
    """ Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and

     Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and
    store the fit. A 422 problem names why when the models cannot be fitted: no purchase, fewer than 10
    customers with a repeat purchase, an optimiser not converging, or non-finite results.

    Args:
        idempotency_key (str | Unset):
        body (NewFit | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Fit | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: NewFit | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Fit | Problem | None:
    """ Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and

     Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and
    store the fit. A 422 problem names why when the models cannot be fitted: no purchase, fewer than 10
    customers with a repeat purchase, an optimiser not converging, or non-finite results.

    Args:
        idempotency_key (str | Unset):
        body (NewFit | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Fit | Problem
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewFit | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[Fit | Problem]:
    """ Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and

     Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and
    store the fit. A 422 problem names why when the models cannot be fitted: no purchase, fewer than 10
    customers with a repeat purchase, an optimiser not converging, or non-finite results.

    Args:
        idempotency_key (str | Unset):
        body (NewFit | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Fit | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: NewFit | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Fit | Problem | None:
    """ Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and

     Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end,
    and
    store the fit. A 422 problem names why when the models cannot be fitted: no purchase, fewer than 10
    customers with a repeat purchase, an optimiser not converging, or non-finite results.

    Args:
        idempotency_key (str | Unset):
        body (NewFit | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Fit | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
