"""The badge images drawn in code: a PNG that readers accept, an SVG whose text is escaped."""

from __future__ import annotations

import struct
import zlib

from defusedxml.ElementTree import fromstring

from microcareer.domain.credentials.baking import bake_png, bake_svg, unbake
from microcareer.web.badge_images import PNG_SIZE, badge_png, badge_svg, name_lines


def test_the_png_is_a_96_pixel_rgba_image_with_every_row_present() -> None:
    image = badge_png()
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, depth, colour = struct.unpack(">IIBB", image[16:26])
    assert (width, height, depth, colour) == (PNG_SIZE, PNG_SIZE, 8, 6)
    length = struct.unpack(">I", image[33:37])[0]
    assert image[37:41] == b"IDAT"
    rows = zlib.decompress(image[41 : 41 + length])
    assert len(rows) == PNG_SIZE * (1 + 4 * PNG_SIZE)
    assert rows[1:5] == b"\0\0\0\0"  # the corner is transparent
    assert unbake(bake_png(image, '{"id": "urn:x"}')).payload == '{"id": "urn:x"}'


def test_the_svg_escapes_the_name_and_takes_a_baked_credential() -> None:
    svg = badge_svg('<script>alert("x")</script> & more')
    assert "<script" not in svg
    root = fromstring(svg)
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>" in texts  # read back as text, not markup
    baked = bake_svg(svg, '{"name": "]]> <script>"}')
    assert unbake(baked.encode()).payload == '{"name": "]]> <script>"}'


def test_a_long_name_is_cut_to_four_lines() -> None:
    lines = name_lines("Advanced statistical modelling for public health surveillance and beyond it")
    assert len(lines) == 4
    assert lines[-1].endswith("…")
    assert all(len(line) <= 16 for line in lines)
    assert name_lines("   ") == ["Badge"]
