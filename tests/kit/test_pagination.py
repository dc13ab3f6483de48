"""Cursors: opaque, URL-safe, round-tripping every key type, bound to the sort they were made for."""

import base64
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import BigInteger, Column, Date, DateTime, MetaData, Numeric, String, Table, func

from services.kit.errors import BadCursor
from services.kit.pagination import MAX_LIMIT, SortKey, decode_cursor, encode_cursor


@pytest.mark.parametrize(
    "values",
    [
        [42],
        [0],
        [2**63 - 1],
        [-7],
        ["Zoë 名前 😀"],
        [""],
        [date(2024, 2, 29)],
        [datetime(2024, 3, 1, 12, 30, 45, 123456, tzinfo=UTC)],
        [datetime(2024, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))],
        [datetime(2024, 3, 1, 12, 30)],
        [Decimal("12.50")],
        [Decimal("-0.00000001")],
        [Decimal("123456789012.34")],
        ["EUR", date(2024, 1, 2)],
        [datetime(2020, 1, 1, tzinfo=UTC), 17],
        [Decimal("9.99"), 3],
        [None, 1],
    ],
)
def test_round_trip(values: list[object]) -> None:
    cursor = encode_cursor("some-sort", values)
    decoded = decode_cursor(cursor, "some-sort", len(values))
    assert decoded == values
    assert [type(value) for value in decoded] == [type(value) for value in values]
    for original, back in zip(values, decoded, strict=True):
        if isinstance(original, datetime):
            assert back.utcoffset() == original.utcoffset()  # type: ignore[union-attr]
        if isinstance(original, Decimal):
            assert str(back) == str(original)  # the exponent survives too


def test_a_date_stays_a_date_and_a_datetime_a_datetime() -> None:
    day, moment = date(2024, 1, 2), datetime(2024, 1, 2, tzinfo=UTC)
    decoded = decode_cursor(encode_cursor("s", [day, moment]), "s", 2)
    assert type(decoded[0]) is date and type(decoded[1]) is datetime


def test_cursors_are_url_safe_and_opaque() -> None:
    cursor = encode_cursor("name", ["??>>~~ and / slashes +", 10**12])
    assert all(char.isalnum() or char in "-_" for char in cursor)
    assert "slashes" not in cursor


def _refused(cursor: str, sort: str = "id", width: int = 1) -> BadCursor:
    with pytest.raises(BadCursor) as refused:
        decode_cursor(cursor, sort, width)
    assert refused.value.status == 400
    assert [error["field"] for error in refused.value.errors] == ["query.cursor"]
    return refused.value


def test_a_cursor_for_another_sort_is_refused() -> None:
    _refused(encode_cursor("name", ["Ada", 1]), sort="-name", width=2)
    _refused(encode_cursor("id", [1]), sort="-id")


def test_a_cursor_of_the_wrong_width_is_refused() -> None:
    _refused(encode_cursor("id", [1, 2]), width=1)
    _refused(encode_cursor("id", [1]), width=2)


def _raw(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "a",
        base64.urlsafe_b64encode(b"\x80\x81").decode(),
        base64.urlsafe_b64encode(b"not json").decode(),
        _raw([1]),
        _raw({"k": [1]}),
        _raw({"s": "id"}),
        _raw({"s": "id", "k": 1}),
        _raw({"s": "id", "k": [1.5]}),
        _raw({"s": "id", "k": [[1]]}),
        _raw({"s": "id", "k": [{"z": 1}]}),
        _raw({"s": "id", "k": [{"d": "2024-02-30"}]}),
        _raw({"s": "id", "k": [{"dt": "yesterday"}]}),
        _raw({"s": "id", "k": [{"n": "one"}]}),
    ],
)
def test_malformed_cursors_are_refused(cursor: str) -> None:
    _refused(cursor)


_table = Table(
    "t",
    MetaData(),
    Column("id", BigInteger),
    Column("name", String),
    Column("at", DateTime(timezone=True)),
    Column("day", Date),
    Column("price", Numeric(14, 2)),
)


@pytest.mark.parametrize(
    ("columns", "values"),
    [
        ((_table.c.id,), [5]),
        ((func.coalesce(_table.c.name, ""), _table.c.id), ["Ada", 5]),
        ((_table.c.at, _table.c.id), [datetime(2024, 1, 1, tzinfo=UTC), 5]),
        ((_table.c.day,), [date(2024, 1, 1)]),
        ((_table.c.price, _table.c.id), [Decimal("9.99"), 5]),
    ],
)
def test_sort_keys_accept_values_of_their_columns(columns: tuple[object, ...], values: list[object]) -> None:
    SortKey("s", *columns).check(values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("columns", "values"),
    [
        ((_table.c.id,), ["5"]),
        ((_table.c.id,), [True]),
        ((_table.c.id,), [None]),
        ((_table.c.id,), [2**63]),
        ((_table.c.name, _table.c.id), [7, 5]),
        ((_table.c.at,), [date(2024, 1, 1)]),
        ((_table.c.day,), [datetime(2024, 1, 1, tzinfo=UTC)]),
        ((_table.c.price,), [Decimal("NaN")]),
        ((_table.c.price,), [3]),
    ],
)
def test_sort_keys_refuse_values_that_do_not_fit(columns: tuple[object, ...], values: list[object]) -> None:
    with pytest.raises(BadCursor):
        SortKey("s", *columns).check(values)  # type: ignore[arg-type]


def test_the_maximum_page_is_500() -> None:
    assert MAX_LIMIT == 500
