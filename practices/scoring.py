"""Aggregates of peer evaluations: plain numbers in, plain numbers out, no Django."""

from dataclasses import dataclass
from statistics import fmean, pstdev


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: int
    count: int
    mean: float | None
    lowest: int | None
    highest: int | None
    deviation: float | None


def criterion_results(scores, criterion_ids, *, minimum):
    """Per criterion: count, and mean/spread only when at least `minimum` scores exist.

    `scores` is an iterable of (criterion id, value). Below the minimum only the count is
    given, so that nobody can work out a single evaluator's score.
    """
    values = {criterion_id: [] for criterion_id in criterion_ids}
    for criterion_id, value in scores:
        if criterion_id in values:
            values[criterion_id].append(value)
    results = []
    for criterion_id in criterion_ids:
        found = values[criterion_id]
        if len(found) < minimum or not found:
            results.append(CriterionResult(criterion_id, len(found), None, None, None, None))
            continue
        results.append(
            CriterionResult(
                criterion_id,
                len(found),
                round(fmean(found), 2),
                min(found),
                max(found),
                round(pstdev(found), 2),
            )
        )
    return results


def weighted_rating(scores, criteria):
    """One evaluation's overall rating on a 0-1 scale, so criteria with other scales compare.

    `scores` maps criterion id to value; `criteria` maps criterion id to (scale max, weight).
    Criteria without a score do not count. None when nothing was scored.
    """
    total_weight = 0
    total = 0.0
    for criterion_id, value in scores.items():
        if criterion_id not in criteria:
            continue
        scale_max, weight = criteria[criterion_id]
        total += weight * (value - 1) / (scale_max - 1)
        total_weight += weight
    if not total_weight:
        return None
    return total / total_weight


def overall_rating(ratings, *, minimum, scale=5):
    """The mean of evaluations' 0-1 ratings shown on a 1-`scale` scale, or None below minimum."""
    found = [rating for rating in ratings if rating is not None]
    if len(found) < minimum:
        return None
    return round(1 + fmean(found) * (scale - 1), 2)


def mean_if_enough(values, *, minimum):
    found = list(values)
    if len(found) < minimum:
        return None
    return round(fmean(found), 2)
