"""The live pitch session: partners pitch their practices and the room rates each from a phone.

A facilitator sets up a session (practices in order, two to four criteria of the project's
rubric and "one word"), the projector shows the current pitch with a QR code and the
results as they come in, everyone in the room rates the current pitch once and may change
their rating until the facilitator closes it, and the facilitator moves on. Ratings are
stored with the practice (PitchRating), apart from peer evaluations. This module is the
kind's half of the live protocol (jointlearn/live/protocol.py): its operations, snapshot,
pages, export and agenda preparation.
"""

import re

from django import forms
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jointlearn.live.broadcast import broadcast_after_commit, project_changed
from jointlearn.live.groups import activity_group
from jointlearn.live.protocol import Kind, LiveError, Op, anyone, facilitators
from jointlearn.models import JoinCode, LiveActivity, shown_name
from jointlearn.services import DomainError

from .models import MIN_EVALUATIONS_FOR_RESULTS, Picture, PitchRating, Practice
from .services import ensure_rubric

MIN_CRITERIA = 2
MAX_CRITERIA = 4
MAX_PITCHES = 20
WORD_MAX_LENGTH = 40
WORDS_IN_A_WORD = 3
TITLE_MAX_LENGTH = 200
SCORE_KEY = re.compile(r"^c(\d+)$")
# Means are shown from this many ratings up, as for peer evaluations: no single rating
# can be read off the projector.
MIN_RATINGS_FOR_RESULTS = MIN_EVALUATIONS_FOR_RESULTS
DEFAULT_TITLE = gettext_lazy("Pitches of good practices")


class PitchSessionLocked(DomainError):
    """The session's pitches and criteria cannot change once someone has rated."""


class InvalidPitchSession(DomainError):
    """The set-up asks for something a session cannot have."""


# The session's settings, kept in LiveActivity.config


def practice_ids(activity):
    return list(activity.config.get("practices", []))


def session_criteria(activity):
    """[{id, name, help_text, scale_max}]: copied from the rubric when the session is set up,
    so a later change to the rubric does not change what the room rated on. Default
    criteria the project kept read in the viewer's language."""
    from .services import shown

    return [
        {**entry, "name": shown(entry["name"]), "help_text": shown(entry.get("help_text", ""))}
        for entry in activity.config.get("criteria", [])
    ]


def position_of(activity):
    return activity.config.get("position", 0)


def current_practice_id(activity):
    ids = practice_ids(activity)
    position = position_of(activity)
    return ids[position] if 0 <= position < len(ids) else None


def rating_open(activity):
    return bool(activity.config.get("rating_open", True))


def criterion_entry(criterion):
    return {
        "id": criterion.pk,
        "name": criterion.name,
        "help_text": criterion.help_text,
        "scale_max": criterion.scale_max,
    }


def session_config(*, practices, criteria, one_word):
    return {
        "practices": [practice.pk for practice in practices],
        "criteria": [criterion_entry(criterion) for criterion in criteria],
        "one_word": bool(one_word),
        "position": 0,
        "rating_open": True,
    }


def check_choice(project, practices, criteria):
    if not 1 <= len(practices) <= MAX_PITCHES:
        raise InvalidPitchSession(
            _("A pitch session has from one to %(max)d practices.") % {"max": MAX_PITCHES}
        )
    if len({practice.pk for practice in practices}) != len(practices):
        raise InvalidPitchSession(_("Each practice can be pitched once in a session."))
    if any(p.project_id != project.pk or not p.is_published for p in practices):
        raise InvalidPitchSession(_("Only published practices of this project can be pitched."))
    if not MIN_CRITERIA <= len(criteria) <= MAX_CRITERIA:
        raise InvalidPitchSession(_("Pick two to four criteria for the short rubric."))
    if any(criterion.project_id != project.pk for criterion in criteria):
        raise InvalidPitchSession(_("Pick criteria of this project's rubric."))


# Setting a session up (the set-up page and the agenda call these)


