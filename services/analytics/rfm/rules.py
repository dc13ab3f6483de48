"""RFM's rules, with no database: the schemes, the segment map on (R, F) and the quartile classes.

Scores are computed in SQL as ``ceil(n × cume_dist())`` over the customers ordered so that better is
higher (n = 5 for the quintile scheme, 4 for the quartile one); the SQL that names each customer's
segment or class is generated here from the same pure functions the unit tests check.
"""

from enum import StrEnum


class Scheme(StrEnum):
    QUINTILE = "quintile"  # scores 1-5, segments on (R, F)
    QUARTILE = "quartile"  # the crm-box scheme: scores 1-4, classes on the mean of R, F and M


SCORES = {Scheme.QUINTILE: 5, Scheme.QUARTILE: 4}
"""The highest score of each scheme: ``ceil(n × cume_dist)`` is 1..n."""

SEGMENTS: dict[str, str] = {
    "champions": "Champions",
    "loyal": "Loyal",
    "potential_loyalist": "Potential Loyalist",
    "new": "New",
    "promising": "Promising",
    "need_attention": "Need Attention",
    "about_to_sleep": "About to Sleep",
    "at_risk": "At Risk",
    "cant_lose_them": "Can't Lose Them",
    "hibernating": "Hibernating",
}
"""The quintile scheme's segments, best first: key and label."""

CLASSES: dict[str, str] = {"very_high": "Very high", "high": "High", "medium": "Medium", "low": "Low"}
"""The quartile scheme's classes, best first: key and label."""


def segment(r: int, f: int) -> str:
    """The segment of recency score ``r`` and frequency score ``f`` (each 1..5), read R then F:

    ``5[4-5]`` Champions, ``[3-4][4-5]`` Loyal, ``[4-5][2-3]`` Potential Loyalist, ``51`` New,
    ``41`` Promising, ``33`` Need Attention, ``3[1-2]`` About to Sleep, ``[1-2][3-4]`` At Risk,
    ``[1-2]5`` Can't Lose Them, ``[1-2][1-2]`` Hibernating.
    """
    if not (1 <= r <= 5 and 1 <= f <= 5):
        raise ValueError(f"scores are 1..5, not ({r}, {f})")
    if r == 5 and f >= 4:
        return "champions"
    if r in (3, 4) and f >= 4:
        return "loyal"
    if r >= 4 and f in (2, 3):
        return "potential_loyalist"
    if r == 5:  # f == 1
        return "new"
    if r == 4:  # f == 1
        return "promising"
    if r == 3:
        return "need_attention" if f == 3 else "about_to_sleep"
    # r is 1 or 2
    if f == 5:
        return "cant_lose_them"
    return "at_risk" if f >= 3 else "hibernating"


# The quartile classes, on the mean of the three scores (1..4):
#   mean >= 3.5 very high, mean >= 2.5 high, mean >= 1.5 medium, below 1.5 low.
# On the sum r + f + m (3..12) that is: >= 11 very high, >= 8 high, >= 5 medium, else low.
VERY_HIGH, HIGH, MEDIUM = 3.5, 2.5, 1.5


def quartile_class(r: int, f: int, m: int) -> str:
    """The class of quartile scores ``r``, ``f`` and ``m`` (each 1..4) from their mean."""
    if not all(1 <= s <= 4 for s in (r, f, m)):
        raise ValueError(f"scores are 1..4, not ({r}, {f}, {m})")
    total = r + f + m  # compared as sums so that no rounding of the mean decides a class
    if 2 * total >= 6 * VERY_HIGH:
        return "very_high"
    if 2 * total >= 6 * HIGH:
        return "high"
    if 2 * total >= 6 * MEDIUM:
        return "medium"
    return "low"


def groups(scheme: Scheme) -> dict[str, str]:
    """The segments (quintile) or classes (quartile) of a scheme, best first: key and label."""
    return SEGMENTS if scheme is Scheme.QUINTILE else CLASSES


def group_sql(scheme: Scheme) -> str:
    """A SQL ``CASE`` naming the segment or class of columns ``r``, ``f`` and ``m``, from the functions above."""
    if scheme is Scheme.QUINTILE:
        cells = [(10 * r + f, segment(r, f)) for r in range(1, 6) for f in range(1, 6)]
        keyed = "10 * r + f"
    else:
        by_total = {r + f + m: quartile_class(r, f, m) for r in range(1, 5) for f in range(1, 5) for m in range(1, 5)}
        cells = sorted(by_total.items())
        keyed = "r + f + m"
    whens = " ".join(f"WHEN {key} THEN '{name}'" for key, name in cells)
    return f"CASE {keyed} {whens} END"
