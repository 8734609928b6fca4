"""The user guides from the footer's Help link, on a laptop and a phone."""

import pytest
from playwright.sync_api import expect

from .conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport,width", [(LAPTOP, 1280), (PHONE, 390)])
def test_help_from_the_footer(live, browser, screenshot, viewport, width):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live}/join/")
    page.get_by_role("link", name="Help: user guides").click()
    expect(page.get_by_role("heading", name="JointLearn user guides", level=1)).to_be_visible()
    screenshot(page, f"help-index-{width}")
    page.get_by_role("link", name="Partner", exact=True).click()
    expect(page.get_by_role("heading", name="Guide for partners", level=1)).to_be_visible()
    picture = page.get_by_role("img", name="Recording a transfer")
    picture.scroll_into_view_if_needed()
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0")
    screenshot(page, f"help-partner-{width}")
    context.close()
