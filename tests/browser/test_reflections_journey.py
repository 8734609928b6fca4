"""A reflection round and a quick poll run live: a facilitator's console, a projector, and
participants on phones and a laptop at the same time."""

import re

import pytest
from playwright.sync_api import expect

from jointlearn.models import Role
from reflections.models import Answer, Vote

from ..factories import add_member, make_organisation, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}


def join_as_guest(browser, live, code, name):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live}/join/{code}/")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("[data-live-status]")).to_have_text("Live")
    return context, page


def speaker_names(console):
    return console.locator("[data-speakers] .speaker__name").all_inner_texts()


def test_reflection_round_and_poll_live(live, browser, screenshot):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)
    piteå = make_organisation(project, name="Piteå kommun", country="SE")
    member = make_user(email="erik@example.org", display_name="Erik Lindström")
    add_member(project, user=member, role=Role.PARTICIPANT, organisation=piteå)

    host_context = browser.new_context(viewport=LAPTOP)
    console = host_context.new_page()
    sign_in(console, live, "fatima@example.org")
    console.goto(f"{live}/p/eme/live/")
    console.get_by_role("link", name="Open a reflection round").click()
    expect(console.get_by_label("Prompts")).to_have_value(
        "What did you gain from this seminar?\nWhat was the best way for you to learn?"
    )
    console.get_by_label("Title").fill("Closing round in Tampere")
    console.get_by_role("button", name="Open the round").click()
    expect(console.get_by_text("Facilitator's console")).to_be_visible()
    expect(console.locator("[data-live-status]")).to_have_text("Live")
    code = console.locator(".code--large").inner_text().strip()

    projector_context = browser.new_context(viewport=PROJECTOR)
    projector = projector_context.new_page()
    sign_in(projector, live, "fatima@example.org")
    projector.goto(
        live + console.get_by_role("link", name="Open the projector view").get_attribute("href")
    )
    expect(projector.locator("[data-live-status]")).to_have_text("Live")

    # Two guests on phones and a member on a laptop say they are here.
    amina_context, amina = join_as_guest(browser, live, code, "Amina")
    amina.get_by_label("Your country").select_option("BE")
    screenshot(amina, "reflection-here-390")
    amina.get_by_role("button", name="I'm here").click()
    expect(amina.get_by_text("You are on the list. Thank you!")).to_be_visible()
    pekka_context, pekka = join_as_guest(browser, live, code, "Pekka")
    pekka.get_by_label("Your country").select_option("FI")
    pekka.get_by_role("button", name="I'm here").click()
    laptop_context = browser.new_context(viewport=LAPTOP)
    laptop = laptop_context.new_page()
    sign_in(laptop, live, "erik@example.org")
    laptop.goto(f"{live}/join/{code}/")
    laptop.get_by_role("button", name="I'm here").click()
    expect(console.locator("[data-speakers] .speaker")).to_have_count(3)

    # A speaking order mixed across countries, changed by keyboard and by dragging.
    console.once("dialog", lambda dialog: dialog.accept())
    version = console.locator("[data-reflect]").get_attribute("data-version")
    console.get_by_role("button", name="Mix a new order").click()
    # The new order is drawn when its event arrives (the page keeps the version it drew).
    expect(console.locator("[data-reflect]")).not_to_have_attribute("data-version", version)
    before = speaker_names(console)
    later = console.locator("[data-speakers] .speaker").first.get_by_role(
        "button", name=re.compile("^Later")
    )
    later.focus()
    console.keyboard.press("Enter")
    expect(console.locator("[data-speakers] .speaker__name").nth(1)).to_have_text(before[0])
    expect(console.locator("[data-order-announce]")).to_have_text(f"{before[0]} is now number 2.")
    after_keys = speaker_names(console)
    # Dragging by mouse: the target is hovered twice so that Chromium fires dragover.
    console.locator("[data-speakers] .speaker__name").nth(2).hover()
    console.mouse.down()
    console.locator("[data-speakers] .speaker__name").nth(0).hover()
    console.locator("[data-speakers] .speaker__name").nth(0).hover(position={"x": 5, "y": 5})
    console.mouse.up()
    expect(console.locator("[data-speakers] .speaker__name").first).to_have_text(after_keys[2])

    # The first speaker's turn: the timer runs everywhere.
    console.get_by_role("button", name="Next speaker").click()
    first = speaker_names(console)[0]
    expect(amina.locator("[data-current-speaker]")).to_have_text(f"Now speaking: {first}")
    expect(projector.locator("[data-current-speaker]")).to_have_text(f"Now speaking: {first}")
    expect(projector.locator("[data-timer-text]")).to_have_text(re.compile(r"^[12]:\d\d$"))

    # Answers typed on phones appear on the projector's wall and in the chart.
    amina.get_by_label("What was the best way for you to learn?").check()
    amina.get_by_label("Answer", exact=True).fill("Talking with the Finnish tutors at the café.")
    amina.get_by_label("Learning café").check()
    amina.get_by_label("Peer discussion").check()
    amina.get_by_role("button", name="Send my answer").click()
    expect(projector.get_by_text("Talking with the Finnish tutors at the café.")).to_be_visible()
    expect(
        projector.locator("[data-bars-body] tr", has_text="Learning café").locator(
            ".live-bars__count"
        )
    ).to_have_text("1")
    pekka.get_by_label("Answer", exact=True).fill("How Piteå finds work trials with employers.")
    pekka.get_by_label("Study visit").check()
    pekka.get_by_role("button", name="Send my answer").click()
    expect(console.get_by_text("How Piteå finds work trials with employers.")).to_be_visible()
    pekka.get_by_role("button", name="Send my answer").click()
    expect(pekka.get_by_role("alert").first).to_have_text("Write your answer first.")

    # The facilitator writes down what the speaker says.
    console.get_by_label("Answer", exact=True).fill("The study visit showed skills, not papers.")
    console.locator("#capture-format-study_visit").check()
    console.get_by_role("button", name="Save the answer").click()
    expect(amina.get_by_text("The study visit showed skills, not papers.")).to_be_visible()
    expect(
        projector.locator("[data-bars-body] tr", has_text="Study visit").locator(
            ".live-bars__count"
        )
    ).to_have_text("2")
    assert Answer.objects.filter(captured=True).get().author_name == first
    screenshot(amina, "reflection-participant-390")
    screenshot(laptop, "reflection-participant-1280")
    screenshot(console, "reflection-console-1280")
    screenshot(projector, "reflection-projector-1920")

    # A quick poll, opened from the console's list.
    console.goto(f"{live}/p/eme/live/")
    console.get_by_role("link", name="Open a quick poll").click()
    console.get_by_label("Question").fill("Which format helped you most?")
    console.get_by_label("Answers").select_option("single")
    console.get_by_label("Choices").fill("Study visits\nLearning café\nPitches")
    console.get_by_role("button", name="Open the poll").click()
    expect(console.locator("[data-live-status]")).to_have_text("Live")
    poll_code = console.locator(".code--large").inner_text().strip()
    projector.goto(
        live + console.get_by_role("link", name="Open the projector view").get_attribute("href")
    )
    amina.goto(f"{live}/join/{poll_code}/")
    expect(amina.locator("[data-live-status]")).to_have_text("Live")
    amina.get_by_label("Learning café").check()
    amina.get_by_role("button", name="Vote").click()
    expect(amina.get_by_text("Your vote is saved.")).to_be_visible()
    laptop.goto(f"{live}/join/{poll_code}/")
    laptop.get_by_label("Study visits").check()
    laptop.get_by_role("button", name="Vote").click()
    row = projector.locator("[data-bars-body] tr", has_text="Learning café")
    expect(row.locator(".live-bars__count")).to_have_text("1")
    expect(projector.locator("[data-voters]")).to_have_text("2 people have voted.")
    # Amina changes her mind; the count moves.
    amina.get_by_label("Study visits").check()
    amina.get_by_role("button", name="Vote").click()
    expect(
        projector.locator("[data-bars-body] tr", has_text="Study visits").locator(
            ".live-bars__count"
        )
    ).to_have_text("2")
    expect(row.locator(".live-bars__count")).to_have_text("0")
    screenshot(amina, "poll-participant-390")
    screenshot(projector, "poll-projector-1920")
    # Closing: votes are refused with a sentence, the results stay.
    console.get_by_role("button", name="Close", exact=True).click()
    expect(amina.get_by_text("The poll is closed: votes are no longer taken.")).to_be_visible()
    expect(amina.get_by_role("button", name="Vote")).to_be_disabled()
    expect(projector.locator("[data-voters]")).to_have_text("2 people have voted.")
    assert Vote.objects.count() == 2
    screenshot(console, "poll-console-1280")

    for context in [host_context, projector_context, amina_context, pekka_context, laptop_context]:
        context.close()


