"""Journeys of the foundation: a coordinator sets up a project; a partner and a guest join."""

import re

import pytest
from playwright.sync_api import expect

from jointlearn.models import Guest, Membership, Organisation, Role

from ..factories import PASSWORD, add_member, make_project, make_user
from .conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


def sign_in(page, live, email):
    page.goto(f"{live}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My projects")).to_be_visible()


def add_organisation(page, name, country):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Country").select_option(label=country)
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_text(f"The organisation {name} has been added.")).to_be_visible()


def invitation_link(mail_dir):
    bodies = "".join(path.read_text() for path in sorted(mail_dir.iterdir()))
    return re.findall(r"https?://\S+/invitations/\S+/", bodies)[-1]


def test_coordinator_sets_up_project_and_partner_joins(live, browser, mail_dir, screenshot):
    make_user(email="aino@example.org", display_name="Aino Virtanen")
    coordinator = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = coordinator.new_page()
    sign_in(page, live, "aino@example.org")
    # The browser's zone reaches the server after the first page and every time names it.
    expect(page.get_by_text("Times are shown in Europe/Helsinki.")).to_be_visible()
    screenshot(page, "my-projects-empty-1280")

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Empowering Migrants for Employment")
    page.get_by_label("Short address").fill("eme")
    page.get_by_label("Finnish").check()
    page.get_by_label("Swedish").check()
    page.get_by_label("Start date").fill("2018-01-01")
    page.get_by_label("End date").fill("2020-12-31")
    page.get_by_role("textbox", name="Your organisation").fill("Työväen Sivistysliitto TSL")
    page.get_by_label("Country of your organisation").select_option(label="Finland")
    screenshot(page, "project-new-1280")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Empowering Migrants for Employment")).to_be_visible()

    page.get_by_role("navigation", name="Project").get_by_role("link", name="Organisations").click()
    add_organisation(page, "EVA bxl", "Belgium")
    add_organisation(page, "Piteå kommun", "Sweden")
    screenshot(page, "organisations-1280")
    assert set(Organisation.objects.values_list("country", flat=True)) == {"FI", "BE", "SE"}

    page.get_by_role("navigation", name="Project").get_by_role("link", name="Members").click()
    invite = page.get_by_role("region", name="Invite someone")
    invite.get_by_label("Email address").fill("lotte@example.org")
    invite.get_by_label("Role").select_option("partner")
    invite.get_by_label("Organisation").select_option(label="EVA bxl")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("An invitation has been sent to lotte@example.org.")).to_be_visible()
    screenshot(page, "members-1280")

    # The coordinator keeps the project page open and sees it go out of date.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Overview").click()

    partner = browser.new_context(viewport=PHONE)
    phone = partner.new_page()
    phone.goto(invitation_link(mail_dir))
    expect(
        phone.get_by_role("heading", name="Join Empowering Migrants for Employment")
    ).to_be_visible()
    phone.get_by_label("Your name").fill("Lotte Peeters")
    phone.get_by_label("Choose a password").fill(PASSWORD)
    phone.get_by_label("Type the password again").fill(PASSWORD)
    screenshot(phone, "invitation-accept-390")
    phone.get_by_role("button", name="Create account and join").click()
    expect(phone.get_by_text("Welcome to Empowering Migrants for Employment.")).to_be_visible()
    expect(phone.locator(".people").get_by_text("Lotte Peeters")).to_be_visible()
    screenshot(phone, "project-home-390")

    expect(page.get_by_text("The member list has changed.")).to_be_visible()
    page.reload()
    expect(page.locator(".people").get_by_text("Lotte Peeters")).to_be_visible()
    screenshot(page, "project-home-1280")
    membership = Membership.objects.get(user__email="lotte@example.org")
    assert (membership.role, membership.organisation.name) == (Role.PARTNER, "EVA bxl")
    coordinator.close()
    partner.close()


def test_guest_joins_by_code_on_a_phone(live, browser, screenshot):
    project = make_project(slug="eme", name="EME")
    add_member(project, role=Role.FACILITATOR, user=make_user(email="erik@example.org"))
    facilitator = browser.new_context(viewport=LAPTOP)
    page = facilitator.new_page()
    sign_in(page, live, "erik@example.org")
    page.goto(f"{live}/p/eme/codes/")
    page.get_by_label("What it is for").fill("Seminar in Piteå, day 1")
    page.get_by_role("button", name="Create code").click()
    code = project.join_codes.get().code
    page.get_by_role("link", name=code).click()
    expect(page.locator(".qr svg")).to_be_visible()
    screenshot(page, "join-code-projector-1280")

    guest = browser.new_context(viewport=PHONE)
    phone = guest.new_page()
    phone.goto(f"{live}/join/")
    phone.get_by_label("Code").fill("wrong1")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_text("There is no activity with the code WRONG1.")).to_be_visible()
    phone.get_by_label("Code").fill(code.lower())
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Your name").fill("Amina <b>H</b>")
    screenshot(phone, "join-name-390")
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_text("Welcome, Amina <b>H</b>.")).to_be_visible()
    expect(phone.get_by_text("Connected: waiting for the facilitator.")).to_be_visible()
    screenshot(phone, "lobby-390")
    assert Guest.objects.get().display_name == "Amina <b>H</b>"
    facilitator.close()
    guest.close()
