"""Imported once by the ingest's fork server: what every worker needs, loaded before it is forked.

The workers of an ingest or reanalyze run are forked from a server process that has imported this
module, so the spaCy model, the language identifier and the HTML extractor are loaded once and their
memory is shared between the workers (copy-on-write; the model's weights are only read) instead of
each worker importing and loading its own copy. On the fundus WARC with 2 workers this made the run
about 12% faster (bench/NOTES.md): less CPU spent on loading and less cache for the same weights.

Nothing here may raise: a fork server that fails its preload cannot start workers, and the error
would surface as a broken pool. A failure here is left for each worker's own initializer
(``build._init_worker``), which loads the same things and fails with onrecord's own message.
"""

from __future__ import annotations


def _warm() -> None:
    try:
        import trafilatura  # noqa: F401  (imported for its side effect: loaded once, shared)

        from onrecord.corpus.build import _init_worker

        _init_worker()
    except Exception:  # noqa: S110  (the worker's initializer reports it; see the module docstring)
        pass


_warm()
