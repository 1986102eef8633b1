"""Article structure of scraped text: section, headline, byline, dateline, credits, interface text."""

from __future__ import annotations

from onrecord.extract.structure import StructureParser, analysable_text
from onrecord.model import Article


def parse(text: str) -> Article:
    return StructureParser()(Article(text=text))


def test_seed_structure(seed_text: str) -> None:
    article = parse(seed_text)
    assert article.section is not None and article.slice(article.section) == "World"
    assert article.headline is not None
    assert article.slice(article.headline) == (
        "Kremlin Hopes New START Treaty Will Be Extended For One Year, Disagreements Overcome"
    )
    boiler = {article.slice(b.span): b.kind for b in article.boilerplate}
    assert boiler == {"World": "section", "Sputnik": "credit", "Discuss": "interface"}


def test_boilerplate_is_masked_not_cut(seed_text: str) -> None:
    article = parse(seed_text)
    masked = analysable_text(article)
    assert len(masked) == len(seed_text)
    assert masked.rstrip().endswith("April 2010.")  # the trailing "Discuss" is blanked
    assert "\nSputnik\n" not in masked
    assert masked.count("\n") == seed_text.count("\n")
    assert "Peskov said" in masked


def test_byline_credits_and_interface_lines() -> None:
    text = (
        "Politics\n\nMinister Resigns After Budget Row\n\nBy Jane Doe and John Roe\n\n"
        "The finance minister resigned on Monday, officials said.\n"
        "AP Photo/Evan Vucci\n\n"
        '"I have done my duty," she said.\n\n'
        "Photo: Reuters\n\nRead more\n\nShare\n\nSubscribe\n"
    )
    article = parse(text)
    kinds = {article.slice(b.span): b.kind for b in article.boilerplate}
    assert kinds["Politics"] == "section"
    assert kinds["By Jane Doe and John Roe"] == "byline"
    assert kinds["AP Photo/Evan Vucci"] == "credit"
    assert kinds["Photo: Reuters"] == "credit"
    assert kinds["Read more"] == kinds["Share"] == kinds["Subscribe"] == "interface"
    assert (
        article.headline is not None
        and article.slice(article.headline) == "Minister Resigns After Budget Row"
    )
    body = [article.slice(p.span) for p in article.body_paragraphs()]
    assert body == [
        "The finance minister resigned on Monday, officials said.",
        '"I have done my duty," she said.',
    ]


def test_dateline() -> None:
    text = "Russia Offers Talks\n\nMOSCOW, October 23 (TASS) – The Kremlin said on Friday it was ready.\n"
    article = parse(text)
    assert article.dateline is not None
    assert article.slice(article.dateline) == "MOSCOW, October 23 (TASS) –"


def test_a_body_sentence_is_never_boilerplate() -> None:
    text = "Headline Of The Day Here\n\nShare prices fell sharply on Tuesday after the announcement.\n"
    article = parse(text)
    assert article.boilerplate == ()


def test_spans_are_inside_the_text(seed_text: str) -> None:
    article = parse(seed_text)
    for paragraph in article.paragraphs:
        assert 0 <= paragraph.span.start < paragraph.span.end <= len(seed_text)
        assert article.slice(paragraph.span).strip() == article.slice(paragraph.span)
