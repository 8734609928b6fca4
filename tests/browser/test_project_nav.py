"""The project's sections: a row of links on a laptop, a menu under the project's name on a
phone, opened and closed by pointer or keyboard."""

import pytest
from playwright.sync_api import expect

from jointlearn.models import Role

from ..factories import add_member, make_project, make_user
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator():
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    person = make_user(email="aino@example.org", display_name="Aino Virtanen")
    add_member(project, user=person, role=Role.COORDINATOR)
    return person


def test_on_a_phone_the_sections_fold_into_a_menu(live, browser, coordinator, screenshot):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live, "aino@example.org")
    page.goto(f"{live}/p/eme/meetings/")
    nav = page.get_by_role("navigation", name="Project")
    toggle = nav.get_by_role("button", name="Menu · Meetings")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Practices")).to_be_hidden()
    # No sideways scrolling: the bar fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The project's name and the menu share one line.
    name_box = nav.get_by_role("link", name="Empowering Migrants for Employment").bounding_box()
    toggle_box = toggle.bounding_box()
    assert (
        abs(name_box["y"] + name_box["height"] / 2 - toggle_box["y"] - toggle_box["height"] / 2) < 4
    )
    screenshot(page, "project-nav-closed-390")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for name in ("Overview", "Practices", "Live", "Members", "Join codes"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    screenshot(page, "project-nav-open-390")

    # By keyboard: Escape closes the menu and gives focus back to its button.
    nav.get_by_role("link", name="Overview").focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Overview")).to_be_focused()
    nav.get_by_role("link", name="Practices").click()
    expect(page).to_have_url(f"{live}/p/eme/practices/")
    expect(nav.get_by_role("button", name="Menu · Practices")).to_be_visible()
    context.close()


def test_on_a_laptop_the_sections_stay_in_a_row(live, browser, coordinator):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, live, "aino@example.org")
    page.goto(f"{live}/p/eme/")
    nav = page.get_by_role("navigation", name="Project")
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    expect(nav.get_by_role("link", name="Join codes")).to_be_visible()
    context.close()
