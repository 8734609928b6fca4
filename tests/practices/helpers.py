"""Small factories for practices, built through the services as the app does."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jointlearn.images import clean_image
from jointlearn.models import Role
from practices import services
from practices.models import Practice

from ..factories import add_member, make_organisation

_counter = itertools.count(1)


def make_practice(
    project, organisation, *, author=None, status=Practice.Status.PUBLISHED, **fields
):
    number = next(_counter)
    if author is None:
        author = project.memberships.filter(role=Role.COORDINATOR).first().user
    defaults = {
        "title": f"Practice {number}",
        "summary": f"Summary of practice {number}.",
        "organisation": organisation,
        "status": status,
    }
    defaults.update(fields)
    return services.save_practice(project=project, author=author, **defaults)


def reviewer(project, country, *, role=Role.PARTNER, name=None):
    """A member of a new organisation in `country`."""
    organisation = make_organisation(project, name=name, country=country)
    return add_member(project, role=role, organisation=organisation)


def full_scores(project, value=4):
    return {criterion.pk: value for criterion in services.ensure_rubric(project=project)}


def evaluate(practice, evaluator, value=4, transferability=4, **extra):
    return services.submit_evaluation(
        practice=practice,
        evaluator=evaluator,
        scores=full_scores(practice.project, value),
        transferability=transferability,
        **extra,
    )


def picture_upload(name="photo.jpg", image_format="JPEG", size=(64, 48), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 130)).save(buffer, image_format, **save)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def practices_world(project, coordinator):
    """Objects of every kind the practice URLs need, for the permission matrix: a published
    practice of an organisation in Belgium that none of the matrix's people belong to."""
    organisation = make_organisation(project, country="BE")
    practice = make_practice(project, organisation, author=coordinator)
    practice = services.save_practice(
        project=project,
        author=coordinator,
        practice=practice,
        organisation=organisation,
        new_pictures=[(clean_image(picture_upload()), "A picture")],
        new_attachments=[(SimpleUploadedFile("notes.txt", b"notes"), "notes.txt", "text/plain")],
    )
    evaluation_round = services.open_round(
        project=project,
        name="Round",
        practices=[practice],
        deadline=timezone.now() + timedelta(days=7),
        reviewers_per_practice=1,
        created_by=coordinator,
    )
    comment = services.add_comment(practice=practice, author=coordinator, body="A question")
    return {
        "practice_id": practice.pk,
        "attachment_id": practice.attachments.get().pk,
        "picture_id": practice.pictures.get().pk,
        "variant": "thumbnail",
        "round_id": evaluation_round.pk,
        "comment_id": comment.pk,
    }
