"""Forms of the practice library: every input is checked here before a service sees it."""

from django import forms
from django.core.validators import URLValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.forms import TagField

from jointlearn.images import ImageRejected, clean_image
from jointlearn.uploads import AttachmentRejected, clean_attachment
from jointlearn.widgets import QuickCheckbox, QuickSelect

from .models import TRANSFERABILITY_MAX, Practice

MAX_PICTURES_PER_UPLOAD = 6
MAX_ATTACHMENTS_PER_UPLOAD = 6
PICTURE_MAX_SIDE = 1600


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the form's clean method."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PracticeForm(forms.ModelForm):
    themes = TagField(
        label=_("Themes"),
        required=False,
        help_text=_("Separate themes with commas, for example: mentoring, language, validation."),
    )
    key_figures = forms.CharField(
        label=_("Key figures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for example: 120 participants, 64 in work after a year."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line."),
    )
    pictures = MultipleFileField(
        label=_("Add pictures"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB each. Location data is removed."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    picture_caption = forms.CharField(
        label=_("What the new pictures show"),
        required=False,
        max_length=200,
        help_text=_("Read aloud to people who cannot see the pictures."),
    )
    attachments = MultipleFileField(
        label=_("Add files"),
        required=False,
        help_text=_("PDF, office documents, text or CSV files, or pictures."),
    )
    remove_pictures = forms.ModelMultipleChoiceField(
        label=_("Remove pictures"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove files"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Practice
        fields = [
            "title",
            "organisation",
            "summary",
            "description",
            "target_groups",
            "themes",
            "evidence",
            "key_figures",
            "resources",
            "contact",
            "links",
            "source",
            "status",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "evidence": forms.Textarea(attrs={"rows": 5}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.Textarea(attrs={"rows": 2}),
            "target_groups": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, project, organisations, theme_suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["target_groups"].queryset = project.target_groups.all()
        self.fields["themes"].widget.attrs["list"] = "theme-suggestions"
        self.theme_suggestions = theme_suggestions
        self.fields["status"].help_text = _(
            "A draft is seen only by your organisation and the coordinators."
        )
        if self.instance.pk:
            self.initial["themes"] = ", ".join(sorted(t.name for t in self.instance.themes.all()))
            self.initial["key_figures"] = "\n".join(self.instance.key_figures)
            self.initial["links"] = "\n".join(self.instance.links)
            self.fields["remove_pictures"].queryset = self.instance.pictures.all()
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
            self.fields["remove_pictures"].label_from_instance = lambda p: p.caption or _("Picture")
            self.fields["remove_attachments"].label_from_instance = lambda a: a.name
        if not self.instance.pk or not self.instance.pictures.exists():
            del self.fields["remove_pictures"]
        self.pictures = list(self.instance.pictures.all()) if self.instance.pk else []
        for number, picture in enumerate(self.pictures, start=1):
            self.fields[f"caption_{picture.pk}"] = forms.CharField(
                label=_("Caption of picture %(number)d") % {"number": number},
                required=False,
                max_length=200,
                initial=picture.caption,
                help_text=format_html(
                    '<img class="caption-thumbnail" src="{}" alt="" width="96">',
                    picture.get_thumbnail_url(),
                ),
            )
        if not self.instance.pk or not self.instance.attachments.exists():
            del self.fields["remove_attachments"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_key_figures(self):
        figures = lines(self.cleaned_data["key_figures"])
        if len(figures) > 12:
            raise forms.ValidationError(_("Give at most 12 key figures."))
        if any(len(figure) > 200 for figure in figures):
            raise forms.ValidationError(_("Keep each key figure under 200 characters."))
        return figures

    def clean_links(self):
        addresses = lines(self.cleaned_data["links"])
        if len(addresses) > 20:
            raise forms.ValidationError(_("Give at most 20 links."))
        check = URLValidator(schemes=["http", "https"])
        for address in addresses:
            try:
                check(address)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(address)s” is not a web address starting with http:// or https://."),
                    params={"address": address},
                ) from error
        return addresses

    def clean_themes(self):
        themes = [" ".join(theme.split())[:60] for theme in self.cleaned_data["themes"]]
        if len(themes) > 12:
            raise forms.ValidationError(_("Give at most 12 themes."))
        return themes

    def clean_pictures(self):
        uploads = self.cleaned_data["pictures"]
        if len(uploads) > MAX_PICTURES_PER_UPLOAD:
            raise forms.ValidationError(
                ngettext(
                    "Upload at most %(count)d picture at a time.",
                    "Upload at most %(count)d pictures at a time.",
                    MAX_PICTURES_PER_UPLOAD,
                )
                % {"count": MAX_PICTURES_PER_UPLOAD}
            )
        cleaned = []
        for upload in uploads:
            try:
                cleaned.append(clean_image(upload, max_side=PICTURE_MAX_SIDE))
            except ImageRejected as error:
                raise forms.ValidationError(
                    _("%(name)s: %(reason)s"), params={"name": upload.name, "reason": str(error)}
                ) from error
        return cleaned

    def clean_attachments(self):
        uploads = self.cleaned_data["attachments"]
        if len(uploads) > MAX_ATTACHMENTS_PER_UPLOAD:
            raise forms.ValidationError(
                ngettext(
                    "Upload at most %(count)d file at a time.",
                    "Upload at most %(count)d files at a time.",
                    MAX_ATTACHMENTS_PER_UPLOAD,
                )
                % {"count": MAX_ATTACHMENTS_PER_UPLOAD}
            )
        cleaned = []
        for upload in uploads:
            try:
                cleaned.append(clean_attachment(upload))
            except AttachmentRejected as error:
                raise forms.ValidationError(
                    _("%(name)s: %(reason)s"), params={"name": upload.name, "reason": str(error)}
                ) from error
        return cleaned

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pictures") and not cleaned.get("picture_caption", "").strip():
            self.add_error("picture_caption", _("Say in a few words what the new pictures show."))
        return cleaned

    def service_fields(self):
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields["new_pictures"] = [
            (picture, data["picture_caption"]) for picture in data["pictures"]
        ]
        fields["new_attachments"] = data["attachments"]
        fields["remove_pictures"] = list(data.get("remove_pictures") or [])
        fields["picture_captions"] = {
            picture.pk: data[f"caption_{picture.pk}"]
            for picture in self.pictures
            if f"caption_{picture.pk}" in self.data
        }
        fields["remove_attachments"] = list(data.get("remove_attachments") or [])
        return fields


SORTS = {
    "newest": _("Newest"),
    "rating": _("Best rated"),
    "applied": _("Most applied"),
    "title": _("Title"),
}


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, widget=QuickSelect)
    target_group = forms.TypedChoiceField(
        label=_("Target group"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    rated = forms.ChoiceField(
        label=_("Ratings"),
        required=False,
        choices=[("", _("All")), ("rated", _("Rated")), ("unrated", _("Not rated yet"))],
        widget=QuickSelect,
    )
    assigned = forms.BooleanField(
        label=_("Only my assignments"), required=False, widget=QuickCheckbox
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=list(SORTS.items()), widget=QuickSelect
    )

    def __init__(self, *args, organisations, themes, target_groups, **kwargs):
        super().__init__(*args, **kwargs)
        # Each country's name once: a translated country name takes 50 µs to look up.
        countries = {
            organisation.country.code: organisation.country for organisation in organisations
        }
        countries = {code: country.name for code, country in countries.items()}
        everything = [("", _("All"))]
        self.fields["country"].choices = everything + sorted(countries.items(), key=lambda c: c[1])
        self.fields["organisation"].choices = everything + [(o.pk, o.name) for o in organisations]
        self.fields["theme"].choices = everything + [(name, name) for name in themes]
        self.fields["target_group"].choices = everything + [(g.pk, g.name) for g in target_groups]

    def filters(self):
        """The valid filters; an invalid value (a tampered link) is dropped, not an error page."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", False)
        }


class EvaluationForm(forms.Form):
    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    suggestions = forms.CharField(
        label=_("Suggestions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transferability = forms.TypedChoiceField(
        label=_("How well would it work in your country?"),
        coerce=int,
        choices=[(value, str(value)) for value in range(1, TRANSFERABILITY_MAX + 1)],
        widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: as it is."),
        error_messages={
            "required": _("Say how well it would work in your country."),
            "invalid_choice": _("Transferability must be between 1 and 5."),
        },
    )
    transfer_changes = forms.CharField(
        label=_("What would need to change"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, evaluation=None, **kwargs):
        if evaluation is not None:
            initial = {
                "strengths": evaluation.strengths,
                "suggestions": evaluation.suggestions,
                "transferability": evaluation.transferability,
                "transfer_changes": evaluation.transfer_changes,
            }
            for score in evaluation.scores.all():
                initial[f"criterion_{score.criterion_id}"] = score.value
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        score_fields = {}
        for criterion in criteria:
            message = _("Give “%(name)s” a score from 1 to %(max)d.") % {
                "name": criterion.label,
                "max": criterion.scale_max,
            }
            score_fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.label,
                help_text=criterion.explanation,
                coerce=int,
                choices=[(v, str(v)) for v in range(1, criterion.scale_max + 1)],
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                error_messages={"required": message, "invalid_choice": message},
            )
        # Scores first, in rubric order, then the written part.
        self.fields = {**score_fields, **self.fields}

    def score_fields(self):
        return [self[f"criterion_{criterion.pk}"] for criterion in self.criteria]

    def other_fields(self):
        return [
            self[name]
            for name in ["transferability", "transfer_changes", "strengths", "suggestions"]
        ]

    def service_fields(self):
        data = self.cleaned_data
        return {
            "scores": {c.pk: data[f"criterion_{c.pk}"] for c in self.criteria},
            "transferability": data["transferability"],
            "strengths": data["strengths"],
            "suggestions": data["suggestions"],
            "transfer_changes": data["transfer_changes"],
        }


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Criterion"), max_length=120)
    help_text = forms.CharField(label=_("Explanation"), max_length=300, required=False)
    scale_max = forms.IntegerField(
        label=_("Highest score"),
        min_value=2,
        max_value=10,
        initial=5,
        error_messages={
            "min_value": _("The scale goes from 1 to at least 2."),
            "max_value": _("The scale goes from 1 to at most 10."),
        },
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=10,
        initial=1,
        error_messages={
            "min_value": _("The weight is a number from 1 to 10."),
            "max_value": _("The weight is a number from 1 to 10."),
        },
    )


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        names = set()
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("name", "").casefold()
            if name in names:
                raise forms.ValidationError(_("Two criteria have the same name."))
            names.add(name)

    def rows(self):
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            row = dict(form.cleaned_data)
            row["delete"] = row.pop("DELETE", False)
            rows.append(row)
        return rows


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True, max_num=20
)


def criterion_initial(criteria):
    return [
        {
            "id": c.pk,
            "name": c.name,
            "help_text": c.help_text,
            "scale_max": c.scale_max,
            "weight": c.weight,
        }
        for c in criteria
    ]


class TargetGroupsForm(forms.Form):
    names = forms.CharField(
        label=_("Target groups"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line. Practices choose from this list."),
    )

    def clean_names(self):
        names = []
        for name in lines(self.cleaned_data["names"]):
            name = " ".join(name.split())
            if len(name) > 80:
                raise forms.ValidationError(_("Keep each target group under 80 characters."))
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if not names:
            raise forms.ValidationError(_("Keep at least one target group."))
        return names


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    practices = forms.ModelMultipleChoiceField(
        label=_("Practices"),
        queryset=Practice.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one published practice.")},
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone."),
    )
    reviewers_per_practice = forms.IntegerField(
        label=_("Reviewers per practice"), min_value=1, max_value=20, initial=3
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = (
            project.practices.filter(status=Practice.Status.PUBLISHED)
            .select_related("organisation")
            .order_by("title")
        )
        self.fields["practices"].label_from_instance = lambda p: f"{p.title} ({p.organisation})"


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your question or comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write something before sending.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TransferForm(forms.Form):
    adapted = forms.CharField(
        label=_("What did you adapt?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    applied_on = forms.DateField(
        label=_("When did you start?"), widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.CharField(
        label=_("Outcome so far"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("This does not look like a web address.")},
    )


class PitchSessionForm(forms.Form):
    """Setting up a pitch session: its title, the practices in pitch order, the short rubric
    and whether people add one word."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the session a title people recognise.")},
    )
    criteria = forms.ModelMultipleChoiceField(
        label=_("Short rubric"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Two to four criteria of the rubric: people rate each pitch on them."),
        error_messages={"required": _("Pick two to four criteria for the short rubric.")},
    )
    one_word = forms.BooleanField(
        label=_("Ask for one word about each pitch too"), required=False, initial=True
    )

    def __init__(self, *args, criteria, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = criteria
        self.practices = list(practices)
        for practice in self.practices:
            self.fields[f"order_{practice.pk}"] = forms.IntegerField(
                label=practice.title,
                required=False,
                min_value=1,
                max_value=99,
                widget=forms.NumberInput(attrs={"class": "input--narrow"}),
                error_messages={
                    "invalid": _("Write a whole number, or leave it empty."),
                    "min_value": _("Numbers start at 1."),
                    "max_value": _("Use numbers up to 99."),
                },
            )

    def practice_rows(self):
        """(practice, bound field) pairs for the set-up page's table."""
        return [(practice, self[f"order_{practice.pk}"]) for practice in self.practices]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_criteria(self):
        criteria = list(self.cleaned_data["criteria"])
        if not 2 <= len(criteria) <= 4:
            raise forms.ValidationError(_("Pick two to four criteria for the short rubric."))
        return criteria

    def clean(self):
        cleaned = super().clean()
        numbered = [
            (cleaned[f"order_{practice.pk}"], practice)
            for practice in self.practices
            if cleaned.get(f"order_{practice.pk}") is not None
        ]
        numbers = [number for number, _practice in numbered]
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(
                _("Two practices have the same number: give each pitch its own number.")
            )
        if not numbered and not self.errors:
            raise forms.ValidationError(
                _("Give at least one practice a number to put it in the session.")
            )
        if len(numbered) > 20:
            raise forms.ValidationError(_("A pitch session has from one to 20 practices."))
        cleaned["practices"] = [practice for _number, practice in sorted(numbered)]
        return cleaned
