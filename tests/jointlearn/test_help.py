"""The user guides of docs/ inside the app, behind the footer's Help link."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from jointlearn import guides

PAGES = sorted(guides.pages())


def test_every_page_links_to_the_guides(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("help_index")}"' in page


def test_the_index_links_the_role_guides_inside_the_app(client):
    response = client.get(reverse("help_index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 lang="en">JointLearn user guides</h1>' in page
    for role in ("coordinator", "partner", "facilitator", "participant"):
        assert f'href="{reverse("help", kwargs={"slug": role})}"' in page
    assert f'href="{reverse("help", kwargs={"slug": "practices"})}"' in page


@pytest.mark.parametrize("slug", PAGES)
def test_every_guide_renders_with_its_links_and_pictures_inside_the_app(client, slug):
    url = reverse("help", kwargs={"slug": slug}) if slug else reverse("help_index")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode().split('class="guide__body"', 1)[1]
    assert not re.search(r'href="[^"]*\.md', body), "a link to a Markdown file was left"
    for source in re.findall(r'<img src="([^"]+)"', body):
        assert source.startswith("/help/img/")
        picture = client.get(source)
        assert picture.status_code == 200
        assert picture["Content-Type"] == "image/png"
        picture.close()


def test_a_guide_shows_pictures_of_the_app(client):
    page = client.get(reverse("help", kwargs={"slug": "partner"})).content.decode()
    assert '<img alt="Recording a transfer" src="/help/img/partner-transfer-390.png">' in page
    assert "<h2>1. Accept the invitation</h2>" in page


@pytest.mark.parametrize("name", ["../settings.py", "missing.png", "..%2Fsecret.png", "a.svg"])
def test_only_pictures_of_the_guides_are_served(client, name):
    assert client.get(f"/help/img/{name}").status_code == 404


def test_an_unknown_guide_is_not_found(client):
    assert client.get("/help/no-such-guide/").status_code == 404


GUIDES = sorted(path.name for path in (guides.DOCS / "guide").glob("*.md"))
MODULES = ["practices", "meetings", "live-activities", "learning-cafe", "reflections"]
MODULES += ["surveys", "dashboard", "reports", "exports", "research-export", "personal-data"]


def test_help_shows_the_user_guides_and_not_the_developer_notes():
    assert {*MODULES, "coordinator", "participant"} <= set(guides.pages())
    assert "architecture" not in guides.pages() and "live-protocol" not in guides.pages()


def test_the_index_links_every_module_guide(client):
    page = client.get(reverse("help_index")).content.decode()
    for slug in MODULES:
        assert f'href="{reverse("help", kwargs={"slug": slug})}"' in page


def outline(text):
    """A guide's heading levels and its pictures, in order: what a translation keeps."""
    headings = [line.split(" ", 1)[0] for line in text.splitlines() if line[:1] == "#"]
    pictures = re.findall(r"!\[[^\]]*\]\((?:\.\./)+img/([\w-]+\.png)\)", text)
    return headings, pictures


@pytest.mark.parametrize("language", guides.GUIDE_LANGUAGES)
def test_every_guide_is_translated_with_the_same_sections_and_pictures(language):
    folder = guides.DOCS / "guide" / language
    assert sorted(path.name for path in folder.glob("*.md")) == GUIDES
    for name in GUIDES:
        english = (guides.DOCS / "guide" / name).read_text()
        translated = (folder / name).read_text()
        assert outline(translated) == outline(english), f"{language}/{name} is out of step"
        assert translated != english


@pytest.mark.parametrize("language", guides.GUIDE_LANGUAGES)
@pytest.mark.parametrize("slug", ["", "participant", "coordinator", "learning-cafe"])
def test_a_guide_is_shown_in_the_readers_language(client, language, slug):
    client.cookies["django_language"] = language
    url = reverse("help", kwargs={"slug": slug}) if slug else reverse("help_index")
    page = client.get(url).content.decode()
    name = "README.md" if slug == "" else f"{slug}.md"
    title = (guides.DOCS / "guide" / language / name).read_text().partition("\n")[0][2:]
    assert f'<h1 lang="{language}">{escape(title)}</h1>' in page
    assert f'class="guide__body" lang="{language}"' in page
    assert untranslated_note(language) not in page


def test_a_guide_not_yet_translated_is_shown_in_english_and_says_so(client, tmp_path, monkeypatch):
    (tmp_path / "guide" / "fi").mkdir(parents=True)
    (tmp_path / "guide" / "README.md").write_text("# Guides\n\n[New](new.md)\n")
    (tmp_path / "guide" / "fi" / "README.md").write_text("# Oppaat\n\n[Uusi](new.md)\n")
    (tmp_path / "guide" / "new.md").write_text("# A new module\n\nHow to use it.\n")
    monkeypatch.setattr(guides, "DOCS", tmp_path)
    client.cookies["django_language"] = "fi"
    page = client.get(reverse("help", kwargs={"slug": "new"})).content.decode()
    assert 'class="guide__body" lang="en"' in page
    note = untranslated_note("fi")
    assert note in page and note != untranslated_note("en")
    assert untranslated_note("fi") not in client.get(reverse("help_index")).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("help", kwargs={"slug": "new"})).content.decode()
    assert untranslated_note("en") not in page


def untranslated_note(language):
    with translation.override(language):
        return translation.gettext(
            "This guide has not been translated into your language yet, so it is shown in English."
        )


@pytest.mark.parametrize("language", guides.GUIDE_LANGUAGES)
def test_translated_guides_link_inside_the_app(client, language):
    client.cookies["django_language"] = language
    for slug in guides.pages(language):
        url = reverse("help", kwargs={"slug": slug}) if slug else reverse("help_index")
        body = client.get(url).content.decode().split('class="guide__body"', 1)[1]
        assert not re.search(r'href="[^"]*\.md', body), f"{language}/{slug}: a .md link"
        for source in re.findall(r'<img [^>]*src="([^"]+)"', body):
            assert source.startswith("/help/img/")
            assert guides.picture_path(source.rsplit("/", 1)[1]) is not None


def test_links_that_leave_the_guides_keep_their_words(tmp_path):
    known = {"": tmp_path / "README.md", "partner": tmp_path / "partner.md"}
    source = tmp_path / "page.md"
    source.write_text(
        "# Title\n\nSee [the partner guide](partner.md#evaluate), [the code](../../jointlearn/"
        "views.py), [Django](https://www.djangoproject.com/) and ![a picture](../img/x.png)."
    )
    title, html = guides.render_page(source, known)
    assert title == "Title"
    assert '<a href="/help/partner/#evaluate"' in html
    assert "the code" in html and "views.py" not in html
    assert '<a href="https://www.djangoproject.com/"' in html
    assert '<img alt="a picture" src="/help/img/x.png">' in html
