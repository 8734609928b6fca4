"""The reflection round as a live activity: prompts, a speaking order mixed across
countries, a timer per speaker, answers typed on phones or captured by the facilitator,
each tagged with the learning formats it names; anonymous if the facilitator chooses."""

import re
import secrets
from collections import Counter

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jointlearn.live.protocol import (
    Kind,
    LiveError,
    NoDataForm,
    Op,
    SeveralValuesField,
    anyone,
    facilitators,
    register,
    start_timer,
    stop_timer,
)
from jointlearn.models import JoinCode, LiveActivity, shown_name

from . import order as ordering
from .models import ANSWER_MAX_LENGTH, PROMPT_MAX_LENGTH, Answer, LearningFormat, ReflectionRound
from .presence import (
    HereForm,
    console_context,
    mark_present,
    person,
    presence_of,
    refuse_unless_open,
)

DEFAULT_PROMPTS = [
    gettext_lazy("What did you gain from this seminar?"),
    gettext_lazy("What was the best way for you to learn?"),
]
PROMPTS_MAX = 5
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SPEAKER_SECONDS_MAX = 15 * 60


def prompts_of(reflection):
    """The prompts as people read them: the defaults in the viewer's language, custom
    prompts as the facilitator wrote them."""
    return [str(prompt) for prompt in (reflection.prompts or DEFAULT_PROMPTS)]


def parse_formats(items):
    """LearningFormat values, in the order of the list of formats."""
    unknown = [item for item in items if item not in LearningFormat.values]
    if unknown:
        raise forms.ValidationError(_("Choose learning formats from the list."))
    return [value for value in LearningFormat.values if value in items]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": gettext_lazy("Write your answer first."),
            "max_length": gettext_lazy(
                "Your answer is too long: keep it under %(limit_value)d characters."
            ),
        },
    )
    prompt = forms.IntegerField(min_value=0, max_value=PROMPTS_MAX - 1, required=False)
    formats = SeveralValuesField(max_items=len(LearningFormat.values))
    token = forms.CharField(required=False, max_length=64)

    def clean_formats(self):
        return parse_formats(self.cleaned_data["formats"])

    def clean_token(self):
        token = self.cleaned_data["token"]
        if token and not TOKEN_PATTERN.match(token):
            raise forms.ValidationError(_("The message could not be read. Reload the page."))
        return token


class PresenceIdForm(forms.Form):
    speaker = forms.IntegerField(min_value=1)


class MoveForm(PresenceIdForm):
    offset = forms.IntegerField(min_value=-100, max_value=100)


class OrderForm(forms.Form):
    order = forms.CharField(max_length=4000)

    def clean_order(self):
        try:
            return [int(item) for item in self.cleaned_data["order"].split(",") if item.strip()]
        except ValueError:
            raise forms.ValidationError(_("The new order could not be read.")) from None


class AnswerIdForm(forms.Form):
    answer = forms.IntegerField(min_value=1)


