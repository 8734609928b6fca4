import pytest

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
