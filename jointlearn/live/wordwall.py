"""The check-in word wall: a question, words from everyone, a cloud sized by count.

The first live activity and the protocol's reference: a facilitator opens a wall with a
question, participants post one to three words, the facilitator hides words, locks the
wall, clears it, and exports the results.
"""

import re

from django import forms
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import JoinCode, LiveActivity, WordWallEntry, shown_name
from .protocol import Kind, LiveError, Op, anyone, facilitators, register

WORD_MAX_LENGTH = 40
WORDS_IN_AN_ENTRY = 3
WORDS_PER_PERSON_MAX = 10
QUESTION_MAX_LENGTH = 200
DEFAULT_QUESTION = gettext_lazy("One word: how do you arrive today?")


def normalise(text):
    """The form shown and counted: surrounding spaces gone, inner spaces single."""
    return " ".join((text or "").split())


def word_key(text):
    return normalise(text).casefold()


class PostWordForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your word"),
        max_length=200,
        required=True,
        strip=True,
        error_messages={"required": gettext_lazy("Type a word first.")},
    )

    def clean_text(self):
        text = normalise(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Type a word first."))
        if len(text.split(" ")) > WORDS_IN_AN_ENTRY:
            raise forms.ValidationError(_("One to three words, please."))
        if len(text) > WORD_MAX_LENGTH:
            raise forms.ValidationError(
                _("Keep it short: at most %(limit)d characters.") % {"limit": WORD_MAX_LENGTH}
            )
        if not re.search(r"\w", text):
            raise forms.ValidationError(_("Use letters or numbers, not only punctuation."))
        return text


class WordForm(forms.Form):
    word = forms.CharField(max_length=WORD_MAX_LENGTH * 2)

    def clean_word(self):
        return word_key(self.cleaned_data["word"])


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=QUESTION_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Write the question people answer.")},
    )


class WordWallForm(forms.Form):
    """Opening a wall: the question and how many words each person may post."""

    question = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=QUESTION_MAX_LENGTH,
        initial=DEFAULT_QUESTION,
        error_messages={"required": gettext_lazy("Write the question people answer.")},
    )
    words_per_person = forms.IntegerField(
        label=gettext_lazy("Words per person"),
        min_value=1,
        max_value=WORDS_PER_PERSON_MAX,
        initial=3,
    )


def author_filter(actor):
    if actor.membership is not None:
        return {"user_id": actor.membership.user_id}
    return {"guest_id": actor.guest.pk}


def people_count(activity):
    return activity.words.values("user_id", "guest_id").distinct().count()


def visible_count(activity, key):
    return activity.words.filter(key=key, hidden=False).count()


def post_word(*, activity, actor, text):
    if activity.state != LiveActivity.State.OPEN:
        raise LiveError("locked", _("The wall is locked: no new words for now."))
    key = word_key(text)
    mine = list(activity.words.filter(**author_filter(actor)).values_list("key", flat=True))
    if key in mine:
        raise LiveError("duplicate", _("You have already posted “%(word)s”.") % {"word": text})
    limit = activity.config.get("words_per_person", 3)
    if len(mine) >= limit:
        raise LiveError(
            "limit",
            _("You have posted your %(limit)d words. Thank you!") % {"limit": limit},
        )
    # All entries of a word are hidden or none is: hiding and showing act on the word.
    earlier = activity.words.filter(key=key).aggregate(
        posted=Count("pk"), hidden=Count("pk", filter=Q(hidden=True))
    )
    hidden = earlier["hidden"] > 0
    WordWallEntry.objects.create(
        activity=activity,
        text=text,
        key=key,
        user=actor.user,
        guest=actor.guest,
        author_name=actor.name,
        hidden=hidden,
    )
    event = {
        "kind": "word.posted",
        "word": key,
        "count": earlier["posted"] + 1,
        "people": people_count(activity),
    }
    if hidden:
        # A hidden word stays hidden when someone posts it again; only facilitators see it.
        event.update(hidden=True, audience="facilitators")
    return event


def hide_word(*, activity, actor, word):
    if not activity.words.filter(key=word, hidden=False).update(hidden=True):
        raise LiveError("not_found", _("This word is not on the wall."))
    return {"kind": "word.hidden", "word": word}


def show_word(*, activity, actor, word):
    if not activity.words.filter(key=word, hidden=True).update(hidden=False):
        raise LiveError("not_found", _("This word is not hidden."))
    return {"kind": "word.shown", "word": word, "count": visible_count(activity, word)}


