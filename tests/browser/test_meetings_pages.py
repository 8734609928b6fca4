"""The meeting pages with the demo loaded, on a laptop and a phone, for the screenshots."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from jointlearn.management.commands.seed_demo import DEMO_PASSWORD
from jointlearn.models import User
from meetings.models import Meeting

from .conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


def sign_in(page, live, email, heading="My projects"):
    page.goto(f"{live}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def test_demo_meeting_pages_for_organisers_and_participants(live, browser, screenshot):
    call_command("seed_demo", "--accounts")
    # The coordinator works in English here; the facilitator keeps Swedish, so the phone
    # pages show the translations.
    User.objects.filter(email="coordinator@example.org").update(preferred_language="en")
    tampere = Meeting.objects.get(title__startswith="Seminar in Tampere")
    brussels = Meeting.objects.get(title__startswith="Seminar in Brussels")
    base = f"{live}/p/eme/meetings"

    laptop = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = laptop.new_page()
    sign_in(page, live, "coordinator@example.org")
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Earlier meetings")).to_be_visible()
    screenshot(page, "meetings-list-1280")
    page.goto(f"{base}/{tampere.pk}/")
    expect(page.get_by_role("heading", name="Before the meeting")).to_be_visible()
    screenshot(page, "meeting-tampere-1280")
    page.goto(f"{base}/{tampere.pk}/print/")
    expect(page.get_by_role("heading", name=tampere.title)).to_be_visible()
    screenshot(page, "meeting-print-1280")
    page.emulate_media(media="print")
    screenshot(page, "meeting-print-media-1280")
    page.emulate_media(media="screen")
    page.goto(f"{base}/{tampere.pk}/attendance/")
    expect(page.get_by_role("heading", name="By country")).to_be_visible()
    screenshot(page, "meeting-attendance-1280")
    page.goto(f"{base}/{tampere.pk}/door/")
    expect(page.locator(".qr svg")).to_be_visible()
    screenshot(page, "meeting-door-1280")
    assignment = tampere.assignments.get()
    page.goto(f"{base}/{tampere.pk}/assignments/{assignment.pk}/status/")
    expect(page.get_by_text("1 late")).to_be_visible()
    screenshot(page, "assignment-status-1280")
    page.goto(f"{base}/tasks/")
    expect(page.get_by_role("heading", name="Tasks between meetings")).to_be_visible()
    screenshot(page, "tasks-1280")
    page.goto(f"{base}/icebreakers/")
    page.get_by_label("Language demand").select_option("low")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Check-in word wall")).to_be_visible()
    expect(page.get_by_role("link", name="Two truths and a lie")).to_have_count(0)
    screenshot(page, "icebreakers-1280")
    page.get_by_role("link", name="Map of where we come from").click()
    page.get_by_label("Day").select_option(index=1)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(
        page.get_by_text("Map of where we come from has been added to the agenda.")
    ).to_be_visible()
    screenshot(page, "icebreaker-added-1280")

    phone = browser.new_context(viewport=PHONE, timezone_id="Europe/Stockholm")
    mobile = phone.new_page()
    sign_in(mobile, live, "facilitator@example.org", heading="Mina projekt")
    mobile.goto(f"{base}/{brussels.pk}/")
    expect(mobile.get_by_role("heading", name="Anmälan")).to_be_visible()
    screenshot(mobile, "meeting-brussels-390")
    mobile.goto(f"{base}/icebreakers/")
    screenshot(mobile, "icebreakers-390")
    mobile.goto(f"{base}/tasks/?mine=on")
    screenshot(mobile, "tasks-390")
    laptop.close()
    planner = browser.new_context(viewport=PHONE, timezone_id="Europe/Helsinki")
    mobile = planner.new_page()
    sign_in(mobile, live, "coordinator@example.org")
    mobile.goto(f"{base}/{brussels.pk}/agenda/")
    expect(mobile.get_by_role("heading", name="Plan the agenda")).to_be_visible()
    screenshot(mobile, "meeting-agenda-plan-390")
    planner.close()
    phone.close()
