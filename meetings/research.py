"""The meetings' part of the research export: registrations and attendance of consenting people."""

from django.utils.translation import gettext as _

from jointlearn.research import Table, Variable

from .models import Registration


def research_tables(export):
    variables = [
        Variable("meeting_id", "integer", _("Number of the meeting in the project")),
        Variable("meeting_title", "string", _("Title of the meeting")),
        Variable("meeting_kind", "string", _("Kind of meeting"), "face_to_face, online, hybrid"),
        Variable("meeting_starts_on", "date", _("First day of the meeting")),
        Variable("person", "string", _("Pseudonym of the participant")),
        Variable("country", "string", _("Country of the participant's organisation (ISO code)")),
        Variable("organisation", "string", _("The participant's organisation")),
        Variable("status", "string", _("Registration status"), "confirmed, waiting, cancelled"),
        Variable("registered_on", "date", _("Day of registration")),
        Variable("attended", "boolean", _("Checked in at the meeting"), "1 = yes, 0 = no"),
    ]
    registrations = (
        Registration.objects.filter(meeting__project=export.project, user_id__in=export.consenting)
        .select_related("meeting", "organisation")
        .order_by("meeting__starts_on", "meeting_id", "registered_at", "pk")
    )
    rows = [
        {
            "meeting_id": registration.meeting_id,
            "meeting_title": registration.meeting.title,
            "meeting_kind": registration.meeting.kind,
            "meeting_starts_on": registration.meeting.starts_on.isoformat(),
            "person": export.pseudonym(registration.user_id),
            "country": registration.organisation.country.code
            if registration.organisation
            else export.country_of(registration.user_id),
            "organisation": str(registration.organisation or ""),
            "status": registration.status,
            "registered_on": registration.registered_at.date().isoformat(),
            "attended": 1 if registration.checked_in_at else 0,
        }
        for registration in registrations
    ]
    return [Table("attendance", _("Meetings: registrations and check-in"), variables, rows)]