@transaction.atomic
def create_pitch_session(
    *,
    project,
    created_by,
    title,
    practices,
    criteria,
    one_word=True,
    state=LiveActivity.State.OPEN,
):
    """A pitch session with its own join code: open at once, or prepared for an agenda slot
    (its code opens when the session does)."""
    if practices or state != LiveActivity.State.PREPARED:
        check_choice(project, practices, criteria)
    title = " ".join(str(title).split())[:TITLE_MAX_LENGTH] or str(DEFAULT_TITLE)
    join_code = JoinCode.objects.create(
        project=project,
        label=title,
        created_by=created_by,
        is_open=state in {LiveActivity.State.OPEN, LiveActivity.State.LOCKED},
    )
    activity = LiveActivity.objects.create(
        project=project,
        kind=LiveActivity.Kind.PITCH,
        title=title,
        state=state,
        join_code=join_code,
        config=session_config(practices=practices, criteria=criteria, one_word=one_word),
        created_by=created_by,
    )
    project_changed(project, "live")
    return activity


@transaction.atomic
def configure_pitch_session(*, activity, title, practices, criteria, one_word):
    """Change a session's pitches, criteria and title while nobody has rated yet.

    Open pages hear a `pitch.setup` event with a new version and reload their snapshot.
    """
    activity = LiveActivity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if activity.pitch_ratings.exists():
        raise PitchSessionLocked(
            _("People have rated already: the pitches and criteria can no longer change.")
        )
    check_choice(activity.project, practices, criteria)
    activity.title = " ".join(str(title).split())[:TITLE_MAX_LENGTH] or activity.title
    activity.config = session_config(practices=practices, criteria=criteria, one_word=one_word)
    activity.version += 1
    activity.save()
    broadcast_after_commit(
        activity_group(activity.pk), {"kind": "pitch.setup"}, version=activity.version
    )
    return activity


def prepare(*, project, title, created_by):
    """A pitch session for a "pitch session" slot of the agenda: the short rubric is the
    first three criteria of the project's rubric; the facilitator picks the practices."""
    criteria = ensure_rubric(project=project)[:3]
    return create_pitch_session(
        project=project,
        created_by=created_by,
        title=title,
        practices=[],
        criteria=criteria,
        state=LiveActivity.State.PREPARED,
    )


# Operations


def clean_word(text):
    word = " ".join((text or "").split())
    if not word:
        return ""
    if len(word.split(" ")) > WORDS_IN_A_WORD:
        raise forms.ValidationError(_("One word, or three at most, please."))
    if len(word) > WORD_MAX_LENGTH:
        raise forms.ValidationError(
            _("Keep it short: at most %(limit)d characters.") % {"limit": WORD_MAX_LENGTH}
        )
    if not re.search(r"\w", word):
        raise forms.ValidationError(_("Use letters or numbers, not only punctuation."))
    return word


class RateForm(forms.Form):
    """A rating from a phone: the pitch, a score per criterion as c<criterion id>, a word."""

    practice = forms.IntegerField(
        error_messages={
            "required": gettext_lazy("Reload the page: it does not say which pitch you rate."),
            "invalid": gettext_lazy("Reload the page: it does not say which pitch you rate."),
        }
    )
    word = forms.CharField(label=gettext_lazy("One word"), required=False, max_length=200)

    def clean_word(self):
        return clean_word(self.cleaned_data["word"])

    def clean(self):
        cleaned = super().clean()
        scores = {}
        for key, value in self.data.items():
            found = SCORE_KEY.match(str(key))
            if found is None:
                continue
            if isinstance(value, bool) or value in (None, ""):
                raise forms.ValidationError(_("Choose a score for every criterion."))
            try:
                number = int(str(value))
            except ValueError:
                raise forms.ValidationError(_("A score is a whole number.")) from None
            scores[found.group(1)] = number
        cleaned["scores"] = scores
        return cleaned


class PositionForm(forms.Form):
    """The position the facilitator's screen showed: a double press moves only once."""

    expected = forms.IntegerField(
        min_value=0,
        error_messages={"required": gettext_lazy("Reload the console and try again.")},
    )


