"""Baked badges: PNG iTXt chunks and SVG elements, written and read, and hostile images refused."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from microcareer.domain.credentials.baking import (
    MAX_IMAGE_BYTES,
    MAX_PAYLOAD_BYTES,
    MAX_SVG_DEPTH,
    PNG_SIGNATURE,
    Baked,
    bake_png,
    bake_svg,
    unbake,
)
from microcareer.errors import InvalidInput

CREDENTIAL = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1"})
JWT = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl"
SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a badge <svg> -->\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" data-note="a>b">'
    '<rect width="10" height="10"/></svg>\n'
)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(*extra: bytes) -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return PNG_SIGNATURE + header + b"".join(extra) + pixels + _chunk(b"IEND", b"")


def _itxt(keyword: bytes, text: bytes, *, compressed: bool = False) -> bytes:
    body = zlib.compress(text) if compressed else text
    return _chunk(b"iTXt", keyword + b"\0" + bytes([int(compressed), 0]) + b"\0\0" + body)


# PNG


def test_png_round_trip_keeps_the_image_chunks() -> None:
    image = _png()
    baked = bake_png(image, CREDENTIAL)
    assert unbake(baked) == Baked("png", "3.0", CREDENTIAL)
    assert baked.startswith(image[:-12])
    assert baked.endswith(image[-12:])
    assert b"iTXtopenbadgecredential\x00\x00\x00\x00\x00" in baked


def test_png_baking_again_replaces_the_credential() -> None:
    once = bake_png(_png(), CREDENTIAL)
    twice = bake_png(once, JWT)
    assert unbake(twice) == Baked("png", "3.0", JWT)
    assert twice.count(b"openbadgecredential") == 1


def test_png_baking_removes_an_open_badges_2_assertion() -> None:
    baked = bake_png(_png(_itxt(b"openbadges", b"https://example.org/assertion.json")), CREDENTIAL)
    assert b"openbadges\x00" not in baked
    assert unbake(baked).version == "3.0"


def test_png_open_badges_2_is_read_from_itxt_and_text() -> None:
    url = b"https://example.org/assertion.json"
    assert unbake(_png(_itxt(b"openbadges", url))) == Baked("png", "2.0", url.decode())
    assert unbake(_png(_chunk(b"tEXt", b"openbadges\0" + url))) == Baked("png", "2.0", url.decode())


def test_png_compressed_itxt_is_read() -> None:
    image = _png(_itxt(b"openbadgecredential", CREDENTIAL.encode(), compressed=True))
    assert unbake(image) == Baked("png", "3.0", CREDENTIAL)


def test_png_compression_bomb_is_refused() -> None:
    bomb = _itxt(b"openbadgecredential", b"{" + b" " * (MAX_PAYLOAD_BYTES + 10) + b"}", compressed=True)
    assert len(bomb) < 20_000
    with pytest.raises(InvalidInput, match="larger than"):
        unbake(_png(bomb))


def test_png_bad_crc_is_refused() -> None:
    baked = bytearray(bake_png(_png(), CREDENTIAL))
    baked[baked.index(b"openbadgecredential") + 30] ^= 0x01  # flip a bit inside the credential text
    with pytest.raises(InvalidInput, match="bad CRC"):
        unbake(bytes(baked))


@pytest.mark.parametrize("cut", [1, 12, 40])
def test_truncated_png_is_refused(cut: int) -> None:
    baked = bake_png(_png(), CREDENTIAL)
    with pytest.raises(InvalidInput, match="truncated PNG"):
        unbake(baked[:-cut])


def test_png_without_credential_says_so() -> None:
    with pytest.raises(InvalidInput, match="no baked credential"):
        unbake(_png())


def test_png_with_two_credentials_is_refused() -> None:
    chunk = _itxt(b"openbadgecredential", CREDENTIAL.encode())
    with pytest.raises(InvalidInput, match="2 openbadgecredential chunks"):
        unbake(_png(chunk, chunk))


def test_bake_png_refuses_other_images_and_empty_or_huge_payloads() -> None:
    with pytest.raises(InvalidInput, match="not a PNG"):
        bake_png(b"GIF89a....", CREDENTIAL)
    with pytest.raises(InvalidInput, match="empty"):
        bake_png(_png(), "  ")
    with pytest.raises(InvalidInput, match="larger than"):
        bake_png(_png(), "x" * (MAX_PAYLOAD_BYTES + 1))
    with pytest.raises(InvalidInput, match="larger than"):
        bake_png(_png() + b"\0" * MAX_IMAGE_BYTES, CREDENTIAL)


def test_unbake_refuses_what_is_neither_png_nor_svg() -> None:
    with pytest.raises(InvalidInput, match="neither a PNG nor"):
        unbake(b"\xff\xd8\xff\xe0 a JPEG")
    with pytest.raises(InvalidInput, match="neither a PNG nor an SVG"):
        unbake(b"plain text")


# SVG


def test_svg_round_trip_of_json_uses_cdata_and_keeps_the_rest() -> None:
    baked = bake_svg(SVG, CREDENTIAL)
    assert unbake(baked.encode()) == Baked("svg", "3.0", CREDENTIAL)
    assert "<![CDATA[" in baked
    assert (
        baked.replace(baked[baked.index("<openbadges:") : baked.index("</openbadges:credential>") + 24], "")
        == SVG
    )


def test_svg_round_trip_of_a_jwt_uses_the_verify_attribute() -> None:
    baked = bake_svg(SVG, JWT)
    assert f'verify="{JWT}"' in baked
    assert unbake(baked.encode()) == Baked("svg", "3.0", JWT)


def test_svg_cdata_end_marker_in_the_payload_survives() -> None:
    payload = json.dumps({"name": "a ]]> b"})
    assert unbake(bake_svg(SVG, payload).encode()).payload == payload


def test_svg_baking_again_replaces_the_credential() -> None:
    twice = bake_svg(bake_svg(SVG, CREDENTIAL), JWT)
    assert twice.count("openbadges:credential") == 1
    assert unbake(twice.encode()) == Baked("svg", "3.0", JWT)


def test_svg_existing_credential_under_a_root_declared_prefix_is_replaced() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0">'
        f"<ob:credential><![CDATA[{CREDENTIAL}]]></ob:credential><rect/></svg>"
    )
    assert unbake(svg.encode()) == Baked("svg", "3.0", CREDENTIAL)
    baked = bake_svg(svg, JWT)
    assert "ob:credential" not in baked
    assert unbake(baked.encode()).payload == JWT


def test_svg_open_badges_2_assertion_is_read() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        '<openbadges:assertion verify="https://example.org/assertion.json"/></svg>'
    )
    assert unbake(svg.encode()) == Baked("svg", "2.0", "https://example.org/assertion.json")


def test_svg_without_credential_says_so() -> None:
    with pytest.raises(InvalidInput, match="no baked credential"):
        unbake(SVG.encode())


EDITOR_DOCTYPE = (
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
)
"""What Inkscape, Illustrator and 1EdTech's own example badges write before ``<svg>``."""


