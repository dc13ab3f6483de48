from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.budget_shares_public import BudgetSharesPublic
from ...models.budgets_list_budget_shares_group_type_0 import BudgetsListBudgetSharesGroupType0
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    run_id: int,
    *,
    level: int | None | Unset = UNSET,
    group: BudgetsListBudgetSharesGroupType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

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
    elif isinstance(group, BudgetsListBudgetSharesGroupType0):
        json_group = group.value
    else:
        json_group = group
    params["group"] = json_group

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
        "url": "/api/v1/loyalty/budgets/runs/{run_id}/shares".format(run_id=quote(str(run_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BudgetSharesPublic | Problem:
    if response.status_code == 200:
        response_200 = BudgetSharesPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BudgetSharesPublic | Problem]:
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
    group: BudgetsListBudgetSharesGroupType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[BudgetSharesPublic | Problem]:
    """ The customers a run pays (narrowed by its city and store), by customer id, with their share

     The customers a run pays (narrowed by its city and store), by customer id, with their share.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsListBudgetSharesGroupType0 | None | Unset): Only customers of this group.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetSharesPublic | Problem]
     """


    kwargs = _get_kwargs(
        run_id=run_id,
level=level,
group=group,
limit=limit,
cursor=cursor,

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
    group: BudgetsListBudgetSharesGroupType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> BudgetSharesPublic | Problem | None:
    """ The customers a run pays (narrowed by its city and store), by customer id, with their share

     The customers a run pays (narrowed by its city and store), by customer id, with their share.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsListBudgetSharesGroupType0 | None | Unset): Only customers of this group.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetSharesPublic | Problem
     """


    return sync_detailed(
        run_id=run_id,
client=client,
level=level,
group=group,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    run_id: int,
    *,
    client: AuthenticatedClient,
    level: int | None | Unset = UNSET,
    group: BudgetsListBudgetSharesGroupType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[BudgetSharesPublic | Problem]:
    """ The customers a run pays (narrowed by its city and store), by customer id, with their share

     The customers a run pays (narrowed by its city and store), by customer id, with their share.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsListBudgetSharesGroupType0 | None | Unset): Only customers of this group.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetSharesPublic | Problem]
     """


    kwargs = _get_kwargs(
        run_id=run_id,
level=level,
group=group,
limit=limit,
cursor=cursor,

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
    group: BudgetsListBudgetSharesGroupType0 | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> BudgetSharesPublic | Problem | None:
    """ The customers a run pays (narrowed by its city and store), by customer id, with their share

     The customers a run pays (narrowed by its city and store), by customer id, with their share.

    Args:
        run_id (int): Numeric id.
        level (int | None | Unset): Only customers of this level.
        group (BudgetsListBudgetSharesGroupType0 | None | Unset): Only customers of this group.
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetSharesPublic | Problem
     """


    return (await asyncio_detailed(
        run_id=run_id,
client=client,
level=level,
group=group,
limit=limit,
cursor=cursor,

    )).parsed
