"""Journey of erasure: a member reads what goes and what stays, mistypes the password, erases
their account on a phone; their comment stays as by a former participant and they cannot
sign in again. The only coordinator is asked to hand over the role first."""

import pytest
from playwright.sync_api import expect

from jointlearn.models import Role, User
from practices.models import Comment

from ..factories import PASSWORD, add_member, make_organisation, make_project, make_user
from ..practices.helpers import make_practice
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser


def test_a_member_erases_their_account_and_their_comment_stays_unnamed(live, browser, screenshot):
    aino = make_user(email="aino@example.org", display_name="Aino Virtanen")
    project = make_project(creator=aino, slug="eme", name="Empowering Migrants for Employment")
    belgium = make_organisation(project, name="EVA bxl", country="BE")
    samira = add_member(
        project,
        role=Role.PARTNER,
        organisation=belgium,
        user=make_user(email="samira@example.org", display_name="Samira Haddad"),
    )
    practice = make_practice(project, belgium, author=samira, title="Duo for a Job")
    Comment.objects.create(practice=practice, author=samira, body="How long does a duo last?")

    # The only coordinator is asked to hand over the role first.
    laptop = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = laptop.new_page()
    sign_in(page, live, "aino@example.org")
    page.goto(f"{live}/accounts/profile/")
    page.get_by_role("link", name="Erase my account…").click()
    expect(page.get_by_role("heading", name="Erase your account")).to_be_visible()
    expect(page.get_by_text("You are the only coordinator of this project")).to_be_visible()
    expect(page.get_by_role("link", name="Empowering Migrants for Employment")).to_be_visible()
    expect(page.get_by_label("Your password")).to_have_count(0)
    screenshot(page, "account-erase-coordinator-1280")

    # Samira, on her phone, reads the page and erases her account.
    phone = browser.new_context(viewport=PHONE, timezone_id="Europe/Brussels")
    mobile = phone.new_page()
    sign_in(mobile, live, "samira@example.org")
    mobile.goto(f"{live}/accounts/profile/")
    mobile.get_by_role("link", name="Erase my account…").click()
    expect(mobile.get_by_role("heading", name="What goes")).to_be_visible()
    expect(mobile.get_by_role("heading", name="What stays")).to_be_visible()
    mobile.get_by_label("Your password").fill("not my password")
    mobile.get_by_role("button", name="Erase my account").click()
    expect(mobile.get_by_text("This is not your password.")).to_be_visible()
    screenshot(mobile, "account-erase-error-390")
    assert not User.objects.get(pk=samira.pk).is_erased
    mobile.get_by_label("Your password").fill(PASSWORD)
    mobile.get_by_label("Your password").press("Enter")
    expect(mobile.get_by_role("heading", name="Your account has been erased")).to_be_visible()
    screenshot(mobile, "account-erased-390")

    # Her comment stays, as by a former participant.
    page.goto(f"{live}/p/eme/practices/{practice.pk}/")
    comment = page.locator(".comment", has_text="How long does a duo last?")
    expect(comment).to_contain_text("former participant")
    expect(page.get_by_text("Samira Haddad")).to_have_count(0)

    # She cannot sign in again.
    mobile.goto(f"{live}/accounts/login/")
    mobile.get_by_label("Email address").fill("samira@example.org")
    mobile.get_by_label("Password").fill(PASSWORD)
    mobile.get_by_role("button", name="Sign in").click()
    expect(mobile.get_by_role("heading", name="My projects")).to_have_count(0)
    expect(mobile.get_by_label("Email address")).to_be_visible()

    # A member who is not the only coordinator sees the whole page (the guide's picture).
    add_member(project, role=Role.COORDINATOR)
    page.goto(f"{live}/accounts/erase/")
    expect(page.get_by_label("Also remove what I wrote")).to_be_visible()
    screenshot(page, "account-erase-1280")
    laptop.close()
    phone.close()
