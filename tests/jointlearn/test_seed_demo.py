from django.core.management import call_command

from jointlearn.models import JoinCode, Membership, Organisation, Project, Role, User


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in [Project, Organisation, Membership, User, JoinCode]
    }


def test_seed_demo_loads_eme_partners_and_is_idempotent(db):
    call_command("seed_demo", "--accounts")
    first = snapshot()
    call_command("seed_demo", "--accounts")
    assert snapshot() == first
    eme = Project.objects.get(slug="eme")
    countries = {str(code) for code in eme.organisations.values_list("country", flat=True)}
    # The partners are in Finland, Belgium and Sweden; the practices library adds the
    # organisations its German and Dutch practices come from.
    assert countries == {"FI", "BE", "SE", "DE", "NL"}
    assert eme.organisations.filter(short_name__in=["TSL", "EVA bxl", "Piteå", "ABF"]).count() == 4
    roles = set(eme.memberships.values_list("role", flat=True))
    assert roles == {Role.COORDINATOR, Role.PARTNER, Role.FACILITATOR, Role.PARTICIPANT}
    assert Project.objects.filter(slug="mentors").exists()


def test_seed_demo_without_debug_creates_no_accounts(db, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    assert not User.objects.exists()
    assert Project.objects.filter(slug="eme").exists()


def test_demo_accounts_sign_in(client, db):
    call_command("seed_demo", "--accounts")
    assert client.login(email="coordinator@example.org", password="jointlearn-demo")
    assert client.get("/p/eme/").status_code == 200
    assert client.get("/p/mentors/").status_code == 404


def test_seed_demo_opens_the_documented_word_wall(db):
    from jointlearn.live import protocol
    from jointlearn.models import LiveActivity, WordWallEntry

    call_command("seed_demo", "--accounts")
    call_command("seed_demo", "--accounts")
    wall = LiveActivity.objects.get(join_code__code="WARMUP")
    assert wall.is_open and wall.join_code.is_usable
    assert wall.version == WordWallEntry.objects.filter(activity=wall).count() == 7
    facilitator = wall.project.memberships.get(user__email="facilitator@example.org")
    words = protocol.load_snapshot(wall.pk, protocol.Actor(membership=facilitator))
    assert words["state"]["wall"]["words"][0] == {"word": "curious", "count": 3, "hidden": False}
