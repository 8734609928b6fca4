"""The transferability matrix: for each published practice, the mean transferability the
evaluators of each country gave it (shown from MIN_EVALUATIONS_FOR_RESULTS evaluations up).
The matrix page and the project pack both read it from here."""

from . import scoring
from .models import MIN_EVALUATIONS_FOR_RESULTS, Evaluation, Practice


def transferability_matrix(project):
    """(countries, rows): rows are {practice, cells}, a cell {country, own, count, mean}."""
    practices = list(
        Practice.objects.filter(project=project, status=Practice.Status.PUBLISHED)
        .select_related("organisation")
        .order_by("organisation__country", "title")
    )
    countries = sorted(
        {organisation.country for organisation in project.organisations.all()},
        key=lambda country: country.name,
    )
    values = {}
    for practice_id, country, value in Evaluation.objects.filter(
        practice__project=project, practice__status=Practice.Status.PUBLISHED
    ).values_list("practice_id", "country", "transferability"):
        values.setdefault((practice_id, country), []).append(value)
    rows = []
    for practice in practices:
        cells = []
        for country in countries:
            found = values.get((practice.pk, country.code), [])
            cells.append(
                {
                    "country": country,
                    "own": country == practice.organisation.country,
                    "count": len(found),
                    "mean": scoring.mean_if_enough(found, minimum=MIN_EVALUATIONS_FOR_RESULTS),
                }
            )
        rows.append({"practice": practice, "cells": cells})
    return countries, rows
