"""Corpus identities: one actor across articles, people sharing a surname kept apart, statements."""

from __future__ import annotations

from onrecord.corpus.identities import (
    IdentityResolver,
    Profile,
    Setting,
    compatible,
    evidence,
    fingerprint,
    split_name,
)
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
    day = Setting("2020-10-21", "Example News")
    first = _feed(resolver, known, day, _person("Putin", ("president",)))["Putin"]
    second = _feed(resolver, known, day, _person("Vladimir Putin", ("president",)))["Vladimir Putin"]
    third = _feed(resolver, known, day, _person("Vladimir Vladimirovich Putin"))[
        "Vladimir Vladimirovich Putin"
    ]
    assert first == second == third
    assert known.rows[first].name == "Vladimir Vladimirovich Putin"
    # The only Chan the corpus knows, but given another office: another person.
    prime = _feed(resolver, known, Setting("2020-10-22", "Bangkok Daily"), _person("Chan", ("minister",)))
    tanya = _feed(
        resolver, known, Setting("2020-10-23", "Elsewhere"), _person("Tanya Chan", ("representative",))
    )
    assert prime["Chan"] != tanya["Tanya Chan"]
    # ...and a bare "Chan" ten years before anyone of that name was in the news is not joined either.
    assert (
        _feed(resolver, known, Setting("2010-01-01", "Elsewhere"), _person("Chan"))["Chan"]
        != tanya["Tanya Chan"]
    )


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


# -- a bare surname among several people: the evidence decides, or it stays apart --------------------


def _person(name: str, roles: tuple[str, ...] = ()) -> Actor:
    return Actor(Actor.make_id(name, "person"), name, "person", roles=roles)


def _feed(resolver: IdentityResolver, known: Known, setting: Setting, *actors: Actor) -> dict[str, str]:
    """Resolve one article and record it as the ingest does; names -> corpus ids."""
    article = Article(text="", actors=actors, published=setting.published)
    mapping, identities = resolver.resolve(article, setting)
    for identity in identities:
        known.rows[identity.id] = identity
    resolver.profiles.record(article, mapping, setting)
    return {a.name: mapping[a.id] for a in actors}


def _two_johnsons() -> tuple[Known, IdentityResolver, str, str]:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    uk = Setting("2020-03-01", "London Daily")
    us = Setting("2020-03-02", "Wisconsin Post")
    boris = _feed(resolver, known, uk, _person("Boris Johnson", ("minister",)), _person("Keir Starmer"))
    ron = _feed(
        resolver,
        known,
        us,
        _person("Ron Johnson", ("senator",)),
        _person("Tammy Baldwin"),
        _person("Tony Evers"),
    )
    return known, resolver, boris["Boris Johnson"], ron["Ron Johnson"]


def test_bare_surname_follows_roles_and_co_mentions() -> None:
    known, resolver, boris, ron = _two_johnsons()
    later = Setting("2020-03-10", "Elsewhere")
    by_role = _feed(resolver, known, later, _person("Johnson", ("minister",)))
    assert by_role["Johnson"] == boris
    # Boris is now named in two articles, Ron in one; the two people named alongside Ron decide.
    company = (_person("Johnson"), _person("Tammy Baldwin"), _person("Tony Evers"))
    assert _feed(resolver, known, later, *company)["Johnson"] == ron


def test_bare_surname_without_evidence_stays_apart() -> None:
    known, resolver, boris, ron = _two_johnsons()
    alone = _feed(resolver, known, Setting("2020-03-10", "Elsewhere"), _person("Johnson"))["Johnson"]
    assert alone not in (boris, ron)
    assert known.rows[alone].name == "Johnson" and not known.rows[alone].given_names
    # A full name arriving later does not swallow the undecided "Johnson".
    scott = _feed(resolver, known, Setting("2020-03-11", "Elsewhere"), _person("Scott Johnson"))
    assert scott["Scott Johnson"] not in (alone, boris, ron)


def test_bare_surname_joins_the_one_the_article_names() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    day = Setting("2020-01-07", "Example News")
    donald = _feed(resolver, known, day, _person("Donald Trump", ("president",)))["Donald Trump"]
    for _ in range(3):  # Donald is named far more often...
        _feed(resolver, known, day, _person("Donald Trump", ("president",)))
    ivanka = _feed(resolver, known, day, _person("Ivanka Trump"), _person("Trump"))
    assert ivanka["Trump"] == ivanka["Ivanka Trump"] != donald  # ...but this article names only Ivanka
    # "President Trump" beside Ivanka is not Ivanka: the article gives him a role it does not give her.
    both = _feed(resolver, known, day, _person("Ivanka Trump"), _person("Trump", ("president",)))
    assert both["Trump"] == donald


def test_bare_surname_far_from_someones_time_prefers_the_other() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    for year in ("2010", "2011"):
        _feed(resolver, known, Setting(f"{year}-05-01", "A"), _person("Anna Keller"))
        _feed(resolver, known, Setting(f"{year}-05-02", "A"), _person("Anna Keller"))
    ben = _feed(resolver, known, Setting("2021-05-01", "C"), _person("Ben Keller"))["Ben Keller"]
    _feed(resolver, known, Setting("2021-05-02", "C"), _person("Ben Keller"))
    # Anna is named more, Ben as often in this outlet: Anna's ten years away decide it.
    assert _feed(resolver, known, Setting("2021-06-01", "C"), _person("Keller"))["Keller"] == ben


