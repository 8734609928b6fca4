"""Live activities of agenda slots: "Prepare" creates the activity of a live-kind item, and
"Open" starts it when the slot comes."""

import pytest
from django.urls import reverse

from jointlearn.live import protocol
from jointlearn.models import Guest, LiveActivity
from meetings import services
from meetings.models import AgendaItem

from .factories import add_item


@pytest.fixture
def icebreaker(day):
    return add_item(day, "Where do you come from?", 20, kind=AgendaItem.Kind.ICEBREAKER)


def membership_of(user, item):
    return item.day.meeting.project.memberships.get(user=user)


def prepare_url(item):
    meeting = item.day.meeting
    return reverse("agenda_item_prepare", args=[meeting.project.slug, meeting.pk, item.pk])


def open_url(item):
    meeting = item.day.meeting
    return reverse("agenda_item_open", args=[meeting.project.slug, meeting.pk, item.pk])


def test_prepare_creates_a_closed_activity_for_the_slot(client_for, facilitator, icebreaker):
    response = client_for(facilitator).post(
        prepare_url(icebreaker), {"kind": "wordwall", "from": "plan"}
    )
    icebreaker.refresh_from_db()
    activity = icebreaker.live_activity
    assert response["Location"].endswith(f"/agenda/#item-{icebreaker.pk}")
    assert (activity.kind, activity.title, activity.state) == (
        "wordwall",
        "Where do you come from?",
        LiveActivity.State.PREPARED,
    )
    assert activity.join_code.is_open is False
    assert activity.created_by == facilitator


def test_a_prepared_activity_takes_no_guest_and_waits_for_members(
    client, client_for, facilitator, participant, icebreaker, project
):
    activity = services.prepare_live_activity(
        item=icebreaker, kind="wordwall", created_by=facilitator
    )
    response = client.post(
        reverse("join_code", args=[activity.join_code.code]), {"display_name": "Early"}
    )
    assert "has closed" in response.content.decode()
    assert not Guest.objects.exists()
    member = client_for(participant)
    page = member.get(activity.get_absolute_url()).content.decode()
    assert "This activity has not started yet." in page
    listed = member.get(reverse("live_list", args=[project.slug])).content.decode()
    assert activity.title not in listed
    # The facilitator sees it in the list, and its console.
    console = client_for(facilitator).get(reverse("live_list", args=[project.slug]))
    assert activity.title in console.content.decode()


def test_open_starts_it_and_opens_its_code(client_for, facilitator, participant, icebreaker):
    activity = services.prepare_live_activity(
        item=icebreaker, kind="wordwall", created_by=facilitator
    )
    response = client_for(facilitator).post(open_url(icebreaker), {"from": "detail"})
    activity.refresh_from_db()
    assert response["Location"] == reverse(
        "live_console", args=[activity.project.slug, activity.pk]
    )
    assert activity.state == LiveActivity.State.OPEN
    assert activity.join_code.is_open is True
    assert activity.version == 1  # through the live protocol: open pages hear of it
    meeting_page = client_for(participant).get(icebreaker.day.meeting.get_absolute_url())
    assert activity.get_absolute_url() in meeting_page.content.decode()


def test_the_agenda_offers_prepare_only_to_facilitators(
    client_for, facilitator, participant, icebreaker
):
    add_item(icebreaker.day, "Opening lecture", 45)
    meeting = icebreaker.day.meeting
    page = client_for(facilitator).get(meeting.get_absolute_url()).content.decode()
    assert prepare_url(icebreaker) in page
    assert page.count("/prepare/") == 1  # a lecture has no live activity
    page = client_for(participant).get(meeting.get_absolute_url()).content.decode()
    assert "/prepare/" not in page


@pytest.mark.parametrize(
    ("language", "button", "state"),
    [("fi", "Avaa", "Valmisteltu"), ("sv", "Öppna", "Förberedd"), ("fr", "Ouvrir", "Préparée")],
)
def test_the_open_button_says_open_as_a_verb_not_as_a_state(
    client_for, facilitator, icebreaker, language, button, state
):
    services.prepare_live_activity(item=icebreaker, kind="wordwall", created_by=facilitator)
    facilitator.preferred_language = language
    facilitator.save(update_fields=["preferred_language"])
    page = client_for(facilitator).get(icebreaker.day.meeting.get_absolute_url()).content.decode()
    form = page.split(open_url(icebreaker), 1)[1].split("</form>", 1)[0]
    assert f'class="button button--small">{button}<span' in form
    assert f": {state}</span>" in page  # the state badge keeps the adjective


@pytest.mark.parametrize(
    ("kind", "item_kind", "message"),
    [
        ("wordwall", AgendaItem.Kind.LECTURE, "cannot be prepared for this item"),
        ("nonsense", AgendaItem.Kind.ICEBREAKER, "cannot be prepared for this item"),
        ("", AgendaItem.Kind.ICEBREAKER, "cannot be prepared for this item"),
    ],
)
def test_prepare_refuses_a_kind_the_slot_cannot_take(
    client_for, facilitator, day, kind, item_kind, message
):
    item = add_item(day, "Slot", 30, kind=item_kind)
    response = client_for(facilitator).post(prepare_url(item), {"kind": kind}, follow=True)
    assert message in response.content.decode()
    assert not LiveActivity.objects.exists()


def test_prepare_twice_keeps_the_first(client_for, facilitator, icebreaker):
    client = client_for(facilitator)
    client.post(prepare_url(icebreaker), {"kind": "wordwall"})
    response = client.post(prepare_url(icebreaker), {"kind": "wordwall"}, follow=True)
    assert "This item already has its live activity." in response.content.decode()
    assert LiveActivity.objects.count() == 1


def test_open_before_prepare_says_what_to_do(client_for, facilitator, icebreaker):
    response = client_for(facilitator).post(open_url(icebreaker), follow=True)
    assert "Prepare the activity of this item first." in response.content.decode()


def test_open_twice_is_one_opening(client_for, facilitator, icebreaker):
    activity = services.prepare_live_activity(
        item=icebreaker, kind="wordwall", created_by=facilitator
    )
    client = client_for(facilitator)
    client.post(open_url(icebreaker))
    client.post(open_url(icebreaker))
    activity.refresh_from_db()
    assert (activity.state, activity.version) == (LiveActivity.State.OPEN, 1)


def test_a_started_activity_does_not_go_back_to_prepared(facilitator, icebreaker):
    activity = services.prepare_live_activity(
        item=icebreaker, kind="wordwall", created_by=facilitator
    )
    services.open_live_activity(item=icebreaker, membership=membership_of(facilitator, icebreaker))
    with pytest.raises(protocol.LiveError) as refused:
        protocol.apply_op(
            activity_id=activity.pk,
            actor=protocol.Actor(membership=membership_of(facilitator, icebreaker)),
            op_id="back",
            op="state.set",
            data={"state": "prepared"},
        )
    assert refused.value.code == "invalid"


def test_deleting_the_activity_frees_the_slot(facilitator, icebreaker):
    activity = services.prepare_live_activity(
        item=icebreaker, kind="wordwall", created_by=facilitator
    )
    activity.delete()
    icebreaker.refresh_from_db()
    assert icebreaker.live_activity is None