class RoundForm(forms.Form):
    """Opening a reflection round."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        initial=gettext_lazy("Reflection round"),
        error_messages={"required": gettext_lazy("Give the round a title.")},
    )
    meeting = forms.ModelChoiceField(
        label=gettext_lazy("Meeting"), queryset=None, required=False, empty_label="—"
    )
    prompts = forms.CharField(
        label=gettext_lazy("Prompts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One prompt a line, at most five."),
        error_messages={"required": gettext_lazy("Write at least one prompt.")},
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Anonymous: keep no link between an answer and the person"),
        required=False,
    )
    speaker_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes per speaker"), min_value=1, max_value=15, initial=2
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = project.meetings.order_by("-starts_on")
        self.fields["prompts"].initial = "\n".join(str(prompt) for prompt in DEFAULT_PROMPTS)

    def clean_prompts(self):
        prompts = [" ".join(line.split()) for line in self.cleaned_data["prompts"].splitlines()]
        prompts = [prompt for prompt in prompts if prompt]
        if not prompts:
            raise forms.ValidationError(_("Write at least one prompt."))
        if len(prompts) > PROMPTS_MAX:
            raise forms.ValidationError(_("At most five prompts, please."))
        if any(len(prompt) > PROMPT_MAX_LENGTH for prompt in prompts):
            raise forms.ValidationError(
                _("Keep each prompt under %(limit)d characters.") % {"limit": PROMPT_MAX_LENGTH}
            )
        return prompts


@transaction.atomic
def create_round(
    *,
    project,
    created_by,
    title,
    prompts=None,
    meeting=None,
    anonymous=False,
    speaker_minutes=2,
    state=LiveActivity.State.OPEN,
):
    """Open (or prepare) a reflection round with its own join code.

    Prompts equal to the defaults are stored as "the defaults", so each viewer reads them in
    their own language; other prompts are kept as written."""
    if meeting is not None and meeting.project_id != project.pk:
        raise LiveError("not_found", _("This meeting is not in this project."))
    defaults = [str(prompt) for prompt in DEFAULT_PROMPTS]
    prompts = list(prompts or [])
    join_code = JoinCode.objects.create(
        project=project, label=title, created_by=created_by, is_open=state == "open"
    )
    activity = LiveActivity.objects.create(
        project=project,
        kind=LiveActivity.Kind.REFLECTION,
        title=title,
        state=state,
        join_code=join_code,
        created_by=created_by,
    )
    ReflectionRound.objects.create(
        activity=activity,
        meeting=meeting,
        prompts=[] if not prompts or prompts == defaults else prompts,
        anonymous=anonymous,
        speaker_seconds=speaker_minutes * 60,
    )
    return activity


def prepare(*, project, title, created_by):
    return create_round(
        project=project, created_by=created_by, title=title, state=LiveActivity.State.PREPARED
    )


def meeting_of(reflection):
    """The round's meeting: chosen when it was opened, or the meeting of its agenda item."""
    if reflection.meeting_id:
        return reflection.meeting
    from meetings.models import AgendaItem

    item = (
        AgendaItem.objects.filter(live_activity_id=reflection.activity_id)
        .select_related("day__meeting")
        .first()
    )
    return item.day.meeting if item else None


def reflection_of(activity):
    return ReflectionRound.objects.select_related("current_speaker", "meeting").get(
        activity=activity
    )


# The speaking order


def speakers(activity):
    return [person(presence) for presence in activity.presences.order_by("position", "pk")]


def people_event(activity, reflection):
    return {
        "kind": "people",
        "speakers": speakers(activity),
        "current": reflection.current_speaker_id,
    }


def here(*, activity, actor, country, organisation):
    refuse_unless_open(activity, _("The round is closed."))
    _presence, created = mark_present(
        activity=activity, actor=actor, country=country, organisation=organisation
    )
    return people_event(activity, reflection_of(activity)) if created else None


def generate_order(*, activity, actor):
    presences = list(activity.presences.all())
    if not presences:
        raise LiveError("empty", _("Nobody is here yet: ask people to press “I'm here”."))
    keys = ordering.speaking_order(
        [(p.pk, p.country.code if p.country else "", p.organisation) for p in presences],
        seed=secrets.randbits(32),
    )
    by_id = {p.pk: p for p in presences}
    for position, key in enumerate(keys):
        presence = by_id[key]
        presence.position, presence.spoken, presence.skipped = position, False, False
    type(presences[0]).objects.bulk_update(presences, ["position", "spoken", "skipped"])
    reflection = reflection_of(activity)
    reflection.current_speaker = None
    reflection.save(update_fields=["current_speaker"])
    return people_event(activity, reflection)


def save_order(activity, ids):
    presences = {p.pk: p for p in activity.presences.all()}
    if sorted(ids) != sorted(presences):
        raise LiveError("invalid", _("The speaking order changed meanwhile. Try again."))
    for position, key in enumerate(ids):
        presences[key].position = position
    type(next(iter(presences.values()))).objects.bulk_update(presences.values(), ["position"])


def current_order(activity):
    return list(activity.presences.order_by("position", "pk").values_list("pk", flat=True))


def set_order(*, activity, actor, order):
    save_order(activity, order)
    return people_event(activity, reflection_of(activity))


def move_speaker(*, activity, actor, speaker, offset):
    ids = current_order(activity)
    if speaker not in ids:
        raise LiveError("not_found", _("This person is not in the speaking order."))
    save_order(activity, ordering.moved(ids, speaker, offset))
    return people_event(activity, reflection_of(activity))