def test_evidence_terms() -> None:
    profile = Profile()
    profile.add(Setting("2020-01-01", "Wire"), ["president"], ["pompeo"])
    base = evidence((), (), Setting(), profile)
    assert evidence(["president"], (), Setting(), profile) == base + 2
    assert evidence(["senator"], (), Setting(), profile) == base - 1
    assert evidence((), ["pompeo"], Setting(), profile) == base + 1
    assert evidence((), (), Setting("2020-02-01", "Wire"), profile) == base + 0.5
    assert evidence((), (), Setting("2023-01-01"), profile) == base - 2


def test_a_junior_and_a_common_word_stay_apart() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    day = Setting("2020-01-07", "Example News")
    donald = _feed(resolver, known, day, _person("Donald Trump"))["Donald Trump"]
    junior = _feed(resolver, known, day, _person("Donald Trump Jr."))["Donald Trump Jr."]
    assert junior != donald
    steven = _feed(resolver, known, day, _person("Steven Wolf"))["Steven Wolf"]
    _feed(resolver, known, day, _person("Steven Wolf"))
    assert _feed(resolver, known, day, _person("Wolf"))["Wolf"] == steven
    assert _feed(resolver, known, day, _person("wolf"))["wolf"] != steven  # the animal, not Mr Wolf
    first = _feed(resolver, known, day, _person("hunter"))["hunter"]
    assert _feed(resolver, known, day, _person("Robert Hunter"))["Robert Hunter"] != first


# -- unnamed sources belong to their article -------------------------------------------------------


def test_a_group_is_never_pooled_across_articles() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    day = Setting("2021-05-04", "Example News")
    ids = []
    for key in ("https://news.example.org/a", "https://news.example.org/b"):
        officials = Actor(Actor.make_id("officials", "group"), "officials", "group")
        place = Actor(Actor.make_id("United States", "place"), "United States", "place")
        article = Article(text="", actors=(officials, place))
        mapping, identities = resolver.resolve(article, day, scope=key)
        known.rows.update((i.id, i) for i in identities)
        ids.append((mapping[officials.id], mapping[place.id]))
    (first_group, first_place), (second_group, second_place) = ids
    assert first_group != second_group  # two articles' "officials" are not one actor
    assert first_place == second_place  # a place is
    assert known.rows[first_group].name == "officials"
    # the same article resolved again (re-analysis) gives its group the same id
    again = Actor(Actor.make_id("officials", "group"), "officials", "group")
    mapping, _ = resolver.resolve(Article(text="", actors=(again,)), day, scope="https://news.example.org/a")
    assert mapping[again.id] == first_group


# -- one person whatever the article's language ----------------------------------------------------


def _in(language: str, day: str = "2025-03-03") -> Setting:
    return Setting(day, f"{language} outlet", language)


def test_one_peskov_in_four_languages_and_scripts() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    names = [
        ("Дмитрий Песков", "ru"),
        ("Dmitry Peskov", "en"),
        ("Dmitri Peskov", "fr"),
        ("Dmitri Peskow", "de"),
    ]
    ids = {_feed(resolver, known, _in(lang), _person(name))[name] for name, lang in names}
    assert len(ids) == 1
    # A bare surname in yet another spelling joins him too, as "Peskov" did in English before.
    assert _feed(resolver, known, _in("de"), _person("Peskow"))["Peskow"] in ids
    (peskov,) = ids
    assert (known.rows[peskov].given_names, known.rows[peskov].surname) == ("dmitri", "peskov")


def test_a_french_exonym_and_a_bare_surname_join_the_person() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    putin = _feed(resolver, known, _in("en"), _person("Vladimir Putin", ("president",)))["Vladimir Putin"]
    assert _feed(resolver, known, _in("fr"), _person("Vladimir Poutine"))["Vladimir Poutine"] == putin
    assert _feed(resolver, known, _in("fr"), _person("Poutine", ("president",)))["Poutine"] == putin
    assert _feed(resolver, known, _in("ru"), _person("Владимир Путин"))["Владимир Путин"] == putin


def test_across_languages_the_same_safeguards_hold() -> None:
    known = Known()
    resolver = IdentityResolver(known.lookup)
    sergei = _feed(resolver, known, _in("en"), _person("Sergei Ivanov"))["Sergei Ivanov"]
    # A woman of the feminine surname, in Russian, is someone else; so is another Ivanov.
    assert _feed(resolver, known, _in("ru"), _person("Мария Иванова"))["Мария Иванова"] != sergei
    assert _feed(resolver, known, _in("fr"), _person("Andreï Ivanov"))["Andreï Ivanov"] != sergei
    assert _feed(resolver, known, _in("ru"), _person("Сергей Иванов"))["Сергей Иванов"] == sergei
    # Names that merely look alike stay apart, whatever the language.
    for a, b in (("Rob Lowe", "Rob Love"), ("Chris Li", "Chris Lee"), ("Jin Kim", "Jin Kin")):
        assert (
            _feed(resolver, known, _in("en"), _person(a))[a]
            != _feed(resolver, known, _in("fr"), _person(b))[b]
        )
    # A French article's own names keep their spelling: "Charles Michel" is the English one.
    michel = _feed(resolver, known, _in("en"), _person("Charles Michel"))["Charles Michel"]
    assert _feed(resolver, known, _in("fr"), _person("Charles Michel"))["Charles Michel"] == michel
