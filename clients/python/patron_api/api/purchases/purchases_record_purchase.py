from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.purchase_create import PurchaseCreate
from ...models.purchase_recorded_public import PurchaseRecordedPublic
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: PurchaseCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/purchases",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PurchaseRecordedPublic:
    if response.status_code == 201:
        response_201 = PurchaseRecordedPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | PurchaseRecordedPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PurchaseCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | PurchaseRecordedPublic]:
    """ Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if short

     Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if
    short.

    A bill may redeem one reward (``reward_token``: its percent comes off the rewarded product's line)
    and spend wallet points (``points``: their value comes off the whole bill); both are reserved with
    the loyalty service first, and a token or points that do not apply are a 422 naming the field and
    why. Once it is recorded, the loyalty service is asked for the reward it earned, for a short while
    (``PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS``): ``reward`` shows it, or is null when the bill earns none
    or loyalty did not answer in time (then the reward is allocated from the purchase event).
    A retry sent with the same ``Idempotency-Key`` gets the first answer back (the kit's middleware).

    Args:
        idempotency_key (str | Unset):
        body (PurchaseCreate): A bill. The channel comes from the caller, the prices from the
            catalogue.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurchaseRecordedPublic]
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
    body: PurchaseCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | PurchaseRecordedPublic | None:
    """ Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if short

     Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if
    short.

    A bill may redeem one reward (``reward_token``: its percent comes off the rewarded product's line)
    and spend wallet points (``points``: their value comes off the whole bill); both are reserved with
    the loyalty service first, and a token or points that do not apply are a 422 naming the field and
    why. Once it is recorded, the loyalty service is asked for the reward it earned, for a short while
    (``PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS``): ``reward`` shows it, or is null when the bill earns none
    or loyalty did not answer in time (then the reward is allocated from the purchase event).
    A retry sent with the same ``Idempotency-Key`` gets the first answer back (the kit's middleware).

    Args:
        idempotency_key (str | Unset):
        body (PurchaseCreate): A bill. The channel comes from the caller, the prices from the
            catalogue.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurchaseRecordedPublic
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PurchaseCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | PurchaseRecordedPublic]:
    """ Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if short

     Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if
    short.

    A bill may redeem one reward (``reward_token``: its percent comes off the rewarded product's line)
    and spend wallet points (``points``: their value comes off the whole bill); both are reserved with
    the loyalty service first, and a token or points that do not apply are a 422 naming the field and
    why. Once it is recorded, the loyalty service is asked for the reward it earned, for a short while
    (``PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS``): ``reward`` shows it, or is null when the bill earns none
    or loyalty did not answer in time (then the reward is allocated from the purchase event).
    A retry sent with the same ``Idempotency-Key`` gets the first answer back (the kit's middleware).

    Args:
        idempotency_key (str | Unset):
        body (PurchaseCreate): A bill. The channel comes from the caller, the prices from the
            catalogue.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PurchaseRecordedPublic]
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
    body: PurchaseCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | PurchaseRecordedPublic | None:
    """ Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if short

     Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if
    short.

    A bill may redeem one reward (``reward_token``: its percent comes off the rewarded product's line)
    and spend wallet points (``points``: their value comes off the whole bill); both are reserved with
    the loyalty service first, and a token or points that do not apply are a 422 naming the field and
    why. Once it is recorded, the loyalty service is asked for the reward it earned, for a short while
    (``PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS``): ``reward`` shows it, or is null when the bill earns none
    or loyalty did not answer in time (then the reward is allocated from the purchase event).
    A retry sent with the same ``Idempotency-Key`` gets the first answer back (the kit's middleware).

    Args:
        idempotency_key (str | Unset):
        body (PurchaseCreate): A bill. The channel comes from the caller, the prices from the
            catalogue.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PurchaseRecordedPublic
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
