"""The user guides of docs/ inside the app, behind the footer's Help link."""

import re

import pytest
from django.urls import reverse

from jointlearn import guides

PAGES = sorted(guides.pages())


def test_every_page_links_to_the_guides(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("help_index")}"' in page


def test_the_index_links_the_role_guides_inside_the_app(client):
    response = client.get(reverse("help_index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>JointLearn user guides</h1>" in page
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


def test_in_other_languages_the_page_says_the_guides_are_in_english(client):
    client.cookies["django_language"] = "fi"
    page = client.get(reverse("help_index")).content.decode()
    assert "The guides are written in English for now." not in page
    assert 'class="guide__body" lang="en"' in page


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
