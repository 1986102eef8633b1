"""Corpus stories: article texts -> MinHash signatures -> near-duplicate groups (stories), via LSH.

The same wire story in five outlets, or the AMP and desktop pages of one article, share most of
their 5-word shingles; MinHash LSH (datasketch) finds such pairs without comparing every pair.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
# Pinned so stored signatures stay comparable across datasketch upgrades (32-bit: 512 bytes each).
SCHEME = "affine32"
# Jaccard of 5-word shingles at or above which two articles are one story. Chosen, not yet
# measured: syndicated copies that differ only in headline, byline and a trimmed last paragraph
# score ~0.8 on hand-made pairs; distinct stories on one topic stay under 0.2.
THRESHOLD = 0.7
SHINGLE = 5
_WORD = re.compile(r"\w+")


def signature(text: str) -> MinHash | None:
    """The MinHash of a text's 5-word shingles, or None for a text too short to compare."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE * 4:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(sorted(shingles))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return bytes(np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes())


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint32).copy(), scheme=SCHEME)


class StoryIndex:
    """An in-memory LSH index over stored articles: a new article joins the story of its best match."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._stories: dict[int, int] = {}
        self._signatures: dict[int, MinHash] = {}

    def add(self, article_id: int, story_id: int, minhash: MinHash) -> None:
        self._lsh.insert(article_id, minhash)
        self._stories[article_id] = story_id
        self._signatures[article_id] = minhash

    def find(self, minhash: MinHash) -> int | None:
        """The story of the most similar stored article at or above the threshold, if any."""
        best: tuple[float, int] | None = None
        for candidate in self._lsh.query(minhash):
            score = float(minhash.jaccard(self._signatures[candidate]))
            if score >= self.threshold and (best is None or (score, -candidate) > (best[0], -best[1])):
                best = (score, candidate)
        return None if best is None else self._stories[best[1]]

    def __len__(self) -> int:
        return len(self._stories)
