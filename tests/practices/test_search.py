import pytest
from django.db import connection

from practices import search
from practices.models import Practice

from .helpers import make_practice


@pytest.fixture
def practices(project, eva, lotte):
    return [
        make_practice(project, eva, author=lotte, title="Language mentors"),
        make_practice(
            project, eva, author=lotte, title="Care ambassadors", description="Language cafés."
        ),
        make_practice(project, eva, author=lotte, title="Coding school"),
    ]


def test_search_ranks_title_matches_first(project, practices):
    found = search.search(Practice.objects.filter(project=project), "language")
    assert [p.title for p in found.order_by("-search_rank")] == [
        "Language mentors",
        "Care ambassadors",
    ]


def test_search_reads_the_index_once_not_once_per_practice(project, practices):
    found = search.search(Practice.objects.filter(project=project), "language")
    sql, params = found.order_by("-search_rank").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Across all projects, with a table scan forbidden (three rows would be scanned
            # otherwise), only the GIN index can answer the match.
            sql, params = search.search(Practice.objects.all(), "language").query.sql_with_params()
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "practices_practice_search" in plan, plan
            return
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert sql.count("MATCH") == 1
    assert not any("SUBQUERY" in step for step in plan), plan


def test_search_finds_bulk_created_practices(project, eva):
    # The index follows the table through triggers, so rows that skip save() are found too.
    Practice.objects.bulk_create(
        Practice(
            project=project,
            organisation=eva,
            title=f"Imported {number}",
            summary="From a spreadsheet.",
            search_text=f"Imported {number} zebrafish",
        )
        for number in range(3)
    )
    found = search.search(Practice.objects.filter(project=project), "zebrafish")
    assert sorted(p.title for p in found) == ["Imported 0", "Imported 1", "Imported 2"]


def index_writes():
    """FTS5 keeps its segments in the _data table: every rewrite of a row adds to it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM practices_practice_fts_data")
        return cursor.fetchone()[0]


def test_search_follows_edits_and_counters_leave_the_index_alone(project, practices, lotte):
    from django.db.models import F

    from practices import services

    mentors = practices[0]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'practices_practice_fts_update'"
            )
            assert "AFTER UPDATE OF title, search_text ON" in cursor.fetchone()[0]
        before = index_writes()
        Practice.objects.filter(pk=mentors.pk).update(
            evaluation_count=F("evaluation_count") + 1, transfer_count=2, rating_mean=4.5
        )
        assert index_writes() == before
    services.save_practice(
        project=project,
        author=lotte,
        practice=mentors,
        title="Workplace buddies",
        summary=mentors.summary,
        organisation=mentors.organisation,
        status=mentors.status,
    )
    everything = Practice.objects.filter(project=project)
    assert [p.title for p in search.search(everything, "buddies")] == ["Workplace buddies"]
    assert [p.title for p in search.search(everything, "mentors")] == []
    assert [p.title for p in search.search(everything, "language")] == ["Care ambassadors"]
