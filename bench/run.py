"""Run the benchmarks, print a table and write bench/results.json.

Each benchmark is a function registered with @benchmark; it returns a dict of figures.
Later modules add theirs (the live protocol, the rotation planner, search).
"""

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results.json"
BENCHMARKS = {}


def benchmark(function):
    BENCHMARKS[function.__name__] = function
    return function


def setup_django(database):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jointlearn.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # A scratch SQLite file: a benchmark never writes into a configured database.
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "runs": repeat,
    }


@benchmark
def project_pages_300_members():
    """Project home, member list and organisation list of a project with 300 members."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jointlearn import services
    from jointlearn.models import Role, User

    coordinator = User.objects.create_user("bench@example.org", "x", display_name="Bench")
    project = services.create_project(
        creator=coordinator,
        name="Bench",
        slug="bench",
        organisation={"name": "Bench organisation 0", "country": "FI"},
    )
    organisations = [project.organisations.get()] + [
        services.save_organisation(
            project=project, name=f"Bench organisation {n}", country=["BE", "SE", "NL"][n % 3]
        )
        for n in range(1, 30)
    ]
    users = User.objects.bulk_create(
        User(email=f"member{n}@example.org", display_name=f"Member {n}") for n in range(299)
    )
    project.memberships.model.objects.bulk_create(
        project.memberships.model(
            user=user, project=project, organisation=organisations[n % 30], role=Role.PARTNER
        )
        for n, user in enumerate(users)
    )
    client = Client()
    client.force_login(coordinator)
    figures = {}
    for name, path in [
        ("project_home", "/p/bench/"),
        ("member_list", "/p/bench/members/"),
        ("organisation_list", "/p/bench/organisations/"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        # Counted now: the captured list is a view on a log that the next request clears.
        query_count = len(queries)
        figures[name] = {**timed(lambda path=path: client.get(path), 20), "queries": query_count}
    return figures


def main():
    with tempfile.TemporaryDirectory() as scratch:
        setup_django(Path(scratch) / "bench.sqlite3")
        from django.db import connection

        results = {
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "database": connection.vendor,
            }
        }
        for name, function in BENCHMARKS.items():
            results[name] = function()
    print(f"{'benchmark':<40} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for name, figures in results.items():
        if name == "machine":
            continue
        for part, row in figures.items():
            print(
                f"{name + '.' + part:<40} {row['median_ms']:>10} {row['p95_ms']:>10} "
                f"{row.get('queries', ''):>8}"
            )
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
