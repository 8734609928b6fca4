"""The participant's journey without a mouse: a guest joins from the QR link on a
phone-sized page, checks in to a café, posts a note and corrects it, says they are here in
the closing reflection round, answers it and opens its shared results, all with Tab,
typing, Space and Enter. Every control on the way must be reachable with Tab and show where
the focus is."""

import re

import pytest
from playwright.sync_api import expect

from jointlearn.models import Role
from learningcafe.models import Note
from learningcafe.services import create_cafe
from reflections.models import Answer
from reflections.rounds import create_round

from ..factories import add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser

FOCUS_SHOWN = """element => {
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""


def tab_to(page, target, *, limit=80):
    """Press Tab until `target` has the focus; it must show a focus indicator."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            assert target.evaluate(FOCUS_SHOWN), f"no visible focus on {target}"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def test_participant_journey_by_keyboard_only(live, browser, screenshot):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    facilitator = make_user(email="fatima@example.org", display_name="Fatima Facilitator")
    add_member(project, user=facilitator, role=Role.FACILITATOR)
    cafe = create_cafe(
        project=project,
        created_by=facilitator,
        title="Learning café in Tampere",
        rounds=2,
        tables=[
            {"theme": "Peer tutoring", "question": "What makes a peer group work?"},
            {"theme": "Employers", "question": "What do employers need to know?"},
        ],
    )
    reflection = create_round(project=project, created_by=facilitator, title="Closing round")

    console_context = browser.new_context(viewport=LAPTOP)
    console = console_context.new_page()
    sign_in(console, live, "fatima@example.org")
    console.goto(f"{live}/p/eme/live/{cafe.pk}/console/")
    expect(console.locator("[data-live-status]")).to_have_text("Live")

    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.goto(f"{live}/join/{cafe.join_code.code}/")
    tab_to(phone, phone.get_by_label("Your name"))
    phone.keyboard.type("Amina")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="Join the café")).to_be_visible()
    tab_to(phone, phone.get_by_label("Your organisation"))
    phone.keyboard.type("Ohjaamo Tampere")
    tab_to(phone, phone.get_by_label("Your country"))
    phone.keyboard.type("Finland")
    expect(phone.get_by_label("Your country")).to_have_value("FI")
    tab_to(phone, phone.get_by_role("button", name="Check in"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="You are checked in.")).to_be_visible()
    screenshot(phone, "keyboard-cafe-checked-in-390")

    console.get_by_role("button", name="Start the café").click()
    expect(phone.locator("[data-my-table] [data-table-number]")).to_have_text(
        re.compile(r"Table [12]")
    )
    tab_to(phone, phone.get_by_label("Your note"))
    phone.keyboard.type("A tutor who came the same way is believed.")
    tab_to(phone, phone.get_by_role("button", name="Post the note"))
    phone.keyboard.press("Enter")
    expect(console.locator("[data-notes] .note__text")).to_have_text(
        ["A tutor who came the same way is believed."]
    )
    # Editing one's own note: the button opens the browser's own text prompt.
    edit = phone.locator("[data-notes] .note").get_by_role("button", name=re.compile("^Edit"))
    tab_to(phone, edit)
    phone.once("dialog", lambda dialog: dialog.accept("A tutor who came the same way is trusted."))
    phone.keyboard.press("Enter")
    expect(console.locator("[data-notes] .note__text")).to_have_text(
        ["A tutor who came the same way is trusted."]
    )
    screenshot(phone, "keyboard-cafe-note-390")
    assert Note.objects.get().text == "A tutor who came the same way is trusted."

    # The closing round: its QR link, "I'm here", then an answer with two formats.
    phone.goto(f"{live}/join/{reflection.join_code.code}/")
    expect(phone.locator("[data-live-status]")).to_have_text("Live")
    tab_to(phone, phone.get_by_role("button", name="I'm here"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("You are on the list. Thank you!")).to_be_visible()
    prompt = phone.get_by_label("What was the best way for you to learn?")
    tab_to(phone, phone.get_by_label("What did you gain from this seminar?"))
    phone.keyboard.press("ArrowDown")
    expect(prompt).to_be_checked()
    tab_to(phone, phone.get_by_label("Answer", exact=True))
    phone.keyboard.type("Talking with the Finnish tutors at the café.")
    for format_name in ("Learning café", "Peer discussion"):
        tab_to(phone, phone.get_by_label(format_name))
        phone.keyboard.press("Space")
    tab_to(phone, phone.get_by_role("button", name="Send my answer"))
    phone.keyboard.press("Enter")
    sent = phone.get_by_role("region", name="Sent")
    expect(sent.get_by_text("Talking with the Finnish tutors at the café.")).to_be_visible()
    screenshot(phone, "keyboard-reflection-390")
    answer = Answer.objects.get()
    assert answer.prompt == 1  # the second prompt, counted from 0
    assert sorted(answer.formats) == ["learning_cafe", "peer_discussion"]

    # The facilitator shares the round's results; the guest opens them from the round's page.
    console.goto(f"{live}/p/eme/live/{reflection.pk}/console/")
    console.get_by_role("button", name="Share the results").click()
    expect(console.get_by_text("Shared with the participants.")).to_be_visible()
    phone.reload()
    tab_to(phone, phone.get_by_role("link", name="The results of this activity are shared"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="Closing round", level=1)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("Talking with the Finnish tutors at the café.")
    expect(phone.locator("main")).not_to_contain_text("Amina")
    screenshot(phone, "keyboard-shared-results-390")
    console_context.close()
    context.close()
