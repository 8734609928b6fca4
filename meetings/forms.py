"""Forms for every input about meetings: the meeting, its days and items, registration."""

import zoneinfo
from datetime import time

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jointlearn.models import TIME_ZONE_CHOICES, User

from .models import AgendaDay, AgendaItem, Assignment, Icebreaker, Meeting, Registration, Task

WEB_LINK = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with https:// or http://."),
)


class WebLinkField(forms.URLField):
    """An http(s) address only: no ftp:, javascript: or other schemes."""

    default_validators = [WEB_LINK]
    default_error_messages = {"invalid": WEB_LINK.message}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=TIME_ZONE_CHOICES, **kwargs)
        self.error_messages["invalid_choice"] = _(
            "%(value)s is not a time zone we know. Choose one from the list, "
            "for example Europe/Helsinki."
        )


class MeetingForm(forms.ModelForm):
    """A meeting; registration times are typed in the meeting's own time zone."""

    time_zone = TimeZoneField(
        label=_("Time zone"),
        help_text=_("The host's time zone. Every time of the agenda is in this zone."),
    )
    day_starts_at = forms.TimeField(
        label=_("Programme starts each day at"), initial=time(9), widget=TimeInput()
    )
    day_ends_at = forms.TimeField(
        label=_("Programme ends each day at"), initial=time(17), widget=TimeInput()
    )
    map_url = WebLinkField(
        label=_("Map link"),
        required=False,
        help_text=_("For example a link to OpenStreetMap."),
    )
    online_url = WebLinkField(
        label=_("Online link"),
        required=False,
        help_text=_("Registered people see it from 30 minutes before the meeting until it ends."),
    )
    registration_opens_at = forms.DateTimeField(
        label=_("Registration opens"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("In the meeting's time zone. Empty: as soon as the meeting is published."),
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("In the meeting's time zone. Empty: when the meeting ends."),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "status",
            "host",
            "time_zone",
            "starts_on",
            "ends_on",
            "venue_name",
            "venue_address",
            "map_url",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "capacity": _("Leave empty for no limit. When it is full, people join a waiting list."),
            "description": _("Markdown: **bold**, *italic*, lists and links."),
        }

    field_order = [
        "title",
        "kind",
        "status",
        "host",
        "time_zone",
        "starts_on",
        "ends_on",
        "day_starts_at",
        "day_ends_at",
    ]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = project.organisations.all()
        self.fields["capacity"].error_messages["min_value"] = _(
            "The number of places cannot be negative."
        )
        if self.instance.pk:
            del self.fields["day_starts_at"]
            del self.fields["day_ends_at"]
            zone = self.instance.zone
            for name in ["registration_opens_at", "registration_closes_at"]:
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)
        else:
            self.initial.setdefault("time_zone", project.time_zone)

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if starts_on and ends_on and (ends_on - starts_on).days > 30:
            self.add_error("ends_on", _("A meeting can last at most 31 days."))
        day_starts, day_ends = cleaned.get("day_starts_at"), cleaned.get("day_ends_at")
        if day_starts and day_ends and day_ends <= day_starts:
            self.add_error("day_ends_at", _("The programme must end after it starts."))
        zone_name = cleaned.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            current = timezone.get_current_timezone()
            for name in ["registration_opens_at", "registration_closes_at"]:
                value = cleaned.get(name)
                if value:
                    # The form read the time in the viewer's zone; it was meant in the meeting's.
                    naive = timezone.localtime(value, current).replace(tzinfo=None)
                    cleaned[name] = naive.replace(tzinfo=zone)
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        return cleaned

    def service_fields(self):
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if "day_starts_at" in self.fields:
            fields["day_starts_at"] = self.cleaned_data["day_starts_at"]
            fields["day_ends_at"] = self.cleaned_data["day_ends_at"]
        return fields


class DuplicateMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title of the new meeting"), max_length=200)
    starts_on = forms.DateField(label=_("Its first day"), widget=DateInput())


