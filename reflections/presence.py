"""Who is here: people press "I'm here" in a reflection round or a pairing; the speaking
order and the pairs are made of them."""

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_countries import countries

from jointlearn.live.protocol import LiveError
from jointlearn.models import LiveActivity, shown_name

from .models import Presence


class HereForm(forms.Form):
    """Members bring their organisation's country; guests may name theirs."""

    country = forms.ChoiceField(
        label=gettext_lazy("Your country"),
        choices=[("", gettext_lazy("I'd rather not say")), *countries],
        required=False,
    )
    organisation = forms.CharField(
        label=gettext_lazy("Your organisation"), max_length=200, required=False, strip=True
    )


def presence_of(activity, actor):
    if actor.membership is not None:
        return activity.presences.filter(user_id=actor.membership.user_id).first()
    return activity.presences.filter(guest_id=actor.guest.pk).first()


def refuse_unless_open(activity, message):
    if activity.state != LiveActivity.State.OPEN:
        raise LiveError("locked", message)


def mark_present(*, activity, actor, country="", organisation=""):
    """The actor's Presence, created once; a second "I'm here" changes nothing."""
    found = presence_of(activity, actor)
    if found is not None:
        return found, False
    membership = actor.membership
    if membership is not None and membership.organisation_id:
        country = str(membership.organisation.country)
        organisation = str(membership.organisation)
    last = activity.presences.aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            presence = Presence.objects.create(
                activity=activity,
                user=actor.user,
                guest=actor.guest,
                name=actor.name,
                country=country or "",
                organisation=organisation or "",
                # Late arrivals join the end of a speaking order that exists already.
                position=None if last is None else last + 1,
            )
    except IntegrityError:
        return presence_of(activity, actor), False
    return presence, True


def person(presence):
    return {
        "id": presence.pk,
        "name": shown_name(presence.name),
        "country": presence.country.code if presence.country else "",
        "country_name": presence.country.name if presence.country else "",
        "organisation": presence.organisation,
        "position": presence.position,
        "spoken": presence.spoken,
        "skipped": presence.skipped,
    }


def console_context():
    """What every console of this app shows: the state buttons and the here form."""
    return {
        "state_buttons": [
            ("open", pgettext("button that opens a live activity", "Open")),
            ("locked", _("Close")),
            ("ended", _("End")),
        ],
        "here_form": HereForm(auto_id="here-%s"),
    }
