"""Consent to research: asked when joining and registering, revocable, kept as history."""

from django.urls import reverse

from jointlearn import consent, services
from jointlearn.models import ConsentDecision, Role

from ..factories import PASSWORD, make_user
from ..meetings.factories import make_meeting


def invite(project, coordinator, email="new@example.org"):
    _invitation, token = services.invite_member(
        project=project,
        email=email,
        role=Role.PARTICIPANT,
        organisation=None,
        invited_by=coordinator,
        build_accept_url=lambda token: token,
    )
    return reverse("invitation_accept", args=[token])


def test_joining_asks_for_consent_and_keeps_the_answer(client, project, coordinator):
    url = invite(project, coordinator)
    page = client.get(url).content.decode()
    assert "May your contributions be used for research?" in page
    assert "You can change your decision at any time on your profile page." in page
    response = client.post(
        url,
        {
            "display_name": "Lotte",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent-research_consent": "yes",
        },
    )
    assert response.status_code == 302
    decision = ConsentDecision.objects.get()
    assert (decision.given, decision.context, decision.version) == (True, "joining", 0)
    assert "pseudonym" in decision.text


def test_existing_account_declines_when_joining(client, project, coordinator):
    person = make_user(email="known@example.org")
    url = invite(project, coordinator, email="known@example.org")
    client.force_login(person)
    client.post(url, {"consent-research_consent": "no"})
    assert ConsentDecision.objects.get(user=person).given is False
    assert consent.consenting_user_ids(project) == set()


def test_a_made_up_consent_answer_is_refused_and_nothing_saved(client, project, coordinator):
    person = make_user(email="known@example.org")
    url = invite(project, coordinator, email="known@example.org")
    client.force_login(person)
    response = client.post(url, {"consent-research_consent": "maybe"})
    assert "Answer the research question with yes or no." in response.content.decode()
    assert not project.memberships.filter(user=person).exists()
    assert not ConsentDecision.objects.exists()


def test_registration_asks_until_answered(client, project, participant):
    meeting = make_meeting(project)
    client.force_login(participant)
    url = reverse("meeting_register", args=[project.slug, meeting.pk])
    assert "May your contributions" in client.get(url).content.decode()
    client.post(url, {"dietary_needs": "", "consent-research_consent": "yes"})
    decision = ConsentDecision.objects.get()
    assert (decision.given, decision.context) == (True, "registration")
    assert "May your contributions" not in client.get(url).content.decode()


def test_consent_text_in_the_persons_language_and_new_version_asks_again(
    client, project, coordinator, participant
):
    consent.publish_text(
        project=project,
        body="Our researchers would like to use your answers.",
        language="en",
        translations={"fi": "Tutkijamme haluaisivat käyttää vastauksiasi."},
        created_by=coordinator,
    )
    participant.preferred_language = "fi"
    participant.save()
    meeting = make_meeting(project)
    client.force_login(participant)
    url = reverse("meeting_register", args=[project.slug, meeting.pk])
    assert "Tutkijamme haluaisivat" in client.get(url).content.decode()
    client.post(url, {"consent-research_consent": "yes"})
    assert ConsentDecision.objects.get().version == 1
    assert not consent.needs_asking(participant, project)
    consent.publish_text(
        project=project, body="Version two.", language="en", translations={}, created_by=None
    )
    assert consent.needs_asking(participant, project)


def test_consent_is_revocable_from_the_profile_with_history(client, project, participant):
    consent.record_decision(project=project, user=participant, given=True, context="joining")
    assert consent.consenting_user_ids(project) == {participant.pk}
    client.force_login(participant)
    page = client.get(reverse("profile")).content.decode()
    assert "Withdraw consent" in page
    response = client.post(reverse("consent_change", args=[project.pk]), {"given": "no"})
    assert response.status_code == 302
    assert consent.consenting_user_ids(project) == set()
    assert ConsentDecision.objects.filter(user=participant).count() == 2
    page = client.get(reverse("profile")).content.decode()
    assert "History of your decisions" in page and "I agree" in page


def test_outsider_cannot_record_consent_in_a_project(client, project, outsider):
    client.force_login(outsider)
    response = client.post(reverse("consent_change", args=[project.pk]), {"given": "yes"})
    assert response.status_code == 404
    assert not ConsentDecision.objects.exists()


def test_coordinator_publishes_a_translated_consent_text(client, project, coordinator):
    client.force_login(coordinator)
    url = reverse("research_page", args=[project.slug])
    assert "The default text" in client.get(url).content.decode()
    response = client.post(
        url, {"body": "Our text.", "language": "en", "text_sv": "Vår text.", "text_fi": ""}
    )
    assert response.status_code == 302
    text = consent.current_text(project)
    assert (text.version, text.translations) == (1, {"sv": "Vår text."})
    assert text.text_in("sv") == "Vår text." and text.text_in("fi") == "Our text."
