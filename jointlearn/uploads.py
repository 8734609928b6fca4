"""The one place that checks uploaded documents, stores them privately and serves them.

Pictures go through `jointlearn.images.clean_image`; every other file (practice
attachments, preparatory material, assignment submissions) comes through `clean_attachment`,
which reads the type from the content, never from the name, and keeps to a short list of
document types. Attachments live outside MEDIA_ROOT, so the web server never serves them;
views that have checked membership hand them out with `attachment_response`.
"""

import os
import secrets
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .images import ImageRejected, clean_image

OOXML_TYPES = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OPENDOCUMENT_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv", "md": "text/markdown"}
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class AttachmentRejected(ValueError):
    """The upload is not a file we accept; the message says why, for the person."""


@deconstructible(path="jointlearn.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from the settings at use so tests can move it."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them with a view.")


private_storage = PrivateStorage()


def not_accepted():
    return AttachmentRejected(
        _(
            "We cannot take this type of file. Upload a PDF, an office document "
            "(Word, Excel, PowerPoint, OpenDocument), a text or CSV file, or a picture."
        )
    )


def sniff(head, upload):
    """(extension, content type) read from the file's bytes, or None if not accepted."""
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return sniff_zip(upload)
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            return None
    return "txt", TEXT_TYPES["txt"]


def sniff_zip(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                kind = OPENDOCUMENT_TYPES.get(archive.read("mimetype").strip())
                if kind:
                    return kind, f"application/vnd.oasis.opendocument.{kind_name(kind)}"
            if "[Content_Types].xml" in names:
                for prefix, found in OOXML_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return found
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def kind_name(extension):
    return {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}[extension]


def clean_attachment(upload, *, max_bytes=None):
    """Check `upload` and return (file to store, original name, content type).

    Pictures are re-encoded without metadata; text files keep a .txt/.csv/.md name only if
    their content is text. Raises AttachmentRejected with a sentence for the person.
    """
    max_bytes = max_bytes or settings.ATTACHMENT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise AttachmentRejected(
            _("This file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    if size == 0:
        raise AttachmentRejected(_("This file is empty."))
    original_name = get_valid_filename(Path(getattr(upload, "name", "") or "file").name)[:150]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n" or head[8:12] == b"WEBP":
        try:
            picture = clean_image(upload, max_bytes=max_bytes)
        except ImageRejected as error:
            raise AttachmentRejected(str(error)) from error
        extension = picture.name.rsplit(".", 1)[1]
        return picture, rename(original_name, extension), IMAGE_TYPES[extension]
    found = sniff(head, upload)
    if found is None:
        raise not_accepted()
    extension, content_type = found
    if extension == "txt":
        suffix = Path(original_name).suffix.lower().lstrip(".")
        if suffix in TEXT_TYPES:
            extension, content_type = suffix, TEXT_TYPES[suffix]
    upload.seek(0)
    stored = ContentFile(upload.read(), name=f"{secrets.token_hex(8)}.{extension}")
    return stored, rename(original_name, extension), content_type


def rename(original_name, extension):
    """The person's file name with the extension that matches what the file really is."""
    stem = Path(original_name).stem or "file"
    return f"{stem}.{extension}"


def attachment_response(field_file, *, filename, content_type):
    """Serve a stored attachment as a download, never rendered inline by the browser."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
