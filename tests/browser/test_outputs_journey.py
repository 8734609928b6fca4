"""Sharing an activity's results in the browser: the facilitator shares a word wall from its
console, a member finds it on the meeting page, a guest opens the link on a phone, the
facilitator stops sharing and the guest's link shows the clear "no longer available" page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jointlearn import services as core_services
from jointlearn.live import protocol
from jointlearn.models import Role
from meetings import services
from meetings.models import AgendaItem, Meeting

from ..factories import add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser


def test_facilitator_shares_results_with_members_and_a_guest_then_revokes(
    live, browser, screenshot
):
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
    item = services.add_item(
        day=day, title="Where do we come from?", duration=20, kind=AgendaItem.Kind.ICEBREAKER
    )
    activity = services.prepare_live_activity(item=item, kind="wordwall", created_by=facilitator)
    services.open_live_activity(item=item, membership=project.memberships.get(user=facilitator))
    for number, (name, word) in enumerate(
        [("Nadia", "Curious"), ("مريم", "سعيد"), ("Pekka", "Curious"), ("Troll", "Rude word")]
    ):
        guest = core_services.join_as_guest(join_code=activity.join_code, display_name=name)
        protocol.apply_op(
            activity_id=activity.pk,
            actor=protocol.Actor(guest=guest),
            op_id=f"w{number}",
            op="word.post",
            data={"text": word},
        )
    protocol.apply_op(
        activity_id=activity.pk,
        actor=protocol.Actor(membership=project.memberships.get(user=facilitator)),
        op_id="hide",
        op="word.hide",
        data={"word": "rude word"},
    )

    laptop = browser.new_context(viewport=LAPTOP)
    page = laptop.new_page()
    sign_in(page, live, "fatima@example.org")
    page.goto(f"{live}/p/eme/live/{activity.pk}/console/")
    page.get_by_role("button", name="Share the results").click()
    expect(page.get_by_text("Shared with the participants.")).to_be_visible()
    link = page.locator("[data-share-link]")
    expect(link).to_be_visible()
    share_url = link.get_attribute("href")
    page.locator("#export-heading").scroll_into_view_if_needed()
    screenshot(page, "outputs-console-shared-1280")

    # A member sees it on the meeting page.
    member_page = browser.new_context(viewport=LAPTOP).new_page()
    sign_in(member_page, live, "jonas@example.org")
    member_page.goto(f"{live}{meeting.get_absolute_url()}")
    shared = member_page.get_by_role("region", name="Shared outputs")
    expect(shared.get_by_role("link", name="Where do we come from?")).to_be_visible()
    expect(shared.get_by_role("button")).to_have_count(0)  # a participant cannot share
    shared.scroll_into_view_if_needed()
    screenshot(member_page, "outputs-meeting-page-1280")

    # A guest without an account opens the link on a phone.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{live}{share_url}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Where do we come from?")
    table = phone.get_by_role("table", name="Where do we come from?")
    expect(table).to_contain_text("سعيد")
    expect(table).not_to_contain_text("Rude word")
    expect(phone.locator("main")).not_to_contain_text("Nadia")
    expect(phone.locator("main")).not_to_contain_text("Troll")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    screenshot(phone, "outputs-shared-390")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="PDF").click()
    name = download.value.suggested_filename
    assert name.endswith(".pdf") and "-shared-" in name, name

    # The facilitator stops sharing: the link is gone, for the guest and from the meeting.
    page.get_by_role("button", name="Stop sharing").click()
    expect(page.get_by_role("button", name="Share the results")).to_be_visible()
    response = phone.goto(f"{live}{share_url}")
    assert response.status == 404
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "This shared output is no longer available"
    )
    screenshot(phone, "outputs-revoked-390")
    member_page.reload()
    expect(member_page.get_by_role("region", name="Shared outputs")).to_have_count(0)
