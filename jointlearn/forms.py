"""Forms for every input of the core: accounts, projects, organisations, members and guests."""

import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from .images import ImageRejected, clean_image
from .models import (
    DISPLAY_NAME_MAX_LENGTH,
    JoinCode,
    Organisation,
    Project,
    Role,
    User,
)
from .ratelimit import record_failure, seconds_until_allowed


class DisplayNameField(forms.CharField):
    """A name shown to others: 1 to 60 printable characters, kept as typed and always escaped."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your name"))
        kwargs.setdefault("max_length", DISPLAY_NAME_MAX_LENGTH)
        kwargs.setdefault(
            "help_text", _("How others see you, for example Amina or Jan from Piteå.")
        )
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "required": _("Please enter the name others will see."),
                "max_length": _(
                    "Please use at most %(limit_value)d characters (you typed %(show_value)d)."
                ),
            }
        )

    def clean(self, value):
        value = super().clean(value)
        if any(unicodedata.category(char) in {"Cc", "Cf"} for char in value):
            raise forms.ValidationError(
                _("Your name contains invisible control characters. Please type it again."),
                code="control",
            )
        return " ".join(value.split())


class ProfileForm(forms.ModelForm):
    display_name = DisplayNameField()

    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "time_zone"]


class AcceptInvitationForm(forms.Form):
    display_name = DisplayNameField()
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            user = User(email=self.email, display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProjectForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "slug",
            "description",
            "languages",
            "time_zone",
            "start_date",
            "end_date",
            "status",
            "guest_retention_days",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "slug": {
                "invalid": _("Use only letters, digits and hyphens in the short address."),
                "unique": _("Another project already uses this short address. Choose another."),
            },
            "guest_retention_days": {
                "min_value": _("Keep guest data for at least one day."),
                "max_value": _("Keep guest data for at most 3650 days (ten years)."),
                "invalid": _("Enter a number of days, for example 90."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "guest_retention_days" in self.fields:
            self.fields["guest_retention_days"].required = False

    def clean_guest_retention_days(self):
        # Left empty, the project keeps what it had (90 days for a new one).
        days = self.cleaned_data.get("guest_retention_days")
        return self.instance.guest_retention_days if days is None else days

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return cleaned


class NewProjectForm(ProjectForm):
    """A new project, and optionally the creator's own organisation as its first partner."""

    organisation_name = forms.CharField(
        label=_("Your organisation"),
        max_length=200,
        required=False,
        help_text=_("Optional: the partner organisation you work for."),
    )
    organisation_country = LazyTypedChoiceField(
        label=_("Country of your organisation"), choices=[("", "—"), *countries], required=False
    )

    class Meta(ProjectForm.Meta):
        fields = ["name", "slug", "description", "languages", "time_zone", "start_date", "end_date"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation_name") and not cleaned.get("organisation_country"):
            self.add_error("organisation_country", _("Choose the country of your organisation."))
        return cleaned

    def organisation(self):
        if not self.cleaned_data.get("organisation_name"):
            return None
        return {
            "name": self.cleaned_data["organisation_name"],
            "country": self.cleaned_data["organisation_country"],
        }


class OrganisationForm(forms.ModelForm):
    # The logo is not a model field here: the service stores the re-encoded picture.
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture of at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("This does not look like a web address.")},
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "country", "city", "website"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Organisation.objects.filter(project=self.project, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("This project already has an organisation called %(name)s."),
                params={"name": name},
            )
        return name

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        try:
            return clean_image(upload, max_side=800)
        except ImageRejected as error:
            raise forms.ValidationError(str(error)) from error

    def service_fields(self):
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["logo"] = self.cleaned_data.get("logo")
        fields["remove_logo"] = self.cleaned_data.get("remove_logo", False)
        return fields


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={"invalid": _("This does not look like an email address.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTNER)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No organisation"),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = project.organisations.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.PARTNER and not cleaned.get("organisation"):
            self.add_error(
                "organisation", _("A partner belongs to an organisation: choose which one.")
            )
        return cleaned


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No organisation"),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = project.organisations.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.PARTNER and not cleaned.get("organisation"):
            self.add_error(
                "organisation", _("A partner belongs to an organisation: choose which one.")
            )
        return cleaned


class JoinCodeForm(forms.ModelForm):
    class Meta:
        model = JoinCode
        fields = ["label", "expires_at"]
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class EnterCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six letters and digits on the screen, for example K7M2QX."),
        error_messages={"required": _("Please type the code shown by the facilitator.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class GuestNameForm(forms.Form):
    display_name = DisplayNameField()


class ConsentForm(forms.Form):
    """The research question asked when joining a project or registering for a meeting."""

    research_consent = forms.TypedChoiceField(
        label=_("May your contributions be used for research?"),
        choices=[("yes", _("Yes, I agree")), ("no", _("No, I do not agree"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Answer the research question with yes or no.")},
        help_text=_(
            "Unanswered counts as no: you are left out of research exports and asked again "
            "next time."
        ),
    )

    def decision(self):
        """True or False, or None when the person left the question unanswered."""
        return self.cleaned_data.get("research_consent")

    def __init__(self, *args, shown, **kwargs):
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)
        self.shown = shown


class ConsentTextForm(forms.Form):
    """A new version of a project's consent text, with its translations."""

    body = forms.CharField(
        label=_("Consent text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": _("Keep the consent text under 5000 characters.")},
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("In %(language)s") % {"language": name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def translations(self):
        return {
            code: self.cleaned_data.get(f"text_{code}", "")
            for code, _name in settings.LANGUAGES
            if code != self.cleaned_data["language"]
        }


class SignInForm(AuthenticationForm):
    """Django's sign-in, slowed down for guessers: after too many failures for one email
    address (or from one network address) it refuses to check passwords for a while."""

    def limits(self):
        email = (self.data.get("username") or "").strip().casefold()
        address = self.request.META.get("REMOTE_ADDR", "unknown") if self.request else "unknown"
        return [
            (f"login:account:{email}", settings.LOGIN_ATTEMPTS_PER_ACCOUNT),
            (f"login:address:{address}", settings.LOGIN_ATTEMPTS_PER_ADDRESS),
        ]

    def clean(self):
        window = settings.LOGIN_ATTEMPT_WINDOW_SECONDS
        wait = max(
            seconds_until_allowed(key, limit=limit, window=window) for key, limit in self.limits()
        )
        if wait:
            minutes = max(1, (wait + 59) // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed sign-ins. Please wait %(minutes)d minute and try again, "
                    "or reset your password.",
                    "Too many failed sign-ins. Please wait %(minutes)d minutes and try again, "
                    "or reset your password.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            for key, _limit in self.limits():
                record_failure(key, window=window)
            raise


class GuestRemovalForm(forms.Form):
    """Removing a guest: their name goes in any case; what they posted stays unless asked."""

    remove_contributions = forms.BooleanField(
        label=_("Also delete what they posted"),
        required=False,
        help_text=_(
            "Their words on word walls, café notes and reflection answers are deleted "
            "instead of staying without their name."
        ),
    )


class ErasureForm(forms.Form):
    """Asking for one's own account to be erased: the password again, and what should go.
    Wrong passwords count towards the sign-in limit of the account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Type your password again to confirm that it is you."),
        error_messages={"required": _("Type your password to confirm.")},
    )
    remove_contributions = forms.BooleanField(
        label=_("Also remove what I wrote"),
        required=False,
        help_text=_(
            "Your evaluations, comments, pitch ratings, words, café notes and summaries, "
            "reflection answers, poll votes, survey responses and personal hand-ins are "
            "deleted instead of being kept as by a former participant."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        key = f"login:account:{self.user.email.casefold()}"
        window = settings.LOGIN_ATTEMPT_WINDOW_SECONDS
        if seconds_until_allowed(key, limit=settings.LOGIN_ATTEMPTS_PER_ACCOUNT, window=window):
            raise forms.ValidationError(
                _("Too many wrong passwords. Please wait a few minutes and try again."),
                code="throttled",
            )
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            record_failure(key, window=window)
            raise forms.ValidationError(
                _("This is not your password. Type the password you sign in with."),
                code="wrong_password",
            )
        return password
