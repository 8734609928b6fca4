"""Forms of the surveys: the survey and its questions, translations, and the answers."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meetings.forms import DateTimeInput

from .models import TEXT_ANSWER_MAX_LENGTH, Question, Survey


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "language", "meeting", "anonymous", "opens_at", "closes_at"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }
        labels = {"meeting": _("Feedback on the meeting")}
        help_texts = {
            "meeting": _("Empty: a follow-up survey of the whole project, sent by email."),
            "opens_at": _("In your time zone. Empty: a draft, opened later with a button."),
            "closes_at": _("In your time zone. Empty: open until you close it."),
            "intro": _("Shown above the questions: why you ask and how answers are used."),
        }
        error_messages = {
            "title": {"required": _("Give the survey a title.")},
            "intro": {"max_length": _("Keep the introduction under 3000 characters.")},
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = project.meetings.order_by("-starts_on")
        self.fields["meeting"].empty_label = _("No meeting: follow-up of the project")
        if not self.instance.pk:
            self.initial.setdefault("language", project.languages[0] if project.languages else "en")

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if closes and not opens:
            self.add_error("opens_at", _("Say when the survey opens, or leave both times empty."))
        elif opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return cleaned


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    text = forms.CharField(
        label=_("Question"),
        max_length=500,
        error_messages={
            "required": _("Write the question."),
            "max_length": _("Keep the question under 500 characters."),
        },
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    low_label = forms.CharField(
        label=_("Label of the lowest number"),
        max_length=80,
        required=False,
        help_text=_("Scales only. For example: not at all."),
    )
    high_label = forms.CharField(
        label=_("Label of the highest number"),
        max_length=80,
        required=False,
        help_text=_("Scales only. For example: very much."),
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One and several choices only: one choice per line."),
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        lines = [line for line in cleaned.get("choices", "").splitlines() if line.strip()]
        if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} and len(lines) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        if any(len(line.strip()) > 200 for line in lines):
            self.add_error("choices", _("Keep each choice under 200 characters."))
        cleaned["choices"] = lines
        return cleaned

    @classmethod
    def initial_for(cls, question):
        return {
            "kind": question.kind,
            "text": question.text,
            "required": question.required,
            "low_label": question.low_label,
            "high_label": question.high_label,
            "choices": "\n".join(c.text for c in question.choices.all()),
        }


class TranslationForm(forms.Form):
    """Every text of the survey in one language; empty fields fall back to the original."""

    def __init__(self, *args, survey, questions, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []

        def add(name, original, current, *, long=False, max_length=500):
            self.fields[name] = forms.CharField(
                label=original,
                required=False,
                max_length=max_length,
                initial=current,
                widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput(),
            )
            return name

        def current(holder, name):
            return holder.translations.get(language, {}).get(name, "")

        self.groups.append(
            (
                _("Survey"),
                [
                    add("title", survey.title, current(survey, "title"), max_length=200),
                    add(
                        "intro",
                        survey.intro or "—",
                        current(survey, "intro"),
                        long=True,
                        max_length=3000,
                    ),
                ],
            )
        )
        for number, question in enumerate(questions, start=1):
            names = [add(f"q{question.pk}", question.text, current(question, "text"))]
            if question.is_scale:
                if question.low_label:
                    names.append(
                        add(
                            f"q{question.pk}_low",
                            question.low_label,
                            current(question, "low_label"),
                            max_length=80,
                        )
                    )
                if question.high_label:
                    names.append(
                        add(
                            f"q{question.pk}_high",
                            question.high_label,
                            current(question, "high_label"),
                            max_length=80,
                        )
                    )
            for choice in question.choices.all():
                names.append(
                    add(f"c{choice.pk}", choice.text, current(choice, "text"), max_length=200)
                )
            self.groups.append((_("Question %(number)d") % {"number": number}, names))

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.groups]


class AnswerForm(forms.Form):
    """The survey's questions in the respondent's language; a field per question."""

    def __init__(self, *args, questions, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = self.field_for(question, language)

    def field_for(self, question, language):
        label = question.translated("text", language)
        required_message = _("This question needs an answer.")
        if question.is_scale:
            low, high = question.scale_range[0], question.scale_range[-1]
            field = forms.TypedChoiceField(
                choices=[(str(n), str(n)) for n in question.scale_range],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Choose a number from %(low)d to %(high)d.")
                    % {"low": low, "high": high},
                    "required": required_message,
                },
            )
            field.low_label = question.translated("low_label", language)
            field.high_label = question.translated("high_label", language)
        elif question.has_choices:
            choices = [(str(c.pk), c.translated("text", language)) for c in question.choices.all()]
            invalid = _("Choose one of the choices given.")
            if question.kind == Question.Kind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": invalid, "required": required_message},
                )
            else:
                field = forms.TypedMultipleChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": invalid, "required": required_message},
                )
        else:
            field = forms.CharField(
                max_length=TEXT_ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "max_length": _(
                        "Keep your answer under %(limit_value)d characters (it has %(show_value)d)."
                    ),
                    "required": required_message,
                },
            )
        field.label = label
        field.required = question.required
        field.question = question
        return field

    def answers(self):
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }

    def rows(self):
        return [(self[f"q{q.pk}"], q) for q in self.questions]


LANGUAGE_NAMES = dict(settings.LANGUAGES)
