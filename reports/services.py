"""Building the project pack off the request.

`request_pack` is what a coordinator's click calls: it serves the pack already built from
the same data, joins a build under way, or records a new build and starts it in a thread
once the transaction has committed. `build_pack` does the work and reports its progress on
the row, which the progress page reads.
"""

import logging
import threading
import time

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation

from . import pack as pack_files
from .models import ProjectPack

logger = logging.getLogger(__name__)


def latest_pack(project, language):
    return ProjectPack.objects.filter(project=project, language=language).first()


def current_pack(project, language, fingerprint):
    """The ready pack built from exactly this state of the data, if there is one."""
    return ProjectPack.objects.filter(
        project=project,
        language=language,
        fingerprint=fingerprint,
        status=ProjectPack.Status.READY,
    ).first()


def request_pack(*, project, requested_by, language):
    """(pack, started): the ready pack of the current data, the build under way, or a new
    build, started in a background thread after the commit."""
    fingerprint = pack_files.fingerprint(project, language)
    with transaction.atomic():
        ready = current_pack(project, language, fingerprint)
        if ready is not None:
            return ready, False
        building = (
            ProjectPack.objects.select_for_update()
            .filter(project=project, language=language, status=ProjectPack.Status.BUILDING)
            .first()
        )
        if building is not None and building.is_building:
            return building, False
        pack = ProjectPack.objects.create(
            project=project,
            language=language,
            fingerprint=fingerprint,
            requested_by=requested_by,
        )
        transaction.on_commit(lambda: start_build(pack.pk))
    return pack, True


def start_build(pack_id):
    threading.Thread(
        target=build_in_thread, args=(pack_id,), name=f"project-pack-{pack_id}", daemon=True
    ).start()


def build_in_thread(pack_id):
    try:
        build_pack(pack_id=pack_id)
    finally:
        # The thread's own database connection.
        connection.close()


def build_pack(*, pack_id):
    """Build the pack recorded as `pack_id`, reporting progress on its row; the older packs
    of the project in that language are removed once it is ready."""
    pack = ProjectPack.objects.select_related("project").get(pk=pack_id)
    started = time.perf_counter()

    def report(percent):
        ProjectPack.objects.filter(pk=pack_id).update(progress=percent)

    try:
        with translation.override(pack.language):
            name, content = pack_files.build(pack.project, progress=report)
    except Exception:
        logger.exception("The project pack %s could not be built", pack_id)
        ProjectPack.objects.filter(pk=pack_id).update(
            status=ProjectPack.Status.FAILED, finished_at=timezone.now()
        )
        return None
    with transaction.atomic():
        pack.file.save(name, ContentFile(content), save=False)
        pack.file_name = name
        pack.size = len(content)
        pack.build_ms = round((time.perf_counter() - started) * 1000)
        pack.status = ProjectPack.Status.READY
        pack.progress = 100
        pack.finished_at = timezone.now()
        pack.save()
        older = list(
            ProjectPack.objects.filter(project=pack.project, language=pack.language)
            .exclude(pk=pack.pk)
            .exclude(status=ProjectPack.Status.BUILDING)
        )
        for old in older:
            if old.file:
                transaction.on_commit(lambda name=old.file.name: delete_file(name))
            old.delete()
    return pack


def delete_file(name):
    ProjectPack.file.field.storage.delete(name)
