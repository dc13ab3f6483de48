"""Column profiles of an uploaded file: detected type, missing values, distinct counts, statistics, outliers.

Built in one streaming pass (a bounded sample decides the type and the quartiles, distinct values
are counted up to a cap), then outliers are counted in the loading pass against the fences the first
pass found, so memory stays bounded however long the file is.
"""

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

TYPE_SAMPLE = 10_000
DISTINCT_CAP = 100_000
QUARTILE_SAMPLE = 10_000
OUTLIER_EXAMPLES = 5

_INT = re.compile(r"^[-+]?\d+$")
_DECIMAL = re.compile(r"^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
_MONEY = re.compile(r"^\(?[-+]?\s*[$€£¥]?\s*[-+]?\d{1,3}(,?\d{3})*(\.\d+)?\s*[$€£¥]?\)?$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
_DATETIME = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}[ T]+\d{1,2}:\d{2}")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

NUMERIC = ("integer", "decimal", "money")


def classify(value: str) -> str:
    """The narrowest type one non-empty value fits."""
    if _INT.match(value):
        return "integer"
    if _DECIMAL.match(value):
        return "decimal"
    if _DATETIME.match(value):
        return "datetime"
    if _DATE.match(value):
        return "date"
    if _MONEY.match(value):
        return "money"
    if _EMAIL.match(value):
        return "email"
    return "text"


def number_of(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        try:
            number = float(value.strip().replace(",", "").strip("$€£¥() "))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _detected(types: dict[str, int]) -> str:
    """The type of a column: one that ≥ 95 % of its sampled values fit (numbers widen to decimal, money)."""
    total = sum(types.values())
    if not total:
        return "empty"
    widening = {"integer": ("integer",), "decimal": ("integer", "decimal"), "money": ("integer", "decimal", "money")}
    for candidate in ("integer", "decimal", "money", "date", "datetime", "email"):
        fits = sum(types.get(t, 0) for t in widening.get(candidate, (candidate,)))
        if fits >= 0.95 * total:
            return candidate
    return "text"


@dataclass
class ColumnProfile:
    name: str
    count: int = 0
    missing: int = 0
    types: dict[str, int] = field(default_factory=dict)
    distinct: set[str] = field(default_factory=set)
    distinct_capped: bool = False
    numbers: int = 0
    total: float = 0.0
    mean: float = 0.0
    m2: float = 0.0
    low: float | None = None
    high: float | None = None
    sample: list[float] = field(default_factory=list)
    min_length: int | None = None
    max_length: int = 0
    fences: tuple[float, float] | None = None
    outliers: int = 0
    outlier_examples: list[dict[str, Any]] = field(default_factory=list)

    def add(self, raw: str) -> None:
        self.add_many([raw])

    def add_many(self, raws: Sequence[str]) -> None:
        """Profile a chunk of the column's values (the profile is the same however the column is chunked)."""
        present = [value for value in map(str.strip, raws) if value]
        self.count += len(raws)
        self.missing += len(raws) - len(present)
        if not present:
            return
        sampled = self.count - self.missing - len(present)  # values classified before this chunk, at most
        if sampled < TYPE_SAMPLE:
            types = self.types
            for kind in map(classify, present[: TYPE_SAMPLE - sampled]):
                types[kind] = types.get(kind, 0) + 1
        if not self.distinct_capped:
            if len(self.distinct) + len(present) < DISTINCT_CAP:
                self.distinct.update(present)
            else:
                for value in present:
                    self.distinct.add(value)
                    if len(self.distinct) >= DISTINCT_CAP:
                        self.distinct_capped = True
                        break
        lengths = list(map(len, present))
        self.max_length = max(self.max_length, max(lengths))
        shortest = min(lengths)
        self.min_length = shortest if self.min_length is None else min(self.min_length, shortest)
        if self.types.get("text", 0) > TYPE_SAMPLE // 20:
            return
        if sampled + len(present) >= TYPE_SAMPLE and self.detected_type not in NUMERIC:
            return  # the type is settled and not a number: statistics would never be shown
        numbers = [n for n in map(number_of, [v for v in present if not v[0].isalpha()]) if n is not None]
        if numbers:
            self._add_numbers(numbers)

    def _add_numbers(self, numbers: list[float]) -> None:
        """Count, mean and variance merged chunk by chunk (Chan et al.), extremes, and a reservoir sample."""
        count = len(numbers)
        mean = math.fsum(numbers) / count
        m2 = math.fsum((number - mean) ** 2 for number in numbers)
        total = self.numbers + count
        delta = mean - self.mean
        self.mean += delta * count / total
        self.m2 += m2 + delta * delta * self.numbers * count / total
        low, high = min(numbers), max(numbers)
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)
        seen = self.numbers
        self.numbers = total
        sample = self.sample
        room = QUARTILE_SAMPLE - len(sample)
        if room > 0:
            sample.extend(numbers[:room])
            seen += min(room, count)
            numbers = numbers[room:]
        draw = random.random  # a reservoir sample, not a secret
        for number in numbers:
            seen += 1
            slot = int(draw() * seen)
            if slot < QUARTILE_SAMPLE:
                sample[slot] = number

    @property
    def detected_type(self) -> str:
        return _detected(self.types)

    def quartiles(self) -> tuple[float, float, float] | None:
        if not self.sample:
            return None
        ordered = sorted(self.sample)

        def at(q: float) -> float:
            position = q * (len(ordered) - 1)
            below = math.floor(position)
            above = min(below + 1, len(ordered) - 1)
            return ordered[below] + (ordered[above] - ordered[below]) * (position - below)

        return at(0.25), at(0.5), at(0.75)

    def prepare_outliers(self) -> None:
        """Tukey's fences (1.5 × IQR beyond the quartiles) for numeric columns, for the second pass."""
        quartiles = self.quartiles()
        if self.detected_type in NUMERIC and quartiles is not None:
            q1, _, q3 = quartiles
            spread = q3 - q1
            self.fences = (q1 - 1.5 * spread, q3 + 1.5 * spread)
        self.sample = self.sample if self.fences is None else sorted(self.sample)

    def check_outlier(self, raw: str, row: int) -> None:
        if self.fences is None:
            return
        number = number_of(raw)
        if number is None or self.fences[0] <= number <= self.fences[1]:
            return
        self.outliers += 1
        if len(self.outlier_examples) < OUTLIER_EXAMPLES:
            self.outlier_examples.append({"row": row, "value": raw.strip()})

    def summary(self) -> dict[str, Any]:
        present = self.count - self.missing
        result: dict[str, Any] = {
            "column": self.name,
            "type": self.detected_type,
            "values": self.count,
            "missing": self.missing,
            "distinct": len(self.distinct),
            "distinct_at_least": self.distinct_capped,
        }
        if self.detected_type in NUMERIC and self.numbers:
            quartiles = self.quartiles()
            std = math.sqrt(self.m2 / (self.numbers - 1)) if self.numbers > 1 else 0.0
            result["stats"] = {
                "min": _number(self.low),
                "max": _number(self.high),
                "mean": _number(self.mean),
                "std": _number(std),
                "q1": _number(quartiles[0]) if quartiles else None,
                "median": _number(quartiles[1]) if quartiles else None,
                "q3": _number(quartiles[2]) if quartiles else None,
                "quartiles_exact": self.numbers <= QUARTILE_SAMPLE,
            }
            result["outliers"] = {
                "rule": "beyond 1.5 × IQR from the quartiles",
                "count": self.outliers,
                "examples": self.outlier_examples,
            }
        elif present:
            result["stats"] = {"min_length": self.min_length, "max_length": self.max_length}
        return result


def _number(value: float | None) -> str | None:
    """Statistics as decimal strings (like money on the wire), rounded to 4 places."""
    if value is None:
        return None
    return format(Decimal(repr(value)).quantize(Decimal("0.0001")).normalize(), "f")
