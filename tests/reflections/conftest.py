import itertools

import pytest

from jointlearn import services
from jointlearn.live import protocol
from jointlearn.models import Role

from ..factories import add_member, make_organisation

_ids = itertools.count(1)


def actor_for(project, user):
    return protocol.Actor(membership=project.memberships.get(user=user))


def guest_actor(activity, name="Guest"):
    return protocol.Actor(
        guest=services.join_as_guest(join_code=activity.join_code, display_name=name)
    )


def send(activity, actor, op, **data):
    return protocol.apply_op(
        activity_id=activity.pk, actor=actor, op_id=f"op-{next(_ids)}", op=op, data=data
    )


def refused(activity, actor, op, **data):
    with pytest.raises(protocol.LiveError) as error:
        send(activity, actor, op, **data)
    return error.value


@pytest.fixture
def host(project, facilitator):
    return actor_for(project, facilitator)


@pytest.fixture
def room(project):
    """Six participants: two from Finland, two from Belgium, two from Sweden."""
    organisations = {
        "FI": project.organisations.first(),
        "BE": make_organisation(project, name="EVA bxl", country="BE"),
        "SE": make_organisation(project, name="Piteå kommun", country="SE"),
    }
    return [
        actor_for(project, add_member(project, role=Role.PARTICIPANT, organisation=organisation))
        for organisation in organisations.values()
        for _ in range(2)
    ]
