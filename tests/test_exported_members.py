"""The public API is small and pinned: a change here is a deliberate, documented change."""

from __future__ import annotations

import onrecord


def test_public_api_is_pinned() -> None:
    assert onrecord.__all__ == [
        "PIPELINE_VERSION",
        "Actor",
        "Article",
        "InputError",
        "OnrecordError",
        "Quote",
        "Span",
        "TimeExpression",
        "analyze",
    ]
    for name in onrecord.__all__:
        assert hasattr(onrecord, name)
