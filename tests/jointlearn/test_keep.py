"""`{% keep %}` blocks (the project's menu, the library's): rendered once for the values
they show, and shown anew as soon as one of those changes."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

from jointlearn import fragments, services
from jointlearn.models import Role

pytestmark = pytest.mark.usefixtures("empty_fragments")


@pytest.fixture
def renders(monkeypatch):
    """The names of the blocks that were rendered rather than taken as kept."""
    calls = []
    original = fragments.keep

    def counting(namespace, values, render):
        def rendering():
            calls.append(namespace)
            return render()

        return original(namespace, values, rendering)

    monkeypatch.setattr(fragments, "keep", counting)
    return calls


def project_menu(client, project, name="project_home"):
    page = client.get(reverse(name, args=[project.slug])).content.decode()
    return page[
        page.index('<nav class="project-nav"') : page.index("</nav>", page.index("project-nav"))
    ]


def test_the_menu_is_rendered_once_for_the_same_values(client_for, project, partner, renders):
    client = client_for(partner)
    first = project_menu(client, project)
    assert renders == ["keep:project_nav"]
    assert project_menu(client, project) == first
    assert renders == ["keep:project_nav"]


def test_a_renamed_project_shows_its_new_name_at_once(client_for, project, partner):
    client = client_for(partner)
    assert project.name in project_menu(client, project)
    services.update_project(project=project, name="Inclusion works")
    assert "Inclusion works" in project_menu(client, project)


def test_a_new_role_shows_its_entries_at_once(client_for, project, partner):
    client = client_for(partner)
    members_url = reverse("member_list", args=[project.slug])
    assert members_url not in project_menu(client, project)
    membership = project.memberships.get(user=partner)
    services.change_membership(
        membership=membership, role=Role.COORDINATOR, organisation=membership.organisation
    )
    assert members_url in project_menu(client, project)


def test_the_current_page_is_marked_on_each_page(client_for, project, partner):
    client = client_for(partner)
    practices_url = reverse("practice_list", args=[project.slug])
    assert f'href="{practices_url}" aria-current="page"' not in project_menu(client, project)
    menu = project_menu(client, project, "practice_list")
    assert f'href="{practices_url}" aria-current="page"' in menu


def test_each_language_has_its_own_menu(client_for, project, partner):
    client = client_for(partner)
    assert ">Practices<" in project_menu(client, project)
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    with translation.override("fi"):
        assert ">Käytännöt<" in project_menu(client, project)


def test_a_block_without_a_name_is_refused():
    with pytest.raises(TemplateSyntaxError, match="needs a name"):
        Template("{% load jointlearn_tags %}{% keep %}x{% endkeep %}")


def test_a_block_shows_only_its_values():
    block = Template(
        '{% load jointlearn_tags %}{% keep "greeting" name %}Hello {{ name }}{% endkeep %}'
    )
    assert block.render(Context({"name": "Eva"})) == "Hello Eva"
    assert block.render(Context({"name": "Lotte"})) == "Hello Lotte"
