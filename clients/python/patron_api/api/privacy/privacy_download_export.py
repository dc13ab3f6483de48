from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.export_document import ExportDocument
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    customer_id: int,
    export_id: int,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/privacy/customers/{customer_id}/exports/{export_id}/document".format(customer_id=quote(str(customer_id), safe=""),export_id=quote(str(export_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ExportDocument | Problem:
    if response.status_code == 200:
        response_200 = ExportDocument.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ExportDocument | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: int,
    export_id: int,
    *,
    client: AuthenticatedClient,

) -> Response[ExportDocument | Problem]:
    """ Download an export's document: one part per service holding data about the customer

     Download an export's document: one part per service holding data about the customer.

    409 while the export is not done, or once its document was deleted at the end of the retention.

    Args:
        customer_id (int): Numeric id.
        export_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExportDocument | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
export_id=export_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    customer_id: int,
    export_id: int,
    *,
    client: AuthenticatedClient,

) -> ExportDocument | Problem | None:
    """ Download an export's document: one part per service holding data about the customer

     Download an export's document: one part per service holding data about the customer.

    409 while the export is not done, or once its document was deleted at the end of the retention.

    Args:
        customer_id (int): Numeric id.
        export_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExportDocument | Problem
     """


    return sync_detailed(
        customer_id=customer_id,
export_id=export_id,
client=client,

    ).parsed

async def asyncio_detailed(
    customer_id: int,
    export_id: int,
    *,
    client: AuthenticatedClient,

) -> Response[ExportDocument | Problem]:
    """ Download an export's document: one part per service holding data about the customer

     Download an export's document: one part per service holding data about the customer.

    409 while the export is not done, or once its document was deleted at the end of the retention.

    Args:
        customer_id (int): Numeric id.
        export_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExportDocument | Problem]
     """


    kwargs = _get_kwargs(
        customer_id=customer_id,
export_id=export_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    customer_id: int,
    export_id: int,
    *,
    client: AuthenticatedClient,

) -> ExportDocument | Problem | None:
    """ Download an export's document: one part per service holding data about the customer

     Download an export's document: one part per service holding data about the customer.

    409 while the export is not done, or once its document was deleted at the end of the retention.

    Args:
        customer_id (int): Numeric id.
        export_id (int): Numeric id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExportDocument | Problem
     """


    return (await asyncio_detailed(
        customer_id=customer_id,
export_id=export_id,
client=client,

    )).parsed
