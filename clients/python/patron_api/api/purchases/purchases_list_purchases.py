from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.purchase_source import PurchaseSource
from ...models.purchase_status import PurchaseStatus
from ...models.purchases_public import PurchasesPublic
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    customer_id: int | None | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    status: None | PurchaseStatus | Unset = UNSET,
    source: None | PurchaseSource | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    purchased_from: datetime.datetime | None | Unset = UNSET,
    purchased_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_customer_id: int | None | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_store_id: int | None | Unset
    if isinstance(store_id, Unset):
        json_store_id = UNSET
    else:
        json_store_id = store_id
    params["store_id"] = json_store_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, PurchaseStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_source: None | str | Unset
    if isinstance(source, Unset):
        json_source = UNSET
    elif isinstance(source, PurchaseSource):
        json_source = source.value
    else:
        json_source = source
    params["source"] = json_source

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    else:
        json_currency = currency
    params["currency"] = json_currency

    json_purchased_from: None | str | Unset
    if isinstance(purchased_from, Unset):
        json_purchased_from = UNSET
    elif isinstance(purchased_from, datetime.datetime):
        json_purchased_from = purchased_from.isoformat()
    else:
        json_purchased_from = purchased_from
    params["purchased_from"] = json_purchased_from

    json_purchased_to: None | str | Unset
    if isinstance(purchased_to, Unset):
        json_purchased_to = UNSET
    elif isinstance(purchased_to, datetime.datetime):
        json_purchased_to = purchased_to.isoformat()
    else:
        json_purchased_to = purchased_to
    params["purchased_to"] = json_purchased_to

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
        "url": "/api/v1/purchases",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PurchasesPublic:
    if response.status_code == 200:
        response_200 = PurchasesPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | PurchasesPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    customer_id: int | None | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    status: None | PurchaseStatus | Unset = UNSET,
    source: None | PurchaseSource | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    purchased_from: datetime.datetime | None | Unset = UNSET,
    purchased_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Problem | PurchasesPublic]:
    """ List Purchases

    Args:
        customer_id (int | None | Unset):
        store_id (int | None | Unset):
        status (None | PurchaseStatus | Unset):
        source (None | PurchaseSource | Unset):
        currency (None | str | Unset):
        purchased_from (datetime.datetime | None | Unset):
        purchased_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurchasesPublic]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
store_id=store_id,
status=status,
source=source,
currency=currency,
purchased_from=purchased_from,
purchased_to=purchased_to,
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
    customer_id: int | None | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    status: None | PurchaseStatus | Unset = UNSET,
    source: None | PurchaseSource | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    purchased_from: datetime.datetime | None | Unset = UNSET,
    purchased_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Problem | PurchasesPublic | None:
    """ List Purchases

    Args:
        customer_id (int | None | Unset):
        store_id (int | None | Unset):
        status (None | PurchaseStatus | Unset):
        source (None | PurchaseSource | Unset):
        currency (None | str | Unset):
        purchased_from (datetime.datetime | None | Unset):
        purchased_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurchasesPublic
     """


    return sync_detailed(
        client=client,
customer_id=customer_id,
store_id=store_id,
status=status,
source=source,
currency=currency,
purchased_from=purchased_from,
purchased_to=purchased_to,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    customer_id: int | None | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    status: None | PurchaseStatus | Unset = UNSET,
    source: None | PurchaseSource | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    purchased_from: datetime.datetime | None | Unset = UNSET,
    purchased_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[Problem | PurchasesPublic]:
    """ List Purchases

    Args:
        customer_id (int | None | Unset):
        store_id (int | None | Unset):
        status (None | PurchaseStatus | Unset):
        source (None | PurchaseSource | Unset):
        currency (None | str | Unset):
        purchased_from (datetime.datetime | None | Unset):
        purchased_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurchasesPublic]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
store_id=store_id,
status=status,
source=source,
currency=currency,
purchased_from=purchased_from,
purchased_to=purchased_to,
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
    customer_id: int | None | Unset = UNSET,
    store_id: int | None | Unset = UNSET,
    status: None | PurchaseStatus | Unset = UNSET,
    source: None | PurchaseSource | Unset = UNSET,
    currency: None | str | Unset = UNSET,
    purchased_from: datetime.datetime | None | Unset = UNSET,
    purchased_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Problem | PurchasesPublic | None:
    """ List Purchases

    Args:
        customer_id (int | None | Unset):
        store_id (int | None | Unset):
        status (None | PurchaseStatus | Unset):
        source (None | PurchaseSource | Unset):
        currency (None | str | Unset):
        purchased_from (datetime.datetime | None | Unset):
        purchased_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurchasesPublic
     """


    return (await asyncio_detailed(
        client=client,
customer_id=customer_id,
store_id=store_id,
status=status,
source=source,
currency=currency,
purchased_from=purchased_from,
purchased_to=purchased_to,
limit=limit,
cursor=cursor,

    )).parsed
