"""Same-run A/B of the product's ranking path: ``microcareer eval extraction`` as a user runs it.

    python -m bench.bench_reranker_ab --db sqlite:///DB --cache CACHE --sets dev=FILE,edev=FILE \
        --arm before=/work/main/src --arm after=src [--repeat 2] [--out FILE.json]

Each arm is a source tree put first on ``PYTHONPATH`` (the shipped default, a variant with its data
files); the arms run alternately, ``--repeat`` times each per set, on one core (``taskset -c 0``,
one thread), methods lexical,fuzzy,ranking. Per run: RP@5, RP@10, MRR, P/R/F1 at the default
threshold, sentences/s as the command reports them (wall clock), the child's CPU seconds and peak RSS
(``wait4``); a one-sentence set gives the start-up's CPU, to subtract. Which sets
to read is the caller's: the decision rule of issue 14 reads the validation splits only after the
decision.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(src: str, path: str, env: dict[str, str]) -> dict[str, object]:
    command = [
        "taskset",
        "-c",
        "0",
        sys.executable,
        "-m",
        "microcareer",
        "eval",
        "extraction",
        path,
        "--json",
    ]
    command += ["--methods", "lexical,fuzzy,ranking"]
    child_env = {**env, "PYTHONPATH": src}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=child_env)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        return {"error": stderr[-800:]}
    report = json.loads(stdout)
    ranking, micro = report["ranking"], report["skills_micro"]
    return {
        "sentences": ranking["sentences"],
        "rp@5": round(100 * ranking["rp@5"], 1),
        "rp@10": round(100 * ranking["rp@10"], 1),
        "mrr": round(100 * ranking["mrr"], 1),
        "precision": round(100 * micro["precision"], 1),
        "recall": round(100 * micro["recall"], 1),
        "f1": round(100 * micro["f1"], 1),
        "sentences_per_second": report["sentences_per_second"],
        "wall_seconds_with_start": round(time.perf_counter() - started, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        # CPU of the child, start-up included: steadier than sentences/s on a shared machine
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="MICROCAREER_DATABASE_URL of an initialised database")
    parser.add_argument("--cache", required=True, help="MICROCAREER_CACHE_DIR with the skill vectors")
    parser.add_argument("--sets", required=True, help="name=FILE,name=FILE")
    parser.add_argument("--arm", action="append", required=True, help="name=SOURCE_DIR (repeatable)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    env = {
        **os.environ,
        "MICROCAREER_DATABASE_URL": args.db,
        "MICROCAREER_CACHE_DIR": args.cache,
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    sets = dict(item.split("=", 1) for item in args.sets.split(","))
    arms = dict(item.split("=", 1) for item in args.arm)
    results: dict[str, dict[str, list[dict[str, object]]]] = {arm: {} for arm in arms}
    for name, path in sets.items():
        for _ in range(args.repeat):
            for arm, src in arms.items():
                found = run(src, path, env)
                results[arm].setdefault(name, []).append(found)
                print(arm, name, found, file=sys.stderr, flush=True)
    text = json.dumps({"arms": arms, "sets": sets, "repeat": args.repeat, "runs": results}, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
