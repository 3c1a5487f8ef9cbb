"""Where the verifier gets status list credentials: local files first, then HTTPS (unless offline).

A status list on plain ``http://`` is fetched only when the verifier allowed it (``allow_http``: the
command line's ``--allow-http``, for local development); otherwise it is unavailable with a reason
that says so, which makes the credential's status unknown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from microcareer.adapters.https_json import FetchFailed, JsonFetcher
from microcareer.domain.credentials.verification_model import StatusUnavailable
from microcareer.errors import DataFileError

MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024
LIST_NOT_FETCHED = "could not fetch the status list"
HTTP_NOT_ALLOWED = "on plain http://, fetched only when allowed (--allow-http, for local development)"


def load_status_list_files(paths: list[Path]) -> dict[str, Mapping[str, Any]]:
    """Status list credentials read from files, by their ``id``; raises ``DataFileError``."""
    documents: dict[str, Mapping[str, Any]] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise DataFileError(str(path), None, None, f"cannot be read ({error})") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataFileError(str(path), error.lineno, None, f"not valid JSON ({error.msg})") from None
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise DataFileError(str(path), None, "id", "not a status list credential with a string 'id'")
        documents[document["id"]] = document
    return documents


class StatusLists:
    """A ``StatusSource``: the given documents by URL, then HTTPS when a fetcher is given (and plain
    HTTP when ``allow_http``; the fetcher's ``Outbound`` must allow it too)."""

    def __init__(
        self,
        local: Mapping[str, Mapping[str, Any]],
        *,
        fetcher: JsonFetcher | None = None,
        allow_http: bool = False,
    ) -> None:
        self._local = dict(local)
        self._fetcher = fetcher
        self._allow_http = allow_http

    def fetch(self, url: str) -> Mapping[str, Any]:
        document = self._local.get(url)
        if document is not None:
            return document
        if self._fetcher is None:
            raise StatusUnavailable("not among the local status list files, and offline")
        if url.startswith("http://") and not self._allow_http:
            raise StatusUnavailable(HTTP_NOT_ALLOWED)
        try:
            fetched = self._fetcher.get(url)
        except FetchFailed:  # one neutral reason, whatever happened on the network (no SSRF oracle)
            raise StatusUnavailable(LIST_NOT_FETCHED) from None
        if not isinstance(fetched, Mapping):
            raise StatusUnavailable("not a JSON object")
        return fetched
