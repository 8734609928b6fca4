from django.core.management import call_command

from jointlearn.models import Project, User
from practices.models import Evaluation, EvaluationRound, Practice, Transfer


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [Practice, Evaluation, EvaluationRound, Transfer, User]
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
    # Practices applied in another country, by an organisation of that country.
    transfers = Transfer.objects.select_related("practice__organisation", "organisation")
    assert transfers.count() == 3
    assert all(t.organisation.country != t.practice.organisation.country for t in transfers)


def test_demo_without_accounts_loads_practices_only(db, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    assert Practice.objects.count() >= 15
    assert not User.objects.exists()
    assert not Evaluation.objects.exists()


def test_demo_practices_from_germany_and_the_netherlands_have_their_own_organisations(db):
    call_command("seed_demo")
    eme = Project.objects.get(slug="eme")
    countries = {
        practice.title: practice.organisation.country.code
        for practice in Practice.objects.filter(project=eme).select_related("organisation")
    }
    assert countries["Start into a Job at Evonik (Germany)"] == "DE"
    assert countries["Labour market mentors in Saxony (Germany)"] == "DE"
    assert countries["Plan Einstein: living, learning and working together"] == "NL"
    assert countries["Duo for a Job: mentors aged 50 and over"] == "BE"
    partners = {str(c) for c in eme.organisations.values_list("country", flat=True)}
    assert partners == {"FI", "BE", "SE", "DE", "NL"}


def test_demo_has_a_finished_pitch_session_linked_to_the_tampere_agenda(db):
    from jointlearn.models import LiveActivity
    from meetings.models import AgendaItem
    from practices import pitch
    from practices.models import PitchRating

    call_command("seed_demo", "--accounts")
    ratings = PitchRating.objects.count()
    call_command("seed_demo", "--accounts")
    assert PitchRating.objects.count() == ratings
    session = LiveActivity.objects.get(kind=LiveActivity.Kind.PITCH)
    assert session.state == LiveActivity.State.ENDED and not session.join_code.is_usable
    assert len(pitch.practice_ids(session)) == 3
    assert pitch.position_of(session) == 2
    guests = PitchRating.objects.filter(activity=session, guest__isnull=False)
    assert guests.count() == 3 * 4
    for practice_id in pitch.practice_ids(session):
        results = pitch.results(session, practice_id)
        assert results["enough"] and all(row["mean"] for row in results["criteria"])
    item = AgendaItem.objects.get(kind="pitch_session", day__meeting__title__contains="Tampere")
    assert item.live_activity == session
    assert item.title == session.title
