"""CSV downloads: a search's filters -> every matching statement (up to a cap) as a CSV file."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI, Request
from fastapi.responses import Response

from onrecord import queries
from onrecord.attention import attention
from onrecord.web.app import Filters, Sort, reading

MAX_CSV_ROWS = 100_000
# A cell a spreadsheet would run as a formula: article text is hostile, so such cells get a leading
# apostrophe (the OWASP advice on CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, object]]) -> str:
    """Rows as CSV text with the export's columns, formula-looking cells defused."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(queries.EXPORT_QUOTE_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def add_routes(app: FastAPI) -> None:
    """Register the CSV downloads of a search: its statements, and its statements over time."""

    @app.get("/api/search.csv", summary="Every statement a search matches, as CSV", response_class=Response)
    def search_csv(request: Request, filters: Filters, sort: Sort = "newest") -> Response:
        """The same filters and order as ``/api/search``, every matching row (at most 100,000)."""
        with reading(request) as conn:
            page = queries.find_quotes(conn, filters.chosen(), limit=MAX_CSV_ROWS, offset=0, order=sort)
        headers = {
            "Content-Disposition": 'attachment; filename="statements.csv"',
            "X-Total-Count": str(page.total),
        }
        return Response(to_csv(page.rows), media_type="text/csv; charset=utf-8", headers=headers)

    @app.get(
        "/api/search/attention.csv",
        summary="A search's statements per day, week or month, as CSV",
        response_class=Response,
    )
    def attention_csv(request: Request, filters: Filters) -> Response:
        """The chart of ``/search`` as rows: each bucket's first and last day and its statements."""
        with reading(request) as conn:
            over_time = attention(conn, filters.chosen())
        assert over_time is not None  # no budget: always counted
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["unit", "bucket", "since", "until", "statements"])
        for row in over_time["buckets"]:
            writer.writerow([over_time["unit"], row["label"], row["since"], row["until"], row["statements"]])
        headers = {"Content-Disposition": 'attachment; filename="attention.csv"'}
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
