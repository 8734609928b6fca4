"""Every change to practices, rubrics, evaluations, rounds, comments and transfers goes here."""

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from jointlearn.images import reencode
from jointlearn.models import Membership
from jointlearn.services import DomainError

from . import assignment, scoring
from .models import (
    MIN_EVALUATIONS_FOR_RESULTS,
    Assignment,
    Attachment,
    Comment,
    Criterion,
    Evaluation,
    EvaluationRound,
    Picture,
    Practice,
    Score,
    TargetGroup,
    Transfer,
)
from .permissions import (
    REVIEWER_ROLES,
    can_comment,
    can_edit_practice,
    can_evaluate,
    can_record_transfer,
)

THUMBNAIL_SIDE = 480

# (name, explanation): the criteria transnational programmes commonly use.
DEFAULT_CRITERIA = [
    (
        gettext_lazy("Relevance to the target group"),
        gettext_lazy("Does it answer a real need of the people it is for?"),
    ),
    (
        gettext_lazy("Evidence of results"),
        gettext_lazy("Are there figures, follow-up or evaluations that show it works?"),
    ),
    (
        gettext_lazy("Transferability"),
        gettext_lazy("Could another organisation or country do it too?"),
    ),
    (
        gettext_lazy("Innovation"),
        gettext_lazy("Is it a new way of working, or a new combination of known ones?"),
    ),
    (
        gettext_lazy("Sustainability"),
        gettext_lazy("Will it continue when the project money ends?"),
    ),
    (
        gettext_lazy("Involvement of the target group"),
        gettext_lazy("Do the people it is for help to design and run it?"),
    ),
]
DEFAULT_TARGET_GROUPS = [
    gettext_lazy("Young people"),
    gettext_lazy("Refugees"),
    gettext_lazy("Long-term unemployed"),
    gettext_lazy("Women"),
    gettext_lazy("Employers"),
]


def english_defaults():
    """The default criteria, explanations and target groups as stored when a project was set
    up in English."""
    global _english_defaults
    if _english_defaults is None:
        from django.utils import translation

        with translation.override("en"):
            texts = [text for pair in DEFAULT_CRITERIA for text in pair]
            _english_defaults = frozenset(str(text) for text in [*texts, *DEFAULT_TARGET_GROUPS])
    return _english_defaults


_english_defaults = None


def shown(text):
    """A default the project has kept, in the viewer's language; anything the project wrote
    itself, as written."""
    return _(text) if text in english_defaults() else text


class NotAllowed(DomainError):
    pass


class EvaluationClosed(DomainError):
    pass


class AlreadyEvaluated(DomainError):
    pass


class InvalidScores(DomainError):
    pass


# Project set-up: rubric and target groups


@transaction.atomic
def ensure_rubric(*, project):
    """The project's criteria; a project without any gets the default six."""
    criteria = list(project.criteria.all())
    if criteria:
        return criteria
    for position, (name, help_text) in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.get_or_create(
            project=project,
            name=str(name),
            defaults={"help_text": str(help_text), "position": position},
        )
    return list(project.criteria.all())


@transaction.atomic
def ensure_target_groups(*, project):
    groups = list(project.target_groups.all())
    if groups:
        return groups
    for position, name in enumerate(DEFAULT_TARGET_GROUPS):
        TargetGroup.objects.get_or_create(
            project=project, name=str(name), defaults={"position": position}
        )
    return list(project.target_groups.all())


