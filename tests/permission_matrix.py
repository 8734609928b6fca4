"""The permission matrix: for every project URL, the status each role gets.

Every later module adds its project URLs here. `test_permission_matrix.py` walks the URLconf
and fails when a project URL is missing, so no view can be added unguarded.
"""

ROLES = ["anonymous", "outsider", "guest", "participant", "partner", "facilitator", "coordinator"]
MEMBERS = ["participant", "partner", "facilitator", "coordinator"]


def expect(ok, allowed=MEMBERS, *, anonymous=302, outsider=404, guest=302, refused=403):
    """Statuses per role: `ok` for the allowed roles, `refused` for other members."""
    statuses = {"anonymous": anonymous, "outsider": outsider, "guest": guest}
    for role in MEMBERS:
        statuses[role] = ok if role in allowed else refused
    return statuses


COORDINATORS = ["coordinator"]
FACILITATORS = ["facilitator", "coordinator"]
CONTRIBUTORS = ["partner", "coordinator"]

# url name: (HTTP method, {role: expected status})
PROJECT_URLS = {
    "project_home": ("get", expect(200)),
    "project_dashboard": ("get", expect(200)),
    "guest_list": ("get", expect(200, FACILITATORS)),
    "guest_remove": ("post", expect(302, FACILITATORS)),
    "project_edit": ("get", expect(200, COORDINATORS)),
    "organisation_list": ("get", expect(200)),
    "organisation_edit": ("get", expect(200, COORDINATORS)),
    "organisation_delete": ("post", expect(302, COORDINATORS)),
    "member_list": ("get", expect(200, COORDINATORS)),
    "membership_change": ("post", expect(302, COORDINATORS)),
    "membership_remove": ("post", expect(302, COORDINATORS)),
    "invitation_resend": ("post", expect(302, COORDINATORS)),
    "invitation_revoke": ("post", expect(302, COORDINATORS)),
    "join_code_list": ("get", expect(200, FACILITATORS)),
    "join_code_detail": ("get", expect(200, FACILITATORS)),
    "join_code_toggle": ("post", expect(302, FACILITATORS)),
    "project_lobby": ("get", expect(200, guest=200)),
    "live_list": ("get", expect(200, guest=200)),
    "word_wall_create": ("get", expect(200, FACILITATORS)),
    "live_activity": ("get", expect(200, guest=200)),
    "live_console": ("get", expect(200, FACILITATORS)),
    "live_projector": ("get", expect(200, FACILITATORS)),
    "live_op": ("post", expect(302, guest=302)),
    "live_export_csv": ("get", expect(200, FACILITATORS)),
    "live_export_json": ("get", expect(200, FACILITATORS)),
    "guest_leave": ("post", expect(302, guest=302)),
    # Practices: the practice in the matrix is published by an organisation nobody in the
    # matrix belongs to, so only coordinators may edit it and every member may evaluate it.
    "practice_list": ("get", expect(200)),
    "practice_create": ("get", expect(200, CONTRIBUTORS)),
    "transferability_matrix": ("get", expect(200)),
    "library_settings": ("get", expect(200, COORDINATORS)),
    "my_assignments": ("get", expect(200)),
    "round_list": ("get", expect(200, COORDINATORS)),
    "round_detail": ("get", expect(200, COORDINATORS)),
    "round_remind": ("post", expect(302, COORDINATORS)),
    "round_close": ("post", expect(302, COORDINATORS)),
    "practice_detail": ("get", expect(200)),
    "practice_edit": ("get", expect(200, COORDINATORS)),
    "practice_delete": ("post", expect(302, COORDINATORS)),
    "practice_evaluate": ("get", expect(200)),
    "attachment_download": ("get", expect(200)),
    "picture": ("get", expect(200)),
    "comment_add": ("post", expect(302)),
    "comment_hide": ("post", expect(302, COORDINATORS)),
    "transfer_create": ("get", expect(200, CONTRIBUTORS)),
    # Meetings
    "meeting_list": ("get", expect(200)),
    "meeting_create": ("get", expect(200, COORDINATORS)),
    "calendar_links": ("get", expect(200)),
    "meeting_detail": ("get", expect(200)),
    "meeting_edit": ("get", expect(200, COORDINATORS)),
    "meeting_duplicate": ("get", expect(200, COORDINATORS)),
    "meeting_agenda": ("get", expect(200, COORDINATORS)),
    "agenda_day_edit": ("post", expect(302, COORDINATORS)),
    "agenda_item_create": ("get", expect(200, COORDINATORS)),
    "agenda_item_edit": ("get", expect(200, COORDINATORS)),
    "agenda_item_delete": ("post", expect(302, COORDINATORS)),
    "agenda_item_move": ("post", expect(302, COORDINATORS)),
    "agenda_item_prepare": ("post", expect(302, FACILITATORS)),
    "agenda_item_open": ("post", expect(302, FACILITATORS)),
    "meeting_print": ("get", expect(200)),
    "meeting_pdf": ("get", expect(200)),
    "meeting_pack": ("get", expect(200, FACILITATORS)),
    "meeting_register": ("get", expect(200)),
    "meeting_unregister": ("post", expect(302)),
    "meeting_attendance": ("get", expect(200, FACILITATORS)),
    "attendance_check": ("post", expect(302, FACILITATORS)),
    "meeting_needs": ("get", expect(200, COORDINATORS)),
    "meeting_door": ("get", expect(200, FACILITATORS)),
    "meeting_door_renew": ("post", expect(302, FACILITATORS)),
    "meeting_check_in": ("get", expect(200)),
    "material_create": ("get", expect(200, FACILITATORS)),
    "material_download": ("get", expect(200)),
    "material_delete": ("post", expect(302, FACILITATORS)),
    "assignment_create": ("get", expect(200, FACILITATORS)),
    "assignment_detail": ("get", expect(200)),
    "assignment_edit": ("get", expect(200, FACILITATORS)),
    "assignment_status": ("get", expect(200, FACILITATORS)),
    "submission_download": ("get", expect(200, FACILITATORS)),
    "task_list": ("get", expect(200)),
    "task_edit": ("get", expect(200, FACILITATORS)),
    "task_toggle": ("post", expect(302, FACILITATORS)),
    "icebreaker_list": ("get", expect(200)),
    "icebreaker_create": ("get", expect(200, FACILITATORS)),
    "icebreaker_detail": ("get", expect(200)),
    "icebreaker_edit": ("get", expect(200, FACILITATORS)),
    # Pitch sessions: set-up pages (the session itself runs on the shared live pages)
    "pitch_session_create": ("get", expect(200, FACILITATORS)),
    "pitch_session_edit": ("get", expect(200, FACILITATORS)),
    # Reflections: setting up a round, a poll or a pairing (they run on the live pages)
    "reflection_create": ("get", expect(200, FACILITATORS)),
    "poll_create": ("get", expect(200, FACILITATORS)),
    "pairing_create": ("get", expect(200, FACILITATORS)),
    # Learning café: set-up and check-in for facilitators, the harvest for every member.
    "cafe_create": ("get", expect(200, FACILITATORS)),
    "cafe_edit": ("get", expect(200, FACILITATORS)),
    "cafe_check_in": ("get", expect(200, FACILITATORS)),
    "cafe_harvest": ("get", expect(200)),
    "cafe_harvest_md": ("get", expect(200)),
    "cafe_harvest_csv": ("get", expect(200)),
    "cafe_harvest_json": ("get", expect(200)),
    # Surveys and research
    "survey_list": ("get", expect(200)),
    "survey_create": ("get", expect(200, COORDINATORS)),
    "survey_detail": ("get", expect(200, COORDINATORS)),
    "survey_edit": ("get", expect(200, COORDINATORS)),
    "survey_state": ("post", expect(302, COORDINATORS)),
    "survey_send": ("post", expect(302, COORDINATORS)),
    "survey_translate": ("get", expect(200, COORDINATORS)),
    "question_edit": ("get", expect(200, COORDINATORS)),
    "question_move": ("post", expect(302, COORDINATORS)),
    "question_delete": ("post", expect(302, COORDINATORS)),
    "survey_answer": ("get", expect(200)),
    "survey_results": ("get", expect(200, COORDINATORS)),
    "survey_export": ("get", expect(200, COORDINATORS)),
    "research_page": ("get", expect(200, COORDINATORS)),
    "research_export": ("post", expect(200, COORDINATORS)),
    # Reports: the learning trails for every member, the project pack for coordinators.
    "practice_trail": ("get", expect(200)),
    "meeting_trail": ("get", expect(200)),
    "project_pack": ("get", expect(200, COORDINATORS)),
    "project_pack_build": ("post", expect(302, COORDINATORS)),
    "project_pack_status": ("get", expect(200, COORDINATORS)),
    "project_pack_download": ("get", expect(200, COORDINATORS)),
    # Outputs: every format of an activity's or a survey's results, and sharing them
    "live_export_md": ("get", expect(200, FACILITATORS)),
    "live_export_pdf": ("get", expect(200, FACILITATORS)),
    "live_share": ("post", expect(302, FACILITATORS)),
    "meeting_pack_share": ("post", expect(302, FACILITATORS)),
    "survey_export_md": ("get", expect(200, COORDINATORS)),
    "survey_export_json": ("get", expect(200, COORDINATORS)),
    "survey_export_pdf": ("get", expect(200, COORDINATORS)),
}

