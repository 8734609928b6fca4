"""Real workers for the scale and fault tests: daphne processes on the test database sharing
one Redis channel layer (CI's REDIS_URL, or a Redis started here)."""

import os

import pytest

from ..servers import server_environment, start_daphne, start_redis, stop


@pytest.fixture
def redis_url(tmp_path):
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    process, url = start_redis(tmp_path)
    yield url
    process.kill()
    process.wait(timeout=10)


def start_workers(redis_url, tmp_path, count=2, arguments=(), **settings):
    """`count` daphne workers on one Redis; `settings` go into their environment and
    `arguments` onto daphne's command line."""
    environment = server_environment(
        REDIS_URL=redis_url, REDIS_PREFIX=f"jl-test-{tmp_path.name}"[:40], **settings
    )
    return [
        start_daphne(environment, tmp_path / f"worker-{number}.log", arguments=arguments)
        for number in range(count)
    ]


@pytest.fixture
def workers(redis_url, tmp_path, transactional_db):
    """Two daphne workers sharing the test database and one Redis channel layer."""
    started = start_workers(redis_url, tmp_path)
    yield started
    for process, _url in started:
        stop(process)
