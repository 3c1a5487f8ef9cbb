"""What a portfolio image upload may be (PNG, JPEG, WebP by content; 5 MB; 40 million pixels, told from
the header) and what is kept (upright, re-encoded WebP without EXIF or GPS, bounded sizes)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from microcareer.domain.network.portfolio_images import (
    ALT_MAX,
    MAX_IMAGE_BYTES,
    MAX_SIDE,
    THUMBNAIL_SIDE,
    check_alt,
    image_format,
    normalise,
)
from microcareer.errors import InvalidInput

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def encoded(picture: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    picture.save(out, kind, **options)
    return out.getvalue()


def test_a_phone_photo_comes_back_upright_without_its_exif_and_gps() -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was turned: shown rotated 90 degrees clockwise
    exif[MAKE] = "PhoneCam"
    exif.get_ifd(GPS_IFD)[2] = (48.0, 51.0, 24.0)  # latitude
    photo = encoded(Image.new("RGB", (400, 200), "orange"), "JPEG", exif=exif.tobytes())
    assert b"PhoneCam" in photo
    kept = normalise(photo)
    assert (kept.width, kept.height) == (200, 400)
    with Image.open(io.BytesIO(kept.data)) as back:
        assert back.format == "WEBP"
        assert back.size == (200, 400)
        assert not back.getexif()
        assert "exif" not in back.info
        assert "xmp" not in back.info
    assert b"PhoneCam" not in kept.data
    assert b"Exif" not in kept.data


def test_sizes_are_bounded_and_transparency_is_kept() -> None:
    kept = normalise(encoded(Image.new("RGBA", (4000, 1000), (0, 0, 0, 0)), "PNG"))
    assert (kept.width, kept.height) == (MAX_SIDE, 512)
    assert (kept.thumbnail_width, kept.thumbnail_height) == (THUMBNAIL_SIDE, 120)
    with Image.open(io.BytesIO(kept.thumbnail)) as thumb:
        assert thumb.mode == "RGBA"
        assert thumb.size == (THUMBNAIL_SIDE, 120)
    webp = normalise(encoded(Image.new("RGB", (30, 20), "blue"), "WEBP"))
    assert (webp.width, webp.height) == (30, 20)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "SVG"),
        (b"  <svg onload='x'></svg>", "SVG"),
        (encoded(Image.new("RGB", (4, 4)), "GIF"), "GIF"),
        (b"%PDF-1.7 not an image", "not a PNG, JPEG or WebP"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_IMAGE_BYTES), "over the limit of 5 MB"),
        (encoded(Image.new("RGB", (64, 64), "red"), "PNG")[:60], "damaged"),
        # 8000 x 6000 one-bit pixels: a few kB that would decode to 48 million pixels
        (encoded(Image.new("1", (8000, 6000)), "PNG"), "over the limit of 40,000,000 pixels"),
    ],
    ids=["svg", "bare-svg", "gif", "pdf", "empty", "too-large", "truncated", "pixel-bomb"],
)
def test_what_is_refused_is_a_422_naming_the_file(data: bytes, words: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalise(data)
    assert refused.value.extra["field"] == "file"
    assert words in str(refused.value)


def test_the_type_is_told_by_content_and_alt_text_is_bounded() -> None:
    assert image_format(encoded(Image.new("RGB", (2, 2)), "JPEG")) == "JPEG"
    assert image_format(encoded(Image.new("RGB", (2, 2)), "WEBP")) == "WEBP"
    assert check_alt("  a\n mural  ") == "a mural"
    with pytest.raises(InvalidInput) as refused:
        check_alt("x" * (ALT_MAX + 1))
    assert refused.value.extra["field"] == "alt"
