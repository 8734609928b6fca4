"""The practices' part of the research export: peer evaluations by consenting people."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from jointlearn.research import Table, Variable

from .models import TRANSFERABILITY_MAX, Criterion, Evaluation, Score


def research_tables(export):
    criteria = list(Criterion.objects.filter(project=export.project))
    variables = [
        Variable("evaluation_id", "integer", _("Number of the evaluation")),
        Variable("evaluator", "string", _("Pseudonym of the evaluator")),
        Variable("evaluator_country", "string", _("Receiving country: the evaluator's (ISO)")),
        Variable("practice_id", "integer", _("Number of the practice")),
        Variable("practice_title", "string", _("Title of the practice")),
        Variable("practice_organisation", "string", _("Organisation that shared the practice")),
        Variable("practice_country", "string", _("Country of the practice (ISO code)")),
        Variable("round", "string", _("Evaluation round, if any")),
    ]
    for criterion in criteria:
        variables.append(
            Variable(
                f"score_{criterion.pk}",
                "integer",
                _("Score for a criterion"),
                f"1–{criterion.scale_max}",
                criterion.name,
            )
        )
    variables += [
        Variable(
            "transferability",
            "integer",
            _("Transferability to the evaluator's country"),
            f"1–{TRANSFERABILITY_MAX}",
        ),
        Variable("strengths", "text", _("Strengths (names removed)")),
        Variable("suggestions", "text", _("Suggestions (names removed)")),
        Variable("transfer_changes", "text", _("What would need to change (names removed)")),
        Variable("evaluated_on", "date", _("Day of the last change")),
    ]
    evaluations = (
        Evaluation.objects.filter(
            practice__project=export.project, evaluator_id__in=export.consenting
        )
        .select_related("practice__organisation", "round")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.all()))
        .order_by("practice_id", "pk")
    )
    rows = []
    for evaluation in evaluations:
        row = {
            "evaluation_id": evaluation.pk,
            "evaluator": export.pseudonym(evaluation.evaluator_id),
            "evaluator_country": evaluation.country.code,
            "practice_id": evaluation.practice_id,
            "practice_title": evaluation.practice.title,
            "practice_organisation": str(evaluation.practice.organisation),
            "practice_country": evaluation.practice.organisation.country.code,
            "round": evaluation.round.name if evaluation.round else "",
            "transferability": evaluation.transferability,
            "strengths": export.redact(evaluation.strengths),
            "suggestions": export.redact(evaluation.suggestions),
            "transfer_changes": export.redact(evaluation.transfer_changes),
            "evaluated_on": evaluation.updated_at.date().isoformat(),
        }
        for score in evaluation.scores.all():
            row[f"score_{score.criterion_id}"] = score.value
        rows.append(row)
    return [Table("evaluations", _("Practices: peer evaluations"), variables, rows)]