def rater_filter(actor):
    if actor.membership is not None:
        return {"user_id": actor.membership.user_id, "guest": None}
    return {"guest_id": actor.guest.pk, "user": None}


def rate_pitch(*, activity, actor, practice, scores, word):
    """Save this person's rating of the current pitch, or change the one they gave."""
    if activity.state != LiveActivity.State.OPEN:
        raise LiveError("locked", _("Rating is paused for now: wait for the facilitator."))
    current = current_practice_id(activity)
    if current is None or practice != current:
        raise LiveError(
            "not_current", _("This pitch is not on now: rate the pitch that is being presented.")
        )
    if not rating_open(activity):
        raise LiveError("closed", _("Rating for this pitch is closed."))
    criteria = {str(entry["id"]): entry for entry in session_criteria(activity)}
    if set(scores) - set(criteria):
        raise LiveError(
            "invalid", _("A criterion is not part of this pitch session. Reload the page.")
        )
    missing = [entry["name"] for key, entry in criteria.items() if key not in scores]
    if missing:
        raise LiveError(
            "invalid", _("Give a score for: %(criteria)s.") % {"criteria": ", ".join(missing)}
        )
    for key, value in scores.items():
        top = criteria[key]["scale_max"]
        if not 1 <= value <= top:
            raise LiveError(
                "invalid",
                _("Scores for “%(criterion)s” go from 1 to %(max)d.")
                % {"criterion": criteria[key]["name"], "max": top},
            )
    if not activity.config.get("one_word"):
        word = ""
    found = Practice.objects.filter(pk=practice, project_id=activity.project_id).first()
    if found is None:
        raise LiveError("not_found", _("This practice is no longer in the library."))
    PitchRating.objects.update_or_create(
        activity=activity,
        practice=found,
        **rater_filter(actor),
        defaults={
            "rater_name": actor.name,
            "scores": {key: scores[key] for key in criteria},
            "word": word,
        },
    )
    return {"kind": "pitch.rated", "results": results(activity, found.pk)}


def move(activity, expected, step):
    position = position_of(activity)
    if expected != position:
        raise LiveError("moved", _("The session has already moved: this is the current pitch."))
    target = position + step
    if not 0 <= target < len(practice_ids(activity)):
        if step > 0:
            raise LiveError("limit", _("This is the last pitch."))
        raise LiveError("limit", _("This is the first pitch."))
    activity.config = {**activity.config, "position": target, "rating_open": True}
    return {
        "kind": "pitch.moved",
        "position": target,
        "rating_open": True,
        "results": results(activity, practice_ids(activity)[target]),
    }


def next_pitch(*, activity, actor, expected):
    return move(activity, expected, 1)


def previous_pitch(*, activity, actor, expected):
    return move(activity, expected, -1)


def set_rating(activity, expected, is_open):
    if expected != position_of(activity):
        raise LiveError("moved", _("The session has already moved: this is the current pitch."))
    if rating_open(activity) == is_open:
        return None
    activity.config = {**activity.config, "rating_open": is_open}
    return {"kind": "pitch.rating", "position": expected, "rating_open": is_open}


def close_rating(*, activity, actor, expected):
    return set_rating(activity, expected, False)


def reopen_rating(*, activity, actor, expected):
    return set_rating(activity, expected, True)


# What clients see


def word_counts(words):
    counted = {}
    for word in words:
        if word:
            key = word.casefold()
            counted[key] = counted.get(key, 0) + 1
    return sorted(
        ({"word": key, "count": count} for key, count in counted.items()),
        key=lambda entry: (-entry["count"], entry["word"]),
    )


