"""The time budget per article: an analysis over it stops with a failure naming the input and the limit."""

from __future__ import annotations

import time

import pytest

from onrecord.budget import hard_limit, time_budget
from onrecord.errors import AnalysisError


def test_an_analysis_over_its_budget_stops_naming_the_input_and_the_limit() -> None:
    started = time.monotonic()
    with pytest.raises(AnalysisError) as caught, time_budget(0.2, "transcript.txt"):
        time.sleep(5)
    assert time.monotonic() - started < 2
    assert str(caught.value).startswith("transcript.txt: ")
    assert "0.2 s limit" in caught.value.reason and "--article-timeout" in caught.value.reason


def test_within_the_budget_or_without_one_nothing_happens() -> None:
    with time_budget(5, "a.txt"):
        time.sleep(0.05)
    with time_budget(None, "a.txt"):
        time.sleep(0.05)
    with time_budget(0.1, "b.txt"):
        pass
    time.sleep(0.3)  # the timer was cleared: no late alarm fires after the block


def test_the_pool_gives_a_worker_grace_before_replacing_it() -> None:
    assert hard_limit(None) is None and hard_limit(0) is None
    limit = hard_limit(10)
    assert limit is not None and limit > 10


def test_a_stop_swallowed_by_the_code_it_interrupts_comes_again() -> None:
    """A garbage-collector callback or a __del__ drops an exception raised inside it ("Exception
    ignored in ..."): the budget must still stop the article, not let it run to its end."""
    swallowed = 0
    started = time.monotonic()
    with pytest.raises(AnalysisError, match=r"0\.1 s limit"), time_budget(0.1, "slow.txt"):
        while time.monotonic() - started < 5:
            try:
                time.sleep(0.01)
            except AnalysisError:
                swallowed += 1  # as an interrupted callback would: the stop is lost here
                if swallowed > 1:
                    raise
    assert swallowed == 2 and time.monotonic() - started < 1
