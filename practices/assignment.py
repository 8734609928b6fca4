"""Balanced assignment of reviewers to practices for an evaluation round; no Django here.

Every practice gets up to `per_practice` reviewers from countries other than its own; the
load is spread so that nobody reviews much more than anyone else who could have taken it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reviewer:
    id: int
    country: str
    organisation_id: int


@dataclass(frozen=True)
class Item:
    id: int
    country: str
    organisation_id: int


def can_review(reviewer, item):
    return reviewer.country != item.country and reviewer.organisation_id != item.organisation_id


def assign(items, reviewers, per_practice, *, existing_load=None, excluded=frozenset()):
    """Return {item id: [reviewer ids]}.

    Items with the fewest possible reviewers are served first, each by the least-loaded
    eligible reviewers (ties broken by id, so the result is repeatable). `existing_load`
    counts assignments a reviewer already has; `excluded` holds (item id, reviewer id) pairs
    that must not be made, for example because that person has already evaluated the practice.
    """
    load = {reviewer.id: 0 for reviewer in reviewers}
    for reviewer_id, count in (existing_load or {}).items():
        if reviewer_id in load:
            load[reviewer_id] = count
    eligible = {
        item.id: [
            reviewer
            for reviewer in reviewers
            if can_review(reviewer, item) and (item.id, reviewer.id) not in excluded
        ]
        for item in items
    }
    result = {}
    for item in sorted(items, key=lambda item: (len(eligible[item.id]), item.id)):
        chosen = sorted(eligible[item.id], key=lambda reviewer: (load[reviewer.id], reviewer.id))
        chosen = chosen[:per_practice]
        for reviewer in chosen:
            load[reviewer.id] += 1
        result[item.id] = sorted(reviewer.id for reviewer in chosen)
    return result
