from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.customer_sort import CustomerSort
from ...models.customers_public import CustomersPublic
from ...models.gender import Gender
from ...models.problem import Problem
from ...models.record_status import RecordStatus
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    sort: CustomerSort | Unset = UNSET,
    id: list[int] | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    country: None | str | Unset = UNSET,
    continent: None | str | Unset = UNSET,
    city_id: int | None | Unset = UNSET,
    home_store_id: int | None | Unset = UNSET,
    marketing_consent: bool | None | Unset = UNSET,
    external_ref: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_id: list[int] | None | Unset
    if isinstance(id, Unset):
        json_id = UNSET
    elif isinstance(id, list):
        json_id = id


    else:
        json_id = id
    params["id"] = json_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, RecordStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_gender: None | str | Unset
    if isinstance(gender, Unset):
        json_gender = UNSET
    elif isinstance(gender, Gender):
        json_gender = gender.value
    else:
        json_gender = gender
    params["gender"] = json_gender

    json_city: None | str | Unset
    if isinstance(city, Unset):
        json_city = UNSET
    else:
        json_city = city
    params["city"] = json_city

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_continent: None | str | Unset
    if isinstance(continent, Unset):
        json_continent = UNSET
    else:
        json_continent = continent
    params["continent"] = json_continent

    json_city_id: int | None | Unset
    if isinstance(city_id, Unset):
        json_city_id = UNSET
    else:
        json_city_id = city_id
    params["city_id"] = json_city_id

    json_home_store_id: int | None | Unset
    if isinstance(home_store_id, Unset):
        json_home_store_id = UNSET
    else:
        json_home_store_id = home_store_id
    params["home_store_id"] = json_home_store_id

    json_marketing_consent: bool | None | Unset
    if isinstance(marketing_consent, Unset):
        json_marketing_consent = UNSET
    else:
        json_marketing_consent = marketing_consent
    params["marketing_consent"] = json_marketing_consent

    json_external_ref: None | str | Unset
    if isinstance(external_ref, Unset):
        json_external_ref = UNSET
    else:
        json_external_ref = external_ref
    params["external_ref"] = json_external_ref

    json_username: None | str | Unset
    if isinstance(username, Unset):
        json_username = UNSET
    else:
        json_username = username
    params["username"] = json_username

    json_email: None | str | Unset
    if isinstance(email, Unset):
        json_email = UNSET
    else:
        json_email = email
    params["email"] = json_email

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_created_from: None | str | Unset
    if isinstance(created_from, Unset):
        json_created_from = UNSET
    elif isinstance(created_from, datetime.datetime):
        json_created_from = created_from.isoformat()
    else:
        json_created_from = created_from
    params["created_from"] = json_created_from

    json_created_to: None | str | Unset
    if isinstance(created_to, Unset):
        json_created_to = UNSET
    elif isinstance(created_to, datetime.datetime):
        json_created_to = created_to.isoformat()
    else:
        json_created_to = created_to
    params["created_to"] = json_created_to

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
        "url": "/api/v1/customers",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CustomersPublic | Problem:
    if response.status_code == 200:
        response_200 = CustomersPublic.from_dict(response.json())



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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CustomersPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    sort: CustomerSort | Unset = UNSET,
    id: list[int] | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    country: None | str | Unset = UNSET,
    continent: None | str | Unset = UNSET,
    city_id: int | None | Unset = UNSET,
    home_store_id: int | None | Unset = UNSET,
    marketing_consent: bool | None | Unset = UNSET,
    external_ref: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[CustomersPublic | Problem]:
    """ List Customers

    Args:
        sort (CustomerSort | Unset):
        id (list[int] | None | Unset): Only these customers (repeat the parameter: `id=3&id=9`, at
            most 500). Ids of customers that do not exist (or were deleted) are left out, not refused.
        status (None | RecordStatus | Unset):
        gender (Gender | None | Unset):
        city (None | str | Unset):
        state (None | str | Unset):
        country (None | str | Unset):
        continent (None | str | Unset):
        city_id (int | None | Unset):
        home_store_id (int | None | Unset):
        marketing_consent (bool | None | Unset):
        external_ref (None | str | Unset):
        username (None | str | Unset):
        email (None | str | Unset): The exact email (any case).
        q (None | str | Unset): Part of the name, email or username.
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomersPublic | Problem]
     """


    kwargs = _get_kwargs(
        sort=sort,
id=id,
status=status,
gender=gender,
city=city,
state=state,
country=country,
continent=continent,
city_id=city_id,
home_store_id=home_store_id,
marketing_consent=marketing_consent,
external_ref=external_ref,
username=username,
email=email,
q=q,
created_from=created_from,
created_to=created_to,
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
    sort: CustomerSort | Unset = UNSET,
    id: list[int] | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    country: None | str | Unset = UNSET,
    continent: None | str | Unset = UNSET,
    city_id: int | None | Unset = UNSET,
    home_store_id: int | None | Unset = UNSET,
    marketing_consent: bool | None | Unset = UNSET,
    external_ref: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> CustomersPublic | Problem | None:
    """ List Customers

    Args:
        sort (CustomerSort | Unset):
        id (list[int] | None | Unset): Only these customers (repeat the parameter: `id=3&id=9`, at
            most 500). Ids of customers that do not exist (or were deleted) are left out, not refused.
        status (None | RecordStatus | Unset):
        gender (Gender | None | Unset):
        city (None | str | Unset):
        state (None | str | Unset):
        country (None | str | Unset):
        continent (None | str | Unset):
        city_id (int | None | Unset):
        home_store_id (int | None | Unset):
        marketing_consent (bool | None | Unset):
        external_ref (None | str | Unset):
        username (None | str | Unset):
        email (None | str | Unset): The exact email (any case).
        q (None | str | Unset): Part of the name, email or username.
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomersPublic | Problem
     """


    return sync_detailed(
        client=client,
sort=sort,
id=id,
status=status,
gender=gender,
city=city,
state=state,
country=country,
continent=continent,
city_id=city_id,
home_store_id=home_store_id,
marketing_consent=marketing_consent,
external_ref=external_ref,
username=username,
email=email,
q=q,
created_from=created_from,
created_to=created_to,
limit=limit,
cursor=cursor,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    sort: CustomerSort | Unset = UNSET,
    id: list[int] | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    country: None | str | Unset = UNSET,
    continent: None | str | Unset = UNSET,
    city_id: int | None | Unset = UNSET,
    home_store_id: int | None | Unset = UNSET,
    marketing_consent: bool | None | Unset = UNSET,
    external_ref: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> Response[CustomersPublic | Problem]:
    """ List Customers

    Args:
        sort (CustomerSort | Unset):
        id (list[int] | None | Unset): Only these customers (repeat the parameter: `id=3&id=9`, at
            most 500). Ids of customers that do not exist (or were deleted) are left out, not refused.
        status (None | RecordStatus | Unset):
        gender (Gender | None | Unset):
        city (None | str | Unset):
        state (None | str | Unset):
        country (None | str | Unset):
        continent (None | str | Unset):
        city_id (int | None | Unset):
        home_store_id (int | None | Unset):
        marketing_consent (bool | None | Unset):
        external_ref (None | str | Unset):
        username (None | str | Unset):
        email (None | str | Unset): The exact email (any case).
        q (None | str | Unset): Part of the name, email or username.
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomersPublic | Problem]
     """


    kwargs = _get_kwargs(
        sort=sort,
id=id,
status=status,
gender=gender,
city=city,
state=state,
country=country,
continent=continent,
city_id=city_id,
home_store_id=home_store_id,
marketing_consent=marketing_consent,
external_ref=external_ref,
username=username,
email=email,
q=q,
created_from=created_from,
created_to=created_to,
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
    sort: CustomerSort | Unset = UNSET,
    id: list[int] | None | Unset = UNSET,
    status: None | RecordStatus | Unset = UNSET,
    gender: Gender | None | Unset = UNSET,
    city: None | str | Unset = UNSET,
    state: None | str | Unset = UNSET,
    country: None | str | Unset = UNSET,
    continent: None | str | Unset = UNSET,
    city_id: int | None | Unset = UNSET,
    home_store_id: int | None | Unset = UNSET,
    marketing_consent: bool | None | Unset = UNSET,
    external_ref: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    email: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,

) -> CustomersPublic | Problem | None:
    """ List Customers

    Args:
        sort (CustomerSort | Unset):
        id (list[int] | None | Unset): Only these customers (repeat the parameter: `id=3&id=9`, at
            most 500). Ids of customers that do not exist (or were deleted) are left out, not refused.
        status (None | RecordStatus | Unset):
        gender (Gender | None | Unset):
        city (None | str | Unset):
        state (None | str | Unset):
        country (None | str | Unset):
        continent (None | str | Unset):
        city_id (int | None | Unset):
        home_store_id (int | None | Unset):
        marketing_consent (bool | None | Unset):
        external_ref (None | str | Unset):
        username (None | str | Unset):
        email (None | str | Unset): The exact email (any case).
        q (None | str | Unset): Part of the name, email or username.
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): Opaque: the `next_cursor` of the previous page, exactly as
            this server issued it; any other value is a 400 (`bad-cursor`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomersPublic | Problem
     """


    return (await asyncio_detailed(
        client=client,
sort=sort,
id=id,
status=status,
gender=gender,
city=city,
state=state,
country=country,
continent=continent,
city_id=city_id,
home_store_id=home_store_id,
marketing_consent=marketing_consent,
external_ref=external_ref,
username=username,
email=email,
q=q,
created_from=created_from,
created_to=created_to,
limit=limit,
cursor=cursor,

    )).parsed