@transaction.atomic
def save_rubric(*, project, criteria):
    """Replace the rubric with `criteria`: dicts of id (None for new), name, help_text,
    scale_max, weight, delete. A criterion that has scores cannot be deleted, nor its scale
    lowered below a score already given."""
    existing = {criterion.pk: criterion for criterion in project.criteria.all()}
    kept = 0
    for position, row in enumerate(criteria):
        criterion = existing.get(row.get("id")) if row.get("id") else None
        if row.get("id") and criterion is None:
            raise DomainError(_("This criterion belongs to another project."))
        if row.get("delete"):
            if criterion is None:
                continue
            if criterion.scores.exists():
                raise DomainError(
                    _("“%(name)s” already has scores, so it cannot be removed.")
                    % {"name": criterion.name}
                )
            criterion.delete()
            continue
        if criterion is None:
            criterion = Criterion(project=project)
        elif criterion.scores.filter(value__gt=row["scale_max"]).exists():
            raise DomainError(
                _(
                    "“%(name)s” already has scores above %(max)d, so its scale cannot be "
                    "lowered to %(max)d."
                )
                % {"name": criterion.name, "max": row["scale_max"]}
            )
        criterion.name = row["name"]
        criterion.help_text = row.get("help_text", "")
        criterion.scale_max = row["scale_max"]
        criterion.weight = row["weight"]
        criterion.position = position
        criterion.save()
        kept += 1
    if not kept:
        raise DomainError(_("A rubric needs at least one criterion."))
    for practice in Practice.objects.filter(project=project, evaluation_count__gt=0):
        refresh_practice_rating(practice)


@transaction.atomic
def save_target_groups(*, project, names):
    """Make the project's list of target groups `names`, in that order."""
    if not names:
        raise DomainError(_("Keep at least one target group."))
    existing = {group.name.casefold(): group for group in project.target_groups.all()}
    wanted = set()
    for position, name in enumerate(names):
        group = existing.get(name.casefold())
        if group is None:
            group = TargetGroup(project=project)
        group.name = name
        group.position = position
        group.save()
        wanted.add(group.pk)
    project.target_groups.exclude(pk__in=wanted).delete()


# Practices


def make_thumbnail(picture_file):
    picture_file.seek(0)
    with Image.open(picture_file) as image:
        image.load()
        image_format = image.format
        data = reencode(image, image_format, max_side=THUMBNAIL_SIDE)
    extension = picture_file.name.rsplit(".", 1)[1]
    picture_file.seek(0)
    return ContentFile(data, name=f"{secrets.token_hex(8)}-thumb.{extension}")


def search_text_of(practice, themes):
    parts = [
        practice.title,
        practice.summary,
        practice.description,
        practice.evidence,
        " ".join(practice.key_figures),
        " ".join(themes),
        practice.organisation.name,
    ]
    return "\n".join(part for part in parts if part)


@transaction.atomic
def save_practice(
    *,
    project,
    author,
    practice=None,
    themes=(),
    target_groups=(),
    new_pictures=(),
    remove_pictures=(),
    picture_captions=None,
    new_attachments=(),
    remove_attachments=(),
    **fields,
):
    """Create or update a practice with its themes, target groups, pictures and attachments.

    `author` is the person saving, None only for data loaded by a management command.
    `new_pictures` holds (cleaned picture, caption) pairs from `jointlearn.images.clean_image`;
    `new_attachments` holds (file, name, content type) triples from `clean_attachment`.
    """
    membership = Membership.objects.filter(user=author, project=project).first()
    organisation = fields.get("organisation") or (practice and practice.organisation)
    if organisation is None or organisation.project_id != project.pk:
        raise NotAllowed(_("Choose an organisation of this project."))
    if author is None:
        # Loaded by a management command (the demo), not by a person: nobody to check.
        practice = practice or Practice(project=project)
    elif practice is None:
        practice = Practice(project=project, created_by=author)
        probe = Practice(project=project, organisation=organisation)
        if not can_edit_practice(membership, probe):
            raise NotAllowed(_("You can only add practices of your own organisation."))
    else:
        if practice.project_id != project.pk:
            raise NotAllowed(_("This practice belongs to another project."))
        if not can_edit_practice(membership, practice) or not can_edit_practice(
            membership, Practice(project=project, organisation=organisation)
        ):
            raise NotAllowed(
                _("Only its organisation and the coordinators can edit this practice.")
            )
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.updated_by = author
    practice.full_clean(exclude=["themes", "target_groups", "created_by", "updated_by"])
    practice.save()
    practice.themes.set(list(themes), clear=False)
    practice.target_groups.set(target_groups)
    practice.search_text = search_text_of(practice, themes)
    Practice.objects.filter(pk=practice.pk).update(search_text=practice.search_text)

    removed_files = []
    for picture in practice.pictures.filter(pk__in=[p.pk for p in remove_pictures]):
        removed_files += [picture.image, picture.thumbnail]
        picture.delete()
    for attachment in practice.attachments.filter(pk__in=[a.pk for a in remove_attachments]):
        removed_files.append(attachment.file)
        attachment.delete()
    # Each picture's own caption: shown under it and read aloud as its text alternative.
    for picture in practice.pictures.filter(pk__in=list(picture_captions or {})):
        caption = " ".join(picture_captions[picture.pk].split())
        if caption != picture.caption:
            picture.caption = caption
            picture.full_clean(exclude=["practice", "image", "thumbnail"])
            picture.save(update_fields=["caption"])
    position = practice.pictures.count()
    for picture_file, caption in new_pictures:
        picture = Picture(practice=practice, caption=caption, position=position)
        thumbnail = make_thumbnail(picture_file)
        picture.thumbnail.save(thumbnail.name, thumbnail, save=False)
        picture.image.save(picture_file.name, picture_file, save=False)
        picture.save()
        position += 1
    for stored, name, content_type in new_attachments:
        attachment = Attachment(
            practice=practice, name=name, content_type=content_type, size=stored.size
        )
        attachment.file.save(stored.name, stored, save=False)
        attachment.save()
    for field_file in removed_files:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return practice


