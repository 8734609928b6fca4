"""Setting up a café: its settings and its tables (themes)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import QUESTION_MAX_LENGTH, THEME_MAX_LENGTH, Cafe

MAX_TABLES = 40


class CafeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Name of the café"), max_length=200)
    mode = forms.ChoiceField(label=gettext_lazy("Where people are"), choices=Cafe.Mode.choices)
    rounds = forms.IntegerField(
        label=pgettext_lazy("café rounds", "Rounds"), min_value=1, max_value=8, initial=3
    )
    round_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes per round"), min_value=1, max_value=120, initial=20
    )
    table_capacity = forms.IntegerField(
        label=gettext_lazy("People per table at most"), min_value=2, max_value=30, initial=8
    )
    votes_per_round = forms.IntegerField(
        label=gettext_lazy("Dot votes per person and round"),
        min_value=0,
        max_value=10,
        initial=3,
    )


class TableSetUpForm(forms.Form):
    theme = forms.CharField(
        label=gettext_lazy("Theme"), max_length=THEME_MAX_LENGTH, required=False
    )
    question = forms.CharField(
        label=gettext_lazy("Question for the table"),
        max_length=QUESTION_MAX_LENGTH,
        required=False,
    )
    host = forms.ModelChoiceField(
        label=gettext_lazy("Host (stays at the table)"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    video_url = forms.URLField(
        label=gettext_lazy("Video-call link"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = get_user_model().objects.filter(memberships__project=project)

    def clean(self):
        data = super().clean()
        if not data.get("theme") and (data.get("question") or data.get("host")):
            self.add_error("theme", _("Give the table a theme."))
        return data


class BaseTableFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        themes = [form.cleaned_data.get("theme") for form in self.forms]
        if not any(themes):
            raise forms.ValidationError(_("Add at least one table with a theme."))
        hosts = [
            form.cleaned_data.get("host") for form in self.forms if form.cleaned_data.get("host")
        ]
        if len(hosts) != len(set(hosts)):
            raise forms.ValidationError(_("A person can host one table only."))

    def tables(self):
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("theme")]


TableFormSet = forms.formset_factory(
    TableSetUpForm, formset=BaseTableFormSet, extra=0, max_num=MAX_TABLES, validate_max=True
)


def table_formset(project, data=None, initial=None):
    initial = list(initial or [])
    # Room for two more tables than there are, at least five rows.
    rows = max(5, len(initial) + 2)
    initial += [{}] * (rows - len(initial))
    return TableFormSet(data, initial=initial, form_kwargs={"project": project}, prefix="tables")
