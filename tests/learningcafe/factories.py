"""Cafés for tests, built through the services as the app builds them."""

import itertools

from jointlearn import services as core_services
from jointlearn.live import protocol
from jointlearn.models import LiveActivity, Role
from learningcafe import services
from learningcafe.models import Cafe

from ..factories import add_member, make_organisation

_ids = itertools.count(1)


def make_cafe(project, *, created_by=None, themes=("Peer tutoring", "Employers"), **settings):
    created_by = created_by or project.memberships.get(role=Role.COORDINATOR).user
    activity = services.create_cafe(
        project=project,
        created_by=created_by,
        title=settings.pop("title", "Learning café"),
        tables=[{"theme": theme, "question": f"What works in {theme}?"} for theme in themes],
        **settings,
    )
    return Cafe.objects.get(activity=activity)


def member_actor(project, user):
    return protocol.Actor(
        membership=project.memberships.select_related("user", "organisation").get(user=user)
    )


def guest_actor(cafe, name="Guest"):
    guest = core_services.join_as_guest(join_code=cafe.activity.join_code, display_name=name)
    return protocol.Actor(guest=guest)


def op(cafe, actor, name, **data):
    return protocol.apply_op(
        activity_id=cafe.activity_id, actor=actor, op_id=f"t{next(_ids)}", op=name, data=data
    )


def people(project, cafe, count, countries=("FI", "SE", "BE")):
    """`count` members from organisations of several countries, checked in themselves."""
    organisations = [
        make_organisation(project, name=f"Org {country} {next(_ids)}", country=country)
        for country in countries
    ]
    actors = []
    for n in range(count):
        user = add_member(
            project, role=Role.PARTICIPANT, organisation=organisations[n % len(organisations)]
        )
        actor = member_actor(project, user)
        op(cafe, actor, "cafe.join")
        actors.append(actor)
    return actors


def facilitator_actor(project):
    return member_actor(project, add_member(project, role=Role.FACILITATOR))


def reload(cafe):
    return Cafe.objects.select_related("activity").get(pk=cafe.pk)


def table_of(cafe, actor):
    cafe = reload(cafe)
    participant = services.participant_for(cafe, actor)
    return services.current_table_of(cafe, participant)


def open_state():
    return LiveActivity.State.OPEN
