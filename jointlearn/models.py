"""The core of every project: people, projects, partner organisations, roles, guests."""

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]
# Letters and digits that cannot be mistaken for one another when read off a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
DISPLAY_NAME_MAX_LENGTH = 60
# How an erased account, or a purged guest, is shown beside what they wrote.
FORMER_PARTICIPANT = _("former participant")
DEFAULT_GUEST_RETENTION_DAYS = 90


def shown_name(name):
    """A stored author name for display: an erased or purged author's is empty."""
    return name or str(FORMER_PARTICIPANT)


def hash_token(token):
    """Tokens are stored hashed, so a leaked database does not open anyone's invitation."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account; signs in with the email address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("How other people in your projects see you."),
    )
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        blank=True,
        help_text=_("Times are shown in this zone. Leave empty to use your browser's zone."),
    )
    # Set when the person had their account erased (jointlearn/erasure.py): the row stays
    # so that what they wrote in shared outputs keeps its place, with no name or address.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        if self.erased_at:
            return str(FORMER_PARTICIPANT)
        return self.display_name or self.email

    @property
    def is_erased(self):
        return self.erased_at is not None

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return str(self)


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        FINISHED = "finished", _("Finished")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short address"),
        max_length=60,
        unique=True,
        help_text=_("Used in the project's web address: letters, digits and hyphens."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(20_000)],
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    languages = models.JSONField(
        _("working languages"),
        default=list,
        blank=True,
        help_text=_("The languages the partners work in."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Brussels"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    guest_retention_days = models.PositiveSmallIntegerField(
        _("keep guest data for (days)"),
        default=DEFAULT_GUEST_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_(
            "A guest's name and record are deleted this many days after they were last "
            "active. What they wrote stays, shown as by a former participant."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("project_home", kwargs={"project_slug": self.slug})

    def get_languages_display(self):
        names = dict(settings.LANGUAGES)
        return [names[code] for code in self.languages if code in names]


def organisation_logo_path(organisation, filename):
    return f"projects/{organisation.project_id}/organisations/{filename}"


class Organisation(models.Model):
    """A partner organisation of one project; its country is the partner's country."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("For example TSL or ABF.")
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=organisation_logo_path, blank=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="organisation_name_unique")
        ]

    def __str__(self):
        return self.short_name or self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    FACILITATOR = "facilitator", _("Facilitator")
    PARTICIPANT = "participant", _("Participant")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.PARTICIPANT)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["project", "user__display_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="one_membership_per_project")
        ]
        indexes = [models.Index(fields=["project", "role"])]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.project})"

    @property
    def is_coordinator(self):
        return self.role == Role.COORDINATOR


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("project")
    )
    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.PARTICIPANT)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.project}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def state(self):
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self):
        return self.State(self.state).label


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class JoinCode(models.Model):
    """A short code (and QR code) that lets people without an account into a project's lobby."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="join_codes", verbose_name=_("project")
    )
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_join_code)
    label = models.CharField(
        _("what it is for"),
        max_length=120,
        help_text=_("For example: Seminar in Tampere, day 1."),
    )
    is_open = models.BooleanField(_("open"), default=True)
    expires_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join code")
        verbose_name_plural = _("join codes")

    def __str__(self):
        return self.code

    @property
    def is_usable(self):
        return self.is_open and (self.expires_at is None or self.expires_at > timezone.now())

    def get_join_url(self):
        return reverse("join_code", kwargs={"code": self.code})


class Guest(models.Model):
    """Someone who joined with a code and a display name only; sees only what the code opens."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="guests", verbose_name=_("project")
    )
    join_code = models.ForeignKey(
        JoinCode,
        on_delete=models.SET_NULL,
        null=True,
        related_name="guests",
        verbose_name=_("join code"),
    )
    # Every code this guest has entered: a live activity's code opens that activity, a
    # project code (one without an activity) opens all of the project's live activities.
    admitted_with = models.ManyToManyField(
        JoinCode, related_name="admitted_guests", blank=True, verbose_name=_("admitted with")
    )
    display_name = models.CharField(_("display name"), max_length=DISPLAY_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        indexes = [models.Index(fields=["project", "last_seen_at"])]

    def __str__(self):
        return self.display_name

    def seen(self):
        """Mark the guest active now (at most once an hour: the retention counts days)."""
        now = timezone.now()
        if self.last_seen_at is None or now - self.last_seen_at > timedelta(hours=1):
            Guest.objects.filter(pk=self.pk).update(last_seen_at=now)
            self.last_seen_at = now


# The live protocol: every live activity (word wall, pitch rating, café, reflection round)
# is a LiveActivity with a version that its service functions bump on each change.


class LiveActivity(models.Model):
    """A live activity of a project: its kind, state, version, join code and timer."""

    class Kind(models.TextChoices):
        WORD_WALL = "wordwall", _("Check-in word wall")
        PITCH = "pitch", _("Pitch rating")
        CAFE = "cafe", _("Learning café")
        REFLECTION = "reflection", _("Reflection round")
        POLL = "poll", _("Quick poll")
        PAIRING = "pairing", _("Cross-country pairing")

    class State(models.TextChoices):
        # Prepared for an agenda slot, not started: participants neither see nor join it.
        PREPARED = "prepared", _("Prepared")
        OPEN = "open", _("Open")
        LOCKED = "locked", _("Locked")
        ENDED = "ended", _("Ended")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="live_activities",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.OPEN)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    join_code = models.OneToOneField(
        JoinCode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_activity",
        verbose_name=_("join code"),
    )
    # What each kind needs to know (the word wall's question, words per person).
    config = models.JSONField(_("settings"), default=dict, blank=True)
    # The timer: when the running phase ends, or how much was left when it was paused.
    phase_ends_at = models.DateTimeField(_("phase ends at"), null=True, blank=True)
    phase_remaining_ms = models.PositiveIntegerField(_("time left when paused"), null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "-created_at"])]
        verbose_name = _("live activity")
        verbose_name_plural = _("live activities")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "live_activity", kwargs={"project_slug": self.project.slug, "activity_id": self.pk}
        )

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def is_prepared(self):
        return self.state == self.State.PREPARED

    @property
    def takes_people(self):
        """Whether its join code admits anyone: not before it starts, not after it ends."""
        return self.state in {self.State.OPEN, self.State.LOCKED}


