"""Speaker chooser: Article with rule-resolved speakers -> Article whose speakers a learned model chose.

The rules (``speakers.py``) propose one actor per statement. Here every plausible candidate is
scored by a model trained on PolNeAR (``evaluate/train_chooser.py``; weights and model card in
``extract/models/speaker_chooser.json``): the actors the article names near the statement, the
rules' choice, and the speaker mention as a referent of its own ("a spokesman for the agency",
an unnamed source, never pooled with a named person nearby). The rules' choice is one feature
among others (the parse, the cue, distances, the mention's kind and determiner, agreement, the
candidate's type and prominence), so the model replaces the rule order only where the data says
so. The best candidate's probability, calibrated on held-out publishers, is the statement's
``confidence``; below ``UNATTRIBUTED_BELOW`` the statement is kept unattributed (speaker null)
rather than given to the nearest name.
"""

from __future__ import annotations

import bisect
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from onrecord.extract.lexicons import folded_set
from onrecord.extract.quotes import TokenIndex
from onrecord.extract.speaker_drafts import pronouns, role_classes
from onrecord.extract.speakers import DEFINITE, INDEFINITE, noun_phrase
from onrecord.model import Actor, ActorType, Article, Mention, Quote, Span

MODEL_RESOURCE = "models/speaker_chooser.json"
MODEL_FORMAT = 2
# A statement whose chosen speaker is less likely than this to be right is kept unattributed.
# Measured on held-out data (PolNeAR dev and the train slice): the attributions calibrated below 0.1
# were all wrong, so showing them would only mislead; between 0.2 and 0.3 about half are right.
UNATTRIBUTED_BELOW = 0.1
WINDOW_SENTENCES = 8  # how far back a candidate's name may lie (a pronoun reaches 6, see speakers.py)
MAX_CANDIDATES = 10

_HOW = (
    ("interview", "interview label"),
    ("capital", "capital speaking"),
    ("full_name", "name the article gave"),
    ("narrator", "first person"),
    ("pronoun", "pronoun:"),
    ("document", "a document speaks"),
    ("role", "title or role"),
    ("unnamed", "unnamed source"),
)
_KINDS = ("name", "pronoun", "description")
_TYPES: tuple[ActorType, ...] = ("person", "organization", "place", "group")

FEATURES: tuple[str, ...] = (
    "bias_candidate",
    "rule",
    *(f"rule_kind_{k}" for k in _KINDS),
    *(f"rule_how_{h}" for h, _ in _HOW),
    "self",
    "self_indefinite",
    "self_definite",
    "self_possessive",
    "self_role_head",
    "self_org_head",
    "self_plural",
    "overlap_name",
    "inside_mention_not_head",
    *(f"type_{t}" for t in _TYPES),
    "pronoun_agrees",
    "pronoun_disagrees",
    "pronoun_plural_org",
    "indefinite_rule_person",
    "near_sentences",
    "no_name_before",
    "same_sentence",
    "same_paragraph",
    "after_quote_same_sentence",
    "subject_recent",
    "mentions_log",
    "speaker_share",
    "previous_speaker",
    "next_speaker",
    "in_quotes_only",
    "full_name",
    "role_match",
    "candidates_log",
    "quote_direct",
    "quote_indirect",
    "recency_rank",
    "latest_subject",
    "in_headline",
    "opens_paragraph",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible speaker: an actor of the article, or the mention as a referent of its own."""

    actor_id: str | None
    name: str
    type: ActorType
    names: tuple[Span, ...]  # where the article names it (name mentions, independent of any rule)
    is_rule: bool
    is_self: bool


@dataclass
class _Doc:
    """What scoring needs about one article, computed once."""

    article: Article
    index: TokenIndex
    starts: list[int]
    paragraphs: list[Span]
    rule_speakers: list[str | None]

    quoted: list[Span] = field(default_factory=list)
    speakers: Counter[str] = field(default_factory=Counter)
    paragraph_starts: list[int] = field(default_factory=list)
    names_seen: dict[tuple[str | None, tuple[Span, ...]], tuple[bool, bool]] = field(default_factory=dict)
    mentions: dict[int, _Mention] = field(default_factory=dict)

    def sentence(self, char: int) -> int:
        return bisect.bisect_right(self.starts, char) - 1

    def paragraph(self, char: int) -> int:
        j = bisect.bisect_right(self.paragraph_starts, char) - 1
        return j if j >= 0 and char < self.paragraphs[j].end else -1

    def named(self, cand: Candidate) -> tuple[bool, bool]:
        """Whether the article names the candidate only inside quotations, and in its headline."""
        key = (cand.actor_id, cand.names)
        found = self.names_seen.get(key)
        if found is None:
            quoted, headline = self.quoted, self.article.headline
            only = bool(cand.names) and all(any(q.contains(s) for q in quoted) for s in cand.names)
            found = self.names_seen[key] = (
                only,
                headline is not None and any(headline.contains(s) for s in cand.names),
            )
        return found

    def mention(self, i: int) -> _Mention:
        """What the features need of quote ``i``'s speaker mention, worked out once."""
        found = self.mentions.get(i)
        if found is None:
            found = self.mentions[i] = _Mention.of(self, i)
        return found


@dataclass
class _Mention:
    """A quote's speaker mention as the features see it (the same for every candidate)."""

    words: list[str]
    how: str
    root: Any
    head: str
    indefinite: bool
    definite: bool
    possessive: bool
    org_head: bool
    here: int
    para: int
    head_span: Span
    gender: str
    opens_paragraph: bool

    @classmethod
    def of(cls, doc: _Doc, i: int) -> _Mention:
        quote = doc.article.quotes[i]
        mention = quote.speaker
        assert mention is not None
        words = [w.strip(".,;:'’\"“”") for w in mention.span.text(doc.article.text).casefold().split()]
        tokens = doc.index.inside(mention.span)
        root = _root(tokens)
        head = root.lower_ if root is not None else (words[-1] if words else "")
        info = pronouns().get(words[0]) if mention.kind == "pronoun" and words else None
        return cls(
            words=words,
            how=" ".join(quote.evidence).casefold(),
            root=root,
            head=head,
            indefinite=bool(words)
            and (
                words[0] in INDEFINITE
                or (root is not None and root.tag_ == "NNS" and words[0] not in DEFINITE)
            ),
            definite=bool(words) and words[0] in DEFINITE,
            possessive=any(t.tag_ == "PRP$" or t.dep_ == "poss" for t in tokens),
            org_head=head in folded_set("org_nouns.txt"),
            here=doc.sentence(mention.span.start),
            para=doc.paragraph(mention.span.start),
            head_span=Span(root.idx, root.idx + len(root.text)) if root is not None else mention.span,
            gender=info[0] if info else "",
            opens_paragraph=_opens_paragraph(doc, quote),
        )


@dataclass(frozen=True, slots=True)
class ChooserModel:
    """Gradient-boosted trees over :data:`FEATURES` and an isotonic map from their score to P(right).

    Each tree is a list of nodes ``(feature, threshold, left, right, is_leaf, value)``; a row goes
    left when its feature is at most the threshold. The score is the logistic of ``baseline`` plus
    the leaf values reached (scikit-learn's HistGradientBoostingClassifier, exported at training).
    """

    baseline: float
    trees: tuple[tuple[tuple[int, float, int, int, bool, float], ...], ...]
    calibration_x: tuple[float, ...]
    calibration_y: tuple[float, ...]
    card: dict[str, Any]

    compiled: Any = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", _compiled(self.baseline, self.trees))

    def raw(self, row: Sequence[float]) -> float:
        """The model's log-odds for one feature row (the trees compiled once, see :func:`_compiled`)."""
        return float(self.compiled(row))

    def raw_walk(self, row: Sequence[float]) -> float:
        """The same log-odds, walking the trees node by node (the reference :meth:`raw` is tested against)."""
        total = self.baseline
        for nodes in self.trees:
            node = nodes[0]
            while not node[4]:
                node = nodes[node[2] if row[node[0]] <= node[1] else node[3]]
            total += node[5]
        return total

    def score(self, row: Sequence[float]) -> float:
        z = self.raw(row)
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def overrides(self, quote: Quote) -> bool:
        """Whether the model, not the rules, chooses the speaker of a quote with this mention kind
        (the kinds where it won on held-out publishers, listed in the card)."""
        kind = quote.speaker.kind if quote.speaker is not None else "none"
        return kind in self.card.get("override_kinds", ())

    def calibrated(self, raw: float) -> float:
        """P(right) for a raw score: the isotonic map, linear between its knots."""
        xs, ys = self.calibration_x, self.calibration_y
        if not xs:
            return raw
        if raw <= xs[0]:
            return ys[0]
        if raw >= xs[-1]:
            return ys[-1]
        i = bisect.bisect_right(xs, raw)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (raw - x0) / (x1 - x0)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "features": list(FEATURES),
            "baseline": self.baseline,
            "trees": [[list(node) for node in tree] for tree in self.trees],
            "calibration": {"x": list(self.calibration_x), "y": list(self.calibration_y)},
            "card": self.card,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChooserModel:
        """Read a model file; its format and feature list must be this code's.

        Raises:
            ValueError: The file was written for other features or another format.
        """
        if data.get("format") != MODEL_FORMAT or tuple(data.get("features", ())) != FEATURES:
            raise ValueError("the speaker chooser's model file does not match this code: retrain it")
        cal = data.get("calibration") or {}
        trees = tuple(
            tuple(
                (int(f), float(t), int(lo), int(hi), bool(leaf), float(v)) for f, t, lo, hi, leaf, v in tree
            )
            for tree in data["trees"]
        )
        return cls(
            baseline=float(data["baseline"]),
            trees=trees,
            calibration_x=tuple(float(x) for x in cal.get("x", ())),
            calibration_y=tuple(float(y) for y in cal.get("y", ())),
            card=dict(data.get("card") or {}),
        )


Tree = tuple[tuple[int, float, int, int, bool, float], ...]


def _compiled(baseline: float, trees: tuple[Tree, ...]) -> Any:
    """The trees as one Python function of a row: nested conditional expressions, summed.

    Walking 200 trees node by node cost about 110 µs a row; the compiled sum about a fifth. The
    source is built only from the model's numbers, already read as ``int`` and ``float`` (so a
    model file cannot smuggle code in), and compiled once, when the model is loaded.
    """

    def node(tree: Tree, k: int) -> str:
        feature, threshold, left, right, leaf, value = tree[k]
        if leaf:
            return repr(float(value))
        return f"({node(tree, left)} if r[{int(feature)}] <= {float(threshold)!r} else {node(tree, right)})"

    body = " + ".join([repr(float(baseline)), *(node(tree, 0) for tree in trees)])
    return eval(f"lambda r: {body}", {"__builtins__": {}})  # noqa: S307 - numbers only, see docstring


@cache
def shipped_model() -> ChooserModel | None:
    """The model shipped in the package, loaded once per process (None if it is not there)."""
    source = resources.files("onrecord.extract").joinpath(MODEL_RESOURCE)
    if not source.is_file():
        return None
    return ChooserModel.from_json(json.loads(source.read_text(encoding="utf-8")))


class SpeakerChooser:
    """Component: scores every statement's candidate speakers and keeps the likeliest, with its confidence."""

    requires = ("actors", "doc")
    provides = ("confidence",)

    def __init__(self, model: ChooserModel | None = None, *, use_shipped: bool = True) -> None:
        self._model = model
        self._use_shipped = use_shipped

    @property
    def model(self) -> ChooserModel | None:
        return self._model if self._model is not None or not self._use_shipped else shipped_model()

    def __call__(self, article: Article) -> Article:
        model = self.model
        if model is None or article.doc is None or not article.quotes:
            return article
        doc = prepare(article)
        actors = {a.id: a for a in article.actors}
        quotes = []
        for i, quote in enumerate(article.quotes):
            cands = candidates(doc, i)
            if not cands:
                quotes.append(quote)
                continue
            rule = next((k for k, c in enumerate(cands) if c.is_rule), None)
            if model.overrides(quote):
                scores = {k: model.score(features(doc, i, c, cands)) for k, c in enumerate(cands)}
                best = max(scores, key=lambda k: (scores[k], cands[k].is_rule))
            elif rule is None:  # the rules named nobody, and they choose better for this kind
                quotes.append(quote)
                continue
            else:  # the rules choose: only their choice needs a score
                best = rule
                scores = {rule: model.score(features(doc, i, cands[rule], cands))}
            confidence = round(model.calibrated(scores[best]), 4)
            if confidence < UNATTRIBUTED_BELOW and not model.overrides(quote):
                # Only where the model chooses may it withhold a speaker: for a description its
                # training data is mostly name sources, where a description's own referent is
                # never right, so a low score there is no evidence ("officials said"). The rules'
                # choice stays, shown as uncertain.
                quotes.append(replace(quote, confidence=confidence))
                continue
            quotes.append(_assign(quote, cands[best], confidence, actors, article.text))
        return article.evolve(quotes=tuple(quotes), actors=tuple(a for a in actors.values() if a.mentions))


def prepare(article: Article) -> _Doc:
    """The article's sentences, paragraphs and rule speakers, for :func:`candidates` and :func:`features`."""
    index = TokenIndex.of(article.doc)
    body = [p.span for p in article.paragraphs if p.role == "body"] or [Span(0, len(article.text))]
    return _Doc(
        article=article,
        index=index,
        starts=[s.start_char for s in article.doc.sents],
        paragraphs=body,
        rule_speakers=[q.actor_id for q in article.quotes],
        quoted=[q.span for q in article.quotes if q.kind != "indirect"],
        speakers=Counter(q.actor_id for q in article.quotes if q.actor_id is not None),
        paragraph_starts=[p.start for p in body],
    )


def candidates(doc: _Doc, i: int) -> list[Candidate]:
    """The candidate speakers of quote ``i``: the rules' choice, actors named nearby, the mention itself."""
    article, quote = doc.article, doc.article.quotes[i]
    mention = quote.speaker
    if mention is None:
        return []
    at = mention.span.start
    here = doc.sentence(min(at, quote.statement.start))
    found: list[tuple[int, Candidate]] = []
    for actor in article.actors:
        names = tuple(m.span for m in actor.mentions if m.kind == "name")
        is_rule = actor.id == quote.actor_id
        near = [
            s
            for s in names
            if s.start < quote.statement.end + 1 and here - doc.sentence(s.start) <= WINDOW_SENTENCES
        ]
        inside = any(s.overlaps(mention.span) for s in names)
        if not (is_rule or near or inside):
            continue
        distance = min((abs(at - s.start) for s in near), default=10**9)
        found.append(
            (
                0 if is_rule or inside else distance,
                Candidate(actor.id, actor.name, actor.type, names, is_rule, False),
            )
        )
    found.sort(key=lambda item: item[0])
    result = [c for _, c in found[:MAX_CANDIDATES]]
    own = self_name(doc, mention)
    rule = next((c for c in result if c.is_rule), None)
    if mention.kind == "description" and own and not (rule is not None and rule.type == "group"):
        result.append(Candidate(None, own, "group", (), False, True))
    return result


def self_name(doc: _Doc, mention: Mention) -> str | None:
    """The mention as a referent of its own: its whole noun phrase (``speakers.noun_phrase``),
    lower-cased, without a leading "the" (the canonical form of an unnamed source)."""
    phrase = noun_phrase(doc.index, mention.span, doc.article.text)
    words = (phrase or "").split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    return " ".join(words).strip(" ,;:").casefold() or None


def _root(tokens: list[Any]) -> Any | None:
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), None)


def features(doc: _Doc, i: int, cand: Candidate, cands: Sequence[Candidate]) -> list[float]:
    """The feature row of candidate ``cand`` among ``cands`` for quote ``i`` (names in :data:`FEATURES`)."""
    count = len(cands)
    article, quote = doc.article, doc.article.quotes[i]
    mention = quote.speaker
    assert mention is not None
    m = doc.mention(i)
    words, kind, how, root, head = m.words, mention.kind, m.how, m.root, m.head
    indefinite, definite, possessive, org_head = m.indefinite, m.definite, m.possessive, m.org_head
    here, para, head_span, gender = m.here, m.para, m.head_span, m.gender
    roles = role_classes()
    before = [s for s in cand.names if s.start < mention.span.start and not s.overlaps(mention.span)]
    near = min((here - doc.sentence(s.start) for s in before), default=None)
    after_same = any(s.start >= mention.span.end and doc.sentence(s.start) == here for s in cand.names)
    same_sentence = any(doc.sentence(s.start) == here for s in cand.names if not s.overlaps(mention.span))
    same_paragraph = any(doc.paragraph(s.start) == para for s in cand.names if s.start < mention.span.start)
    overlap = any(s.overlaps(mention.span) for s in cand.names)
    inside_not_head = any(mention.span.contains(s) and not s.overlaps(head_span) for s in cand.names)
    subject_recent = _subject_recent(doc, before)
    actor = article.actor(cand.actor_id) if cand.actor_id else None
    cand_gender = actor.gender if actor else "unknown"
    agrees = kind == "pronoun" and gender in ("male", "female") and cand_gender == gender
    disagrees = (
        kind == "pronoun"
        and gender in ("male", "female")
        and (cand.type != "person" or cand_gender not in ("unknown", gender))
    )
    plural_org = (
        kind == "pronoun" and gender not in ("male", "female") and cand.type in ("organization", "group")
    )
    rule_ids = doc.rule_speakers
    share = (doc.speakers[cand.actor_id] if cand.actor_id is not None else 0) / max(len(rule_ids), 1)
    prev_speaker = i > 0 and cand.actor_id is not None and rule_ids[i - 1] == cand.actor_id
    next_speaker = i + 1 < len(rule_ids) and cand.actor_id is not None and rule_ids[i + 1] == cand.actor_id
    in_quotes_only, in_headline = doc.named(cand)
    role_match = (
        bool(actor) and any(roles.get(w) in actor.roles for w in words if w in roles) if actor else False
    )
    rule = cand.is_rule
    row = [
        1.0,
        float(rule),
        *(float(rule and kind == k) for k in _KINDS),
        *(float(rule and key in how) for _, key in _HOW),
        float(cand.is_self),
        float(cand.is_self and indefinite),
        float(cand.is_self and definite),
        float(cand.is_self and possessive),
        float(cand.is_self and head in roles),
        float(cand.is_self and org_head),
        float(cand.is_self and root is not None and root.tag_ == "NNS"),
        float(overlap),
        float(inside_not_head),
        *(float(cand.type == t) for t in _TYPES),
        float(agrees),
        float(disagrees),
        float(plural_org),
        float(rule and kind == "description" and indefinite and cand.type == "person" and not overlap),
        1.0 / (1.0 + near) if near is not None else 0.0,
        float(near is None and not overlap),
        float(same_sentence),
        float(same_paragraph),
        float(after_same),
        float(subject_recent),
        math.log1p(len(cand.names)),
        share,
        float(prev_speaker),
        float(next_speaker),
        float(in_quotes_only),
        float(len(cand.name.split()) > 1 and cand.type == "person"),
        float(role_match),
        math.log(count),
        float(quote.kind == "direct"),
        float(quote.kind == "indirect"),
        _recency(cand, cands, mention.span.start),
        float(subject_recent and _recency(cand, cands, mention.span.start) == 1.0),
        float(in_headline),
        float(m.opens_paragraph),
    ]
    return row


def _recency(cand: Candidate, cands: Sequence[Candidate], at: int) -> float:
    """1 / the rank of the candidate among those of its type by its latest name before ``at``."""

    def latest(c: Candidate) -> int:
        return max((s.start for s in c.names if s.start < at), default=-1)

    mine = latest(cand)
    if mine < 0:
        return 0.0
    return 1.0 / (1 + sum(1 for c in cands if c.type == cand.type and latest(c) > mine))


def _opens_paragraph(doc: _Doc, quote: Quote) -> bool:
    """Whether the statement opens its paragraph (a new turn, often a new or returning speaker)."""
    para = doc.paragraph(quote.span.start)
    return para >= 0 and not doc.article.text[doc.paragraphs[para].start : quote.span.start].strip()


def _subject_recent(doc: _Doc, spans: list[Span]) -> bool:
    """Whether the candidate's latest name before the mention is a clause's subject."""
    if not spans:
        return False
    last = max(spans, key=lambda s: s.start)
    tokens = doc.index.inside(last)
    return any(t.dep_ in ("nsubj", "nsubjpass") for t in tokens)


def _assign(quote: Quote, cand: Candidate, confidence: float, actors: dict[str, Actor], text: str) -> Quote:
    """Give ``quote`` to ``cand`` (moving its speaker mention between actors), or leave it unattributed."""
    mention = quote.speaker
    assert mention is not None
    target: str | None
    if confidence < UNATTRIBUTED_BELOW:
        target = None
        line = f"unattributed: no candidate is likely enough (best {cand.name}, {confidence:.2f})"
    elif cand.is_rule:
        return replace(quote, confidence=confidence)
    else:
        target = cand.actor_id
        if target is None:  # the mention as a referent of its own
            target = Actor.make_id(cand.name, "group")
            if target not in actors:
                actors[target] = Actor(target, cand.name, "group")
        line = f"{mention.span.text(text)} -> {cand.name} (speaker chooser, over the rules' choice)"
    _move(mention, quote.actor_id, target, actors)
    return replace(
        quote,
        actor_id=target,
        speaker=replace(mention, actor_id=target),
        confidence=confidence,
        evidence=(*quote.evidence, line),
    )


def _move(mention: Mention, old: str | None, new: str | None, actors: dict[str, Actor]) -> None:
    """Take ``mention`` from actor ``old`` and give it to actor ``new`` (either may be None)."""
    if old is not None and old in actors:
        actor = actors[old]
        kept = tuple(m for m in actor.mentions if m.span != mention.span)
        actors[old] = replace(actor, mentions=kept)
    if new is not None and new in actors:
        actor = actors[new]
        linked = Mention(mention.span, mention.kind, new)
        merged = sorted({*actor.mentions, linked}, key=lambda m: (m.span.start, m.span.end))
        actors[new] = replace(actor, mentions=tuple(merged))
