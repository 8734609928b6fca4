"""A member erases their account: every module's rows afterwards (kept unnamed, or removed
when asked), the exports, signing in, a second erasure, the only coordinator, the page."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jointlearn import consent, erasure, outputs
from jointlearn.live import protocol
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import (
    ConsentDecision,
    Guest,
    Invitation,
    LiveActivity,
    Membership,
    Role,
    User,
    WordWallEntry,
    hash_token,
)
from jointlearn.research import build_export
from learningcafe.models import CafeParticipant, CafeTable, Note, TableSummary
from learningcafe.models import Vote as DotVote
from meetings import services as meeting_services
from meetings.models import AgendaItem, CalendarFeed, Registration, Submission, Task
from meetings.models import Assignment as HandIn
from practices import pitch
from practices.models import (
    Assignment,
    Comment,
    Evaluation,
    EvaluationRound,
    PitchRating,
    Practice,
    Transfer,
)
from practices.services import ensure_rubric
from reflections.models import Answer, Presence
from reflections.models import Vote as PollVote
from reflections.rounds import create_round
from surveys import services as survey_services
from surveys.models import Response, SurveyLink

from ..factories import PASSWORD, add_member, make_organisation, make_project, make_user
from ..learningcafe.factories import make_cafe
from ..meetings.factories import add_item, make_meeting
from ..practices.helpers import evaluate, make_practice
from ..surveys.factories import answers_for, make_survey

NAME = "Aino Virtanen"
EMAIL = "aino.virtanen@tamk.example"
FORMER = "former participant"


class World:
    """Aino, a partner in Finland, has left a trace in every module; Lotte in Belgium too."""

    def __init__(self, project, coordinator):
        self.project = project
        self.coordinator = coordinator
        self.finland = make_organisation(project, name="TAMK", country="FI")
        self.belgium = make_organisation(project, name="EVA bxl", country="BE")
        self.aino = add_member(
            project,
            organisation=self.finland,
            user=make_user(email=EMAIL, display_name=NAME),
        )
        self.lotte = add_member(project, organisation=self.belgium)
        aino, lotte = self.aino, self.lotte
        self.aino_membership = project.memberships.get(user=aino)
        consent.record_decision(
            project=project, user=aino, given=True, context=ConsentDecision.Context.PROFILE
        )
        consent.record_decision(
            project=project, user=lotte, given=True, context=ConsentDecision.Context.PROFILE
        )
        Invitation.objects.create(
            project=make_project(),
            email=EMAIL,
            token_hash=hash_token("t"),
            expires_at=Invitation.default_expiry(),
        )

        # Practices
        self.practice = make_practice(project, self.finland, author=aino, title="Ohjaamo")
        self.lottes_practice = make_practice(project, self.belgium, author=lotte, title="Duo")
        self.evaluation = evaluate(self.lottes_practice, aino, value=5, strengths="Aino's view")
        self.lone_comment = Comment.objects.create(
            practice=self.lottes_practice, author=aino, body="Aino asks alone"
        )
        self.question = Comment.objects.create(
            practice=self.lottes_practice, author=aino, body="Aino asks a question"
        )
        self.reply = Comment.objects.create(
            practice=self.lottes_practice, parent=self.question, author=lotte, body="Lotte answers"
        )
        self.transfer = Transfer.objects.create(
            practice=self.lottes_practice,
            organisation=self.finland,
            adapted="Shorter sessions",
            applied_on=timezone.localdate(),
            created_by=aino,
        )
        round_ = EvaluationRound.objects.create(
            project=project,
            name="Spring round",
            deadline=timezone.now() + timedelta(days=7),
            created_by=coordinator,
        )
        Assignment.objects.create(round=round_, practice=self.lottes_practice, reviewer=aino)
        criteria = ensure_rubric(project=project)[:2]
        self.pitch = pitch.create_pitch_session(
            project=project,
            created_by=coordinator,
            title="Pitches",
            practices=[self.lottes_practice],
            criteria=criteria,
        )
        PitchRating.objects.create(
            activity=self.pitch,
            practice=self.lottes_practice,
            user=aino,
            rater_name=NAME,
            scores={str(c.pk): 4 for c in criteria},
            word="inspiring",
        )

        # Meetings
        self.past = make_meeting(
            project,
            starts_on=timezone.localdate() - timedelta(days=30),
            ends_on=timezone.localdate() - timedelta(days=29),
        )
        self.future = make_meeting(
            project,
            starts_on=timezone.localdate() + timedelta(days=30),
            ends_on=timezone.localdate() + timedelta(days=31),
            capacity=1,
        )
        Registration.objects.create(
            meeting=self.past,
            user=aino,
            organisation=self.finland,
            status=Registration.Status.CONFIRMED,
            dietary_needs="No gluten",
            checked_in_at=timezone.now() - timedelta(days=30),
        )
        meeting_services.register(meeting=self.future, membership=self.aino_membership)
        meeting_services.register(
            meeting=self.future, membership=project.memberships.get(user=lotte)
        )
        meeting_services.calendar_feed_for(membership=self.aino_membership)
        hand_in = HandIn.objects.create(
            meeting=self.past, title="Map your practices", due_at=timezone.now()
        )
        Submission.objects.create(
            assignment=hand_in,
            user=aino,
            submitted_by=aino,
            text="Aino's hand-in",
            submitted_at=timezone.now(),
        )
        self.task = Task.objects.create(project=project, title="Send photos", assignee_user=aino)

        # Live: word wall, café, reflection round, poll vote
        self.wall = create_word_wall(project=project, created_by=coordinator, question="How?")
        protocol.apply_op(
            activity_id=self.wall.pk,
            actor=protocol.Actor(membership=self.aino_membership),
            op_id="w",
            op="word.post",
            data={"text": "Curious"},
        )
        self.cafe = make_cafe(project)
        table = self.cafe.tables.first()
        CafeTable.objects.filter(pk=table.pk).update(host=aino)
        seat = CafeParticipant.objects.create(cafe=self.cafe, user=aino, name=NAME, country="FI")
        lotte_seat = CafeParticipant.objects.create(cafe=self.cafe, user=lotte, name="Lotte")
        self.note = Note.objects.create(
            cafe=self.cafe, table=table, round_index=0, author=seat, author_name=NAME, text="Trust"
        )
        self.lottes_note = Note.objects.create(
            cafe=self.cafe,
            table=table,
            round_index=0,
            author=lotte_seat,
            author_name="Lotte",
            text="Time",
            votes=1,
        )
        DotVote.objects.create(note=self.lottes_note, voter=seat, round_index=0)
        TableSummary.objects.create(table=table, version=1, text="Trust first", written_by=NAME)
        # A later version saved under a shorter name: found by its author, not its name.
        TableSummary.objects.create(
            table=table, version=2, text="Trust, then time", written_by="Aino V.", author=aino
        )
        self.round = create_round(project=project, created_by=coordinator, title="Reflection")
        Presence.objects.create(activity=self.round, user=aino, name=NAME, position=0)
        Answer.objects.create(
            activity=self.round,
            text="The study visit",
            user=aino,
            author_name=NAME,
            created_at=timezone.now(),
        )
        self.anonymous_answer = Answer.objects.create(activity=self.round, text="Nobody's")
        PollVote.objects.create(activity=self.round, user=aino, choices=[1])

        # Surveys: a named one with a personal link, an anonymous one
        self.survey = make_survey(project, anonymous=False)
        survey_services.submit_response(
            survey=self.survey, user=aino, answers=answers_for(self.survey, text="Aino's words")
        )
        SurveyLink.objects.create(
            survey=self.survey,
            user=aino,
            token_hash=hash_token("link"),
            expires_at=timezone.now() + timedelta(days=7),
        )
        self.anonymous_survey = make_survey(project, anonymous=True, title="Anonymous")
        survey_services.submit_response(
            survey=self.anonymous_survey,
            user=aino,
            answers=answers_for(self.anonymous_survey, text="Unlinked words"),
        )


@pytest.fixture
def world(project, coordinator):
    return World(project, coordinator)


def assert_nothing_of_aino(text):
    assert NAME not in text
    assert "Aino Virtanen" not in text
    assert EMAIL not in text


def test_erasure_keeps_what_they_wrote_unnamed(world):
    aino = world.aino
    erasure.erase_account(user=aino)

    aino = User.objects.get(pk=aino.pk)
    assert aino.is_erased and not aino.is_active and not aino.has_usable_password()
    assert aino.display_name == "" and EMAIL not in aino.email
    assert str(aino) == FORMER
    # What only makes sense with the person is gone.
    assert not Membership.objects.filter(user=aino).exists()
    assert not CalendarFeed.objects.filter(membership=world.aino_membership.pk).exists()
    assert not ConsentDecision.objects.filter(user=aino).exists()
    assert not Invitation.objects.filter(email=EMAIL).exists()
    assert not Assignment.objects.filter(reviewer=aino).exists()
    assert not SurveyLink.objects.filter(user=aino).exists()
    assert not CafeTable.objects.filter(host=aino).exists()
    # A future meeting's place goes to the waiting list; a past one keeps the count only.
    assert not Registration.objects.filter(meeting=world.future, user=aino).exists()
    assert world.future.registrations.get().status == Registration.Status.CONFIRMED
    past = Registration.objects.get(meeting=world.past, user=aino)
    assert past.dietary_needs == "" and past.checked_in_at is not None
    # What they wrote stays, unnamed.
    assert Practice.objects.get(pk=world.practice.pk).created_by == aino
    assert Transfer.objects.get(pk=world.transfer.pk).created_by == aino
    assert Evaluation.objects.filter(evaluator=aino).count() == 1
    assert Comment.objects.filter(author=aino).count() == 2
    assert PitchRating.objects.get(user=aino).rater_name == ""
    assert Submission.objects.get(user=aino).text == "Aino's hand-in"
    assert Task.objects.get(pk=world.task.pk).assignee_user == aino
    assert WordWallEntry.objects.get(activity=world.wall).author_name == ""
    assert Note.objects.get(pk=world.note.pk).author_name == ""
    assert CafeParticipant.objects.get(user=aino).name == ""
    assert Note.objects.get(pk=world.lottes_note.pk).votes == 1
    assert set(TableSummary.objects.values_list("written_by", flat=True)) == {""}
    assert Presence.objects.get(user=aino).name == ""
    assert Answer.objects.get(user=aino).author_name == ""
    assert PollVote.objects.filter(user=aino).exists()
    assert Response.objects.filter(survey=world.survey, user=aino).exists()
    assert Response.objects.filter(survey=world.anonymous_survey).count() == 1
    assert Answer.objects.get(pk=world.anonymous_answer.pk).text == "Nobody's"


def test_erasure_with_removal_deletes_what_they_wrote(world):
    aino = world.aino
    erasure.erase_account(user=aino, remove_contributions=True)

    assert not Evaluation.objects.filter(evaluator=aino).exists()
    assert Practice.objects.get(pk=world.lottes_practice.pk).evaluation_count == 0
    assert not Comment.objects.filter(pk=world.lone_comment.pk).exists()
    # A question someone answered keeps its place in the thread, without its words.
    assert Comment.objects.get(pk=world.question.pk).body == ""
    assert Comment.objects.get(pk=world.reply.pk).body == "Lotte answers"
    assert not PitchRating.objects.filter(user=aino).exists()
    assert not Submission.objects.filter(user=aino).exists()
    assert not WordWallEntry.objects.filter(activity=world.wall).exists()
    assert not Note.objects.filter(pk=world.note.pk).exists()
    assert Note.objects.get(pk=world.lottes_note.pk).votes == 0
    assert not DotVote.objects.exists()
    assert not TableSummary.objects.exists()
    assert not Answer.objects.filter(user=aino).exists()
    assert not PollVote.objects.filter(user=aino).exists()
    assert not Response.objects.filter(survey=world.survey).exists()
    # The organisation's and the project's records stay in every case.
    assert Practice.objects.get(pk=world.practice.pk).created_by_id == aino.pk
    assert Transfer.objects.filter(pk=world.transfer.pk).exists()
    assert Task.objects.filter(pk=world.task.pk).exists()
    # Anonymous answers never held a link, and stay.
    assert Answer.objects.filter(pk=world.anonymous_answer.pk).exists()
    assert Response.objects.filter(survey=world.anonymous_survey).count() == 1


def exported_text(activity):
    return "".join(
        data.decode() for data in outputs.files_of(outputs.activity_output(activity), "x").values()
    )


def test_exports_show_a_former_participant_and_never_the_name(world):
    erasure.erase_account(user=world.aino)
    for activity in [world.wall, world.pitch, world.cafe.activity, world.round]:
        activity = LiveActivity.objects.get(pk=activity.pk)
        text = exported_text(activity)
        assert_nothing_of_aino(text)
        assert FORMER in text, activity.kind
    research = zipfile.ZipFile(io.BytesIO(build_export(project=world.project).content))
    assert_nothing_of_aino("".join(research.read(name).decode() for name in research.namelist()))


def test_the_meeting_pack_shows_a_former_participant(client_for, world, coordinator):
    day = world.past.days.first()
    item = add_item(day, "Where are you from?", 20, kind=AgendaItem.Kind.ICEBREAKER)
    activity = meeting_services.prepare_live_activity(
        item=item, kind="wordwall", created_by=coordinator
    )
    meeting_services.open_live_activity(
        item=item, membership=world.project.memberships.get(user=coordinator)
    )
    protocol.apply_op(
        activity_id=activity.pk,
        actor=protocol.Actor(membership=world.aino_membership),
        op_id="p1",
        op="word.post",
        data={"text": "Hopeful"},
    )
    erasure.erase_account(user=world.aino)
    response = client_for(coordinator).get(
        reverse("meeting_pack", args=[world.project.slug, world.past.pk])
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    texts = {
        name: archive.read(name).decode()
        for name in archive.namelist()
        if not name.endswith(".pdf")
    }
    assert_nothing_of_aino("".join(texts.values()))
    payload = next(json.loads(text) for name, text in texts.items() if name.endswith(".json"))
    assert FORMER in json.dumps(payload)


def test_pages_show_a_former_participant(client_for, world, coordinator):
    erasure.erase_account(user=world.aino)
    client = client_for(coordinator)
    for url in [
        reverse("practice_detail", args=[world.project.slug, world.lottes_practice.pk]),
        reverse("task_list", args=[world.project.slug]),
    ]:
        page = client.get(url).content.decode()
        assert FORMER in page, url
        assert_nothing_of_aino(page)


def test_the_erased_person_cannot_sign_in(client, world):
    erasure.erase_account(user=world.aino)
    assert not client.login(username=EMAIL, password=PASSWORD)
    response = client.post(reverse("login"), {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_second_erasure_is_refused(world):
    erasure.erase_account(user=world.aino)
    with pytest.raises(erasure.ErasureRefused) as error:
        erasure.erase_account(user=world.aino)
    assert error.value.message == "This account has already been erased."


def test_the_only_coordinator_hands_over_first(project, coordinator):
    with pytest.raises(erasure.ErasureRefused) as error:
        erasure.erase_account(user=coordinator)
    assert "Hand over the coordinator role first" in error.value.message
    assert project.name in error.value.message
    coordinator.refresh_from_db()
    assert not coordinator.is_erased
    assert Membership.objects.filter(user=coordinator).exists()
    # With a second coordinator it goes through.
    add_member(project, role=Role.COORDINATOR)
    erasure.erase_account(user=coordinator)
    assert User.objects.get(pk=coordinator.pk).is_erased


# The page


def test_the_profile_links_to_erasure(client_for, participant):
    page = client_for(participant).get(reverse("profile")).content.decode()
    assert reverse("account_erase") in page


def test_the_page_says_what_goes_and_what_stays(client_for, participant):
    page = client_for(participant).get(reverse("account_erase")).content.decode()
    assert "What goes" in page and "What stays" in page
    assert 'name="password"' in page and 'name="remove_contributions"' in page


def test_a_wrong_password_erases_nothing(client_for, participant):
    client = client_for(participant)
    response = client.post(reverse("account_erase"), {"password": "not-it"})
    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    participant.refresh_from_db()
    assert not participant.is_erased and participant.is_active


def test_a_missing_password_erases_nothing(client_for, participant):
    response = client_for(participant).post(reverse("account_erase"), {})
    assert "Type your password to confirm." in response.content.decode()
    participant.refresh_from_db()
    assert not participant.is_erased


def test_too_many_wrong_passwords_are_refused(client_for, participant, settings):
    client = client_for(participant)
    for _ in range(settings.LOGIN_ATTEMPTS_PER_ACCOUNT):
        client.post(reverse("account_erase"), {"password": "not-it"})
    response = client.post(reverse("account_erase"), {"password": PASSWORD})
    assert "Too many wrong passwords." in response.content.decode()
    participant.refresh_from_db()
    assert not participant.is_erased


def test_erasing_signs_out_and_says_so(client_for, world):
    client = client_for(world.aino)
    response = client.post(
        reverse("account_erase"), {"password": PASSWORD, "remove_contributions": "on"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("account_erased")
    assert "_auth_user_id" not in client.session
    assert "has been erased" in client.get(reverse("account_erased")).content.decode()
    assert not Evaluation.objects.filter(evaluator=world.aino).exists()
    # Signed out: the erasure page now asks for a sign-in, and erases nobody.
    assert client.get(reverse("account_erase"))["Location"].startswith(reverse("login"))


def test_the_only_coordinator_is_shown_how_to_hand_over(client_for, project, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("account_erase")).content.decode()
    assert "Hand over the coordinator role first" in page
    assert reverse("member_list", args=[project.slug]) in page
    assert 'name="password"' not in page
    response = client.post(reverse("account_erase"), {"password": PASSWORD})
    assert "Hand over the coordinator role first" in response.content.decode()
    coordinator.refresh_from_db()
    assert not coordinator.is_erased


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.post(reverse("account_erase"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_yourself_can_be_erased(client_for, world):
    """The page has no person in its address: whatever is posted, only the signed-in
    person's account is erased."""
    client = client_for(world.lotte)
    client.post(
        reverse("account_erase"), {"password": PASSWORD, "user": world.aino.pk, "email": EMAIL}
    )
    assert User.objects.get(pk=world.lotte.pk).is_erased
    assert not User.objects.get(pk=world.aino.pk).is_erased


