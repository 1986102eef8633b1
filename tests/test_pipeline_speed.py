"""The speed-ups of issue 8 change nothing a user sees: same annotations, same results, less work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from onrecord.corpus.build import analyse_item
from onrecord.extract.parse import line_breaks, load_nlp
from onrecord.ingest.sources import Item

# Lines of the kind the attribute ruler's rarer rules are for ("gonna", "ain't", "let's", "whom"),
# beside news prose; a line break inside a paragraph must still end a sentence.
ODD = (
    "We're gonna win, and they ain't got a chance,\" she said. Let's see whom he blames.\n"
    "Cannot stop now\nThe senator, who'd said he wouldn't run, is running.  \n\n"
    "U.S. officials said on Monday that Iran's 2nd-largest city had been hit; "
    "\u201cwe\u2019re gonna respond,\u201d one said.\n"
)


def _annotations(doc: Any) -> list[tuple[Any, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
         t.is_sent_start)
        for t in doc
    ]  # fmt: skip


def _texts(seed_text: str) -> list[str]:
    texts = [seed_text, ODD]
    polnear = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear" / "dev" / "text"
    texts += [p.read_text(encoding="utf-8") for p in sorted(polnear.glob("*.txt"))[:6]]
    return texts


def test_fast_components_replace_the_stock_ones() -> None:
    names = load_nlp().pipe_names
    assert "onrecord_attributes" in names and "onrecord_lemmas" in names
    assert "attribute_ruler" not in names and "lemmatizer" not in names
    assert "attribute_ruler" in load_nlp(fast=False).pipe_names


def test_fast_pipeline_annotates_exactly_like_spacy(seed_text: str) -> None:
    fast, stock = load_nlp(), load_nlp(fast=False)
    for text in _texts(seed_text):
        assert _annotations(fast(text)) == _annotations(stock(text))


def test_rare_attribute_rules_still_apply() -> None:
    doc = load_nlp()("They're gonna go. We ain't done.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"  # two-token rules of the ruler
    assert lemmas["ai"] == "be" and lemmas["'re"] == "be"
    assert all(t.pos_ for t in doc)


def test_caches_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import onrecord.extract.parse as parse

    nlp = load_nlp()
    attributes, lemmas = nlp.get_pipe("onrecord_attributes"), nlp.get_pipe("onrecord_lemmas")
    monkeypatch.setattr(parse, "MAX_CACHE", 5)
    nlp(ODD)
    nlp("A second text, so that the full caches are emptied before it is read.")
    assert len(attributes.cache) < 40 and len(lemmas.cache) < 40


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("One line\nTwo line\n\nThree", ["One", "Two", "Three"]),
        ("No break here. Nor here", ["No"]),
        ("Trailing\n", ["Trailing"]),
    ],
)
def test_line_breaks_start_sentences(text: str, starts: list[str]) -> None:
    doc = line_breaks(load_nlp().make_doc(text))
    assert [t.text for t in doc if t.is_sent_start] == starts


def test_worker_result_does_not_carry_the_page_back() -> None:
    page = b"<html><head><title>Talks</title></head><body><article><p>" + b"Words of a report. " * 40
    item = Item("crawl.warc", "record 1", data=page + b"</p></article></body></html>", kind="html")
    result = analyse_item(item, item.input_hash(), None)
    assert result.status == "article" and result.article is not None
    assert result.item.data is None and result.item.text is None
    assert (result.item.source, result.item.record) == ("crawl.warc", "record 1")
