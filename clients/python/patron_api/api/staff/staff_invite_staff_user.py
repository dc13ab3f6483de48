from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.staff_invitation_public import StaffInvitationPublic
from ...models.staff_invite import StaffInvite
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: StaffInvite,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/staff/invitations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | StaffInvitationPublic:
    if response.status_code == 201:
        response_201 = StaffInvitationPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | StaffInvitationPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: StaffInvite,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | StaffInvitationPublic]:
    """ A new staff user and their one-use invitation link, shown only in this reply (Patron sends no

     A new staff user and their one-use invitation link, shown only in this reply (Patron sends no
    mail); the user signs in once they have accepted it with a password of their own.

    Args:
        idempotency_key (str | Unset):
        body (StaffInvite):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffInvitationPublic]
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
    body: StaffInvite,
    idempotency_key: str | Unset = UNSET,

) -> Problem | StaffInvitationPublic | None:
    """ A new staff user and their one-use invitation link, shown only in this reply (Patron sends no

     A new staff user and their one-use invitation link, shown only in this reply (Patron sends no
    mail); the user signs in once they have accepted it with a password of their own.

    Args:
        idempotency_key (str | Unset):
        body (StaffInvite):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffInvitationPublic
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: StaffInvite,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | StaffInvitationPublic]:
    """ A new staff user and their one-use invitation link, shown only in this reply (Patron sends no

     A new staff user and their one-use invitation link, shown only in this reply (Patron sends no
    mail); the user signs in once they have accepted it with a password of their own.

    Args:
        idempotency_key (str | Unset):
        body (StaffInvite):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StaffInvitationPublic]
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
    body: StaffInvite,
    idempotency_key: str | Unset = UNSET,

) -> Problem | StaffInvitationPublic | None:
    """ A new staff user and their one-use invitation link, shown only in this reply (Patron sends no

     A new staff user and their one-use invitation link, shown only in this reply (Patron sends no
    mail); the user signs in once they have accepted it with a password of their own.

    Args:
        idempotency_key (str | Unset):
        body (StaffInvite):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StaffInvitationPublic
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
