"""The agenda: items follow one another, fixed times stay, warnings show next to the item."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone as django_timezone

from meetings import services
from meetings.models import AgendaItem

from .factories import add_item, make_meeting


def agenda_url(meeting):
    return reverse("meeting_agenda", args=[meeting.project.slug, meeting.pk])


def starts(day):
    return [(item.title, item.starts_at) for item in day.items.order_by("position")]


def test_item_create_follows_the_previous_item(client_for, coordinator, project, meeting, day):
    add_item(day, "Welcome", 30)
    response = client_for(coordinator).post(
        reverse("agenda_item_create", args=[project.slug, meeting.pk, day.pk]),
        {"kind": "icebreaker", "title": "Map of where we come from", "duration": "20"},
    )
    assert response.status_code == 302
    assert starts(day) == [("Welcome", time(9)), ("Map of where we come from", time(9, 30))]


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        ("0", "An item lasts at least one minute."),
        ("1500", "An item cannot last longer than a day (1440 minutes)."),
    ],
)
def test_item_create_bad_duration_is_refused(
    client_for, coordinator, project, meeting, day, duration, message
):
    response = client_for(coordinator).post(
        reverse("agenda_item_create", args=[project.slug, meeting.pk, day.pk]),
        {"kind": "lecture", "title": "Too long", "duration": duration},
    )
    assert response.context["form"].errors["duration"] == [message]
    assert not AgendaItem.objects.exists()


def test_item_edit_of_a_duration_moves_the_later_items(
    client_for, coordinator, project, meeting, day
):
    first = add_item(day, "Lecture", 60)
    add_item(day, "Coffee", 15, kind="break")
    client_for(coordinator).post(
        reverse("agenda_item_edit", args=[project.slug, meeting.pk, first.pk]),
        {"kind": "lecture", "title": "Lecture", "duration": "90"},
    )
    assert starts(day) == [("Lecture", time(9)), ("Coffee", time(10, 30))]


def test_item_past_the_end_of_the_day_is_warned_next_to_it(client_for, coordinator, meeting, day):
    add_item(day, "Study visit", 420, kind="study_visit")
    add_item(day, "Dinner", 90, kind="meal")
    page = client_for(coordinator).get(agenda_url(meeting)).content.decode()
    dinner = page[page.index("<strong>Dinner</strong>") :]
    assert "Ends 30 minutes after the day&#x27;s programme ends." in dinner[: dinner.index("</li>")]


def test_item_overlapping_a_fixed_item_is_warned_on_both(client_for, coordinator, meeting, day):
    add_item(day, "Workshop", 200, kind="workshop")
    add_item(day, "Bus to Silta", 30, kind="study_visit", fixed_start=time(12))
    assert starts(day) == [("Workshop", time(9)), ("Bus to Silta", time(12))]
    page = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "Runs 20 minutes into “Bus to Silta”, which has a fixed time." in page
    assert "Fixed time clashes: starts 20 minutes before “Workshop” ends." in page


def test_item_fixed_time_stays_when_earlier_items_change(coordinator, day):
    lecture = add_item(day, "Lecture", 60)
    add_item(day, "Lunch booking", 60, kind="meal", fixed_start=time(12))
    add_item(day, "Walk", 30, kind="city_tour")
    services.update_item(item=lecture, duration=30)
    assert starts(day) == [
        ("Lecture", time(9)),
        ("Lunch booking", time(12)),
        ("Walk", time(13)),
    ]


def test_item_move_buttons_reorder_and_retime(client_for, coordinator, project, meeting, day):
    add_item(day, "A", 30)
    add_item(day, "B", 60)
    c = add_item(day, "C", 15)
    client = client_for(coordinator)
    url = reverse("agenda_item_move", args=[project.slug, meeting.pk, c.pk])
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert response.url.endswith(f"#item-{c.pk}")
    assert starts(day) == [("A", time(9)), ("C", time(9, 30)), ("B", time(9, 45))]
    client.post(url, {"direction": "up"})
    client.post(url, {"direction": "up"})  # already first: stays
    assert starts(day) == [("C", time(9)), ("A", time(9, 15)), ("B", time(9, 45))]


def test_item_move_to_a_position_for_drag_and_drop(client_for, coordinator, project, meeting, day):
    a = add_item(day, "A", 30)
    add_item(day, "B", 30)
    add_item(day, "C", 30)
    response = client_for(coordinator).post(
        reverse("agenda_item_move", args=[project.slug, meeting.pk, a.pk]),
        {"position": "2"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 204
    assert [title for title, _start in starts(day)] == ["B", "C", "A"]


def test_item_move_without_a_target_is_refused(client_for, coordinator, project, meeting, day):
    a = add_item(day, "A", 30)
    add_item(day, "B", 30)
    response = client_for(coordinator).post(
        reverse("agenda_item_move", args=[project.slug, meeting.pk, a.pk]),
        {"direction": "sideways"},
        follow=True,
    )
    assert "Say where the item should go." in response.content.decode()
    assert [title for title, _start in starts(day)] == ["A", "B"]


def test_item_delete_pulls_later_items_forward(client_for, coordinator, project, meeting, day):
    a = add_item(day, "A", 30)
    add_item(day, "B", 30)
    client_for(coordinator).post(
        reverse("agenda_item_delete", args=[project.slug, meeting.pk, a.pk])
    )
    assert starts(day) == [("B", time(9))]


def test_day_edit_with_end_before_start_is_refused(client_for, coordinator, project, meeting, day):
    response = client_for(coordinator).post(
        reverse("agenda_day_edit", args=[project.slug, meeting.pk, day.pk]),
        {f"day{day.pk}-starts_at": "10:00", f"day{day.pk}-ends_at": "09:00"},
        follow=True,
    )
    assert "The programme must end after it starts." in response.content.decode()
    day.refresh_from_db()
    assert day.starts_at == time(9)


def test_day_edit_moves_every_item(client_for, coordinator, project, meeting, day):
    add_item(day, "A", 30)
    client_for(coordinator).post(
        reverse("agenda_day_edit", args=[project.slug, meeting.pk, day.pk]),
        {f"day{day.pk}-starts_at": "10:00", f"day{day.pk}-ends_at": "16:00"},
    )
    assert starts(day) == [("A", time(10))]


@pytest.mark.parametrize("page", ["meeting_agenda", "meeting_detail"])
def test_agenda_query_count_does_not_grow_with_items(
    client_for, coordinator, project, django_assert_max_num_queries, page
):
    meeting = make_meeting(project, starts_on=date(2030, 3, 12), ends_on=date(2030, 3, 14))
    for day in meeting.days.all():
        add_item(day, "Lecture", 60)
    client = client_for(coordinator)
    url = reverse(page, args=[project.slug, meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for day in meeting.days.all():
        for number in range(8):
            add_item(
                day, f"Item {number}", 30, responsible_organisation=project.organisations.first()
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_now_and_next_during_the_meeting(client_for, participant, project, monkeypatch):
    today = django_timezone.localtime(
        django_timezone.now(), django_timezone.get_fixed_timezone(120)
    )
    meeting = make_meeting(
        project, time_zone="Europe/Helsinki", starts_on=today.date(), ends_on=today.date()
    )
    day = meeting.days.get()
    day.starts_at, day.ends_at = time(0), time(23, 59)
    day.save()
    add_item(day, "Morning lecture", 600)
    add_item(day, "Pitch session", 60, kind="pitch_session")
    moment = datetime.combine(today.date(), time(9, 30), tzinfo=meeting.zone).astimezone(UTC)
    monkeypatch.setattr(django_timezone, "now", lambda: moment)
    page = client_for(participant).get(meeting.get_absolute_url()).content.decode()
    assert "Now</span> <strong>Morning lecture</strong>" in page
    assert "Next</span> <strong>Pitch session</strong>" in page
    later = moment + timedelta(days=2)
    monkeypatch.setattr(django_timezone, "now", lambda: later)
    page = client_for(participant).get(meeting.get_absolute_url()).content.decode()
    assert "now-next" not in page
