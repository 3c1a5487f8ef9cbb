"""Why a credential proof could not be made or did not verify.

::

    InvalidInput (microcareer.errors)
    └── InvalidProof          422 invalid_proof        the proof is missing, malformed or does not verify
        └── UnapprovedContext 422 unapproved_context   a JSON-LD context outside the pinned local set
"""

from __future__ import annotations

from microcareer.errors import InvalidInput


class InvalidProof(InvalidInput):
    """A Data Integrity proof is missing, malformed or its signature does not verify."""

    code = "invalid_proof"
    title = "Invalid credential proof"


class UnapprovedContext(InvalidProof):
    """The document names a JSON-LD context that is not pinned locally; it is never fetched."""

    code = "unapproved_context"
    title = "Unapproved JSON-LD context"

    def __init__(self, url: str) -> None:
        super().__init__(
            f"JSON-LD context {url!r} is not one of the approved, locally pinned contexts",
            url=url,
        )
        self.url = url
