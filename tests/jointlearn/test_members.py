import pytest
from django.urls import reverse

from jointlearn import services
from jointlearn.models import Membership, Role


def test_last_coordinator_cannot_be_demoted(client, project, coordinator):
    membership = project.memberships.get(user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("membership_change", args=[project.slug, membership.pk]),
        {f"m{membership.pk}-role": "participant", f"m{membership.pk}-organisation": ""},
        follow=True,
    )
    assert "A project needs at least one coordinator" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Role.COORDINATOR


def test_last_coordinator_cannot_be_removed(project, coordinator):
    with pytest.raises(services.LastCoordinator):
        services.remove_membership(membership=project.memberships.get(user=coordinator))
    assert project.memberships.filter(user=coordinator).exists()


def test_coordinator_changes_role_and_organisation(
    client, project, coordinator, participant, partner_organisation
):
    membership = project.memberships.get(user=participant)
    client.force_login(coordinator)
    client.post(
        reverse("membership_change", args=[project.slug, membership.pk]),
        {
            f"m{membership.pk}-role": "partner",
            f"m{membership.pk}-organisation": partner_organisation.pk,
        },
    )
    membership.refresh_from_db()
    assert (membership.role, membership.organisation) == (Role.PARTNER, partner_organisation)


def test_second_coordinator_lets_the_first_step_down(project, coordinator, facilitator):
    services.change_membership(
        membership=project.memberships.get(user=facilitator),
        role=Role.COORDINATOR,
        organisation=None,
    )
    services.remove_membership(membership=project.memberships.get(user=coordinator))
    assert list(project.memberships.filter(role=Role.COORDINATOR)) == [
        project.memberships.get(user=facilitator)
    ]


def test_member_removed_loses_access(client, project, coordinator, partner):
    client.force_login(coordinator)
    membership = project.memberships.get(user=partner)
    client.post(reverse("membership_remove", args=[project.slug, membership.pk]))
    client.force_login(partner)
    assert client.get(reverse("project_home", args=[project.slug])).status_code == 404


def test_member_list_query_count(client, project, coordinator, django_assert_max_num_queries):
    from ..factories import add_member

    for _ in range(25):
        add_member(project, role=Role.PARTICIPANT)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("member_list", args=[project.slug]))
    assert response.status_code == 200
    assert response.content.decode().count('class="list__item member-row"') == 26


def test_member_list_pages_and_search(client, project, coordinator):
    from ..factories import add_member

    members = [add_member(project, role=Role.PARTICIPANT) for _ in range(55)]
    client.force_login(coordinator)
    url = reverse("member_list", args=[project.slug])
    first = client.get(url).content.decode()
    assert first.count('class="list__item member-row"') == 50
    assert 'rel="next"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="list__item member-row"') == 6
    assert 'rel="prev"' in second
    wanted = members[7]
    found = client.get(url, {"q": wanted.email}).content.decode()
    assert found.count('class="list__item member-row"') == 1
    assert wanted.email in found
    nobody = client.get(url, {"q": "no-such-person"}).content.decode()
    assert "Nobody matches" in nobody
