import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jointlearn.uploads import (
    AttachmentRejected,
    attachment_response,
    clean_attachment,
    private_storage,
)


def office_file(inner_dir, content_types=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{inner_dir}document.xml", "<x/>")
    return buffer.getvalue()


def opendocument(kind):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("report.pdf", b"%PDF-1.7\n...", "pdf", "application/pdf"),
        (
            "slides.pptx",
            office_file("ppt/"),
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "notes.docx",
            office_file("word/"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            office_file("xl/"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("text.odt", opendocument("text"), "odt", "application/vnd.oasis.opendocument.text"),
        ("data.csv", b"Maa;Osuus\nSuomi;53 %\n", "csv", "text/csv"),
        ("readme.md", b"# Hello", "md", "text/markdown"),
        ("context.pdf.txt", b"plain words", "txt", "text/plain"),
    ],
)
def test_accepted_documents_keep_their_type(name, content, extension, content_type):
    stored, filename, found_type = clean_attachment(SimpleUploadedFile(name, content))
    assert stored.name.endswith(f".{extension}")
    assert filename.endswith(f".{extension}")
    assert found_type == content_type


def test_type_comes_from_the_content_not_the_name():
    _stored, filename, content_type = clean_attachment(
        SimpleUploadedFile("virus.pdf", b"just text")
    )
    assert (filename, content_type) == ("virus.txt", "text/plain")


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00 an executable",
        office_file("word/", content_types=False),
        b"PK\x03\x04 broken zip",
        b"\x7fELF\x02\x01\x01\x00",
    ],
)
def test_other_files_are_refused_with_a_sentence(content):
    with pytest.raises(AttachmentRejected, match="We cannot take this type of file"):
        clean_attachment(SimpleUploadedFile("file.docx", content))


def test_oversize_and_empty_files_are_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(AttachmentRejected, match=r"is 2\.0 MB; the limit is 1 MB"):
        clean_attachment(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)))
    with pytest.raises(AttachmentRejected, match="empty"):
        clean_attachment(SimpleUploadedFile("empty.txt", b""))


def test_pictures_are_reencoded_without_metadata():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (20, 10), "red").save(buffer, "JPEG", exif=exif)
    stored, filename, content_type = clean_attachment(
        SimpleUploadedFile("photo.jpeg", buffer.getvalue() + b"PK\x03\x04 trailing payload")
    )
    assert (filename, content_type) == ("photo.jpg", "image/jpeg")
    data = stored.read()
    assert b"trailing payload" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_a_broken_picture_is_refused():
    with pytest.raises(AttachmentRejected, match="not a picture"):
        clean_attachment(SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n broken"))


def test_private_files_are_served_as_downloads(settings, tmp_path):
    stored, filename, content_type = clean_attachment(SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    name = private_storage.save(stored.name, stored)
    assert (tmp_path / "private-media" / name).exists()
    with private_storage.open(name) as handle:
        response = attachment_response(
            type("F", (), {"open": lambda self, mode: private_storage.open(name, mode)})(),
            filename=filename,
            content_type=content_type,
        )
        assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == handle.read()
    with pytest.raises(ValueError):
        private_storage.url(name)
