"""Reflection rounds, quick polls and cross-country pairing: the rows behind three kinds of
live activity (jointlearn.models.LiveActivity)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from jointlearn.models import Guest, LiveActivity

ANSWER_MAX_LENGTH = 1000
PROMPT_MAX_LENGTH = 200


class LearningFormat(models.TextChoices):
    """The ways of learning an answer can name; the chart of a round counts them."""

    LECTURE = "lecture", _("Lecture")
    STUDY_VISIT = "study_visit", _("Study visit")
    LEARNING_CAFE = "learning_cafe", _("Learning café")
    PEER_DISCUSSION = "peer_discussion", _("Peer discussion")
    PITCH = "pitch", _("Pitch")
    CITY_TOUR = "city_tour", _("City tour")
    ONLINE_WORK = "online_work", _("Online work")
    WORKSHOP = "workshop", _("Workshop")
    INFORMAL = "informal", _("Informal talks and meals")
    OTHER = "other", _("Something else")


class Presence(models.Model):
    """Someone who said "I'm here" in a reflection round or a pairing: their name, country
    and organisation as the speaking order and the pairs need them."""

    activity = models.ForeignKey(
        LiveActivity, on_delete=models.CASCADE, related_name="presences", verbose_name=_("activity")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The speaking order of a reflection round: a place, and whether the turn was taken.
    position = models.PositiveIntegerField(_("place in the speaking order"), null=True, blank=True)
    spoken = models.BooleanField(_("has spoken"), default=False)
    skipped = models.BooleanField(_("skipped"), default=False)
    created_at = models.DateTimeField(_("arrived"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("person present")
        verbose_name_plural = _("people present")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=models.Q(user__isnull=False),
                name="presence_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["activity", "guest"],
                condition=models.Q(guest__isnull=False),
                name="presence_once_per_guest",
            ),
        ]

    def __str__(self):
        return self.name


class ReflectionRound(models.Model):
    """The end-of-seminar round: prompts, a speaking order, a timer per speaker, answers."""

    activity = models.OneToOneField(
        LiveActivity, on_delete=models.CASCADE, related_name="reflection_round"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflection_rounds",
        verbose_name=_("meeting"),
    )
    # Prompts as the facilitator wrote them; an empty list means the translated defaults.
    prompts = models.JSONField(_("prompts"), default=list, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    speaker_seconds = models.PositiveIntegerField(_("seconds per speaker"), default=120)
    current_speaker = models.ForeignKey(
        Presence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reflection round")
        verbose_name_plural = _("reflection rounds")

    def __str__(self):
        return self.activity.title


class Answer(models.Model):
    """One answer to a prompt. In an anonymous round it keeps no link to its author: no
    person, no name, no time (see docs/reflections.md, "Anonymous rounds")."""

    activity = models.ForeignKey(
        LiveActivity, on_delete=models.CASCADE, related_name="answers", verbose_name=_("round")
    )
    prompt = models.PositiveSmallIntegerField(_("prompt"), default=0)
    text = models.CharField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    formats = models.JSONField(_("learning formats"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.SET_NULL, null=True, blank=True)
    author_name = models.CharField(_("said by"), max_length=120, blank=True)
    captured = models.BooleanField(_("written down by the facilitator"), default=False)
    # A keyed hash of a random token the answering browser made: a resent answer is
    # recognised without knowing whose it is.
    token_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "token_hash"],
                condition=~models.Q(token_hash=""),
                name="answer_once_per_token",
            )
        ]

    def __str__(self):
        return self.text[:60]


class Poll(models.Model):
    """A quick poll: single or multiple choice, or a 1-5 or 0-10 scale."""

    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE_5 = "scale5", _("Scale from 1 to 5")
        SCALE_10 = "scale10", _("Scale from 0 to 10")

    activity = models.OneToOneField(LiveActivity, on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(_("question"), max_length=PROMPT_MAX_LENGTH)
    type = models.CharField(_("type"), max_length=8, choices=Type, default=Type.SINGLE)
    options = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self):
        return self.question

    @property
    def is_scale(self):
        return self.type in {self.Type.SCALE_5, self.Type.SCALE_10}

    @property
    def scale(self):
        return range(1, 6) if self.type == self.Type.SCALE_5 else range(0, 11)

    def choices(self):
        """(value, label) of every answer one can give."""
        if self.is_scale:
            return [(value, str(value)) for value in self.scale]
        return list(enumerate(self.options))


class Vote(models.Model):
    """One person's vote in a poll: the chosen values; changeable while the poll is open."""

    activity = models.ForeignKey(LiveActivity, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list)
    updated_at = models.DateTimeField(_("voted"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=models.Q(user__isnull=False),
                name="vote_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["activity", "guest"],
                condition=models.Q(guest__isnull=False),
                name="vote_once_per_guest",
            ),
        ]

    def __str__(self):
        return f"{self.activity_id}: {self.choices}"


class Pairing(models.Model):
    """A cross-country pairing: the icebreaker prompt and how many times people re-paired."""

    activity = models.OneToOneField(LiveActivity, on_delete=models.CASCADE, related_name="pairing")
    icebreaker = models.ForeignKey(
        "meetings.Icebreaker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("icebreaker"),
    )
    round = models.PositiveIntegerField(_("round"), default=0)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")

    def __str__(self):
        return self.activity.title


class PairGroup(models.Model):
    """A pair or trio of one pairing round."""

    activity = models.ForeignKey(LiveActivity, on_delete=models.CASCADE, related_name="pair_groups")
    round = models.PositiveIntegerField(_("round"))
    number = models.PositiveIntegerField(_("number"))
    members = models.ManyToManyField(Presence, related_name="pair_groups")

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "round", "number"], name="pair_group_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.round}.{self.number}"
