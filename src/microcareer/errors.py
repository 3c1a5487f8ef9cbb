"""Every error microcareer raises on purpose, with a stable code and the HTTP status it maps to.

::

    MicrocareerError                500 internal (never raised directly)
    ├── InvalidInput                422 invalid_input       a parameter or field is not acceptable
    │   ├── DataFileError           422 data_file_error     a data file is malformed: names file, line, column
    │   │   └── UnreadableDocument  422 unreadable_document a document gives no text: names the file
    │   └── FileTooLarge            413 file_too_large      an upload is over its cap in bytes or rows: names
    │                                                       the field
    ├── NotAuthenticated            401 not_authenticated   no valid credentials were given
    ├── PermissionDenied            403 permission_denied   the actor may not do this
    ├── NotFound                    404 not_found           no such skill, occupation, user, ...
    ├── Conflict                    409 conflict            the change clashes with what is stored
    ├── TooManyAttempts             429 too_many_attempts   sign-in is locked for a while (``retry_after``)
    ├── TooManyAtOnce               429 too_many_at_once    a client has its share of costly requests
    ├── NotReady                    503 not_ready           the database is not set up (`microcareer init`)
    └── Busy                        503 busy                every worker for this is taken: try again soon
                                                            (``retry_after`` when the server knows how long)

The API renders each as RFC 9457 problem details (``api/problems.py``) and the CLI as one line and
exit code 1 (``cli/output.py``); both read ``code``, ``status`` and ``title`` from here.
"""

from __future__ import annotations

from typing import Any, ClassVar


class MicrocareerError(Exception):
    """Root of the tree: an error that is safe and useful to show to a user."""

    code: ClassVar[str] = "internal"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def __str__(self) -> str:
        return self.detail


class InvalidInput(MicrocareerError):
    code = "invalid_input"
    status = 422
    title = "Invalid input"


class DataFileError(InvalidInput):
    """A data file is malformed; ``detail`` names the file, line and column."""

    code = "data_file_error"
    title = "Malformed data file"

    def __init__(self, file: str, line: int | None, column: str | None, problem: str) -> None:
        where = file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}", file=file, line=line, column=column)
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem


class UnreadableDocument(DataFileError):
    """A document cannot be turned into text: unsupported, damaged, encrypted, empty or too large.

    Kept apart from ``DataFileError`` so a corpus run can report it per document and go on, while a
    malformed data file still stops an import.
    """

    code = "unreadable_document"
    title = "Unreadable document"


class FileTooLarge(InvalidInput):
    """An uploaded file holds more bytes or rows than one request may take; ``field`` names it."""

    code = "file_too_large"
    status = 413
    title = "File too large"


class NotAuthenticated(MicrocareerError):
    code = "not_authenticated"
    status = 401
    title = "Not authenticated"


class PermissionDenied(MicrocareerError):
    code = "permission_denied"
    status = 403
    title = "Permission denied"


class NotFound(MicrocareerError):
    code = "not_found"
    status = 404
    title = "Not found"


class Conflict(MicrocareerError):
    code = "conflict"
    status = 409
    title = "Conflict"


class TooManyAttempts(MicrocareerError):
    """Too many failed sign-ins for an account or from an address: wait ``retry_after`` seconds."""

    code = "too_many_attempts"
    status = 429
    title = "Too many attempts"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after


class TooManyAtOnce(MicrocareerError):
    """One client (an address, a user) already has its share of a costly kind of request running and
    waiting (verifications, uploads): wait ``retry_after`` seconds."""

    code = "too_many_at_once"
    status = 429
    title = "Too many at once"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after


class NotReady(MicrocareerError):
    code = "not_ready"
    status = 503
    title = "Not ready"


class Busy(MicrocareerError):
    """Every worker that could do this (reading a document, verifying) stayed busy past the wait: try
    again (after ``retry_after`` seconds when given)."""

    code = "busy"
    status = 503
    title = "Busy"

    def __init__(self, detail: str, *, retry_after: int | None = None) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after
