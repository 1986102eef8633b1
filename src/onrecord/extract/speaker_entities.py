"""Speaker entities: a parsed article -> the actors it names, each name mention tied to one.

Names come from spaCy's entities, completed where the small model falls short: a given name it left
out ("Amelize Joseph"), a nickname in a full name (Robert C. "Bobby" Scott), a person it labelled
PRODUCT, a surname it left untagged, a full name only the headline gives.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from onrecord.extract.name_evidence import main_script, title_words, vet_entity, without_rank
from onrecord.extract.speaker_drafts import OTHER_GENDER as _OTHER
from onrecord.extract.speaker_drafts import Context as _Context
from onrecord.extract.speaker_drafts import Draft as _Draft
from onrecord.extract.speaker_drafts import clean_name, match_name
from onrecord.extract.speaker_drafts import gender_of as _gender_of
from onrecord.extract.speaker_drafts import given_names as _given_names
from onrecord.extract.speaker_drafts import honorific_gender as _honorific_gender
from onrecord.extract.speaker_drafts import left_edge as _left_edge
from onrecord.extract.speaker_drafts import role_classes as _role_classes
from onrecord.extract.speaker_names import Nickname, fold, nicknames
from onrecord.model import ActorType, Article, Mention, Span

_ENT_TYPES: dict[str, ActorType] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "NORP": "group",
}
_ROLE_DEPS = ("compound", "amod", "nmod", "det", "poss")
# Modifiers that tell two holders of one role apart: a description with one of them cannot mean a
# person the article gave another one of them.
CONTRASTS = frozenset(
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


def build_actors(article: Article, ctx: _Context) -> None:
    """The article's actors from its named entities, with every name mention tied to one."""
    drafts, by_mention = ctx.drafts, ctx.by_mention
    ents = [e for e in ctx.index.doc.ents if e.label_ in _ENT_TYPES and e.text.strip()]
    headline = next((p.span for p in article.paragraphs if p.role == "headline"), None)
    seeded = _nicknames(ctx)
    deferred: list[str] = []
    script = main_script(ctx.text)
    full_names = {fold(clean_name(e.text)) for e in ents if e.label_ == "PERSON" and len(e.text.split()) > 1}
    places = Counter(fold(clean_name(e.text)) for e in ents if e.label_ == "GPE")
    persons = Counter(fold(clean_name(e.text)) for e in ents if e.label_ == "PERSON")

    # Full names first, so "Peskov" finds "Dmitry Peskov" even when the surname comes first;
    # then names with an honorific, so "Mr. Obama" sets "Obama" apart from a later Michelle
    # Obama before a bare "President Obama" is matched.
    def order(ent: Any) -> tuple[int, bool]:
        return -len(clean_name(ent.text).split()), _honorific_gender(ent) == "unknown"

    for ent in sorted(ents, key=order):
        kind = _ENT_TYPES[ent.label_]
        start = _left_edge(ent) if kind == "person" else ent.start_char
        span = Span(start, ent.start_char + len(ent.text.rstrip()))
        if kind == "organization":
            span = _org_tail(ctx.text, span)
        name = clean_name(span.text(ctx.text))
        if not name or not any(c.isalpha() for c in name):
            continue
        if kind != "person" and len(name.split()) > 1 and name.split()[0].casefold() in _given_names():
            kind = "person"  # "Donald J. Trump" tagged ORG: a given name says person
        vetted = vet_entity(ent, name, kind, script)
        if vetted is None:
            continue  # "चला रहे हैं", "36", "a fire": no actor's name
        name, kind = vetted
        if kind in ("person", "organization"):
            span, name, kind = _person_in(ctx.text, span, name, kind, full_names)
        hint = _honorific_gender(ent) if kind == "person" else "unknown"
        draft = next((d for n, d in seeded if n.span.overlaps(span)), None)
        if draft is not None:
            name = draft.canonical  # a piece of 'Robert C. "Bobby" Scott' is that person
        elif kind == "place" and places.get(fold(name), 0) > persons.get(fold(name), 0):
            # "Melbourne", a place 51 times, is not the surname of a slogan taken for a person ("Make
            # Melbourne"); "Nervo" tagged GPE three times still is Frank Nervo's (a given name)
            people = [d for d in drafts if d.type != "person" or _given_named(d)]
            draft = match_name(people, name, kind, ent.start_char, hint)
        else:
            draft = match_name(drafts, name, kind, ent.start_char, hint)
        in_headline = headline is not None and headline.start <= ent.start_char < headline.end
        if draft is None and in_headline:
            if kind == "person":
                deferred.append(name)
            continue  # headlines fool the tagger ("Will Be"): trust names the body confirms
        if draft is None:
            draft = _Draft(kind, [name])
            drafts.append(draft)
        elif name not in draft.names:
            draft.names.append(name)
        _add_name_mention(ctx, draft, span, name, subject_weight(ent.root))
        if kind == "person":
            draft.roles.extend(_roles(ent))
            if draft.gender == "unknown":
                draft.gender = _gender_of(ent, name)
    _mislabelled(ctx)
    _untagged(ctx)
    _headline_names(deferred, ctx)
    _given_names_elsewhere(ctx)
    by_mention.sort(key=lambda item: item[0].start)


