"""The user guides of docs/ shown inside the app, behind the "Help" link of every page.

The guides are the Markdown files of docs/guide/ (the index, one guide a role, one a
module), so the help a running server shows is the one that shipped with it; the developer
notes beside them in docs/ are not shown. Links between guides become help addresses, links
elsewhere keep only their words; pictures come from docs/img/. Every guide is translated
(docs/guide/<language>/, one file for each English one, tests hold them in step); a page
without a translation is shown in English, and says so.
"""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from .markdown import render_markdown

DOCS = Path(settings.BASE_DIR) / "docs"
PICTURE_NAME = re.compile(r"^[\w-]+\.png$")
LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s#]*)(?P<anchor>#[^)\s]*)?\)")


GUIDE_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def pages(language=settings.LANGUAGE_CODE):
    """Every guide by its address ("" for the index), in `language` where it has been
    translated, else in English."""
    found = {slug_of(path): path for path in sorted((DOCS / "guide").glob("*.md"))}
    if language in GUIDE_LANGUAGES:
        for path in (DOCS / "guide" / language).glob("*.md"):
            slug = slug_of(path)
            if slug in found:
                found[slug] = path
    return found


def slug_of(path):
    """A guide's address: "" for the index (README.md), else the file's name."""
    return "" if path.name == "README.md" else path.stem


def language_of(path):
    """The language a guide's file is written in."""
    folder = path.parent.name
    return folder if folder in GUIDE_LANGUAGES else settings.LANGUAGE_CODE


def address_of(target, known):
    """Where a relative link of a guide leads in the app, or None if it leaves the guides."""
    name = target.rsplit("/", 1)[-1]
    if name.endswith(".png") and PICTURE_NAME.match(name):
        return reverse("help_picture", kwargs={"name": name})
    if name.endswith(".md"):
        slug = "" if name == "README.md" and "guide" in target else name[:-3]
        if slug in known:
            return reverse("help", kwargs={"slug": slug}) if slug else reverse("help_index")
    return None


def render_page(path, known):
    """The guide's title (its first "# " line) and its body as safe HTML."""
    text = path.read_text()
    title, _, body = text.partition("\n")
    title = title.removeprefix("# ").strip()

    def relink(match):
        target = match["target"]
        if "://" in target or target.startswith("mailto:") or not target:
            return match[0]
        address = address_of(target, known)
        if address is None:
            # A link out of the guides (to source files): its words stay, a picture goes.
            return "" if match["bang"] else match["text"]
        return f"{match['bang']}[{match['text']}]({address}{match['anchor'] or ''})"

    return title, render_markdown(LINK.sub(relink, body), guide=True)


def picture_path(name):
    if not PICTURE_NAME.match(name):
        return None
    path = DOCS / "img" / name
    return path if path.is_file() else None
