"""Plain text and Markdown: decode the bytes, keep the characters as they are.

Markdown is kept raw rather than rendered so that offsets point into the file the user wrote.
"""

from __future__ import annotations

import codecs

from microcareer.errors import UnreadableDocument

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line ends become ``\\n``, so a line means the same whatever wrote the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252 when that decodes, else an error at the bad byte.

    Windows-1252 is the fallback because CVs typed in older Windows editors are the common non-UTF-8
    case; it decodes almost any bytes, so binary data is caught by its NUL bytes instead. A UTF-16 BOM
    (Notepad's "Unicode") is honoured because without it such a file would be refused as binary.
    """
    if data.startswith(_UTF16_BOMS):
        return _checked(_decode_utf16(data, source), source)
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data[bom:].decode("cp1252")
        except UnicodeDecodeError:
            offset = bom + utf8_error.start  # an offset into the file, as a hex editor shows it
            raise UnreadableDocument(
                source,
                data.count(b"\n", 0, offset) + 1,
                None,
                f"not UTF-8 text (byte 0x{data[offset]:02x} at byte offset {offset} is invalid) "
                "and not Windows-1252 text either",
            ) from None
    return _checked(text, source)


def _decode_utf16(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(
            source, None, None, f"starts as UTF-16 text but byte offset {exc.start} is invalid UTF-16"
        ) from None


def _checked(text: str, source: str) -> str:
    # Text files hold no NUL; one means a binary file under a text name, whose "text" would be noise.
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UnreadableDocument(source, line, None, "holds NUL bytes: a binary file, not text")
    return normalise_newlines(text)