@transaction.atomic
def delete_practice(*, practice, by):
    membership = Membership.objects.filter(user=by, project=practice.project).first()
    if not can_edit_practice(membership, practice):
        raise NotAllowed(_("Only its organisation and the coordinators can delete this practice."))
    files = []
    for picture in practice.pictures.all():
        files += [picture.image, picture.thumbnail]
    files += [attachment.file for attachment in practice.attachments.all()]
    practice.delete()
    for field_file in files:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# Evaluations


def refresh_practice_rating(practice):
    """Recount the practice's evaluations and overall rating from the saved rows."""
    criteria = {c.pk: (c.scale_max, c.weight) for c in practice.project.criteria.all()}
    ratings = []
    evaluations = Evaluation.objects.filter(practice=practice).prefetch_related("scores")
    for evaluation in evaluations:
        scores = {score.criterion_id: score.value for score in evaluation.scores.all()}
        ratings.append(scoring.weighted_rating(scores, criteria))
    Practice.objects.filter(pk=practice.pk).update(
        evaluation_count=len(ratings),
        rating_mean=scoring.overall_rating(ratings, minimum=MIN_EVALUATIONS_FOR_RESULTS),
    )


def open_assignment(practice, evaluator):
    return (
        Assignment.objects.filter(practice=practice, reviewer=evaluator)
        .select_related("round")
        .order_by("-round__deadline")
        .first()
    )


def round_closed_message(evaluation_round):
    return _(
        "The evaluation round “%(name)s” has closed; its evaluations can no longer change."
    ) % {"name": evaluation_round.name}


