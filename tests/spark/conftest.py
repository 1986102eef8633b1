"""One local Spark session per test run (local[2], UI off, two shuffle partitions); skips without Java."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'onrecord[spark]')")
    if shutil.which("java") is None or _java_major() < 17:
        pytest.skip("no Java 17 on PATH: the Spark tests need it (scripts/test installs it as root)")
    from onrecord.spark.job import session

    spark = session(2)
    yield spark
    spark.stop()


def _java_major() -> int:
    shown = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr
    found = re.search(r'version "(\d+)', shown)
    return int(found.group(1)) if found else 0