def next_waiting(activity):
    return activity.presences.filter(spoken=False, skipped=False).order_by("position", "pk").first()


def next_speaker(*, activity, actor):
    reflection = reflection_of(activity)
    if reflection.current_speaker is not None:
        activity.presences.filter(pk=reflection.current_speaker_id).update(spoken=True)
    following = next_waiting(activity)
    reflection.current_speaker = following
    reflection.save(update_fields=["current_speaker"])
    if following is None:
        stop_timer(activity=activity, actor=actor)
    else:
        start_timer(activity=activity, actor=actor, seconds=reflection.speaker_seconds)
    event = people_event(activity, reflection)
    event["timer"] = timer_of(activity)
    return event


def timer_of(activity):
    from jointlearn.live.protocol import timer_state

    return timer_state(activity)


def skip_speaker(*, activity, actor, speaker):
    presence = activity.presences.filter(pk=speaker).first()
    if presence is None:
        raise LiveError("not_found", _("This person is not in the speaking order."))
    presence.skipped = not presence.skipped
    presence.save(update_fields=["skipped"])
    reflection = reflection_of(activity)
    if reflection.current_speaker_id == presence.pk and presence.skipped:
        return next_speaker(activity=activity, actor=actor)
    return people_event(activity, reflection)


# Answers


def said_by(answer):
    """The name an answer of a named round was given; an erased member's reads "former
    participant" (an answer written down with no speaker has no name at all)."""
    if answer.author_name or answer.user_id is None:
        return answer.author_name
    return shown_name(answer.author_name)


def answer_json(answer, *, anonymous):
    return {
        "id": answer.pk,
        "prompt": answer.prompt,
        "text": answer.text,
        "formats": answer.formats,
        "author": "" if anonymous else said_by(answer),
        "captured": answer.captured,
    }


def format_chart(activity):
    """[{format, label, count}] of every learning format, most named first."""
    counts = Counter()
    for formats in activity.answers.values_list("formats", flat=True):
        counts.update(formats)
    rows = [
        {"format": value, "label": str(label), "count": counts[value]}
        for value, label in LearningFormat.choices
    ]
    return sorted(rows, key=lambda row: -row["count"])


def token_hash(activity, token):
    if not token:
        return ""
    return salted_hmac("reflections.answer", f"{activity.pk}:{token}").hexdigest()[:64]


def save_answer(activity, reflection, *, text, prompt, formats, token, author, captured):
    prompt = prompt or 0
    if prompt >= len(prompts_of(reflection)):
        raise LiveError("invalid", _("This prompt is not part of the round."))
    hashed = token_hash(activity, token)
    if hashed and activity.answers.filter(token_hash=hashed).exists():
        return None  # sent again after a reconnect: saved once already
    named = not reflection.anonymous
    answer = Answer.objects.create(
        activity=activity,
        prompt=prompt,
        text=text,
        formats=formats,
        token_hash=hashed,
        captured=captured,
        user=author.get("user") if named else None,
        guest=author.get("guest") if named else None,
        author_name=author.get("name", "") if named else "",
        created_at=timezone.now() if named else None,
    )
    return {
        "kind": "answer.added",
        "answer": answer_json(answer, anonymous=reflection.anonymous),
        "chart": format_chart(activity),
    }


def post_answer(*, activity, actor, text, prompt, formats, token):
    refuse_unless_open(activity, _("The round is closed: answers are no longer taken."))
    reflection = reflection_of(activity)
    author = {"user": actor.user, "guest": actor.guest, "name": actor.name}
    return save_answer(
        activity,
        reflection,
        text=text,
        prompt=prompt,
        formats=formats,
        token=token,
        author=author,
        captured=False,
    )


def capture_answer(*, activity, actor, text, prompt, formats, token):
    """The facilitator writes down what the current speaker says."""
    reflection = reflection_of(activity)
    speaker = reflection.current_speaker
    author = {}
    if speaker is not None:
        author = {"user": speaker.user, "guest": speaker.guest, "name": speaker.name}
    return save_answer(
        activity,
        reflection,
        text=text,
        prompt=prompt,
        formats=formats,
        token=token,
        author=author,
        captured=True,
    )


