"""The café's pages: set-up, check-in, the shared live pages for a café, harvest and exports."""

import csv
import io
import json

from django.urls import reverse

from jointlearn import services as core_services
from jointlearn.models import LiveActivity, Role
from jointlearn.permissions import GUEST_SESSION_KEY
from learningcafe.models import Cafe, CafeTable, Note
from meetings.services import open_live_activity, prepare_live_activity

from ..factories import add_member, make_project
from ..meetings.factories import add_item, make_meeting
from .factories import facilitator_actor, make_cafe, op, people, table_of


def set_up_data(**overrides):
    data = {
        "title": "Learning café in Tampere",
        "mode": "hybrid",
        "rounds": "3",
        "round_minutes": "15",
        "table_capacity": "6",
        "votes_per_round": "3",
        "tables-TOTAL_FORMS": "3",
        "tables-INITIAL_FORMS": "0",
        "tables-MIN_NUM_FORMS": "0",
        "tables-MAX_NUM_FORMS": "40",
        "tables-0-theme": "Peer tutoring",
        "tables-0-question": "What makes a peer group work?",
        "tables-1-theme": "The employer's perspective",
        "tables-1-video_url": "https://meet.example.org/employers",
        "tables-2-theme": "",
    }
    data.update(overrides)
    return data


def test_set_up_creates_the_cafe_with_its_tables_and_opens_the_console(
    client_for, project, facilitator
):
    client = client_for(facilitator)
    assert client.get(reverse("cafe_create", args=[project.slug])).status_code == 200
    host = add_member(project, role=Role.PARTNER)
    response = client.post(
        reverse("cafe_create", args=[project.slug]), set_up_data(**{"tables-0-host": host.pk})
    )
    cafe = Cafe.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("live_console", args=[project.slug, cafe.activity_id])
    assert (cafe.mode, cafe.rounds, cafe.round_minutes) == ("hybrid", 3, 15)
    tables = list(cafe.tables.values_list("number", "theme", "host", "video_url"))
    assert tables == [
        (1, "Peer tutoring", host.pk, ""),
        (2, "The employer's perspective", None, "https://meet.example.org/employers"),
    ]
    # The host is a participant from the start.
    assert cafe.participants.get().user == host
    console = client.get(response["Location"])
    assert console.status_code == 200
    assert "Peer tutoring" in console.content.decode()


def test_set_up_refuses_no_tables_and_a_host_twice(client_for, project, facilitator):
    client = client_for(facilitator)
    url = reverse("cafe_create", args=[project.slug])
    response = client.post(
        url,
        set_up_data(
            **{
                "tables-0-theme": "",
                "tables-0-question": "",
                "tables-1-theme": "",
                "tables-1-video_url": "",
            }
        ),
    )
    assert "Add at least one table with a theme." in response.content.decode()
    host = add_member(project, role=Role.PARTNER)
    response = client.post(url, set_up_data(**{"tables-0-host": host.pk, "tables-1-host": host.pk}))
    assert "A person can host one table only." in response.content.decode()
    assert not Cafe.objects.exists()


def test_set_up_cannot_change_a_running_cafe(client_for, project, facilitator):
    cafe = make_cafe(project)
    people(project, cafe, 2)
    op(cafe, facilitator_actor(project), "cafe.start", expected_round=0)
    response = client_for(facilitator).post(
        reverse("cafe_edit", args=[project.slug, cafe.activity_id]), set_up_data()
    )
    assert "The café has started" in response.content.decode()
    assert list(CafeTable.objects.values_list("theme", flat=True)) == ["Peer tutoring", "Employers"]


def test_check_in_page_checks_in_a_member(client_for, project, facilitator):
    cafe = make_cafe(project)
    member = add_member(project, role=Role.PARTICIPANT)
    client = client_for(facilitator)
    url = reverse("cafe_check_in", args=[project.slug, cafe.activity_id])
    page = client.get(url).content.decode()
    assert str(member) in page
    response = client.post(url, {"id": "check-1", "user_id": member.pk})
    assert response.status_code == 302
    assert cafe.participants.filter(user=member).exists()
    response = client.post(url, {"id": "check-2", "user_id": member.pk}, follow=True)
    assert f"{member} is already checked in." in response.content.decode()


def test_live_pages_of_a_running_cafe(client_for, project, facilitator):
    cafe = make_cafe(project)
    room = people(project, cafe, 4)
    op(cafe, facilitator_actor(project), "cafe.start", expected_round=0)
    participant = room[0].membership.user
    client = client_for(participant)
    page = client.get(reverse("live_activity", args=[project.slug, cafe.activity_id]))
    html = page.content.decode()
    table = CafeTable.objects.get(pk=table_of(cafe, room[0]))
    assert table.theme in html and table.question in html
    assert "Round 1 of 3" in html
    client = client_for(facilitator)
    for name in ["live_console", "live_projector"]:
        response = client.get(reverse(name, args=[project.slug, cafe.activity_id]))
        assert response.status_code == 200
        assert cafe.activity.join_code.code in response.content.decode()


def test_the_console_shows_the_plans_figures_once_the_cafe_has_started(
    client_for, project, facilitator
):
    cafe = make_cafe(project)
    people(project, cafe, 4)
    console = client_for(facilitator)
    url = reverse("live_console", args=[project.slug, cafe.activity_id])
    page = console.get(url).content.decode()
    assert "Seating plan" in page and "The plan is made when the café starts." in page
    assert '<dl class="dashboard-figures dashboard-figures--small" data-quality hidden>' in page
    op(cafe, facilitator_actor(project), "cafe.start", expected_round=0)
    page = console.get(url).content.decode()
    assert '<dl class="dashboard-figures dashboard-figures--small" data-quality>' in page
    quality = Cafe.objects.get(pk=cafe.pk).plan["quality"]
    shown = f'data-quality-figure="repeat_pairs">{quality["repeat_pairs"]}</dd>'
    assert shown in page
    assert 'value="cafe.remove_person"' in page