# URLs outside any project, each listed so that a new one is a conscious decision.
PUBLIC_URLS = {
    "home",
    "healthz",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "profile",
    "my_data",
    "invitation_accept",
    "set_language",
    "project_create",
    "join",
    "join_code",
    "calendar_feed",
    "consent_change",
    "survey_link",
    # Erasing one's own account: only ever the signed-in person's (see test_erasure.py).
    "account_erase",
    "account_erased",
    # The user guides, for everyone (see test_help.py).
    "help_index",
    "help",
    "help_picture",
    "shared_output",
    "shared_output_file",
}


def meetings_world(project, people):
    """A published meeting without a host, with an agenda item, a registration, material, an
    assignment the coordinator handed in, a task for an organisation nobody in the matrix
    belongs to, and an icebreaker of the project's own."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from meetings import services as meeting_services

    from .meetings.factories import add_item, make_meeting

    meeting = make_meeting(project)
    day = meeting.days.get()
    item = add_item(day)
    coordinator = project.memberships.get(user=people["coordinator"])
    registration = meeting_services.register(meeting=meeting, membership=coordinator)
    material = meeting_services.add_material(
        meeting=meeting,
        added_by=people["coordinator"],
        title="Programme",
        upload=SimpleUploadedFile("programme.txt", b"Day one"),
    )
    assignment = meeting_services.save_assignment(
        meeting=meeting, title="Five slides", due_at=timezone.now() + timedelta(days=7)
    )
    submission = meeting_services.submit(
        assignment=assignment,
        membership=coordinator,
        upload=SimpleUploadedFile("slides.txt", b"Our context"),
    )
    elsewhere = project.organisations.create(name=f"Task owner of {project.slug}", country="SE")
    task = meeting_services.save_task(
        project=project, title="Send the photos", assignee_organisation=elsewhere
    )
    icebreaker = meeting_services.save_icebreaker(
        project=project, name="Line-up", instructions="Stand in a line.", duration=10
    )
    return {
        "meeting_id": meeting.pk,
        "day_id": day.pk,
        "item_id": item.pk,
        "registration_id": registration.pk,
        "token": meeting.check_in_token,
        "material_id": material.pk,
        "assignment_id": assignment.pk,
        "submission_id": submission.pk,
        "task_id": task.pk,
        "icebreaker_id": icebreaker.pk,
    }


def pitch_world(project, people):
    """A pitch session of the project (its set-up page needs its id)."""
    from practices.pitch import create_pitch_session
    from practices.services import ensure_rubric

    from .practices.helpers import make_practice

    owner = project.organisations.create(name=f"Pitcher of {project.slug}", country="FI")
    session = create_pitch_session(
        project=project,
        created_by=people["coordinator"],
        title="Pitches",
        practices=[make_practice(project, owner)],
        criteria=ensure_rubric(project=project)[:2],
    )
    return {"pitch_session_id": session.pk}


def surveys_world(project, people):
    """An open feedback survey of a meeting, with one question."""
    from meetings.models import Meeting
    from surveys import services as survey_services

    meeting = Meeting.objects.filter(project=project).first()
    survey = survey_services.save_survey(
        project=project, title="Feedback", meeting=meeting, created_by=people["coordinator"]
    )
    question = survey_services.save_question(
        survey=survey, kind="scale5", text="How useful was it?", required=True
    )
    survey_services.set_survey_open(survey=survey, is_open=True)
    return {"survey_id": survey.pk, "question_id": question.pk, "language": "fi"}


def guests_world(project, people):
    """A second guest, for the guest pages (the world's own guest signs in as "guest")."""
    from jointlearn import services

    join_code = services.create_join_code(project=project, label="Café")
    return {"guest_id": services.join_as_guest(join_code=join_code, display_name="Visitor").pk}


# The socket operations of each kind of live activity and the roles that may send them
# ("everyone" includes guests who joined with the activity's code). Tests walk these for
# every role and a guest: a refused operation answers "forbidden" and changes nothing.
LIVE_OPS = {
    "pitch": {
        "pitch.rate": "everyone",
        "pitch.next": FACILITATORS,
        "pitch.previous": FACILITATORS,
        "pitch.close": FACILITATORS,
        "pitch.reopen": FACILITATORS,
        "state.set": FACILITATORS,
        "timer.start": FACILITATORS,
    },
}


def cafe_world(project, people):
    """A learning café with two tables, for the café's own pages."""
    from learningcafe.services import create_cafe

    activity = create_cafe(
        project=project,
        created_by=people["coordinator"],
        title="Learning café",
        tables=[{"theme": "Peer tutoring"}, {"theme": "Employers"}],
    )
    return {"cafe_id": activity.pk}


# Each module adds the objects its URLs need: build(project, people) -> URL kwargs.
WORLD_BUILDERS = [meetings_world, guests_world, pitch_world, cafe_world, surveys_world]


def reports_world(project, people):
    """A ready project pack (its file a small ZIP), for the pack's status and download."""
    from django.core.files.base import ContentFile

    from jointlearn.exports import zip_of
    from reports.models import ProjectPack

    pack = ProjectPack(
        project=project,
        language="en",
        fingerprint="0" * 64,
        status=ProjectPack.Status.READY,
        progress=100,
        file_name="pack.zip",
    )
    pack.file.save("pack.zip", ContentFile(zip_of({"README.md": b"Pack"})), save=False)
    pack.save()
    return {"pack_id": pack.pk}


WORLD_BUILDERS.append(reports_world)