class AgendaDayForm(forms.ModelForm):
    class Meta:
        model = AgendaDay
        fields = ["title", "starts_at", "ends_at"]
        widgets = {"starts_at": TimeInput(), "ends_at": TimeInput()}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The programme must end after it starts."))
        return cleaned


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "kind",
            "title",
            "duration",
            "fixed_start",
            "place",
            "responsible_organisation",
            "responsible_person",
            "description",
            "materials",
        ]
        widgets = {
            "fixed_start": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "materials": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "description": _("Markdown: **bold**, *italic*, lists and links."),
            "materials": _("What to bring or read, one per line."),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = project.organisations.all()
        self.fields["duration"].error_messages.update(
            {
                "min_value": _("An item lasts at least one minute."),
                "max_value": _("An item cannot last longer than a day (1440 minutes)."),
            }
        )
        self.fields["duration"].widget.attrs.update({"min": 1, "max": 1440, "step": 5})


class MoveItemForm(forms.Form):
    """Move by one place (the buttons) or to a position (drag and drop)."""

    direction = forms.ChoiceField(
        choices=[("up", _("Move up")), ("down", _("Move down"))], required=False
    )
    position = forms.IntegerField(min_value=0, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("direction") and cleaned.get("position") is None:
            raise forms.ValidationError(_("Say where the item should go."))
        return cleaned

    def target(self, current):
        direction = self.cleaned_data.get("direction")
        if direction:
            return max(0, current + (-1 if direction == "up" else 1))
        return self.cleaned_data["position"]


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["dietary_needs", "accessibility_needs"]
        help_texts = {
            "dietary_needs": _("For example vegetarian, halal, gluten-free or an allergy."),
            "accessibility_needs": _(
                "For example step-free access, a hearing loop or materials in large print."
            ),
        }
        labels = {
            "dietary_needs": _("Dietary needs"),
            "accessibility_needs": _("Accessibility needs"),
        }


class CheckInForm(forms.Form):
    checked_in = forms.BooleanField(required=False)


def meeting_local(cleaned, name, zone):
    """A datetime the form read in the viewer's zone, re-read as typed in the meeting's zone."""
    value = cleaned.get(name)
    if value:
        naive = timezone.localtime(value, timezone.get_current_timezone()).replace(tzinfo=None)
        cleaned[name] = naive.replace(tzinfo=zone)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    url = WebLinkField(label=_("Link"), required=False)
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, office documents, text or pictures."),
    )

    def clean(self):
        cleaned = super().clean()
        something = cleaned.get("notes") or cleaned.get("url") or cleaned.get("upload")
        if not something and not self.errors:
            raise forms.ValidationError(
                _("Add notes, a link or a file, so there is something to open.")
            )
        return cleaned


class AssignmentForm(forms.ModelForm):
    due_at = forms.DateTimeField(
        label=_("Due"), widget=DateTimeInput(), help_text=_("In the meeting's time zone.")
    )

    class Meta:
        model = Assignment
        fields = ["title", "per", "due_at", "instructions"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"instructions": _("Markdown: **bold**, *italic*, lists and links.")}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if self.instance.pk:
            self.initial["due_at"] = timezone.localtime(self.instance.due_at, meeting.zone).replace(
                tzinfo=None
            )

    def clean(self):
        cleaned = super().clean()
        meeting_local(cleaned, "due_at", self.meeting.zone)
        return cleaned


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    upload = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, office documents, text or pictures.")
    )

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("text") or "").strip()
            and not cleaned.get("upload")
            and not self.errors
        ):
            raise forms.ValidationError(_("Write something or attach a file before handing in."))
        return cleaned


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "assignee_user", "assignee_organisation", "due_on", "meeting"]
        widgets = {"due_on": DateInput()}
        labels = {"assignee_user": _("Person"), "assignee_organisation": _("Organisation")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_user"].queryset = User.objects.filter(
            memberships__project=project
        ).order_by("display_name")
        self.fields["assignee_organisation"].queryset = project.organisations.all()
        self.fields["meeting"].queryset = project.meetings.exclude(status=Meeting.Status.CANCELLED)

    def clean(self):
        cleaned = super().clean()
        nobody = not cleaned.get("assignee_user") and not cleaned.get("assignee_organisation")
        if nobody and not self.errors:
            raise forms.ValidationError(_("Say who does it: a person, an organisation, or both."))
        return cleaned


class TaskFilterForm(forms.Form):
    STATES = [("open", _("To do")), ("done", _("Done")), ("all", _("All"))]

    state = forms.ChoiceField(label=_("Show"), choices=STATES, required=False)
    mine = forms.BooleanField(label=_("Only my tasks"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("Every organisation")
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = project.organisations.all()


class IcebreakerForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas, for example: names, movement, no materials."),
    )

    class Meta:
        model = Icebreaker
        fields = [
            "name",
            "purpose",
            "setting",
            "language_demand",
            "duration",
            "group_min",
            "group_max",
            "materials",
            "instructions",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"instructions": _("Markdown: **bold**, *italic*, lists and links.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
        self.fields["duration"].error_messages["max_value"] = _(
            "An icebreaker takes at most 240 minutes."
        )

    def clean_tags(self):
        return sorted(
            {tag.strip().lower() for tag in self.cleaned_data["tags"].split(",") if tag.strip()}
        )

    def clean(self):
        cleaned = super().clean()
        smallest, largest = cleaned.get("group_min"), cleaned.get("group_max")
        if smallest and largest and largest < smallest:
            self.add_error(
                "group_max", _("The largest group cannot be smaller than the smallest group.")
            )
        return cleaned


class IcebreakerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("Any purpose")), *Icebreaker.Purpose.choices],
        required=False,
    )
    setting = forms.ChoiceField(
        label=_("Setting"),
        choices=[
            ("", _("In the room or online")),
            ("room", _("In the room")),
            ("online", _("Online")),
        ],
        required=False,
    )
    language_demand = forms.ChoiceField(
        label=_("Language demand"),
        choices=[("", _("Any")), *Icebreaker.LanguageDemand.choices],
        required=False,
    )
    max_duration = forms.IntegerField(label=_("At most (minutes)"), min_value=1, required=False)


class AddToAgendaForm(forms.Form):
    day = forms.ModelChoiceField(label=_("Day"), queryset=AgendaDay.objects.none())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].queryset = (
            AgendaDay.objects.filter(meeting__project=project, date__gte=timezone.localdate())
            .exclude(meeting__status=Meeting.Status.CANCELLED)
            .select_related("meeting")
            .order_by("date")
        )
        self.fields["day"].label_from_instance = lambda day: (
            f"{day.meeting.title}: {date_format(day.date, 'DATE_FORMAT')}"
        )
