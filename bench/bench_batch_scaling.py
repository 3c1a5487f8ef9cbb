"""Batch verification on one core against two: does ``credential_batch_verification`` scale?

``--count`` different eddsa-rdfc-2022 credentials of one shape (other ids, names, dates, proof
times) are signed once, then verified in full (``verify_batch_run``: every check, no status source) as
one batch, in turns:

- one process (``workers=1``: verified in that process, no pool), and
- two processes (``workers=2``: that process and one worker forked from the fork server that
  preloads the credential modules, taking chunks of ``CHUNK`` credentials as text; the worker
  builds its sources once),

both allowed CPUs 0 and 1 (one process pinned to a core would only measure how busy that core is
with others' work), the turns alternating ``--turns`` times. Each turn is a fresh process
(``--turn``), its CPUs set before anything starts (its fork server and worker inherit them), so
each pays what a command-line run pays: the first batch starts the fork server (its imports), and
a second batch in the same process (``warm``, as a long-running server sees it) finds it running.

Wall time, medians over turns; the ratio of the medians is the speed-up. CPU time too: this
process's own, the workers' as their own clocks read it (sent back with each chunk: they are the
fork server's children, so ``RUSAGE_CHILDREN`` never counts them), and the fork server's (and its
resource tracker's) from ``/proc``; the CPU-bound speed-up, one process's CPU time over half the
two processes' total, is what two free cores would give (CPU time stretches too when both cores
are busy). With the kernel's autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``),
the CPU is shared fairly between sessions, not processes: while other sessions keep both cores
busy, a session gets its group's share whether it runs one process or two, and the wall time
cannot show the second core. So the load average is recorded with each turn, and so is the share
of a core each turn got (CPU seconds over wall seconds).

Run: ``python -m bench.bench_batch_scaling [--count N] [--turns N] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import report_file
from bench.bench_credentials import SEED, bench_sources, open_badge
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.data_integrity import RDFC, create_proof
from microcareer.services.credential_batch_verification import CHUNK, VerificationJob, verify_batch_run

SETTINGS = {"1 process, CPUs 0 and 1": ({0, 1}, 1), "2 processes, CPUs 0 and 1": ({0, 1}, 2)}
PASSES = ("cold", "warm")


def signed_batch(count: int) -> list[str]:
    contexts = pinned_contexts()
    public = multikey.public_multikey_of_seed(SEED)
    method = multikey.did_key_verification_method(public)
    texts = []
    for n in range(count):
        credential = open_badge(multikey.did_key(public))
        credential["id"] = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
        credential["credentialSubject"]["id"] = f"did:example:learner{n}"
        credential["evidence"][0]["narrative"] = f"Schema, queries and a report by learner {n}."
        options = {
            "type": "DataIntegrityProof",
            "cryptosuite": RDFC,
            "verificationMethod": method,
            "proofPurpose": "assertionMethod",
            "created": f"2026-11-23T09:{n // 60 % 60:02d}:{n % 60:02d}Z",
        }
        texts.append(json.dumps(create_proof(credential, options, SEED, contexts)))
    return texts


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _children_cpu() -> float:
    """CPU seconds of this process's live children (the fork server and its resource tracker), from /proc."""
    ticks, me = 0, str(os.getpid())
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:  # ppid; then utime and stime are fields 14 and 15 of stat
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _autogroup() -> str:
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip()
    except OSError:
        return "unknown"


def one_turn(setting: str, texts_file: Path) -> dict[str, Any]:
    """One setting's turn, in this (fresh) process: a cold batch, then a warm one."""
    cpus, workers = SETTINGS[setting]
    os.sched_setaffinity(0, cpus)
    texts = json.loads(texts_file.read_text())
    job = VerificationJob(
        bench_sources, pinned_contexts(), pinned_schemas(), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    )
    figures: dict[str, Any] = {"load_average_1m": round(os.getloadavg()[0], 2)}
    server_before = 0.0
    for name in PASSES:
        started, own_started = time.perf_counter(), _own_cpu()
        run = verify_batch_run(texts, job, workers=workers)
        seconds = time.perf_counter() - started
        own, server = _own_cpu() - own_started, _children_cpu()
        total = own + run.worker_cpu_seconds + server - server_before
        figures[name] = {
            "seconds": round(seconds, 3),
            "cores_used": round(total / seconds, 2),
            "cpu_seconds": {
                "this process": round(own, 3),
                "workers": round(run.worker_cpu_seconds, 3),
                "fork server": round(server - server_before, 3),
                "total": round(total, 3),
            },
            "verdicts": sorted({report.verdict for report in run.reports}),
        }
        server_before = server
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=2_000, help="credentials per batch")
    parser.add_argument("--turns", type=int, default=3, help="turns of each setting, alternating")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    parser.add_argument("--turn", choices=list(SETTINGS), help=argparse.SUPPRESS)  # one turn, in this process
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.turn is not None:
        print(json.dumps(one_turn(args.turn, args.texts)))
        return
    if not {0, 1} <= os.sched_getaffinity(0):
        raise SystemExit("needs CPUs 0 and 1")
    turns: dict[str, list[dict[str, Any]]] = {name: [] for name in SETTINGS}
    with tempfile.TemporaryDirectory() as folder:
        texts_file = Path(folder) / "texts.json"
        texts_file.write_text(json.dumps(signed_batch(args.count)))
        for turn in range(args.turns):
            for name in list(SETTINGS) if turn % 2 == 0 else list(reversed(SETTINGS)):
                command = [sys.executable, "-m", "bench.bench_batch_scaling", "--turn", name]
                answer = subprocess.run(
                    [*command, "--texts", str(texts_file)], check=True, capture_output=True, text=True
                )
                turns[name].append(json.loads(answer.stdout.splitlines()[-1]))
                shown = ", ".join(f"{p} {turns[name][-1][p]['seconds']:.2f} s" for p in PASSES)
                print(f"turn {turn}: {name}: {shown}", flush=True)
    one, two = SETTINGS
    summary: dict[str, Any] = {}
    for phase in PASSES:
        seconds = {name: statistics.median(t[phase]["seconds"] for t in turns[name]) for name in SETTINGS}
        cpu = {
            name: statistics.median(t[phase]["cpu_seconds"]["total"] for t in turns[name])
            for name in SETTINGS
        }
        summary[phase] = {
            "median_seconds": {name: round(value, 3) for name, value in seconds.items()},
            "credentials_per_s": {name: round(args.count / value, 1) for name, value in seconds.items()},
            "speedup_two_cores_vs_one": round(seconds[one] / seconds[two], 2),
            "median_cpu_seconds": {name: round(value, 3) for name, value in cpu.items()},
            "cpu_ms_per_credential": {
                name: round(value / args.count * 1e3, 3) for name, value in cpu.items()
            },
            "cpu_bound_speedup_two_cores_vs_one": round(cpu[one] / (cpu[two] / 2), 2),
            "median_cores_used": {
                name: statistics.median(t[phase]["cores_used"] for t in turns[name]) for name in SETTINGS
            },
        }
    report: dict[str, Any] = {
        **report_file.header(
            "batch verification scaling, eddsa-rdfc-2022, full verification",
            "bench.bench_batch_scaling",
            argv,
            sched_autogroup_enabled=_autogroup(),
        ),
        "credentials": args.count,
        "chunk": CHUNK,
        "statistic": "median over turns (each a fresh process); cold: its first batch, warm: its second",
        "summary": summary,
        "turns": turns,
    }
    print(json.dumps(summary, indent=1))
    if args.out is not None:
        report_file.write(report, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
