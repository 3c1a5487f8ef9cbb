"""A portfolio item's uploaded image: what is accepted (PNG, JPEG or WebP by their bytes, never by a
name; at most 5 MB and 40 million pixels, checked from the header before any pixel is decoded) and what
is kept: the picture re-encoded as WebP (orientation applied, EXIF, GPS, XMP and colour profiles left
behind), at most 2048 pixels a side, and a thumbnail of at most 480.

Decoding is in memory (Pillow, imported when an image comes), no I/O; its cost is bounded by the caps.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from microcareer.errors import InvalidInput

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_SIDE = 2048
THUMBNAIL_SIDE = 480
ALT_MAX = 300
CONTENT_TYPE = "image/webp"
FIELD = "file"

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What a page needs to show an item's image: its size, its words, and a version for the URL."""

    item_id: int
    width: int
    height: int
    alt: str
    version: str
    """The first characters of the picture's SHA-256: a replaced image gets a new URL and ETag."""

    @property
    def path(self) -> str:
        """Where this site serves it: a stable path, with the version so a replaced one is refetched."""
        return f"/media/portfolio/{self.item_id}/image.webp?v={self.version}"

    @property
    def thumbnail_path(self) -> str:
        return f"/media/portfolio/{self.item_id}/thumbnail.webp?v={self.version}"


@dataclass(frozen=True, slots=True)
class ImageFile:
    info: ImageInfo
    data: bytes
    content_type: str = CONTENT_TYPE


@dataclass(frozen=True, slots=True)
class NormalisedImage:
    """An upload as it is kept: WebP picture and thumbnail, with their sizes."""

    data: bytes
    width: int
    height: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int


def _refused(message: str) -> InvalidInput:
    return InvalidInput(f"{FIELD}: {message}", field=FIELD)


def image_format(data: bytes) -> str:
    """``PNG``, ``JPEG`` or ``WEBP``, told by the file's first bytes; anything else is refused."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise _refused("SVG is not accepted (it can carry scripts): upload a PNG, JPEG or WebP")
    if data.startswith((b"GIF87a", b"GIF89a")):
        raise _refused("GIF is not accepted: upload a PNG, JPEG or WebP")
    raise _refused("not a PNG, JPEG or WebP image (told by its content, not its name)")


def check_alt(text: str) -> str:
    alt = " ".join(text.split())
    if len(alt) > ALT_MAX:
        raise InvalidInput(f"alt: at most {ALT_MAX} characters, not {len(alt)}", field="alt")
    return alt


def _webp(picture: Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()


def normalise(data: bytes) -> NormalisedImage:
    """The upload checked, decoded within its caps and re-encoded; 422 naming ``file`` when it is not
    an image this site takes."""
    if not data:
        raise _refused("empty: choose an image file")
    if len(data) > MAX_IMAGE_BYTES:
        raise _refused(f"{len(data):,} bytes, over the limit of {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    kind = image_format(data)
    from PIL import Image, ImageOps, UnidentifiedImageError  # imported when an image comes

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as opened:
                width, height = opened.size  # from the header: nothing decoded yet
                if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                    raise _refused(
                        f"{width} x {height} pixels, over the limit of {MAX_IMAGE_PIXELS:,} pixels"
                    )
                opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
                upright = ImageOps.exif_transpose(opened)
                mode = "RGBA" if upright.has_transparency_data else "RGB"
                pixels = upright.convert(mode)
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _refused(f"not a readable {kind} image ({error})") from None
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # truncated or corrupt data
        raise _refused(f"a damaged {kind} image ({error})") from None
    # a fresh image from the pixels alone: no EXIF, GPS, XMP, comments or colour profile comes along
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    small = clean.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return NormalisedImage(
        data=_webp(clean),
        width=clean.width,
        height=clean.height,
        thumbnail=_webp(small),
        thumbnail_width=small.width,
        thumbnail_height=small.height,
    )
