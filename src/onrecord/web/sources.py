"""The watched sources (issue 20): each feed or sitemap ``onrecord watch`` polls, with its health.

Read from the watch tables (``onrecord.watch.state.source_health``) over the view's read-only
connection; a store that never watched anything shows how to start.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from onrecord.web.app import reading, twin


def add_routes(app: FastAPI) -> None:
    """The sources page and its JSON twin under /api."""

    @twin(app, "/sources", "sources.html")
    def sources_page(request: Request) -> dict[str, Any]:
        """Watched feeds and sitemaps: last success, errors in a row, next poll, new articles."""
        from onrecord.watch.state import source_health

        with reading(request) as conn:
            rows = source_health(conn)
        failing = sum(1 for row in rows if row["errors_in_row"])
        return {"rows": rows, "total": len(rows), "failing": failing}
