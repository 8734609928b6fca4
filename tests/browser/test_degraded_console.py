"""While the channel layer's Redis is away, the café console says it is not live (the workers
close the sockets and refuse new ones), and it is live again once Redis is back."""

import re

import pytest
from playwright.sync_api import expect

from jointlearn.models import Role

from ..factories import add_member, make_project
from ..learningcafe.factories import make_cafe
from ..scale.test_workers import cookie_for
from ..servers import server_environment, start_daphne, start_redis, stop
from .conftest import LAPTOP

pytestmark = pytest.mark.browser


def test_the_console_shows_the_degraded_state_while_redis_is_away(
    browser, transactional_db, tmp_path, screenshot
):
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    cafe = make_cafe(project)
    name, _, key = cookie_for(facilitator).partition("=")
    redis, redis_url = start_redis(tmp_path)
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    environment = server_environment(
        REDIS_URL=redis_url,
        REDIS_PREFIX=f"jl-test-{tmp_path.name}"[:40],
        WHITENOISE_USE_FINDERS="1",
    )
    worker, url = start_daphne(environment, tmp_path / "worker.log")
    context = browser.new_context(viewport=LAPTOP)
    try:
        context.add_cookies([{"name": name, "value": key, "url": url}])
        console = context.new_page()
        console.goto(f"{url}/p/{project.slug}/live/{cafe.activity_id}/console/")
        status = console.locator("[data-live-status]")
        expect(status).to_have_text("Live")
        redis.kill()
        redis.wait(timeout=10)
        expect(status).to_have_text(re.compile(r"^(Reconnecting…|Offline)"), timeout=15_000)
        screenshot(console, "cafe-console-redis-away")
        redis, _url = start_redis(tmp_path, port=port)
        # The page tries again with backoff (at most 15 s between tries).
        expect(status).to_have_text("Live", timeout=30_000)
    finally:
        context.close()
        stop(worker)
        redis.kill()
        redis.wait(timeout=10)
