import pytest
from django.utils import translation

from jointlearn.markdown import render_markdown


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        ("[x](javascript:alert(1))", '<p><a rel="noopener noreferrer nofollow">x</a></p>'),
        ("[x](data:text/html;base64,xx)", '<p><a rel="noopener noreferrer nofollow">x</a></p>'),
        (
            "[a][1]\n\n[1]: javascript:alert(1)",
            '<p><a rel="noopener noreferrer nofollow">a</a></p>',
        ),
        (
            "[ok](https://example.org)",
            '<p><a href="https://example.org" rel="noopener noreferrer nofollow">ok</a></p>',
        ),
        (
            "[mail](mailto:eme@example.org)",
            '<p><a href="mailto:eme@example.org" rel="noopener noreferrer nofollow">mail</a></p>',
        ),
        ("# Title\n\n## Part", "<h2>Title</h2>\n<h3>Part</h3>"),
        ("**53%** employed", "<p><strong>53%</strong> employed</p>"),
        ("", ""),
        (None, ""),
    ],
)
def test_render_markdown(text, html):
    assert render_markdown(text) == html


def test_tables_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html
    assert "<td>2</td>" in html


def test_a_table_scrolls_in_a_keyboard_region_named_after_its_columns():
    table = "| Field | **What to write** |\n|---|---|\n| Title | short |\n\n"
    html = render_markdown(table * 2 + "| Other |\n|---|\n| x |")
    assert html.count('<div aria-label="Table: Field, What to write') == 2
    assert 'aria-label="Table: Field, What to write (2)"' in html  # one name a region
    assert 'aria-label="Table: Other" class="table-scroll" role="region" tabindex="0"' in html
    assert html.count("</table>\n</div>") == 3


def test_a_region_is_named_in_the_readers_language():
    with translation.override("fr"):
        html = render_markdown("| a |\n|---|\n| 1 |")
    assert 'aria-label="Tableau : a"' in html


def test_typed_html_cannot_make_a_region():
    html = render_markdown('<div class="table-scroll" tabindex="0">x</div>')
    assert html == '<p>&lt;div class="table-scroll" tabindex="0"&gt;x&lt;/div&gt;</p>'
