"""The axe-core check that every journey's screenshots go through finds real problems."""

import pytest

from .conftest import LAPTOP

BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad</title></head><body><main>
<h1>Bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Text too light to read.</p>
<input type="text" name="untitled">
</main></body></html>"""
# Two regions with one name, and no level-one heading: moderate findings, failing too.
UNCLEAR_PAGE = """<!doctype html><html lang="en"><head><title>Unclear</title></head><body><main>
<section aria-label="Results"><h2>Results</h2></section>
<section aria-label="Results"><h2>More</h2></section>
</main></body></html>"""


@pytest.mark.parametrize(
    ("html", "name", "rules"),
    [
        (BAD_PAGE, "axe-self-check", ("image-alt", "color-contrast", "label")),
        (UNCLEAR_PAGE, "axe-self-check-moderate", ("landmark-unique", "page-has-heading-one")),
    ],
    ids=["serious", "moderate"],
)
def test_the_check_fails_a_page_with_problems(browser, screenshot, html, name, rules):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_content(html)
    with pytest.raises(AssertionError) as failure:
        screenshot(page, name)
    message = str(failure.value)
    for rule in rules:
        assert rule in message
    context.close()


def test_the_check_passes_a_sound_page(browser, screenshot):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Sound</title></head><body><main>'
        '<h1>Sound page</h1><label for="name">Name</label><input id="name"></main></body></html>'
    )
    screenshot(page, "axe-self-check-sound")
    context.close()
