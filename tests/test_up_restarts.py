"""`patron up`'s restart back-off, a pure rule: doubling from half a second to 30 s, afresh after a steady run."""

import pytest

from patron.up import LONGEST_RESTART_DELAY_SECONDS, STEADY_SECONDS, Restarts, restart_delay


def test_the_delay_doubles_from_half_a_second_and_stops_at_thirty():
    assert [restart_delay(n) for n in range(1, 9)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert restart_delay(500) == LONGEST_RESTART_DELAY_SECONDS


def test_deaths_in_a_row_back_off_and_a_steady_run_starts_afresh():
    restarts = Restarts(started_at=100.0)
    assert restarts.died(101.0) == 0.5
    assert restarts.due == pytest.approx(101.5)
    restarts.started(101.5)
    assert restarts.due is None
    assert restarts.died(102.0) == 1.0  # died again soon after its restart: the second in a row
    restarts.started(103.0)
    assert restarts.died(104.0) == 2.0
    restarts.started(106.0)
    assert restarts.died(106.0 + STEADY_SECONDS) == 0.5  # it ran steadily before this death
    assert restarts.failures == 1
