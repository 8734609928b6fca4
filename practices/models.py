"""Good practices of a project, their peer evaluations and rounds, comments and transfers."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from jointlearn.models import Guest, LiveActivity, Organisation, Project
from jointlearn.uploads import private_storage

# Means are shown only from this many evaluations up, so no single rating can be read off.
MIN_EVALUATIONS_FOR_RESULTS = 3
TRANSFERABILITY_MAX = 5
TEXT_LIMIT = 20_000


class TargetGroup(models.Model):
    """One entry of the project's list of target groups, for example "young people"."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="target_groups", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="target_group_name_unique")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The name as shown: a default the project kept is in the viewer's language."""
        from .services import shown

        return shown(self.name)


class PracticeTheme(TaggedItemBase):
    """A theme (tag) on a practice; a plain foreign key keeps filters to one join."""

    content_object = models.ForeignKey("Practice", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class PracticeQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Published practices, plus drafts of the member's organisation (all for coordinators)."""
        if membership is None:
            return self.none()
        if membership.is_coordinator:
            return self
        drafts = Q(status=Practice.Status.DRAFT, organisation_id=membership.organisation_id)
        if membership.organisation_id is None:
            drafts = Q(pk__in=[])
        return self.filter(Q(status=Practice.Status.PUBLISHED) | drafts)


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="practices", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(
        _("summary"),
        validators=[MaxLengthValidator(1000)],
        help_text=_("One paragraph: what it is, for whom, and what it achieves."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
        help_text=_("Markdown: **bold**, *italic*, lists, headings and links."),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="practices", verbose_name=_("target groups")
    )
    themes = TaggableManager(
        verbose_name=_("themes"), through=PracticeTheme, blank=True, related_name="practices"
    )
    evidence = models.TextField(
        _("evidence of results"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
        help_text=_("Markdown. How do you know it works? Evaluations, follow-up, feedback."),
    )
    key_figures = models.JSONField(_("key figures"), default=list, blank=True)
    resources = models.TextField(
        _("resources needed"),
        blank=True,
        validators=[MaxLengthValidator(5000)],
        help_text=_("Staff, time, money, premises, partners."),
    )
    contact = models.TextField(
        _("contact"),
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text=_("Who to ask about this practice: name, email, phone."),
    )
    links = models.JSONField(_("links"), default=list, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where this description comes from, for example a report or a website."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    # Kept by the services for the library's filters and sorting: one row, no aggregation.
    evaluation_count = models.PositiveIntegerField(_("evaluations"), default=0, editable=False)
    rating_mean = models.FloatField(_("average rating"), null=True, blank=True, editable=False)
    transfer_count = models.PositiveIntegerField(_("applied by"), default=0, editable=False)
    # Title, summary, description, evidence and themes in one column for full-text search.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        indexes = [
            models.Index(fields=["project", "status", "-created_at"]),
            models.Index(fields=["project", "status", "title"]),
            models.Index(fields=["project", "status", "rating_mean"]),
            models.Index(fields=["project", "status", "transfer_count"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "practice_detail", kwargs={"project_slug": self.project.slug, "practice_id": self.pk}
        )

    @property
    def country(self):
        return self.organisation.country

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def shows_rating(self):
        return self.evaluation_count >= MIN_EVALUATIONS_FOR_RESULTS


def practice_picture_path(picture, filename):
    return f"projects/{picture.practice.project_id}/practices/{filename}"


class Picture(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("practice")
    )
    # Private like attachments: a draft's pictures must not be reachable by address alone.
    image = models.ImageField(
        _("picture"), upload_to=practice_picture_path, storage=private_storage
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=practice_picture_path, storage=private_storage
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return self.url("image")

    def get_thumbnail_url(self):
        return self.url("thumbnail")

    def url(self, variant):
        practice = self.practice
        return reverse(
            "picture",
            kwargs={
                "project_slug": practice.project.slug,
                "practice_id": practice.pk,
                "picture_id": self.pk,
                "variant": variant,
            },
        )


def practice_attachment_path(attachment, filename):
    return f"projects/{attachment.practice.project_id}/practices/{filename}"


class Attachment(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("practice")
    )
    file = models.FileField(_("file"), upload_to=practice_attachment_path, storage=private_storage)
    name = models.CharField(_("file name"), max_length=160)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """One criterion of a project's rubric for peer evaluation."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=120)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=_("Scores go from 1 to this number."),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How much this criterion counts in the overall rating."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="criterion_name_unique"),
            models.CheckConstraint(
                condition=Q(scale_max__gte=2, scale_max__lte=10), name="criterion_scale_range"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="criterion_weight_range"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The name as shown: a default criterion the project kept is in the viewer's
        language (the rubric's settings still edit the stored name)."""
        from .services import shown

        return shown(self.name)

    @property
    def explanation(self):
        from .services import shown

        return shown(self.help_text)


class EvaluationRound(models.Model):
    """A coordinator asks reviewers from other countries to evaluate practices by a deadline."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="evaluation_rounds",
        verbose_name=_("project"),
    )
    name = models.CharField(_("name"), max_length=120)
    practices = models.ManyToManyField(
        Practice, related_name="evaluation_rounds", verbose_name=_("practices")
    )
    reviewers_per_practice = models.PositiveSmallIntegerField(
        _("reviewers per practice"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    deadline = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self):
        return self.name

    @property
    def closes_at(self):
        return min(self.closed_at, self.deadline) if self.closed_at else self.deadline

    @property
    def is_open(self):
        return self.closed_at is None and self.deadline > timezone.now()


class Assignment(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="assignments")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_assignments"
    )
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        ordering = ["round", "practice__title"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "practice", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]
        indexes = [models.Index(fields=["reviewer", "round"])]

    def __str__(self):
        return f"{self.reviewer} → {self.practice}"


class Evaluation(models.Model):
    """One person's peer evaluation of a practice: a score per criterion and transferability."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("practice")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_evaluations",
        verbose_name=_("evaluator"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    # The receiving country: where the evaluator would apply the practice.
    country = CountryField(_("country"))
    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("round"),
    )
    strengths = models.TextField(_("strengths"), blank=True, validators=[MaxLengthValidator(5000)])
    suggestions = models.TextField(
        _("suggestions"), blank=True, validators=[MaxLengthValidator(5000)]
    )
    transferability = models.PositiveSmallIntegerField(
        _("transferability to your country"),
        validators=[MinValueValidator(1), MaxValueValidator(TRANSFERABILITY_MAX)],
    )
    transfer_changes = models.TextField(
        _("what would need to change"), blank=True, validators=[MaxLengthValidator(5000)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "evaluator"], name="one_evaluation_per_person"
            ),
            models.CheckConstraint(
                condition=Q(transferability__gte=1, transferability__lte=TRANSFERABILITY_MAX),
                name="evaluation_transferability_range",
            ),
        ]
        indexes = [models.Index(fields=["practice", "country"])]

    def __str__(self):
        return f"{self.evaluator} on {self.practice}"

    @property
    def is_locked(self):
        return self.round is not None and not self.round.is_open


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__gte=1), name="score_at_least_one"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Comment(models.Model):
    """A question or comment on a practice; a reply has a parent, and replies have none."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="comments", verbose_name=_("practice")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class Transfer(models.Model):
    """ "We applied this": an organisation took the practice home, with what it changed."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("practice")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="transfers",
        verbose_name=_("organisation"),
    )
    adapted = models.TextField(_("what you adapted"), validators=[MaxLengthValidator(5000)])
    applied_on = models.DateField(_("when"))
    outcome = models.TextField(_("outcome"), blank=True, validators=[MaxLengthValidator(5000)])
    link = models.URLField(_("link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.organisation} applied {self.practice}"


class PitchRating(models.Model):
    """One person's rating of one pitch (a practice) in a live pitch session.

    Kept apart from peer evaluations: a quick impression from the room on the session's
    short rubric, from members (by account) and guests (by their code's guest record).
    """

    activity = models.ForeignKey(
        LiveActivity,
        on_delete=models.CASCADE,
        related_name="pitch_ratings",
        verbose_name=_("pitch session"),
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="pitch_ratings", verbose_name=_("practice")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    guest = models.ForeignKey(
        Guest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guest"),
    )
    rater_name = models.CharField(_("rated by"), max_length=150)
    # {criterion id (as text): score}; the criteria and scales are the session's own.
    scores = models.JSONField(_("scores"), default=dict)
    word = models.CharField(_("one word"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pitch rating")
        verbose_name_plural = _("pitch ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "practice", "user"],
                condition=Q(user__isnull=False),
                name="one_pitch_rating_per_member",
            ),
            models.UniqueConstraint(
                fields=["activity", "practice", "guest"],
                condition=Q(guest__isnull=False),
                name="one_pitch_rating_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest__isnull=True)
                | Q(user__isnull=True, guest__isnull=False),
                name="pitch_rating_by_member_or_guest",
            ),
        ]
        indexes = [models.Index(fields=["practice", "activity"])]

    def __str__(self):
        return f"{self.rater_name} on {self.practice}"