def summarise(criteria, ratings):
    """Counts, means per criterion (from MIN_RATINGS_FOR_RESULTS ratings up) and words of
    one pitch's ratings, given as (scores, word) pairs."""
    count = len(ratings)
    enough = count >= MIN_RATINGS_FOR_RESULTS
    rows = []
    for entry in criteria:
        key = str(entry["id"])
        values = [scores[key] for scores, _word in ratings if key in scores]
        mean = round(sum(values) / len(values), 2) if enough and values else None
        rows.append(
            {
                "id": entry["id"],
                "mean": mean,
                "percent": round(100 * (mean - 1) / (entry["scale_max"] - 1))
                if mean is not None
                else 0,
            }
        )
    return {
        "count": count,
        "enough": enough,
        "criteria": rows,
        "words": word_counts(word for _scores, word in ratings)[:12],
    }


def results(activity, practice_id):
    ratings = list(
        PitchRating.objects.filter(activity=activity, practice_id=practice_id).values_list(
            "scores", "word"
        )
    )
    return {"practice": practice_id, **summarise(session_criteria(activity), ratings)}


def pitch_practices(activity):
    """The session's practices in pitch order (practices deleted since are left out)."""
    ids = practice_ids(activity)
    found = Practice.objects.filter(pk__in=ids, project_id=activity.project_id).select_related(
        "organisation"
    )
    by_id = {practice.pk: practice for practice in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def pitch_entry(practice):
    country = practice.organisation.country
    return {
        "practice": practice.pk,
        "title": practice.title,
        "organisation": practice.organisation.name,
        "country": country.code,
        "country_name": str(country.name),
    }


def own_rating(activity, actor, practice_id):
    if practice_id is None:
        return None
    rating = PitchRating.objects.filter(
        activity=activity, practice_id=practice_id, **rater_filter(actor)
    ).first()
    if rating is None:
        return None
    return {"scores": rating.scores, "word": rating.word}


def session_state(activity, actor):
    current = current_practice_id(activity)
    return {
        "pitch": {
            "position": position_of(activity),
            "rating_open": rating_open(activity),
            "one_word": bool(activity.config.get("one_word")),
            "criteria": session_criteria(activity),
            "pitches": [pitch_entry(practice) for practice in pitch_practices(activity)],
            "current": current,
            "results": results(activity, current) if current is not None else None,
            "mine": own_rating(activity, actor, current),
            "min_ratings": MIN_RATINGS_FOR_RESULTS,
        }
    }


def page_context(request, activity, role, snapshot):
    """The practices with their first picture (members only: pictures are private to the
    project), the criteria with their scales, and the current results for the pages."""
    state = snapshot["state"]["pitch"]
    practices = pitch_practices(activity)
    if request.membership is not None:
        pictures = Picture.objects.filter(practice__in=practices).order_by("position", "pk")
        first_pictures = {}
        for picture in pictures.select_related("practice__project"):
            first_pictures.setdefault(picture.practice_id, picture)
        for practice in practices:
            practice.first_picture = first_pictures.get(practice.pk)
    counts = dict(
        PitchRating.objects.filter(activity=activity)
        .values_list("practice_id")
        .annotate(count=Count("pk"))
    )
    for practice in practices:
        practice.rating_count = counts.get(practice.pk, 0)
    criteria = state["criteria"]
    current = state["results"] or {"criteria": [], "count": 0, "enough": False, "words": []}
    by_id = {row["id"]: row for row in current["criteria"]}
    mine = state["mine"] or {"scores": {}, "word": ""}
    return {
        "pitch": state,
        "practices": practices,
        "current_practice": next((p for p in practices if p.pk == state["current"]), None),
        "criteria_rows": [
            {
                **entry,
                "scale": range(1, entry["scale_max"] + 1),
                "mine": mine["scores"].get(str(entry["id"])),
                "mean": by_id.get(entry["id"], {}).get("mean"),
                "percent": by_id.get(entry["id"], {}).get("percent", 0),
            }
            for entry in criteria
        ],
        "current_results": current,
        "mine": state["mine"],
        "my_word": mine["word"],
        "is_last": state["position"] >= len(practice_ids(activity)) - 1,
    }


def export(activity):
    """Every rating (one row per person and pitch) and each pitch's summary."""
    criteria = session_criteria(activity)
    practices = pitch_practices(activity)
    ratings = list(
        PitchRating.objects.filter(activity=activity)
        .select_related("practice__organisation")
        .order_by("practice_id", "created_at", "pk")
    )
    by_practice = {}
    for rating in ratings:
        by_practice.setdefault(rating.practice_id, []).append(rating)
    order = {practice.pk: index for index, practice in enumerate(practices, start=1)}
    rows = []
    for rating in sorted(ratings, key=lambda r: (order.get(r.practice_id, 0), r.created_at, r.pk)):
        row = {
            "pitch": order.get(rating.practice_id, ""),
            "practice": rating.practice.title,
            "organisation": rating.practice.organisation.name,
            "country": rating.practice.organisation.country.code,
            "rated_by": shown_name(rating.rater_name),
            "rater": "member" if rating.user_id else "guest",
        }
        for entry in criteria:
            row[entry["name"]] = rating.scores.get(str(entry["id"]), "")
        row["word"] = rating.word
        row["rated_at"] = rating.updated_at.isoformat()
        rows.append(row)
    pitches = []
    for practice in practices:
        found = by_practice.get(practice.pk, [])
        summary = summarise(criteria, [(r.scores, r.word) for r in found])
        pitches.append(
            {
                **pitch_entry(practice),
                "ratings": summary["count"],
                "means": {
                    entry["name"]: row["mean"]
                    for entry, row in zip(criteria, summary["criteria"], strict=True)
                },
                "words": summary["words"],
            }
        )
    return {
        "activity": {
            "criteria": [{"name": e["name"], "scale_max": e["scale_max"]} for e in criteria],
            "one_word": bool(activity.config.get("one_word")),
            "min_ratings_for_means": MIN_RATINGS_FOR_RESULTS,
        },
        "json": {"pitches": pitches, "ratings": rows},
        "csv_fields": [
            "pitch",
            "practice",
            "organisation",
            "country",
            "rated_by",
            "rater",
            *[entry["name"] for entry in criteria],
            "word",
            "rated_at",
        ],
        "csv_rows": rows,
    }


# The practice page: pitch ratings beside (not mixed with) peer evaluations


def practice_pitch_results(practice):
    """Per session in which the practice was pitched: its short rubric and the results."""
    ratings = list(
        PitchRating.objects.filter(practice=practice)
        .select_related("activity")
        .order_by("activity__created_at", "activity_id")
    )
    sessions = {}
    for rating in ratings:
        sessions.setdefault(rating.activity, []).append((rating.scores, rating.word))
    found = []
    for activity, pairs in sessions.items():
        criteria = session_criteria(activity)
        summary = summarise(criteria, pairs)
        found.append(
            {
                "activity": activity,
                "summary": summary,
                "rows": [
                    {**entry, **row}
                    for entry, row in zip(criteria, summary["criteria"], strict=True)
                ],
            }
        )
    return found


def choosable_practices(project):
    """The practices a session can pitch: the project's published ones, by country."""
    return (
        Practice.objects.filter(project=project, status=Practice.Status.PUBLISHED)
        .select_related("organisation")
        .order_by("organisation__country", "title")
    )


KIND = Kind(
    ops={
        "pitch.rate": Op(RateForm, rate_pitch, anyone),
        "pitch.next": Op(PositionForm, next_pitch, facilitators),
        "pitch.previous": Op(PositionForm, previous_pitch, facilitators),
        "pitch.close": Op(PositionForm, close_rating, facilitators),
        "pitch.reopen": Op(PositionForm, reopen_rating, facilitators),
    },
    state=session_state,
    templates={
        "participant": "practices/pitch.html",
        "console": "practices/pitch_console.html",
        "projector": "practices/pitch_projector.html",
    },
    context=page_context,
    export=export,
    create_url="pitch_session_create",
    create_label=gettext_lazy("Prepare a pitch session"),
    agenda_kinds=("pitch_session",),
    prepare=prepare,
)