def test_cross_country_pairing_live(live, browser, screenshot):
    from meetings.models import Icebreaker

    Icebreaker.objects.create(
        name="Speed pairs",
        instructions="Tell your partner one thing that surprised you at this seminar.",
        duration=10,
        purpose=Icebreaker.Purpose.MIXING,
    )
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)

    host_context = browser.new_context(viewport=LAPTOP)
    console = host_context.new_page()
    sign_in(console, live, "fatima@example.org")
    console.goto(f"{live}/p/eme/live/")
    console.get_by_role("link", name="Open a cross-country pairing").click()
    console.get_by_role("button", name="Open the pairing").click()
    expect(console.locator("[data-live-status]")).to_have_text("Live")
    code = console.locator(".code--large").inner_text().strip()
    expect(console.locator("[data-prompt-name]").first).to_have_text("Speed pairs")

    phones = []
    for name, country in [("Amina", "BE"), ("Pekka", "FI"), ("Sara", "SE")]:
        context, page = join_as_guest(browser, live, code, name)
        page.get_by_label("Your country").select_option(country)
        page.get_by_role("button", name="I'm here").click()
        expect(page.get_by_text("You are on the list. Thank you!")).to_be_visible()
        phones.append((context, page))
        if len(phones) == 1:
            console.get_by_role("button", name="Make pairs").click()
            expect(console.get_by_role("alert")).to_contain_text("Only one person is here")
    expect(console.locator("[data-people-count]")).to_have_text("3")
    console.get_by_role("button", name="Make pairs").click()
    expect(console.locator("[data-groups] .pair-group")).to_have_count(1)
    expect(console.get_by_role("alert")).to_have_text("")
    amina = phones[0][1]
    expect(amina.locator("[data-my-group]")).to_contain_text("Pekka")
    expect(amina.locator("[data-my-group]")).to_contain_text("Sara")
    expect(amina.get_by_text("Tell your partner one thing")).to_be_visible()
    context, page = join_as_guest(browser, live, code, "Jonas")
    page.get_by_label("Your country").select_option("BE")
    page.get_by_role("button", name="I'm here").click()
    phones.append((context, page))
    console.get_by_role("button", name="Re-pair with new partners").click()
    expect(console.locator("[data-groups] .pair-group")).to_have_count(2)
    expect(page.locator("[data-my-group] li")).to_have_count(1)
    expect(page.locator("[data-my-group]")).not_to_contain_text("Amina")
    screenshot(page, "pairing-participant-390")
    screenshot(console, "pairing-console-1280")
    for context, _page in phones:
        context.close()
    host_context.close()
