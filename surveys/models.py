"""Surveys: feedback after a meeting and follow-up of the project, their questions and answers.

An anonymous survey stores no link from a response to its author: no person, no name, no
address. The response's `respondent_key` is a keyed hash of the survey and the person made
with the server's secret key; it lets the person find and change their own answers and lets
the research export honour a withdrawn consent, and it cannot be traced back without that key.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jointlearn.models import Project
from meetings.models import Meeting

TEXT_ANSWER_MAX_LENGTH = 2000
SURVEY_LINK_VALID_DAYS = 60
TRANSLATION_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Translated:
    """Texts given per language in `translations`, shown in the reader's language."""

    def translated(self, name, language=None):
        language = language or translation.get_language() or ""
        text = self.translations.get(language, {}).get(name, "")
        return text or getattr(self, name)


class Survey(Translated, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Opens later")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("project")
    )
    # A feedback survey belongs to a meeting; a follow-up survey to the project only.
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, validators=[MaxLengthValidator(3000)])
    language = models.CharField(
        _("language of the texts"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # {"fi": {"title": "…", "intro": "…"}, …}
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Nothing links an answer to the person who gave it, not even for you."),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["project", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "survey_detail", kwargs={"project_slug": self.project.slug, "survey_id": self.pk}
        )

    def get_answer_url(self):
        return reverse(
            "survey_answer", kwargs={"project_slug": self.project.slug, "survey_id": self.pk}
        )

    @property
    def display_title(self):
        """The title in the reader's language."""
        return self.translated("title")

    @property
    def is_feedback(self):
        return self.meeting_id is not None

    def state(self, now=None):
        now = now or timezone.now()
        if self.opens_at is None:
            return self.State.DRAFT
        if now < self.opens_at:
            return self.State.SCHEDULED
        if self.closes_at is not None and now >= self.closes_at:
            return self.State.CLOSED
        return self.State.OPEN

    def get_state_display(self):
        return self.State(self.state()).label

    @property
    def is_open(self):
        return self.state() == self.State.OPEN


class Question(Translated, models.Model):
    class Kind(models.TextChoices):
        SCALE_5 = "scale5", _("Scale from 1 to 5")
        SCALE_10 = "scale10", _("Scale from 0 to 10")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        TEXT = "text", _("Open answer")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind of question"), max_length=16, choices=Kind)
    text = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(_("an answer is required"), default=False)
    low_label = models.CharField(
        _("label of the lowest number"),
        max_length=80,
        blank=True,
        help_text=_("Scales only. For example: not at all."),
    )
    high_label = models.CharField(
        _("label of the highest number"),
        max_length=80,
        blank=True,
        help_text=_("Scales only. For example: very much."),
    )
    # {"fi": {"text": "…", "low_label": "…", "high_label": "…"}, …}
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def is_scale(self):
        return self.kind in {self.Kind.SCALE_5, self.Kind.SCALE_10}

    @property
    def has_choices(self):
        return self.kind in {self.Kind.SINGLE, self.Kind.MULTIPLE}

    @property
    def scale_range(self):
        if self.kind == self.Kind.SCALE_5:
            return range(1, 6)
        if self.kind == self.Kind.SCALE_10:
            return range(0, 11)
        return range(0)


class Choice(Translated, models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("choice"), max_length=200)
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class Response(models.Model):
    """One person's answers to a survey; answering again changes it, there is never a second."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    respondent_key = models.CharField(max_length=64, editable=False)
    # Named surveys only: an anonymous survey's response has no person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("person"),
    )
    submitted_on = models.DateField(_("answered on"))

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"], name="one_response_per_person"
            )
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(
        _("answer"), blank=True, validators=[MaxLengthValidator(TEXT_ANSWER_MAX_LENGTH)]
    )
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers")

    class Meta:
        ordering = ["response", "question__position", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.question}: {self.number if self.number is not None else self.text}"


class SurveyLink(models.Model):
    """A person's own link to a follow-up survey, answerable without signing in."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="links", verbose_name=_("survey")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["survey", "-sent_at"]
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="one_link_per_person")
        ]

    def __str__(self):
        return f"{self.user} → {self.survey}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry(survey):
        limit = timezone.now() + timedelta(days=SURVEY_LINK_VALID_DAYS)
        return min(limit, survey.closes_at) if survey.closes_at else limit

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()
