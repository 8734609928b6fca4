"""An agenda slot of a live kind in the browser: the facilitator prepares its activity from
the meeting page, participants wait on "not started yet", "Open" starts it, and the
participant's page turns into the activity by itself."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jointlearn.models import Role
from meetings import services
from meetings.models import AgendaItem, Meeting

from ..factories import add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser


def test_facilitator_prepares_and_opens_the_icebreaker_of_the_agenda(live, browser, screenshot):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)
    member = make_user(email="jonas@example.org", display_name="Jonas Participant")
    add_member(project, user=member, role=Role.PARTICIPANT)
    today = timezone.localdate()
    meeting = services.create_meeting(
        project=project,
        title="Seminar in Tampere",
        kind=Meeting.Kind.FACE_TO_FACE,
        time_zone="Europe/Helsinki",
        starts_on=today,
        ends_on=today + timedelta(days=1),
        status=Meeting.Status.PUBLISHED,
    )
    day = meeting.days.order_by("date").first()
    services.add_item(day=day, title="Welcome", duration=30, kind=AgendaItem.Kind.LECTURE)
    services.add_item(
        day=day, title="Where do we come from?", duration=20, kind=AgendaItem.Kind.ICEBREAKER
    )
    meeting_path = meeting.get_absolute_url()

    laptop = browser.new_context(viewport=LAPTOP)
    page = laptop.new_page()
    sign_in(page, live, "fatima@example.org")
    page.goto(f"{live}{meeting_path}")
    page.get_by_label("Live activity").select_option(label="Check-in word wall")
    page.get_by_role("button", name=re.compile(r"^Prepare\s*: Where do we come from")).click()
    expect(page.get_by_text("Where do we come from? is prepared.")).to_be_visible()
    expect(page.get_by_text("Check-in word wall: Prepared")).to_be_visible()
    screenshot(page, "agenda-prepared-1280")

    # The participant finds nothing to join yet.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, live, "jonas@example.org")
    phone.goto(f"{live}{meeting_path}")
    expect(phone.get_by_role("button", name="Prepare")).to_have_count(0)
    expect(
        phone.get_by_role("link", name=re.compile(r"^Join\s*: Where do we come from"))
    ).to_have_count(0)
    activity_path = AgendaItem.objects.get(title="Where do we come from?").live_activity
    phone.goto(f"{live}{activity_path.get_absolute_url()}")
    expect(phone.get_by_text("This activity has not started yet.")).to_be_visible()
    expect(phone.locator("[data-live-status]")).to_have_text(
        "Connected: waiting for the facilitator."
    )

    # The slot starts: Open takes the facilitator to the console, and the phone follows.
    page.get_by_role("button", name=re.compile(r"^Open\s*: Where do we come from")).click()
    expect(page.get_by_text("Facilitator's console")).to_be_visible()
    expect(phone.get_by_label("Your word", exact=True)).to_be_visible()
    phone.get_by_label("Your word", exact=True).fill("Curious")
    phone.get_by_role("button", name="Post").click()
    expect(page.locator("[data-moderation]")).to_contain_text("curious", ignore_case=True)
    screenshot(phone, "agenda-opened-390")
    phone.goto(f"{live}{meeting_path}")
    expect(
        phone.get_by_role("link", name=re.compile(r"^Join\s*: Where do we come from"))
    ).to_be_visible()
