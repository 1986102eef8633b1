"""The identity replay of one bucket, without Spark: several (type, surname) groups, null surnames
and articles in any row order give the ingest's decisions (the whole job is compared row for row
with the ingest in test_identities.py)."""

from __future__ import annotations

from typing import Any

import pytest

pd = pytest.importorskip("pandas")


def _row(
    article: int, local: str, name: str, type_: str, surname: str | None, **extra: Any
) -> dict[str, Any]:
    row = {"article_id": article, "published": "2020-10-22", "outlet": "Example", "local_id": local,
           "name": name, "type": type_, "surname": surname, "mentions": 1, "roles": None,
           "people": None, "titles": None}  # fmt: skip
    row.update(extra)
    return row


def test_one_bucket_replays_each_group_in_article_order() -> None:
    from onrecord.spark.corpus import _replay_groups

    peskov = [{"local_id": "a1", "surname": "peskov"}]
    frame = pd.DataFrame(
        [
            # shuffled: the replay sorts by article, then local id
            _row(2, "a1", "Peskov", "person", "peskov", people=peskov),
            _row(1, "a2", "the Kremlin", "group", None),
            _row(1, "a1", "Dmitry Peskov", "person", "peskov", people=peskov),
            _row(2, "a2", "Kremlin", "group", None),
            _row(3, "a1", "Robert O'Brien", "person", "o'brien"),
        ]
    )
    out = _replay_groups(frame)
    mapped = {(r.article_id, r.local_id): r.actor_id for r in out.itertuples() if r.row == "map"}
    assert len(mapped) == 5
    assert mapped[(1, "a1")] == mapped[(2, "a1")]  # "Peskov" is the Dmitry Peskov met before
    assert mapped[(3, "a1")] != mapped[(1, "a1")]
    actors = {r.actor_id: r.name for r in out.itertuples() if r.row == "actor"}
    assert actors[mapped[(1, "a1")]] == "Dmitry Peskov"
    assert set(mapped.values()) == set(actors)


def test_an_empty_bucket_gives_no_rows_with_the_columns() -> None:
    from onrecord.spark.corpus import _replay_groups

    columns = ["article_id", "published", "outlet", "local_id", "name", "type", "surname", "mentions",
               "roles", "people", "titles"]  # fmt: skip
    out = _replay_groups(pd.DataFrame([], columns=columns))
    assert out.empty
    assert list(out.columns)[:4] == ["row", "article_id", "local_id", "actor_id"]
