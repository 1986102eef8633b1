"""Speakers: Article with speaker mentions -> canonical actors, every quote tied to one.

The actors come from the article's names (``speaker_entities``, ``speaker_drafts``); a person's
canonical name is the fullest form the article gives, without honorifics or titles. Here each
quote's speaker mention is resolved: names to their actor; titles and roles ("the Kremlin
spokesman") to the person the article gave that role; pronouns to the most recent, most salient
person (or organisation for "it"/"they") that agrees with them; a narrator's "I" to the piece's
author; a document, an ad or its narrator to whoever it speaks for ("the Trump campaign").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from onrecord.extract.interviews import EVIDENCE as TURN
from onrecord.extract.interviews import initials_owner, named_with_initials, spelled_out
from onrecord.extract.lexicons import folded_set
from onrecord.extract.quotes import TokenIndex
from onrecord.extract.speaker_documents import authored, document_author
from onrecord.extract.speaker_drafts import Context as _Context
from onrecord.extract.speaker_drafts import Draft as _Draft
from onrecord.extract.speaker_drafts import clean_name, given_names, match_name
from onrecord.extract.speaker_drafts import gendered as _gendered
from onrecord.extract.speaker_drafts import metonyms as _metonyms
from onrecord.extract.speaker_drafts import pronouns as _pronouns
from onrecord.extract.speaker_drafts import role_classes as _role_classes
from onrecord.extract.speaker_entities import CONTRASTS as _CONTRASTS
from onrecord.extract.speaker_entities import build_actors
from onrecord.extract.speaker_names import authors, fold
from onrecord.model import Actor, ActorType, Article, Gender, Mention, Quote, Span

_ADS = ("ad", "ads", "advertisement", "spot", "commercial")
_AD_OWNERS = ("ad's",)  # folded: typographic apostrophes made plain
_VOICES = ("narrator", "announcer")
_AD = re.compile(
    r"(?:['’]s)?(?:\s+(?:campaign|new|latest|first|tv|television|radio|web|digital|attack|memorable))*"
    r"\s+(?:ad|ads|advertisement|spot|commercial)\b",
    re.IGNORECASE,
)
_CAMPAIGN = re.compile(r"(?:['’]s)?\s+(?:presidential\s+)?(?:campaign|camp|team)\b", re.IGNORECASE)
_PRONOUN_WINDOW = 6  # sentences back a pronoun may reach


class SpeakerResolver:
    """Component: builds the article's actors and resolves every quote's speaker to one."""

    _match = staticmethod(match_name)

    requires = ("quotes", "doc")
    provides = ("actors",)

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            return article
        index = TokenIndex.of(article.doc)
        quoted = [q.span for q in article.quotes if q.kind != "indirect"]
        ctx = _Context(article.text, index, [], [], quoted)
        ctx.sentence_starts = [s.start_char for s in index.doc.sents]
        ctx.paragraphs = [p.span for p in article.paragraphs if p.role == "body"]
        build_actors(article, ctx)
        ctx.made = authored(ctx)
        drafts = ctx.drafts
        quotes = []
        labels = self._interview_labels(article.quotes, ctx)
        for quote in article.quotes:
            quotes.append(self._resolve(quote, ctx, labels))
        actors = self._finish(drafts)
        ids = {id(d): a.id for d, a in zip(drafts, actors, strict=True)}
        resolved = []
        for quote, draft in quotes:
            resolved.append(quote if draft is None else _with_actor(quote, ids[id(draft)]))
        return article.evolve(quotes=tuple(resolved), actors=tuple(a for a in actors if a.mentions))

    # -- resolution ------------------------------------------------------------------------
    def _resolve(self, quote: Quote, ctx: _Context, labels: dict[str, _Draft]) -> tuple[Quote, _Draft | None]:
        mention = quote.speaker
        if mention is None:
            return quote, None
        text, drafts, by_mention = ctx.text, ctx.drafts, ctx.by_mention
        if quote.evidence[:1] == (TURN,) and (owner := labels.get(mention.span.text(text))) is not None:
            owner.mentions.append(mention)
            line = (
                f"{mention.span.text(text)} -> {owner.canonical} (interview label: its initials or letters)"
            )
            return _with_evidence(quote, line), owner
        named = self._named(mention, ctx) or self._campaign(mention, ctx)
        if named is None and mention.kind == "description":
            named = self._apposed_name(mention, ctx) or self._sponsor(mention, ctx)
        if named is not None:
            state = _metonyms().get(named.canonical.casefold()) if named.type == "place" else None
            if state is not None:
                country = match_name(drafts, state, "place") or _Draft("place", [state])
                if country not in drafts:
                    drafts.append(country)
                country.mentions.append(mention)
                line = f"{mention.span.text(text)} -> {state} (a capital speaking for its state)"
                return _with_evidence(quote, line), country
            ctx.salience[_head_span(by_mention, mention, text)] = 2.0
            return quote, named
        words = mention.span.text(text).casefold().split()
        draft: _Draft | None
        first_person = words[:1] in (["i"], ["me"], ["my"]) and not ctx.in_quote(mention.span)
        if mention.kind == "pronoun" and first_person:
            draft = self._narrator(mention.span.start, ctx)
            how = "first person: the author the piece is signed by or introduces"
        elif mention.kind == "pronoun":
            draft = self._pronoun(words[0] if words else "", mention.span.start, ctx)
            how = "pronoun: the most salient recent actor that agrees with it"
        elif mention.kind == "name" and (found := self._by_name(mention, ctx)) is not None:
            draft, how = found, "name the article gave in full elsewhere"
        elif mention.kind == "description" and (found := self._author(mention, ctx)) is not None:
            draft, how = found, "a document speaks for the one the article says made it"
        elif mention.kind == "description" and (found := self._own_campaign(mention, words, ctx)) is not None:
            draft, how = found, "the campaign of the candidate the pronoun stands for"
        elif mention.kind == "description" and _indefinite(words, ctx.index.inside(mention.span)):
            # "a spokesman for the agency", "one former executive", "officials": a new, unnamed
            # referent, never the named person nearby (slice: 9 of 44 description errors).
            draft, how = self._group(mention, text, drafts, ctx), "unnamed source (indefinite)"
        elif mention.kind == "description" and (found := self._same_source(mention, ctx)) is not None:
            draft, how = found, "the unnamed source the article introduced with this noun"
        else:
            draft = self._description(mention, words, ctx)
            how = "title or role the article gave this actor"
            if draft is None:
                draft = self._group(mention, text, drafts, ctx)
                how = "unnamed source"
        if draft is None:
            return quote, None
        draft.mentions.append(mention)
        by_mention.append((mention.span, draft))
        by_mention.sort(key=lambda item: item[0].start)
        ctx.salience[mention.span] = 2.0  # a speaker stays the likeliest "he" or "she" of what follows
        return _with_evidence(quote, f"{mention.span.text(text)} -> {draft.canonical} ({how})"), draft

    @staticmethod
    def _narrator(at: int, ctx: _Context) -> _Draft | None:
        """The writer of an opinion piece or letter, for its narrator's "I": the signature under
        the letter, else the author a byline or closing bio names."""
        persons = [(span, draft) for span, draft in ctx.by_mention if draft.type == "person"]
        signatures, author = authors(ctx.text, ctx.paragraphs, [span for span, _ in persons])
        span = next((s for s in signatures if s.start > at), author)
        return next((draft for s, draft in persons if s == span), None)

    @staticmethod
    def _author(mention: Mention, ctx: _Context) -> _Draft | None:
        """A document that speaks ("the IMF report", "the book") speaks for the one the article
        says made it (``speaker_documents``: measured on PolNeAR dev, +8 speakers); failing that,
        for the organisation in focus."""
        is_document, author = document_author(mention.span, ctx, ctx.made)
        if not is_document or author is not None:
            return author
        return SpeakerResolver._salient(mention.span.start, ctx, ("organization",), "unknown")

    @classmethod
    def _interview_labels(cls, quotes: tuple[Quote, ...], ctx: _Context) -> dict[str, _Draft]:
        """The actor each capitalised interview label stands for ("NG", "WN"). The parse often
        takes such a label for a name of its own: that actor is folded into the one it stands for."""
        labels = {q.speaker.span.text(ctx.text) for q in quotes if q.speaker and q.evidence[:1] == (TURN,)}
        owners = {}
        for label in sorted(labels):
            owner = cls._label_owner(label, ctx)
            if owner is None:
                continue
            owners[label] = owner
            for draft in [d for d in ctx.drafts if d.canonical == label and d is not owner]:
                owner.mentions.extend(draft.mentions)
                ctx.drafts.remove(draft)
                ctx.by_mention[:] = [(span, owner if d is draft else d) for span, d in ctx.by_mention]
        return owners

    @staticmethod
    def _label_owner(label: str, ctx: _Context) -> _Draft | None:
        """The actor an interview turn's capitalised label abbreviates, if the article names it."""
        owner = initials_owner(label, [(d.canonical, d.type) for d in ctx.drafts])
        if owner is not None:
            return ctx.drafts[owner]
        full = named_with_initials(ctx.text, label)  # the parse missed the name the label stands for
        at = ctx.text.find(full) if full is not None else -1
        words = ctx.index.doc.char_span(at, at + len(full)) if full is not None and at >= 0 else None
        if (
            full is not None and words is not None and all(t.pos_ == "PROPN" for t in words)
        ):  # not "When Neandertals"
            kind: ActorType = "person" if fold(full).split()[0] in given_names() else "organization"
            found = match_name(ctx.drafts, full, kind)
            if found is None:
                found = _Draft(kind, [full])
                ctx.drafts.append(found)
            return found
        doc = ctx.index.doc
        parts = {w for d in ctx.drafts if len(d.canonical.split()) > 1 for w in d.canonical.split()}
        proper = (  # one-word names: not "Washington" of "University of Washington", "Wayne" of "Wayne Tseng"
            t.text
            for t in doc
            if t.pos_ == "PROPN"
            and t.text[1:].islower()
            and t.text not in parts
            and t.ent_type_ in ("", "ORG", "PRODUCT", "WORK_OF_ART", "PERSON")
            and t.ent_iob_ != "I"
            and (t.ent_iob_ != "B" or t.i + 1 == len(doc) or doc[t.i + 1].ent_iob_ != "I")
        )
        name = spelled_out(label, proper)
        if name is None:
            return None
        draft = next((d for d in ctx.drafts if d.canonical == name), None)
        if draft is None:
            draft = _Draft("organization", [name])
            ctx.drafts.append(draft)
        draft.type = "organization"  # a name spelled out letter by letter is a title ("WN": Wikinews)
        return draft

    def _by_name(self, mention: Mention, ctx: _Context) -> _Draft | None:
        text = mention.span.text(ctx.text)
        name = clean_name(text)
        if not name:
            return None
        first = text.split()[0].casefold() if text.split() else ""
        hint = _gendered().get(first, "unknown")
        for kind in ("person", "organization"):
            draft = match_name(ctx.drafts, name, kind, mention.span.start, hint)
            if draft is not None:
                return draft
        return None

    @staticmethod
    def _named(mention: Mention, ctx: _Context) -> _Draft | None:
        """The named actor a mention is about: the entity holding its head (its last word).

        "Kremlin spokesman Dmitry Peskov" overlaps the ORG "Kremlin" and the PERSON "Dmitry
        Peskov"; the head decides. "the Russian president" holds only the NORP "Russian" as a
        modifier, so it is a description, resolved by role. A trailing parenthetical is not the
        head: "Rep. Elijah Cummings (D-Md.)" is Cummings. Nor is a name after a common-noun head:
        "officials at Homeland Security Investigations" are not the agency.
        """
        end = _head_end(mention, ctx.text)
        for span, draft in ctx.by_mention:
            if span.start < end <= span.end:
                root = _root(ctx.index.inside(mention.span))
                if root is not None and root.pos_ == "NOUN" and root.idx + len(root.text) <= span.start:
                    name = _root(ctx.index.inside(span))
                    # "his partner at Lenox, Lawrence Cummings," is him (the parse may hang the
                    # apposition on "Lenox"); "officials at the agency" are not the agency.
                    apposed = name is not None and name.dep_ == "appos" and draft.type == "person"
                    return draft if apposed else None
                return draft
        return None

    @staticmethod
    def _campaign(mention: Mention, ctx: _Context) -> _Draft | None:
        """ "The Trump campaign", "Clinton's camp": an organisation named after its candidate."""
        for span, draft in ctx.by_mention:
            if draft.type != "person" or not mention.span.contains(span):
                continue
            if _CAMPAIGN.match(ctx.text, span.end) is None:
                continue
            return _campaign_of(draft, mention, ctx)
        return None

    @staticmethod
    def _sponsor(mention: Mention, ctx: _Context) -> _Draft | None:
        """An ad, or its narrator or announcer, speaks for the campaign of the candidate whose ad
        the article names last ("A Hillary Clinton ad in 2008 … the announcer said")."""
        words = [w.strip(".,;:") for w in fold(mention.span.text(ctx.text)).split()]
        if not words or not (
            words[-1] in _VOICES or words[-1] in _ADS or any(w in _AD_OWNERS for w in words)
        ):
            return None
        for span, draft in reversed(ctx.by_mention):
            if span.start < mention.span.end and draft.type == "person" and _AD.match(ctx.text, span.end):
                return _campaign_of(draft, mention, ctx)
        return None

    @staticmethod
    def _apposed_name(mention: Mention, ctx: _Context) -> _Draft | None:
        """A description the person's name follows at once ("the Democratic candidate Hillary
        Clinton", "the chief executive, Tim Cook"): that person, not a role-holder found elsewhere."""
        after = ctx.text[mention.span.end : mention.span.end + 3]
        at = mention.span.end + len(after) - len(after.lstrip(" ,"))
        for span, draft in ctx.by_mention:
            if span.start == at and draft.type == "person":
                name = span.text(ctx.text)
                return None if name.endswith(("'s", "’s")) else draft
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
    def _description(mention: Mention, words: list[str], ctx: _Context) -> _Draft | None:
        """A title or role bound to the actor the article gave it; failing that, for a word that
        names an office ("the New York businessman"), the most salient person just before it."""
        at = mention.span.start
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
        if not SpeakerResolver._epithet(mention, ctx):
            return None
        gendered = _gendered()
        gender = next((gendered[w] for w in words if w in gendered), "unknown")
        return SpeakerResolver._salient(at, ctx, ("person",), gender)

    @staticmethod
    def _epithet(mention: Mention, ctx: _Context) -> bool:
        """Whether a role description may stand for the person in focus ("the New York
        businessman", "Obama's former campaign strategist"): not when it is the role of someone
        the article already discusses ("my father", "Gary Johnson's doctor")."""
        tokens = [t for t in ctx.index.inside(mention.span) if not (t.is_punct or t.is_space)]
        classes = _role_classes()
        heads = [i for i, t in enumerate(tokens) if t.lower_ in classes]
        head = heads[-1] if heads else len(tokens)
        for token in tokens[:head]:
            if token.tag_ == "PRP$":
                return False
            if token.dep_ == "poss" and SpeakerResolver._named_before(token, mention.span.start, ctx):
                return False
            if token.dep_ == "poss" and token.ent_type_ == "PERSON" and token.ent_iob_ == "I":
                # "candidate Gary Johnson's doctor", a full name: someone of his, not the one in
                # focus (measured on PolNeAR dev; a bare "Obama's former strategist" still is).
                return False
        return bool(tokens)

    @staticmethod
    def _named_before(token: Any, at: int, ctx: _Context) -> bool:
        """Whether a word is the name of an actor mentioned before `at`."""
        word = fold(token.text)
        return any(
            span.start < at and word in fold(span.text(ctx.text)).split() for span, _ in ctx.by_mention
        )

    @staticmethod
    def _organisation(words: list[str], at: int, ctx: _Context) -> _Draft | None:
        """ "The commission" -> the Commission on Presidential Debates; "the daily" -> the paper in focus."""
        head = words[-1].strip(".,;:’'") if words else ""
        if head not in folded_set("org_nouns.txt") or len(words) > 6:
            return None
        definite = words[0] in ("the", "this", "that")
        for span, draft in reversed(ctx.by_mention):
            if (
                span.start < at
                and draft.type == "organization"
                and head in draft.canonical.casefold().split()
            ):
                return draft
        if not definite:
            return None  # "Police said": the police, not the organisation last named
        apposed = _apposed_as(head, at, ctx)
        if apposed is not None:
            return apposed  # "The Advocate, a newspaper on the island, …": "the newspaper" is it
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
            ours, contrasts = modifiers & _CONTRASTS, theirs & _CONTRASTS
            if ours and contrasts and not ours & contrasts:
                continue  # "the Republican presidential nominee" is not the Libertarian one
            score = 1.0 + sum(1 for m in modifiers if "~" + m in draft.roles) - 0.0001 * (at - span.start)
            if score > best_score:
                best, best_score = draft, score
        return best

    @staticmethod
    def _group(mention: Mention, text: str, drafts: list[_Draft], ctx: _Context) -> _Draft | None:
        name = mention.span.text(text).strip()
        if not name:
            return None
        kind = mention.kind
        if kind == "description" and _untagged_name(mention, ctx):
            kind = "name"  # "Hannity said": a capitalised word the article also uses mid-sentence
        if kind == "description":
            name = noun_phrase(ctx.index, mention.span, text) or name
        words = name.split()
        if words[0].casefold() == "the":
            words = words[1:]  # "a senior official" keeps its article: it says the source is one of many
        # a name the tagger missed ("Gen. Alan Moss") loses its honorifics like any other name
        canonical = " ".join(words).casefold() if kind == "description" else clean_name(name)
        if not canonical:
            return None
        for draft in drafts:
            if any(fold(n) == fold(canonical) for n in draft.names):
                return draft  # "Sanders" the parse took for a common noun: the Sanders named elsewhere
        if kind == "name" and len(canonical.split()) == 1:
            same = [d for d in drafts if d.type == "person" and d.surname == fold(canonical)]
            if len(same) == 1:
                return same[0]  # "Swers" for the Michele Swers the article named
        draft = _Draft("group" if kind == "description" else "person", [canonical])
        if kind == "description":
            head = _head_word(ctx.index.inside(mention.span))
            if head:
                draft.roles.append("=" + head)  # the noun a later "the aide" takes it up by
        drafts.append(draft)
        return draft

    @staticmethod
    def _same_source(mention: Mention, ctx: _Context) -> _Draft | None:
        """ "The aide" after "a Republican committee aide": the unnamed source introduced with that
        noun, the latest one before (a definite description takes up a known referent)."""
        tokens = ctx.index.inside(mention.span)
        head = _head_word(tokens)
        words = mention.span.text(ctx.text).casefold().split()
        root = _root([t for t in tokens if not (t.is_punct or t.is_space)])
        if not head or words[:1] != ["the"] or root is None or root.tag_ != "NN":
            return None  # only a singular "the aide" takes up someone introduced before
        for span, draft in reversed(ctx.by_mention):
            if span.start < mention.span.start and draft.type == "group" and "=" + head in draft.roles:
                return draft
        return None

    def _own_campaign(self, mention: Mention, words: list[str], ctx: _Context) -> _Draft | None:
        """ "Her campaign", "his campaign": the campaign of the one the possessive stands for."""
        if (
            len(words) != 2
            or words[1].strip(".,;:") not in ("campaign", "camp")
            or words[0] not in ("his", "her")
        ):
            return None
        person = self._pronoun("he" if words[0] == "his" else "she", mention.span.start, ctx)
        return _campaign_of(person, mention, ctx) if person is not None else None

    @staticmethod
    def _finish(drafts: list[_Draft]) -> list[Actor]:
        actors = []
        for draft in drafts:
            name = draft.canonical
            roles = tuple(dict.fromkeys(r for r in draft.roles if not r.startswith(("~", "="))))
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


