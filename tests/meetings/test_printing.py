"""The printable agenda and its PDF."""

from django.urls import reverse

from .factories import add_item, make_meeting


def test_print_page_has_project_host_days_and_responsible_people(
    client_for, participant, project, partner_organisation
):
    meeting = make_meeting(project, host=partner_organisation, venue_name="TAKK")
    add_item(
        meeting.days.get(),
        "Validation of skills",
        45,
        place="Room 101",
        responsible_person="Leena Koski",
        responsible_organisation=partner_organisation,
    )
    page = client_for(participant).get(reverse("meeting_print", args=[project.slug, meeting.pk]))
    text = page.content.decode()
    for expected in [project.name, "hosted by EVA bxl", "Tuesday 12 Mar 2030", "Room 101"]:
        assert expected in text
    assert "Leena Koski" in text
    assert "09:00</time>–<time" in text


def test_print_page_is_in_the_chosen_language(client_for, participant, project):
    participant.preferred_language = "fi"
    participant.save()
    meeting = make_meeting(project)
    page = client_for(participant).get(reverse("meeting_print", args=[project.slug, meeting.pk]))
    assert "tiistai 12. maaliskuuta 2030" in page.content.decode().lower()


def test_pdf_is_a_pdf_named_after_the_meeting(client_for, participant, project):
    meeting = make_meeting(project, title="Seminar in Tampere")
    add_item(meeting.days.get(), "Opening, welcome; coffee 🎉", 30)
    response = client_for(participant).get(reverse("meeting_pdf", args=[project.slug, meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="seminar-in-tampere-2030-03-12.pdf"' in response["Content-Disposition"]
