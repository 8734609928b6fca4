"""Cross-country pairing as a live activity: people press "I'm here", the facilitator
makes pairs (a trio when the number is odd) from different countries with a prompt from
the icebreaker library, and re-pairs on demand without repeating earlier pairs."""

import random
import secrets

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jointlearn.live.protocol import Kind, LiveError, NoDataForm, Op, anyone, facilitators, register
from jointlearn.models import JoinCode, LiveActivity, shown_name
from meetings.models import Icebreaker

from . import pairing
from .models import PairGroup, Pairing
from .presence import (
    HereForm,
    console_context,
    mark_present,
    person,
    presence_of,
    refuse_unless_open,
)


def library(project):
    """The icebreakers a pairing may take its prompt from: the shared library and the
    project's own."""
    return Icebreaker.objects.filter(Q(project=None) | Q(project=project))


class IcebreakerForm(forms.Form):
    # An icebreaker's id, or "random" for a random cross-country mixing one.
    icebreaker = forms.CharField(max_length=20)


class PairingForm(forms.Form):
    """Setting up a pairing."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        initial=gettext_lazy("Cross-country pairs"),
        error_messages={"required": gettext_lazy("Give the pairing a title.")},
    )
    icebreaker = forms.ModelChoiceField(
        label=gettext_lazy("Prompt from the icebreaker library"),
        queryset=Icebreaker.objects.none(),
        required=False,
        empty_label=gettext_lazy("A random cross-country mixing icebreaker"),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["icebreaker"].queryset = library(project)


def random_icebreaker(project, *, excluding=None):
    choices = list(library(project).filter(purpose=Icebreaker.Purpose.MIXING))
    if not choices:
        choices = list(library(project))
    if excluding is not None and len(choices) > 1:
        choices = [choice for choice in choices if choice.pk != excluding]
    return random.choice(choices) if choices else None


@transaction.atomic
def create_pairing(*, project, created_by, title, icebreaker=None, state=LiveActivity.State.OPEN):
    join_code = JoinCode.objects.create(
        project=project, label=title, created_by=created_by, is_open=state == "open"
    )
    activity = LiveActivity.objects.create(
        project=project,
        kind=LiveActivity.Kind.PAIRING,
        title=title,
        state=state,
        join_code=join_code,
        created_by=created_by,
    )
    Pairing.objects.create(activity=activity, icebreaker=icebreaker or random_icebreaker(project))
    return activity


def prepare(*, project, title, created_by):
    return create_pairing(
        project=project, created_by=created_by, title=title, state=LiveActivity.State.PREPARED
    )


def groups_of(activity, round_number):
    groups = (
        activity.pair_groups.filter(round=round_number)
        .prefetch_related("members")
        .order_by("number")
    )
    return [
        {"number": group.number, "members": [person(member) for member in group.members.all()]}
        for group in groups
    ]


def people(activity):
    return [person(presence) for presence in activity.presences.order_by("pk")]


def prompt_of(pairing_row):
    icebreaker = pairing_row.icebreaker
    if icebreaker is None:
        return None
    return {
        "id": icebreaker.pk,
        "name": icebreaker.name,
        "instructions": icebreaker.instructions,
        "duration": icebreaker.duration,
    }


def here(*, activity, actor, country, organisation):
    refuse_unless_open(activity, _("The pairing is closed."))
    _presence, created = mark_present(
        activity=activity, actor=actor, country=country, organisation=organisation
    )
    if not created:
        return None
    return {"kind": "people", "people": people(activity)}


def make_pairs(*, activity, actor):
    """Pair everyone present, mixing countries and avoiding earlier pairs."""
    present = list(activity.presences.all())
    if len(present) < 2:
        raise LiveError(
            "alone",
            _(
                "Only one person is here: pairing needs at least two. "
                "Ask the others to press “I'm here” on their phones."
            )
            if present
            else _("Nobody is here yet: ask people to press “I'm here” on their phones."),
        )
    history = set()
    for group in activity.pair_groups.prefetch_related("members"):
        history |= pairing.pairs_in([member.pk for member in group.members.all()])
    groups = pairing.make_groups(
        [(p.pk, p.country.code if p.country else f"unknown-{p.pk}") for p in present],
        history=history,
        seed=secrets.randbits(32),
    )
    row = activity.pairing
    row.round += 1
    row.save(update_fields=["round"])
    for number, keys in enumerate(groups, start=1):
        group = PairGroup.objects.create(activity=activity, round=row.round, number=number)
        group.members.set(keys)
    return {"kind": "pairs", "round": row.round, "groups": groups_of(activity, row.round)}


def set_icebreaker(*, activity, actor, icebreaker):
    row = activity.pairing
    if icebreaker == "random":
        chosen = random_icebreaker(activity.project, excluding=row.icebreaker_id)
    else:
        chosen = (
            library(activity.project).filter(pk=int(icebreaker)).first()
            if icebreaker.isdigit()
            else None
        )
        if chosen is None:
            raise LiveError("not_found", _("This icebreaker is not in the library."))
    row.icebreaker = chosen
    row.save(update_fields=["icebreaker"])
    return {"kind": "prompt", "prompt": prompt_of(row)}


def pairing_state(activity, actor):
    row = Pairing.objects.select_related("icebreaker").get(activity=activity)
    me = presence_of(activity, actor)
    return {
        "pairing": {
            "round": row.round,
            "prompt": prompt_of(row),
            "people": people(activity),
            "groups": groups_of(activity, row.round),
            "me": me.pk if me else None,
        }
    }


def page_context(request, activity, role, snapshot):
    state = snapshot["state"]["pairing"]
    mine = next(
        (
            group
            for group in state["groups"]
            if any(member["id"] == state["me"] for member in group["members"])
        ),
        None,
    )
    return {
        **console_context(),
        "pairing": state,
        "my_group": mine,
        "icebreakers": library(activity.project).order_by("name") if role == "console" else [],
    }


def export(activity):
    rows = [
        {
            "round": group.round,
            "group": group.number,
            "name": shown_name(member.name),
            "country": member.country.code if member.country else "",
            "organisation": member.organisation,
        }
        for group in activity.pair_groups.prefetch_related("members")
        for member in group.members.all()
    ]
    row = activity.pairing
    return {
        "activity": {"icebreaker": row.icebreaker.name if row.icebreaker_id else ""},
        "json": {"groups": rows},
        "csv_fields": ["round", "group", "name", "country", "organisation"],
        "csv_rows": rows,
    }


def register_kind():
    register(
        LiveActivity.Kind.PAIRING,
        Kind(
            ops={
                "here": Op(HereForm, here, anyone),
                "pairs.make": Op(NoDataForm, make_pairs, facilitators),
                "pairs.icebreaker": Op(IcebreakerForm, set_icebreaker, facilitators),
            },
            state=pairing_state,
            templates={
                "participant": "reflections/pairing.html",
                "console": "reflections/pairing_console.html",
                "projector": "reflections/pairing_projector.html",
            },
            context=page_context,
            export=export,
            create_url="pairing_create",
            create_label=gettext_lazy("Open a cross-country pairing"),
            agenda_kinds=("icebreaker",),
            prepare=prepare,
        ),
    )
