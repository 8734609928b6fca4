"""The library's cards are kept rendered under keys made from what they show: a change to
any of it shows at once, and an unchanged card is not rendered again."""

import pytest
from django.core.cache import caches
from django.utils import translation

from jointlearn import fragments
from practices import services

from .helpers import evaluate, make_practice, picture_upload, reviewer
from .test_views import library_url

pytestmark = pytest.mark.usefixtures("empty_fragments")


@pytest.fixture
def renders(monkeypatch):
    """How many times a fragment's template was rendered."""
    calls = []
    original = fragments.render_to_string

    def counting(template_name, context):
        calls.append(template_name)
        return original(template_name, context)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    return calls


def cards_of(client, project, **query):
    return "".join(client.get(library_url(project, **query)).context["cards"])


def test_an_unchanged_card_is_rendered_once(client_for, project, practice, lotte, renders):
    client = client_for(lotte)
    first = cards_of(client, project)
    assert renders == ["practices/_card.html"]
    assert cards_of(client, project) == first
    assert renders == ["practices/_card.html"]


def test_every_change_a_card_shows_is_seen_at_once(
    client_for, project, practice, lotte, eva, renders
):
    client = client_for(lotte)
    assert "Culturally sensitive care ambassadors" in cards_of(client, project)
    services.save_practice(
        project=project, author=lotte, practice=practice, title="Care ambassadors in Brussels"
    )
    page = cards_of(client, project)
    assert "Care ambassadors in Brussels" in page
    assert "Culturally sensitive" not in page
    eva.name, eva.short_name = "EVA Brussels", ""
    eva.save()
    assert "EVA Brussels" in cards_of(client, project)
    for country in ["FI", "FI", "SE"]:
        evaluate(practice, reviewer(project, country), value=5)
    assert "3 ratings" in cards_of(client, project)
    services.save_practice(
        project=project,
        author=lotte,
        practice=practice,
        new_pictures=[(picture_upload(), "Ambassadors")],
    )
    picture = practice.pictures.get()
    assert f"/pictures/{picture.pk}/thumbnail" in cards_of(client, project)
    assert len(renders) == 5


def test_cards_follow_the_language(client_for, project, practice, lotte):
    client = client_for(lotte)
    assert "Not rated yet" in cards_of(client, project)
    lotte.preferred_language = "fi"
    lotte.save()
    page = cards_of(client, project)
    assert "Not rated yet" not in page
    with translation.override("fi"):
        assert translation.gettext("Not rated yet") in page


def test_a_lost_fragment_is_rendered_again(client_for, project, practice, lotte, renders):
    client = client_for(lotte)
    first = cards_of(client, project)
    caches["fragments"].clear()
    assert cards_of(client, project) == first
    assert len(renders) == 2


def test_the_release_digest_covers_templates_and_addresses():
    lines = list(fragments.url_patterns(fragments.get_resolver().url_patterns))
    assert any("practice_detail" in line and "<int:practice_id>" in line for line in lines)
    assert fragments.release_digest() == fragments.release_digest()
    assert fragments.key_of("card", {"a": 1}) != fragments.key_of("card", {"a": 2})
    with translation.override("fi"):
        finnish = fragments.key_of("card", {"a": 1})
    assert finnish != fragments.key_of("card", {"a": 1})


def test_draft_and_closed_round_badges_are_part_of_the_card(client_for, project, eva, lotte):
    make_practice(project, eva, author=lotte, title="Unfinished", status="draft")
    assert "Draft" in cards_of(client_for(lotte), project)
