"""Speaker documents: a document that speaks ("the report says") -> the actor who wrote it.

Data flows parse and drafts in, an author draft out: the speakers component asks, for a mention
whose head is a document noun (``documents.txt``), who the article says made that document: its
possessor ("Bornstein's missive"), its "by"/"from" phrase ("a report by the Brennan Center"), the
subject of a verb of writing whose object it is ("Mariano wrote a memoir"), or the authors the
article lists ("the authors of the report, which include X and Y"). Two coordinated authors are one
group actor named by both ("X and Y").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onrecord.extract.lexicons import folded_set, table
from onrecord.extract.speaker_drafts import Context, Draft, clean_name, match_name
from onrecord.model import ActorType, Span

_WRITING = frozenset(
    {"write", "publish", "release", "issue", "author", "pen", "produce", "file", "send", "post", "tweet"}
)
_AUTHOR_PREPS = ("by", "from")
# How far after a document its maker may first be named ("the study … The authors of the report,
# which include …" a paragraph on); a maker named much later is another document's.
_AFTER_CHARS = 1_000


@dataclass(frozen=True, slots=True)
class Authored:
    """A document noun in the text and the actor the article says made it."""

    at: int  # where the document noun is
    noun: str  # its lemma, folded
    author: Draft


def document_head(tokens: list[Any]) -> Any | None:
    """The head of a mention when it is a document noun ("Bornsten's earlier missive on Trump")."""
    ids = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), None)
    if root is None or not _is_document(root):
        return None
    return root


def _is_document(token: Any) -> bool:
    nouns = folded_set("documents.txt")
    return token.pos_ in ("NOUN", "PROPN") and (token.lower_ in nouns or token.lemma_.casefold() in nouns)


def authored(ctx: Context) -> list[Authored]:
    """Every document noun of the article whose maker it names, and every verb that makes one
    ("the court ruled"), in text order."""
    verbs = {row[1]: row[0] for row in table("document_verbs.tsv") if len(row) > 1}
    found = []
    for token in ctx.index.doc:
        maker, noun = None, token.lemma_.casefold()
        document = _is_document(token)
        # The quote test after the cheap lexicon tests: it scans every quote, and ran for every
        # token (PolNeAR dev: a quarter of the speaker stage's time, bench/NOTES.md).
        if not (document or (token.pos_ == "VERB" and noun in verbs)) or ctx.in_quote(
            Span(token.idx, token.idx + len(token.text))
        ):
            continue
        if document:
            maker = author_token(token)
        else:
            noun = verbs[noun]
            maker = next((c for c in token.children if c.dep_ == "nsubj"), None)
        author = _actor(maker, ctx) if maker is not None else None
        if author is not None:
            found.append(Authored(token.idx, noun, author))
    return found


def author_token(noun: Any) -> Any | None:
    """The token naming who made a document, by the constructions in the module docstring."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child
        if child.dep_ == "prep" and child.lower_ in _AUTHOR_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ == "PROPN":
                return pobj
    head = noun.head
    if noun.dep_ == "dobj" and head.lemma_.casefold() in _WRITING:
        for child in head.children:
            if child.dep_ in ("nsubj",) and child.pos_ == "PROPN":
                return child
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.casefold() == "author":
        for clause in head.head.children:
            if clause.dep_ in ("relcl", "appos"):
                listed = next((c for c in clause.children if c.dep_ in ("dobj", "attr", "appos")), None)
                if clause.dep_ == "appos":
                    listed = clause
                if listed is not None and listed.pos_ == "PROPN":
                    return listed
    return None


def _actor(token: Any, ctx: Context) -> Draft | None:
    """The actor a maker token names: a coordination ("X and Y") is one group named by both."""
    conj = [c for c in token.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
    if conj:
        last = token.doc[max(token.right_edge.i, *(c.right_edge.i for c in conj))]
        end = last.idx + len(last.text)
        # the parse may hang a name's "for …" elsewhere: a named actor's span ends the name
        end = max([end] + [s.end for s, _ in ctx.by_mention if s.start <= conj[-1].idx < s.end])
        name = clean_name(ctx.text[token.left_edge.idx : end])
        found = next((d for d in ctx.drafts if d.type == "group" and name in d.names), None)
        if found is None:
            found = Draft("group", [name])
            found.outside.add(name)
            ctx.drafts.append(found)
        return found
    for span, draft in ctx.by_mention:
        if span.start <= token.idx < span.end and draft.type in ("person", "organization"):
            return draft
    if token.pos_ == "NOUN":  # "the appeals court": the organisation last named with that noun
        word = token.lower_
        if word not in folded_set("org_nouns.txt"):
            return None
        named = [d for s, d in ctx.by_mention if s.start < token.idx and d.type == "organization"]
        return next((d for d in reversed(named) if word in d.canonical.casefold().split()), None)
    name = clean_name(token.doc[token.left_edge.i : token.i + 1].text)
    kinds: tuple[ActorType, ...] = ("person", "organization")
    for kind in kinds:
        found = match_name(ctx.drafts, name, kind, token.idx)
        if found is not None:
            return found
    return None


def document_author(mention_span: Span, ctx: Context, made: list[Authored]) -> tuple[bool, Draft | None]:
    """Whether a mention names a document, and who made it: its own maker; else an actor named
    inside it ("the IMF report"); else the document of that kind the article last gave a maker
    before it, or any document it did; else the first one after it."""
    head = document_head(ctx.index.inside(mention_span))
    if head is None:
        return False, None
    own = [a for a in made if a.at == head.idx]
    if own:
        return True, own[0].author
    inside = [d for s, d in ctx.by_mention if mention_span.contains(s) and d.type != "place"]
    if inside:
        return True, inside[-1]
    before = [a for a in made if a.at < mention_span.start]
    same = [a for a in before if a.noun == head.lemma_.casefold()]
    if same or before:
        return True, (same or before)[-1].author
    after = [a for a in made if mention_span.end < a.at < mention_span.end + _AFTER_CHARS]
    return True, after[0].author if after else None
