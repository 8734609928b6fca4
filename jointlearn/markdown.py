"""The one place that turns Markdown written by people into HTML that is safe to show."""

import xml.etree.ElementTree as etree
from collections import Counter

import markdown
import nh3
from django.utils.translation import gettext
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
    "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    # Only ScrollableTables makes a <div>: typed HTML is shown as text, never passed on.
    "div": {"class", "tabindex", "role", "aria-label"},
}
URL_SCHEMES = {"http", "https", "mailto"}


class DemoteHeadings(Treeprocessor):
    """The page owns <h1>: a "# Title" in a description becomes <h2>, and so on."""

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5"}:
                element.tag = f"h{int(element.tag[1]) + 1}"


class ScrollableTables(Treeprocessor):
    """A table wider than a phone scrolls sideways in a region of its own, named after its
    columns and reachable by keyboard, instead of making the whole page scroll."""

    def run(self, root):
        tables = [
            (parent, index, child)
            for parent in root.iter()
            for index, child in enumerate(parent)
            if child.tag == "table"
        ]
        named = Counter()
        for parent, index, table in tables:
            columns = ", ".join("".join(cell.itertext()).strip() for cell in table.iter("th"))
            title = columns if len(columns) <= 80 else columns[:79] + "…"
            # Two regions of one page never share a name.
            named[title] += 1
            if named[title] > 1:
                title = f"{title} ({named[title]})"
            region = etree.Element(
                "div",
                {
                    "class": "table-scroll",
                    "tabindex": "0",
                    "role": "region",
                    "aria-label": gettext("Table: %(title)s") % {"title": title},
                },
            )
            parent[index] = region  # in its place: the other tables' indexes stay true
            region.append(table)


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
        # After the inline patterns (20), so the column names are plain text.
        md.treeprocessors.register(ScrollableTables(md), "scrollable_tables", 1)


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
