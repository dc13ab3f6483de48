from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.budget_run_create import BudgetRunCreate
from ...models.budget_run_public import BudgetRunPublic
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: BudgetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/loyalty/budgets/runs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BudgetRunPublic | Problem:
    if response.status_code == 201:
        response_201 = BudgetRunPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BudgetRunPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BudgetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[BudgetRunPublic | Problem]:
    """ Allocate a month's budget to the cent and store it as a run

     Allocate a month's budget to the cent and store it as a run.

    Each level 1 to 5 receives its share of the amount by volume (of the whole month, selected or
    not), half to its promotion group and half to its retention group, shared equally; consistent
    customers receive nothing; level 0 shares the level-0 amount equally. A level not selected, or
    with an empty promotion or retention group, is reported unspent. The city and store narrow the
    customers the run returns, never the computation.

    Args:
        idempotency_key (str | Unset):
        body (BudgetRunCreate): A month's marketing budget to allocate.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetRunPublic | Problem]
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
    body: BudgetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> BudgetRunPublic | Problem | None:
    """ Allocate a month's budget to the cent and store it as a run

     Allocate a month's budget to the cent and store it as a run.

    Each level 1 to 5 receives its share of the amount by volume (of the whole month, selected or
    not), half to its promotion group and half to its retention group, shared equally; consistent
    customers receive nothing; level 0 shares the level-0 amount equally. A level not selected, or
    with an empty promotion or retention group, is reported unspent. The city and store narrow the
    customers the run returns, never the computation.

    Args:
        idempotency_key (str | Unset):
        body (BudgetRunCreate): A month's marketing budget to allocate.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetRunPublic | Problem
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BudgetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[BudgetRunPublic | Problem]:
    """ Allocate a month's budget to the cent and store it as a run

     Allocate a month's budget to the cent and store it as a run.

    Each level 1 to 5 receives its share of the amount by volume (of the whole month, selected or
    not), half to its promotion group and half to its retention group, shared equally; consistent
    customers receive nothing; level 0 shares the level-0 amount equally. A level not selected, or
    with an empty promotion or retention group, is reported unspent. The city and store narrow the
    customers the run returns, never the computation.

    Args:
        idempotency_key (str | Unset):
        body (BudgetRunCreate): A month's marketing budget to allocate.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BudgetRunPublic | Problem]
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
    body: BudgetRunCreate,
    idempotency_key: str | Unset = UNSET,

) -> BudgetRunPublic | Problem | None:
    """ Allocate a month's budget to the cent and store it as a run

     Allocate a month's budget to the cent and store it as a run.

    Each level 1 to 5 receives its share of the amount by volume (of the whole month, selected or
    not), half to its promotion group and half to its retention group, shared equally; consistent
    customers receive nothing; level 0 shares the level-0 amount equally. A level not selected, or
    with an empty promotion or retention group, is reported unspent. The city and store narrow the
    customers the run returns, never the computation.

    Args:
        idempotency_key (str | Unset):
        body (BudgetRunCreate): A month's marketing budget to allocate.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BudgetRunPublic | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
