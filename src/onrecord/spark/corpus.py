"""The Spark job's corpus stages: analysed rows -> stories, actor identities, statements -> store tables.

Each stage applies the rules of the single-machine ingest, whose result depends on the order
articles arrive in; here that order is the article id (input order), so the outcome is the same:

- stories (``corpus/dedup.py``): LSH band keys are joined to find candidate pairs, each pair's
  MinHash Jaccard is computed, and an article joins the story of its best earlier match.
- actor identities (``corpus/identities.py``): an actor can only ever meet actors of its own type
  and surname key, so the rows are grouped by (type, surname) and ``IdentityResolver`` is replayed
  per group, in article order, against that group's identities alone; then the speakers known only
  by an office (``corpus/roles.py``) are replayed per role class against earlier articles' titles.
- statements (``store/statements.py``): exact fingerprints are grouped; near-copies are found by
  joining on the head and tail keys and confirmed with ``same_statement``.

Only the pairs (near-duplicate articles, near-copy statements) reach the driver, never the corpus.
"""

from __future__ import annotations

from typing import Any


def articles(staged: Any) -> Any:
    """Stored articles: one per key, the first in input order (later copies are 'unchanged')."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    first = Window.partitionBy("key").orderBy("id")
    done = staged.where(F.col("status") == "article")
    return done.withColumn("_n", F.row_number().over(first)).where("_n = 1").drop("_n")


# -- stories -------------------------------------------------------------------------------------


def stories(spark: Any, arts: Any) -> Any:
    """(id, story_id) of every stored article: the story of its best earlier near-duplicate, or its own."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.functions import udf

    from onrecord.corpus.dedup import THRESHOLD

    keyed = arts.where(F.col("bands").isNotNull()).select(
        "id", "minhash", F.posexplode("bands").alias("band", "band_key")
    )
    a, b = keyed.alias("a"), keyed.alias("b")
    pairs = (
        a.join(b, (F.col("a.band") == F.col("b.band")) & (F.col("a.band_key") == F.col("b.band_key")))
        .where(F.col("a.id") > F.col("b.id"))
        .select(
            F.col("a.id").alias("id"),
            F.col("b.id").alias("match"),
            "a.minhash",
            F.col("b.minhash").alias("other"),
        )
        .dropDuplicates(["id", "match"])
    )

    # Candidate pairs only: few next to the articles. (Lambdas: no type hints for Spark to misread.)
    jaccard = udf(lambda left, right: _jaccard(left, right), "double")
    scored = pairs.withColumn("score", jaccard("minhash", "other")).where(F.col("score") >= THRESHOLD)
    # The best earlier match: highest score, then the earliest article (as StoryIndex.find).
    best = Window.partitionBy("id").orderBy(F.col("score").desc(), F.col("match"))
    links = scored.withColumn("_n", F.row_number().over(best)).where("_n = 1").select("id", "match")
    root: dict[int, int] = {}
    for row in sorted(links.collect(), key=lambda r: int(r["id"])):
        root[int(row["id"])] = root.get(int(row["match"]), int(row["match"]))
    if not root:
        return arts.select("id", F.col("id").alias("story_id"))
    linked = spark.createDataFrame(list(root.items()), "id long, story_id long")
    return (
        arts.select("id")
        .join(linked, "id", "left")
        .select("id", F.coalesce("story_id", "id").alias("story_id"))
    )


def _jaccard(left: bytes, right: bytes) -> float:
    """MinHash.jaccard of two stored signatures: the share of equal hash values."""
    import numpy as np

    return float(np.mean(np.frombuffer(left, dtype=np.uint32) == np.frombuffer(right, dtype=np.uint32)))


# -- actor identities ----------------------------------------------------------------------------


