"""The one place that checks uploaded pictures and re-encodes them without metadata."""

import io
import secrets
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageRejected(ValueError):
    """The upload is not a picture we accept; the message says why, for the person."""


def not_a_picture():
    return ImageRejected(
        _("This file is not a picture we can read. Upload a JPEG, PNG or WebP image.")
    )


def too_many_pixels(limit):
    return ImageRejected(
        _(
            "This picture has more than %(limit)d megapixels, the most we accept. "
            "Make it smaller and upload it again."
        )
        % {"limit": limit // 1_000_000}
    )


def clean_image(upload, *, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_side=None):
    """Check `upload` and return a fresh copy: same format, no EXIF/GPS/text, a random name.

    The type is read from the content, never the name; the pixel count is read from the
    header before anything is decoded, so an image bomb costs nothing.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ImageRejected(
            _("This picture is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
        except Image.DecompressionBombError as error:
            raise too_many_pixels(max_pixels) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise not_a_picture() from error
        except Image.DecompressionBombWarning as error:
            raise too_many_pixels(max_pixels) from error
        image_format = image.format
        if image_format not in EXTENSIONS:
            raise not_a_picture()
        if image.width * image.height > max_pixels:
            raise too_many_pixels(max_pixels)
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
            raise not_a_picture() from error
    return ContentFile(
        reencode(image, image_format, max_side=max_side),
        name=f"{secrets.token_hex(8)}.{EXTENSIONS[image_format]}",
    )


def reencode(image, image_format, *, max_side=None):
    """Pixels only: a new file holds none of the original's metadata or trailing bytes."""
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
            image = image.convert("RGBA")
        image.save(output, "PNG", optimize=True)
    else:
        if image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(output, "WEBP", quality=85)
    return output.getvalue()
