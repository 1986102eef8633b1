"""A time budget per article, so no input stalls a run.

Inside the analysing process the budget is an interval timer (``SIGALRM``): when it fires the
analysis stops with an :class:`~onrecord.errors.AnalysisError` that names the article and the
limit, and the run records the failure and goes on. The timer interrupts Python code; spaCy's
native code returns to Python at least once per piece of a long article (``onrecord.pieces``), so
the stop comes within about a piece's parse. A worker that still does not answer
(:func:`hard_limit` after its budget) is killed and replaced by the pool (``corpus/build.py``).

Where there is no interval timer (Windows) or the analysis does not run in the main thread, the
budget is enforced by the pool alone.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from onrecord.errors import AnalysisError

# Seconds one article may take by default: about a hundred times a long article's analysis, and
# about 2.5 MB of ordinary news text on this project's reference machine.
DEFAULT_ARTICLE_TIMEOUT = 120.0
# Seconds between repeats of a stop that the interrupted code swallowed.
RETRY_SECONDS = 0.05
# Seconds past its budget before a worker that does not answer is killed and replaced.
GRACE_SECONDS = 30.0


def over_budget(source: str | None, seconds: float) -> AnalysisError:
    """The failure recorded for an article that took longer than ``seconds``."""
    return AnalysisError(
        source,
        f"analysis took longer than the {seconds:g} s limit per article (--article-timeout); not stored",
    )


def hard_limit(seconds: float | None) -> float | None:
    """How long the pool waits for one article before it kills and replaces its worker."""
    return None if not seconds else seconds + GRACE_SECONDS


@contextmanager
def time_budget(seconds: float | None, source: str | None) -> Iterator[None]:
    """Stop the enclosed analysis with :func:`over_budget` after ``seconds`` (None or 0: no limit)."""
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    active = [True]

    def stop(_signum: int, _frame: FrameType | None) -> None:
        if not active[0]:
            return
        # Raised where the analysis happens to be; code that swallows exceptions (a garbage
        # collector callback, a __del__: "Exception ignored in ...") would lose it and let the
        # article run on, so the timer fires again until the stop gets through.
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        raise over_budget(source, seconds)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        while True:  # a late stop raised while disarming is dropped: the article is over anyway
            try:
                active[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except AnalysisError:
                continue
