"""Meetings of a project: seminars and online sessions, their agenda, registrations and feeds."""

import secrets
import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from jointlearn.models import TIME_ZONE_CHOICES, Membership, Organisation, Project
from jointlearn.uploads import private_storage

# How long before the first session the online link appears to registered people.
ONLINE_LINK_LEAD = timedelta(minutes=30)


def new_secret():
    return secrets.token_urlsafe(24)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("Face-to-face")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.FACE_TO_FACE)
    host = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host organisation"),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Brussels"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(20_000)]
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    # Stable across edits so calendars update the event instead of adding another.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # iCalendar SEQUENCE: goes up with every change people's calendars must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    check_in_token = models.CharField(max_length=64, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["project", "status", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="meeting_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "meeting_detail", kwargs={"project_slug": self.project.slug, "meeting_id": self.pk}
        )

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def has_venue(self):
        return self.kind in {self.Kind.FACE_TO_FACE, self.Kind.HYBRID}

    @property
    def is_online(self):
        return self.kind in {self.Kind.ONLINE, self.Kind.HYBRID}

    @property
    def is_over(self):
        """The last day has passed in the meeting's own zone."""
        return timezone.localtime(timezone.now(), self.zone).date() > self.ends_on

    def local(self, day, time):
        """The aware moment of `time` on `day` in the meeting's zone."""
        return datetime.combine(day, time, tzinfo=self.zone)

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.registration_closes

    @property
    def registration_closes(self):
        """When registration closes: the coordinator's time, or else when the meeting ends."""
        return self.registration_closes_at or self.local(
            self.ends_on + timedelta(days=1), datetime.min.time()
        )


class AgendaDay(models.Model):
    """One day of a meeting, with the times its programme starts and should end."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="days", verbose_name=_("meeting")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("programme starts"))
    ends_at = models.TimeField(_("programme ends"))
    title = models.CharField(_("theme of the day"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "date"]
        verbose_name = _("agenda day")
        verbose_name_plural = _("agenda days")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "date"], name="one_agenda_day_per_date"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="agenda_day_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.meeting} {self.date.isoformat()}"

    @property
    def start(self):
        return self.meeting.local(self.date, self.starts_at)

    @property
    def end(self):
        return self.meeting.local(self.date, self.ends_at)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", _("Lecture")
        STUDY_VISIT = "study_visit", _("Study visit")
        CITY_TOUR = "city_tour", _("City tour")
        MEAL = "meal", _("Meal")
        BREAK = "break", _("Break")
        ICEBREAKER = "icebreaker", _("Icebreaker")
        PITCH_SESSION = "pitch_session", _("Pitch session")
        LEARNING_CAFE = "learning_cafe", _("Learning café")
        REFLECTION_ROUND = "reflection_round", _("Reflection round")
        WORKSHOP = "workshop", _("Workshop")
        ONLINE_SESSION = "online_session", _("Online session")

    day = models.ForeignKey(
        AgendaDay, on_delete=models.CASCADE, related_name="items", verbose_name=_("day")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.LECTURE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(10_000)]
    )
    duration = models.PositiveIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    fixed_start = models.TimeField(
        _("fixed start time"),
        null=True,
        blank=True,
        help_text=_(
            "Only for things that cannot move, such as a bus or a lunch booking. "
            "Other items follow one another."
        ),
    )
    # Worked out by the auto-timing from the order, durations and fixed times.
    starts_at = models.TimeField(_("starts"), editable=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("responsible organisation"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    materials = models.TextField(_("materials"), blank=True, validators=[MaxLengthValidator(5_000)])
    # The live activity prepared for this slot (an icebreaker, a pitch session, a learning
    # café, a reflection round); "Open" starts it when the slot comes.
    live_activity = models.OneToOneField(
        "jointlearn.LiveActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="agenda_item",
        verbose_name=_("live activity"),
    )

    class Meta:
        ordering = ["day", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        indexes = [models.Index(fields=["day", "position"])]

    def __str__(self):
        return self.title

    @property
    def start(self):
        return self.day.meeting.local(self.day.date, self.starts_at)

    @property
    def end(self):
        return self.start + timedelta(minutes=self.duration)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_person")
        ]
        indexes = [models.Index(fields=["meeting", "status", "registered_at"])]

    def __str__(self):
        return f"{self.user} → {self.meeting}"


class CalendarFeed(models.Model):
    """The secret address of a member's calendar feeds; goes away with the membership."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_secret)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.membership}"


