from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.roles_change import RolesChange
from ...models.staff_user_public import StaffUserPublic
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    user_id: int,
    *,
    body: RolesChange,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/staff/{user_id}/roles".format(user_id=quote(str(user_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | StaffUserPublic:
    if response.status_code == 200:
        response_200 = StaffUserPublic.from_dict(response.json())



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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | StaffUserPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: int,
    *,
    client: AuthenticatedClient,
    body: RolesChange,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | StaffUserPublic]:
    """ The user's roles from now on: their older access tokens (carrying the old roles) are refused

     The user's roles from now on: their older access tokens (carrying the old roles) are refused
    within seconds and their sign-ins end, so they sign in again; the last active admin keeps admin.

    Args:
        user_id (int): Numeric id.
        idempotency_key (str | Unset):
        body (RolesChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffUserPublic]
     """


    kwargs = _get_kwargs(
        user_id=user_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    user_id: int,
    *,
    client: AuthenticatedClient,
    body: RolesChange,
    idempotency_key: str | Unset = UNSET,

) -> Problem | StaffUserPublic | None:
    """ The user's roles from now on: their older access tokens (carrying the old roles) are refused

     The user's roles from now on: their older access tokens (carrying the old roles) are refused
    within seconds and their sign-ins end, so they sign in again; the last active admin keeps admin.

    Args:
        user_id (int): Numeric id.
        idempotency_key (str | Unset):
        body (RolesChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffUserPublic
     """


    return sync_detailed(
        user_id=user_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    user_id: int,
    *,
    client: AuthenticatedClient,
    body: RolesChange,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | StaffUserPublic]:
    """ The user's roles from now on: their older access tokens (carrying the old roles) are refused

     The user's roles from now on: their older access tokens (carrying the old roles) are refused
    within seconds and their sign-ins end, so they sign in again; the last active admin keeps admin.

    Args:
        user_id (int): Numeric id.
        idempotency_key (str | Unset):
        body (RolesChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffUserPublic]
     """


    kwargs = _get_kwargs(
        user_id=user_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    user_id: int,
    *,
    client: AuthenticatedClient,
    body: RolesChange,
    idempotency_key: str | Unset = UNSET,

) -> Problem | StaffUserPublic | None:
    """ The user's roles from now on: their older access tokens (carrying the old roles) are refused

     The user's roles from now on: their older access tokens (carrying the old roles) are refused
    within seconds and their sign-ins end, so they sign in again; the last active admin keeps admin.

    Args:
        user_id (int): Numeric id.
        idempotency_key (str | Unset):
        body (RolesChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffUserPublic
     """


    return (await asyncio_detailed(
        user_id=user_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
