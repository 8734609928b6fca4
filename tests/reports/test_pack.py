"""The project pack: its contents, its cache by data fingerprint, its build off the request."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jointlearn.models import Project
from learningcafe.models import Note
from practices.models import Criterion
from reports import pack, services
from reports.models import ProjectPack

from .helpers import ANONYMOUS_AUTHOR, HIDDEN_NOTE, NAMED_AUTHOR, trail_world


def files_of(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def world(project):
    return trail_world(project)


def built(project, coordinator, django_capture_on_commit_callbacks, language="en"):
    """Request a pack and run its build here, as the thread started after the commit would."""
    with django_capture_on_commit_callbacks() as callbacks:
        requested, started = services.request_pack(
            project=project, requested_by=coordinator, language=language
        )
    assert started and len(callbacks) == 1
    services.build_pack(pack_id=requested.pk)
    return ProjectPack.objects.get(pk=requested.pk)


def test_the_pack_holds_every_part_of_the_project(
    project, coordinator, world, django_capture_on_commit_callbacks
):
    ready = built(project, coordinator, django_capture_on_commit_callbacks)
    assert ready.status == ProjectPack.Status.READY and ready.progress == 100
    assert ready.file_name.endswith(".zip") and ready.size > 0
    files = files_of(ready.file.read())
    names = set(files)
    for expected in [
        "README.md",
        "project-pack.pdf",
        "meetings/meetings.csv",
        "meetings/2030-03-12-seminar-1/agenda.md",
        "meetings/2030-03-12-seminar-1/attendance/by-country.csv",
        "practices/practices.csv",
        "practices/evaluations.csv",
        "practices/transferability-matrix.csv",
        "practices/transfers.csv",
        "reflections/learning-formats.csv",
    ]:
        assert expected in names, expected
    assert any(name.startswith("cafe/") and name.endswith(".csv") for name in names)
    assert sum(name.startswith("surveys/") for name in names) == 4  # two surveys, CSV and MD
    assert files["project-pack.pdf"].startswith(b"%PDF")
    assert "Mentors from the trade unions" in files["practices/transfers.csv"].decode()
    formats = files["reflections/learning-formats.csv"].decode()
    assert "Study visit" in formats and "Seminar 1" in formats
    everything = b"".join(content for name, content in files.items() if not name.endswith("pdf"))
    text = everything.decode()
    assert "Older mentors open doors" in text
    # Nothing private: no hidden note, no author of an anonymous answer, no evaluator.
    assert HIDDEN_NOTE not in text and "Secret" not in text
    assert ANONYMOUS_AUTHOR not in text
    assert NAMED_AUTHOR not in text


def test_the_pdf_is_in_the_language_it_was_asked_in(
    project, coordinator, world, django_capture_on_commit_callbacks
):
    ready = built(project, coordinator, django_capture_on_commit_callbacks, language="fi")
    readme = files_of(ready.file.read())["README.md"].decode()
    assert "JointLearn" in readme
    assert ready.language == "fi"


def test_a_pack_of_the_same_data_is_served_again(
    project, coordinator, world, django_capture_on_commit_callbacks
):
    first = built(project, coordinator, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as callbacks:
        again, started = services.request_pack(
            project=project, requested_by=coordinator, language="en"
        )
    assert again == first and not started and not callbacks
    # Another language is another pack.
    with django_capture_on_commit_callbacks() as callbacks:
        other, started = services.request_pack(
            project=project, requested_by=coordinator, language="sv"
        )
    assert started and other != first


@pytest.mark.parametrize(
    "change",
    [
        "new_note",
        "hide_note",
        "vote",
        "transfer",
        "meeting",
        "practice",
        "organisation",
        "agenda",
        "criterion",
    ],
)
def test_the_fingerprint_moves_with_the_data(project, coordinator, world, change):
    meeting, practice = world
    before = pack.fingerprint(project, "en")
    assert pack.fingerprint(project, "en") == before
    note = Note.objects.filter(cafe__activity__project=project, hidden=False).first()
    if change == "new_note":
        Note.objects.create(
            cafe=note.cafe, table=note.table, round_index=0, author_name="E", text="More"
        )
    elif change == "hide_note":
        Note.objects.filter(pk=note.pk).update(hidden=True)
    elif change == "vote":
        Note.objects.filter(pk=note.pk).update(votes=99)
    elif change == "transfer":
        practice.transfers.update(applied_on=meeting.starts_on)
        practice.transfers.first().delete()
    elif change == "meeting":
        meeting.title = "Renamed seminar"
        meeting.save()
    elif change == "practice":
        practice.summary = "A new summary."
        practice.save()
    elif change == "organisation":
        practice.organisation.name = "Renamed organisation"
        practice.organisation.save()
    elif change == "agenda":
        from meetings import services as meeting_services

        item = meeting.days.get().items.first()
        meeting_services.update_item(item=item, title="Renamed slot")
    elif change == "criterion":
        criterion = Criterion.objects.filter(project=project).first()
        criterion.name = "Renamed criterion"
        criterion.save()
    assert pack.fingerprint(project, "en") != before
    assert pack.fingerprint(project, "fi") != pack.fingerprint(project, "en")


def test_a_new_pack_replaces_the_outdated_one(
    project, coordinator, world, django_capture_on_commit_callbacks
):
    first = built(project, coordinator, django_capture_on_commit_callbacks)
    name = first.file.name
    meeting, _practice = world
    meeting.title = "Renamed seminar"
    meeting.save()
    with django_capture_on_commit_callbacks() as callbacks:
        second, started = services.request_pack(
            project=project, requested_by=coordinator, language="en"
        )
    assert started and len(callbacks) == 1
    # The old file goes once the new pack is committed.
    with django_capture_on_commit_callbacks(execute=True):
        second = services.build_pack(pack_id=second.pk)
    assert list(ProjectPack.objects.filter(project=project)) == [second]
    assert not ProjectPack.file.field.storage.exists(name)
    assert "Renamed seminar" in files_of(second.file.read())["meetings/meetings.csv"].decode()


def test_a_build_under_way_is_joined_and_a_dead_one_replaced(project, coordinator, world):
    building = ProjectPack.objects.create(
        project=project, language="en", fingerprint="x", requested_by=coordinator
    )
    joined, started = services.request_pack(
        project=project, requested_by=coordinator, language="en"
    )
    assert joined == building and not started
    ProjectPack.objects.filter(pk=building.pk).update(
        requested_at=timezone.now() - timedelta(hours=1)
    )
    building.refresh_from_db()
    assert building.has_failed and not building.is_building
    fresh, started = services.request_pack(project=project, requested_by=coordinator, language="en")
    assert started and fresh != building


def test_a_failed_build_is_recorded_and_said(
    client, project, coordinator, world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(project, progress=None):
        raise RuntimeError("out of paper")

    monkeypatch.setattr(pack, "build", broken)
    with django_capture_on_commit_callbacks():
        requested, _started = services.request_pack(
            project=project, requested_by=coordinator, language="en"
        )
    assert services.build_pack(pack_id=requested.pk) is None
    requested.refresh_from_db()
    assert requested.status == ProjectPack.Status.FAILED
    client.force_login(coordinator)
    page = client.get(reverse("project_pack", args=[project.slug])).content.decode()
    assert "The last pack could not be built." in page
    assert "Build the project pack" in page
    status = client.get(reverse("project_pack_status", args=[project.slug, requested.pk]))
    assert status.json()["status"] == "failed"
    download = client.get(reverse("project_pack_download", args=[project.slug, requested.pk]))
    assert download.status_code == 404


def test_the_pack_page_from_a_click_to_the_download(
    client, project, coordinator, world, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page_url = reverse("project_pack", args=[project.slug])
    assert "No pack has been built yet." in client.get(page_url).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("project_pack_build", args=[project.slug]))
    assert response.status_code == 302 and len(callbacks) == 1
    requested = ProjectPack.objects.get(project=project)
    page = client.get(page_url).content.decode()
    assert "<progress" in page and "js/project-pack.js" in page
    status_url = reverse("project_pack_status", args=[project.slug, requested.pk])
    assert status_url in page
    assert client.get(status_url).json() == {"status": "building", "progress": 0, "download": ""}
    services.build_pack(pack_id=requested.pk)
    download_url = reverse("project_pack_download", args=[project.slug, requested.pk])
    assert client.get(status_url).json() == {
        "status": "ready",
        "progress": 100,
        "download": download_url,
    }
    page = client.get(page_url).content.decode()
    assert "this pack is current" in page and download_url in page
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    assert "project-pack.pdf" in files_of(b"".join(download.streaming_content))
    # Clicking again with unchanged data builds nothing.
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("project_pack_build", args=[project.slug]))
    assert not callbacks and ProjectPack.objects.filter(project=project).count() == 1
    # Once the data changes, the page offers the earlier pack and a new build.
    Note.objects.filter(cafe__activity__project=project).update(votes=7)
    page = client.get(page_url).content.decode()
    assert "The project's data has changed since the last pack" in page
    assert download_url in page


def test_another_projects_pack_is_404(client, project, coordinator, world):
    from ..factories import make_project

    elsewhere = ProjectPack.objects.create(
        project=make_project(), language="en", fingerprint="x", status="ready"
    )
    client.force_login(coordinator)
    for name in ["project_pack_status", "project_pack_download"]:
        response = client.get(reverse(name, args=[project.slug, elsewhere.pk]))
        assert response.status_code == 404


def test_the_pack_of_an_empty_project_says_nothing_was_recorded(
    project, coordinator, django_capture_on_commit_callbacks
):
    ready = built(project, coordinator, django_capture_on_commit_callbacks)
    files = files_of(ready.file.read())
    assert files["project-pack.pdf"].startswith(b"%PDF")
    assert files["practices/practices.csv"].decode().count("\n") == 1  # the header only


def test_names_that_look_like_formulas_stay_text(
    project, coordinator, world, django_capture_on_commit_callbacks
):
    _meeting, practice = world
    practice.transfers.update(adapted='=HYPERLINK("http://evil")\n"quoted", and ‏עברית')
    ready = built(project, coordinator, django_capture_on_commit_callbacks)
    transfers = files_of(ready.file.read())["practices/transfers.csv"].decode()
    assert "'=HYPERLINK" in transfers
    assert "עברית" in transfers


def test_the_demo_pack_builds(db, django_capture_on_commit_callbacks):
    call_command("seed_demo", "--accounts", stdout=io.StringIO())
    project = Project.objects.get(slug="eme")
    coordinator = project.memberships.filter(role="coordinator").first()
    user = coordinator.user if coordinator else None
    ready = built(project, user, django_capture_on_commit_callbacks)
    files = files_of(ready.file.read())
    assert "Duo for a Job" in files["practices/transfers.csv"].decode()
    assert any(name.startswith("cafe/") for name in files)