def remove_answer(*, activity, actor, answer):
    if not activity.answers.filter(pk=answer).delete()[0]:
        raise LiveError("not_found", _("This answer is no longer there."))
    return {"kind": "answer.removed", "answer": answer, "chart": format_chart(activity)}


# Snapshot, pages, export


def round_state(activity, actor):
    reflection = reflection_of(activity)
    me = presence_of(activity, actor)
    return {
        "round": {
            "prompts": prompts_of(reflection),
            "anonymous": reflection.anonymous,
            "meeting": str(meeting_of(reflection) or ""),
            "speaker_seconds": reflection.speaker_seconds,
            "answers": [
                answer_json(answer, anonymous=reflection.anonymous)
                for answer in activity.answers.all()
            ],
            "chart": format_chart(activity),
            "speakers": speakers(activity),
            "current": reflection.current_speaker_id,
            "me": me.pk if me else None,
            "formats": [{"value": v, "label": str(label)} for v, label in LearningFormat.choices],
        }
    }


def with_bars(chart):
    top = max((row["count"] for row in chart), default=0)
    for row in chart:
        row["percent"] = round(100 * row["count"] / top) if top else 0
    return chart


def page_context(request, activity, role, snapshot):
    state = snapshot["state"]["round"]
    prompts = list(enumerate(state["prompts"]))
    labels = dict(LearningFormat.choices)
    for answer in state["answers"]:
        answer["format_labels"] = [str(labels[value]) for value in answer["formats"]]
    return {
        **console_context(),
        "move_buttons": [(-1, _("Earlier")), (1, _("Later"))],
        "can_remove": role == "console",
        "round": state,
        "prompts": prompts,
        "chart": with_bars(state["chart"]),
        "answers_by_prompt": [
            (text, [a for a in state["answers"] if a["prompt"] == index]) for index, text in prompts
        ],
        "formats": LearningFormat.choices,
        "current_speaker": next(
            (s for s in state["speakers"] if s["id"] == state["current"]), None
        ),
    }


def export(activity):
    reflection = reflection_of(activity)
    prompts = prompts_of(reflection)
    rows = [
        {
            "prompt": prompts[answer.prompt] if answer.prompt < len(prompts) else "",
            "answer": answer.text,
            "formats": ", ".join(answer.formats),
            "said_by": "" if reflection.anonymous else said_by(answer),
            "written_down_by_facilitator": answer.captured,
            "answered_at": answer.created_at.isoformat() if answer.created_at else "",
        }
        for answer in activity.answers.all()
    ]
    return {
        "activity": {
            "prompts": prompts,
            "anonymous": reflection.anonymous,
            "meeting": str(meeting_of(reflection) or ""),
        },
        "json": {"answers": rows, "formats": format_chart(activity)},
        "csv_fields": list(rows[0])
        if rows
        else [
            "prompt",
            "answer",
            "formats",
            "said_by",
            "written_down_by_facilitator",
            "answered_at",
        ],
        "csv_rows": rows,
    }


def register_kind():
    register(
        LiveActivity.Kind.REFLECTION,
        Kind(
            ops={
                "here": Op(HereForm, here, anyone),
                "answer.post": Op(AnswerForm, post_answer, anyone),
                "answer.capture": Op(AnswerForm, capture_answer, facilitators),
                "answer.remove": Op(AnswerIdForm, remove_answer, facilitators),
                "order.generate": Op(NoDataForm, generate_order, facilitators),
                "order.set": Op(OrderForm, set_order, facilitators),
                "order.move": Op(MoveForm, move_speaker, facilitators),
                "speaker.next": Op(NoDataForm, next_speaker, facilitators),
                "speaker.skip": Op(PresenceIdForm, skip_speaker, facilitators),
            },
            state=round_state,
            templates={
                "participant": "reflections/round.html",
                "console": "reflections/round_console.html",
                "projector": "reflections/round_projector.html",
            },
            context=page_context,
            export=export,
            create_url="reflection_create",
            create_label=gettext_lazy("Open a reflection round"),
            agenda_kinds=("reflection_round",),
            prepare=prepare,
        ),
    )
