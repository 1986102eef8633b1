"""Every page kind in a real Chromium, checked by axe-core and laid out at a phone's and a desk's width.

axe-core is the npm package pinned in ``tests/web/axe/package-lock.json`` (``scripts/test`` runs
``npm ci`` there); without it, or without Chromium, these tests skip and say why. The app's
Content-Security-Policy forbids injected scripts, so axe runs in a context that bypasses it; the
pages themselves stay script-free. Each page's full axe findings land in ``artifacts/axe/`` and its
screenshots at 390 and 1400 px in ``artifacts/screenshots/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from web.browsing import SCREENSHOTS, shot

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FINDINGS = SCREENSHOTS.parent / "axe"
BLOCKING = ("serious", "critical")
PHONE, DESK = 390, 1400
# Pixels a phone-width page may run over (a sub-pixel border, a scrollbar's rounding), no more.
OVERFLOW_SLACK = 2
# The page's own heading must show without scrolling on a phone: the header above it wraps, it
# does not push the page down (a user measured the first result ~1,250 px down before).
HEADING_WITHIN = 400
# ... and a search's first result within the first screen and a half, above the facets.
RESULT_WITHIN = 900

PAGES = [
    "overview",
    "search",
    "search-query",
    "articles",
    "article",
    "actors",
    "actor",
    "timeline",
    "stories",
    "story",
    "outlet",
    "docs",
    "search-help",
    "sources",
    "not-found",
    "bad-parameter",
]
LAID_OUT = [name for name in PAGES if name not in ("search", "not-found", "bad-parameter")]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run 'npm ci' in tests/web/axe (scripts/test does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paths(client: Any) -> dict[str, str]:
    """Each page kind's address in the sample corpus (the server serves a copy of the same one)."""
    peskov = client.get("/api/search?speaker=Peskov").json()["rows"][0]
    story = client.get("/api/stories?min_copies=1").json()["rows"][0]
    return {
        "overview": "/",
        "search": "/search",
        "search-query": "/search?q=treaty",
        "articles": "/articles",
        "article": f"/articles/{peskov['article_id']}",
        "actors": "/actors",
        "actor": f"/actors/{quote(peskov['actor_id'])}",
        "timeline": "/timeline?q=Trump",
        "stories": "/stories?min_copies=1",
        "story": f"/stories/{story['id']}",
        "outlet": "/outlets/Example%20News",
        "docs": "/docs",
        "search-help": "/help/search",
        "sources": "/sources",
        "not-found": "/no/such/page",
        "bad-parameter": "/search?month=2020-13",
    }


@contextmanager
def open_tab(browser: Any, width: int, *, bypass_csp: bool = False) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture()
def axe_tab(browser: Any) -> Iterator[Any]:
    """A desk-width tab whose context lets axe's script in past the app's CSP."""
    with open_tab(browser, 1280, bypass_csp=True) as tab:
        yield tab


def violations(tab: Any, source: str) -> list[dict[str, Any]]:
    tab.add_script_tag(content=source)
    found: list[dict[str, Any]] = tab.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return found


def described(found: list[dict[str, Any]]) -> str:
    lines = []
    for v in found:
        targets = "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violation(
    name: str, server: str, paths: dict[str, str], axe_tab: Any, axe_source: str
) -> None:
    axe_tab.goto(server + paths[name])
    found = violations(axe_tab, axe_source)
    FINDINGS.mkdir(parents=True, exist_ok=True)
    (FINDINGS / f"{name}.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, f"{paths[name]}:\n{described(blocking)}"


@pytest.mark.parametrize("width", [PHONE, DESK])
@pytest.mark.parametrize("name", LAID_OUT)
def test_layout_at_phone_and_desk_width(
    name: str, width: int, server: str, paths: dict[str, str], browser: Any
) -> None:
    with open_tab(browser, width) as tab:
        tab.goto(server + paths[name])
        shot(tab, f"layout-{name}-{width}")
        scroll_width = tab.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + OVERFLOW_SLACK, f"{paths[name]} is {scroll_width} px wide"
        heading_top = tab.locator("main h1").first.bounding_box()["y"]
        assert heading_top <= HEADING_WITHIN, f"{paths[name]}: the heading starts {heading_top} px down"
        if name == "search-query" and width == PHONE:
            first = tab.locator("main .statements > li").first.bounding_box()["y"]
            assert first <= RESULT_WITHIN, f"{paths[name]}: the first result starts {first} px down"


def test_keyboard_focus_is_visible(server: str, paths: dict[str, str], browser: Any) -> None:
    with open_tab(browser, PHONE) as tab:
        tab.goto(server + paths["article"])
        for _ in range(3):  # the brand, the first link, the second: each shows where the keyboard is
            tab.keyboard.press("Tab")
            outline = tab.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
            )
            assert outline[1] != "none" and outline[2] >= 2, outline
        shot(tab, "focus-visible")
