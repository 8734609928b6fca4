"""Small factories that build test data through the services, as the app does."""

import itertools

from jointlearn import services
from jointlearn.models import Role, User

PASSWORD = "a-long-test-password-1"
_counter = itertools.count(1)


def make_user(email=None, display_name=None, **extra):
    number = next(_counter)
    return User.objects.create_user(
        email or f"person{number}@example.org",
        PASSWORD,
        display_name=display_name or f"Person {number}",
        **extra,
    )


def make_project(*, creator=None, slug=None, name=None):
    number = next(_counter)
    creator = creator or make_user()
    return services.create_project(
        creator=creator,
        name=name or f"Project {number}",
        slug=slug or f"project-{number}",
        organisation={"name": f"Coordinating organisation {number}", "country": "FI"},
    )


def make_organisation(project, *, name=None, country="BE"):
    return services.save_organisation(
        project=project, name=name or f"Organisation {next(_counter)}", country=country
    )


def add_member(project, *, role=Role.PARTNER, organisation=None, user=None):
    user = user or make_user()
    organisation = organisation or project.organisations.first()
    project.memberships.create(user=user, organisation=organisation, role=role)
    return user
