import io
import zipfile
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jointlearn.images import clean_image
from jointlearn.models import Role
from jointlearn.permissions import GUEST_SESSION_KEY
from jointlearn.services import create_join_code, join_as_guest
from practices import services
from practices.models import Attachment, Comment, Evaluation, Picture, Practice

from ..factories import add_member, make_project
from .helpers import evaluate, make_practice, picture_upload, reviewer


def library_url(project, **query):
    url = reverse("practice_list", args=[project.slug])
    if query:
        url += "?" + urlencode(query)
    return url


def create_url(project):
    return reverse("practice_create", args=[project.slug])


def form_data(organisation, **extra):
    data = {
        "title": "Peer tutoring",
        "organisation": organisation.pk,
        "summary": "Trained working-life tutors with a migrant background guide peer groups.",
        "description": "",
        "themes": "peer groups, guidance",
        "status": "published",
    }
    data.update(extra)
    return data


def titles(response):
    return [practice.title for practice in response.context["page"].object_list]


# Adding and editing


def test_partner_adds_practice_with_picture_and_file(client_for, project, eva, lotte):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (60.0, 10.0, 0.0)}
    photo = picture_upload("tutors.jpg", exif=exif)
    document = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    response = client_for(lotte).post(
        create_url(project),
        form_data(
            eva,
            pictures=photo,
            picture_caption="Tutors and a group",
            attachments=document,
            key_figures="53% employed after six months\n",
            links="https://example.org/tutoring",
        ),
    )
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == practice.get_absolute_url()
    assert practice.created_by == lotte
    assert practice.key_figures == ["53% employed after six months"]
    assert sorted(practice.themes.names()) == ["guidance", "peer groups"]
    picture = Picture.objects.get()
    assert not Image.open(picture.image.path).getexif()
    assert max(Image.open(picture.thumbnail.path).size) <= services.THUMBNAIL_SIDE
    assert Attachment.objects.get().name == "plan.pdf"


def bomb():
    image = Image.new("1", (20000, 20000))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_with_zip():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.txt", "hidden")
    return buffer.getvalue() + archive.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bomb.png", bomb(), "megapixels"),
        ("notes.jpg", b"just some text, not a picture", "not a picture we can read"),
    ],
    ids=["image-bomb", "text-named-jpg"],
)
def test_bad_picture_is_refused_and_nothing_saved(
    client_for, project, eva, lotte, name, data, message
):
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    response = client_for(lotte).post(
        create_url(project), form_data(eva, pictures=upload, picture_caption="x")
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["pictures"])
    assert not Practice.objects.exists()
    assert not Picture.objects.exists()


def test_png_with_zip_appended_is_stored_without_the_zip(client_for, project, eva, lotte):
    upload = SimpleUploadedFile("smuggle.png", png_with_zip(), content_type="image/png")
    client_for(lotte).post(
        create_url(project), form_data(eva, pictures=upload, picture_caption="x")
    )
    stored = Picture.objects.get().image.read()
    assert b"payload.txt" not in stored
    assert b"PK\x03\x04" not in stored


def test_oversize_attachment_is_refused(client_for, project, eva, lotte, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1), content_type="text/plain")
    response = client_for(lotte).post(create_url(project), form_data(eva, attachments=upload))
    assert "the limit is 1 MB" in str(response.context["form"].errors["attachments"])
    assert not Practice.objects.exists()


def test_new_pictures_need_a_caption(client_for, project, eva, lotte):
    response = client_for(lotte).post(
        create_url(project), form_data(eva, pictures=picture_upload())
    )
    assert "what the new pictures show" in str(response.context["form"].errors["picture_caption"])
    assert not Practice.objects.exists()


def test_link_must_be_web_address(client_for, project, eva, lotte):
    response = client_for(lotte).post(
        create_url(project), form_data(eva, links="javascript:alert(1)")
    )
    assert "is not a web address" in str(response.context["form"].errors["links"])
    assert not Practice.objects.exists()


def test_partner_cannot_choose_another_organisation(client_for, project, eva, pitea, lotte):
    response = client_for(lotte).post(create_url(project), form_data(pitea))
    assert "organisation" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_other_partner_cannot_edit(client_for, practice, erik):
    url = reverse("practice_edit", args=[practice.project.slug, practice.pk])
    assert client_for(erik).get(url).status_code == 403


