"""Pure cleaning rules of an import: text, emails, money, numbers, dates and times, each change named.

Every function takes the raw text of one cell and returns the clean value, or raises ``Rejected``
with a reason a person can act on. What a function changed is returned beside the value, so the
job can count every change in its report.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from services.kit.money import CENT, ISO_4217


class Rejected(ValueError):
    """A value that cannot be taken, with the reason; ``field`` names the field at fault when it is known.

    A required field's rejection rejects its row; an optional field's value is left empty instead
    (and reported), unless its column is strict.
    """

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.field = field


def trim(value: str) -> tuple[str | None, bool]:
    """Surrounding whitespace removed (and inner runs of spaces kept); an empty cell is missing."""
    stripped = value.strip()
    return (stripped or None), stripped != value


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(value: str) -> tuple[str | None, bool]:
    """Trimmed and lower-cased; ``mailto:`` and angle brackets dropped. Raises if it is no address."""
    cleaned = value.strip()
    if cleaned.lower().startswith("mailto:"):
        cleaned = cleaned[7:]
    cleaned = cleaned.strip("<> ").lower()
    if not cleaned:
        return None, value != ""
    if not _EMAIL.match(cleaned):
        raise Rejected(f"{value.strip()!r} is not an email address")
    return cleaned, cleaned != value


_CURRENCY_SIGNS = "$€£¥₹₩₽₺₪"
_PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def parse_money(value: str) -> tuple[Decimal | None, bool]:
    """An amount to the cent from text such as ``$1,234.50 ``, ``1.234,50 €``, ``(12.00)`` or ``USD 3``.

    A decimal comma is recognised when it is the last separator and followed by one or two digits
    only. More than two decimals is refused rather than rounded: money is never silently changed.
    """
    text = value.strip()
    if not text:
        return None, value != ""
    if _PLAIN_DECIMAL.match(text):
        amount = Decimal(text)
        changed = text != value
    else:
        changed = True
        negative = False
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        if text.startswith("-"):
            negative, text = not negative, text[1:].strip()
        if text.endswith("-"):
            negative, text = not negative, text[:-1].strip()
        if text[:3].upper() in ISO_4217 and text[:3].isalpha():
            text = text[3:].strip()
        elif text[-3:].upper() in ISO_4217 and text[-3:].isalpha():
            text = text[:-3].strip()
        text = text.strip(_CURRENCY_SIGNS).strip()
        if text.startswith("-"):
            negative, text = not negative, text[1:].strip()
        text = text.replace(" ", "").replace("\u00a0", "").replace("'", "")
        last_comma, last_dot = text.rfind(","), text.rfind(".")
        if last_comma > last_dot and len(text) - last_comma - 1 in (1, 2):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
        if not _PLAIN_DECIMAL.match(text):
            raise Rejected(f"{value.strip()!r} is not an amount of money")
        amount = Decimal(text)
        if negative:
            amount = -amount
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise Rejected(f"{value.strip()!r} has more than two decimal places")
    return amount.quantize(CENT), changed


def parse_decimal(value: str) -> tuple[Decimal | None, bool]:
    """A plain decimal number (a rate, a measure); thousands separators are not guessed here."""
    text = value.strip()
    if not text:
        return None, value != ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Rejected(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise Rejected(f"{text!r} is not a finite number")
    return number, text != value


_INTEGER = re.compile(r"^[-+]?\d+(\.0+)?$")


def parse_int(value: str) -> tuple[int | None, bool]:
    text = value.strip()
    if not text:
        return None, value != ""
    if not _INTEGER.match(text):
        raise Rejected(f"{text!r} is not a whole number")
    number = int(text.split(".")[0])
    if not -(2**63) <= number < 2**63:
        raise Rejected(f"{text!r} is out of range")
    return number, text != value or "." in text


def parse_currency(value: str) -> tuple[str | None, bool]:
    text = value.strip()
    if not text:
        return None, value != ""
    code = text.upper()
    if code not in ISO_4217:
        raise Rejected(f"{text!r} is not an ISO 4217 currency code")
    return code, code != value


_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def parse_bool(value: str) -> tuple[bool | None, bool]:
    """A yes/no cell: ``true``/``false``, ``yes``/``no``, ``y``/``n``, ``1``/``0`` in any case."""
    text = value.strip()
    if not text:
        return None, value != ""
    key = text.casefold()
    if key in _TRUE:
        return True, text != "true"
    if key in _FALSE:
        return False, text != "false"
    raise Rejected(f"{text!r} is not yes or no (true/false, yes/no, 1/0)")


_CHANNELS = frozenset({"self", "assisted"})


def parse_channel(value: str) -> tuple[str | None, bool]:
    """The channel of a bill: ``self`` (the customer's own app or web shop) or ``assisted`` (staff)."""
    text = value.strip()
    if not text:
        return None, value != ""
    channel = text.lower()
    if channel not in _CHANNELS:
        raise Rejected(f"{text!r} is not a channel (self or assisted)")
    return channel, channel != value


_GENDERS = {
    "female": "female", "f": "female", "woman": "female", "w": "female",
    "male": "male", "m": "male", "man": "male",
    "other": "other", "x": "other", "diverse": "other", "d": "other", "non-binary": "other", "nonbinary": "other",
}  # fmt: skip


def parse_gender(value: str) -> tuple[str | None, bool]:
    """A gender as customers carry it (``female``, ``male``, ``other``), from any case and the usual letters."""
    text = value.strip()
    if not text:
        return None, value != ""
    gender = _GENDERS.get(text.lower())
    if gender is None:
        raise Rejected(f"{text!r} is not a gender (female, male or other)")
    return gender, gender != value


class DateOrder(StrEnum):
    YEAR_FIRST = "year-first"
    MONTH_FIRST = "month-first"
    DAY_FIRST = "day-first"


_DATE = re.compile(
    r"^(\d{1,4})([-/.])(\d{1,2})[-/.](\d{1,4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*([AaPp][Mm])?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def _match(value: str) -> re.Match[str]:
    found = _DATE.match(value)
    if found is None:
        raise Rejected(f"{value!r} is not a date")
    return found


def date_pattern(value: str) -> str:
    """The shape of one date, e.g. ``m/d/yyyy`` or ``mm-dd-yyyy`` (``y`` first for ISO dates)."""
    return _pattern_of(_match(value.strip()))


def _pattern_of(found: re.Match[str]) -> str:
    first, separator, middle, last = found.group(1, 2, 3, 4)
    return _pattern(len(first), first[0] == "0", separator, len(middle), middle[0] == "0", len(last))


@lru_cache(maxsize=256)
def _pattern(first: int, first_zero: bool, separator: str, middle: int, middle_zero: bool, last: int) -> str:
    if first == 4:
        return separator.join(["yyyy", "mm" if middle == 2 else "m", "dd" if last == 2 else "d"])
    padded = (first == 2 and first_zero) or (middle == 2 and middle_zero)
    year = "y" * last
    return separator.join(["mm", "dd", year] if padded else ["m", "d", year])


@dataclass
class DateEvidence:
    """What the values of one date column say about their day/month order and their shapes."""

    patterns: dict[str, int] = field(default_factory=dict)
    day_first: int = 0
    month_first: int = 0
    year_first: int = 0
    ambiguous: int = 0
    with_time: int = 0
    invalid: int = 0
    example_day_first: str | None = None
    example_month_first: str | None = None

    def add(self, value: str) -> None:
        self.add_many([value])

    def add_many(self, values: Sequence[str]) -> None:
        patterns = self.patterns
        match = _DATE.match
        for value in values:
            text = value.strip()
            if not text:
                continue
            found = match(text)
            if found is None:
                self.invalid += 1
                continue
            pattern = _pattern_of(found)
            patterns[pattern] = patterns.get(pattern, 0) + 1
            first, middle = found.group(1, 3)
            if found.group(5) is not None:
                self.with_time += 1
            if len(first) == 4:
                self.year_first += 1
                continue
            day, month = int(first), int(middle)
            if day > 12 >= month:
                self.day_first += 1
                self.example_day_first = self.example_day_first or text
            elif month > 12 >= day:
                self.month_first += 1
                self.example_month_first = self.example_month_first or text
            else:
                self.ambiguous += 1


@dataclass(frozen=True)
class DateFormat:
    """The detected format of one column, as the report shows it."""

    order: DateOrder
    patterns: dict[str, int]
    ambiguous: bool
    note: str | None = None


def detect_date_format(evidence: DateEvidence, *, default: DateOrder = DateOrder.MONTH_FIRST) -> DateFormat:
    """Decide a column's day/month order from all its values.

    A column that proves both orders cannot be read; one that proves neither (every day ≤ 12) is
    read in ``default`` order and reported as ambiguous, never guessed silently.
    """
    patterns = dict(sorted(evidence.patterns.items(), key=lambda item: -item[1]))
    if evidence.day_first and evidence.month_first:
        raise Rejected(
            f"mixes day-first ({evidence.example_day_first}) and month-first ({evidence.example_month_first}) dates"
        )
    if evidence.day_first:
        return DateFormat(DateOrder.DAY_FIRST, patterns, False)
    if evidence.month_first:
        return DateFormat(DateOrder.MONTH_FIRST, patterns, False)
    if evidence.ambiguous:
        note = f"no value shows whether the day or the month comes first; read as {default.value}"
        return DateFormat(default, patterns, True, note)
    return DateFormat(DateOrder.YEAR_FIRST, patterns, False)


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        year += 2000 if year < 70 else 1900
    return year


def _ymd(found: re.Match[str], order: DateOrder) -> tuple[int, int, int]:
    a, b, c = found.group(1), found.group(3), found.group(4)
    if len(a) == 4 or order is DateOrder.YEAR_FIRST:
        return _year(a), int(b), int(c)
    if order is DateOrder.MONTH_FIRST:
        return _year(c), int(a), int(b)
    return _year(c), int(b), int(a)


def parse_date(value: str, order: DateOrder) -> date | None:
    text = value.strip()
    if not text:
        return None
    found = _match(text)
    try:
        return date(*_ymd(found, order))
    except ValueError:
        raise Rejected(f"{text!r} is not a valid {order.value} date") from None


def parse_datetime(value: str, order: DateOrder, zone: tzinfo) -> tuple[datetime | None, bool]:
    """A point in time; a naive one is read in ``zone`` (the business time zone). Returns (value, localised)."""
    text = value.strip()
    if not text:
        return None, False
    found = _match(text)
    hour = int(found.group(5) or 0)
    minute = int(found.group(6) or 0)
    second = int(found.group(7) or 0)
    micro = int((found.group(8) or "0").ljust(6, "0"))
    meridiem = found.group(9)
    if meridiem:
        if not 1 <= hour <= 12:
            raise Rejected(f"{text!r} has an hour out of range for AM/PM")
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    try:
        day = date(*_ymd(found, order))
        clock = time(hour, minute, second, micro)
    except ValueError:
        raise Rejected(f"{text!r} is not a valid {order.value} date and time") from None
    offset = found.group(10)
    if offset is None:
        return datetime.combine(day, clock, zone), True
    stamp = datetime.fromisoformat(f"{day.isoformat()}T{clock.isoformat()}{'+00:00' if offset == 'Z' else offset}")
    return stamp, False
