"""The cue-attitude facet and filter on search: counts in the JSON twin, links on the page, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any


def test_attitude_facet_counts(client: Any, story_client: Any) -> None:
    assert client.get("/api/search").json()["facets"]["attitude"] == [{"value": "neutral", "count": 5}]
    facets = story_client.get("/api/search").json()["facets"]["attitude"]
    assert facets == [{"value": "neutral", "count": 9}, {"value": "warning", "count": 3}]
    narrowed = story_client.get("/api/search", params={"q": "lorries"}).json()
    assert narrowed["facets"]["attitude"] == [{"value": "warning", "count": 3}]


def test_attitude_filter_with_other_filters(story_client: Any) -> None:
    data = story_client.get("/api/search", params={"attitude": "warning"}).json()
    assert data["total"] == 3 and {r["cue"] for r in data["rows"]} == {"warn"}
    assert data["query"] == {"attitude": "warning"}
    assert data["facets"]["attitude"] == [{"value": "warning", "count": 3}]
    both = story_client.get("/api/search", params={"attitude": "neutral", "q": "progress"}).json()
    assert both["total"] == 3 and all("progress" in r["statement"] for r in both["rows"])
    paged = story_client.get("/api/search", params={"attitude": "neutral", "limit": 4, "offset": 4}).json()
    assert (paged["total"], len(paged["rows"]), paged["paging"]["next"]) == (9, 4, 8)
    assert story_client.get("/api/search", params={"attitude": "x" * 41}).status_code == 422
    assert story_client.get("/api/search", params={"attitude": "' OR 1=1 --"}).json()["total"] == 0


def test_attitude_on_the_page_and_in_csv(story_client: Any) -> None:
    page = story_client.get("/search").text
    assert "Cue attitude" in page and 'href="/search?attitude=warning"' in page
    assert '<option value="warning" selected>' in story_client.get("/search?attitude=warning").text
    response = story_client.get("/api/search.csv", params={"attitude": "warning"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3 == int(response.headers["x-total-count"])
