import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jointlearn.models import Organisation


def png_upload(size=(40, 20), name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_coordinator_adds_organisation_with_logo(client, project, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    response = client.post(
        reverse("organisation_list", args=[project.slug]),
        {"name": "Piteå kommun", "short_name": "Piteå", "country": "SE", "logo": png_upload()},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Piteå kommun")
    assert organisation.country.code == "SE"
    assert organisation.logo.name.endswith(".png")
    assert "logo" not in organisation.logo.name.rsplit("/", 1)[-1]
    with Image.open(organisation.logo.path) as stored:
        assert stored.size == (40, 20)


def test_logo_that_is_not_an_image_is_refused(client, project, coordinator):
    client.force_login(coordinator)
    fake = SimpleUploadedFile("logo.png", b"GIF89a not really", content_type="image/png")
    response = client.post(
        reverse("organisation_list", args=[project.slug]),
        {"name": "Fake", "country": "BE", "logo": fake},
    )
    assert response.status_code == 200
    assert "not a picture we can read" in response.content.decode()
    assert not Organisation.objects.filter(name="Fake").exists()


def test_image_bomb_logo_is_refused(client, project, coordinator):
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    client.force_login(coordinator)
    response = client.post(
        reverse("organisation_list", args=[project.slug]),
        {
            "name": "Bomb",
            "country": "BE",
            "logo": SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png"),
        },
    )
    assert "megapixels" in response.content.decode()
    assert not Organisation.objects.filter(name="Bomb").exists()


def test_duplicate_organisation_name_is_refused(client, project, coordinator):
    existing = project.organisations.get()
    client.force_login(coordinator)
    response = client.post(
        reverse("organisation_list", args=[project.slug]),
        {"name": existing.name.upper(), "country": "BE"},
    )
    assert "This project already has an organisation called" in response.content.decode()
    assert project.organisations.count() == 1


def test_organisation_with_members_cannot_be_deleted(client, project, coordinator):
    organisation = project.organisations.get()
    client.force_login(coordinator)
    response = client.post(
        reverse("organisation_delete", args=[project.slug, organisation.pk]), follow=True
    )
    assert "People belong to this organisation" in response.content.decode()
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_organisation_list_query_count(client, project, coordinator, django_assert_max_num_queries):
    from ..factories import make_organisation

    for number in range(20):
        make_organisation(project, name=f"Organisation {number}")
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("organisation_list", args=[project.slug]))
    assert response.content.decode().count("organisation-row") == 21
