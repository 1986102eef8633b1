"""The search page end to end in Debian's Chromium: a phrase search with a date range and a sort,
the chart narrowing a search, and a result card opening its article at the statement."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from web.browsing import shot


def test_a_phrase_search_with_a_date_range_and_a_sort(server: str, page: Any) -> None:
    page.goto(server + "/search")
    page.fill("main input[name=q]", '"extend the treaty" OR weapon')
    page.fill("main input[name=since]", "2020-01-01")
    page.fill("main input[name=until]", "2020-12-31")
    page.select_option("main select[name=sort]", "oldest")
    page.click("main form.filters button[type=submit]")
    page.wait_for_url("**/search?*")
    asked = parse_qs(urlsplit(page.url).query)
    assert asked["q"] == ['"extend the treaty" OR weapon'] and asked["sort"] == ["oldest"]
    assert asked["since"] == ["2020-01-01"] and asked["until"] == ["2020-12-31"]
    cards = page.locator("main ul.statements li.statement")
    assert cards.count() == 2
    assert cards.nth(0).locator(".date").inner_text() == "2020-01-07"  # oldest first
    assert cards.nth(1).locator("mark").inner_text() == "extend the treaty"  # the phrase, marked whole
    assert page.locator("main select[name=sort]").input_value() == "oldest"  # the form keeps the choice
    shot(page, "search-phrase-range-sort")


def test_a_bar_of_the_chart_narrows_the_search_to_its_days(server: str, page: Any) -> None:
    page.goto(server + "/search?q=treaty+OR+stands+OR+proud")
    before = page.locator("main ul.statements li.statement").count()
    bar = page.locator("figure.attention svg a").filter(has=page.locator("rect[height]")).nth(-1)
    label = bar.get_attribute("aria-label")
    assert label is not None and label.endswith("2 statements")
    bar.click()
    page.wait_for_url("**since=*")
    narrowed = parse_qs(urlsplit(page.url).query)
    cards = page.locator("main ul.statements li.statement")
    assert cards.count() == 2 < before
    for date in cards.locator(".date").all_inner_texts():
        assert narrowed["since"][0] <= date <= narrowed["until"][0]
    assert "From " + narrowed["since"][0] in page.locator("main p.current").inner_text()
    shot(page, "search-narrowed-by-chart")


def test_a_result_card_opens_its_article_at_the_statement(server: str, page: Any) -> None:
    page.goto(server + '/search?q="offer stands"')
    link = page.locator("main li.statement a.source").first
    href = link.get_attribute("href")
    assert href is not None and "#q" in href
    link.click()
    page.wait_for_url("**/articles/*")
    anchor = urlsplit(page.url).fragment
    assert anchor == href.split("#")[1]
    target = page.locator(f"[id='{anchor}']")
    assert "offer stands" in target.inner_text()
    assert target.evaluate("e => e.matches(':target')")
    box = target.evaluate("e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }")
    assert 0 <= box[0] < page.viewport_size["height"]  # scrolled to, in view
    shot(page, "article-at-statement")
