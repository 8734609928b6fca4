"""What surveys add to "Coming next" on the project home: open surveys not answered yet."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Response
from .services import respondent_key


def coming_next(project, membership):
    if membership is None:
        return []
    now = timezone.now()
    surveys = list(
        project.surveys.filter(opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("closes_at", "pk")[:5]
    )
    if not surveys:
        return []
    answered = set(
        Response.objects.filter(
            survey__in=surveys,
            respondent_key__in=[respondent_key(s, membership.user) for s in surveys],
        ).values_list("survey_id", flat=True)
    )
    items = []
    for survey in surveys:
        if survey.pk in answered:
            continue
        survey.project = project  # the URL needs its slug; no query per survey
        items.append(
            {
                "label": _("Survey to answer"),
                "title": survey.display_title,
                "url": survey.get_answer_url(),
                "date": survey.closes_at.date() if survey.closes_at else None,
            }
        )
    return items[:3]