@transaction.atomic
def submit_evaluation(
    *,
    practice,
    evaluator,
    scores,
    transferability,
    strengths="",
    suggestions="",
    transfer_changes="",
):
    """Save `evaluator`'s evaluation of `practice` (a new one, or their own changed).

    `scores` maps criterion id to value and must cover the whole rubric. Refused for the
    evaluator's own organisation, outside the project, and once the evaluation's round closed.
    """
    # Lock the practice so two evaluations saved at once recount its rating one after the other.
    practice = Practice.objects.select_for_update().select_related("project").get(pk=practice.pk)
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=evaluator, project=practice.project)
        .first()
    )
    if membership is not None and membership.organisation_id == practice.organisation_id:
        raise NotAllowed(_("You cannot evaluate a practice of your own organisation."))
    if not can_evaluate(membership, practice):
        raise NotAllowed(_("You cannot evaluate this practice."))
    criteria = {criterion.pk: criterion for criterion in practice.project.criteria.all()}
    if set(scores) != set(criteria):
        raise InvalidScores(_("Give a score for every criterion."))
    for criterion_id, value in scores.items():
        criterion = criteria[criterion_id]
        if not isinstance(value, int) or not 1 <= value <= criterion.scale_max:
            raise InvalidScores(
                _("The score for “%(name)s” must be between 1 and %(max)d.")
                % {"name": criterion.name, "max": criterion.scale_max}
            )
    if not isinstance(transferability, int) or not 1 <= transferability <= 5:
        raise InvalidScores(_("Transferability must be between 1 and 5."))

    evaluation = (
        Evaluation.objects.select_related("round")
        .filter(practice=practice, evaluator=evaluator)
        .first()
    )
    if evaluation is not None and evaluation.is_locked:
        raise EvaluationClosed(round_closed_message(evaluation.round))
    if evaluation is None:
        assigned = open_assignment(practice, evaluator)
        if assigned is not None and not assigned.round.is_open:
            raise EvaluationClosed(round_closed_message(assigned.round))
        evaluation = Evaluation(
            practice=practice,
            evaluator=evaluator,
            round=assigned.round if assigned else None,
        )
    evaluation.organisation = membership.organisation
    evaluation.country = membership.organisation.country
    evaluation.strengths = strengths
    evaluation.suggestions = suggestions
    evaluation.transferability = transferability
    evaluation.transfer_changes = transfer_changes
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as error:
        raise AlreadyEvaluated(_("You have already evaluated this practice.")) from error
    evaluation.scores.all().delete()
    Score.objects.bulk_create(
        Score(evaluation=evaluation, criterion_id=criterion_id, value=value)
        for criterion_id, value in scores.items()
    )
    refresh_practice_rating(practice)
    return evaluation


# Evaluation rounds


@transaction.atomic
def open_round(*, project, name, practices, deadline, reviewers_per_practice, created_by):
    """Open a round and assign reviewers from other countries with balanced load."""
    if deadline <= timezone.now():
        raise DomainError(_("The deadline must be in the future."))
    practices = [p for p in practices if p.project_id == project.pk and p.is_published]
    if not practices:
        raise DomainError(_("Choose at least one published practice."))
    reviewers = [
        assignment.Reviewer(m.user_id, str(m.organisation.country), m.organisation_id)
        for m in Membership.objects.filter(
            project=project, role__in=REVIEWER_ROLES, organisation__isnull=False
        ).select_related("organisation")
    ]
    items = [
        assignment.Item(p.pk, str(p.organisation.country), p.organisation_id) for p in practices
    ]
    excluded = set(
        Evaluation.objects.filter(practice__in=practices).values_list("practice_id", "evaluator_id")
    )
    open_load = {}
    for reviewer_id in Assignment.objects.filter(
        round__project=project, round__closed_at__isnull=True, round__deadline__gt=timezone.now()
    ).values_list("reviewer_id", flat=True):
        open_load[reviewer_id] = open_load.get(reviewer_id, 0) + 1
    plan = assignment.assign(
        items, reviewers, reviewers_per_practice, existing_load=open_load, excluded=excluded
    )
    evaluation_round = EvaluationRound.objects.create(
        project=project,
        name=name,
        deadline=deadline,
        reviewers_per_practice=reviewers_per_practice,
        created_by=created_by,
    )
    evaluation_round.practices.set(practices)
    Assignment.objects.bulk_create(
        Assignment(round=evaluation_round, practice_id=practice_id, reviewer_id=reviewer_id)
        for practice_id, reviewer_ids in plan.items()
        for reviewer_id in reviewer_ids
    )
    return evaluation_round


@transaction.atomic
def close_round(*, evaluation_round):
    if evaluation_round.closed_at is None:
        evaluation_round.closed_at = min(timezone.now(), evaluation_round.deadline)
        evaluation_round.save(update_fields=["closed_at"])
    return evaluation_round


