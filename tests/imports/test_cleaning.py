"""The pure cleaning rules of imports, one value at a time."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.customer.imports.cleaning import (
    DateEvidence,
    DateOrder,
    Rejected,
    date_pattern,
    detect_date_format,
    normalise_email,
    parse_currency,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_gender,
    parse_int,
    parse_money,
    trim,
)
from services.customer.imports.profile import ColumnProfile


@pytest.mark.parametrize(
    ("raw", "amount", "changed"),
    [
        ("$1,234.50 ", "1234.50", True),
        ("12.99", "12.99", False),
        (" 12.99", "12.99", True),
        ("$6.62 ", "6.62", True),
        ("1.234,50 €", "1234.50", True),
        ("(12.00)", "-12.00", True),
        ("-$3", "-3.00", True),
        ("USD 7.5", "7.50", True),
        ("1 000", "1000.00", True),
        ("0", "0.00", False),
    ],
)
def test_parse_money_reads_amounts_written_for_people(raw: str, amount: str, changed: bool) -> None:
    assert parse_money(raw) == (Decimal(amount), changed)


@pytest.mark.parametrize("raw", ["abc", "$", "12.345", "1,2,3.4.5", "12..5", "NaN"])
def test_parse_money_refuses_what_is_not_money(raw: str) -> None:
    with pytest.raises(Rejected):
        parse_money(raw)


def test_missing_values_are_none() -> None:
    assert parse_money("  ") == (None, True)
    assert parse_money("") == (None, False)
    assert parse_int("") == (None, False)
    assert trim("   ") == (None, True)


def test_trim_and_emails() -> None:
    assert trim("  Ann  Lee ") == ("Ann  Lee", True)
    assert trim("Ann") == ("Ann", False)
    assert normalise_email(" Ann.Lee@Example.COM ") == ("ann.lee@example.com", True)
    assert normalise_email("mailto:<bob@x.org>") == ("bob@x.org", True)
    assert normalise_email("bob@x.org") == ("bob@x.org", False)
    with pytest.raises(Rejected):
        normalise_email("not-an-address")


def test_genders_as_customers_carry_them() -> None:
    assert parse_gender("Female") == ("female", True)
    assert parse_gender(" M ") == ("male", True)
    assert parse_gender("other") == ("other", False)
    assert parse_gender("  ") == (None, True)
    assert parse_gender("") == (None, False)
    with pytest.raises(Rejected):
        parse_gender("unknown")


def test_numbers_and_currencies() -> None:
    assert parse_int(" 42 ") == (42, True)
    assert parse_int("7.0") == (7, True)
    with pytest.raises(Rejected):
        parse_int("7.5")
    assert parse_decimal("1.1583") == (Decimal("1.1583"), False)
    with pytest.raises(Rejected):
        parse_decimal("one")
    assert parse_currency(" eur") == ("EUR", True)
    with pytest.raises(Rejected):
        parse_currency("XXY")


def _format(values: list[str], default: DateOrder = DateOrder.MONTH_FIRST):  # type: ignore[no-untyped-def]
    evidence = DateEvidence()
    for value in values:
        evidence.add(value)
    return detect_date_format(evidence, default=default)


def test_a_column_may_mix_separators_and_padding() -> None:
    detected = _format(["01-01-2015", "1/13/2015", "12/15/2012", "06-03-2018"])
    assert detected.order is DateOrder.MONTH_FIRST and not detected.ambiguous
    assert detected.patterns == {"mm-dd-yyyy": 2, "m/d/yyyy": 2}
    assert parse_date("1/13/2015", detected.order) == date(2015, 1, 13)
    assert parse_date("06-03-2018", detected.order) == date(2018, 6, 3)


def test_day_first_year_first_and_ambiguous_columns() -> None:
    assert _format(["13/01/2015", "02/03/2015"]).order is DateOrder.DAY_FIRST
    assert _format(["2015-01-13", "2015-3-2"]).order is DateOrder.YEAR_FIRST
    ambiguous = _format(["01/02/2015", "03/04/2015"], default=DateOrder.DAY_FIRST)
    assert ambiguous.ambiguous and ambiguous.order is DateOrder.DAY_FIRST and ambiguous.note
    with pytest.raises(Rejected, match="mixes day-first"):
        _format(["13/01/2015", "01/13/2015"])


def test_date_patterns() -> None:
    assert date_pattern("1/13/2015") == "m/d/yyyy"
    assert date_pattern("01-01-2015") == "mm-dd-yyyy"
    assert date_pattern("2015-01-13") == "yyyy-mm-dd"


def test_bad_dates_are_rejected() -> None:
    for raw in ("2/30/2015", "13/13/2015", "yesterday"):
        with pytest.raises(Rejected):
            parse_date(raw, DateOrder.MONTH_FIRST)


def test_naive_times_are_read_in_the_business_time_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    stamp, localised = parse_datetime("12/1/2010 8:26", DateOrder.MONTH_FIRST, paris)
    assert localised and stamp == datetime(2010, 12, 1, 7, 26, tzinfo=UTC)
    stamp, localised = parse_datetime("2024-06-01T10:00:00+02:00", DateOrder.YEAR_FIRST, paris)
    assert not localised and stamp == datetime(2024, 6, 1, 10, tzinfo=timezone(timedelta(hours=2)))
    stamp, _ = parse_datetime("2024-06-01 10:00 PM", DateOrder.YEAR_FIRST, UTC)
    assert stamp == datetime(2024, 6, 1, 22, tzinfo=UTC)
    stamp, _ = parse_datetime("2024-06-01Z", DateOrder.YEAR_FIRST, paris)
    assert stamp == datetime(2024, 6, 1, tzinfo=UTC)


def test_a_column_profile_does_not_depend_on_how_the_column_is_chunked() -> None:
    values = [f"{n * 1.5:.2f}" for n in range(2_000)] + ["", " 17.25 ", "$1,234.50", "n/a", "99999"] * 40
    whole, by_value, in_chunks = ColumnProfile("amount"), ColumnProfile("amount"), ColumnProfile("amount")
    whole.add_many(values)
    for value in values:
        by_value.add(value)
    for start in range(0, len(values), 333):
        in_chunks.add_many(values[start : start + 333])
    for profile in (whole, by_value, in_chunks):
        profile.prepare_outliers()
    summary = whole.summary()
    assert by_value.summary() == summary == in_chunks.summary()
    # Computed here from the values themselves.
    numbers = [float(v.strip().replace("$", "").replace(",", "")) for v in values if v.strip() not in ("", "n/a")]
    assert summary["values"] == len(values) and summary["missing"] == 40
    assert summary["stats"]["max"] == "99999" and summary["stats"]["min"] == "0"
    assert float(summary["stats"]["mean"]) == pytest.approx(sum(numbers) / len(numbers), abs=1e-4)
    assert summary["outliers"]["count"] == 0  # counted in the loading pass, not while profiling


def test_date_evidence_does_not_depend_on_how_the_column_is_chunked() -> None:
    values = ["1/13/2015", "01-01-2015", "", "12/15/2012 10:00", "garbage", "06-03-2018"] * 50
    whole, in_chunks = DateEvidence(), DateEvidence()
    whole.add_many(values)
    for start in range(0, len(values), 7):
        in_chunks.add_many(values[start : start + 7])
    assert whole == in_chunks
    assert whole.patterns == {"m/d/yyyy": 100, "mm-dd-yyyy": 100} and whole.invalid == 50
    assert whole.month_first == 100 and whole.with_time == 50
