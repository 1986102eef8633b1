"""Character-range arithmetic and one-to-one greedy matching shared by the scorers (ranges in, pairs out).

A range is a half-open ``(start, end)`` pair of character offsets; a gold span may be several
disjoint ranges (brat discontinuous spans).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Range = tuple[int, int]


def merge(ranges: Iterable[Range]) -> tuple[Range, ...]:
    """Sort ``ranges`` and merge the ones that overlap or touch.

    Args:
        ranges: Half-open ranges, in any order.

    Returns:
        Disjoint, sorted ranges covering the same characters.
    """
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def size(ranges: Iterable[Range]) -> int:
    """Number of characters in the union of ``ranges``."""
    return sum(end - start for start, end in merge(ranges))


def extent(ranges: Sequence[Range]) -> Range:
    """The overall extent ``[min start, max end)`` of non-empty ``ranges``."""
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def overlap(span: Range, ranges: Iterable[Range]) -> int:
    """Number of characters of the union of ``ranges`` that fall inside ``span``."""
    start, end = span
    return sum(max(0, min(end, e) - max(start, s)) for s, e in merge(ranges))


def coverage(span: Range, ranges: Sequence[Range]) -> float:
    """Fraction of the characters of ``ranges`` that ``span`` covers (0.0 for empty ``ranges``)."""
    total = size(ranges)
    return overlap(span, ranges) / total if total else 0.0


def overlaps(span: Range, ranges: Iterable[Range]) -> bool:
    """Whether ``span`` shares at least one character with any of ``ranges``."""
    return overlap(span, ranges) > 0


def greedy_match(scores: Iterable[tuple[float, int, int]], threshold: float) -> dict[int, int]:
    """One-to-one matching, best score first.

    Args:
        scores: ``(score, predicted index, gold index)`` triples; pairs below ``threshold`` are
            ignored. Ties are broken by predicted then gold index, so the result is deterministic.
        threshold: The lowest score that can match.

    Returns:
        A mapping from gold index to the predicted index matched to it.
    """
    ranked = sorted((s for s in scores if s[0] >= threshold and s[0] > 0), key=lambda s: (-s[0], s[1], s[2]))
    used: set[int] = set()
    matched: dict[int, int] = {}
    for _, pred, gold in ranked:
        if pred in used or gold in matched:
            continue
        used.add(pred)
        matched[gold] = pred
    return matched
