"""The café as a kind of live activity: its operations, their forms, its snapshot and how the
shared live pages (participant, console, projector, exports) show it."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from jointlearn.live.protocol import Kind, Op, anyone, facilitators, register
from jointlearn.models import LiveActivity

from . import harvest, services
from .models import (
    ANNOUNCEMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    THEME_MAX_LENGTH,
    Cafe,
)


def note_text_field(label):
    return forms.CharField(
        label=label,
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": gettext_lazy("Write something first."),
            "max_length": gettext_lazy(
                "A note can have at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


class ExpectedRoundForm(forms.Form):
    expected_round = forms.IntegerField(min_value=0)


class JoinForm(forms.Form):
    organisation = forms.CharField(
        label=gettext_lazy("Your organisation"), max_length=200, required=False
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Your country"), choices=[("", "—"), *countries], required=False
    )


class CheckInForm(forms.Form):
    user_id = forms.IntegerField(label=gettext_lazy("Member"))


class ParticipantForm(forms.Form):
    participant_id = forms.IntegerField()


class MoveForm(forms.Form):
    participant_id = forms.IntegerField()
    table_id = forms.IntegerField(label=gettext_lazy("Table"))


class TableForm(forms.Form):
    theme = forms.CharField(
        label=gettext_lazy("Theme"),
        max_length=THEME_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Give the table a theme.")},
    )
    question = forms.CharField(
        label=gettext_lazy("Question"), max_length=QUESTION_MAX_LENGTH, required=False
    )


class TableIdForm(forms.Form):
    table_id = forms.IntegerField()


class AnnounceForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Announcement"), max_length=ANNOUNCEMENT_MAX_LENGTH, required=False
    )


class NoteForm(forms.Form):
    table_id = forms.IntegerField()
    text = note_text_field(gettext_lazy("Your note"))
    practice_id = forms.IntegerField(required=False)


class NoteEditForm(forms.Form):
    note_id = forms.IntegerField()
    text = note_text_field(gettext_lazy("Your note"))


class NoteIdForm(forms.Form):
    note_id = forms.IntegerField()


class SummaryForm(forms.Form):
    table_id = forms.IntegerField()
    text = forms.CharField(
        label=gettext_lazy("Summary of the table"),
        max_length=SUMMARY_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Write the summary first.")},
    )
    base_version = forms.IntegerField(min_value=0)


OPS = {
    "cafe.start": Op(ExpectedRoundForm, services.start_cafe, facilitators),
    "cafe.end_round": Op(ExpectedRoundForm, services.end_round, facilitators),
    "cafe.next": Op(ExpectedRoundForm, services.next_round, facilitators),
    "cafe.end": Op(forms.Form, services.end_cafe, facilitators),
    "cafe.announce": Op(AnnounceForm, services.announce, facilitators),
    "cafe.join": Op(JoinForm, services.join, anyone),
    "cafe.leave": Op(forms.Form, services.leave, anyone),
    "cafe.check_in": Op(CheckInForm, services.check_in_member, facilitators),
    "cafe.remove_person": Op(ParticipantForm, services.remove_participant, facilitators),
    "cafe.move": Op(MoveForm, services.move, facilitators),
    "cafe.table_add": Op(TableForm, services.add_table, facilitators),
    "cafe.table_remove": Op(TableIdForm, services.remove_table, facilitators),
    "note.post": Op(NoteForm, services.post_note, anyone),
    "note.edit": Op(NoteEditForm, services.edit_note, anyone),
    "note.delete": Op(NoteIdForm, services.delete_note, anyone),
    "note.hide": Op(NoteIdForm, services.hide_note, anyone),
    "note.show": Op(NoteIdForm, services.show_note, anyone),
    "note.vote": Op(NoteIdForm, services.vote, anyone),
    "summary.save": Op(SummaryForm, services.save_summary, anyone),
}


def labels():
    """The words cafe.js draws with, translated for the viewer."""
    return {
        "table": _("Table %(n)s"),
        "tableTheme": _("table %(n)s: %(theme)s"),
        "round": _("Round %(n)s of %(total)s"),
        "noteRound": _("round %(n)s"),
        "votes": _("%(n)s votes"),
        "oneVote": _("1 vote"),
        "vote": _("Vote"),
        "voted": _("Voted"),
        "votesLeft": _("Dot votes left this round: %(n)s"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "save": _("Save"),
        "hide": _("Hide"),
        "show": _("Show"),
        "hidden": _("hidden"),
        "pending": _("waiting to be sent"),
        "editPrompt": _("Change your note:"),
        "deleteConfirm": _("Delete this note?"),
        "people": _("%(n)s people"),
        "onePerson": _("1 person"),
        "present": _("%(n)s people checked in"),
        "summaryBy": _("Summary by %(name)s, version %(n)s"),
        "noSummary": _("No summary yet."),
        "notesShown": _("The newest %(shown)s of %(total)s notes; the harvest has them all."),
        "earlierShown": _("The %(shown)s most voted of %(total)s notes from earlier rounds."),
        "coming": _("Coming next"),
        "phase": {value: str(label) for value, label in Cafe.Phase.choices},
        "host": _("host"),
        "empty": _("Type something first."),
    }


def page_context(request, activity, role, snapshot):
    """The café's part of the shared pages: the state arranged for the first paint (and for
    browsers without JavaScript), the words the script draws with, and the practices a
    note can mention."""
    from practices.models import Practice

    context = {
        "cafe_state": harvest.present(snapshot["state"]["cafe"]),
        "cafe": Cafe.objects.get(activity=activity),
        "cafe_labels": labels(),
    }
    if role == "participant":
        context["countries"] = list(countries)
        context["practices"] = list(
            Practice.objects.filter(
                project=activity.project, status=Practice.Status.PUBLISHED
            ).values_list("pk", "title")
        )
    if role == "console":
        context["harvest_url"] = reverse("cafe_harvest", args=[activity.project.slug, activity.pk])
    return context


register(
    LiveActivity.Kind.CAFE,
    Kind(
        ops=OPS,
        state=services.cafe_state,
        scopes=services.follows,
        templates={
            "participant": "learningcafe/participant.html",
            "console": "learningcafe/console.html",
            "projector": "learningcafe/projector.html",
        },
        context=page_context,
        export=harvest.export,
        create_url="cafe_create",
        create_label=gettext_lazy("Set up a learning café"),
        agenda_kinds=("learning_cafe",),
        prepare=services.prepare,
    ),
)
