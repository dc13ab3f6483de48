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
    *,
    from_run: int,
    to_run: int,
    format_: Format | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["from_run"] = from_run

    params["to_run"] = to_run

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/rfm/movements",
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
    from_run: int,
    to_run: int,
    format_: Format | Unset = UNSET,

) -> Response[Any | Problem]:
    """ How many customers moved from each segment (or class) of one run to each of another; a customer in
    one

     How many customers moved from each segment (or class) of one run to each of another; a customer in
    one
    run only is counted from or to none.

    Args:
        from_run (int): An RFM run's id.
        to_run (int): An RFM run's id.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        from_run=from_run,
to_run=to_run,
format_=format_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    from_run: int,
    to_run: int,
    format_: Format | Unset = UNSET,

) -> Any | Problem | None:
    """ How many customers moved from each segment (or class) of one run to each of another; a customer in
    one

     How many customers moved from each segment (or class) of one run to each of another; a customer in
    one
    run only is counted from or to none.

    Args:
        from_run (int): An RFM run's id.
        to_run (int): An RFM run's id.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        client=client,
from_run=from_run,
to_run=to_run,
format_=format_,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_run: int,
    to_run: int,
    format_: Format | Unset = UNSET,

) -> Response[Any | Problem]:
    """ How many customers moved from each segment (or class) of one run to each of another; a customer in
    one

     How many customers moved from each segment (or class) of one run to each of another; a customer in
    one
    run only is counted from or to none.

    Args:
        from_run (int): An RFM run's id.
        to_run (int): An RFM run's id.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        from_run=from_run,
to_run=to_run,
format_=format_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    from_run: int,
    to_run: int,
    format_: Format | Unset = UNSET,

) -> Any | Problem | None:
    """ How many customers moved from each segment (or class) of one run to each of another; a customer in
    one

     How many customers moved from each segment (or class) of one run to each of another; a customer in
    one
    run only is counted from or to none.

    Args:
        from_run (int): An RFM run's id.
        to_run (int): An RFM run's id.
        format_ (Format | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        client=client,
from_run=from_run,
to_run=to_run,
format_=format_,

    )).parsed