def test_leaving_the_cafe_works_without_javascript(client_for, project, facilitator):
    cafe = make_cafe(project)
    room = people(project, cafe, 4)
    op(cafe, facilitator_actor(project), "cafe.start", expected_round=0)
    client = client_for(room[0].membership.user)
    url = reverse("live_activity", args=[project.slug, cafe.activity_id])
    page = client.get(url).content.decode()
    assert 'value="cafe.leave"' in page and "Leave the café" in page
    response = client.post(
        reverse("live_op", args=[project.slug, cafe.activity_id]),
        {"op": "cafe.leave", "id": "leave-1"},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert table_of(cafe, room[0]) is None
    page = client.get(url).content.decode()
    # The page offers to check in again.
    assert '<section class="cafe__join card stack" data-join aria-labelledby' in page


def test_live_list_offers_to_set_up_a_cafe(client_for, project, facilitator):
    page = client_for(facilitator).get(reverse("live_list", args=[project.slug]))
    assert reverse("cafe_create", args=[project.slug]) in page.content.decode()


def test_guest_of_another_activity_cannot_open_the_cafe(client, project):
    cafe = make_cafe(project)
    wall_code = core_services.create_join_code(project=project, label="Wall")
    from jointlearn.live.wordwall import create_word_wall

    wall = create_word_wall(
        project=project, created_by=project.memberships.get().user, question="Hello?"
    )
    guest = core_services.join_as_guest(join_code=wall.join_code, display_name="Guest")
    session = client.session
    session[GUEST_SESSION_KEY] = {str(project.pk): guest.pk}
    session.save()
    assert wall_code.pk
    response = client.get(reverse("live_activity", args=[project.slug, cafe.activity_id]))
    assert response.status_code == 404
    response = client.post(
        reverse("live_op", args=[project.slug, cafe.activity_id]),
        {"op": "cafe.join", "id": "x"},
    )
    assert response.status_code == 404
    assert not cafe.participants.exists()


def test_cafe_of_another_project_is_404(client_for, project, facilitator):
    other = make_cafe(make_project())
    client = client_for(facilitator)
    for name in ["cafe_edit", "cafe_check_in", "cafe_harvest", "cafe_harvest_csv"]:
        response = client.get(reverse(name, args=[project.slug, other.activity_id]))
        assert response.status_code == 404, name
    response = client.get(reverse("live_console", args=[project.slug, other.activity_id]))
    assert response.status_code == 404


def finished_cafe(project):
    cafe = make_cafe(project, rounds=2)
    room = people(project, cafe, 4)
    runner = facilitator_actor(project)
    op(cafe, runner, "cafe.start", expected_round=0)
    for n, actor in enumerate(room):
        op(cafe, actor, "note.post", table_id=table_of(cafe, actor), text=f"=Idea {n}")
    op(cafe, runner, "cafe.next", expected_round=0)
    op(cafe, room[0], "note.post", table_id=table_of(cafe, room[0]), text="Second round")
    table = table_of(cafe, room[0])
    op(cafe, runner, "summary.save", table_id=table, text="They agreed.", base_version=0)
    op(cafe, runner, "cafe.end")
    return cafe, room


def test_harvest_per_theme_with_filters(
    client_for, project, participant, django_assert_max_num_queries
):
    cafe, _room = finished_cafe(project)
    client = client_for(participant)
    url = reverse("cafe_harvest", args=[project.slug, cafe.activity_id])
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "They agreed." in page and "Second round" in page and "=Idea 0" in page
    page = client.get(url, {"round": "2"}).content.decode()
    assert "Second round" in page and "=Idea 0" not in page
    page = client.get(url, {"country": "SE"}).content.decode()
    se_notes = Note.objects.filter(author_country="SE").values_list("text", flat=True)
    others = Note.objects.exclude(author_country="SE").values_list("text", flat=True)
    assert all(text in page for text in se_notes)
    assert not any(f'<p class="note__text">{text}</p>' in page for text in others)


def test_harvest_exports(client_for, project, participant):
    cafe, _room = finished_cafe(project)
    client = client_for(participant)
    args = [project.slug, cafe.activity_id]
    markdown = client.get(reverse("cafe_harvest_md", args=args))
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    text = markdown.content.decode()
    assert "## 1. Peer tutoring" in text and "They agreed." in text
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("cafe_harvest_csv", args=args)).content.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 5
    assert {row["note"] for row in rows} >= {"'=Idea 0", "Second round"}
    payload = json.loads(client.get(reverse("cafe_harvest_json", args=args)).content)
    assert payload["cafe"]["rounds"] == 2
    assert sum(len(theme["notes"]) for theme in payload["themes"]) == 5
    shared = json.loads(
        client_for(project.memberships.get(role=Role.COORDINATOR).user)
        .get(reverse("live_export_json", args=args))
        .content
    )
    assert shared["activity"]["kind"] == "cafe" and len(shared["themes"]) == 2


def test_agenda_prepares_a_cafe_and_opens_it(project, facilitator):
    meeting = make_meeting(project)
    item = add_item(meeting.days.get(), kind="learning_cafe", title="Learning café")
    activity = prepare_live_activity(item=item, kind=LiveActivity.Kind.CAFE, created_by=facilitator)
    assert activity.state == LiveActivity.State.PREPARED
    assert Cafe.objects.get(activity=activity).phase == Cafe.Phase.WAITING
    assert activity.join_code.is_open is False
    opened = open_live_activity(item=item, membership=project.memberships.get(user=facilitator))
    assert opened.state == LiveActivity.State.OPEN
