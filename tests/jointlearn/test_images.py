import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from jointlearn.images import ImageRejected, clean_image


def upload(data, name="picture.jpg"):
    return SimpleUploadedFile(name, data)


def encode(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def test_jpeg_loses_exif_and_gps():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (60.0, 10.0, 0.0)}
    data = encode(Image.new("RGB", (32, 16), "red"), "JPEG", exif=exif)
    assert Image.open(io.BytesIO(data)).getexif()
    cleaned = clean_image(upload(data))
    result = Image.open(cleaned)
    assert result.format == "JPEG"
    assert not result.getexif()
    assert "exif" not in result.info
    assert cleaned.name.endswith(".jpg")
    assert "picture" not in cleaned.name


def test_png_loses_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address")
    data = encode(Image.new("RGBA", (8, 8), (0, 0, 0, 0)), "PNG", pnginfo=info)
    result = Image.open(clean_image(upload(data, "a.png")))
    assert "Comment" not in result.info
    assert result.mode == "RGBA"


def test_trailing_payload_is_dropped():
    data = encode(Image.new("RGB", (8, 8)), "PNG") + b"<?php system($_GET['x']); ?>"
    cleaned = clean_image(upload(data, "a.png")).read()
    assert b"<?php" not in cleaned


def test_orientation_is_applied_before_metadata_goes():
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(Image.new("RGB", (40, 20)), "JPEG", exif=exif)
    assert Image.open(clean_image(upload(data))).size == (20, 40)


def test_webp_is_accepted():
    data = encode(Image.new("RGB", (8, 8)), "WEBP")
    assert clean_image(upload(data, "x.webp")).name.endswith(".webp")


@pytest.mark.parametrize(
    "data",
    [
        b"just some text, named like a picture",
        encode(Image.new("RGB", (8, 8)), "GIF"),
        encode(Image.new("RGB", (64, 64)), "JPEG")[:200],
    ],
    ids=["text", "gif", "truncated-jpeg"],
)
def test_what_is_not_a_supported_picture_is_refused(data):
    with pytest.raises(ImageRejected, match="This file is not a picture we can read"):
        clean_image(upload(data, "fake.png"))


def test_too_many_bytes_is_refused_before_reading():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    big = Unreadable("big.jpg", b"x")
    big.size = 11 * 1024 * 1024
    with pytest.raises(ImageRejected, match=r"This picture is 11.0 MB; the limit is 10 MB."):
        clean_image(big)


@pytest.mark.parametrize("side", [7000, 20000], ids=["above-our-limit", "image-bomb"])
def test_too_many_pixels_is_refused(side):
    data = encode(Image.new("1", (side, side)), "PNG")
    assert len(data) < 10 * 1024 * 1024
    with pytest.raises(ImageRejected, match="more than 40 megapixels"):
        clean_image(upload(data, "bomb.png"))


def test_max_side_downscales():
    data = encode(Image.new("RGB", (1600, 400)), "PNG")
    assert Image.open(clean_image(upload(data, "a.png"), max_side=800)).size == (800, 200)