def round_progress(evaluation_round):
    """Assignments of the round with `done` set: the reviewer has evaluated the practice."""
    assignments = list(
        evaluation_round.assignments.select_related("practice__organisation", "reviewer").order_by(
            "practice__title", "reviewer__display_name"
        )
    )
    done = set(
        Evaluation.objects.filter(
            practice__in={a.practice_id for a in assignments},
            evaluator__in={a.reviewer_id for a in assignments},
        ).values_list("practice_id", "evaluator_id")
    )
    for item in assignments:
        item.done = (item.practice_id, item.reviewer_id) in done
    return assignments


@transaction.atomic
def send_reminders(*, evaluation_round, build_url):
    """Email every reviewer with unfinished assignments; returns how many people were written to."""
    if not evaluation_round.is_open:
        raise EvaluationClosed(round_closed_message(evaluation_round))
    pending = {}
    for item in round_progress(evaluation_round):
        if not item.done:
            pending.setdefault(item.reviewer, []).append(item)
    now = timezone.now()
    for reviewer, items in pending.items():
        body = render_to_string(
            "practices/emails/reminder.txt",
            {
                "reviewer": reviewer,
                "round": evaluation_round,
                "assignments": items,
                "assignments_url": build_url(),
            },
        )
        subject = _("Reminder: practices wait for your evaluation in %(round)s") % {
            "round": evaluation_round.name
        }
        recipient = reviewer.email
        transaction.on_commit(
            lambda subject=subject, body=body, recipient=recipient: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]
            )
        )
        Assignment.objects.filter(pk__in=[item.pk for item in items]).update(reminded_at=now)
    return len(pending)


# Comments


@transaction.atomic
def add_comment(*, practice, author, body, parent=None, build_url=None):
    """A question or comment; the owning organisation's members are told by email."""
    membership = Membership.objects.filter(user=author, project=practice.project_id).first()
    if not can_comment(membership, practice):
        raise NotAllowed(_("You cannot comment on this practice."))
    if parent is not None:
        if parent.practice_id != practice.pk:
            raise NotAllowed(_("This comment belongs to another practice."))
        if parent.parent_id is not None:
            parent = parent.parent
    body = body.strip()
    if not body:
        raise DomainError(_("Write something before sending."))
    comment = Comment.objects.create(practice=practice, author=author, body=body, parent=parent)
    recipients = list(
        Membership.objects.filter(
            project=practice.project_id, organisation=practice.organisation_id
        )
        .exclude(user=author)
        .values_list("user__email", flat=True)
    )
    if recipients:
        subject = _("New comment on %(title)s") % {"title": practice.title}
        text = render_to_string(
            "practices/emails/comment.txt",
            {"comment": comment, "practice": practice, "url": build_url() if build_url else ""},
        )
        transaction.on_commit(
            lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
        )
    return comment


@transaction.atomic
def hide_comment(*, comment, by, hidden=True):
    comment.hidden_at = timezone.now() if hidden else None
    comment.hidden_by = by if hidden else None
    comment.save(update_fields=["hidden_at", "hidden_by"])
    return comment


# Transfers


@transaction.atomic
def record_transfer(*, practice, created_by, adapted, applied_on, outcome="", link=""):
    """ "We applied this": the recorder's organisation took the practice home."""
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=created_by, project=practice.project_id)
        .first()
    )
    if not can_record_transfer(membership, practice):
        raise NotAllowed(_("Only partners of other organisations can record that they applied it."))
    transfer = Transfer.objects.create(
        practice=practice,
        organisation=membership.organisation,
        adapted=adapted,
        applied_on=applied_on,
        outcome=outcome,
        link=link,
        created_by=created_by,
    )
    Practice.objects.filter(pk=practice.pk).update(
        transfer_count=Transfer.objects.filter(practice=practice)
        .values("organisation")
        .distinct()
        .count()
    )
    return transfer
