"""A call that stalls where no signal reaches it, for the pool's watchdog (imported by workers)."""

from __future__ import annotations

import signal
import time


def stall(seconds: float, deaf: bool) -> str:
    """Sleep ``seconds``; ``deaf``: with the budget's alarm blocked, as in native code that never returns."""
    if deaf:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(seconds)
    return f"slept {seconds:g}"


def numeric_threads(_: int) -> str | None:
    """The BLAS thread count a worker process was started with."""
    import os

    return os.environ.get("OPENBLAS_NUM_THREADS")
