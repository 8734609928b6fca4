import pytest
from django.urls import reverse

from jointlearn import services
from jointlearn.models import Guest
from jointlearn.permissions import GUEST_SESSION_KEY


@pytest.fixture
def join_code(project):
    return services.create_join_code(project=project, label="Seminar in Piteå")


def test_guest_joins_with_code_and_name(client, project, join_code):
    response = client.post(
        reverse("join_code", args=[join_code.code.lower()]),
        {"code": join_code.code, "display_name": "  Amina   K. "},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("project_lobby", args=[project.slug])
    guest = Guest.objects.get()
    assert (guest.display_name, guest.project, guest.join_code) == ("Amina K.", project, join_code)
    assert client.session[GUEST_SESSION_KEY] == {str(project.pk): guest.pk}
    assert "Welcome, Amina K." in client.get(response["Location"]).content.decode()


def test_guest_sees_nothing_else_of_the_project(client, project, join_code):
    client.post(reverse("join_code", args=[join_code.code]), {"display_name": "Amina"})
    assert client.get(reverse("project_home", args=[project.slug])).status_code == 302
    assert client.get(reverse("organisation_list", args=[project.slug])).status_code == 302


def test_guest_of_one_project_is_not_a_guest_of_another(client, project, join_code):
    from ..factories import make_project

    other = make_project()
    client.post(reverse("join_code", args=[join_code.code]), {"display_name": "Amina"})
    response = client.get(reverse("project_lobby", args=[other.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_qr_link_shows_the_name_form(client, project, join_code):
    page = client.get(reverse("join_code", args=[join_code.code])).content.decode()
    assert project.name in page
    assert 'name="display_name"' in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Please enter the name others will see."),
        ("x" * 200, "Please use at most 60 characters (you typed 200)."),
        ("   ", "Please enter the name others will see."),
        ("Amina\u200b", "invisible control characters"),
    ],
)
def test_bad_display_names_are_refused(client, join_code, name, message):
    response = client.post(reverse("join_code", args=[join_code.code]), {"display_name": name})
    assert message in response.content.decode()
    assert not Guest.objects.exists()


def test_html_display_name_is_shown_as_text(client, join_code):
    client.post(
        reverse("join_code", args=[join_code.code]), {"display_name": "<b>Bold</b><script>"}
    )
    page = client.get(reverse("project_lobby", args=[join_code.project.slug])).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt;&lt;script&gt;" in page
    assert "<b>Bold</b>" not in page


def test_unknown_code_says_so(client, db):
    response = client.post(reverse("join"), {"code": "zzzzzz"})
    assert response.status_code == 404
    assert "There is no activity with the code ZZZZZZ." in response.content.decode()


def test_closed_code_says_so_and_creates_no_guest(client, join_code):
    services.set_join_code_open(join_code=join_code, is_open=False)
    response = client.post(reverse("join_code", args=[join_code.code]), {"display_name": "Late"})
    assert f"The code {join_code.code} has closed." in response.content.decode()
    assert not Guest.objects.exists()


def test_repeated_wrong_codes_are_rate_limited(client, join_code, settings):
    settings.JOIN_ATTEMPTS_PER_CLIENT = 3
    for attempt in range(3):
        assert client.post(reverse("join"), {"code": f"WRONG{attempt}"}).status_code == 404
    response = client.post(reverse("join"), {"code": join_code.code})
    assert response.status_code == 429
    assert "Too many wrong codes. Please wait 5 minutes and try again." in response.content.decode()


def test_rate_limit_is_per_client(client, join_code, settings, django_user_model):
    from django.test import Client

    settings.JOIN_ATTEMPTS_PER_CLIENT = 2
    for _ in range(2):
        client.post(reverse("join"), {"code": "WRONG"})
    other_phone = Client()
    assert other_phone.post(reverse("join"), {"code": join_code.code}).status_code == 200


def test_address_limit_stops_a_guesser_changing_sessions(join_code, settings):
    from django.test import Client

    settings.JOIN_ATTEMPTS_PER_ADDRESS = 4
    for _ in range(4):
        Client().post(reverse("join"), {"code": "WRONG"})
    assert Client().post(reverse("join"), {"code": join_code.code}).status_code == 429


def test_guest_renames_and_leaves(client, project, join_code):
    client.post(reverse("join_code", args=[join_code.code]), {"display_name": "Amina"})
    client.post(reverse("project_lobby", args=[project.slug]), {"display_name": "Amina H."})
    assert Guest.objects.get().display_name == "Amina H."
    client.post(reverse("guest_leave", args=[project.slug]))
    assert client.get(reverse("project_lobby", args=[project.slug])).status_code == 302


def test_member_with_code_goes_to_the_lobby(client, project, join_code, partner):
    client.force_login(partner)
    response = client.get(reverse("join_code", args=[join_code.code]))
    assert response["Location"] == reverse("project_lobby", args=[project.slug])
    assert not Guest.objects.exists()


def test_join_code_page_shows_a_qr_code(client, project, join_code, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("join_code_detail", args=[project.slug, join_code.pk])).content
    assert b"<svg" in page
    assert join_code.code.encode() in page


def test_facilitator_opens_and_closes_codes(client, project, facilitator):
    client.force_login(facilitator)
    client.post(reverse("join_code_list", args=[project.slug]), {"label": "Day 1"})
    join_code = project.join_codes.get()
    assert join_code.is_usable
    client.post(reverse("join_code_toggle", args=[project.slug, join_code.pk]))
    join_code.refresh_from_db()
    assert not join_code.is_usable


def test_empty_code_asks_for_one(client, db):
    response = client.post(reverse("join"), {"code": ""})
    assert response.status_code == 200
    assert "Please type the code shown by the facilitator." in response.content.decode()
