"""One journey per role, each from an almost empty database: what is set up first is said
at the top of each test. The participant's journey by keyboard only is
test_keyboard_journey.py."""

import pytest
from playwright.sync_api import expect

from jointlearn.models import Invitation, Organisation, Role
from jointlearn.services import invite_member
from practices.models import Evaluation, Practice, Transfer

from ..factories import PASSWORD, add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_practices_journey import photo

pytestmark = pytest.mark.browser


def evaluate(page, title, *, strengths, changes):
    page.goto(page.url.split("/p/")[0] + "/p/eme/practices/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Evaluate").click()
    for fieldset in page.locator("fieldset.scale-field").all():
        fieldset.locator("label.scale__option").nth(3).click()
    page.get_by_label("Strengths").fill(strengths)
    page.get_by_label("What would need to change").fill(changes)
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_text("Thank you: your evaluation has been saved.")).to_be_visible()


def test_partner_journey(live, browser, screenshot, tmp_path):
    """Set up first: a project with a Finnish coordinator, partners in Sweden and Germany
    who published one practice each, and an invitation for Lotte of EVA bxl in Belgium."""
    project = make_project(name="Empowering Migrants for Employment", slug="eme")
    coordinator = project.memberships.get().user
    # Straight to the tables: the services would broadcast from Playwright's event loop.
    eva = Organisation.objects.create(project=project, name="EVA bxl", country="BE")
    for name, country, title in [
        ("Piteå kommun", "SE", "Language mentors at the workplace"),
        ("Evonik", "DE", "Start into a Job"),
    ]:
        organisation = Organisation.objects.create(project=project, name=name, country=country)
        author = make_user()
        add_member(project, organisation=organisation, user=author)
        Practice.objects.create(
            project=project,
            organisation=organisation,
            title=title,
            summary=f"{title}: a practice of {name}.",
            status=Practice.Status.PUBLISHED,
            created_by=author,
            updated_by=author,
        )
    links = []
    invite_member(
        project=project,
        email="lotte@example.org",
        role=Role.PARTNER,
        organisation=eva,
        invited_by=coordinator,
        build_accept_url=lambda token: links.append(f"{live}/invitations/{token}/") or links[-1],
    )

    # Lotte accepts the invitation on her laptop.
    context = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Brussels")
    page = context.new_page()
    page.goto(links[0])
    page.get_by_label("Your name").fill("Lotte Peeters")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_text("Welcome to Empowering Migrants for Employment.")).to_be_visible()
    assert Invitation.objects.get().accepted_at is not None

    # She submits her organisation's practice with a picture.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Practices").click()
    page.get_by_role("link", name="Add a practice").first.click()
    page.get_by_label("Title").fill("Culturally sensitive care ambassadors")
    page.get_by_label("Summary").fill(
        "Migrant women with informal care experience train as care ambassadors."
    )
    page.get_by_label("Themes", exact=True).fill("care, validation")
    page.get_by_label("Add pictures").set_input_files(str(photo(tmp_path)))
    page.get_by_label("What the new pictures show").fill("Ambassadors in training")
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("The practice has been saved.")).to_be_visible()
    screenshot(page, "partner-practice-1280")
    own = Practice.objects.get(organisation=eva)
    assert own.pictures.count() == 1 and own.created_by.email == "lotte@example.org"

    # She evaluates the Swedish and the German practice; her own has no Evaluate button.
    expect(page.get_by_role("link", name="Evaluate")).to_have_count(0)
    evaluate(
        page,
        "Language mentors at the workplace",
        strengths="Mentors are colleagues, not teachers.",
        changes="Belgian employers would need a subsidy for the mentor's time.",
    )
    evaluate(
        page,
        "Start into a Job",
        strengths="A real job contract from the first day.",
        changes="Works with large employers; Brussels has mostly small ones.",
    )
    screenshot(page, "partner-evaluated-1280")
    assert set(Evaluation.objects.values_list("practice__organisation__country", flat=True)) == {
        "SE",
        "DE",
    }
    assert set(Evaluation.objects.values_list("country", flat=True)) == {"BE"}

    # On her phone, she records that EVA applied the Swedish mentors.
    phone_context = browser.new_context(viewport=PHONE, timezone_id="Europe/Brussels")
    phone = phone_context.new_page()
    phone.goto(f"{live}/accounts/login/")
    phone.get_by_label("Email address").fill("lotte@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.goto(f"{live}/p/eme/practices/")
    phone.get_by_role("link", name="Language mentors at the workplace").click()
    phone.get_by_role("link", name="We applied this").click()
    phone.get_by_label("What did you adapt?").fill(
        "Mentors from our own volunteers, in French and Dutch."
    )
    phone.get_by_label("When did you start?").fill("2019-09-01")
    phone.get_by_label("Outcome so far").fill("Twelve mentor pairs in the first year.")
    screenshot(phone, "partner-transfer-390")
    phone.get_by_role("button", name="Record transfer").click()
    expect(phone.get_by_text("Twelve mentor pairs in the first year.")).to_be_visible()
    screenshot(phone, "partner-transfer-recorded-390")
    transfer = Transfer.objects.get()
    assert (transfer.organisation, transfer.practice.title) == (
        eva,
        "Language mentors at the workplace",
    )
    context.close()
    phone_context.close()
