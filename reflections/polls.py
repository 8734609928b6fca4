"""Quick polls as a live activity: single or multiple choice, or a 1-5 or 0-10 scale,
shown live as bars. A vote can be changed until the poll closes; the results are kept."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jointlearn.live.protocol import (
    Kind,
    LiveError,
    Op,
    SeveralValuesField,
    anyone,
    facilitators,
    register,
)
from jointlearn.models import JoinCode, LiveActivity

from .models import PROMPT_MAX_LENGTH, Poll, Vote
from .presence import console_context

OPTIONS_MAX = 10
OPTION_MAX_LENGTH = 120


class VoteForm(forms.Form):
    # A list of the ticked choices, or a comma-separated string ("0,2").
    choices = SeveralValuesField(max_items=OPTIONS_MAX + 1)

    def clean_choices(self):
        try:
            values = [int(item) for item in self.cleaned_data["choices"]]
        except ValueError:
            raise forms.ValidationError(_("Choose an answer from the list.")) from None
        if not values:
            raise forms.ValidationError(_("Choose an answer first."))
        return values


class QuestionForm(forms.Form):
    question = forms.CharField(
        max_length=PROMPT_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Write the question people answer.")},
    )


def set_question(*, activity, actor, question):
    """A prepared poll comes with a question for its slot; the facilitator may reword it."""
    poll = activity.poll
    poll.question = " ".join(question.split())
    poll.save(update_fields=["question"])
    return {"kind": "poll.question", "question": poll.question}


class PollForm(forms.Form):
    """Setting up a poll."""

    question = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=PROMPT_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Write the question people answer.")},
    )
    type = forms.ChoiceField(label=gettext_lazy("Answers"), choices=Poll.Type.choices)
    options = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One choice a line, two to ten. Not needed for a scale."),
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        options = [" ".join(line.split()) for line in (cleaned.get("options") or "").splitlines()]
        options = [option for option in options if option]
        if kind in {Poll.Type.SINGLE, Poll.Type.MULTIPLE}:
            if len(options) < 2:
                self.add_error("options", _("Write at least two choices, one a line."))
            elif len(options) > OPTIONS_MAX:
                self.add_error("options", _("At most ten choices, please."))
            elif any(len(option) > OPTION_MAX_LENGTH for option in options):
                self.add_error(
                    "options",
                    _("Keep each choice under %(limit)d characters.")
                    % {"limit": OPTION_MAX_LENGTH},
                )
            elif len({option.casefold() for option in options}) < len(options):
                self.add_error("options", _("Each choice once, please."))
        else:
            options = []
        cleaned["options"] = options
        return cleaned


@transaction.atomic
def create_poll(
    *, project, created_by, question, type, options=(), title="", state=LiveActivity.State.OPEN
):
    title = title or question[:200]
    join_code = JoinCode.objects.create(
        project=project, label=title, created_by=created_by, is_open=state == "open"
    )
    activity = LiveActivity.objects.create(
        project=project,
        kind=LiveActivity.Kind.POLL,
        title=title,
        state=state,
        join_code=join_code,
        created_by=created_by,
    )
    Poll.objects.create(activity=activity, question=question, type=type, options=list(options))
    return activity


def prepare(*, project, title, created_by):
    """A poll for an agenda slot; the facilitator writes its question before opening it."""
    return create_poll(
        project=project,
        created_by=created_by,
        title=title,
        question=str(_("How useful was this session for you?")),
        type=Poll.Type.SCALE_5,
        state=LiveActivity.State.PREPARED,
    )


def voter_filter(actor):
    if actor.membership is not None:
        return {"user_id": actor.membership.user_id}
    return {"guest_id": actor.guest.pk}


def results(activity, poll):
    """[{value, label, count, percent}], voters and (for scales) the mean."""
    counts = {value: 0 for value, _label in poll.choices()}
    voters = 0
    total = 0
    for choices in activity.votes.values_list("choices", flat=True):
        voters += 1
        for value in choices:
            if value in counts:
                counts[value] += 1
                total += value
    top = max(counts.values(), default=0)
    rows = [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "percent": round(100 * counts[value] / top) if top else 0,
        }
        for value, label in poll.choices()
    ]
    mean = round(total / voters, 1) if poll.is_scale and voters else None
    return {"rows": rows, "voters": voters, "mean": mean}


def vote(*, activity, actor, choices):
    if activity.state != LiveActivity.State.OPEN:
        raise LiveError("closed", _("The poll is closed: votes are no longer taken."))
    poll = activity.poll
    allowed = {value for value, _label in poll.choices()}
    if poll.is_scale:
        low, high = poll.scale[0], poll.scale[-1]
        if len(choices) != 1 or choices[0] not in allowed:
            raise LiveError(
                "invalid",
                _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high},
            )
    else:
        if any(value not in allowed for value in choices):
            raise LiveError("invalid", _("This choice is not in the poll."))
        if poll.type == Poll.Type.SINGLE and len(choices) > 1:
            raise LiveError("invalid", _("Choose one answer only."))
    chosen = sorted(set(choices))
    Vote.objects.update_or_create(
        activity=activity, **voter_filter(actor), defaults={"choices": chosen}
    )
    return {"kind": "poll.results", "results": results(activity, poll)}


def poll_state(activity, actor):
    poll = activity.poll
    mine = activity.votes.filter(**voter_filter(actor)).values_list("choices", flat=True).first()
    return {
        "poll": {
            "question": poll.question,
            "type": poll.type,
            "choices": [{"value": value, "label": label} for value, label in poll.choices()],
            "results": results(activity, poll),
            "mine": mine or [],
        }
    }


def page_context(request, activity, role, snapshot):
    state = snapshot["state"]["poll"]
    return {
        **console_context(),
        "poll": state,
        "poll_object": activity.poll,
        "multiple": state["type"] == Poll.Type.MULTIPLE,
    }


def export(activity):
    poll = activity.poll
    tally = results(activity, poll)
    return {
        "activity": {"question": poll.question, "type": poll.type, "voters": tally["voters"]},
        "json": {
            "results": tally["rows"],
            "mean": tally["mean"],
            "votes": [
                {"choices": vote.choices, "voted_at": vote.updated_at.isoformat()}
                for vote in activity.votes.all()
            ],
        },
        "csv_fields": ["value", "label", "count"],
        "csv_rows": [
            {"value": row["value"], "label": row["label"], "count": row["count"]}
            for row in tally["rows"]
        ],
    }


def register_kind():
    register(
        LiveActivity.Kind.POLL,
        Kind(
            ops={
                "vote": Op(VoteForm, vote, anyone),
                "poll.question": Op(QuestionForm, set_question, facilitators),
            },
            state=poll_state,
            templates={
                "participant": "reflections/poll.html",
                "console": "reflections/poll_console.html",
                "projector": "reflections/poll_projector.html",
            },
            context=page_context,
            export=export,
            create_url="poll_create",
            create_label=gettext_lazy("Open a quick poll"),
            agenda_kinds=(
                # Not "lecture": a lecture slot stays without a live activity of its own.
                "icebreaker",
                "workshop",
                "online_session",
                "reflection_round",
            ),
            prepare=prepare,
        ),
    )
