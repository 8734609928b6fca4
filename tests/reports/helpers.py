"""A meeting and a practice with something in every corner of their trails."""

from datetime import UTC, date, datetime, timedelta

from jointlearn.models import LiveActivity, Role
from learningcafe.models import Note
from meetings import services as meeting_services
from practices.models import PitchRating, Transfer
from practices.pitch import create_pitch_session
from practices.services import ensure_rubric
from reflections.models import Answer
from reflections.rounds import create_round
from surveys.models import Response, Survey

from ..factories import add_member, make_organisation
from ..learningcafe.factories import make_cafe
from ..meetings.factories import add_item, make_meeting
from ..practices.helpers import make_practice

HIDDEN_NOTE = "Secret: Duo for a Job failed in our town"
ANONYMOUS_AUTHOR = "Anonymous Annika"
NAMED_AUTHOR = "Named Nils"


def ended(activity):
    activity.state = LiveActivity.State.ENDED
    activity.save(update_fields=["state"])
    return activity


def on_agenda(meeting, activity, title):
    item = add_item(meeting.days.get(), title=title)
    item.live_activity = activity
    item.save(update_fields=["live_activity"])
    return item


def trail_world(project, *, title="Duo for a Job"):
    """A published meeting in March 2030 where the practice `title` was pitched, rated, talked
    about at a café table (linked, named, and once in a hidden note), named in an anonymous
    and in a named reflection answer, then applied in Belgium and named in a task; with a
    feedback survey and a follow-up survey. Returns (meeting, practice)."""
    number = project.meetings.count() + 1
    coordinator = project.memberships.get(role=Role.COORDINATOR).user
    finland = make_organisation(project, name=f"Ohjaamo {number}", country="FI")
    belgium = make_organisation(project, name=f"EVA bxl {number}", country="BE")
    practice = make_practice(project, finland, title=title if number == 1 else f"{title} {number}")
    other = make_practice(project, belgium, title=f"Something else {number}")
    meeting = make_meeting(
        project,
        title=f"Seminar {number}",
        starts_on=date(2030, 3, 12),
        ends_on=date(2030, 3, 12),
    )
    criteria = ensure_rubric(project=project)[:2]
    session = create_pitch_session(
        project=project,
        created_by=coordinator,
        title=f"Pitches {number}",
        practices=[practice, other],
        criteria=criteria,
    )
    on_agenda(meeting, ended(session), "Pitches")
    for index in range(3):
        rater = add_member(project, role=Role.PARTICIPANT, organisation=belgium)
        PitchRating.objects.create(
            activity=session,
            practice=practice,
            user=rater,
            rater_name=f"Rater {index}",
            scores={f"c{criterion.pk}": 4 for criterion in criteria},
            word="mentoring",
        )
    cafe = make_cafe(project, title=f"Café {number}")
    on_agenda(meeting, ended(cafe.activity), "Café")
    table = cafe.tables.order_by("number").first()
    Note.objects.create(
        cafe=cafe,
        table=table,
        round_index=0,
        author_name="Aino",
        text="Older mentors open doors",
        practice=practice,
        votes=3,
    )
    Note.objects.create(
        cafe=cafe,
        table=table,
        round_index=1,
        author_name="Bram",
        text=f"We could try {practice.title.lower()} in Ghent",
    )
    Note.objects.create(
        cafe=cafe,
        table=table,
        round_index=1,
        author_name="Carl",
        text=HIDDEN_NOTE.replace("Duo for a Job", practice.title),
        hidden=True,
    )
    Note.objects.create(
        cafe=cafe, table=table, round_index=1, author_name="Dana", text="Unrelated talk"
    )
    anonymous = create_round(
        project=project,
        created_by=coordinator,
        title=f"Anonymous round {number}",
        meeting=meeting,
        anonymous=True,
    )
    Answer.objects.create(
        activity=ended(anonymous),
        text=f"{practice.title.upper()} taught me most",
        formats=["study_visit", "pitch"],
        author_name=ANONYMOUS_AUTHOR,
    )
    named = create_round(
        project=project, created_by=coordinator, title=f"Named round {number}", meeting=meeting
    )
    Answer.objects.create(
        activity=ended(named),
        text=f"Talking about {practice.title} with the Finns",
        formats=["peer_discussion"],
        author_name=NAMED_AUTHOR,
    )
    Transfer.objects.create(
        practice=practice,
        organisation=belgium,
        adapted="Mentors from the trade unions",
        applied_on=date(2030, 6, 1),
        created_by=coordinator,
    )
    meeting_services.save_task(
        project=project,
        title=f"Send the {practice.title} handbook",
        meeting=meeting,
        assignee_organisation=finland,
    )
    feedback = Survey.objects.create(
        project=project,
        title=f"Feedback {number}",
        meeting=meeting,
        opens_at=datetime(2030, 3, 12, 16, tzinfo=UTC),
        created_by=coordinator,
    )
    follow_up = Survey.objects.create(
        project=project,
        title=f"Six months on {number}",
        opens_at=datetime(2030, 9, 1, 9, tzinfo=UTC),
        created_by=coordinator,
    )
    for index, survey in enumerate([feedback, feedback, follow_up]):
        Response.objects.create(
            survey=survey,
            respondent_key=f"key-{number}-{index}",
            submitted_on=date(2030, 3, 12) + timedelta(days=index),
        )
    return meeting, practice
