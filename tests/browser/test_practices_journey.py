"""Journey of the practice library: a partner adds a practice with a picture, a partner from
another country evaluates it, and the library filters and searches."""

import io

import pytest
from playwright.sync_api import expect

from jointlearn.models import Organisation, Role
from practices.models import Evaluation, Practice

from ..factories import PASSWORD, add_member, make_project, make_user
from .conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


def sign_in(page, live, email):
    page.goto(f"{live}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My projects")).to_be_visible()


def photo(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), (11, 95, 107))
    draw = ImageDraw.Draw(image)
    for step in range(0, 1200, 60):
        draw.ellipse((step, 300 + step % 200, step + 180, 480 + step % 200), fill=(255, 209, 102))
    path = tmp_path / "peer-group.jpg"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_partner_adds_practice_and_partner_abroad_evaluates_it(live, browser, screenshot, tmp_path):
    project = make_project(name="Empowering Migrants for Employment", slug="eme")
    tsl = project.organisations.get()
    # Straight to the table: the service would broadcast from Playwright's event loop.
    pitea = Organisation.objects.create(project=project, name="Piteå kommun", country="SE")
    aino = make_user(email="aino@example.org", display_name="Aino Virtanen")
    add_member(project, role=Role.PARTNER, organisation=tsl, user=aino)
    erik = make_user(email="erik@example.org", display_name="Erik Lindström")
    add_member(project, role=Role.PARTNER, organisation=pitea, user=erik)

    laptop = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = laptop.new_page()
    sign_in(page, live, "aino@example.org")
    page.goto(f"{live}/p/eme/")
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Practices").click()
    expect(page.get_by_role("heading", name="Good practices")).to_be_visible()
    page.get_by_role("link", name="Add a practice").first.click()
    page.get_by_label("Title").fill("Peer groups guided by working-life tutors")
    page.get_by_label("Summary").fill(
        "Job-seekers meet in small peer groups guided by a trained tutor with a migrant "
        "background and a professional counsellor."
    )
    page.get_by_label("Description").fill(
        "## How it works\n\n- Tutors are trained and paid.\n- Groups meet weekly."
    )
    page.get_by_label("Long-term unemployed").check()
    page.get_by_label("Themes", exact=True).fill("peer groups, guidance")
    page.get_by_label("Key figures").fill("Weekly groups of 6 to 10 people")
    page.get_by_label("Add pictures").set_input_files(str(photo(tmp_path)))
    page.get_by_label("What the new pictures show").fill("A peer group around a table")
    page.get_by_label("Published").check()
    screenshot(page, "practice-form-1280")
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("The practice has been saved.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Peer groups guided by working-life tutors")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Evaluate")).to_have_count(0)
    screenshot(page, "practice-detail-1280")
    practice = Practice.objects.get()
    assert practice.pictures.count() == 1

    phone_context = browser.new_context(viewport=PHONE, timezone_id="Europe/Stockholm")
    phone = phone_context.new_page()
    sign_in(phone, live, "erik@example.org")
    phone.goto(f"{live}/p/eme/practices/")
    phone.get_by_label("Search").fill("tutor")
    phone.get_by_role("button", name="Show practices").click()
    expect(phone.get_by_text("1 practice", exact=True)).to_be_visible()
    screenshot(phone, "practice-library-390")
    phone.get_by_role("link", name="Peer groups guided by working-life tutors").click()
    phone.get_by_role("link", name="Evaluate").click()
    for fieldset in phone.locator("fieldset.scale-field").all():
        fieldset.locator("label.scale__option").nth(3).click()
    phone.get_by_label("Strengths").fill("Tutors who have walked the same path.")
    phone.get_by_label("What would need to change").fill("Paid tutors need a budget line.")
    screenshot(phone, "practice-evaluate-390")
    phone.get_by_role("button", name="Save evaluation").click()
    expect(phone.get_by_text("Thank you: your evaluation has been saved.")).to_be_visible()
    expect(phone.get_by_text("1 rating, not enough to show yet").first).to_be_visible()
    screenshot(phone, "practice-detail-390")
    evaluation = Evaluation.objects.get()
    assert evaluation.country == "SE"
    assert evaluation.scores.count() == 6

    page.goto(f"{live}/p/eme/practices/")
    page.get_by_text("Filters and sorting").click()
    page.get_by_label("Country").select_option(label="Sweden")
    page.get_by_role("button", name="Show practices").click()
    expect(page.get_by_text("No practice matches these filters.")).to_be_visible()
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_text("Filters and sorting").click()
    page.get_by_label("Ratings").select_option(label="Rated")
    page.get_by_role("button", name="Show practices").click()
    expect(page.get_by_text("1 practice", exact=True)).to_be_visible()
    screenshot(page, "practice-library-1280")
    laptop.close()
    phone_context.close()
