"""Forms for every input about meetings: the meeting, its days and items, registration."""

import zoneinfo
from datetime import time

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jointlearn.models import TIME_ZONE_CHOICES

from .models import AgendaDay, AgendaItem, Meeting, Registration

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
