"""Badge images drawn in code, for baking a credential into: an SVG with the achievement's name, and
a plain 96x96 PNG disc (no image library: the PNG is written with ``zlib`` and ``struct``)."""

from __future__ import annotations

import struct
import textwrap
import zlib
from functools import lru_cache
from xml.sax.saxutils import escape

PNG_SIZE = 96
LINE_CHARS = 16
MAX_LINES = 4
ACCENT = (0x1F, 0x5F, 0xBF)
RING = (0xD9, 0xA4, 0x00)


def name_lines(name: str) -> list[str]:
    """The name cut into at most four short lines, the last ending in "…" when it had to be cut."""
    lines = textwrap.wrap(" ".join(name.split()), LINE_CHARS, break_long_words=True) or ["Badge"]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: LINE_CHARS - 1].rstrip() + "…"
    return lines


def badge_svg(name: str) -> str:
    """A round badge with the name written across it; every piece of text is XML-escaped."""
    lines = name_lines(name)
    first = 100 - (len(lines) - 1) * 11
    texts = "".join(
        f'<text x="100" y="{first + 22 * i}" text-anchor="middle" font-family="sans-serif" '
        f'font-size="18" fill="#ffffff">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">'
        f"<title>{escape(name)}</title>"
        '<circle cx="100" cy="100" r="94" fill="#d9a400"/>'
        '<circle cx="100" cy="100" r="84" fill="#1f5fbf"/>'
        f"{texts}</svg>"
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _pixel(x: int, y: int) -> bytes:
    centre = (PNG_SIZE - 1) / 2
    distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
    if distance > PNG_SIZE / 2 - 1:
        return b"\0\0\0\0"  # transparent outside the disc
    colour = RING if distance > PNG_SIZE / 2 - 6 else ACCENT
    return bytes(colour) + b"\xff"


@lru_cache(maxsize=1)
def badge_png() -> bytes:
    """A 96x96 RGBA PNG: a blue disc with a gold ring, transparent around it."""
    header = struct.pack(">IIBBBBB", PNG_SIZE, PNG_SIZE, 8, 6, 0, 0, 0)
    rows = b"".join(
        b"\0" + b"".join(_pixel(x, y) for x in range(PNG_SIZE)) for y in range(PNG_SIZE)
    )  # each scanline starts with filter type 0 (none)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )
