"""Corpus identities: one actor across articles, people sharing a surname kept apart, statements."""

from __future__ import annotations

from onrecord.corpus.identities import IdentityResolver, compatible, fingerprint, split_name
from onrecord.model import Actor, Article
from onrecord.store.sqlite import ActorIdentity


class Known:
    """A fake store: the identities written so far."""

    def __init__(self) -> None:
        self.rows: dict[str, ActorIdentity] = {}

    def lookup(self, type_: str, surname: str) -> list[ActorIdentity]:
        return [r for r in self.rows.values() if r.type == type_ and r.surname == surname]

    def resolve(self, resolver: IdentityResolver, *names: str) -> dict[str, str]:
        article = Article(
            text="", actors=tuple(Actor(Actor.make_id(n, "person"), n, "person") for n in names)
        )
        mapping, identities = resolver.resolve(article)
        for identity in identities:
            self.rows[identity.id] = identity
        return {name: mapping[Actor.make_id(name, "person")] for name in names}


def test_one_putin_across_articles() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    first = known.resolve(resolver, "Putin")["Putin"]
    second = known.resolve(resolver, "Vladimir Putin")["Vladimir Putin"]
    third = known.resolve(resolver, "Vladimir Vladimirovich Putin")["Vladimir Vladimirovich Putin"]
    assert first == second == third
    assert known.rows[first].name in {"Vladimir Putin", "Vladimir Vladimirovich Putin"}


def test_same_surname_different_people_stay_apart() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    donald = known.resolve(resolver, "Donald Trump")["Donald Trump"]
    ivanka = known.resolve(resolver, "Ivanka Trump")["Ivanka Trump"]
    assert donald != ivanka
    both = known.resolve(resolver, "Ivanka Trump", "Trump")
    assert both["Ivanka Trump"] == ivanka


def test_name_parts() -> None:
    assert split_name("Vladimir Putin") == ("vladimir", "putin")
    assert split_name("Martin Luther King Jr.") == ("martin luther", "king")
    assert split_name("the Kremlin", "organization") == ("", "the kremlin")
    assert compatible("v.", "vladimir") and compatible("", "donald") and not compatible("donald", "ivanka")


def test_statement_fingerprint_ignores_case_and_punctuation() -> None:
    a = fingerprint("“We are ready to extend the treaty for one year.”")
    b = fingerprint('"we are ready to extend the treaty for one year"')
    assert a == b and a is not None
    assert fingerprint("No comment") is None
