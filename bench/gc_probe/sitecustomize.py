"""Full garbage collections of a process, for ``bench/gc_freeze_ab.py``: on the ``PYTHONPATH`` of a run with
``MICROCAREER_BENCH_GC_LOG`` naming a folder, every process started writes ``gc-<pid>.json`` there (its
command line, each generation-2 collection's end and CPU time in ms, and when the file was written, in
seconds since the process started), rewritten after each full collection and at exit. Without the variable
it does nothing."""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import time

_FOLDER = os.environ.get("MICROCAREER_BENCH_GC_LOG", "")

if _FOLDER:
    _started: list[float] = [0.0]
    _full: list[tuple[float, float]] = []  # (seconds since the process started, CPU ms)
    _origin = time.monotonic()
    _path = os.path.join(_FOLDER, f"gc-{os.getpid()}.json")

    def _write() -> None:
        record = {
            "argv": sys.argv,
            "frozen": gc.get_freeze_count(),
            "written_at_s": round(time.monotonic() - _origin, 2),
            "full_collections": [[round(t, 2), round(ms, 2)] for t, ms in _full],
        }
        with open(_path, "w", encoding="utf-8") as out:
            json.dump(record, out)

    def _collecting(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            _started[0] = time.thread_time()
        else:
            _full.append((time.monotonic() - _origin, (time.thread_time() - _started[0]) * 1000))
            _write()

    gc.callbacks.append(_collecting)
    atexit.register(_write)
