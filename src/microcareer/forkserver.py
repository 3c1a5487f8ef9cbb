"""Worker processes forked from this process's one fork server, which preloads what every pool needs.

``multiprocessing`` keeps one fork server per process: a clean interpreter, started with the first
worker, that imports its preload list once and then forks each new worker from itself, so a worker
starts in milliseconds with those modules already imported (``spawn`` starts a fresh interpreter
that imports them again, about a second of CPU), and without plain ``fork``'s copy of a threaded
server's locks. The preload list is fixed when the server starts, so each pool names its modules
here and the server is asked to preload all of them, whichever pool starts it; a pool named only
after the server started gets workers that import what they lack themselves (correct, only slower
to start). A worker also runs the main module again (``multiprocessing`` does, so that what it
defines can be unpickled): where that module was run by name (``python -m``), the server imports it
once too, so the worker finds its imports done. Where there is no fork server (Windows), workers
are spawned.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Iterable
from multiprocessing.context import BaseContext

_lock = threading.Lock()
_preload: dict[str, None] = {}  # every module any pool asked for, in the order asked


def worker_context(preload: Iterable[str]) -> BaseContext:
    """The context to start workers with: the fork server, told to preload ``preload`` too."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    main = getattr(getattr(sys.modules.get("__main__"), "__spec__", None), "name", None)
    with _lock:
        if main and not main.endswith("__main__"):  # a package's __main__ is not run again
            _preload.setdefault(main)
        _preload.update(dict.fromkeys(preload))
        context.set_forkserver_preload(list(_preload))
    return context
