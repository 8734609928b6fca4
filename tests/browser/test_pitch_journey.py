"""A live pitch session: a facilitator, a projector and two phones (a member and a guest)."""

import pytest
from playwright.sync_api import expect

from jointlearn.models import LiveActivity, Role
from practices.models import PitchRating

from ..factories import add_member, make_organisation, make_project, make_user
from ..practices.helpers import evaluate, make_practice, reviewer
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}


def choose(page, criterion_index, value):
    page.locator("fieldset[data-criterion]").nth(criterion_index).get_by_text(
        str(value), exact=True
    ).click()


def test_pitch_session_rated_from_two_phones(live, browser, screenshot):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)
    tsl = make_organisation(project, name="Työväen Sivistysliitto", country="FI")
    intro = make_organisation(project, name="Groep INTRO", country="BE")
    pitea = make_organisation(project, name="Piteå kommun", country="SE")
    karin = make_user(email="karin@example.org", display_name="Karin Nyström")
    add_member(project, user=karin, role=Role.PARTNER, organisation=pitea)
    peers = make_practice(project, tsl, title="Peer groups guided by working-life tutors")
    duo = make_practice(project, intro, title="Duo for a Job: mentors aged 50 and over")
    care = make_practice(project, pitea, title="Introduction to work in elderly care")

    # The facilitator sets the session up: three practices in order, the short rubric.
    host_context = browser.new_context(viewport=LAPTOP)
    console = host_context.new_page()
    sign_in(console, live, "fatima@example.org")
    console.goto(f"{live}/p/eme/live/")
    console.get_by_role("link", name="Prepare a pitch session").click()
    console.get_by_label("Title").fill("Pitches: one good practice from each country")
    console.get_by_label(f"Order of {peers.title}").fill("1")
    console.get_by_label(f"Order of {duo.title}").fill("2")
    console.get_by_label(f"Order of {care.title}").fill("3")
    screenshot(console, "pitch-setup-1280")
    console.get_by_role("button", name="Open the pitch session").click()
    expect(console.get_by_text("Facilitator's console")).to_be_visible()
    expect(console.locator("[data-live-status]")).to_have_text("Live")
    code = console.locator(".code--large").inner_text().strip()
    session = LiveActivity.objects.get(kind=LiveActivity.Kind.PITCH)
    assert [c["name"] for c in session.config["criteria"]][:1] == ["Relevance to the target group"]

    projector_context = browser.new_context(viewport=PROJECTOR)
    projector = projector_context.new_page()
    sign_in(projector, live, "fatima@example.org")
    projector.goto(f"{live}/p/eme/live/{session.pk}/projector/")
    expect(projector.locator(".code--huge")).to_have_text(code)
    expect(projector.get_by_role("heading", name=peers.title)).to_be_visible()
    expect(projector.locator("[data-live-status]")).to_have_text("Live")

    # A guest scans the code on a phone and rates the first pitch.
    guest_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    guest = guest_context.new_page()
    guest.goto(f"{live}/join/{code}/")
    guest.get_by_label("Your name").fill("Amira")
    guest.get_by_role("button", name="Join").click()
    expect(guest.get_by_role("heading", name=peers.title)).to_be_visible()
    expect(guest.locator("[data-live-status]")).to_have_text("Live")
    # Sending without a score for every criterion is refused with a sentence.
    choose(guest, 0, 4)
    guest.get_by_role("button", name="Send my rating").click()
    expect(guest.get_by_role("alert")).to_have_text("Choose a score for every criterion.")
    choose(guest, 1, 5)
    choose(guest, 2, 3)
    guest.get_by_label("One word about this pitch").fill("inspiring")
    guest.get_by_role("button", name="Send my rating").click()
    expect(guest.get_by_role("alert")).to_contain_text("your rating is saved")
    expect(guest.get_by_role("button", name="Change my rating")).to_be_visible()
    expect(projector.locator("[data-results-count]")).to_have_text("1 rating")

    # A member rates from her phone; a third person makes the bars appear.
    member_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    member = member_context.new_page()
    sign_in(member, live, "karin@example.org")
    member.goto(f"{live}/join/{code}/")
    expect(member.get_by_role("heading", name=peers.title)).to_be_visible()
    expect(member.locator("[data-live-status]")).to_have_text("Live")
    for index, value in enumerate([5, 4, 4]):
        choose(member, index, value)
    member.get_by_label("One word about this pitch").fill("Practical")
    member.get_by_role("button", name="Send my rating").click()
    expect(member.get_by_role("alert")).to_contain_text("your rating is saved")
    # The facilitator rates too, from the participant's page on her laptop.
    own = host_context.new_page()
    own.goto(f"{live}/p/eme/live/{session.pk}/")
    expect(own.locator("[data-live-status]")).to_have_text("Live")
    for index in range(3):
        choose(own, index, 3)
    own.get_by_label("One word about this pitch").fill("inspiring")
    own.get_by_role("button", name="Send my rating").click()
    expect(own.get_by_role("alert")).to_contain_text("your rating is saved")
    own.close()
    expect(projector.locator("[data-results-table]")).to_be_visible()
    expect(projector.locator("[data-results-count]")).to_have_text("3 ratings")
    expect(projector.locator("[data-words]")).to_contain_text("inspiring")

    # The guest changes her mind: the rating changes, it is never a second one.
    choose(guest, 0, 2)
    guest.get_by_role("button", name="Change my rating").click()
    expect(guest.get_by_role("alert")).to_contain_text("your rating is saved")
    expect(projector.locator("[data-results-count]")).to_have_text("3 ratings")
    assert PitchRating.objects.filter(guest__isnull=False).count() == 1
    screenshot(guest, "pitch-guest-phone-390")
    screenshot(member, "pitch-member-phone-390")
    screenshot(projector, "pitch-projector-1920")

    # The facilitator closes rating: the phones say so and cannot send.
    console.get_by_role("button", name="Close rating").click()
    expect(guest.get_by_text("Rating for this pitch is closed.")).to_be_visible()
    expect(guest.get_by_role("button", name="Change my rating")).to_be_disabled()
    screenshot(console, "pitch-console-1280")

    # A double press on "Next pitch" moves once.
    console.get_by_role("button", name="Next pitch").dblclick()
    expect(projector.get_by_role("heading", name=duo.title)).to_be_visible()
    expect(guest.get_by_role("heading", name=duo.title)).to_be_visible()
    expect(console.locator("[data-position-text]")).to_have_text("Pitch 2 of 3")
    expect(console.locator("[data-console-feedback]")).to_be_hidden()
    session.refresh_from_db()
    assert session.config["position"] == 1
    expect(guest.get_by_role("button", name="Send my rating")).to_be_enabled()
    expect(projector.locator("[data-results-count]")).to_have_text("no ratings yet")
    screenshot(guest, "pitch-guest-next-390")

    # Afterwards the ratings show on the practice page, apart from peer evaluation, whose
    # means (from three evaluations up) are drawn as a radar chart.
    for n, country in enumerate(["BE", "SE", "BE"]):
        evaluate(peers, reviewer(project, country, name=f"Reviewer {n}"), value=3 + n % 2)
    page = host_context.new_page()
    page.goto(f"{live}/p/eme/practices/{peers.pk}/")
    expect(page.locator("svg.radar")).to_be_visible()
    expect(page.get_by_role("heading", name="Pitch ratings")).to_be_visible()
    screenshot(page, "pitch-practice-page-1280")
    member.goto(f"{live}/p/eme/practices/{peers.pk}/")
    expect(member.get_by_role("heading", name="Pitch ratings")).to_be_visible()
    expect(member.locator("#pitch-ratings")).to_contain_text("3 ratings")
    screenshot(member, "pitch-practice-page-390")

    for context in [host_context, projector_context, guest_context, member_context]:
        context.close()
