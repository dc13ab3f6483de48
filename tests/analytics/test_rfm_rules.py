"""RFM's pure rules: the segment of every (R, F) cell and the quartile classes, written out by hand."""

import pytest

from services.analytics.rfm.rules import CLASSES, SEGMENTS, Scheme, group_sql, quartile_class, segment

# R down (5 at the top), F across 1..5: the SPEC's map, cell by cell.
GRID = {
    5: ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
    4: ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
    3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
    2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"],
    1: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"],
}


@pytest.mark.parametrize("r", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("f", [1, 2, 3, 4, 5])
def test_every_cell_of_the_segment_map(r: int, f: int) -> None:
    assert segment(r, f) == GRID[r][f - 1]


def test_every_segment_is_reached_and_named() -> None:
    reached = {name for row in GRID.values() for name in row}
    assert reached == set(SEGMENTS)
    assert SEGMENTS["cant_lose_them"] == "Can't Lose Them"


@pytest.mark.parametrize(("r", "f"), [(0, 3), (6, 1), (3, 0), (3, 6)])
def test_scores_outside_one_to_five_are_refused(r: int, f: int) -> None:
    with pytest.raises(ValueError):
        segment(r, f)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((4, 4, 4), "very_high"),  # mean 4
        ((4, 4, 3), "very_high"),  # mean 3.667
        ((4, 3, 3), "high"),  # mean 3.333: below 3.5
        ((3, 3, 3), "high"),  # mean 3
        ((2, 3, 3), "high"),  # mean 2.667
        ((2, 2, 3), "medium"),  # mean 2.333: below 2.5
        ((1, 2, 2), "medium"),  # mean 1.667
        ((1, 1, 2), "low"),  # mean 1.333: below 1.5
        ((1, 1, 1), "low"),
    ],
)
def test_quartile_classes_on_the_mean(scores: tuple[int, int, int], expected: str) -> None:
    assert quartile_class(*scores) == expected
    assert expected in CLASSES


def test_quartile_scores_outside_one_to_four_are_refused() -> None:
    with pytest.raises(ValueError):
        quartile_class(5, 1, 1)


def test_the_sql_case_names_every_cell_as_the_functions_do() -> None:
    quintile = group_sql(Scheme.QUINTILE)
    for r, row in GRID.items():
        for f, name in enumerate(row, start=1):
            assert f"WHEN {10 * r + f} THEN '{name}'" in quintile
    quartile = group_sql(Scheme.QUARTILE)
    assert "WHEN 10 THEN 'high'" in quartile and "WHEN 11 THEN 'very_high'" in quartile
    assert "WHEN 4 THEN 'low'" in quartile and "WHEN 5 THEN 'medium'" in quartile
