"""A facilitator removes a guest who posted what should not stay: the guest's phone is told,
and the projector drops their words at once, without a reload."""

import re

import pytest
from playwright.sync_api import expect

from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import Guest, Role, WordWallEntry

from ..factories import add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in
from .test_reflections_journey import join_as_guest
from .test_wordwall_journey import cloud_word, post

pytestmark = pytest.mark.browser


def test_a_guest_removed_with_what_they_posted_vanishes_from_every_open_page(
    live, browser, screenshot
):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)
    wall = create_word_wall(project=project, created_by=facilitator, question="How do you arrive?")
    code = wall.join_code.code

    phones = []
    for name, word in (("Amina", "Curious"), ("Troll", "Rubbish")):
        context, phone = join_as_guest(browser, live, code, name)
        post(phone, word)
        expect(cloud_word(phone, word.lower())).to_be_visible()
        phones.append((context, phone))
    (amina_context, amina), (troll_context, troll) = phones

    host_context = browser.new_context(viewport=LAPTOP)
    host = host_context.new_page()
    sign_in(host, live, "fatima@example.org")
    projector = host_context.new_page()
    projector.goto(f"{live}/p/eme/live/{wall.pk}/projector/")
    expect(cloud_word(projector, "rubbish")).to_be_visible()

    host.goto(f"{live}/p/eme/codes/")
    host.get_by_role("link", name="See the guests who joined, and remove one").click()
    host.get_by_role("link", name=re.compile(r"^Remove\W+Troll$")).click()
    expect(host.get_by_role("heading", name="Remove Troll")).to_be_visible()
    screenshot(host, "guest-remove-1280")
    # Cancel changes nothing.
    host.get_by_role("link", name="Cancel").click()
    expect(host.get_by_role("heading", name="Guests")).to_be_visible()
    assert Guest.objects.filter(display_name="Troll").exists()

    host.get_by_role("link", name=re.compile(r"^Remove\W+Troll$")).click()
    host.get_by_label("Also delete what they posted").check()
    host.get_by_role("button", name="Remove the guest").click()
    expect(host.get_by_role("status").or_(host.locator(".messages"))).to_contain_text(
        "Troll has been removed with what they posted"
    )
    expect(host.get_by_role("link", name=re.compile(r"^Remove\W+Troll$"))).to_have_count(0)

    # Every open page updates without a reload; the guest's phone is told and stays closed.
    expect(cloud_word(projector, "rubbish")).to_have_count(0)
    expect(cloud_word(projector, "curious")).to_be_visible()
    expect(cloud_word(amina, "rubbish")).to_have_count(0)
    expect(amina.locator("[data-live-status]")).to_have_text("Live")
    expect(troll.locator("[data-live-status]")).to_have_text(
        "You are no longer part of this project."
    )
    assert list(WordWallEntry.objects.values_list("key", flat=True)) == ["curious"]

    # On a phone, the confirmation page reads well too.
    phone_host = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    small = phone_host.new_page()
    sign_in(small, live, "fatima@example.org")
    guest = Guest.objects.get(display_name="Amina")
    small.goto(f"{live}/p/eme/guests/{guest.pk}/remove/")
    expect(small.get_by_role("heading", name="Remove Amina")).to_be_visible()
    screenshot(small, "guest-remove-390")

    for context in (amina_context, troll_context, host_context, phone_host):
        context.close()
