from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.budgets_export_budget_shares_group_type_0 import BudgetsExportBudgetSharesGroupType0
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    run_id: int,
    *,
    level: int | None | Unset = UNSET,
    group: BudgetsExportBudgetSharesGroupType0 | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_level: int | None | Unset
    if isinstance(level, Unset):
        json_level = UNSET
    else:
        json_level = level
    params["level"] = json_level

    json_group: None | str | Unset
    if isinstance(group, Unset):
        json_group = UNSET
    elif isinstance(group, BudgetsExportBudgetSharesGroupType0):
        json_group = group.value
    else:
        json_group = group
    params["group"] = json_group


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/loyalty/budgets/runs/{run_id}/shares.csv".format(run_id=quote(str(run_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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
    run_id: int,
    *,
    client: AuthenticatedClient,
    level: int | None | Unset = UNSET,
    group: BudgetsExportBudgetSharesGroupType0 | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ The same shares as the listing, all of them, as CSV

     The same shares as the listing, all of them, as CSV.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsExportBudgetSharesGroupType0 | None | Unset): Only customers of this group.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        run_id=run_id,
level=level,
group=group,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    run_id: int,
    *,
    client: AuthenticatedClient,
    level: int | None | Unset = UNSET,
    group: BudgetsExportBudgetSharesGroupType0 | None | Unset = UNSET,

) -> Any | Problem | None:
    """ The same shares as the listing, all of them, as CSV

     The same shares as the listing, all of them, as CSV.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsExportBudgetSharesGroupType0 | None | Unset): Only customers of this group.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        run_id=run_id,
client=client,
level=level,
group=group,

    ).parsed

async def asyncio_detailed(
    run_id: int,
    *,
    client: AuthenticatedClient,
    level: int | None | Unset = UNSET,
    group: BudgetsExportBudgetSharesGroupType0 | None | Unset = UNSET,

) -> Response[Any | Problem]:
    """ The same shares as the listing, all of them, as CSV

     The same shares as the listing, all of them, as CSV.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsExportBudgetSharesGroupType0 | None | Unset): Only customers of this group.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        run_id=run_id,
level=level,
group=group,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    run_id: int,
    *,
    client: AuthenticatedClient,
    level: int | None | Unset = UNSET,
    group: BudgetsExportBudgetSharesGroupType0 | None | Unset = UNSET,

) -> Any | Problem | None:
    """ The same shares as the listing, all of them, as CSV

     The same shares as the listing, all of them, as CSV.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsExportBudgetSharesGroupType0 | None | Unset): Only customers of this group.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        run_id=run_id,
client=client,
level=level,
group=group,

    )).parsed
