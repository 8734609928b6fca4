from django.core.management import call_command

from jointlearn.models import Project, User
from practices.models import Evaluation, EvaluationRound, Practice


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [Practice, Evaluation, EvaluationRound, User]
    }


def test_demo_practices_have_sources_and_foreign_evaluations(db):
    call_command("seed_demo", "--accounts")
    first = counts()
    call_command("seed_demo", "--accounts")
    assert counts() == first
    eme = Project.objects.get(slug="eme")
    practices = Practice.objects.filter(project=eme, status=Practice.Status.PUBLISHED)
    assert practices.count() >= 15
    assert not practices.filter(source="").exists()
    evaluations = Evaluation.objects.select_related("practice__organisation")
    assert evaluations.count() >= 40
    assert all(e.country != e.practice.organisation.country for e in evaluations)
    assert practices.filter(evaluation_count__gte=3, rating_mean__isnull=False).count() >= 10
    open_rounds = [r for r in EvaluationRound.objects.filter(project=eme) if r.is_open]
    assert len(open_rounds) == 1
    assert open_rounds[0].assignments.exists()


def test_demo_without_accounts_loads_practices_only(db, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    assert Practice.objects.count() >= 15
    assert not User.objects.exists()
    assert not Evaluation.objects.exists()
