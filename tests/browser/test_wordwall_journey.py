"""The check-in word wall in several browsers: live updates, offline posting, moderation."""

import re

import pytest
from playwright.sync_api import expect

from jointlearn.models import Role, WordWallEntry

from ..factories import add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}


def cloud_word(page, word):
    return page.locator(f'[data-cloud] [data-word="{word}"]')


def post(page, word):
    page.get_by_label("Your word", exact=True).fill(word)
    page.get_by_role("button", name="Post").click()


def test_word_wall_live_offline_and_moderated(live, browser, screenshot):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)
    member = make_user(email="jonas@example.org", display_name="Jonas Participant")
    add_member(project, user=member, role=Role.PARTICIPANT)

    host_context = browser.new_context(viewport=LAPTOP)
    console = host_context.new_page()
    sign_in(console, live, "fatima@example.org")
    console.goto(f"{live}/p/eme/")
    console.get_by_role("navigation", name="Project").get_by_role("link", name="Live").click()
    console.get_by_role("link", name="Open a check-in word wall").click()
    console.get_by_label("Question").fill("One word: how do you arrive today?")
    console.get_by_role("button", name="Open the wall").click()
    expect(console.get_by_text("Facilitator's console")).to_be_visible()
    expect(console.locator("[data-live-status]")).to_have_text("Live")
    code = console.locator(".code--large").inner_text().strip()

    projector_context = browser.new_context(viewport=PROJECTOR)
    projector = projector_context.new_page()
    sign_in(projector, live, "fatima@example.org")
    projector_path = console.get_by_role("link", name="Open the projector view").get_attribute(
        "href"
    )
    projector.goto(f"{live}{projector_path}")
    expect(projector.locator(".code--huge")).to_have_text(code)

    # A guest on a phone scans the code.
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(f"{live}/join/{code}/")
    phone.get_by_label("Your name").fill("Amina")
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", name="One word: how do you arrive today?")).to_be_visible()
    expect(phone.locator("[data-live-status]")).to_have_text("Live")
    post(phone, "Curious")
    expect(cloud_word(phone, "curious")).to_be_visible()
    expect(cloud_word(projector, "curious")).to_be_visible()

    # A member on a laptop sees the guest's word and adds to it.
    laptop_context = browser.new_context(viewport=LAPTOP)
    laptop = laptop_context.new_page()
    sign_in(laptop, live, "jonas@example.org")
    laptop.goto(f"{live}/join/{code}/")
    expect(cloud_word(laptop, "curious")).to_be_visible()
    post(laptop, "curious ")
    post(laptop, "Tired")
    expect(cloud_word(phone, "curious").locator(".cloud__count")).to_have_text("2")
    expect(cloud_word(phone, "tired")).to_be_visible()

    # The laptop loses the network, posts, and comes back: the word arrives exactly once.
    laptop_context.set_offline(True)
    expect(laptop.locator("[data-live-status]")).to_have_text(
        "Offline — your changes are saved here and will be sent"
    )
    post(laptop, "Hopeful")
    expect(laptop.locator(".chip--pending")).to_contain_text("hopeful")
    assert "hopeful" in laptop.evaluate("JSON.stringify(window.sessionStorage)").lower()
    screenshot(laptop, "wordwall-offline-1280")
    expect(cloud_word(phone, "hopeful")).to_have_count(0)
    laptop_context.set_offline(False)
    expect(laptop.locator("[data-live-status]")).to_have_text("Live")
    expect(cloud_word(phone, "hopeful")).to_be_visible()
    expect(cloud_word(laptop, "hopeful").locator(".cloud__count")).to_have_text("1")
    expect(laptop.locator(".chip--pending")).to_have_count(0)
    assert WordWallEntry.objects.filter(key="hopeful").count() == 1

    # Bad input gets a sentence and the socket stays live.
    post(phone, "one two three four")
    expect(phone.get_by_role("alert")).to_have_text("One to three words, please.")
    screenshot(phone, "wordwall-participant-390")

    # The facilitator hides a word and locks the wall.
    console.locator('[data-moderation] [data-word="tired"]').get_by_role("button").click()
    expect(cloud_word(phone, "tired")).to_have_count(0)
    expect(cloud_word(projector, "tired")).to_have_count(0)
    expect(console.locator('[data-moderation] [data-word="tired"]')).to_contain_text("hidden")
    screenshot(console, "wordwall-console-1280")
    console.get_by_role("button", name="Lock the wall").click()
    expect(phone.get_by_text("The wall is locked: no new words for now.")).to_be_visible()
    expect(phone.get_by_label("Your word", exact=True)).to_be_disabled()
    console.get_by_role("button", name="2 minutes").click()
    expect(projector.locator("[data-timer]")).to_be_visible()
    expect(projector.locator("[data-timer-text]")).to_have_text(re.compile(r"^[12]:\d\d$"))
    screenshot(projector, "wordwall-projector-1920")

    for context in [host_context, projector_context, phone_context, laptop_context]:
        context.close()