def _person_in(
    text: str, span: Span, name: str, kind: ActorType, full_names: set[str]
) -> tuple[Span, str, ActorType]:
    """A person's name without the rank, position or title the tagger took into it ("Browns DL
    Sheldon Richardson": Sheldon Richardson), and the person inside an organisation's entity that
    ends with a full name the article gives ("Historian Darcy Richardson")."""
    words = name.split()
    given = _given_names()
    for i in range(1, len(words) - 1):
        named = fold(" ".join(words[i:])) in full_names or (
            words[i].casefold() in given and _role_or_owner(words[i - 1])
        )
        if named and _before_a_name(words[:i], words[i]):
            kind, cut = "person", len(" ".join(words[:i])) + 1
            break
    else:
        cut = without_rank(name) if kind == "person" else 0
    if not cut:
        return span, name, kind
    at = text.find(name[cut:], span.start, span.end)
    return (Span(at, span.end) if at >= 0 else span), name[cut:], kind


def _role_or_owner(word: str) -> bool:
    """A word that ends what comes before a person's name: a role ("Mayor") or an owner ("News’")."""
    return word.casefold() in _role_classes() or word.endswith(("'", "’", "'s", "’s"))


def _before_a_name(before: list[str], first: str) -> bool:
    """Whether words before a full name are not part of it: a title ("Historian"), or any words
    without a given name when the full name opens with one ("Miss Universe Alicia Machado")."""
    given = _given_names()
    return title_words(before) or (
        first.casefold() in given and not any(w.casefold() in given for w in before)
    )


def _given_named(draft: _Draft) -> bool:
    """Whether a person is named somewhere with a known given name first ("Alicia Machado")."""
    return any(len(n.split()) > 1 and fold(n).split()[0] in _given_names() for n in draft.names)


# "the U.S. Court of Appeals" + "for the Sixth Circuit": a capitalised "for"/"of" phrase the
# tagger left out of an organisation's name is part of it.
_ORG_TAIL = re.compile(r"[ \t]+(?:for|of)[ \t]+(?:the[ \t]+)?(?:[A-Z][\w.'’-]*[ \t]+)*[A-Z][\w'’-]*\b")


def _org_tail(text: str, span: Span) -> Span:
    match = _ORG_TAIL.match(text, span.end)
    return Span(span.start, match.end()) if match else span


