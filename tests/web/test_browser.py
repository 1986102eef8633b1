"""End to end in a real headless Chromium: the served app over the tiny corpus -> pages a person uses.

Drives the system's Chromium (``/usr/bin/chromium``, Debian's package) through Playwright's Python
package; no browser is ever downloaded. The server is the real one (uvicorn on a free loopback
port) over a private copy of the sample corpus, hostile article included. Screenshots land in
``artifacts/screenshots/`` at the repository root as test artefacts.
"""

from __future__ import annotations

from typing import Any

from web.browsing import shot
from web.sample import HOSTILE_IMG, HOSTILE_LINK, HOSTILE_SCRIPT

HOSTILE_NAME = f"Evil{HOSTILE_IMG} Person"


def test_overview_search_and_reader(server: str, page: Any) -> None:
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "The corpus"
    assert page.get_by_role("link", name="Dmitry Peskov").count() >= 1
    shot(page, "overview")

    page.fill("header input[name=q]", "Peskov")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Peskov")
    statements = page.locator("main ul.statements li.statement")
    assert statements.count() >= 1
    assert "Dmitry Peskov" in statements.first.locator(".who").inner_text()

    statements.first.locator("a.source").click()
    page.wait_for_url("**/articles/*")
    quote = page.locator("article.text span.quote").first
    assert "We are ready to extend the treaty" in quote.inner_text()
    background = quote.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # highlighted, the stylesheet served
    mention = page.locator("article.text span.mention").first
    assert mention.inner_text() == "Kremlin spokesman Dmitry Peskov"
    assert page.locator("aside.who-said li.said a.who").first.inner_text() == "Dmitry Peskov"
    shot(page, "article")


def test_correcting_a_speaker_shows_at_once(server: str, page: Any) -> None:
    page.goto(server + "/search?q=offer+stands")
    page.locator("main ul.statements a.source").first.click()
    page.wait_for_url("**/articles/*")
    said = page.locator("aside.who-said li.said", has_text="offer stands")
    said.locator("summary").click()
    said.locator("input[name=speaker]").fill("Sergei Lavrov")
    said.locator("input[name=author]").fill("browser test")
    said.locator("button[type=submit]").click()
    page.wait_for_load_state()
    said = page.locator("aside.who-said li.said", has_text="offer stands")
    assert said.locator("a.who").inner_text() == "Sergei Lavrov"
    assert "speaker corrected by a person: Sergei Lavrov" in said.locator(".evidence").inner_text()
    assert page.locator("aside.who-said li.said", has_text="ready to extend").locator(
        "a.who"
    ).inner_text() == ("Dmitry Peskov")


def assert_inert_dom(page: Any) -> None:
    assert page.dialogs == []
    assert page.locator("script").count() == 0  # the pages have none; article text adds none
    assert page.locator("img").count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0


def test_hostile_article_is_inert(server: str, page: Any) -> None:
    page.goto(server + "/search?q=council+pay")
    page.locator("main ul.statements a.source").first.click()
    page.wait_for_url("**/articles/*")
    page.wait_for_timeout(200)  # time for an onerror handler to fire, were there an image
    assert_inert_dom(page)
    text = page.locator("article.text").inner_text()
    assert HOSTILE_SCRIPT in text and HOSTILE_IMG in text and HOSTILE_LINK in text
    assert HOSTILE_SCRIPT in page.locator("h1").inner_text()
    assert HOSTILE_IMG in page.locator("p.meta").inner_text()  # the outlet's name, as text

    said = page.locator("aside.who-said li.said").first
    said.locator("summary").click()
    said.locator("input[name=speaker]").fill(HOSTILE_NAME)
    said.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.wait_for_timeout(200)
    assert_inert_dom(page)
    assert page.locator("aside.who-said li.said a.who").first.inner_text() == HOSTILE_NAME
    for path in ("/", "/search", "/actors"):
        page.goto(server + path)
        assert_inert_dom(page)
    assert page.get_by_text(HOSTILE_NAME).count() >= 1


def test_merging_and_splitting_on_the_actor_page(server: str, page: Any) -> None:
    page.goto(server + "/actors/Donald%20Trump")
    page.locator("#corrections summary").click()
    page.locator("form.merge input[name=absorb]").fill("Jane Smith")
    page.locator("form.merge button[type=submit]").click()
    page.wait_for_url("**/actors/*#corrections")
    assert "merged" in page.locator("ul.judgements").inner_text()
    assert page.locator("h1").inner_text() == "Donald Trump"

    page.locator("#corrections summary").click()
    page.locator("form.split select[name=alias]").select_option("Jane Smith")
    page.locator("form.split button[type=submit]").click()
    page.wait_for_url("**/actors/*#corrections")
    assert "split off “Jane Smith”" in page.locator("ul.judgements").inner_text()
    page.locator("ul.judgements a", has_text="p-").first.click()
    assert page.locator("h1").inner_text() == "Jane Smith"
    assert page.dialogs == []
