"""The project pack: the report a coordinator downloads, built off the request and kept
until the project's data changes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jointlearn.models import Project
from jointlearn.uploads import private_storage

# A build that has not finished after this long died with its process: a new one may start.
STALE_AFTER = timedelta(minutes=15)


def pack_path(instance, filename):
    return f"reports/{instance.project_id}/{filename}"


class ProjectPack(models.Model):
    """One build of the project pack. `fingerprint` says from which state of the project's
    data (and in which language) it was built: while the project's current fingerprint is the
    same, the ready pack is served again instead of being built anew."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="packs", verbose_name=_("project")
    )
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    language = models.CharField(_("language"), max_length=16)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.BUILDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to=pack_path, storage=private_storage, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    build_ms = models.PositiveIntegerField(_("build time in milliseconds"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("project pack")
        verbose_name_plural = _("project packs")
        indexes = [models.Index(fields=["project", "language", "-requested_at"])]

    def __str__(self):
        return self.file_name or f"{self.project} ({self.get_status_display()})"

    @property
    def is_ready(self):
        return self.status == self.Status.READY

    @property
    def is_building(self):
        """Being built, and not so long ago that its process must have died."""
        return (
            self.status == self.Status.BUILDING and timezone.now() - self.requested_at < STALE_AFTER
        )

    @property
    def has_failed(self):
        return self.status == self.Status.FAILED or (
            self.status == self.Status.BUILDING and not self.is_building
        )