def test_svg_with_the_standard_external_doctype_bakes_and_reads_back() -> None:
    svg = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f"{EDITOR_DOCTYPE}\n"
        "<!-- Created with an SVG editor -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
        'width="200" height="200"><g id="layer1"><circle cx="100" cy="100" r="90"/></g></svg>\n'
    )
    baked = bake_svg(svg, CREDENTIAL)
    assert baked.startswith(svg.split("<svg", 1)[0])  # the prolog, DOCTYPE included, is kept as written
    assert unbake(baked.encode()) == Baked("svg", "3.0", CREDENTIAL)
    assert unbake(bake_svg(svg, JWT).encode()) == Baked("svg", "3.0", JWT)


def test_the_external_dtd_is_never_loaded_so_its_entities_are_undefined() -> None:
    # &nbsp; would come from the DTD if it were read; it is not, so the reference is an error.
    svg = f'{EDITOR_DOCTYPE}<svg xmlns="http://www.w3.org/2000/svg"><text>a&nbsp;b</text></svg>'
    with pytest.raises(InvalidInput, match="undefined entity"):
        unbake(svg.encode())


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        # entity expansion ("billion laughs")
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg">&c;</svg>',
            "internal subset",
        ),
        # external entity (XXE)
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
            "internal subset",
        ),
        # an external DOCTYPE with an internal subset added to it
        (
            EDITOR_DOCTYPE[:-1] + ' [<!ENTITY logo SYSTEM "http://attacker.example/x">]>'
            '<svg xmlns="http://www.w3.org/2000/svg">&logo;</svg>',
            "internal subset",
        ),
        # an internal subset without entities (attribute defaults) is refused too
        (
            '<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]><svg xmlns="http://www.w3.org/2000/svg"/>',
            "internal subset",
        ),
        # nesting deeper than MAX_SVG_DEPTH
        (
            '<svg xmlns="http://www.w3.org/2000/svg">'
            + "<g>" * MAX_SVG_DEPTH
            + "</g>" * MAX_SVG_DEPTH
            + "</svg>",
            f"nested deeper than {MAX_SVG_DEPTH}",
        ),
    ],
)
def test_hostile_svg_is_refused(hostile: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        unbake(hostile.encode())
    with pytest.raises(InvalidInput, match=reason):
        bake_svg(hostile, CREDENTIAL)


def test_nesting_up_to_the_bound_is_accepted() -> None:
    inner = "<g>" * (MAX_SVG_DEPTH - 1) + "</g>" * (MAX_SVG_DEPTH - 1)
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{inner}</svg>'
    assert unbake(bake_svg(svg, JWT).encode()).payload == JWT


def test_an_oversized_svg_is_refused_before_parsing() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg">' + " " * MAX_IMAGE_BYTES + "</svg>"
    with pytest.raises(InvalidInput, match="larger than"):
        unbake(svg.encode())


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "not well-formed"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>', "not an SVG"),
        ("<svg><rect/></svg>", "not an SVG"),  # no SVG namespace
    ],
)
def test_malformed_svg_is_refused(svg: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        bake_svg(svg, CREDENTIAL)


def test_svg_with_two_credentials_is_refused() -> None:
    element = f'<c:credential xmlns:c="https://purl.imsglobal.org/ob/v3p0" verify="{JWT}"/>'
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{element}{element}</svg>'
    with pytest.raises(InvalidInput, match="2 baked credentials"):
        unbake(svg.encode())
