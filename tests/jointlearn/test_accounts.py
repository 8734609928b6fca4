import re
from datetime import UTC, datetime

from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from ..factories import PASSWORD, make_user


def test_sign_in_with_email_and_out(client, db):
    make_user(email="aino@example.org")
    response = client.post(
        reverse("login"), {"username": "AINO@example.org".lower(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("profile")).status_code == 302


def test_wrong_password_says_so(client, db):
    make_user(email="aino@example.org")
    response = client.post(reverse("login"), {"username": "aino@example.org", "password": "no"})
    assert "Please enter a correct email address and password." in response.content.decode()


def test_password_reset_by_email(client, db):
    person = make_user(email="aino@example.org")
    client.post(reverse("password_reset"), {"email": "aino@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-password-2", "new_password2": "another-long-password-2"},
    )
    person.refresh_from_db()
    assert person.check_password("another-long-password-2")


def test_profile_saves_language_and_time_zone(client, db):
    person = make_user()
    client.force_login(person)
    response = client.post(
        reverse("profile"),
        {"display_name": "Aino V.", "preferred_language": "fi", "time_zone": "Europe/Helsinki"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_name, person.preferred_language, person.time_zone) == (
        "Aino V.",
        "fi",
        "Europe/Helsinki",
    )
    page = client.get(reverse("profile")).content.decode()
    assert '<html lang="fi">' in page
    assert "Europe/Helsinki" in page


def test_profile_refuses_an_unknown_time_zone(client, db):
    person = make_user()
    client.force_login(person)
    response = client.post(
        reverse("profile"),
        {"display_name": "Aino", "preferred_language": "en", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.time_zone == ""


def test_times_show_in_the_viewers_zone_with_its_name(client, db):
    moment = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    template = Template("{% load jointlearn_tags %}{{ moment|when }}")
    with timezone.override("Europe/Helsinki"):
        html = template.render(Context({"moment": moment}))
    assert html == (
        '<time datetime="2026-11-23T12:00:00+00:00">23 Nov 2026, 14:00 (Europe/Helsinki)</time>'
    )


def test_browser_time_zone_cookie_is_used_for_visitors(client, db):
    client.cookies["tz"] = "America%2FNew_York"
    page = client.get(reverse("login")).content.decode()
    assert "Times are shown in America/New_York." in page


def test_unknown_time_zone_cookie_falls_back(client, db, settings):
    client.cookies["tz"] = "Not/AZone"
    page = client.get(reverse("login")).content.decode()
    assert f"Times are shown in {settings.TIME_ZONE}." in page


def test_admin_lists_every_model(client, db):
    from django.contrib import admin

    from jointlearn.models import (
        Guest,
        Invitation,
        JoinCode,
        Membership,
        Organisation,
        Project,
        User,
    )

    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for model in [User, Project, Organisation, Membership, Invitation, JoinCode, Guest]:
        assert model in admin.site._registry
        url = reverse(f"admin:jointlearn_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200


def test_repeated_failed_sign_ins_are_throttled_per_account(client, db, settings):
    settings.LOGIN_ATTEMPTS_PER_ACCOUNT = 3
    make_user(email="aino@example.org")
    for _attempt in range(3):
        client.post(reverse("login"), {"username": "aino@example.org", "password": "guess"})
    # Even the right password is not checked while the account is throttled.
    response = client.post(reverse("login"), {"username": "AINO@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-ins. Please wait 15 minutes" in response.content.decode()
    assert client.get(reverse("profile")).status_code == 302
    # Another account from elsewhere is not affected.
    make_user(email="lotte@example.org")
    response = client.post(
        reverse("login"),
        {"username": "lotte@example.org", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302


def test_failed_sign_ins_from_one_address_are_throttled(client, db, settings):
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 2
    make_user(email="aino@example.org")
    for number in range(2):
        client.post(reverse("login"), {"username": f"guess{number}@example.org", "password": "x"})
    response = client.post(reverse("login"), {"username": "aino@example.org", "password": PASSWORD})
    assert "Too many failed sign-ins." in response.content.decode()
