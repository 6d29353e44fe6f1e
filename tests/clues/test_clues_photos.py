"""Photos: type by content, size and pixel limits, EXIF orientation applied, every metadata
(GPS included) gone, a polyglot's payload dropped, stored under a random name."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from luoshi.clues import photos
from tests.clues.conftest import jpeg_bytes

GPS_IFD = 0x8825


def _exif_with_gps_and_orientation(orientation=6):
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° CW to display
    exif[0x010F] = "AcmeCam"  # Make
    gps = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 30.0)}
    exif[GPS_IFD] = gps
    return exif


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type)


def test_gps_and_all_exif_are_gone_and_orientation_is_applied(settings, tmp_path):
    raw = jpeg_bytes(size=(80, 40), exif=_exif_with_gps_and_orientation())
    before = Image.open(io.BytesIO(raw))
    assert before.getexif().get_ifd(GPS_IFD)  # the upload does carry GPS
    out = photos.reencode(upload(raw))
    data = out.read()
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    assert dict(img.getexif()) == {}
    assert "exif" not in img.info and "icc_profile" not in img.info
    assert b"AcmeCam" not in data and b"Exif" not in data
    assert img.size == (40, 80)  # turned upright before the metadata went


def test_the_stored_name_is_random_and_not_the_upload_name():
    a = photos.reencode(upload(jpeg_bytes(), name="我家门牌.jpg"))
    b = photos.reencode(upload(jpeg_bytes(), name="我家门牌.jpg"))
    assert a.name != b.name
    assert "门牌" not in a.name and a.name.endswith(".jpg")


def test_html_named_jpg_is_refused():
    html = b"<html><script>alert(document.cookie)</script></html>"
    with pytest.raises(ValidationError) as exc:
        photos.reencode(upload(html, name="photo.jpg"))
    assert "无法识别的图片" in exc.value.message_dict["photo"][0]


def test_a_jpeg_html_polyglot_keeps_only_its_pixels():
    polyglot = jpeg_bytes() + b"<script>alert(1)</script><img src=x onerror=alert(2)>"
    data = photos.reencode(upload(polyglot)).read()
    assert b"<script" not in data and b"onerror" not in data
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_png_with_transparency_and_webp_are_accepted():
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 255, 0)).save(out, format="PNG")
    data = photos.reencode(upload(out.getvalue(), name="a.png", content_type="image/png")).read()
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.mode == "RGB"
    assert img.getpixel((5, 5))[0] > 240  # transparent became white
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (0, 128, 0)).save(out, format="WEBP")
    assert photos.reencode(upload(out.getvalue(), name="a.webp")).read()[:3] == b"\xff\xd8\xff"


def test_other_image_types_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="无法识别"):
        photos.reencode(upload(out.getvalue(), name="a.jpg"))
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ValidationError, match="无法识别"):
        photos.reencode(upload(out.getvalue(), name="a.jpg"))


def test_too_many_bytes_is_refused(settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_PHOTO_MAX_BYTES": 1000}
    with pytest.raises(ValidationError, match="不能超过 1 MB"):
        photos.reencode(upload(jpeg_bytes(size=(400, 400)) + b"\0" * 2000))


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    # a small PNG file that declares a huge picture
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG", optimize=True)
    data = out.getvalue()
    assert len(data) < 200_000
    with pytest.raises(ValidationError, match="像素过多"):
        photos.reencode(upload(data, name="bomb.png"))
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_PHOTO_MAX_PIXELS": 10_000}
    with pytest.raises(ValidationError, match="像素过多"):
        photos.reencode(upload(jpeg_bytes(size=(200, 200))))


def test_large_photos_are_scaled_down(settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_PHOTO_MAX_SIDE": 100}
    data = photos.reencode(upload(jpeg_bytes(size=(400, 200)))).read()
    assert Image.open(io.BytesIO(data)).size == (100, 50)


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError, match="无法识别"):
        photos.reencode(upload(jpeg_bytes(size=(300, 300))[:200]))
