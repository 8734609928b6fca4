"""The learning trail and the project pack in the browser, with the demo loaded: a member
follows a practice's trail to a meeting's trail; a coordinator builds and downloads the pack."""

import io
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from jointlearn.models import User

from .conftest import LAPTOP, PHONE
from .test_meetings_pages import sign_in

pytestmark = pytest.mark.browser

PRACTICE = "Duo for a Job: mentors aged 50 and over"
MEETING = "Seminar in Tampere: recognising skills on the way into work"


def test_a_member_follows_a_practice_trail_to_a_meeting_trail(live, browser, screenshot):
    call_command("seed_demo", "--accounts", stdout=io.StringIO())
    User.objects.filter(email="participant@example.org").update(preferred_language="en")
    for viewport, width in [(LAPTOP, 1280), (PHONE, 390)]:
        context = browser.new_context(viewport=viewport, timezone_id="Europe/Helsinki")
        page = context.new_page()
        sign_in(page, live, "participant@example.org")
        page.goto(f"{live}/p/eme/practices/")
        page.get_by_role("link", name=PRACTICE).first.click()
        page.get_by_role("link", name="Learning trail").click()
        expect(page.get_by_role("heading", name=f"Learning trail: {PRACTICE}")).to_be_visible()
        expect(page.get_by_role("heading", name="Pitched and rated")).to_be_visible()
        expect(page.get_by_role("heading", name="Applied elsewhere")).to_be_visible()
        screenshot(page, f"trail-practice-{width}")
        # From a pitch session on the trail to the trail of the meeting it was part of.
        page.get_by_role("link", name=MEETING).first.click()
        expect(page.get_by_role("heading", name=f"Learning trail: {MEETING}")).to_be_visible()
        expect(page.get_by_role("heading", name="What it produced")).to_be_visible()
        expect(page.get_by_role("heading", name="What happened after it")).to_be_visible()
        screenshot(page, f"trail-meeting-{width}")
        # And back to a practice's trail from the meeting's.
        page.get_by_role("link", name=PRACTICE).first.click()
        expect(page.get_by_role("heading", name=f"Learning trail: {PRACTICE}")).to_be_visible()
        context.close()


def test_a_coordinator_builds_and_downloads_the_project_pack(live, browser, screenshot):
    call_command("seed_demo", "--accounts", stdout=io.StringIO())
    User.objects.filter(email="coordinator@example.org").update(preferred_language="en")
    context = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = context.new_page()
    sign_in(page, live, "coordinator@example.org")
    page.goto(f"{live}/p/eme/dashboard/")
    page.get_by_role("link", name="Project pack").click()
    expect(page.get_by_role("heading", name="Project pack", exact=True)).to_be_visible()
    page.get_by_role("button", name="Build the project pack").click()
    # The build runs in the server's background thread; the page follows its progress.
    download_link = page.get_by_role("link", name="Download the project pack")
    expect(page.get_by_text("Building the pack…").or_(download_link)).to_be_visible()
    screenshot(page, "project-pack-building-1280")
    expect(download_link).to_be_visible(timeout=120_000)
    screenshot(page, "project-pack-ready-1280")
    with page.expect_download() as info:
        download_link.click()
    with zipfile.ZipFile(info.value.path()) as archive:
        names = archive.namelist()
        pdf = archive.read("project-pack.pdf")
    assert "practices/transferability-matrix.csv" in names
    assert pdf.startswith(b"%PDF")
    # Asking again with unchanged data serves the same pack at once.
    page.goto(f"{live}/p/eme/reports/pack/")
    expect(page.get_by_text("this pack is current")).to_be_visible()
    context.close()

    phone = browser.new_context(viewport=PHONE, timezone_id="Europe/Helsinki")
    page = phone.new_page()
    sign_in(page, live, "coordinator@example.org")
    page.goto(f"{live}/p/eme/reports/pack/")
    expect(page.get_by_role("link", name="Download the project pack")).to_be_visible()
    screenshot(page, "project-pack-390")
    phone.close()