def subject_weight(token: Any) -> float:
    """How salient a name is as an antecedent: a subject (measured on PolNeAR dev: the likelier
    antecedents), most of all the subject of its sentence's main clause."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return 0.0
    head = token.head
    # a clause opened by "after", "when", "because" is subordinate even where the parse made it the root
    main = head.dep_ == "ROOT" and not any(c.dep_ == "mark" for c in head.children)
    return 1.0 if main else SUBORDINATE_SUBJECT


SUBORDINATE_SUBJECT = 0.5  # measured on PolNeAR dev: +1 ("hours after Trump unleashed …" is not the focus)


def _add_name_mention(ctx: _Context, draft: _Draft, span: Span, name: str, weight: float) -> None:
    draft.mentions.append(Mention(span, "name"))
    ctx.by_mention.append((span, draft))
    if not ctx.in_quote(span):
        draft.outside.add(name)
    if weight:
        ctx.salience[span] = weight
        draft.subjects.append(span.start)


def _nicknames(ctx: _Context) -> list[tuple[Nickname, _Draft]]:
    """One person for each 'Robert C. "Bobby" Scott': named by the full name, the nickname
    ("Bobby Scott", "Bobby") and the surname; the canonical name is the full one."""
    seeded: list[tuple[Nickname, _Draft]] = []
    for nick in nicknames(ctx.text):
        draft = next((d for _, d in seeded if d.canonical == nick.full), None)
        if draft is None:
            gender = _given_names().get(nick.given.casefold(), "unknown")
            draft = _Draft("person", [nick.full, nick.alias, nick.nick], gender=gender)
            ctx.drafts.append(draft)
        if not ctx.in_quote(nick.span):
            draft.outside.add(nick.full)
        seeded.append((nick, draft))
    return seeded


def _mislabelled(ctx: _Context) -> None:
    """A person's exact name the tagger labelled something else ("Ivanka Trump" as PRODUCT)
    is that person: measured on PolNeAR dev, such mentions are what a later "she" refers to."""
    persons: dict[str, _Draft] = {}
    for draft in ctx.drafts:
        if draft.type == "person" and len(draft.canonical.split()) > 1:
            for name in draft.names:
                if len(name.split()) > 1:
                    persons.setdefault(fold(name), draft)
    taken = [span for span, _ in ctx.by_mention]
    for ent in ctx.index.doc.ents:
        if ent.label_ in _ENT_TYPES:
            continue
        span = Span(ent.start_char, ent.start_char + len(ent.text.rstrip()))
        person = persons.get(fold(clean_name(ent.text)))
        if person is None or any(s.overlaps(span) for s in taken):
            continue
        _add_name_mention(ctx, person, span, clean_name(ent.text), subject_weight(ent.root))


def _given_names_elsewhere(ctx: _Context) -> None:
    """A person the article calls by surname alone ("Mr. Obama") gets the full name it gives
    anywhere else, even inside another name ("Barack Obama Election Day"), when one known given
    name of the right gender goes with that surname and no other actor has that name."""
    names = _given_names()
    taken = {fold(n) for d in ctx.drafts for n in d.names if len(n.split()) > 1}
    for draft in ctx.drafts:
        if draft.type != "person" or not draft.mentions or len(draft.canonical.split()) != 1:
            continue
        pattern = re.compile(r"\b([A-Z][a-z]+) " + re.escape(draft.canonical) + r"\b")
        forms = {
            f"{m[1]} {draft.canonical}"
            for m in pattern.finditer(ctx.text)
            if names.get(m[1].casefold(), "") in ({"male", "female"} - {_OTHER.get(draft.gender, "")})
        }
        forms = {f for f in forms if fold(f) not in taken}
        if len(forms) == 1:
            full = forms.pop()
            draft.names.append(full)
            draft.outside.add(full)


def _headline_names(names: list[str], ctx: _Context) -> None:
    """A full name only the headline gives ("Hillary Clinton Goes After …", which the tagger
    may take whole) completes the one actor the body names by that surname alone."""
    surnames: dict[str, list[_Draft]] = {}
    for draft in ctx.drafts:
        if draft.type == "person" and draft.mentions and len(draft.canonical.split()) == 1:
            surnames.setdefault(fold(draft.canonical), []).append(draft)
    for name in names:
        words = name.split()
        for i, word in enumerate(words[1:4], 1):
            found = surnames.get(fold(word), [])
            if len(found) == 1:
                full = " ".join(words[: i + 1])
                found[0].names.append(full)
                found[0].outside.add(full)
                break


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


def _untagged(ctx: _Context) -> None:
    """Names the tagger missed: a proper noun that is a known person's surname is that person.

    Measured on PolNeAR dev: the small model leaves many a "Trump" or "Clinton" untagged, and
    those are exactly the mentions a following "he" or "she" refers to.
    """
    _given_name_subjects(ctx)
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
            candidates[0].subjects.append(span.start)


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
        words.extend(t for t in root.head.subtree if t.i < ent.start and t.pos_ in ("NOUN", "ADJ", "PROPN"))
    for word in words:
        role = classes.get(word.lower_) or classes.get(word.lemma_.casefold())
        if role:
            roles.append(role)
    for word in words:
        if word.pos_ in ("PROPN", "ADJ", "NOUN") and (word.lower_ not in classes or word.lower_ in CONTRASTS):
            roles.append("~" + word.lower_)  # a modifier, e.g. "kremlin", "russian"
    return roles
