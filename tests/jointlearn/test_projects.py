from django.urls import reverse

from jointlearn.models import Membership, Organisation, Project, Role

from ..factories import add_member, make_organisation, make_project, make_user


def test_creating_a_project_makes_the_creator_coordinator(client, db):
    person = make_user()
    client.force_login(person)
    response = client.post(
        reverse("project_create"),
        {
            "name": "EME",
            "slug": "eme",
            "time_zone": "Europe/Helsinki",
            "languages": ["en", "fi"],
            "organisation_name": "TSL",
            "organisation_country": "FI",
        },
    )
    project = Project.objects.get(slug="eme")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    membership = Membership.objects.get(project=project)
    assert (membership.user, membership.role) == (person, Role.COORDINATOR)
    assert membership.organisation == Organisation.objects.get(project=project, name="TSL")
    assert project.languages == ["en", "fi"]


def test_duplicate_slug_is_refused_and_saves_nothing(client, db):
    make_project(slug="eme")
    client.force_login(make_user())
    response = client.post(
        reverse("project_create"),
        {
            "name": "Another",
            "slug": "eme",
            "time_zone": "Europe/Helsinki",
            "organisation_name": "Org",
            "organisation_country": "SE",
        },
    )
    assert response.status_code == 200
    assert "Another project already uses this short address" in response.content.decode()
    assert Project.objects.count() == 1
    assert not Organisation.objects.filter(name="Org").exists()


def test_project_cannot_end_before_it_starts(client, db):
    client.force_login(make_user())
    response = client.post(
        reverse("project_create"),
        {
            "name": "Backwards",
            "slug": "backwards",
            "time_zone": "Europe/Helsinki",
            "start_date": "2020-01-01",
            "end_date": "2019-01-01",
        },
    )
    assert "The project cannot end before it starts." in response.content.decode()
    assert not Project.objects.exists()


def test_organisation_without_country_is_refused(client, db):
    client.force_login(make_user())
    response = client.post(
        reverse("project_create"),
        {"name": "P", "slug": "p", "time_zone": "Europe/Helsinki", "organisation_name": "Org"},
    )
    assert "Choose the country of your organisation." in response.content.decode()
    assert not Project.objects.exists()


def test_project_home_groups_people_by_country(
    client, project, coordinator, django_assert_max_num_queries
):
    belgian = make_organisation(project, name="EVA bxl", country="BE")
    swedish = make_organisation(project, name="Piteå kommun", country="SE")
    for organisation in [belgian, swedish] * 10:
        add_member(project, organisation=organisation)
    client.force_login(coordinator)
    # One query per module's "Coming next" hook (surveys' is the eleventh).
    with django_assert_max_num_queries(11):
        page = client.get(reverse("project_home", args=[project.slug])).content.decode()
    assert page.index("Belgium") < page.index("Finland") < page.index("Sweden")
    assert "21 people in the project" in page


def test_my_projects_lists_only_mine(client, project, coordinator, django_assert_max_num_queries):
    for _ in range(5):
        make_project(creator=coordinator)
    make_project(name="Not mine")
    client.force_login(coordinator)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("home")).content.decode()
    assert page.count('class="card project-card"') == 6
    assert "Not mine" not in page


def test_coordinator_edits_project(client, project, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("project_edit", args=[project.slug]),
        {
            "name": "Renamed",
            "slug": project.slug,
            "time_zone": "Europe/Stockholm",
            "status": "finished",
            "description": "**Bold** <script>x</script>",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("project_home", args=[project.slug])).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>x</script>" not in page


def test_project_home_shows_what_is_coming_next(
    client, project, coordinator, participant, django_assert_max_num_queries
):
    from datetime import date

    from jointlearn.live.wordwall import create_word_wall
    from meetings.models import Meeting

    from ..meetings.factories import make_meeting

    make_meeting(project, title="Seminar in Brussels", starts_on=date(2030, 5, 4))
    make_meeting(project, title="Draft seminar", status=Meeting.Status.DRAFT)
    make_meeting(project, title="Seminar long ago", starts_on=date(2019, 10, 1))
    create_word_wall(project=project, created_by=coordinator, question="How do you arrive?")
    client.force_login(participant)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("project_home", args=[project.slug])).content.decode()
    coming = page[page.index("Coming next") :]
    assert "How do you arrive?" in coming and "Seminar in Brussels" in coming
    assert "Draft seminar" not in page and "Seminar long ago" not in page
    client.force_login(coordinator)
    assert (
        "Draft seminar" in client.get(reverse("project_home", args=[project.slug])).content.decode()
    )