class LiveOp(models.Model):
    """An applied client operation: its id is unique per activity and sender, so a resent
    operation is recognised and acknowledged again instead of being applied twice."""

    activity = models.ForeignKey(LiveActivity, on_delete=models.CASCADE, related_name="ops")
    sender = models.CharField(max_length=24)
    op_id = models.CharField(max_length=64)
    op = models.CharField(max_length=40)
    version = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sender", "op_id"], name="live_op_once_per_sender"
            )
        ]

    def __str__(self):
        return f"{self.op} {self.op_id} → v{self.version}"


class WordWallEntry(models.Model):
    """One word or short phrase posted on a check-in word wall."""

    activity = models.ForeignKey(
        LiveActivity, on_delete=models.CASCADE, related_name="words", verbose_name=_("word wall")
    )
    text = models.CharField(_("word"), max_length=40)
    # The form words are counted by: case-folded, single spaces.
    key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.SET_NULL, null=True, blank=True)
    author_name = models.CharField(_("posted by"), max_length=DISPLAY_NAME_MAX_LENGTH)
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["activity", "key"])]
        verbose_name = _("word")
        verbose_name_plural = _("words")

    def __str__(self):
        return self.text


# Consent to research: the text people agree to (versioned, translated) and every decision.

DEFAULT_CONSENT_TEXT = _(
    "The project's researchers study how partners learn from one another. With your consent, "
    "your answers to surveys, your peer evaluations and your attendance at meetings may be "
    "used for this research. They are exported under a pseudonym: your name and email "
    "address are removed, also where someone else mentions you. Saying no changes nothing "
    "in how you take part. You can change your decision at any time on your profile page."
)


class ConsentText(models.Model):
    """One version of a project's consent text for research; a new version asks again."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="consent_texts", verbose_name=_("project")
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("consent text"), validators=[MaxLengthValidator(5000)])
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # {"fi": "…", "sv": "…"}: the same text in other languages.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["project", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "version"], name="one_consent_text_per_version"
            )
        ]

    def __str__(self):
        return f"{self.project} v{self.version}"

    def text_in(self, language):
        return self.translations.get(language) or self.body


class ConsentDecision(models.Model):
    """A person's yes or no to research use in one project; the latest one counts."""

    class Context(models.TextChoices):
        JOINING = "joining", _("When joining the project")
        REGISTRATION = "registration", _("When registering for a meeting")
        PROFILE = "profile", _("On the profile page")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="consent_decisions",
        verbose_name=_("project"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consent_decisions",
        verbose_name=_("person"),
    )
    given = models.BooleanField(_("consent given"))
    version = models.PositiveIntegerField(_("version of the text"))
    # The text exactly as the person read it, in their language.
    text = models.TextField(_("text shown"))
    language = models.CharField(_("language"), max_length=8)
    context = models.CharField(_("asked"), max_length=16, choices=Context)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("consent decision")
        verbose_name_plural = _("consent decisions")
        indexes = [models.Index(fields=["project", "user", "-decided_at"])]

    def __str__(self):
        return f"{self.user} → {self.project}: {'yes' if self.given else 'no'}"


def new_share_token():
    return secrets.token_urlsafe(24)


class Share(models.Model):
    """An output published to the participants: a live activity's results or a meeting's
    pack. Members see it on the meeting and activity pages; anyone with the link (its
    token) opens it until it is revoked. What a share shows is jointlearn/outputs.py's
    SHARED audience: no hidden entries and no names."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="shares", verbose_name=_("project")
    )
    activity = models.ForeignKey(
        LiveActivity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("activity"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("meeting"),
    )
    # Unguessable (192 random bits) and shown to members to pass on: stored as it is.
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shared output")
        verbose_name_plural = _("shared outputs")
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False, meeting__isnull=True)
                | Q(activity__isnull=True, meeting__isnull=False),
                name="share_of_one_output",
            ),
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(revoked_at__isnull=True, activity__isnull=False),
                name="one_live_share_per_activity",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(revoked_at__isnull=True, meeting__isnull=False),
                name="one_live_share_per_meeting",
            ),
        ]
        indexes = [models.Index(fields=["project", "revoked_at"])]

    def __str__(self):
        return f"{self.activity or self.meeting} ({'revoked' if self.revoked_at else 'shared'})"

    def get_absolute_url(self):
        return reverse("shared_output", args=[self.token])

    @property
    def is_live(self):
        return self.revoked_at is None

    @property
    def title(self):
        return self.activity.title if self.activity_id else self.meeting.title
