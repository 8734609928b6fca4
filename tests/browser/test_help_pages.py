"""The user guides from the footer's Help link, on a laptop and a phone."""

import pytest
from playwright.sync_api import expect

from jointlearn import guides

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
    loaded(page, picture)
    screenshot(page, f"help-partner-{width}")
    context.close()


def test_help_in_the_readers_language_on_a_phone(live, browser, screenshot):
    context = browser.new_context(viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    page.goto(f"{live}/join/")
    page.get_by_role("link", name="Ohjeet: käyttöoppaat").click()
    expect(page.get_by_role("heading", name="JointLearnin käyttöoppaat", level=1)).to_be_visible()
    page.get_by_role("link", name="Kumppani", exact=True).click()
    heading = page.get_by_role("heading", name="Opas kumppaneille", level=1)
    expect(heading).to_have_attribute("lang", "fi")
    picture = page.locator('img[src$="/partner-transfer-390.png"]')
    picture.scroll_into_view_if_needed()
    loaded(page, picture)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "help-partner-fi-390")
    # The module guides are in Finnish too, reached from the index.
    page.get_by_role("link", name="Kaikki oppaat").click()
    page.locator(".guide__body a[href='/help/practices/']").click()
    expect(page.locator(".guide__body")).to_have_attribute("lang", "fi")
    expect(page.locator(".message")).to_have_count(0)
    screenshot(page, "help-practices-fi-390")
    context.close()


@pytest.mark.parametrize("language", ["en", *guides.GUIDE_LANGUAGES])
def test_every_guide_fits_a_phone(live, browser, language):
    """Wide tables, code blocks, long paths and long Finnish words wrap: no guide scrolls
    sideways at 390 px, in any language."""
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": "django_language", "value": language, "url": live}])
    page = context.new_page()
    for slug in guides.pages(language):
        page.goto(f"{live}/help/{slug}/" if slug else f"{live}/help/")
        expect(page.locator(".guide__body")).to_have_attribute("lang", language)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{language}: /help/{slug}/ is {width} px wide"
    context.close()


def loaded(page, picture):
    """The picture arrives and decodes (a scrolled-to picture may still be on its way)."""
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=picture.element_handle()
    )
