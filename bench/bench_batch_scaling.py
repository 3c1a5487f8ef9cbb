"""Batch verification on one core against two: does ``credential_batch_verification`` scale?

``--count`` different eddsa-rdfc-2022 credentials of one shape (other ids, names, dates, proof
times) are signed once, then verified in full (``verify_documents``: every check, no status source)
as one batch, in turns:

- one process on CPU 0 (``workers=1``: verified in this process, no pool), and
- two worker processes on CPUs 0 and 1 (``workers=2``: the spawn pool, chunks of ``CHUNK``
  credentials as text, each worker building its sources once in its initializer),

the affinity set for this process (and so for the workers it spawns) before each turn, the turns
alternating ``--turns`` times. Wall time, medians over turns; the ratio of the medians is the
speed-up. Other work on the machine takes the same cores (the wall-time ratio then says how much
of the machine the other sessions left us, not how the code scales), so the load average is
recorded with each turn, and so is the CPU time of this process and of its workers: the CPU-bound
speed-up, one process's CPU time over half the pool's (parent and both workers, their start-up
included), is what two free cores would give.

Run: ``python -m bench.bench_batch_scaling [--count N] [--turns N] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform as host
import resource
import statistics
import time
from pathlib import Path
from typing import Any

from bench.bench_credentials import SEED, bench_sources, open_badge
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.data_integrity import RDFC, create_proof
from microcareer.services.credential_batch_verification import CHUNK, VerificationJob, verify_documents


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


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its children that have ended (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=2_000, help="credentials per batch")
    parser.add_argument("--turns", type=int, default=3, help="turns of each setting, alternating")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args(argv)
    allowed = os.sched_getaffinity(0)
    if not {0, 1} <= allowed:
        raise SystemExit("needs CPUs 0 and 1")
    texts = signed_batch(args.count)
    job = VerificationJob(
        bench_sources, pinned_contexts(), pinned_schemas(), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    )
    settings = {"1 process, taskset -c 0": ({0}, 1), "2 workers, taskset -c 0,1": ({0, 1}, 2)}
    seconds: dict[str, list[float]] = {name: [] for name in settings}
    cpu_seconds: dict[str, list[float]] = {name: [] for name in settings}
    loads: dict[str, list[float]] = {name: [] for name in settings}
    verdicts: set[str] = set()
    try:
        for turn in range(args.turns):
            order = list(settings) if turn % 2 == 0 else list(reversed(settings))
            for name in order:
                cpus, workers = settings[name]
                os.sched_setaffinity(0, cpus)
                loads[name].append(round(os.getloadavg()[0], 2))
                started, cpu_started = time.perf_counter(), _cpu_with_children()
                reports = verify_documents(texts, job, workers=workers)
                seconds[name].append(round(time.perf_counter() - started, 3))
                cpu_seconds[name].append(round(_cpu_with_children() - cpu_started, 3))
                verdicts |= {report.verdict for report in reports}
                print(f"turn {turn}: {name}: {seconds[name][-1]:.2f} s", flush=True)
    finally:
        os.sched_setaffinity(0, allowed)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    one, two = medians["1 process, taskset -c 0"], medians["2 workers, taskset -c 0,1"]
    cpu_medians = {name: statistics.median(values) for name, values in cpu_seconds.items()}
    cpu_one, cpu_pool = cpu_medians["1 process, taskset -c 0"], cpu_medians["2 workers, taskset -c 0,1"]
    report: dict[str, Any] = {
        "benchmark": "batch verification scaling, eddsa-rdfc-2022, full verification",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.bench_batch_scaling", *(argv or [])]),
        "machine": {"platform": host.platform(), "python": host.python_version(), "cpus": os.cpu_count()},
        "credentials": args.count,
        "chunk": CHUNK,
        "verdicts": sorted(verdicts),
        "seconds_per_turn": seconds,
        "load_average_1m_per_turn": loads,
        "median_seconds": {name: round(value, 3) for name, value in medians.items()},
        "credentials_per_s": {name: round(args.count / value, 1) for name, value in medians.items()},
        "speedup_two_cores_vs_one": round(one / two, 2),
        "cpu_seconds_per_turn": cpu_seconds,
        "median_cpu_seconds": {name: round(value, 3) for name, value in cpu_medians.items()},
        "cpu_ms_per_credential": {
            name: round(value / args.count * 1e3, 3) for name, value in cpu_medians.items()
        },
        "cpu_bound_speedup_two_cores_vs_one": round(cpu_one / (cpu_pool / 2), 2),
    }
    shown = (
        "median_seconds",
        "speedup_two_cores_vs_one",
        "cpu_ms_per_credential",
        "cpu_bound_speedup_two_cores_vs_one",
    )
    print(json.dumps({key: report[key] for key in shown}))
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
