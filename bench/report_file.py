"""What every benchmark's JSON report in bench/results starts with, and how it is written.

`header` gives the benchmark's name, the command that made the figures, the time (UTC) and the machine
(`machine`: platform, Python, CPUs and the one-minute load average when the report is made, since other
work on a shared machine skews every absolute figure). `write` stores a report as indented JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def machine(**extra: Any) -> dict[str, Any]:
    """The machine the figures come from; `extra` adds what a benchmark also records (a pinned CPU...)."""
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        **extra,
    }


def header(benchmark: str, module: str, argv: Sequence[str] | None, **machine_extra: Any) -> dict[str, Any]:
    """A report's first keys: `benchmark`, `command` (`python -m MODULE ARGV...`), `date`, `machine`."""
    return {
        "benchmark": benchmark,
        "command": " ".join([f"python -m {module}", *(argv or [])]),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(**machine_extra),
    }


def write(
    report: dict[str, Any], target: Path, *, indent: int = 2, default: Callable[[Any], Any] | None = None
) -> Path:
    """`report` as JSON at `target` (its folder made when missing); gives `target` back. `default` turns a
    value JSON has no type for into one (``str`` for paths and the like), as `json.dumps` does."""
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=indent, ensure_ascii=False, default=default)
    target.write_text(text + "\n", encoding="utf-8")
    return target
