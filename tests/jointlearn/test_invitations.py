from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jointlearn import services
from jointlearn.models import Invitation, Membership, Role, User

from ..factories import PASSWORD, make_user


def invite(project, coordinator, email="new.partner@example.org", organisation=None):
    return services.invite_member(
        project=project,
        email=email,
        role=Role.PARTNER,
        organisation=organisation or project.organisations.first(),
        invited_by=coordinator,
        build_accept_url=lambda token: f"http://testserver/invitations/{token}/",
    )


def test_invite_form_sends_an_email_with_a_working_link(
    client, project, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    organisation = project.organisations.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_list", args=[project.slug]),
            {"email": "Lotte@Example.org", "role": "partner", "organisation": organisation.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "lotte@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lotte@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    client.logout()
    response = client.post(
        link.replace("http://testserver", ""),
        {"display_name": "Lotte", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="lotte@example.org")
    assert (membership.role, membership.organisation) == (Role.PARTNER, organisation)
    assert User.objects.get(email="lotte@example.org").display_name == "Lotte"


def test_accepting_logs_the_new_member_in(client, project, coordinator):
    _invitation, token = invite(project, coordinator)
    client.post(
        reverse("invitation_accept", args=[token]),
        {"display_name": "New", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert client.get(reverse("project_home", args=[project.slug])).status_code == 200


def test_unknown_invitation_token_says_so(client, db):
    response = client.get(reverse("invitation_accept", args=["not-a-token"]))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_expired_invitation_is_refused_and_creates_nothing(client, project, coordinator):
    invitation, token = invite(project, coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"display_name": "Late", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert not User.objects.filter(email="new.partner@example.org").exists()


def test_used_invitation_cannot_be_used_twice(client, project, coordinator):
    _invitation, token = invite(project, coordinator)
    data = {"display_name": "Once", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("invitation_accept", args=[token]), data)
    client.logout()
    response = client.post(reverse("invitation_accept", args=[token]), data)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert Membership.objects.filter(user__email="new.partner@example.org").count() == 1


def test_revoked_invitation_is_refused(client, project, coordinator):
    invitation, token = invite(project, coordinator)
    services.revoke_invitation(invitation=invitation)
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_resend_replaces_the_link(project, coordinator):
    invitation, old_token = invite(project, coordinator)
    _invitation, new_token = services.resend_invitation(
        invitation=invitation, build_accept_url=lambda token: token
    )
    with pytest.raises(services.InvitationUnusable):
        services.find_invitation(old_token)
    assert services.find_invitation(new_token) == invitation


def test_inviting_a_member_again_is_refused(client, project, coordinator, partner):
    client.force_login(coordinator)
    response = client.post(
        reverse("member_list", args=[project.slug]),
        {"email": partner.email.upper(), "role": "participant"},
    )
    assert response.status_code == 200
    assert f"{partner.email} is already a member of this project." in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_twice_points_to_resend(client, project, coordinator):
    invite(project, coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("member_list", args=[project.slug]),
        {"email": "new.partner@example.org", "role": "participant"},
    )
    assert "has an open invitation already" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_partner_invitation_needs_an_organisation(client, project, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("member_list", args=[project.slug]), {"email": "x@example.org", "role": "partner"}
    )
    assert "A partner belongs to an organisation" in response.content.decode()
    assert not Invitation.objects.exists()


def test_mismatched_passwords_save_nothing(client, project, coordinator):
    _invitation, token = invite(project, coordinator)
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"display_name": "X", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert "The two passwords are not the same." in response.content.decode()
    assert not User.objects.filter(email="new.partner@example.org").exists()


def test_existing_account_accepts_after_signing_in(client, project, coordinator):
    person = make_user(email="new.partner@example.org")
    _invitation, token = invite(project, coordinator)
    page = client.get(reverse("invitation_accept", args=[token])).content.decode()
    assert "Sign in to accept" in page
    client.force_login(person)
    assert client.post(reverse("invitation_accept", args=[token])).status_code == 302
    assert Membership.objects.filter(user=person, project=project).exists()


def test_signed_in_as_someone_else_cannot_accept(client, project, coordinator, partner):
    _invitation, token = invite(project, coordinator)
    client.force_login(partner)
    response = client.post(reverse("invitation_accept", args=[token]))
    assert "This invitation is for new.partner@example.org" in response.content.decode()
    assert not Invitation.objects.get().accepted_at
