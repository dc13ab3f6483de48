from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.privacy_requests_public import PrivacyRequestsPublic
from ...models.problem import Problem
from ...models.request_kind import RequestKind
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    kind: None | RequestKind | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, RequestKind):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_customer_id: int | None | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

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
        "url": "/api/v1/privacy/requests",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PrivacyRequestsPublic | Problem:
    if response.status_code == 200:
        response_200 = PrivacyRequestsPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PrivacyRequestsPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    kind: None | RequestKind | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[PrivacyRequestsPublic | Problem]:
    """ List every export and erasure, newest first: who asked, when, which customer, the outcome

     List every export and erasure, newest first: who asked, when, which customer, the outcome.

    Args:
        kind (None | RequestKind | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PrivacyRequestsPublic | Problem]
     """


    kwargs = _get_kwargs(
        kind=kind,
customer_id=customer_id,
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
    kind: None | RequestKind | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> PrivacyRequestsPublic | Problem | None:
    """ List every export and erasure, newest first: who asked, when, which customer, the outcome

     List every export and erasure, newest first: who asked, when, which customer, the outcome.

    Args:
        kind (None | RequestKind | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PrivacyRequestsPublic | Problem
     """


    return sync_detailed(
        client=client,
kind=kind,
customer_id=customer_id,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    kind: None | RequestKind | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[PrivacyRequestsPublic | Problem]:
    """ List every export and erasure, newest first: who asked, when, which customer, the outcome

     List every export and erasure, newest first: who asked, when, which customer, the outcome.

    Args:
        kind (None | RequestKind | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PrivacyRequestsPublic | Problem]
     """


    kwargs = _get_kwargs(
        kind=kind,
customer_id=customer_id,
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
    kind: None | RequestKind | Unset = UNSET,
    customer_id: int | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> PrivacyRequestsPublic | Problem | None:
    """ List every export and erasure, newest first: who asked, when, which customer, the outcome

     List every export and erasure, newest first: who asked, when, which customer, the outcome.

    Args:
        kind (None | RequestKind | Unset):
        customer_id (int | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PrivacyRequestsPublic | Problem
     """


    return (await asyncio_detailed(
        client=client,
kind=kind,
customer_id=customer_id,
limit=limit,
cursor=cursor,

    )).parsed