def clear_wall(*, activity, actor):
    activity.words.all().delete()
    return {"kind": "wall.cleared"}


def set_question(*, activity, actor, question):
    activity.config = {**activity.config, "question": question}
    return {"kind": "wall.question", "question": question}


def cloud(activity, *, include_hidden):
    """[{word, count, hidden}] with the most posted first."""
    rows = activity.words.values("key", "hidden").annotate(count=Count("pk"))
    words = {}
    for row in rows:
        entry = words.setdefault(row["key"], {"word": row["key"], "count": 0, "hidden": False})
        entry["count"] += row["count"]
        entry["hidden"] = entry["hidden"] or row["hidden"]
    found = [word for word in words.values() if include_hidden or not word["hidden"]]
    return sorted(found, key=lambda word: (-word["count"], word["word"]))


def wall_state(activity, actor):
    mine = list(
        activity.words.filter(**author_filter(actor)).order_by("pk").values_list("key", flat=True)
    )
    return {
        "wall": {
            "question": activity.config.get("question", ""),
            "words_per_person": activity.config.get("words_per_person", 3),
            "words": cloud(activity, include_hidden=actor.can_facilitate),
            "mine": mine,
            "people": people_count(activity),
        }
    }


def with_levels(words):
    """Each word with a size from 1 to 6 by its count, for the page drawn without JavaScript."""
    top = max((word["count"] for word in words), default=1)
    for word in words:
        word["level"] = 1 + round(5 * (word["count"] - 1) / (top - 1)) if top > 1 else 3
    return words


def page_context(request, activity, role, snapshot):
    wall = snapshot["state"]["wall"]
    return {"wall": wall, "words": with_levels(wall["words"])}


def export(activity):
    return {
        "activity": {"question": activity.config.get("question", "")},
        "json": {
            "cloud": cloud(activity, include_hidden=True),
            "words": export_rows(activity),
        },
        "csv_fields": ["word", "counted_as", "posted_by", "posted_at", "hidden"],
        "csv_rows": export_rows(activity),
    }


def prepare(*, project, title, created_by):
    """A word wall for an icebreaker slot of the agenda, opened when the slot starts."""
    return create_word_wall(
        project=project,
        created_by=created_by,
        question=str(DEFAULT_QUESTION),
        title=title,
        state=LiveActivity.State.PREPARED,
    )


@transaction.atomic
def create_word_wall(
    *, project, created_by, question, words_per_person=3, title="", state=LiveActivity.State.OPEN
):
    """Open a word wall with its own join code, ready for people to post (or prepare one
    for an agenda slot: its code opens when the wall does)."""
    title = title or normalise(question)[:QUESTION_MAX_LENGTH]
    join_code = JoinCode.objects.create(
        project=project,
        label=title,
        created_by=created_by,
        is_open=state in {LiveActivity.State.OPEN, LiveActivity.State.LOCKED},
    )
    return LiveActivity.objects.create(
        project=project,
        kind=LiveActivity.Kind.WORD_WALL,
        title=title,
        state=state,
        join_code=join_code,
        config={"question": normalise(question), "words_per_person": words_per_person},
        created_by=created_by,
    )


def export_rows(activity):
    """Every word posted, oldest first, for CSV and JSON exports."""
    return [
        {
            "word": entry.text,
            "counted_as": entry.key,
            "posted_by": shown_name(entry.author_name),
            "posted_at": entry.created_at.isoformat(),
            "hidden": entry.hidden,
        }
        for entry in activity.words.order_by("created_at", "pk")
    ]


register(
    LiveActivity.Kind.WORD_WALL,
    Kind(
        ops={
            "word.post": Op(PostWordForm, post_word, anyone),
            "word.hide": Op(WordForm, hide_word, facilitators),
            "word.show": Op(WordForm, show_word, facilitators),
            "wall.clear": Op(forms.Form, clear_wall, facilitators),
            "wall.question": Op(QuestionForm, set_question, facilitators),
        },
        state=wall_state,
        templates={
            "participant": "jointlearn/live/wordwall.html",
            "console": "jointlearn/live/wordwall_console.html",
            "projector": "jointlearn/live/wordwall_projector.html",
        },
        context=page_context,
        export=export,
        create_url="word_wall_create",
        create_label=gettext_lazy("Open a check-in word wall"),
        agenda_kinds=("icebreaker",),
        prepare=prepare,
    ),
)
