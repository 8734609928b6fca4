"""Consent to research: a project's current consent text, people's decisions, who agreed.

The latest decision of a person in a project counts; every earlier one is kept as history.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import DEFAULT_CONSENT_TEXT, ConsentDecision, ConsentText, Membership
from .services import DomainError


class ConsentRefused(DomainError):
    pass


@dataclass(frozen=True)
class ShownText:
    """The consent text as one person reads it: version and words in their language."""

    version: int
    text: str
    language: str


def current_text(project):
    """The project's newest consent text, or None while it uses the default one."""
    return ConsentText.objects.filter(project=project).order_by("-version").first()


def text_for(project, language=None, *, current=None):
    language = language or translation.get_language() or "en"
    current = current if current is not None else current_text(project)
    if current is None:
        with translation.override(language):
            return ShownText(version=0, text=str(DEFAULT_CONSENT_TEXT), language=language)
    return ShownText(version=current.version, text=current.text_in(language), language=language)


def decision_of(user, project):
    if not user.is_authenticated:
        return None
    return ConsentDecision.objects.filter(project=project, user=user).first()


def needs_asking(user, project):
    """True when the person has not decided on the project's current text yet."""
    decision = decision_of(user, project)
    if decision is None:
        return True
    current = current_text(project)
    return decision.version != (current.version if current else 0)


def latest_decisions(project):
    """{user id: their latest decision} for everyone who decided in the project."""
    latest = {}
    for decision in ConsentDecision.objects.filter(project=project).order_by("decided_at", "pk"):
        latest[decision.user_id] = decision
    return latest


def consenting_user_ids(project):
    """The members whose latest decision is yes (people who left the project are out)."""
    members = set(Membership.objects.filter(project=project).values_list("user_id", flat=True))
    return {
        user_id
        for user_id, decision in latest_decisions(project).items()
        if decision.given and user_id in members
    }


@transaction.atomic
def record_decision(*, project, user, given, context, language=None):
    """Keep a yes or no with the exact text the person read."""
    if not Membership.objects.filter(project=project, user=user).exists():
        raise ConsentRefused(_("Only members of the project decide on its research use."))
    shown = text_for(project, language)
    return ConsentDecision.objects.create(
        project=project,
        user=user,
        given=bool(given),
        version=shown.version,
        text=shown.text,
        language=shown.language,
        context=context,
        decided_at=timezone.now(),
    )


@transaction.atomic
def publish_text(*, project, body, language, translations, created_by):
    """A new version of the consent text; people are asked again the next time."""
    body = body.strip()
    if not body:
        raise ConsentRefused(_("Write the consent text before publishing it."))
    latest = ConsentText.objects.filter(project=project).aggregate(Max("version"))
    return ConsentText.objects.create(
        project=project,
        version=(latest["version__max"] or 0) + 1,
        body=body,
        language=language,
        translations={code: text.strip() for code, text in translations.items() if text.strip()},
        created_by=created_by,
    )