def material_path(material, filename):
    return f"projects/{material.meeting.project_id}/meetings/{material.meeting_id}/{filename}"


def submission_path(submission, filename):
    assignment = submission.assignment
    return f"projects/{assignment.meeting.project_id}/assignments/{assignment.pk}/{filename}"


class Material(models.Model):
    """Preparatory material of a meeting: notes, a link, a file, or all three."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="materials", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(20_000)])
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=material_path, storage=private_storage, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title


class Assignment(models.Model):
    """Work to hand in before a meeting, by each person or by each organisation."""

    class Per(models.TextChoices):
        PERSON = "person", _("Each person")
        ORGANISATION = "organisation", _("Each organisation")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(
        _("instructions"), blank=True, validators=[MaxLengthValidator(20_000)]
    )
    due_at = models.DateTimeField(_("due"))
    per = models.CharField(_("handed in by"), max_length=16, choices=Per, default=Per.PERSON)
    # When the automatic reminder before the due date went out, so it goes out only once.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "due_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return self.title


class Submission(models.Model):
    """What a person or an organisation handed in; a late one is kept and marked late."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("assignment"),
    )
    # Exactly one of these says whose submission it is, following the assignment's `per`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(50_000)])
    file = models.FileField(
        _("file"), upload_to=submission_path, storage=private_storage, blank=True
    )
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    submitted_at = models.DateTimeField(_("handed in"))
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        ordering = ["assignment", "submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user"],
                condition=Q(user__isnull=False),
                name="one_submission_per_person",
            ),
            models.UniqueConstraint(
                fields=["assignment", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_submission_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) ^ Q(organisation__isnull=True),
                name="submission_has_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.user or self.organisation}"


class Task(models.Model):
    """Something to do between meetings, for a person or a partner organisation."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("project")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_tasks",
        verbose_name=_("person"),
    )
    assignee_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("organisation"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = [
            models.F("done_at").asc(nulls_first=True),
            models.F("due_on").asc(nulls_last=True),
            "pk",
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["project", "done_at", "due_on"])]

    def __str__(self):
        return self.title


class Icebreaker(models.Model):
    """An icebreaker from the library: shared by every project, or one project's own."""

    class Setting(models.TextChoices):
        ROOM = "room", _("In the room")
        ONLINE = "online", _("Online")
        BOTH = "both", _("In the room or online")

    class LanguageDemand(models.TextChoices):
        LOW = "low", _("Low: works with little shared language")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High: a lot of talking")

    class Purpose(models.TextChoices):
        GET_TO_KNOW = "get_to_know", _("Get to know each other")
        ENERGISE = "energise", _("Energise")
        MIXING = "mixing", _("Cross-country mixing")
        CHECK_IN = "check_in", _("Check-in")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="icebreakers",
        verbose_name=_("project"),
        help_text=_("Empty for the library shared by every project."),
    )
    name = models.CharField(_("name"), max_length=120)
    instructions = models.TextField(_("instructions"), validators=[MaxLengthValidator(10_000)])
    duration = models.PositiveIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    group_min = models.PositiveIntegerField(_("smallest group"), default=2)
    group_max = models.PositiveIntegerField(_("largest group"), null=True, blank=True)
    setting = models.CharField(_("setting"), max_length=8, choices=Setting, default=Setting.BOTH)
    language_demand = models.CharField(
        _("language demand"), max_length=8, choices=LanguageDemand, default=LanguageDemand.LOW
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose, default=Purpose.GET_TO_KNOW
    )
    materials = models.CharField(_("materials"), max_length=300, blank=True)
    tags = TaggableManager(_("tags"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("icebreaker")
        verbose_name_plural = _("icebreakers")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="icebreaker_name_unique_in_project"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(project__isnull=True), name="shared_icebreaker_name"
            ),
        ]

    def __str__(self):
        return self.name
