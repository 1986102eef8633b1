"""Speakers: Article with speaker mentions -> canonical actors, every quote tied to one.

Names come from spaCy's entities; a person's canonical name is the fullest form the article gives,
without honorifics or titles. Surnames join the full name; titles and roles ("the Kremlin
spokesman") resolve to the person the article gave that role; pronouns to the most recent,
most salient person (or organisation for "it"/"they") that agrees with them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from onrecord.extract.lexicons import folded_set, table
from onrecord.extract.quotes import TokenIndex
from onrecord.model import Actor, ActorType, Article, Gender, Mention, Quote, Span

_ENT_TYPES: dict[str, ActorType] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "NORP": "group",
}
_ROLE_DEPS = ("compound", "amod", "nmod", "det", "poss")
_QUOTE_CHARS = "\"'“”‘’«»„`"
# Modifiers that tell two holders of one role apart: a description with one of them cannot mean a
# person the article gave another one of them.
_CONTRASTS = frozenset(
    [
        "democratic",
        "democrat",
        "republican",
        "gop",
        "libertarian",
        "green",
        "conservative",
        "labour",
        "liberal",
        "russian",
        "american",
        "us",
        "u.s.",
        "chinese",
        "british",
        "french",
        "german",
        "ukrainian",
        "israeli",
        "iranian",
        "former",
        "current",
        "new",
        "outgoing",
        "incoming",
    ]
)
_SUFFIXES = ("jr", "sr", "ii", "iii", "iv")
_PRONOUN_WINDOW = 6  # sentences back a pronoun may reach


@dataclass
class _Draft:
    """An actor while it is being built."""

    type: ActorType
    names: list[str]
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: str = "unknown"
    outside: set[str] = field(default_factory=set)  # name forms used outside quotations

    @property
    def canonical(self) -> str:
        # A name only ever used inside a quotation ("Crooked Hillary Clinton") is the speaker's
        # wording, not the article's; prefer the forms the article uses in its own voice.
        forms = [n for n in self.names if n in self.outside] or self.names
        return max(forms, key=lambda n: (len(n.split()), len(n)))

    @property
    def surname(self) -> str:
        words = [w for w in self.canonical.casefold().split() if w.strip(".,") not in _SUFFIXES]
        return words[-1] if words else self.canonical.casefold()


@dataclass
class _Context:
    """What resolution needs about one article."""

    text: str
    index: TokenIndex
    drafts: list[_Draft]
    by_mention: list[tuple[Span, _Draft]]
    quoted: list[Span]
    salience: dict[Span, float] = field(default_factory=dict)
    sentence_starts: list[int] = field(default_factory=list)

    def sentence(self, char: int) -> int:
        return bisect.bisect_right(self.sentence_starts, char) - 1

    def in_quote(self, span: Span) -> bool:
        return any(q.contains(span) for q in self.quoted)


@cache
def _given_names() -> dict[str, str]:
    return {row[0]: row[1] for row in table("given_names.tsv") if len(row) > 1}


@cache
def _gendered() -> dict[str, str]:
    return {row[0]: row[1] for row in table("gendered.tsv") if len(row) > 1}


@cache
def _pronouns() -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in table("pronouns.tsv")}


def _honorific_gender(ent: Any, before: int = 2) -> str:
    """The gender an honorific or gendered title just before a name gives ("Mr. Obama", "spokeswoman
    Maria Zakharova"); "Mr." may also open the entity itself."""
    gendered = _gendered()
    for token in ent.doc[max(ent.start - before, 0) : ent.start + 1]:
        if token.lower_ in gendered:
            return gendered[token.lower_]
    return "unknown"


def _gender_of(ent: Any, name: str) -> str:
    """Gender from the article's own words: an honorific or a gendered role, else a given name."""
    told = _honorific_gender(ent, before=3)  # a role word may stand further off ("spokeswoman for X")
    if told != "unknown":
        return told
    first = name.split()[0].casefold() if name.split() else ""
    return _given_names().get(first, "unknown")


@cache
def _metonyms() -> dict[str, str]:
    return {row[0].casefold(): row[1] for row in table("metonyms.tsv") if len(row) > 1}


@cache
def _role_classes() -> dict[str, str]:
    return {row[0].casefold(): row[1] for row in table("roles.tsv")}


def clean_name(text: str) -> str:
    """Drop honorifics, titles, possessives and stray quotation marks from a name
    ("Sen. Ted Cruz's" -> "Ted Cruz", "Donald Trump ''" -> "Donald Trump")."""
    text = text.strip().strip(_QUOTE_CHARS + " ")
    text = re.sub(r"['’]s$", "", text).strip(_QUOTE_CHARS + " ")
    words = [w for w in text.split() if w.strip(_QUOTE_CHARS)]
    honorifics = folded_set("honorifics.txt")
    while len(words) > 1 and words[0].casefold().rstrip(".") in {h.rstrip(".") for h in honorifics}:
        words = words[1:]
    if words and words[0].casefold() == "the":
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


class SpeakerResolver:
    """Component: builds the article's actors and resolves every quote's speaker to one."""

    requires = ("quotes", "doc")
    provides = ("actors",)

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            return article
        index = TokenIndex(article.doc)
        quoted = [q.span for q in article.quotes if q.kind != "indirect"]
        ctx = _Context(article.text, index, [], [], quoted)
        ctx.sentence_starts = [s.start_char for s in index.doc.sents]
        self._entities(article, ctx)
        drafts = ctx.drafts
        quotes = []
        for quote in article.quotes:
            quotes.append(self._resolve(quote, ctx))
        actors = self._finish(drafts)
        ids = {id(d): a.id for d, a in zip(drafts, actors, strict=True)}
        resolved = []
        for quote, draft in quotes:
            resolved.append(quote if draft is None else _with_actor(quote, ids[id(draft)]))
        return article.evolve(quotes=tuple(resolved), actors=tuple(a for a in actors if a.mentions))

    # -- entities --------------------------------------------------------------------------
    def _entities(self, article: Article, ctx: _Context) -> None:
        drafts, by_mention = ctx.drafts, ctx.by_mention
        ents = [e for e in ctx.index.doc.ents if e.label_ in _ENT_TYPES and e.text.strip()]
        headline = next((p.span for p in article.paragraphs if p.role == "headline"), None)
        # Full names first, so "Peskov" finds "Dmitry Peskov" even when the surname comes first.
        for ent in sorted(ents, key=lambda e: -len(clean_name(e.text).split())):
            kind = _ENT_TYPES[ent.label_]
            name = clean_name(ent.text)
            if not name or not any(c.isalpha() for c in name):
                continue
            if kind != "person" and len(name.split()) > 1 and name.split()[0].casefold() in _given_names():
                kind = "person"  # "Donald J. Trump" tagged ORG: a given name says person
            hint = _honorific_gender(ent) if kind == "person" else "unknown"
            draft = self._match(drafts, name, kind, ent.start_char, hint)
            in_headline = headline is not None and headline.start <= ent.start_char < headline.end
            if draft is None and in_headline:
                continue  # headlines fool the tagger ("Will Be"): trust names the body confirms
            if draft is None:
                draft = _Draft(kind, [name])
                drafts.append(draft)
            elif name not in draft.names:
                draft.names.append(name)
            span = Span(ent.start_char, ent.start_char + len(ent.text.rstrip()))
            draft.mentions.append(Mention(span, "name"))
            by_mention.append((span, draft))
            if not ctx.in_quote(span):
                draft.outside.add(name)
            if ent.root.dep_ in ("nsubj", "nsubjpass"):
                ctx.salience[span] = 1.0  # measured on PolNeAR dev: subjects are the likelier antecedents
            if kind == "person":
                draft.roles.extend(self._roles(ent))
                if draft.gender == "unknown":
                    draft.gender = _gender_of(ent, name)
        self._untagged(ctx)
        by_mention.sort(key=lambda item: item[0].start)

    @staticmethod
    def _given_name_subjects(ctx: _Context) -> None:
        """A lone given name the tagger missed ("Melanie said") is a person of that gender."""
        names = _given_names()
        taken = [span for span, _ in ctx.by_mention]
        for token in ctx.index.doc:
            if token.pos_ != "PROPN" or token.dep_ not in ("nsubj", "nsubjpass") or token.lower_ not in names:
                continue
            if any(t.pos_ == "PROPN" for t in token.lefts) or token.ent_type_:
                continue
            span = Span(token.idx, token.idx + len(token.text))
            if any(s.overlaps(span) for s in taken) or ctx.in_quote(span):
                continue
            draft = next((d for d in ctx.drafts if d.type == "person" and token.text in d.names), None)
            if draft is None:
                draft = _Draft("person", [token.text], gender=names[token.lower_])
                draft.outside.add(token.text)
                ctx.drafts.append(draft)
            draft.mentions.append(Mention(span, "name"))
            ctx.by_mention.append((span, draft))
            ctx.salience[span] = 1.0

    @staticmethod
    def _untagged(ctx: _Context) -> None:
        """Names the tagger missed: a proper noun that is a known person's surname is that person.

        Measured on PolNeAR dev: the small model leaves many a "Trump" or "Clinton" untagged, and
        those are exactly the mentions a following "he" or "she" refers to.
        """
        SpeakerResolver._given_name_subjects(ctx)
        persons = [d for d in ctx.drafts if d.type == "person" and len(d.canonical.split()) > 1]
        surnames: dict[str, list[_Draft]] = {}
        for draft in persons:
            surnames.setdefault(draft.surname, []).append(draft)
        taken = [span for span, _ in ctx.by_mention]
        for token in ctx.index.doc:
            if token.pos_ != "PROPN" or token.lower_ not in surnames:
                continue
            span = Span(token.idx, token.idx + len(token.text))
            if any(s.overlaps(span) for s in taken) or ctx.in_quote(span):
                continue
            candidates = surnames[token.lower_]
            if len(candidates) != 1:
                continue
            ctx.by_mention.append((span, candidates[0]))
            candidates[0].mentions.append(Mention(span, "name"))
            if token.dep_ in ("nsubj", "nsubjpass"):
                ctx.salience[span] = 1.0

    @staticmethod
    def _match(
        drafts: list[_Draft], name: str, kind: ActorType, at: int | None = None, gender: str = "unknown"
    ) -> _Draft | None:
        """The actor a name refers to; of several, the latest before `at`."""
        folded = name.casefold().replace("’", "'")
        words = folded.split()
        found: list[_Draft] = []
        for draft in drafts:
            if draft.type == "person" and kind != "person" and len(words) == 1 and words[0] == draft.surname:
                found.append(draft)  # "Trump" tagged ORG after "Donald Trump": the person
            elif draft.type != kind:
                continue
            elif folded in (n.casefold().replace("’", "'") for n in draft.names):
                if gender in ("male", "female") and draft.gender not in (gender, "unknown"):
                    continue  # "Mr. Obama" after "Obama" was taken for Michelle Obama
                return draft
            elif kind == "person":
                canonical = draft.canonical.casefold().replace("’", "'")
                full = [w for w in canonical.split() if w.strip(".,") not in _SUFFIXES]
                words = [w for w in words if w.strip(".,") not in _SUFFIXES]
                if not full or not words:
                    continue  # a "name" that is only "Jr." or "III"
                given = full[0] in _given_names() and len(full) > 1
                single = len(words) == 1 and (words[0] == full[-1] or (given and words[0] == full[0]))
                initial = len(words) > 1 and words[-1] == full[-1] and words[0][:1] == full[0][:1]
                suffix = 1 < len(words) < len(full) and full[-len(words) :] == words  # "Suu Kyi"
                if single or initial or suffix:
                    found.append(draft)
            elif kind == "organization":
                full = [w for w in draft.canonical.casefold().split() if w != "the"]
                if len(words) < len(full) and full[-len(words) :] == [w for w in words if w != "the"]:
                    found.append(draft)  # "Times" for "The New York Times"
                elif len(words) < len(full) and full[: len(words)] == words:
                    found.append(draft)  # "Peabody" for "Peabody Energy"
        if gender in ("male", "female"):
            found = [d for d in found if d.gender in (gender, "unknown")]  # "Mr. Obama" is not Michelle Obama
        if len(found) <= 1 or at is None:
            return found[0] if found else None

        def last_before(draft: _Draft) -> int:
            return max((m.span.start for m in draft.mentions if m.span.start < at), default=-1)

        return max(found, key=last_before)

    @staticmethod
    def _roles(ent: Any) -> list[str]:
        """Title and role words the article attaches to a person: before the name, or in apposition."""
        classes = _role_classes()
        roles: list[str] = []
        root = ent.root
        # The whole premodifier phrase ("Republican candidate" in "Republican candidate Donald Trump").
        words = [
            t
            for c in root.lefts
            if c.dep_ in _ROLE_DEPS
            for t in c.subtree
            if t.i < ent.start and t.dep_ in _ROLE_DEPS
        ]
        words += [t for t in ent if t.lower_ in classes]
        for child in root.children:
            if child.dep_ == "appos":
                words.extend(t for t in child.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ"))
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            words.extend(
                t for t in root.head.subtree if t.i < ent.start and t.pos_ in ("NOUN", "ADJ", "PROPN")
            )
        for word in words:
            role = classes.get(word.lower_) or classes.get(word.lemma_.casefold())
            if role:
                roles.append(role)
        for word in words:
            if word.pos_ in ("PROPN", "ADJ", "NOUN") and (
                word.lower_ not in classes or word.lower_ in _CONTRASTS
            ):
                roles.append("~" + word.lower_)  # a modifier, e.g. "kremlin", "russian"
        return roles

    # -- resolution ------------------------------------------------------------------------
    def _resolve(self, quote: Quote, ctx: _Context) -> tuple[Quote, _Draft | None]:
        mention = quote.speaker
        if mention is None:
            return quote, None
        text, drafts, by_mention = ctx.text, ctx.drafts, ctx.by_mention
        named = self._named(mention, by_mention)
        if named is None and mention.kind == "description":
            named = self._author(mention, ctx)
        if named is not None:
            state = _metonyms().get(named.canonical.casefold()) if named.type == "place" else None
            if state is not None:
                country = self._match(drafts, state, "place") or _Draft("place", [state])
                if country not in drafts:
                    drafts.append(country)
                country.mentions.append(mention)
                line = f"{mention.span.text(text)} -> {state} (a capital speaking for its state)"
                return _with_evidence(quote, line), country
            ctx.salience[_head_span(by_mention, mention)] = 2.0
            return quote, named
        words = mention.span.text(text).casefold().split()
        draft: _Draft | None
        if mention.kind == "pronoun":
            draft = self._pronoun(words[0] if words else "", mention.span.start, ctx)
            how = "pronoun: the most salient recent actor that agrees with it"
        elif mention.kind == "name" and (found := self._by_name(mention, ctx)) is not None:
            draft, how = found, "name the article gave in full elsewhere"
        else:
            draft = self._description(words, mention.span.start, ctx)
            how = "title or role the article gave this actor"
            if draft is None:
                draft = self._group(mention, text, drafts)
                how = "unnamed source"
        if draft is None:
            return quote, None
        draft.mentions.append(mention)
        by_mention.append((mention.span, draft))
        by_mention.sort(key=lambda item: item[0].start)
        ctx.salience[mention.span] = 2.0  # a speaker stays the likeliest "he" or "she" of what follows
        return _with_evidence(quote, f"{mention.span.text(text)} -> {draft.canonical} ({how})"), draft

    @staticmethod
    def _author(mention: Mention, ctx: _Context) -> _Draft | None:
        """A document that speaks ("the IMF report", "a Times article") speaks for its author."""
        words = mention.span.text(ctx.text).casefold().split()
        if not words or words[-1].strip(".,") not in folded_set("documents.txt"):
            return None
        inside = [d for s, d in ctx.by_mention if mention.span.contains(s) and d.type != "place"]
        if inside:
            return inside[-1]
        return SpeakerResolver._salient(mention.span.start, ctx, ("organization",), "unknown")

    def _by_name(self, mention: Mention, ctx: _Context) -> _Draft | None:
        text = mention.span.text(ctx.text)
        name = clean_name(text)
        if not name:
            return None
        first = text.split()[0].casefold() if text.split() else ""
        hint = _gendered().get(first, "unknown")
        for kind in ("person", "organization"):
            draft = self._match(ctx.drafts, name, kind, mention.span.start, hint)
            if draft is not None:
                return draft
        return None

    @staticmethod
    def _named(mention: Mention, by_mention: list[tuple[Span, _Draft]]) -> _Draft | None:
        """The named actor a mention is about: the entity holding its head (its last word).

        "Kremlin spokesman Dmitry Peskov" overlaps the ORG "Kremlin" and the PERSON "Dmitry
        Peskov"; the head decides. "the Russian president" holds only the NORP "Russian" as a
        modifier, so it is a description, resolved by role.
        """
        overlapping = [(span, draft) for span, draft in by_mention if span.overlaps(mention.span)]
        for span, draft in overlapping:
            if span.start < mention.span.end <= span.end:
                return draft
        return None

    @staticmethod
    def _pronoun(word: str, at: int, ctx: _Context) -> _Draft | None:
        """The antecedent of a pronoun: recent, salient (a speaker, a subject), agreeing, not quoted."""
        info = _pronouns().get(word)
        if info is None or info[2] != "3":
            return None
        gender = info[0]
        # Measured on PolNeAR dev: a speaking "it" or "they" is an organisation or a group (a paper,
        # a campaign, a committee), far more often than a place or a person.
        wanted: tuple[ActorType, ...] = (
            ("person",) if gender in ("male", "female") else ("organization", "group")
        )
        found = SpeakerResolver._salient(at, ctx, wanted, gender)
        if found is None and gender not in ("male", "female"):
            found = SpeakerResolver._salient(at, ctx, ("place", "person"), gender)
        return found

    @staticmethod
    def _salient(at: int, ctx: _Context, wanted: tuple[ActorType, ...], gender: str) -> _Draft | None:
        """The most salient recent actor of the wanted types that agrees in gender."""
        here = ctx.sentence(at)
        best: _Draft | None = None
        best_score = float("-inf")
        for span, draft in reversed(ctx.by_mention):
            if span.start >= at or draft.type not in wanted or ctx.in_quote(span):
                continue
            distance = here - ctx.sentence(span.start)
            if distance > _PRONOUN_WINDOW:
                break
            if gender in ("male", "female") and draft.gender not in ("unknown", gender):
                continue
            score = ctx.salience.get(span, 0.0) - distance - (0.5 if draft.gender == "unknown" else 0.0)
            if score > best_score:
                best, best_score = draft, score
        if best is not None and gender in ("male", "female") and best.gender == "unknown":
            best.gender = gender
        return best

    @staticmethod
    def _description(words: list[str], at: int, ctx: _Context) -> _Draft | None:
        """A title or role bound to the actor the article gave it; failing that, for a word that
        names an office ("the New York businessman"), the most salient person just before it."""
        organisation = SpeakerResolver._organisation(words, at, ctx)
        if organisation is not None:
            return organisation
        classes = _role_classes()
        heads = [classes[w] for w in words if w in classes]
        if not heads:
            return None
        found = SpeakerResolver._by_role(words, heads, at, ctx.by_mention)
        if found is not None:
            return found
        gendered = _gendered()
        gender = next((gendered[w] for w in words if w in gendered), "unknown")
        return SpeakerResolver._salient(at, ctx, ("person",), gender)

    @staticmethod
    def _organisation(words: list[str], at: int, ctx: _Context) -> _Draft | None:
        """ "The commission" -> the Commission on Presidential Debates; "the daily" -> the paper in focus."""
        head = words[-1].strip(".,;:’'") if words else ""
        if head not in folded_set("org_nouns.txt") or len(words) > 6:
            return None
        for span, draft in reversed(ctx.by_mention):
            if (
                span.start < at
                and draft.type == "organization"
                and head in draft.canonical.casefold().split()
            ):
                return draft
        return SpeakerResolver._salient(at, ctx, ("organization",), "unknown")

    @staticmethod
    def _by_role(
        words: list[str], heads: list[str], at: int, by_mention: list[tuple[Span, _Draft]]
    ) -> _Draft | None:
        classes = _role_classes()
        modifiers = {
            w
            for w in words
            if (w not in classes or w in _CONTRASTS) and w not in ("the", "a", "an", "this", "that")
        }
        best: _Draft | None = None
        best_score = 0.0
        for span, draft in reversed(by_mention):
            if span.start >= at or draft.type != "person" or heads[-1] not in draft.roles:
                continue
            theirs = {r[1:] for r in draft.roles if r.startswith("~")}
            if modifiers & _CONTRASTS and theirs & _CONTRASTS and not modifiers & theirs:
                continue  # "the Democratic candidate" is not the Republican one
            score = 1.0 + sum(1 for m in modifiers if "~" + m in draft.roles) - 0.0001 * (at - span.start)
            if score > best_score:
                best, best_score = draft, score
        return best

    @staticmethod
    def _group(mention: Mention, text: str, drafts: list[_Draft]) -> _Draft | None:
        name = mention.span.text(text).strip()
        if not name:
            return None
        words = name.split()
        if words[0].casefold() == "the":
            words = words[1:]  # "a senior official" keeps its article: it says the source is one of many
        canonical = " ".join(words).casefold() if mention.kind == "description" else " ".join(words)
        if not canonical:
            return None
        for draft in drafts:
            if draft.canonical.casefold() == canonical.casefold():
                return draft
        draft = _Draft("group" if mention.kind == "description" else "person", [canonical])
        drafts.append(draft)
        return draft

    @staticmethod
    def _finish(drafts: list[_Draft]) -> list[Actor]:
        actors = []
        for draft in drafts:
            name = draft.canonical
            roles = tuple(dict.fromkeys(r for r in draft.roles if not r.startswith("~")))
            mentions = tuple(sorted(set(draft.mentions), key=lambda m: (m.span.start, m.span.end)))
            actor_id = Actor.make_id(name, draft.type)
            gender: Gender = "unknown"
            if draft.gender == "male":
                gender = "male"
            elif draft.gender == "female":
                gender = "female"
            linked = tuple(Mention(m.span, m.kind, actor_id) for m in mentions)
            actors.append(Actor(actor_id, name, draft.type, linked, roles, gender))
        return actors


def _head_span(by_mention: list[tuple[Span, _Draft]], mention: Mention) -> Span:
    for span, _draft in by_mention:
        if span.start < mention.span.end <= span.end:
            return span
    return mention.span


def _with_actor(quote: Quote, actor_id: str) -> Quote:
    speaker = quote.speaker
    if speaker is not None:
        speaker = replace(speaker, actor_id=actor_id)
    return replace(quote, speaker=speaker, actor_id=actor_id)


def _with_evidence(quote: Quote, line: str) -> Quote:
    return replace(quote, evidence=(*quote.evidence, line))
