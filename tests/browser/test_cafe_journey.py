"""A three-round learning café in several browsers at once: a facilitator's console, a
projector and four phones on two tables."""

import re

import pytest
from playwright.sync_api import expect

from jointlearn.models import Role
from learningcafe import services
from learningcafe.models import Cafe, CafeTable, Note

from ..factories import add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}
GUESTS = [("Amina", "FI"), ("Bram", "BE"), ("Cecilia", "SE"), ("Dawit", "FI")]


def my_table(phone):
    return phone.locator("[data-my-table] [data-table-number]")


def test_three_round_cafe_with_four_phones_and_a_projector(live, browser, screenshot):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)

    console_context = browser.new_context(viewport=LAPTOP)
    console = console_context.new_page()
    sign_in(console, live, "fatima@example.org")
    console.goto(f"{live}/p/eme/live/")
    console.get_by_role("link", name="Set up a learning café").click()
    console.get_by_label("Name of the café").fill("Learning café in Tampere")
    console.get_by_label("Minutes per round").fill("15")
    console.get_by_label("People per table at most").fill("4")
    rows = console.locator(".table-row")
    rows.nth(0).get_by_label("Theme").fill("Peer tutoring")
    rows.nth(0).get_by_label("Question for the table").fill("What makes a peer group work?")
    rows.nth(1).get_by_label("Theme").fill("The employer's perspective")
    rows.nth(1).get_by_label("Question for the table").fill("What do employers need to know?")
    screenshot(console, "cafe-set-up-1280")
    console.get_by_role("button", name="Set up the café").click()
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

    phones = []
    for name, country in GUESTS:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone.goto(f"{live}/join/{code}/")
        phone.get_by_label("Your name").fill(name)
        phone.get_by_role("button", name="Join").click()
        expect(phone.get_by_role("heading", name="Join the café")).to_be_visible()
        expect(phone.locator("[data-live-status]")).to_have_text("Live")
        phone.get_by_label("Your organisation").fill(f"Partner in {country}")
        phone.get_by_label("Your country").select_option(country)
        phone.get_by_role("button", name="Check in").click()
        expect(phone.get_by_role("heading", name="You are checked in.")).to_be_visible()
        phones.append(phone)
    expect(console.locator("[data-present]")).to_have_text("4 people checked in")

    # Round 1: everyone gets a table with its theme, question and tablemates.
    console.get_by_role("button", name="Start the café").click()
    for phone in phones:
        expect(my_table(phone)).to_have_text(re.compile(r"Table [12]"))
        expect(phone.locator("[data-table-people] .person")).to_have_count(2)
        expect(phone.locator("[data-timer]")).to_be_visible()
    expect(projector.locator("[data-round]")).to_have_text("Round 1 of 3")
    expect(projector.locator(".table-card__count")).to_have_text(["2 people", "2 people"])

    first = phones[0]
    table_one = my_table(first).inner_text()
    mate = next(p for p in phones[1:] if my_table(p).inner_text() == table_one)
    first.get_by_label("Your note").fill("A tutor who came the same way is believed.")
    first.get_by_role("button", name="Post the note").click()
    expect(mate.locator("[data-notes] .note__text")).to_have_text(
        ["A tutor who came the same way is believed."]
    )
    mate.locator("[data-notes] .note").get_by_role("button", name=re.compile("^Vote")).click()
    expect(first.locator("[data-notes] .note__meta")).to_contain_text("1 vote")
    mate.get_by_label("Your note").fill("Meet where people already are.")
    mate.get_by_role("button", name="Post the note").click()
    expect(console.locator("[data-notes] .note__text")).to_have_text(
        ["Meet where people already are.", "A tutor who came the same way is believed."]
    )
    screenshot(first, "cafe-participant-390")
    screenshot(console, "cafe-console-1280")
    screenshot(projector, "cafe-projector-1920")

    # A long round filled the first table: a phone holds the most voted of what earlier
    # rounds left (services.EARLIER_NOTES) and says how many there are.
    cafe = Cafe.objects.get()
    table = CafeTable.objects.get(cafe=cafe, number=int(table_one.split()[-1]))
    Note.objects.bulk_create(
        Note(cafe=cafe, table=table, round_index=0, author_name="Anna", text=f"Idea {n}")
        for n in range(services.EARLIER_NOTES - 1)
    )

    # The round ends: everyone sees where to go, on the phone and from afar.
    console.get_by_role("button", name="End the round now").click()
    for phone in phones:
        expect(phone.locator(".move-to__table")).to_have_text(re.compile(r"Table [12]"))
    expect(projector.locator(".move-banner").first).to_be_visible()
    screenshot(first, "cafe-move-390")
    screenshot(projector, "cafe-projector-move")

    # Round 2: a second press of "next round" would be stale; the café rotates once.
    console.get_by_role("button", name="Next round: everyone moves").click()
    expect(console.locator("[data-round]")).to_have_text("Round 2 of 3")
    for phone in phones:
        expect(phone.locator("[data-round]")).to_have_text("Round 2 of 3")
        expect(my_table(phone)).to_have_text(re.compile(r"Table [12]"))
    # Whoever sits at the first table now finds what round 1 left there.
    newcomer = next(p for p in phones if my_table(p).inner_text() == table_one)
    earlier = newcomer.locator("[data-earlier] .note__text")
    expect(earlier).to_have_count(services.EARLIER_NOTES)
    expect(earlier.first).to_have_text("A tutor who came the same way is believed.")
    expect(earlier.filter(has_text="Meet where people already are.")).to_have_count(0)
    total = services.EARLIER_NOTES + 1
    expect(newcomer.locator("[data-earlier-shown]")).to_have_text(
        f"The {services.EARLIER_NOTES} most voted of {total} notes from earlier rounds."
    )
    screenshot(newcomer, "cafe-phone-round-2")

    console.get_by_role("button", name="Next round: everyone moves").click()
    expect(console.locator("[data-round]")).to_have_text("Round 3 of 3")
    expect(console.get_by_role("button", name="Next round: everyone moves")).to_be_hidden()
    phones[1].get_by_label("Your note").fill("Employers want one contact person.")
    phones[1].get_by_role("button", name="Post the note").click()
    expect(console.locator("[data-notes] .note__text").first).to_have_text(
        "Employers want one contact person."
    )
    # The console shows how good the plan is: nobody got a theme twice.
    plan_card = console.locator("section", has=console.get_by_role("heading", name="Seating plan"))
    expect(plan_card.locator('[data-quality-figure="theme_repeats"]')).to_have_text("0")
    expect(plan_card.locator('[data-quality-figure="mean_distinct_met"]')).to_have_text(
        re.compile(r"^\d+(\.\d)?$")
    )
    expect(plan_card.locator('[data-quality-figure="mean_largest_country_share"]')).to_have_text(
        re.compile(r"^\d+%$")
    )
    screenshot(console, "cafe-console-round-3")

    # Dawit has to go: he leaves, is told so, and comes back to a seat in this round.
    dawit = phones[3]
    dawit.once("dialog", lambda dialog: dialog.accept())
    dawit.get_by_role("button", name="Leave the café").click()
    expect(dawit.get_by_role("status").filter(has_text="no longer checked in")).to_be_visible()
    expect(dawit.get_by_role("heading", name="Join the café")).to_be_visible()
    expect(console.locator("[data-present]")).to_have_text("3 people checked in")
    dawit.get_by_role("button", name="Check in").click()
    expect(my_table(dawit)).to_have_text(re.compile(r"Table [12]"))
    expect(console.locator("[data-present]")).to_have_text("4 people checked in")
    # Cecilia went without a word: the facilitator takes her out, and her phone says so.
    cecilia = phones[2]
    console.get_by_label("Take out of the café").select_option(label="Cecilia")
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="Take out", exact=True).click()
    expect(console.locator("[data-present]")).to_have_text("3 people checked in")
    expect(cecilia.get_by_role("heading", name="Join the café")).to_be_visible()
    expect(cecilia.locator("[data-my-table]")).to_be_hidden()

    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="End the café").click()
    for phone in [*phones[:2], dawit]:
        expect(phone.get_by_role("heading", name="The café has ended. Thank you!")).to_be_visible()
    cafe = Cafe.objects.get()
    assert cafe.phase == Cafe.Phase.FINISHED and cafe.current_round == 2
    assert Note.objects.count() == services.EARLIER_NOTES + 2

    console.goto(f"{live}/p/eme/cafe/{cafe.activity_id}/harvest/")
    expect(console.get_by_text("Employers want one contact person.")).to_be_visible()
    screenshot(console, "cafe-harvest-1280")
    for context in [console_context, projector_context, *[p.context for p in phones]]:
        context.close()
