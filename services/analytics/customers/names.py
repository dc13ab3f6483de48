"""Customers' names, read from the customer service when a report lists them: one call per page of up to
500 ids. Analytics itself keeps no names; a customer the customer service no longer has shows none."""

from collections.abc import AsyncIterator, Sequence

from services.kit.client import ServiceClient

PAGE = 500


async def names_of(client: ServiceClient, ids: Sequence[int]) -> dict[int, str | None]:
    """The names of up to ``PAGE`` customers, in one call."""
    if not ids:
        return {}
    if len(ids) > PAGE:
        raise ValueError(f"at most {PAGE} customers a call")
    response = await client.get("/api/v1/customers", params={"id": list(ids), "limit": PAGE})
    return {int(item["id"]): item.get("name") for item in response.json()["items"]}


async def with_names(
    client: ServiceClient, rows: AsyncIterator[Sequence[object]], *, id_column: int = 0, at: int = 1
) -> AsyncIterator[list[object]]:
    """Each row with its customer's name inserted at ``at``, the names read a page of rows at a time."""
    page: list[Sequence[object]] = []

    async def flush() -> list[list[object]]:
        names = await names_of(client, [int(row[id_column]) for row in page])  # type: ignore[call-overload]
        named = [[*row[:at], names.get(int(row[id_column])), *row[at:]] for row in page]  # type: ignore[call-overload]
        page.clear()
        return named

    async for row in rows:
        page.append(row)
        if len(page) == PAGE:
            for named in await flush():
                yield named
    if page:
        for named in await flush():
            yield named
