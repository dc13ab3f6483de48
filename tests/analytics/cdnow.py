"""The CDNOW sample (tests/data/CDNOW_sample.txt) read straight from its file, and its frequency/recency/T/monetary
summary computed in Python with SPEC §4's rules, independently of Patron's SQL."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

CDNOW = Path(__file__).resolve().parents[1] / "data" / "CDNOW_sample.txt"
CALIBRATION_END = date(1997, 9, 30)  # 39 weeks after 1997-01-01, as in Fader, Hardie and Lee (2005)

# Published: BG/NBD (Fader, Hardie and Lee 2005) and Gamma-Gamma (Fader and Hardie 2013), both fitted on the
# summary of the 39-week calibration period (the Gamma-Gamma on its 946 customers with a repeat purchase).
BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@cache
def purchases() -> list[tuple[str, date, Decimal]]:
    """(customer id, day, amount) of every row."""
    rows = []
    for line in CDNOW.read_text().splitlines():
        customer_id, _, day, _, amount = line.split()
        rows.append((customer_id, date(int(day[:4]), int(day[4:6]), int(day[6:])), Decimal(amount)))
    return rows


def minimal_csv() -> bytes:
    """The sample in the import's minimal layout: one bill per row, at noon."""
    lines = ["client_id,ordered_at,amount,email,name"]
    lines += [f"cdnow-{c},{d.isoformat()} 12:00,{a},," for c, d, a in purchases()]
    return ("\n".join(lines) + "\n").encode()


def summary(end: date = CALIBRATION_END, unit_days: int = 7) -> dict[str, tuple[int, float, float, Decimal]]:
    """Per customer with a purchase on or before ``end``: (frequency, recency, T, monetary value)."""
    days: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for customer_id, day, amount in purchases():
        if day <= end:
            days[customer_id][day] += amount
    out = {}
    for customer_id, values in days.items():
        ordered = sorted(values)
        x = len(ordered) - 1
        money = sum(values[d] for d in ordered[1:]) / x if x else Decimal(0)
        recency = (ordered[-1] - ordered[0]).days / unit_days
        out[customer_id] = (x, recency, (end - ordered[0]).days / unit_days, money)
    return out
