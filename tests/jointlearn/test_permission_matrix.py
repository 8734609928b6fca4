import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jointlearn import services
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import Guest, Invitation, JoinCode, Role
from jointlearn.permissions import GUEST_SESSION_KEY

from ..factories import add_member, make_organisation, make_project
from ..permission_matrix import PROJECT_URLS, PUBLIC_URLS, ROLES, WORLD_BUILDERS
from ..practices.helpers import practices_world


def project_url_names(patterns=None, prefix=""):
    """(name, full route) of every URL pattern, walking included URLconfs."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if "admin" in route:
                continue
            yield from project_url_names(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, route


def test_every_project_url_is_in_the_matrix():
    project_routes = {name for name, route in project_url_names() if "<slug:project_slug>" in route}
    missing = project_routes - set(PROJECT_URLS)
    assert not missing, f"Add these project URLs to tests/permission_matrix.py: {sorted(missing)}"
    assert set(PROJECT_URLS) <= project_routes, "The matrix names URLs that no longer exist."


def test_every_other_url_is_listed_as_public():
    other = {name for name, route in project_url_names() if "<slug:project_slug>" not in route}
    assert other - PUBLIC_URLS == set(), f"Classify these URLs: {sorted(other - PUBLIC_URLS)}"


@pytest.fixture
def world(db):
    """A project with one person per role, a spare organisation, an invitation, a code, a guest."""
    project = make_project()
    people = {"coordinator": project.memberships.get().user}
    for role in ["participant", "partner", "facilitator"]:
        people[role] = add_member(project, role=role)
    target = add_member(project, role=Role.PARTICIPANT)
    spare = make_organisation(project, name="Spare organisation")
    invitation, _token = services.invite_member(
        project=project,
        email="invited@example.org",
        role=Role.PARTNER,
        organisation=spare,
        invited_by=people["coordinator"],
        build_accept_url=lambda token: f"https://testserver/invitations/{token}/",
    )
    join_code = services.create_join_code(project=project, label="Seminar")
    guest = services.join_as_guest(join_code=join_code, display_name="Guest")
    wall = create_word_wall(project=project, created_by=people["facilitator"], question="Hello?")
    outsider = make_project().memberships.get().user
    kwargs = {
        "project_slug": project.slug,
        "organisation_id": spare.pk,
        "membership_id": project.memberships.get(user=target).pk,
        "invitation_id": invitation.pk,
        "join_code_id": join_code.pk,
        "activity_id": wall.pk,
    }
    kwargs.update(practices_world(project, people["coordinator"]))
    for build in WORLD_BUILDERS:
        kwargs.update(build(project, people))
    return {
        "project": project,
        "people": people,
        "outsider": outsider,
        "guest": guest,
        "kwargs": kwargs,
    }


def url_for(name, kwargs):
    route = dict(project_url_names())[name]
    wanted = set(re.findall(r"<\w+:(\w+)>", route))
    return reverse(name, kwargs={key: value for key, value in kwargs.items() if key in wanted})


def sign_in_as(client, world, role):
    if role in world["people"]:
        client.force_login(world["people"][role])
    elif role == "outsider":
        client.force_login(world["outsider"])
    elif role == "guest":
        session = client.session
        session[GUEST_SESSION_KEY] = {str(world["project"].pk): world["guest"].pk}
        session.save()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PROJECT_URLS))
def test_permission_matrix(client, world, name, role):
    method, expected = PROJECT_URLS[name]
    sign_in_as(client, world, role)
    response = getattr(client, method)(url_for(name, world["kwargs"]))
    assert response.status_code == expected[role], (name, role)


@pytest.mark.parametrize("name", sorted(PROJECT_URLS))
def test_unknown_project_is_404_for_everyone_signed_in(client, world, name):
    method, _expected = PROJECT_URLS[name]
    client.force_login(world["people"]["coordinator"])
    kwargs = dict(world["kwargs"], project_slug="no-such-project")
    response = getattr(client, method)(url_for(name, kwargs))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name in PROJECT_URLS
        if name
        not in {
            "project_home",
            "project_dashboard",
            "guest_list",
            "project_edit",
            "organisation_list",
            "member_list",
            "join_code_list",
            "project_lobby",
            "guest_leave",
            "live_list",
            "word_wall_create",
            "practice_list",
            "practice_create",
            "transferability_matrix",
            "library_settings",
            "my_assignments",
            "round_list",
            "meeting_list",
            "meeting_create",
            "calendar_links",
            "task_list",
            "icebreaker_list",
            "icebreaker_create",
            "pitch_session_create",
            "reflection_create",
            "poll_create",
            "pairing_create",
            "cafe_create",
            "survey_list",
            "survey_create",
            "research_page",
            "research_export",
            "project_pack",
            "project_pack_build",
        }
    ),
)
def test_objects_of_another_project_are_404(client, world, name):
    """A coordinator of one project cannot reach another project's objects through their own."""
    other = make_project(creator=world["people"]["coordinator"])
    other_org = make_organisation(other)
    other_member = add_member(other, role=Role.PARTICIPANT, organisation=other_org)
    invitation, _token = services.invite_member(
        project=other,
        email="elsewhere@example.org",
        role=Role.PARTICIPANT,
        organisation=None,
        invited_by=world["people"]["coordinator"],
        build_accept_url=lambda token: token,
    )
    kwargs = dict(
        world["kwargs"],
        organisation_id=other_org.pk,
        membership_id=other.memberships.get(user=other_member).pk,
        invitation_id=invitation.pk,
        join_code_id=services.create_join_code(project=other, label="Other").pk,
        activity_id=create_word_wall(
            project=other, created_by=world["people"]["coordinator"], question="Elsewhere?"
        ).pk,
    )
    kwargs.update(practices_world(other, world["people"]["coordinator"]))
    for build in WORLD_BUILDERS:
        kwargs.update(build(other, {"coordinator": world["people"]["coordinator"]}))
    method, _expected = PROJECT_URLS[name]
    client.force_login(world["people"]["coordinator"])
    response = getattr(client, method)(url_for(name, kwargs))
    assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    assert JoinCode.objects.filter(project=other, is_open=True).exists()
    assert Guest.objects.filter(project=world["project"]).count() == 2
