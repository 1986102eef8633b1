"""Processes as Linux's /proc shows them: what the ingest's workers check of their main process, and
what the benchmarks and tests read of an ingest's process tree. Elsewhere (no /proc) nothing is seen."""

from __future__ import annotations

import os
from pathlib import Path

# Fields of /proc/PID/stat after the command name, 0-based: state, parent, process group, session,
# ..., user and system CPU time in clock ticks.
STATE, PARENT, SESSION, USER_TICKS, SYSTEM_TICKS = 0, 1, 3, 11, 12


def stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces); None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def table() -> dict[int, list[str]]:
    """Every process now: its id and the fields of its /proc/PID/stat (as ``stat`` gives them)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = stat(int(entry.name))
            if fields is not None:
                found[int(entry.name)] = fields
    return found


def peak_rss_kb(pid: int | str = "self") -> int:
    """A process's peak resident memory (VmHWM, KB) so far; 0 if it is gone or there is no /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


# The thread pools of numpy's BLAS and OpenMP: one thread per worker process. Each worker is one
# of as many processes as cores; a pool of its own per process only spins (natasha's Russian models
# measured: the same wall time, twice the CPU, per article).
NUMERIC_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread_per_worker() -> None:
    """Ask the worker processes started from now on for one numeric thread each (a value the user
    set is kept). Must run before those processes load numpy: in the parent, before they start."""
    for name in NUMERIC_THREADS:
        os.environ.setdefault(name, "1")
