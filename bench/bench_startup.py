"""Start-up where people wait: ``microcareer --help`` and the first line of ``extract --jsonl -``,
as ratios against baselines measured in the same run.

    python -m bench.bench_startup [--rounds N] [--quick] [--ranked] [--vs-src PATH] [--out FILE]

Each measure is a fresh process:

* ``python -c pass`` and ``python -c "import typer"``: the baselines (the interpreter, and the CLI
  framework every command needs);
* ``microcareer --help``;
* ``extract --jsonl - --precise``: the time from the start of the process to its first line on stdout
  for one short posting (the lexical path), with the lexicon cache warm (a first, unmeasured run warms
  it);
* with ``--ranked``, ``extract --jsonl -`` (ranking, the default of ``--jsonl``) the same way, with its
  caches warm (the first run embeds the taxonomy: minutes).

The commands take turns within a round, so drift on this shared machine hits them alike; the figures are
medians over the rounds, and each ratio is the median of the per-round ratios. ``--vs-src PATH`` times
a second source tree (e.g. ``git archive`` of an older commit, unpacked) in the same rounds, as
``before:`` rows, and gives the after/before ratio of each measure; that tree needs a database for
``extract`` (``MICROCAREER_DATABASE_URL`` of an initialised one), which then both trees read.

Each command's import set is recorded too (a separate ``-X importtime`` run): how many modules, and which
of the heavy ones (cryptography, pyld, httpx, jsonschema, SQLAlchemy, Alembic, numpy, scikit-learn,
torch) it loaded. ``--quick`` (CI, tests/unit/bench/test_bench_startup.py): one round of the baselines
and ``--help`` only, no extraction. Results: a Rich table, and JSON in bench/results/startup-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import report_file

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
HEAVY = ("cryptography", "pyld", "httpx", "jsonschema", "sqlalchemy", "alembic", "numpy", "sklearn", "torch")
POSTING = {
    "doc_id": "p1",
    "text": "We are hiring a data engineer: Python, SQL and Apache Spark every day, project management "
    "now and then, and clear writing for the people who read our reports.",
}
console = Console(width=None if sys.stdout.isatty() else 160)


@dataclass
class Measure:
    name: str
    argv: list[str]
    src: str | None  # PYTHONPATH for microcareer (None: the baselines)
    stdin: str | None = None  # given: time to the first stdout line, else to the exit
    seconds: list[float] = field(default_factory=list)
    modules: int = 0
    heavy: list[str] = field(default_factory=list)


def _env(src: str | None, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ, **extra)
    env.pop("PYTHONPATH", None)
    if src is not None:
        env["PYTHONPATH"] = src
    return env


def _run(measure: Measure, env: dict[str, str], cwd: Path) -> float:
    """Seconds to the exit, or (with ``stdin``) to the first line on stdout."""
    start = time.perf_counter()
    if measure.stdin is None:
        subprocess.run(measure.argv, env=env, cwd=cwd, capture_output=True, check=True)
        return time.perf_counter() - start
    with subprocess.Popen(
        measure.argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(measure.stdin)
        process.stdin.flush()
        line = process.stdout.readline()
        seconds = time.perf_counter() - start
        process.stdin.close()
        process.stdout.read()
        if not line or process.wait() != 0:
            raise RuntimeError(f"{measure.name}: no line out (exit {process.returncode})")
    return seconds


def _imports(measure: Measure, env: dict[str, str], cwd: Path) -> None:
    """How many modules the command imports, and which heavy ones (``-X importtime``)."""
    done = subprocess.run(
        [measure.argv[0], "-X", "importtime", *measure.argv[1:]],
        env=env,
        cwd=cwd,
        input=measure.stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    names = [line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.count("|") == 2]
    names = [n for n in names if n != "imported package"]
    measure.modules = len(names)
    measure.heavy = sorted({n.split(".")[0] for n in names if n.split(".")[0] in HEAVY})


def _ratios(top: Sequence[float], bottom: Sequence[float]) -> float:
    return statistics.median(a / b for a, b in zip(top, bottom, strict=True))


def measures(python: str, src: str, *, quick: bool, ranked: bool, label: str = "") -> list[Measure]:
    cli = [python, "-m", "microcareer"]
    chosen = [Measure(f"{label}microcareer --help", [*cli, "--help"], src)]
    line = json.dumps(POSTING) + "\n"
    if not quick:
        chosen.append(
            Measure(
                f"{label}extract --precise: first line",
                [*cli, "extract", "--jsonl", "-", "--precise"],
                src,
                line,
            )
        )
    if ranked and not quick:
        chosen.append(
            Measure(f"{label}extract (ranked): first line", [*cli, "extract", "--jsonl", "-"], src, line)
        )
    return chosen


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="one round, baselines and --help only")
    parser.add_argument("--ranked", action="store_true", help="also the ranking path's first line")
    parser.add_argument("--vs-src", help="a second source tree to time in the same rounds (before)")
    parser.add_argument("--cache-dir", help="MICROCAREER_CACHE_DIR (default: a folder kept in the temp dir)")
    parser.add_argument("--out", type=Path, help="the JSON results (default bench/results/startup-DATE.json)")
    args = parser.parse_args(argv)
    rounds = 1 if args.quick else args.rounds
    python = sys.executable
    cwd = Path(tempfile.mkdtemp(prefix="microcareer-startup-"))
    cache = args.cache_dir or str(Path(tempfile.gettempdir()) / "microcareer-startup-cache")
    extra = {"MICROCAREER_CACHE_DIR": cache, "COLUMNS": "100"}
    if "MICROCAREER_DATABASE_URL" not in os.environ:  # a fresh install: a SQLite file not there
        extra["MICROCAREER_DATABASE_URL"] = f"sqlite:///{cwd / 'absent' / 'microcareer.sqlite3'}"
    src = str(REPO / "src")
    baselines = [
        Measure("python -c pass", [python, "-c", "pass"], None),
        Measure("python -c 'import typer'", [python, "-c", "import typer"], None),
    ]
    after = measures(python, src, quick=args.quick, ranked=args.ranked)
    before = (
        measures(python, args.vs_src, quick=args.quick, ranked=args.ranked, label="before: ")
        if args.vs_src
        else []
    )
    everything = [*baselines, *after, *before]
    for measure in everything:
        env = _env(measure.src, extra)
        _imports(measure, env, cwd)  # also the warm-up: the lexicon and ranking caches are built here
        if measure.stdin is not None:
            _run(measure, env, cwd)
    for _ in range(rounds):
        for measure in everything:
            measure.seconds.append(_run(measure, _env(measure.src, extra), cwd))
    report = _report(everything, baselines, after, before, rounds, extra)
    _print(report)
    out = args.out or RESULTS / f"startup-{dt.date.today().isoformat()}{'-quick' if args.quick else ''}.json"
    report_file.write(report, out)
    console.print(f"written: {out}")
    return report


def _report(
    everything: list[Measure],
    baselines: list[Measure],
    after: list[Measure],
    before: list[Measure],
    rounds: int,
    extra: dict[str, str],
) -> dict[str, Any]:
    python, typer = baselines
    rows = {}
    for measure in everything:
        rows[measure.name] = {
            "median_s": round(statistics.median(measure.seconds), 4),
            "min_s": round(min(measure.seconds), 4),
            "max_s": round(max(measure.seconds), 4),
            "vs_python": round(_ratios(measure.seconds, python.seconds), 2),
            "vs_import_typer": round(_ratios(measure.seconds, typer.seconds), 2),
            "modules_imported": measure.modules,
            "heavy_modules": measure.heavy,
        }
    for now, then in zip(after, before, strict=False):
        rows[now.name]["vs_before"] = round(_ratios(now.seconds, then.seconds), 3)
    return {
        **report_file.header("startup", "bench.bench_startup", sys.argv[1:]),
        "rounds": rounds,
        "database": "configured" if "MICROCAREER_DATABASE_URL" not in extra else "none (fresh install)",
        "measures": rows,
    }


def _print(report: dict[str, Any]) -> None:
    table = Table(title=f"start-up, {report['rounds']} round(s), database: {report['database']}")
    for column in (
        "measure",
        "median s",
        "min–max s",
        "× python",
        "× import typer",
        "× before",
        "modules",
        "heavy",
    ):
        table.add_column(column)
    for name, row in report["measures"].items():
        table.add_row(
            name,
            f"{row['median_s']:.3f}",
            f"{row['min_s']:.3f}–{row['max_s']:.3f}",
            f"{row['vs_python']:.2f}",
            f"{row['vs_import_typer']:.2f}",
            f"{row['vs_before']:.3f}" if "vs_before" in row else "",
            str(row["modules_imported"]),
            ", ".join(row["heavy_modules"]),
        )
    console.print(table)


if __name__ == "__main__":
    main()