# Determiners that introduce someone new, and those that take up someone known (closed classes).
INDEFINITE = frozenset(
    ("a", "an", "one", "another", "some", "several", "many", "two", "three", "four", "five")
)
DEFINITE = frozenset(("the", "this", "that", "these", "those"))


def _indefinite(words: list[str], tokens: list[Any]) -> bool:
    """Whether a description introduces someone new: "a spokesman", "one official", "officials"
    (a bare plural), not "the spokesman" or "his aide"."""
    if not words or words[0] in DEFINITE or any(t.tag_ == "PRP$" or t.dep_ == "poss" for t in tokens):
        return False
    if words[0] in INDEFINITE:
        return True
    root = _root([t for t in tokens if not (t.is_punct or t.is_space)])
    if root is None or root.tag_ != "NNS":
        return False
    return not any(t.pos_ == "PROPN" or t.like_num for t in tokens if t.i < root.i)  # not "Clinton aides"


def _head_word(tokens: list[Any]) -> str:
    root = _root([t for t in tokens if not (t.is_punct or t.is_space)])
    return root.lemma_.casefold() if root is not None and root.pos_ == "NOUN" else ""


def _untagged_name(mention: Mention, ctx: _Context) -> bool:
    """A one-word description that is a name the tagger missed: capitalised, and capitalised where
    the article uses it mid-sentence too (never a common noun that only opens sentences)."""
    tokens = [t for t in ctx.index.inside(mention.span) if not (t.is_punct or t.is_space)]
    if len(tokens) != 1 or not tokens[0].text[:1].isupper() or not tokens[0].text[1:].islower():
        return False
    word = tokens[0].text
    if word.casefold() in _role_classes():
        return False
    # A plural-looking surname ("Waters", "Swers") counts too: the evidence is the capital letter
    # where no sentence begins, which a common noun ("Officials") does not have.
    return any(
        t.text == word and not t.is_sent_start and not _title_case(t.sent)
        for t in ctx.index.doc
        if t.i != tokens[0].i
    )


