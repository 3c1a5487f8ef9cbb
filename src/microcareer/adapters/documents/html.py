"""HTML to readable text: the words a visitor sees, one block per line, list items marked ``- ``.

Invisible content is dropped because its words would be found as skills: ``function`` and ``display``
from scripts and styles, and the language names of a site's language picker (a ``select``). The tree
is walked with an explicit stack because pages scraped from the web can nest deeper than Python's
recursion limit.

A parsed page costs about 35 times its size in memory and Beautiful Soup has no streaming mode, so a
file over ``max_html_bytes`` is refused before parsing; the walk stops at the character and time
limits.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from bs4 import BeautifulSoup, CData, Tag
from bs4.dammit import EncodingDetector
from bs4.element import NavigableString, PageElement
from bs4.exceptions import ParserRejectedMarkup

from microcareer.adapters.documents.limits import (
    Deadline,
    DocumentLimits,
    check_text_length,
    default_limits,
    over_limit,
)
from microcareer.adapters.documents.plain import normalise_newlines
from microcareer.errors import UnreadableDocument

_INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select", "datalist"}
)
# Blocks set apart by a blank line (unless inside a list item, where they would split the item).
_SPACED = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "hr"}
    | {"section", "article", "header", "footer", "main", "nav", "aside", "figure", "form", "fieldset"}
)
# Blocks that only end a line.
_BLOCK = _SPACED | frozenset(
    {"div", "li", "dt", "dd", "tr", "td", "th", "caption", "thead", "tbody", "tfoot", "address"}
    | {"figcaption", "legend", "details", "summary", "body", "html"}
)
_SPACES = re.compile(r"\s+")

# Bytes that no candidate encoding decodes become U+FFFD, as in a browser; bs4 logs a warning each
# time, which Python's last-resort handler would print mid-run. A level set before this import stays.
_DAMMIT_LOG = logging.getLogger("bs4.dammit")
if _DAMMIT_LOG.level == logging.NOTSET:
    _DAMMIT_LOG.setLevel(logging.ERROR)


class _Lines:
    """Collects text into lines: inline text joins the current line, blocks end it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.open_items = 0  # list items we are inside
        self.open_pre = 0  # <pre> elements we are inside
        self._pieces: list[str] = []
        self._prefix = ""

    def text(self, piece: str) -> None:
        if not self.open_pre:
            self._pieces.append(piece)
            return
        first, *rest = normalise_newlines(piece).split("\n")
        self._pieces.append(first)
        for line in rest:
            self.end_line(keep_empty=True)
            self._pieces.append(line)

    def end_line(self, *, keep_empty: bool = False) -> None:
        line = _SPACES.sub(" ", "".join(self._pieces)).strip()
        self._pieces.clear()
        if line:
            self.lines.append(self._prefix + line)
            self._prefix = ""
        elif keep_empty:
            self.lines.append("")

    def blank_line(self) -> None:
        self.end_line()
        if not self.open_items:
            self.lines.append("")

    def start_item(self) -> None:
        self.end_line()
        self.open_items += 1
        self._prefix = "- "

    def end_item(self) -> None:
        self.end_line()
        self.open_items -= 1
        self._prefix = ""  # an empty item must not mark the line after it

    def joined(self) -> str:
        self.end_line()
        kept: list[str] = []
        for line in self.lines:
            if line or (kept and kept[-1]):
                kept.append(line)
        return "\n".join(kept).strip("\n")


def decode_html(data: bytes) -> str:
    """The page's text by rules that do not depend on which guessing library is installed.

    A byte order mark, then a ``<meta charset>`` (or XML) declaration, then UTF-8, then windows-1252
    (what a browser falls back to); bytes that none of these decodes become U+FFFD as UTF-8. Beautiful
    Soup would ask charset_normalizer before UTF-8, whose guess changes between its releases (3.5
    reads ``Caf\\xe9 \\x81`` as Arabic).
    """
    body, bom_encoding = EncodingDetector.strip_byte_order_mark(data)
    declared = EncodingDetector.find_declared_encoding(body, is_html=True)
    for encoding in (bom_encoding, declared, "utf-8", "windows-1252"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


_CLOCK_EVERY = 1024  # nodes between two looks at the clock


def html_to_text(data: bytes, source: str, limits: DocumentLimits | None = None) -> str:
    """The visible text, the bytes decoded as ``decode_html`` says."""
    limits = limits or default_limits()
    if len(data) > limits.max_html_bytes:
        raise over_limit(
            source,
            f"the HTML file is {len(data):,} bytes, over the {limits.max_html_bytes / 2**20:g} MiB "
            "limit for an HTML document",
        )
    deadline = Deadline(limits.max_seconds, source)
    try:
        soup = BeautifulSoup(decode_html(data), "html.parser")
    except ParserRejectedMarkup as exc:
        # html.parser accepts almost any tag soup; it gives up only on a garbled ``<![`` declaration.
        reason = str(exc).strip().splitlines()[-1].strip()
        raise UnreadableDocument(source, None, None, f"the HTML cannot be parsed ({reason})") from None
    out = _Lines()
    deadline.check()
    stack: list[tuple[PageElement, bool]] = [(soup, False)]
    seen = chars = 0
    while stack:
        node, leaving = stack.pop()
        seen += 1
        if seen % _CLOCK_EVERY == 0:
            deadline.check()
        if isinstance(node, Tag):
            if leaving:
                _close(node.name, out)
            elif node.name not in _INVISIBLE and not node.has_attr("hidden"):
                _open(node.name, out)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) is NavigableString or isinstance(node, CData):
            # Comments, doctypes and processing instructions are subclasses of NavigableString: skipped.
            piece = str(node)
            # Its characters other than spaces all reach the text: past the limit, so is the text.
            chars += sum(map(len, piece.split()))
            check_text_length(chars, source, limits=limits)
            out.text(piece)
    return unicodedata.normalize("NFC", out.joined())


def _open(name: str, out: _Lines) -> None:
    if name == "br":
        out.end_line(keep_empty=True)
    elif name == "li":
        out.start_item()
    elif name in _SPACED:
        out.blank_line()
    elif name in _BLOCK:
        out.end_line()
    if name == "pre":
        out.open_pre += 1


def _close(name: str, out: _Lines) -> None:
    if name == "li":
        out.end_item()
    elif name in _SPACED:
        out.blank_line()
    elif name in _BLOCK:
        out.end_line()
    if name == "pre":
        out.open_pre -= 1
