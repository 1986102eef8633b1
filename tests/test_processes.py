"""/proc readings: a process's own fields, a gone process, the whole table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord import processes

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


def test_own_fields_name_the_parent_and_session() -> None:
    fields = processes.stat(os.getpid())
    assert fields is not None
    assert int(fields[processes.PARENT]) == os.getppid()
    assert int(fields[processes.SESSION]) == os.getsid(0)
    assert os.getpid() in processes.table()
    assert processes.peak_rss_kb() == processes.peak_rss_kb(os.getpid()) > 1000  # an interpreter: MBs


def test_a_finished_process_is_a_zombie_until_reaped_then_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # it ended; not reaped yet
    fields = processes.stat(child.pid)
    assert fields is not None and fields[processes.STATE] == "Z"
    child.wait()
    assert processes.stat(child.pid) is None