def identities(arts: Any) -> tuple[Any, Any]:
    """(article id, local id) -> corpus actor id, and the corpus actors with their mention counts.

    Two replays, each grouped by what a decision can depend on: names by (type, surname), with each
    article's date, outlet and co-named surnames as evidence; then unnamed office holders ("the
    Kremlin spokesman") by role class, against the titles earlier articles gave the named people.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.functions import udf

    local = arts.select(
        "id", "key", "published", "outlet", "language", F.explode("actors").alias("a")
    ).select(
        F.col("id").alias("article_id"),
        "key",  # an unnamed source is an actor of its article only (``identities.group_id``)
        "published",
        "outlet",
        "language",  # how its names are spelt (``identities.split_name``)
        "a.local_id",
        "a.name",
        "a.type",
        "a.surname",
        "a.mentions",
        "a.roles",
    )
    people = (
        local.where(F.col("type") == "person")
        .groupBy("article_id")
        .agg(F.collect_list(F.struct("local_id", "surname")).alias("people"))
    )
    titled = udf(lambda before: _title_role(before), "string")
    titles = (
        _name_mentions(arts)
        .withColumn("title", titled("before"))
        .where(F.col("title").isNotNull())
        .groupBy("article_id", "local_id")
        .agg(F.collect_set("title").alias("titles"))
    )
    resolved = (
        local.join(people, "article_id", "left")
        .join(titles, ["article_id", "local_id"], "left")
        .groupBy(_buckets(arts, "type", "surname"))
        .applyInPandas(
            lambda frame: _replay_groups(frame),  # no type hints for Spark to (fail to) read
            "row string, article_id long, local_id string, actor_id string, name string, type string,"
            " surname string, given_names string",
        )
    )
    resolved = resolved.persist()  # used by five datasets: resolve once
    named = resolved.where("row = 'map'").select("article_id", "local_id", "actor_id")
    offices = _offices(arts, local, named)
    mapping = (
        named.join(offices.withColumnRenamed("actor_id", "office_holder"), ["article_id", "local_id"], "left")
        .select("article_id", "local_id", F.coalesce("office_holder", "actor_id").alias("actor_id"))
        .persist()
    )
    # An identity no article maps to any more (an office holder's role took its place) is not written;
    # mentions are counted where they ended up, as the store counts them.
    counts = (
        mapping.join(local.select("article_id", "local_id", "mentions"), ["article_id", "local_id"])
        .groupBy("actor_id")
        .agg(F.sum("mentions").alias("mentions"))
    )
    actors = (
        resolved.where("row = 'actor'")
        .join(counts, "actor_id")
        .select(F.col("actor_id").alias("id"), "name", "type", "surname", "given_names", "mentions")
    )
    return mapping, actors


# Groups handed to one pandas call, per shuffle partition. Each call of a grouped pandas UDF has a
# fixed cost (an Arrow batch, a DataFrame, the call), and a corpus has a (type, surname) group per
# surname: on the fundus WARC (2,208 article actors, 256 articles, local[2]) one call per surname made
# the write that first resolves identities take 22 s of stage two's 49 s. Whole groups are bucketed by
# a hash of their key, and each call replays its bucket's groups one by one, as before.
BUCKETS_PER_PARTITION = 8


def _buckets(frame: Any, *key: str) -> Any:
    """A bucket number for each row, the same for every row of one ``key`` group."""
    from pyspark.sql import functions as F

    partitions = int(frame.sparkSession.conf.get("spark.sql.shuffle.partitions", "200"))
    return F.pmod(F.xxhash64(*key), F.lit(partitions * BUCKETS_PER_PARTITION)).alias("bucket")


def _replay_groups(frame: Any) -> Any:
    """Every (type, surname) group of one bucket, each replayed on its own (``_replay``).

    The rows become plain dicts once per bucket: pandas indexing per article (``itertuples``,
    ``groupby``, ``sort_values`` on frames of a few rows) cost 20 times the replay itself (1,475
    articles, 12,775 groups: 4 min of a profiled run against 12 s).
    """
    import pandas as pd

    groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for row in frame.to_dict("records"):
        groups.setdefault((row["type"], _text(row["surname"])), []).append(row)
    out: list[dict[str, Any]] = []
    for rows in groups.values():
        out += _replay(rows)
    return pd.DataFrame(out, columns=_REPLAY_COLUMNS)


_REPLAY_COLUMNS = ["row", "article_id", "local_id", "actor_id", "name", "type", "surname", "given_names"]


def _replay(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One (type, surname) group of article actors, resolved article by article as ingest does."""
    from itertools import groupby

    from onrecord.corpus.identities import IdentityResolver, Setting
    from onrecord.model import Actor, Article
    from onrecord.store.sqlite import ActorIdentity

    known: dict[str, ActorIdentity] = {}

    def lookup(_type: str, _surname: str) -> list[ActorIdentity]:
        return list(known.values())

    resolver = IdentityResolver(lookup)
    out: list[dict[str, Any]] = []
    ordered = sorted(group, key=lambda r: (int(r["article_id"]), str(r["local_id"])))
    for article_id, grouped in groupby(ordered, key=lambda r: int(r["article_id"])):
        rows = list(grouped)
        first = rows[0]
        setting = Setting(_text(first["published"]), _text(first["outlet"]), _text(first.get("language")))
        actors = [Actor(r["local_id"], r["name"], r["type"], roles=tuple(_list(r["roles"]))) for r in rows]
        article = Article(text="", actors=tuple(actors))
        co = _co_named(rows)
        roles = {r["local_id"]: frozenset(_list(r["roles"])) | frozenset(_list(r["titles"])) for r in rows}
        scope = _text(first.get("key")) or f"#{article_id}"  # its unnamed sources are its own
        mapping, found = resolver.resolve(article, setting, co, roles, scope=scope)
        known.update((identity.id, identity) for identity in found)
        resolver.profiles.record(article, mapping, setting, co, roles)
        out += [
            {"row": "map", "article_id": article_id, "local_id": local_id, "actor_id": actor_id}
            for local_id, actor_id in mapping.items()
        ]
    for identity in known.values():
        out.append(
            {"row": "actor", "actor_id": identity.id, "name": identity.name, "type": identity.type,
             "surname": identity.surname, "given_names": identity.given_names}
        )  # fmt: skip
    return out


