"""Full-text search over practices: SQLite FTS5 on the embedded default, PostgreSQL otherwise.

`search(queryset, text)` is the one entry point: it narrows a queryset of practices to those
matching `text` and annotates `search_rank` (higher is better). The index is built on the
`search_text` column the services keep up to date (`services.search_text_of`: title,
summary, description, evidence, key figures, themes and the organisation's name); see
`create_search_index` for the SQL each database gets.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection

POSTGRES_CONFIG = "simple"
WORD = re.compile(r"\w+", re.UNICODE)

SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_practice_fts USING fts5("
    "title, search_text, content='practices_practice', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS practices_practice_fts_insert "
    "AFTER INSERT ON practices_practice BEGIN "
    "INSERT INTO practices_practice_fts(rowid, title, search_text) "
    "VALUES (new.id, new.title, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS practices_practice_fts_delete "
    "AFTER DELETE ON practices_practice BEGIN "
    "INSERT INTO practices_practice_fts(practices_practice_fts, rowid, title, search_text) "
    "VALUES ('delete', old.id, old.title, old.search_text); END",
    # Only changes to the indexed columns rewrite the index: the counters the services keep
    # (evaluations, rating, transfers) change far more often than the text.
    "CREATE TRIGGER IF NOT EXISTS practices_practice_fts_update "
    "AFTER UPDATE OF title, search_text ON practices_practice BEGIN "
    "INSERT INTO practices_practice_fts(practices_practice_fts, rowid, title, search_text) "
    "VALUES ('delete', old.id, old.title, old.search_text); "
    "INSERT INTO practices_practice_fts(rowid, title, search_text) "
    "VALUES (new.id, new.title, new.search_text); END",
]
SQLITE_UPDATE_TRIGGER = SQLITE_INDEX[-1]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS practices_practice_fts_insert",
    "DROP TRIGGER IF EXISTS practices_practice_fts_delete",
    "DROP TRIGGER IF EXISTS practices_practice_fts_update",
    "DROP TABLE IF EXISTS practices_practice_fts",
]
# bm25 is lower for better matches; titles weigh five times the rest. The index is joined,
# not asked once per practice: bm25 reads statistics over every matching row, so a
# correlated subquery per practice costs practices times matches: 0.5 s for a common word
# among 10,000 practices (bench `practices_search_10k`).
SQLITE_TABLE = "practices_practice_fts"
SQLITE_RANK = f"-bm25({SQLITE_TABLE}, 5.0, 1.0)"
SQLITE_JOIN = f"{SQLITE_TABLE}.rowid = practices_practice.id"
SQLITE_MATCH = f"{SQLITE_TABLE} MATCH %s"
# The same expression Django writes for SearchVector("search_text", config=...), so the
# planner uses this index for the search below.
POSTGRES_INDEX = [
    "CREATE INDEX IF NOT EXISTS practices_practice_search ON practices_practice USING gin "
    f"(to_tsvector('{POSTGRES_CONFIG}'::regconfig, COALESCE(search_text, '')))"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS practices_practice_search"]


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_INDEX, "postgresql": POSTGRES_INDEX}.get(vendor, []):
        schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


def narrow_update_trigger(apps, schema_editor):
    """Replace the update trigger of databases made before it named its columns."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS practices_practice_fts_update")
        schema_editor.execute(SQLITE_UPDATE_TRIGGER)


def fts5_query(text):
    """Words as quoted prefixes joined by AND: no FTS5 syntax from the person gets through."""
    words = WORD.findall(text)
    return " ".join(f'"{word}"*' for word in words[:12])


def tsquery(text):
    """The same as fts5_query for PostgreSQL: every word as a prefix, all required. Only
    word characters get through, so nothing the person types is tsquery syntax."""
    return " & ".join(f"{word}:*" for word in WORD.findall(text)[:12])


def search(queryset, text):
    """Practices of `queryset` that match `text`, annotated with `search_rank`."""
    text = (text or "").strip()
    if connection.vendor == "postgresql":
        prefixes = tsquery(text)
        if not prefixes:
            return queryset.none()
        query = SearchQuery(prefixes, config=POSTGRES_CONFIG, search_type="raw")
        # Filtered on the indexed expression, so the GIN index answers the match; ranked
        # with the title weighted above the rest, as FTS5's bm25 weights do on SQLite.
        matched = SearchVector("search_text", config=POSTGRES_CONFIG)
        weighted = SearchVector("title", config=POSTGRES_CONFIG, weight="A") + SearchVector(
            "search_text", config=POSTGRES_CONFIG, weight="D"
        )
        return (
            queryset.annotate(search_vector=matched)
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(weighted, query))
        )
    match = fts5_query(text)
    if not match:
        return queryset.none()
    # extra() is the ORM's way to join a table that has no model, here the virtual FTS5
    # table; the person's words reach the database only as a parameter, quoted by fts5_query.
    return queryset.extra(  # noqa: S610
        select={"search_rank": SQLITE_RANK},
        tables=[SQLITE_TABLE],
        where=[SQLITE_JOIN, SQLITE_MATCH],
        params=[match],
    )
