"""Preparatory material, advance assignments with submissions, and tasks between meetings."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jointlearn.models import Membership, Role
from meetings import services
from meetings.models import Assignment, Material, Submission, Task

from ..factories import add_member


def membership(project, user):
    return Membership.objects.get(project=project, user=user)


def make_assignment(meeting, *, due_in=timedelta(days=3), per=Assignment.Per.PERSON):
    return services.save_assignment(
        meeting=meeting,
        title="Our country's context in five slides",
        due_at=timezone.now() + due_in,
        per=per,
    )


def test_material_with_a_file_is_downloaded_by_members(
    client_for, facilitator, participant, project, meeting
):
    response = client_for(facilitator).post(
        reverse("material_create", args=[project.slug, meeting.pk]),
        {
            "title": "Reading before Tampere",
            "notes": "Read **chapter 2**.",
            "upload": SimpleUploadedFile("reading.txt", b"Validation of prior learning"),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.file_name, material.content_type) == ("reading.txt", "text/plain")
    client = client_for(participant)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>chapter 2</strong>" in page
    download = client.get(
        reverse("material_download", args=[project.slug, meeting.pk, material.pk])
    )
    assert b"".join(download.streaming_content) == b"Validation of prior learning"
    assert download["Content-Disposition"].startswith("attachment")


def test_material_file_over_the_limit_is_refused(
    client_for, facilitator, project, meeting, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    response = client_for(facilitator).post(
        reverse("material_create", args=[project.slug, meeting.pk]),
        {"title": "Huge", "upload": SimpleUploadedFile("huge.txt", b"a" * (1024 * 1024 + 1))},
    )
    assert response.context["form"].errors["upload"] == ["This file is 1.0 MB; the limit is 1 MB."]
    assert not Material.objects.exists()


def test_material_without_anything_to_open_is_refused(client_for, facilitator, project, meeting):
    response = client_for(facilitator).post(
        reverse("material_create", args=[project.slug, meeting.pk]), {"title": "Empty"}
    )
    assert response.context["form"].non_field_errors() == [
        "Add notes, a link or a file, so there is something to open."
    ]
    assert not Material.objects.exists()


def test_material_link_must_be_http(client_for, facilitator, project, meeting):
    response = client_for(facilitator).post(
        reverse("material_create", args=[project.slug, meeting.pk]),
        {"title": "Board", "url": "javascript:alert(1)"},
    )
    assert response.context["form"].errors["url"] == [
        "Enter a web address that starts with https:// or http://."
    ]
    assert not Material.objects.exists()


def test_assignment_due_time_is_read_in_the_meetings_zone(
    client_for, coordinator, project, meeting
):
    response = client_for(coordinator).post(
        reverse("assignment_create", args=[project.slug, meeting.pk]),
        {"title": "Five slides", "per": "organisation", "due_at": "2030-03-01T12:00"},
    )
    assert response.status_code == 302
    assert Assignment.objects.get().due_at.isoformat() == "2030-03-01T10:00:00+00:00"


def test_submission_on_time_with_a_file(client_for, participant, project, meeting):
    assignment = make_assignment(meeting)
    response = client_for(participant).post(
        reverse("assignment_detail", args=[project.slug, meeting.pk, assignment.pk]),
        {"text": "", "upload": SimpleUploadedFile("slides.txt", b"Finland: context")},
        follow=True,
    )
    assert "Handed in. Thank you!" in response.content.decode()
    submission = Submission.objects.get()
    assert (submission.user, submission.is_late, submission.file_name) == (
        participant,
        False,
        "slides.txt",
    )


def test_submission_after_the_due_date_is_kept_and_marked_late(
    client_for, participant, project, meeting
):
    assignment = make_assignment(meeting, due_in=timedelta(hours=-1))
    response = client_for(participant).post(
        reverse("assignment_detail", args=[project.slug, meeting.pk, assignment.pk]),
        {"text": "Sorry, a day late."},
        follow=True,
    )
    assert "it is kept and marked as late" in response.content.decode()
    submission = Submission.objects.get()
    assert (submission.text, submission.is_late) == ("Sorry, a day late.", True)


def test_submission_file_over_the_limit_is_refused(
    client_for, participant, project, meeting, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    assignment = make_assignment(meeting)
    response = client_for(participant).post(
        reverse("assignment_detail", args=[project.slug, meeting.pk, assignment.pk]),
        {"upload": SimpleUploadedFile("big.txt", b"a" * (2 * 1024 * 1024))},
    )
    assert response.context["form"].errors["upload"] == ["This file is 2.0 MB; the limit is 1 MB."]
    assert not Submission.objects.exists()


def test_submission_empty_is_refused(client_for, participant, project, meeting):
    assignment = make_assignment(meeting)
    response = client_for(participant).post(
        reverse("assignment_detail", args=[project.slug, meeting.pk, assignment.pk]), {"text": "  "}
    )
    assert response.context["form"].non_field_errors() == [
        "Write something or attach a file before handing in."
    ]
    assert not Submission.objects.exists()


def test_submission_per_organisation_is_shared_by_its_members(
    project, partner, partner_organisation, meeting
):
    colleague = add_member(project, role=Role.PARTICIPANT, organisation=partner_organisation)
    assignment = make_assignment(meeting, per=Assignment.Per.ORGANISATION)
    services.submit(assignment=assignment, membership=membership(project, partner), text="v1")
    services.submit(assignment=assignment, membership=membership(project, colleague), text="v2")
    submission = Submission.objects.get()
    assert (submission.organisation, submission.text, submission.submitted_by) == (
        partner_organisation,
        "v2",
        colleague,
    )


def test_assignment_status_table_shows_submitted_late_and_missing(
    client_for, coordinator, project, meeting
):
    on_time, late, missing = (add_member(project) for _ in range(3))
    for person in (on_time, late, missing):
        services.register(meeting=meeting, membership=membership(project, person))
    assignment = make_assignment(meeting)
    services.submit(assignment=assignment, membership=membership(project, on_time), text="Done")
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assignment.refresh_from_db()
    services.submit(assignment=assignment, membership=membership(project, late), text="Late")
    response = client_for(coordinator).get(
        reverse("assignment_status", args=[project.slug, meeting.pk, assignment.pk])
    )
    states = {str(owner): state for owner, _submission, state in response.context["rows"]}
    assert states == {str(on_time): "submitted", str(late): "late", str(missing): "missing"}


def test_assignment_reminder_goes_to_those_missing(
    client_for, coordinator, project, meeting, django_capture_on_commit_callbacks
):
    done, waiting = add_member(project), add_member(project)
    for person in (done, waiting):
        services.register(meeting=meeting, membership=membership(project, person))
    assignment = make_assignment(meeting)
    services.submit(assignment=assignment, membership=membership(project, done), text="Done")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("assignment_status", args=[project.slug, meeting.pk, assignment.pk]),
            follow=True,
        )
    assert "A reminder has been sent to 1 person." in response.content.decode()
    assert [message.to for message in mail.outbox] == [[waiting.email]]


def test_submission_of_someone_else_is_not_downloadable(client_for, participant, project, meeting):
    other = add_member(project, role=Role.PARTICIPANT)
    assignment = make_assignment(meeting)
    submission = services.submit(
        assignment=assignment,
        membership=membership(project, other),
        upload=SimpleUploadedFile("mine.txt", b"private"),
    )
    url = reverse(
        "submission_download", args=[project.slug, meeting.pk, assignment.pk, submission.pk]
    )
    assert client_for(participant).get(url).status_code == 403


def test_task_without_an_assignee_is_refused(client_for, coordinator, project):
    response = client_for(coordinator).post(
        reverse("task_list", args=[project.slug]), {"title": "Send the photos"}
    )
    assert response.context["form"].non_field_errors() == [
        "Say who does it: a person, an organisation, or both."
    ]
    assert not Task.objects.exists()


def test_my_tasks_include_my_organisations(
    client_for, coordinator, partner, partner_organisation, project
):
    services.save_task(
        project=project, title="For the organisation", assignee_organisation=partner_organisation
    )
    services.save_task(project=project, title="For me", assignee_user=partner)
    services.save_task(project=project, title="For someone else", assignee_user=coordinator)
    response = client_for(partner).get(reverse("task_list", args=[project.slug]), {"mine": "on"})
    titles = [task.title for task in response.context["page"]]
    assert sorted(titles) == ["For me", "For the organisation"]


def test_task_done_by_its_assignee_only(client_for, partner, participant, project):
    task = services.save_task(project=project, title="Translate the summary", assignee_user=partner)
    url = reverse("task_toggle", args=[project.slug, task.pk])
    assert client_for(participant).post(url).status_code == 403
    assert client_for(partner).post(url).status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None


@pytest.mark.parametrize("state", ["open", "done"])
def test_task_list_query_count_does_not_grow(
    client_for, partner, project, django_assert_num_queries, state
):
    for number in range(3):
        task = services.save_task(project=project, title=f"Task {number}", assignee_user=partner)
        services.set_task_done(task=task, done=state == "done")
    client = client_for(partner)
    url = reverse("task_list", args=[project.slug])
    # session, user, membership with its project, count, tasks, organisations for the filter
    with django_assert_num_queries(6):
        client.get(url, {"state": state})
    for number in range(3, 20):
        task = services.save_task(
            project=project,
            title=f"Task {number}",
            assignee_organisation=project.organisations.first(),
        )
        services.set_task_done(task=task, done=state == "done")
    with django_assert_num_queries(6):
        client.get(url, {"state": state})


def test_task_toggle_never_redirects_to_another_site(client_for, partner, project):
    task = services.save_task(project=project, title="Translate", assignee_user=partner)
    response = client_for(partner).post(
        reverse("task_toggle", args=[project.slug, task.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("task_list", args=[project.slug])


def test_assignment_status_query_count_does_not_grow(
    client_for, coordinator, project, meeting, django_assert_max_num_queries
):
    assignment = make_assignment(meeting)
    for _ in range(3):
        person = add_member(project)
        services.register(meeting=meeting, membership=membership(project, person))
        services.submit(assignment=assignment, membership=membership(project, person), text="x")
    client = client_for(coordinator)
    url = reverse("assignment_status", args=[project.slug, meeting.pk, assignment.pk])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(15):
        person = add_member(project)
        services.register(meeting=meeting, membership=membership(project, person))
        services.submit(assignment=assignment, membership=membership(project, person), text="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_due_reminders_go_out_once_and_only_when_due_soon(
    project, meeting, django_capture_on_commit_callbacks
):
    late_one, missing = add_member(project), add_member(project)
    for person in (late_one, missing):
        services.register(meeting=meeting, membership=membership(project, person))
    soon = make_assignment(meeting, due_in=timedelta(hours=20))
    make_assignment(meeting, due_in=timedelta(days=10))
    make_assignment(meeting, due_in=timedelta(hours=-1))
    services.submit(assignment=soon, membership=membership(project, late_one), text="Done")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_meeting_reminders", "--base-url", "https://jl.example.org/", stdout=out)
        call_command("send_meeting_reminders", "--base-url", "https://jl.example.org/", stdout=out)
    assert [message.to for message in mail.outbox] == [[missing.email]]
    assert (
        f"https://jl.example.org/p/{project.slug}/meetings/{meeting.pk}/assignments/{soon.pk}/"
        in mail.outbox[0].body
    )
    soon.refresh_from_db()
    assert soon.reminded_at is not None
