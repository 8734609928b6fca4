"""Browser tests: a real daphne process on the test database, driven by Debian's Chromium."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import global_settings
from django.db import connection

from ..servers import database_url, free_port, stop

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="session")
def private_media_dir(tmp_path_factory):
    """Private uploads (attachments, submissions), shared by the server and the test code."""
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker, mail_dir, private_media_dir, tmp_path_factory):
    """daphne serving the ASGI app on a free port, against the test database."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    with django_db_blocker.unblock():
        connection.ensure_connection()
        env = dict(
            {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            DEBUG="0",
            HTTPS="0",
            WHITENOISE_USE_FINDERS="1",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            EMAIL_URL=f"file://{mail_dir}",
            MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
            PRIVATE_MEDIA_ROOT=str(private_media_dir),
            **database_url(),
        )
    port = free_port()
    log = open(tmp_path_factory.mktemp("daphne") / "daphne.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "jointlearn.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(Path(log.name).read_text()) from None
            time.sleep(0.2)
    yield url
    stop(process)
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are plain synchronous code all the same. Browser tests run last
    # (see tests/conftest.py), so no other test sees this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def live(server, transactional_db, settings, private_media_dir):
    """The server's address, with a clean database for this test."""
    # Accounts made here must sign in on the server, which knows only the real hashers.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    # Files the test stores must be where the server looks for them.
    settings.PRIVATE_MEDIA_ROOT = private_media_dir
    return server


AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
# axe's impact levels that fail a test; "minor" findings are only written to the report.
SERIOUS = {"moderate", "serious", "critical"}


def accessibility_violations(page):
    """axe-core's violations on the page as it is now (the script is loaded once a page)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def described(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:3]:
            lines.append(f"    {node['target']} {node['html'][:160]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                related = [related["html"][:120] for related in check.get("relatedNodes", [])]
                lines.append(f"      {check['message']}" + (f" {related}" if related else ""))
    return "\n".join(lines)


@pytest.fixture
def screenshot():
    """Save a full-page screenshot and check the page with axe-core: a moderate, serious or
    critical violation fails the test; every violation is written beside the picture."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        violations = accessibility_violations(page)
        report = ARTIFACTS / f"{name}.axe.txt"
        report.write_text(described(violations) + "\n" if violations else "")
        serious = [violation for violation in violations if violation["impact"] in SERIOUS]
        assert not serious, f"axe on {name} ({page.url}):\n{described(serious)}"

    return take


LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
