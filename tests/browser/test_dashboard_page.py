"""The learning dashboard with the demo loaded, on a laptop and a phone, keyboard included."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from jointlearn.models import User

from .conftest import LAPTOP, PHONE
from .test_meetings_pages import sign_in

pytestmark = pytest.mark.browser


def test_coordinator_reads_the_dashboard_and_filters_it(live, browser, screenshot):
    call_command("seed_demo", "--accounts")
    User.objects.filter(email="coordinator@example.org").update(preferred_language="en")
    laptop = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = laptop.new_page()
    sign_in(page, live, "coordinator@example.org")
    page.goto(f"{live}/p/eme/")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Learning dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Meetings and attendance")).to_be_visible()
    expect(page.get_by_role("img", name="Attendance by country")).to_be_visible()
    expect(page.get_by_role("img", name="Mean score per criterion")).to_be_visible()
    # What reflection rounds, surveys and cafés add.
    expect(page.get_by_role("img", name="Learning formats named, per meeting")).to_be_visible()
    expect(
        page.get_by_role("img", name="Mean answer over time (scale from 1 to 5)")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Café participants by country")).to_be_visible()
    expect(page.get_by_role("table", name="Most-voted note per theme")).to_be_visible()
    screenshot(page, "dashboard-1280")
    # The numbers behind a chart open from the keyboard.
    summary = page.get_by_text("Show the numbers").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("table").first).to_be_visible()
    # Only Finland's numbers.
    page.get_by_label("Country", exact=True).select_option(label="Finland")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="Everyone")).to_be_visible()
    screenshot(page, "dashboard-finland-1280")
    laptop.close()

    phone = browser.new_context(viewport=PHONE, timezone_id="Europe/Stockholm")
    page = phone.new_page()
    sign_in(page, live, "coordinator@example.org")
    page.goto(f"{live}/p/eme/dashboard/")
    expect(page.get_by_role("heading", name="Practices")).to_be_visible()
    expect(page.get_by_role("heading", name="Survey trends")).to_be_visible()
    screenshot(page, "dashboard-390")
    phone.close()
