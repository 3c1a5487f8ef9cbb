"""``RecentReads``: answers of hot read queries (the job board, the API's skills search) remembered in
this process for a moment.

A job board page costs about ten queries (the page, its total, the jobs' skills, five facet counts)
and most of a read's server time under load (issue 17), and many people ask for the same page. Each
server process remembers a page's answer, keyed by everything the query depends on (the words, the
filters, the states, the page, and the viewer's visibility: the organisations whose internal jobs they
may see and their own id), for ``ttl_seconds`` (``MICROCAREER_READ_CACHE_SECONDS``, 2 by default; 0
turns it off).

What this costs, and what it does not:

- Any unit of work committed through this process (a job posted, closed or edited, an application, a
  membership) makes everything remembered lapse at once: ``changes`` is wired by ``bootstrap`` to the
  store's count of commits in this process, read *before* the store is asked, so an answer read while
  a commit landed is never kept past that commit.
- The same change made through another process (``serve --workers N``, the CLI, another machine)
  shows on this process's board within ``ttl_seconds``: a job closed there can still be listed here for
  up to 2 s (opening it, applying to it and every write ask the store and are refused as before).
- Authorisation is unchanged: the caller asks ``access`` for the viewer's visibility first, and that
  visibility is part of the key, so an answer is only ever given back to a viewer who would be given
  the same rows by the store.
- The API keeps two kinds of answer here as sent (JSON bytes), given back on the event loop without a
  hop to the thread pool (``api/routes/jobs.py`` ``list_jobs``, ``api/routes/skills.py``
  ``search_skills``, issue 17): a job board page (keyed as the page is, with the page's size and
  offset) and a skills search (``taxonomy_search.skill_search_key``: the words, the page and the
  organisations whose own skills the viewer sees; the caller is authorised before the key is made).
  A taxonomy imported or an organisation skill added through another process shows in the skills
  search within ``ttl_seconds``, as a job does on the board. One's own profile
  (``api/routes/profiles.py`` ``my_profile``) too, keyed by the reader (whom the actor acts for, their
  roles and memberships) and the day: a profile changed through another process shows to its owner
  there within ``ttl_seconds``.
- Bounded: at most ``max_entries`` answers; when full, lapsed entries go first, then the oldest
  (``services/remembered.py``, the structure it shares with ``services/token_cache.py``).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

from microcareer.services.remembered import Remembered, no_changes

DEFAULT_TTL_SECONDS = 2.0
MAX_ENTRIES = 2_048

T = TypeVar("T")


class RecentReads(Remembered[Hashable, Any]):
    """Job board answers by their key, each for ``ttl_seconds`` and only while ``changes()`` stays what
    it was before the store was read (``read(key, load)``)."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        *,
        changes: Callable[[], int] = no_changes,
        max_entries: int = MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(ttl_seconds, changes=changes, max_entries=max_entries, monotonic=monotonic)

    def read(self, key: Hashable, load: Callable[[], T]) -> T:
        """The answer remembered for ``key``, else ``load()``'s; typed as ``load``'s answer (the key names
        the query, so an entry only ever holds what that query's loader gave)."""
        return cast(T, super().read(key, load))

    async def read_async(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """``read`` for a loader awaited (an API route's read in the thread pool): the answer remembered
        for ``key``, else ``load()``'s, remembered under the commit count read before it (a commit
        during the load makes it lapse)."""
        found, remembered = self.lookup(key)
        if found:
            return cast(T, remembered)
        before = self.changes()  # read first: a commit during the load makes the answer lapse
        answer = await load()
        self.put(key, answer, changes=before)
        return answer


__all__ = ["DEFAULT_TTL_SECONDS", "RecentReads"]
