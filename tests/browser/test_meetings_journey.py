"""Journeys of meetings: a coordinator plans a seminar; participants register, prepare, check in."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from jointlearn.models import Organisation, Role
from meetings import services
from meetings.models import Meeting, Registration

from ..factories import add_member, make_project, make_user
from ..meetings.factories import add_item, make_meeting
from .conftest import LAPTOP, PHONE
from .test_foundation_journey import sign_in

pytestmark = pytest.mark.browser


def add_agenda_item(page, kind, title, duration, **extra):
    page.get_by_role("link", name="Add an item").first.click()
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Duration in minutes").fill(str(duration))
    for label, value in extra.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text(f"{title} has been added to the agenda.")).to_be_visible()


def test_coordinator_plans_a_seminar_and_participant_registers(live, browser, screenshot):
    aino = make_user(email="aino@example.org", display_name="Aino Virtanen")
    project = make_project(creator=aino, slug="eme", name="Empowering Migrants for Employment")
    # Straight to the table: the service broadcasts, which Playwright's event loop forbids here.
    Organisation.objects.create(
        project=project, name="Tampereen aikuiskoulutuskeskus TAKK", country="FI"
    )
    samira = add_member(
        project,
        role=Role.PARTICIPANT,
        user=make_user(email="lotte@example.org", display_name="Lotte Peeters"),
    )
    coordinator = browser.new_context(viewport=LAPTOP, timezone_id="Europe/Helsinki")
    page = coordinator.new_page()
    sign_in(page, live, "aino@example.org")
    page.goto(f"{live}/p/eme/")
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Meetings").click()
    expect(page.get_by_text("No meetings are planned yet.")).to_be_visible()
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Title").fill("Seminar in Tampere")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_label("Host organisation").select_option(
        label="Tampereen aikuiskoulutuskeskus TAKK"
    )
    page.get_by_label("Time zone").select_option("Europe/Helsinki")
    page.get_by_label("First day").fill("2030-03-12")
    page.get_by_label("Last day").fill("2030-03-14")
    page.get_by_label("Venue").fill("TAKK Hervanta")
    page.get_by_label("Address").fill("Hepolamminkatu 10, 33720 Tampere")
    page.get_by_label("Places").fill("30")
    page.get_by_label("Description").fill(
        "Three days of study visits, pitches and a learning café."
    )
    screenshot(page, "meeting-new-1280")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", name="Plan the agenda")).to_be_visible()

    add_agenda_item(page, "Icebreaker", "Map of where we come from", 30)
    add_agenda_item(page, "Lecture", "Recognising prior learning in Finland", 60)
    add_agenda_item(
        page, "Meal", "Lunch at the TAKK restaurant", 60, **{"Fixed start time": "11:30"}
    )
    add_agenda_item(page, "Pitch session", "Pitches of good practices", 45)
    expect(page.get_by_text("Runs", exact=False)).to_have_count(0)

    # Keyboard reordering: the lecture moves up before the icebreaker.
    lecture = page.locator(".agenda-item", has_text="Recognising prior learning")
    move_up = lecture.get_by_role("button", name="Move up")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".agenda-item").first).to_contain_text("Recognising prior learning")
    meeting = Meeting.objects.get()
    first_day = meeting.days.order_by("date").first()
    assert list(first_day.items.order_by("position").values_list("title", flat=True)) == [
        "Recognising prior learning in Finland",
        "Map of where we come from",
        "Lunch at the TAKK restaurant",
        "Pitches of good practices",
    ]
    # Drag and drop does the same with a mouse: the pitches go to the top of the day.
    pitches = page.locator(".agenda-item", has_text="Pitches of good practices")
    pitches.drag_to(page.locator(".agenda-item").first)
    expect(page.locator(".agenda-item").first).to_contain_text("Pitches of good practices")
    assert first_day.items.order_by("position").first().title == "Pitches of good practices"
    page.locator(".agenda-item", has_text="Pitches of good practices").drag_to(
        page.locator(".agenda-item").nth(3)
    )
    expect(page.locator(".agenda-item").nth(3)).to_contain_text("Pitches of good practices")
    expect(page.locator(".agenda-item").first).to_contain_text("Recognising prior learning")
    # A long lecture now runs into the fixed lunch: the warning sits next to the item.
    lecture.get_by_role("link", name="Edit").click()
    page.get_by_label("Duration in minutes").fill("150")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Runs 30 minutes into “Lunch at the TAKK restaurant”")).to_be_visible()
    screenshot(page, "meeting-agenda-plan-1280")
    page.get_by_role("link", name="See it as participants do").click()
    expect(page.get_by_role("heading", name="Seminar in Tampere")).to_be_visible()
    screenshot(page, "meeting-detail-1280")

    participant = browser.new_context(viewport=PHONE, timezone_id="Europe/Brussels")
    phone = participant.new_page()
    sign_in(phone, live, "lotte@example.org")
    phone.goto(f"{live}/p/eme/meetings/")
    phone.get_by_role("link", name="Seminar in Tampere").click()
    # The meeting's own times, and the participant's in brackets: Brussels is an hour behind.
    expect(phone.get_by_text("(08:00–10:30)")).to_be_visible()
    phone.get_by_role("link", name="Register").click()
    phone.get_by_label("Dietary needs").fill("Vegetarian")
    screenshot(phone, "meeting-register-390")
    phone.get_by_role("button", name="Register").click()
    expect(phone.get_by_text("You are registered. See you there!")).to_be_visible()
    screenshot(phone, "meeting-detail-390")
    registration = Registration.objects.get()
    assert (registration.user, registration.status, registration.dietary_needs) == (
        samira,
        Registration.Status.CONFIRMED,
        "Vegetarian",
    )
    phone.goto(f"{live}/p/eme/meetings/")
    expect(phone.get_by_text("You are registered")).to_be_visible()
    screenshot(phone, "meeting-list-390")
    coordinator.close()
    participant.close()


def test_participant_prepares_hands_in_subscribes_and_checks_in(live, browser, screenshot):
    project = make_project(slug="eme", name="Empowering Migrants for Employment")
    samira = add_member(
        project,
        role=Role.PARTICIPANT,
        user=make_user(email="samira@example.org", display_name="Samira Haddad"),
    )
    today = timezone.localdate()
    meeting = make_meeting(
        project, title="Seminar in Tampere", starts_on=today, ends_on=today + timedelta(days=1)
    )
    add_item(meeting.days.order_by("date").first(), "Welcome", 30)
    membership = project.memberships.get(user=samira)
    services.register(meeting=meeting, membership=membership)
    services.add_material(
        meeting=meeting,
        added_by=None,
        title="Reading before the seminar",
        notes="Read the **summary**.",
        upload=SimpleUploadedFile("summary.txt", b"Recognition of prior learning"),
    )
    assignment = services.save_assignment(
        meeting=meeting,
        title="Five slides",
        per="person",
        due_at=timezone.now() + timedelta(days=1),
    )

    context = browser.new_context(viewport=PHONE, timezone_id="Europe/Helsinki")
    phone = context.new_page()
    sign_in(phone, live, "samira@example.org")
    phone.goto(f"{live}{meeting.get_absolute_url()}")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download summary.txt").click()
    assert download.value.suggested_filename == "summary.txt"

    phone.get_by_role("link", name="Five slides").click()
    phone.get_by_label("Your answer").fill("Finland: the context, in five slides.")
    phone.get_by_label("File").set_input_files(
        files=[{"name": "slides.txt", "mimeType": "text/plain", "buffer": b"Five slides"}]
    )
    phone.get_by_role("button", name="Hand in").click()
    expect(phone.get_by_text("Handed in. Thank you!")).to_be_visible()
    screenshot(phone, "assignment-handed-in-390")
    submission = assignment.submissions.get()
    assert (submission.user, submission.file_name, submission.is_late) == (
        samira,
        "slides.txt",
        False,
    )

    phone.goto(f"{live}/p/eme/meetings/")
    phone.get_by_role("link", name="Add to my calendar").click()
    feed_url = phone.get_by_label("Only the meetings I registered for").input_value()
    screenshot(phone, "calendar-links-390")
    feed = Calendar.from_ical(context.request.get(feed_url).body())
    assert [str(event["SUMMARY"]) for event in feed.walk("VEVENT")] == [
        "Seminar in Tampere",
        "Seminar in Tampere",
    ]

    # At the door: the QR code opens the check-in page.
    phone.goto(f"{live}/p/eme/meetings/{meeting.pk}/check-in/{meeting.check_in_token}/")
    phone.get_by_role("button", name="Check me in").click()
    expect(phone.get_by_text("You are checked in. Welcome!")).to_be_visible()
    screenshot(phone, "checked-in-390")
    assert Registration.objects.get(user=samira).checked_in_at is not None
    context.close()
