"""One exception tree for onrecord; messages say what went wrong and what to do next.

OnrecordError
├── InputError           a document cannot be read or decoded (file named in the message)
│   └── SkipDocument     an expected rejection: empty, binary, not an article (skipped, not failed)
├── AnalysisError        the pipeline failed on one document (recorded; the run goes on)
├── EvaluationError      gold data missing or malformed
└── QualityGateError     a score fell below its pinned floor
"""

from __future__ import annotations


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose."""


class InputError(OnrecordError):
    """A document cannot be read or decoded."""

    def __init__(self, source: str | None, reason: str) -> None:
        self.source = source or "<input>"
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


class SkipDocument(InputError):
    """An expected rejection (empty input, binary data): the run records it and goes on."""


class AnalysisError(InputError):
    """The pipeline failed on one document; a batch run records it and goes on."""


class EvaluationError(OnrecordError):
    """Gold data is missing or malformed."""


class QualityGateError(OnrecordError):
    """A measured score fell below the floor pinned in the baseline file."""
