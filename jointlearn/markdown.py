"""The one place that turns Markdown written by people into HTML that is safe to show."""

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


class DemoteHeadings(Treeprocessor):
    """The page owns <h1>: a "# Title" in a description becomes <h2>, and so on."""

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5"}:
                element.tag = f"h{int(element.tag[1]) + 1}"


class SafeMarkdown(markdown.Extension):
    """Raw HTML is shown as typed, never passed through, and headings are demoted."""

    def __init__(self, *, demote=True):
        super().__init__()
        self.demote = demote

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        if self.demote:
            md.treeprocessors.register(DemoteHeadings(md), "demote_headings", 0)


def render_markdown(text, *, guide=False):
    """`guide` is for our own user guides (never text people typed): pictures pass, and
    headings stay as written, the page's title having been taken out."""
    if not text:
        return ""
    html = markdown.markdown(
        text,
        extensions=[SafeMarkdown(demote=not guide), "fenced_code", "tables", "sane_lists"],
    )
    tags, attributes = ALLOWED_TAGS, ALLOWED_ATTRIBUTES
    if guide:
        tags, attributes = tags | {"img"}, {**attributes, "img": {"src", "alt"}}
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