def references_to(model):
    return {
        f"{candidate._meta.label}.{field.name}"
        for candidate in apps.get_models()
        for field in candidate._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is model
    }


def test_every_reference_to_an_account_or_a_guest_says_what_erasure_does():
    assert references_to(User) == set(erasure.ACCOUNT_REFERENCES)
    assert references_to(Guest) - {"jointlearn.Guest.project"} == set(erasure.GUEST_REFERENCES)


def test_what_the_person_did_for_the_project_still_points_to_them(world):
    aino = world.aino
    comment = Comment.objects.create(
        practice=world.practice, author=world.lotte, body="Hidden", hidden_by=aino
    )
    erasure.erase_account(user=aino, remove_contributions=True)
    assert Comment.objects.get(pk=comment.pk).hidden_by == aino
    assert Practice.objects.get(pk=world.practice.pk).updated_by == aino
    assert Submission.objects.filter(submitted_by=aino).count() == 0  # personal, removed
    assert str(Practice.objects.get(pk=world.practice.pk).created_by) == FORMER


def test_their_other_sessions_end_too(world):
    elsewhere = Client()
    elsewhere.force_login(world.aino)
    assert elsewhere.get(reverse("profile")).status_code == 200
    erasure.erase_account(user=world.aino)
    response = elsewhere.get(reverse("account_erase"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
