"""Baked badges: a credential carried inside its PNG or SVG image (Open Badges 3.0 section 5.3).

- PNG: an ``iTXt`` chunk with keyword ``openbadgecredential`` (Open Badges 3.0; the credential JSON
  or its compact JWT) before ``IEND``. Open Badges 2.0 used the keyword ``openbadges``.
- SVG: an ``<openbadges:credential>`` element in namespace ``https://purl.imsglobal.org/ob/v3p0``,
  the JSON in CDATA or the JWT in its ``verify`` attribute. Open Badges 2.0 used
  ``<openbadges:assertion>`` in ``http://openbadges.org``.

Reading is defensive: sizes are bounded, every PNG chunk's CRC is checked, compressed text is
inflated only up to the payload limit. SVG is parsed by defusedxml with nothing ever loaded: the
ordinary external DOCTYPE that SVG editors write (``<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
"...svg11.dtd">``) is accepted and never fetched, while an internal subset (``<!DOCTYPE svg [...]>``),
any entity declaration and any external entity are refused, and elements nest at most
:data:`MAX_SVG_DEPTH` deep.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser

from microcareer.domain.credentials.vc_jwt import looks_like_jwt
from microcareer.errors import InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PAYLOAD_BYTES = 1024 * 1024
MAX_SVG_DEPTH = 100
"""The deepest nesting of SVG elements accepted (editors' badges use a few dozen levels at most)."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD_V3 = b"openbadgecredential"
PNG_KEYWORD_V2 = b"openbadges"
SVG_NS = "http://www.w3.org/2000/svg"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
OB2_NS = "http://openbadges.org"
_OB3_CREDENTIAL = f"{{{OB3_NS}}}credential"
_OB2_ASSERTION = f"{{{OB2_NS}}}assertion"
# A start tag: its name, then attributes whose quoted values may hold ">".
_START_TAG = re.compile(r"""<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(?:[^>"']|"[^"]*"|'[^']*')*>""")
# What may come before the root element: the XML declaration, comments, processing instructions and
# an external DOCTYPE (one with an internal subset is refused by the parser before this is used).
_PROLOG = re.compile(
    r"""\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE(?:[^>"'\[]|"[^"]*"|'[^']*')*>\s*)*""", re.DOTALL
)


@dataclass(frozen=True, slots=True)
class Baked:
    """The credential found in an image."""

    format: Literal["png", "svg"]
    version: Literal["3.0", "2.0"]
    payload: str


def _check_payload(payload: str) -> bytes:
    if not isinstance(payload, str) or not payload.strip():
        raise InvalidInput("payload: empty (expected the credential JSON or its JWT)", field="payload")
    encoded = payload.encode("utf-8")
    if len(encoded) > MAX_PAYLOAD_BYTES:
        raise InvalidInput(f"payload: larger than {MAX_PAYLOAD_BYTES} bytes", field="payload")
    return encoded


def _check_image(data: bytes | str) -> None:
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > MAX_IMAGE_BYTES:
        raise InvalidInput(f"image: larger than {MAX_IMAGE_BYTES} bytes", field="image")


# PNG ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Chunk:
    kind: bytes
    data: bytes
    raw: bytes  # length + type + data + CRC, as read


def _chunks(image: bytes) -> Iterator[_Chunk]:
    """Every chunk up to and including ``IEND``, CRCs checked."""
    if not image.startswith(PNG_SIGNATURE):
        raise InvalidInput("image: not a PNG (bad signature)", field="image")
    position = len(PNG_SIGNATURE)
    while True:
        if position + 8 > len(image):
            raise InvalidInput("image: truncated PNG (no IEND chunk)", field="image")
        length, kind = struct.unpack(">I4s", image[position : position + 8])
        end = position + 12 + length
        if end > len(image):
            raise InvalidInput(f"image: truncated PNG (chunk {kind!r} runs past the end)", field="image")
        data = image[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", image[end - 4 : end])
        if zlib.crc32(kind + data) != crc:
            raise InvalidInput(f"image: PNG chunk {kind!r} at byte {position} has a bad CRC", field="image")
        yield _Chunk(kind, data, image[position:end])
        if kind == b"IEND":
            return
        position = end


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _text_keyword(chunk: _Chunk) -> bytes | None:
    if chunk.kind not in (b"iTXt", b"tEXt", b"zTXt"):
        return None
    return chunk.data.split(b"\0", 1)[0]


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(data, MAX_PAYLOAD_BYTES + 1)
    except zlib.error:
        raise InvalidInput("image: a compressed PNG text chunk is corrupt", field="image") from None
    if len(text) > MAX_PAYLOAD_BYTES:
        raise InvalidInput(
            f"image: the baked credential is larger than {MAX_PAYLOAD_BYTES} bytes", field="image"
        )
    if not inflater.eof:
        raise InvalidInput("image: a compressed PNG text chunk is truncated", field="image")
    return text


def _text_value(chunk: _Chunk) -> bytes:
    """The text of an ``iTXt`` (possibly compressed), ``tEXt`` or ``zTXt`` chunk."""
    _, _, rest = chunk.data.partition(b"\0")
    if chunk.kind == b"tEXt":
        return rest
    if chunk.kind == b"zTXt":
        if rest[:1] != b"\0":
            raise InvalidInput("image: unknown compression method in a zTXt chunk", field="image")
        return _inflate(rest[1:])
    if len(rest) < 2:
        raise InvalidInput("image: malformed iTXt chunk", field="image")
    compressed, method = rest[0], rest[1]
    parts = rest[2:].split(b"\0", 2)  # language tag, translated keyword, text
    if len(parts) != 3:
        raise InvalidInput("image: malformed iTXt chunk", field="image")
    text = parts[2]
    if compressed:
        if method != 0:
            raise InvalidInput("image: unknown compression method in an iTXt chunk", field="image")
        return _inflate(text)
    return text


def bake_png(image: bytes, payload: str) -> bytes:
    """``image`` with ``payload`` in an ``openbadgecredential`` iTXt chunk, replacing any earlier
    baked credential (Open Badges 3.0 or 2.0)."""
    _check_image(image)
    encoded = _check_payload(payload)
    kept = [c for c in _chunks(image) if _text_keyword(c) not in (PNG_KEYWORD_V3, PNG_KEYWORD_V2)]
    itxt = _chunk(b"iTXt", PNG_KEYWORD_V3 + b"\0\0\0\0\0" + encoded)
    body = b"".join(c.raw for c in kept[:-1])
    return PNG_SIGNATURE + body + itxt + kept[-1].raw


def _unbake_png(image: bytes) -> Baked:
    found: dict[bytes, list[_Chunk]] = {PNG_KEYWORD_V3: [], PNG_KEYWORD_V2: []}
    for chunk in _chunks(image):
        keyword = _text_keyword(chunk)
        if keyword in found:
            found[keyword].append(chunk)
    for keyword, version in ((PNG_KEYWORD_V3, "3.0"), (PNG_KEYWORD_V2, "2.0")):
        chunks = found[keyword]
        if len(chunks) > 1:
            raise InvalidInput(f"image: {len(chunks)} {keyword.decode()} chunks (at most one)", field="image")
        if chunks:
            text = _text_value(chunks[0])
            if len(text) > MAX_PAYLOAD_BYTES:
                raise InvalidInput(
                    f"image: the baked credential is larger than {MAX_PAYLOAD_BYTES} bytes", field="image"
                )
            try:
                payload = text.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput("image: the baked credential is not UTF-8 text", field="image") from None
            return Baked("png", "3.0" if version == "3.0" else "2.0", payload)
    raise InvalidInput("image: no baked credential in this PNG", field="image")


# SVG ------------------------------------------------------------------------------------------


class _SvgRefused(Exception):
    """The SVG carries something never accepted; the message says what."""


class _BoundedTreeBuilder(TreeBuilder):
    """Builds the element tree, refusing nesting deeper than :data:`MAX_SVG_DEPTH`."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def start(self, tag: Any, attrs: Any, /) -> Element:
        self._depth += 1
        if self._depth > MAX_SVG_DEPTH:
            raise _SvgRefused(f"elements nested deeper than {MAX_SVG_DEPTH} levels")
        return super().start(tag, attrs)

    def end(self, tag: Any, /) -> Element:
        self._depth -= 1
        return super().end(tag)


def _refuse_internal_subset(
    name: str, sysid: str | None, pubid: str | None, has_internal_subset: int
) -> None:
    """A DOCTYPE naming an external DTD is fine (it is never loaded); one with its own declarations
    (``[...]``) is where entity expansion and external entities live, so it is refused."""
    if has_internal_subset:
        raise _SvgRefused("a DOCTYPE with an internal subset ([...] declarations)")


def _parse_svg(svg: str) -> Element:
    parser = DefusedXMLParser(
        target=_BoundedTreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    parser.parser.StartDoctypeDeclHandler = _refuse_internal_subset
    try:
        parser.feed(svg)
        root: Element = parser.close()
    except _SvgRefused as refused:
        raise InvalidInput(f"image: SVG with {refused} is refused", field="image") from None
    except defusedxml.DefusedXmlException:
        raise InvalidInput(
            "image: SVG with entity declarations or external entities is refused", field="image"
        ) from None
    except ParseError as error:
        raise InvalidInput(f"image: not well-formed SVG ({error})", field="image") from None
    except RecursionError:
        raise InvalidInput("image: SVG nested too deeply", field="image") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise InvalidInput(f"image: the root element is {root.tag!r}, not an SVG <svg>", field="image")
    return root


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _remove_credentials(svg: str) -> str:
    """``svg`` without its Open Badges 3.0 credential elements, under any prefix bound to the namespace."""
    prefixes = set(re.findall(r"""xmlns:([\w.-]+)\s*=\s*["']https://purl\.imsglobal\.org/ob/v3p0["']""", svg))
    for prefix in prefixes:
        name = re.escape(f"{prefix}:credential")
        element = re.compile(
            rf"""<{name}(?:[^>"']|"[^"]*"|'[^']*')*?/>|<{name}\b(?:[^>"']|"[^"]*"|'[^']*')*>.*?</{name}\s*>""",
            re.DOTALL,
        )
        svg = element.sub("", svg)
    return svg


def bake_svg(svg: str, payload: str) -> str:
    """``svg`` with ``payload`` in an ``<openbadges:credential>`` element (a JWT in ``verify``, JSON in
    CDATA), replacing any earlier Open Badges 3.0 credential; the rest of the text is unchanged."""
    _check_image(svg)
    _check_payload(payload)
    _parse_svg(svg)
    svg = _remove_credentials(svg)
    if _parse_svg(svg).find(f".//{_OB3_CREDENTIAL}") is not None:
        raise InvalidInput("image: the SVG's existing credential could not be replaced", field="image")
    start = _PROLOG.match(svg)
    tag = _START_TAG.match(svg, start.end() if start else 0)
    if tag is None:
        raise InvalidInput("image: cannot find the SVG root element", field="image")
    if tag.group(0).endswith("/>"):
        raise InvalidInput("image: the SVG root element is empty", field="image")
    payload = payload.strip()
    element = f'<openbadges:credential xmlns:openbadges="{OB3_NS}"'
    if looks_like_jwt(payload):
        element += f' verify="{payload}"/>'
    else:
        element += f">{_cdata(payload)}</openbadges:credential>"
    baked = svg[: tag.end()] + element + svg[tag.end() :]
    if _unbake_svg(baked).payload != payload:  # a last check that a reader finds what was baked
        raise InvalidInput("image: could not bake the credential into this SVG", field="image")
    return baked


def _unbake_svg(svg: str) -> Baked:
    root = _parse_svg(svg)
    for tag, version in ((_OB3_CREDENTIAL, "3.0"), (_OB2_ASSERTION, "2.0")):
        elements = list(root.iter(tag))
        if len(elements) > 1:
            raise InvalidInput(
                f"image: {len(elements)} baked credentials in the SVG (at most one)", field="image"
            )
        if elements:
            text = (elements[0].text or "").strip()
            payload = text or (elements[0].get("verify") or "").strip()
            if not payload:
                raise InvalidInput("image: the SVG's baked credential element is empty", field="image")
            if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
                raise InvalidInput(
                    f"image: the baked credential is larger than {MAX_PAYLOAD_BYTES} bytes", field="image"
                )
            return Baked("svg", "3.0" if version == "3.0" else "2.0", payload)
    raise InvalidInput("image: no baked credential in this SVG", field="image")


def unbake(data: bytes) -> Baked:
    """The credential baked into a PNG or SVG image; ``InvalidInput`` when there is none."""
    _check_image(data)
    if data.startswith(PNG_SIGNATURE):
        return _unbake_png(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("image: neither a PNG nor a UTF-8 SVG", field="image") from None
    if "<svg" not in text and ":svg" not in text:
        raise InvalidInput("image: neither a PNG nor an SVG", field="image")
    return _unbake_svg(text)