def _title_case(sentence: Any) -> bool:
    """A headline set in title case ("Officials Say Talks Failed"): its capitals are no evidence."""
    words = [t for t in sentence if t.is_alpha and len(t.text) > 3]
    return len(words) > 1 and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words)


def noun_phrase(index: TokenIndex, span: Span, text: str) -> str | None:
    """A description's whole noun phrase: its head with the postmodifiers and relative clause that
    say who the source is ("a spokesman for the agency", "a member who supports the bill"), up to a
    comma, a quotation mark or a dash."""
    tokens = [t for t in index.inside(span) if not (t.is_punct or t.is_space)]
    root = _root(tokens)
    if root is None:
        return None
    end = span.end
    doc = index.doc
    for child in root.rights:
        if child.dep_ not in ("prep", "relcl", "acl") or child.i <= root.i:
            continue
        for k in range(root.i + 1, child.right_edge.i + 1):
            t = doc[k]
            if t.text in (",", ";", ":", "(", "—", "–") or (t.is_quote and t.tag_ != "POS"):
                break  # a possessive apostrophe ("the workers' union") is part of the phrase
            end = max(end, t.idx + len(t.text))
        break
    return text[span.start : end].strip() or None


def _apposed_as(head: str, at: int, ctx: _Context) -> _Draft | None:
    """The latest organisation before ``at`` that the article described with ``head`` in an
    apposition ("The Advocate, a weekly newspaper, …", "GunBroker.com, the auction company, …")."""
    pattern = re.compile(rf",\s+(?:a|an|the)\s+[^,.;]{{0,40}}?\b{re.escape(head)}s?\b", re.IGNORECASE)
    for span, draft in reversed(ctx.by_mention):
        if span.start < at and draft.type == "organization" and pattern.match(ctx.text, span.end):
            return draft
    return None


def _campaign_of(person: _Draft, mention: Mention, ctx: _Context) -> _Draft:
    """The campaign organisation of a candidate ("Donald Trump campaign"), made once."""
    name = f"{person.canonical} campaign"
    found = next((d for d in ctx.drafts if d.type == "organization" and d.canonical == name), None)
    if found is None:
        found = _Draft("organization", [name])
        found.outside.add(name)
        ctx.drafts.append(found)
    found.mentions.append(mention)
    return found


def _root(tokens: list[Any]) -> Any | None:
    """The syntactic head of a stretch of tokens: the one whose head lies outside it."""
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), None)


def _head_end(mention: Mention, text: str) -> int:
    """Where a mention's head ends: before a trailing parenthetical ("Cummings (D-Md.)")."""
    body = mention.span.text(text)
    cut = body.find(" (")
    if cut > 0:
        body = body[:cut]
    return mention.span.start + len(body.rstrip(" ,"))


def _head_span(by_mention: list[tuple[Span, _Draft]], mention: Mention, text: str) -> Span:
    end = _head_end(mention, text)
    for span, _draft in by_mention:
        if span.start < end <= span.end:
            return span
    return mention.span


def _with_actor(quote: Quote, actor_id: str) -> Quote:
    speaker = quote.speaker
    if speaker is not None:
        speaker = replace(speaker, actor_id=actor_id)
    return replace(quote, speaker=speaker, actor_id=actor_id)


def _with_evidence(quote: Quote, line: str) -> Quote:
    return replace(quote, evidence=(*quote.evidence, line))
