from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.groups_public import GroupsPublic
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    band: int,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["band"] = band

    json_month: None | str | Unset
    if isinstance(month, Unset):
        json_month = UNSET
    else:
        json_month = month
    params["month"] = json_month

    json_run_id: int | None | Unset
    if isinstance(run_id, Unset):
        json_run_id = UNSET
    else:
        json_run_id = run_id
    params["run_id"] = json_run_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/loyalty/levels/groups",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> GroupsPublic | Problem:
    if response.status_code == 200:
        response_200 = GroupsPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[GroupsPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    band: int,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,

) -> Response[GroupsPublic | Problem]:
    """ Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group

     Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group.

    Promotion: volume at or above the (10 − b)/10 quantile; retention: at or below the b/10 quantile
    (retention wins a tie); consistent: strictly between.

    Args:
        band (int): The band b: promotion from the (10 − b)/10 quantile.
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GroupsPublic | Problem]
     """


    kwargs = _get_kwargs(
        band=band,
month=month,
run_id=run_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    band: int,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,

) -> GroupsPublic | Problem | None:
    """ Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group

     Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group.

    Promotion: volume at or above the (10 − b)/10 quantile; retention: at or below the b/10 quantile
    (retention wins a tie); consistent: strictly between.

    Args:
        band (int): The band b: promotion from the (10 − b)/10 quantile.
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GroupsPublic | Problem
     """


    return sync_detailed(
        client=client,
band=band,
month=month,
run_id=run_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    band: int,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,

) -> Response[GroupsPublic | Problem]:
    """ Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group

     Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group.

    Promotion: volume at or above the (10 − b)/10 quantile; retention: at or below the b/10 quantile
    (retention wins a tie); consistent: strictly between.

    Args:
        band (int): The band b: promotion from the (10 − b)/10 quantile.
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GroupsPublic | Problem]
     """


    kwargs = _get_kwargs(
        band=band,
month=month,
run_id=run_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    band: int,
    month: None | str | Unset = UNSET,
    run_id: int | None | Unset = UNSET,

) -> GroupsPublic | Problem | None:
    """ Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group

     Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group.

    Promotion: volume at or above the (10 − b)/10 quantile; retention: at or below the b/10 quantile
    (retention wins a tie); consistent: strictly between.

    Args:
        band (int): The band b: promotion from the (10 − b)/10 quantile.
        month (None | str | Unset): The month, `YYYY-MM`.
        run_id (int | None | Unset): A run of the month; none: its latest run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GroupsPublic | Problem
     """


    return (await asyncio_detailed(
        client=client,
band=band,
month=month,
run_id=run_id,

    )).parsed