def test_owner_edits_and_removes_picture(client_for, project, eva, lotte):
    practice = make_practice(project, eva, author=lotte, new_pictures=[(services_picture(), "Old")])
    url = reverse("practice_edit", args=[project.slug, practice.pk])
    picture = practice.pictures.get()
    response = client_for(lotte).post(
        url, form_data(eva, title="Renamed", remove_pictures=[picture.pk])
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Renamed"
    assert practice.updated_by == lotte
    assert not practice.pictures.exists()


def services_picture():
    return clean_image(picture_upload())


def test_each_picture_has_its_own_caption_shown_as_figcaption_and_alt(
    client_for, project, eva, lotte
):
    practice = make_practice(
        project,
        eva,
        author=lotte,
        new_pictures=[(services_picture(), "Group"), (services_picture(), "Group")],
    )
    first, second = practice.pictures.all()
    url = reverse("practice_edit", args=[project.slug, practice.pk])
    form = client_for(lotte).get(url).content.decode()
    assert "Caption of picture 1" in form and "Caption of picture 2" in form
    data = form_data(eva, title=practice.title)
    data.update(
        {f"caption_{first.pk}": " Tutors  at work ", f"caption_{second.pk}": "A peer group"}
    )
    response = client_for(lotte).post(url, data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.caption, second.caption) == ("Tutors at work", "A peer group")
    page = client_for(lotte).get(practice.get_absolute_url()).content.decode()
    assert 'alt="Tutors at work"' in page and "<figcaption>A peer group</figcaption>" in page
    data[f"caption_{first.pk}"] = "x" * 201
    response = client_for(lotte).post(url, data)
    assert response.status_code == 200
    assert f"caption_{first.pk}" in response.context["form"].errors
    first.refresh_from_db()
    assert first.caption == "Tutors at work"


# Seeing practices


def test_draft_is_hidden_from_other_organisations(client_for, project, eva, lotte, erik):
    draft = make_practice(project, eva, author=lotte, status=Practice.Status.DRAFT, title="Secret")
    url = reverse("practice_detail", args=[project.slug, draft.pk])
    assert client_for(erik).get(url).status_code == 404
    assert "Secret" not in titles(client_for(erik).get(library_url(project)))
    assert client_for(lotte).get(url).status_code == 200
    assert "Secret" in titles(client_for(lotte).get(library_url(project)))


def test_coordinator_sees_drafts(client_for, project, eva, lotte, coordinator):
    draft = make_practice(project, eva, author=lotte, status=Practice.Status.DRAFT)
    url = reverse("practice_detail", args=[project.slug, draft.pk])
    assert client_for(coordinator).get(url).status_code == 200


def test_practice_of_another_project_is_404(client_for, project, practice, coordinator):
    other = make_project(creator=coordinator)
    url = reverse("practice_detail", args=[other.slug, practice.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_comment_on_practice_of_another_project_is_404(client_for, project, practice, coordinator):
    other = make_project(creator=coordinator)
    url = reverse("comment_add", args=[other.slug, practice.pk])
    response = client_for(coordinator).post(url, {"body": "Hello"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:text"),
        ("[a][1]\n\n[1]: javascript:alert(2)", "javascript:"),
        ('<img src=x onerror="alert(3)">', "<img src=x"),
        ('<a href="#" onclick="alert(4)">x</a>', '<a href="#" onclick'),
        ("<svg onload=alert(5)><circle r=1></svg>", "<svg"),
    ],
    ids=["script", "javascript-link", "data-link", "reference-link", "event", "onclick", "svg"],
)
def test_practice_markdown_is_cleaned(client_for, project, eva, lotte, text, forbidden):
    practice = make_practice(project, eva, author=lotte, description=text, evidence=text)
    response = client_for(lotte).get(practice.get_absolute_url())
    body = response.content.decode()
    article = body[body.index("<article") :]
    assert forbidden not in article


def test_attachment_is_served_as_download(client_for, practice, erik):
    practice = services.save_practice(
        project=practice.project,
        author=practice.created_by,
        practice=practice,
        organisation=practice.organisation,
        new_attachments=[(SimpleUploadedFile("a.txt", b"hello"), "notes.txt", "text/plain")],
    )
    attachment = practice.attachments.get()
    url = reverse("attachment_download", args=[practice.project.slug, practice.pk, attachment.pk])
    response = client_for(erik).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"hello"


# Library


@pytest.fixture
def library(project, eva, pitea, lotte, erik):
    young = services.ensure_target_groups(project=project)[0]
    care = make_practice(
        project,
        eva,
        author=lotte,
        title="Care ambassadors",
        summary="Migrant women train as culturally sensitive care ambassadors.",
        themes=["care"],
        target_groups=[young],
    )
    mentors = make_practice(
        project,
        pitea,
        author=erik,
        title="Language mentors",
        summary="Volunteers practise Swedish at the workplace.",
        description="Mentoring in elderly care homes.",
        themes=["language"],
    )
    return {"care": care, "mentors": mentors, "young": young}


def test_library_filters_by_country_theme_and_target_group(client_for, project, library, lotte):
    client = client_for(lotte)
    assert titles(client.get(library_url(project, country="SE"))) == ["Language mentors"]
    assert titles(client.get(library_url(project, theme="care"))) == ["Care ambassadors"]
    assert titles(client.get(library_url(project, target_group=library["young"].pk))) == [
        "Care ambassadors"
    ]
    organisation = library["mentors"].organisation_id
    assert titles(client.get(library_url(project, organisation=organisation))) == [
        "Language mentors"
    ]


def test_library_filters_rated_and_sorts(client_for, project, library, lotte):
    for country in ["FI", "FI", "SE"]:
        evaluate(library["care"], reviewer(project, country), value=5)
    client = client_for(lotte)
    assert titles(client.get(library_url(project, rated="rated"))) == ["Care ambassadors"]
    assert titles(client.get(library_url(project, rated="unrated"))) == ["Language mentors"]
    assert titles(client.get(library_url(project, sort="rating")))[0] == "Care ambassadors"
    assert titles(client.get(library_url(project, sort="title"))) == [
        "Care ambassadors",
        "Language mentors",
    ]


def test_library_search_is_ranked_and_covers_themes_and_description(
    client_for, project, library, lotte
):
    client = client_for(lotte)
    assert titles(client.get(library_url(project, q="care"))) == [
        "Care ambassadors",
        "Language mentors",
    ]
    assert titles(client.get(library_url(project, q="language"))) == ["Language mentors"]
    assert titles(client.get(library_url(project, q="ambassador"))) == ["Care ambassadors"]
    assert titles(client.get(library_url(project, q='" OR * NEAR('))) == []


def test_library_ignores_tampered_filters(client_for, project, library, lotte):
    response = client_for(lotte).get(library_url(project, country="XX", sort="evil", page="x"))
    assert response.status_code == 200
    assert len(titles(response)) == 2


def test_library_my_assignments_filter(client_for, project, library, coordinator, lotte):
    finn = reviewer(project, "FI")
    services.open_round(
        project=project,
        name="Round",
        practices=[library["care"]],
        deadline=timezone.now() + timedelta(days=3),
        reviewers_per_practice=9,
        created_by=coordinator,
    )
    assert titles(client_for(finn).get(library_url(project, assigned="on"))) == ["Care ambassadors"]


def test_my_assignments_filter_keeps_rounds_past_their_deadline_marked_closed(
    client_for, project, library, coordinator
):
    finn = reviewer(project, "FI")
    for name, practice in [("Open round", library["care"]), ("Past round", library["mentors"])]:
        services.open_round(
            project=project,
            name=name,
            practices=[practice],
            deadline=timezone.now() + timedelta(days=3),
            reviewers_per_practice=9,
            created_by=coordinator,
        )
    past = project.evaluation_rounds.get(name="Past round")
    past.deadline = timezone.now() - timedelta(days=1)
    past.save()
    response = client_for(finn).get(library_url(project, assigned="on"))
    assert sorted(titles(response)) == ["Care ambassadors", "Language mentors"]
    cards = {p.title: p.assignment_open for p in response.context["page"].object_list}
    assert cards == {"Care ambassadors": True, "Language mentors": False}
    assert response.content.decode().count("Round closed") == 1
    services.close_round(evaluation_round=past)
    response = client_for(finn).get(library_url(project, assigned="on"))
    assert sorted(titles(response)) == ["Care ambassadors", "Language mentors"]


def test_library_query_count_does_not_grow(
    client_for, project, eva, lotte, django_assert_max_num_queries
):
    client = client_for(lotte)
    for number in range(3):
        make_practice(project, eva, author=lotte, themes=["a", f"t{number}"])
    with django_assert_max_num_queries(12):
        client.get(library_url(project))
    for number in range(30):
        make_practice(
            project,
            eva,
            author=lotte,
            themes=["a", f"u{number}"],
            new_pictures=[(services_picture(), "p")],
        )
    with django_assert_max_num_queries(12):
        response = client.get(library_url(project, q="practice", sort="rating", theme="a"))
    assert len(titles(response)) == 24


# Evaluation through the page


def test_evaluate_button_hidden_for_own_organisation(client_for, practice, lotte, erik):
    assert b"Evaluate" not in client_for(lotte).get(practice.get_absolute_url()).content
    url = reverse("practice_evaluate", args=[practice.project.slug, practice.pk])
    assert client_for(lotte).get(url).status_code == 403
    assert b">Evaluate<" in client_for(erik).get(practice.get_absolute_url()).content


def test_evaluation_form_saves(client_for, practice, erik):
    criteria = services.ensure_rubric(project=practice.project)
    data = {f"criterion_{c.pk}": "4" for c in criteria}
    data.update(transferability="3", strengths="Clear steps", transfer_changes="Less paperwork")
    url = reverse("practice_evaluate", args=[practice.project.slug, practice.pk])
    response = client_for(erik).post(url, data)
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.transferability == 3
    assert evaluation.scores.count() == 6


def test_evaluation_form_refuses_score_outside_scale(client_for, practice, erik):
    criteria = services.ensure_rubric(project=practice.project)
    data = {f"criterion_{c.pk}": "4" for c in criteria}
    data[f"criterion_{criteria[0].pk}"] = "9"
    data["transferability"] = "3"
    url = reverse("practice_evaluate", args=[practice.project.slug, practice.pk])
    response = client_for(erik).post(url, data)
    assert response.status_code == 200
    assert "a score from 1 to 5" in str(response.context["form"].errors)
    assert not Evaluation.objects.exists()


def test_results_appear_from_three_evaluations(client_for, project, practice, lotte):
    evaluate(practice, reviewer(project, "FI"), value=4)
    evaluate(practice, reviewer(project, "SE"), value=2)
    page = client_for(lotte).get(practice.get_absolute_url()).content.decode()
    assert "Results are shown once 3 people have evaluated this practice." in page
    evaluate(practice, reviewer(project, "SE"), value=3)
    page = client_for(lotte).get(practice.get_absolute_url()).content.decode()
    assert "3.0 / 5" in page
    assert "2–4" in page


def test_matrix_shows_mean_per_receiving_country(client_for, project, practice, coordinator):
    for value in (5, 4, 3):
        evaluate(practice, reviewer(project, "FI"), transferability=value)
    evaluate(practice, reviewer(project, "SE"), transferability=1)
    response = client_for(coordinator).get(reverse("transferability_matrix", args=[project.slug]))
    row = response.context["rows"][0]
    cells = {str(cell["country"].code): cell for cell in row["cells"]}
    assert cells["FI"]["mean"] == 4.0
    assert cells["SE"]["mean"] is None
    assert cells["SE"]["count"] == 1
    assert cells["BE"]["own"]


def test_coordinator_hides_comment(client_for, practice, erik, coordinator):
    comment = services.add_comment(practice=practice, author=erik, body="Rude words")
    url = reverse("comment_hide", args=[practice.project.slug, practice.pk, comment.pk])
    client_for(coordinator).post(url)
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    page = client_for(erik).get(practice.get_absolute_url()).content.decode()
    assert "Rude words" not in page
    assert "A coordinator has hidden this comment." in page


def test_guest_cannot_see_library(client, project):
    join_code = create_join_code(project=project, label="Seminar")
    guest = join_as_guest(join_code=join_code, display_name="Guest")
    session = client.session
    session[GUEST_SESSION_KEY] = {str(project.pk): guest.pk}
    session.save()
    response = client.get(library_url(project))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_participant_without_organisation_cannot_add(client_for, project):
    person = add_member(project, role=Role.PARTICIPANT)
    assert client_for(person).get(create_url(project)).status_code == 403
