"""CSV downloads: a search's filters -> every matching statement (up to a cap) as a CSV file."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI, Request
from fastapi.responses import Response

from onrecord import queries
from onrecord.web.app import Attitude, Language, MinConfidence, Month, Text, reading
from onrecord.web.views import quote_filters

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
    """Register the CSV download of a search."""

    @app.get("/api/search.csv", summary="Every statement a search matches, as CSV", response_class=Response)
    def search_csv(
        request: Request,
        q: Text = None,
        speaker: Text = None,
        outlet: Text = None,
        month: Month = None,
        attitude: Attitude = None,
        min_confidence: MinConfidence = None,
        language: Language = None,
    ) -> Response:
        """The same filters as ``/api/search``, every matching row (at most 100,000), oldest first."""
        search = q if queries.fts_query(q or "") else None
        filters = quote_filters(
            {"q": search, "speaker": speaker, "outlet": outlet, "attitude": attitude, "language": language},
            month,
            min_confidence,
        )
        with reading(request) as conn:
            page = queries.find_quotes(conn, filters, limit=MAX_CSV_ROWS, offset=0)
        headers = {
            "Content-Disposition": 'attachment; filename="statements.csv"',
            "X-Total-Count": str(page.total),
        }
        return Response(to_csv(page.rows), media_type="text/csv; charset=utf-8", headers=headers)