def _co_named(rows: list[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Per person of the group, the surnames of the other people its article names (``co_surnames``)."""
    found: dict[str, frozenset[str]] = {}
    for row in rows:
        if row["type"] == "person":
            found[row["local_id"]] = frozenset(
                p["surname"]
                for p in _list(row["people"])
                if p["local_id"] != row["local_id"] and p["surname"] != row["surname"]
            )
    return found


def _list(value: Any) -> list[Any]:
    return [] if value is None else list(value)


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def _offices(arts: Any, local: Any, named: Any) -> Any:
    """(article id, local id, actor id) of the unnamed office holders the role index resolves."""
    from pyspark.sql import functions as F
    from pyspark.sql.functions import udf

    role_of = udf(lambda name: _office_role(name), "string")
    titled = udf(lambda before: _title_role(before), "string")
    asked = (
        local.where(F.col("type") == "group")
        .withColumn("role", role_of("name"))
        .where(F.col("role").isNotNull())
        .select("role", "article_id", "published", F.lit("ask").alias("kind"), "local_id", "name")
    )  # fmt: skip
    persons = local.where(F.col("type") == "person").join(named, ["article_id", "local_id"])
    mentions = (
        _name_mentions(arts)
        .join(persons.select("article_id", "local_id", "actor_id", "published"), ["article_id", "local_id"])
        .withColumn("role", titled("before"))
        .where(F.col("role").isNotNull())
        .select("role", "article_id", "published", F.lit("held").alias("kind"),
                F.col("actor_id").alias("local_id"), F.col("before").alias("name"))
    )  # fmt: skip
    return (
        asked.unionByName(mentions)
        .groupBy("role")
        .applyInPandas(
            lambda group: _replay_offices(group), "article_id long, local_id string, actor_id string"
        )
    )


def _name_mentions(arts: Any) -> Any:
    """(article id, local id, the text right before the name) of every name mention, the text cut as
    the store's look-up cuts it (``roles.BEFORE`` characters)."""
    from pyspark.sql import functions as F

    from onrecord.corpus.roles import BEFORE

    before = F.expr(f"substring(text, greatest(m.start + 1 - {BEFORE}, 1), least(m.start, {BEFORE}))")
    return (
        arts.select(F.col("id").alias("article_id"), "text", F.explode("mentions").alias("m"))
        .where(F.col("m.kind") == "name")
        .select("article_id", "m.local_id", before.alias("before"))
    )


def _office_role(name: str) -> str | None:
    from onrecord.corpus.roles import office

    found = office(name)
    return None if found is None else found.role


def _title_role(before: str) -> str | None:
    from onrecord.corpus.roles import title_before

    found = title_before(before)
    return None if found is None else found.role


def _replay_offices(group: Any) -> Any:
    """One role class: each article's unnamed holders resolved against earlier articles' titles, as
    ingest does (``corpus.roles.resolve_offices`` before, ``RoleIndex.add`` after each article)."""
    import pandas as pd

    from onrecord.corpus.roles import RoleIndex, office, title_before

    index = RoleIndex()
    out: list[dict[str, Any]] = []
    for article_id, rows in group.sort_values(["article_id", "kind", "local_id"]).groupby("article_id"):
        for row in rows.itertuples():
            wanted = office(row.name) if row.kind == "ask" else None
            hit = index.holder(wanted, _text(row.published)) if wanted is not None else None
            if hit is not None:
                out.append({"article_id": int(article_id), "local_id": row.local_id, "actor_id": hit[0]})
        for row in rows.itertuples():
            held = title_before(row.name) if row.kind == "held" else None
            if held is not None:
                index.add(held, row.local_id, _text(row.published))
    return pd.DataFrame(out, columns=["article_id", "local_id", "actor_id"])


# -- statements ----------------------------------------------------------------------------------


def statements(spark: Any, quotes: Any) -> tuple[Any, Any]:
    """(fingerprint -> canonical fingerprint) for every quoted fingerprint, and the statements table."""
    from pyspark.sql import functions as F
    from pyspark.sql.functions import udf

    from onrecord.store.statements import same_statement, statement_keys

    keys = udf(lambda f: list(statement_keys(f)), "array<string>")
    prints = (
        quotes.where(F.col("fingerprint").isNotNull())
        .groupBy("fingerprint")
        .agg(F.min("id").alias("first"))
        .withColumn("_k", keys("fingerprint"))
        .select("fingerprint", "first", F.col("_k")[0].alias("head"), F.col("_k")[1].alias("tail"))
    )
    same = udf(lambda f, g: same_statement(f, g), "boolean")
    near = None
    for key in ("head", "tail"):  # two equi-joins, not one join on an OR (a cross product)
        a, b = prints.alias("a"), prints.alias("b")
        pairs = a.join(
            b, (F.col(f"a.{key}") == F.col(f"b.{key}")) & (F.col("a.fingerprint") != F.col("b.fingerprint"))
        )
        pairs = pairs.select(
            F.col("a.fingerprint").alias("f"),
            F.col("a.first").alias("first"),
            F.col("b.fingerprint").alias("g"),
        )
        near = pairs if near is None else near.union(pairs)
    assert near is not None
    near = near.dropDuplicates(["f", "g"]).where(same(F.col("f"), F.col("g")))
    canonical = _canonical(near.collect())
    prints = prints.select("fingerprint")
    if canonical:
        chosen = spark.createDataFrame(list(canonical.items()), "fingerprint string, canonical string")
        mapping = prints.join(chosen, "fingerprint", "left").select(
            "fingerprint", F.coalesce("canonical", "fingerprint").alias("canonical")
        )
    else:
        mapping = prints.select("fingerprint", F.col("fingerprint").alias("canonical"))
    mapping = mapping.persist()
    reports = quotes.join(mapping, "fingerprint")
    table = (
        reports.groupBy("canonical")
        .agg(
            F.min_by("statement", "id").alias("text"),
            F.min("date").alias("first_said_on"),
            F.count("*").alias("reports"),
        )
        .withColumn("_k", keys("canonical"))
        .select(
            _stable_id("canonical").alias("id"),
            F.col("canonical").alias("fingerprint"),
            "text",
            "first_said_on",
            "reports",
            F.col("_k")[0].alias("head_key"),
            F.col("_k")[1].alias("tail_key"),
        )
    )
    return mapping, table


def _canonical(near: list[Any]) -> dict[str, str]:
    """Replay statement creation over the near-copy pairs in order: a copy joins the first stored one."""
    neighbours: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for row in near:
        neighbours.setdefault(row["f"], set()).add(row["g"])
        first[row["f"]] = int(row["first"])
    stored: set[str] = set()
    canonical: dict[str, str] = {}
    for fingerprint in sorted(first, key=lambda f: (first[f], f)):
        # Sorted like the SQL UNION the store's look-up runs (store/statements.py).
        match = next((g for g in sorted(neighbours[fingerprint]) if g in stored), None)
        if match is None:
            stored.add(fingerprint)
        else:
            canonical[fingerprint] = match
    return canonical


def _stable_id(column: str) -> Any:
    from pyspark.sql import functions as F

    return _stable_id_of(F.col(column))


# -- the store's tables --------------------------------------------------------------------------


def tables(spark: Any, staged: Any) -> dict[str, Any]:
    """Every dataset of the store (``store/parquet.py``) from the analysed rows, ids fixed by input order."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    arts = articles(staged).persist(StorageLevel.MEMORY_AND_DISK)
    story = stories(spark, arts)
    mapping, actors = identities(arts)
    outlet_id = F.when(F.col("outlet").isNotNull(), _stable_id("outlet"))
    out: dict[str, Any] = {}
    out["articles"] = (
        arts.join(story, "id")
        .withColumn("outlet_id", outlet_id)
        .withColumn("run_id", F.lit(None).cast("long"))
    )
    out["outlets"] = (
        arts.where(F.col("outlet").isNotNull())
        .groupBy("outlet")
        .agg(F.min_by("domain", "id").alias("domain"))
        .select(outlet_id.alias("id"), F.col("outlet").alias("name"), "domain")
    )
    out["stories"] = (
        out["articles"]
        .groupBy("story_id")
        .agg(
            F.min_by("headline", "id").alias("headline"),
            F.min("published").alias("first_published"),
            F.count("*").alias("articles"),
        )
        .withColumnRenamed("story_id", "id")
    )
    local = arts.select(
        F.col("id").alias("article_id"), "month", "published", "language", F.explode("actors").alias("a")
    )
    local = local.join(
        mapping, (local.article_id == mapping.article_id) & (F.col("a.local_id") == mapping.local_id)
    )
    local = local.drop(mapping.article_id).drop(mapping.local_id)
    out["actors"] = actors
    out["article_actors"] = local.select(
        "article_id",
        "month",
        F.col("a.local_id").alias("local_id"),
        "actor_id",
        F.col("a.name").alias("name"),
    )
    out["actor_aliases"] = (
        local.select(
            "actor_id",
            F.coalesce("language", F.lit("")).alias("language"),
            F.explode("a.aliases").alias("alias"),
        )
        .groupBy("actor_id", "alias", "language")
        .agg(F.count("*").alias("articles"))
    )
    out["actor_roles"] = (
        local.select("actor_id", "published", F.explode("a.roles").alias("role"))
        .groupBy("actor_id", "role")
        .agg(
            F.min("published").alias("first_seen"),
            F.max("published").alias("last_seen"),
            F.count("*").alias("articles"),
        )
    )
    out["mentions"] = _children(arts, "mentions").join(mapping, ["article_id", "local_id"], "left")
    quotes = _children(arts, "quotes")
    if "confidence" not in quotes.columns:  # analysed before quotes had a confidence: none scored
        quotes = quotes.withColumn("confidence", F.lit(None).cast("double"))
    fingerprints, out["statements"] = statements(spark, quotes)
    # A statement told in pieces is one row per piece, numbered in text order (the first 0), as the
    # store numbers them (``store.schema.m009_statement_pieces``).
    told = Window.partitionBy("article_id", "content_start", "content_end").orderBy("id")
    out["quotes"] = (
        quotes.join(mapping, ["article_id", "local_id"], "left")
        .join(fingerprints, "fingerprint", "left")
        .withColumn("statement_id", F.when(F.col("canonical").isNotNull(), _stable_id("canonical")))
        .withColumn("piece", F.row_number().over(told) - 1)
    )
    out["time_expressions"] = _children(arts, "timex")
    problems = staged.where(F.col("status") != "article")
    first = problems.groupBy("source", "record", "reason").agg(F.min_by("status", "id").alias("kind"))
    out["failures"] = first.withColumn(
        "id", _stable_id_of(F.concat_ws("\x00", "source", "record", "reason"))
    ).withColumn("run_id", F.lit(None).cast("long"))
    return out


def _children(arts: Any, name: str) -> Any:
    from pyspark.sql import functions as F

    rows = arts.select(
        F.col("id").alias("article_id"), "month", "pipeline_version", F.explode(name).alias("c")
    )
    return rows.select("article_id", "month", "pipeline_version", "c.*")


def _stable_id_of(column: Any) -> Any:
    from pyspark.sql import functions as F

    # The same number as analyse.stable_id: the first 15 hex digits of the SHA-256 of the UTF-8 text.
    return F.conv(F.substring(F.sha2(column, 256), 1, 15), 16, 10).cast("long")
