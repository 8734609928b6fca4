"""The learning café's data: its settings, tables (themes), participants, seats, notes, dot
votes and the hosts' table summaries. Everything hangs off one LiveActivity of kind café."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

NOTE_MAX_LENGTH = 280
SUMMARY_MAX_LENGTH = 5000
THEME_MAX_LENGTH = 120
QUESTION_MAX_LENGTH = 300
ANNOUNCEMENT_MAX_LENGTH = 200


class Cafe(models.Model):
    """A learning café: the live activity's settings and where the rotation has got to."""

    class Mode(models.TextChoices):
        ROOM = "room", _("In the room")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Phase(models.TextChoices):
        # Checking people in; nobody is seated yet.
        WAITING = "waiting", _("Waiting to start")
        # People talk at their tables; the timer runs.
        TALKING = "talking", _("Round under way")
        # The round is over; people move to their next table.
        MOVING = "moving", _("Moving to the next table")
        FINISHED = "finished", _("Finished")

    activity = models.OneToOneField(
        "jointlearn.LiveActivity",
        on_delete=models.CASCADE,
        related_name="cafe",
        verbose_name=_("live activity"),
    )
    mode = models.CharField(_("mode"), max_length=8, choices=Mode, default=Mode.ROOM)
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), default=3, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    round_minutes = models.PositiveSmallIntegerField(
        _("minutes per round"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    table_capacity = models.PositiveSmallIntegerField(
        _("people per table"), default=8, validators=[MinValueValidator(2), MaxValueValidator(30)]
    )
    votes_per_round = models.PositiveSmallIntegerField(
        _("dot votes per person and round"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase, default=Phase.WAITING)
    # 0-based index of the round under way (or just ended while people move).
    current_round = models.PositiveSmallIntegerField(_("round"), default=0)
    # The rotation plan as rotation.Plan keeps it: {"rounds": n, "seats": {participant id:
    # [table id or None per round]}}; ids are strings here because JSON keys are.
    plan = models.JSONField(_("rotation plan"), default=dict, blank=True)
    announcement = models.CharField(
        _("announcement"), max_length=ANNOUNCEMENT_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("learning café")
        verbose_name_plural = _("learning cafés")

    def __str__(self):
        return str(self.activity)

    @property
    def is_running(self):
        return self.phase in {self.Phase.TALKING, self.Phase.MOVING}


class CafeTable(models.Model):
    """A table of the café: one theme with its question, an optional host who stays, and a
    video-call link for people who join a hybrid café from afar."""

    cafe = models.ForeignKey(
        Cafe, on_delete=models.CASCADE, related_name="tables", verbose_name=_("café")
    )
    number = models.PositiveSmallIntegerField(_("table number"))
    theme = models.CharField(_("theme"), max_length=THEME_MAX_LENGTH)
    question = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )
    video_url = models.URLField(_("video-call link"), blank=True)
    # A table taken away during the café keeps its notes for the harvest.
    removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        ordering = ["cafe", "number"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["cafe", "number"], name="cafe_table_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.theme}"


class CafeParticipant(models.Model):
    """Someone checked in to the café: a member of the project or a guest with the code."""

    cafe = models.ForeignKey(
        Cafe, on_delete=models.CASCADE, related_name="participants", verbose_name=_("café")
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
        "jointlearn.Guest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guest"),
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), auto_now_add=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["cafe", "name", "pk"]
        verbose_name = _("café participant")
        verbose_name_plural = _("café participants")
        constraints = [
            models.UniqueConstraint(
                fields=["cafe", "user"], condition=Q(user__isnull=False), name="cafe_member_once"
            ),
            models.UniqueConstraint(
                fields=["cafe", "guest"], condition=Q(guest__isnull=False), name="cafe_guest_once"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(guest__isnull=True),
                name="cafe_participant_member_or_guest",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_present(self):
        return self.left_at is None


class Note(models.Model):
    """A sticky note written at a table in one round."""

    cafe = models.ForeignKey(
        Cafe, on_delete=models.CASCADE, related_name="notes", verbose_name=_("café")
    )
    table = models.ForeignKey(
        CafeTable, on_delete=models.CASCADE, related_name="notes", verbose_name=_("table")
    )
    round_index = models.PositiveSmallIntegerField(_("round"))
    author = models.ForeignKey(
        CafeParticipant,
        on_delete=models.SET_NULL,
        null=True,
        related_name="notes",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("written by"), max_length=100)
    author_country = CountryField(_("country"), blank=True)
    text = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH)
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cafe_notes",
        verbose_name=_("practice"),
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["cafe", "table", "round_index"])]

    def __str__(self):
        return self.text[:60]


class Vote(models.Model):
    """One dot vote of a participant on a note; each person has a few per round."""

    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="dot_votes", verbose_name=_("note")
    )
    voter = models.ForeignKey(
        CafeParticipant, on_delete=models.CASCADE, related_name="votes", verbose_name=_("voter")
    )
    round_index = models.PositiveSmallIntegerField(_("round"))
    created_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        verbose_name = _("dot vote")
        verbose_name_plural = _("dot votes")
        constraints = [
            models.UniqueConstraint(fields=["note", "voter"], name="cafe_vote_once_per_note")
        ]
        indexes = [models.Index(fields=["voter", "round_index"])]

    def __str__(self):
        return f"{self.voter} → {self.note}"


class TableSummary(models.Model):
    """One version of the host's summary of a table; the newest is the summary."""

    table = models.ForeignKey(
        CafeTable, on_delete=models.CASCADE, related_name="summaries", verbose_name=_("table")
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH)
    written_by = models.CharField(_("written by"), max_length=100)
    # The member who saved this version (hosts and facilitators are members): the research
    # export includes a summary only when everyone who wrote a version of it agreed.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["table", "-version"]
        verbose_name = _("table summary")
        verbose_name_plural = _("table summaries")
        constraints = [
            models.UniqueConstraint(fields=["table", "version"], name="cafe_summary_version_once")
        ]

    def __str__(self):
        return f"{self.table} v{self.version}"
