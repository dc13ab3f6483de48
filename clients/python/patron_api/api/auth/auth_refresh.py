from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.refresh_request import RefreshRequest
from ...models.tokens_public import TokensPublic
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: RefreshRequest,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/refresh",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TokensPublic:
    if response.status_code == 200:
        response_200 = TokensPublic.from_dict(response.json())



        return response_200

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TokensPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | TokensPublic]:
    """ A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in

     A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in
    is refreshed only while the customer exists and is active in the customer service.

    Args:
        idempotency_key (str | Unset):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokensPublic]
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
    client: AuthenticatedClient | Client,
    body: RefreshRequest,
    idempotency_key: str | Unset = UNSET,

) -> Problem | TokensPublic | None:
    """ A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in

     A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in
    is refreshed only while the customer exists and is active in the customer service.

    Args:
        idempotency_key (str | Unset):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokensPublic
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | TokensPublic]:
    """ A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in

     A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in
    is refreshed only while the customer exists and is active in the customer service.

    Args:
        idempotency_key (str | Unset):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokensPublic]
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
    client: AuthenticatedClient | Client,
    body: RefreshRequest,
    idempotency_key: str | Unset = UNSET,

) -> Problem | TokensPublic | None:
    """ A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in

     A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in
    is refreshed only while the customer exists and is active in the customer service.

    Args:
        idempotency_key (str | Unset):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokensPublic
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
