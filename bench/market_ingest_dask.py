"""``bench_market.py --ingest-dask``: the store ingest (extraction, MinHash, storing) in one process on
one core against the same ingest with reading, signing and extraction on a local Dask cluster
(``market ingest --workers N``), storing here. Runs alternate (one process, then each cluster size,
``--runs`` times) on the same Parquet file (row groups of 500, read on the workers), the market tables
emptied before each; every run must store what the first stored. Wall time and CPU time (this process
plus every worker's) per run; medians and ratios. Each cluster is started and warmed (the extractor
shipped, each worker's spelling index built) before its timed runs; the start is reported apart."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import text

from microcareer.adapters.extraction_cluster import dask_client
from microcareer.adapters.market_cluster import DaskPostingAnalyser
from microcareer.adapters.posting_files import PostingFile
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services import market_ingest
from microcareer.services.market_ingest import IngestReport
from microcareer.services.market_ports import PostingAnalyser

ROW_GROUP = 500


def write_parquet(path: Path, records: list[dict[str, object]]) -> Path:
    columns = list(dict.fromkeys(k for r in records for k in r))
    table = pa.table(
        {c: [None if r.get(c) in ("", None) else str(r.get(c)) for r in records] for c in columns}
    )
    pq.write_table(table, path, row_group_size=ROW_GROUP)
    return path


def _empty(platform: Platform) -> None:
    assert platform.engine is not None
    with platform.engine.begin() as conn:
        conn.execute(text("DELETE FROM market_posting_skills"))
        conn.execute(text("UPDATE market_postings SET duplicate_of = NULL"))
        conn.execute(text("DELETE FROM market_postings"))


def _stored(platform: Platform) -> tuple[int, int, int]:
    assert platform.engine is not None
    with platform.engine.connect() as conn:
        postings = int(conn.execute(text("SELECT count(*) FROM market_postings")).scalar_one())
        reposts = int(
            conn.execute(
                text("SELECT count(*) FROM market_postings WHERE duplicate_of IS NOT NULL")
            ).scalar_one()
        )
        skills = int(conn.execute(text("SELECT count(*) FROM market_posting_skills")).scalar_one())
    return postings, reposts, skills


def _ingest(platform: Platform, path: Path, analyser: PostingAnalyser | None) -> IngestReport:
    actor = Actor.system()
    checked = market_ingest.check_file(actor, file=PostingFile.at(path), columns="", source="demo")
    return market_ingest.ingest_checked(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, checked=checked, analyser=analyser
    )


def side_by_side(
    platform: Platform,
    path: Path,
    *,
    sizes: list[int],
    runs: int,
    one_core: int | None,
    cpu_seconds: Callable[[], float],
    workers_cpu: Callable[[object], float],
    log: Callable[[str], None],
) -> dict[str, object]:
    everywhere = os.sched_getaffinity(0)
    rows = pq.ParquetFile(path).metadata.num_rows
    out: dict[str, object] = {"records": rows, "row_group_rows": ROW_GROUP}
    expected: tuple[int, int, int] | None = None

    def timed(analyser: PostingAnalyser | None, extra_cpu: Callable[[], float]) -> tuple[float, float]:
        nonlocal expected
        _empty(platform)
        start, cpu = time.perf_counter(), cpu_seconds() + extra_cpu()
        report = _ingest(platform, path, analyser)
        wall, used = time.perf_counter() - start, cpu_seconds() + extra_cpu() - cpu
        stored = _stored(platform)
        assert (report.added + report.reposts, report.reposts) == stored[:2]
        expected = expected or stored
        assert stored == expected, (stored, expected)  # every run stores the same
        return wall, used

    single: list[tuple[float, float]] = []
    clusters: dict[int, list[tuple[float, float]]] = {n: [] for n in sizes}
    starts: dict[int, float] = {}
    with ExitStack() as stack:
        analysers: dict[int, DaskPostingAnalyser] = {}
        clients: dict[int, object] = {}
        for n in sizes:
            start = time.perf_counter()
            client = stack.enter_context(dask_client(None, n))
            client.wait_for_workers(n)
            analyser = DaskPostingAnalyser(client)
            _empty(platform)
            _ingest(platform, path, analyser)  # warm: extractor shipped, spelling indexes built
            starts[n] = time.perf_counter() - start
            analysers[n], clients[n] = analyser, client
            log(f"dask {n} workers started and warmed in {starts[n]:.1f} s")
        for run in range(runs):
            if one_core is not None:
                os.sched_setaffinity(0, {one_core})
            single.append(timed(None, lambda: 0.0))
            os.sched_setaffinity(0, everywhere)
            for n in sizes:
                clusters[n].append(timed(analysers[n], partial(workers_cpu, clients[n])))
            log(
                f"run {run + 1}: one process {single[-1][0]:.1f} s, "
                + ", ".join(f"dask {n} {clusters[n][-1][0]:.1f} s" for n in sizes)
            )
    assert expected is not None
    one_wall = statistics.median(w for w, _ in single)
    one_cpu = statistics.median(c for _, c in single)
    out["stored"] = {"postings": expected[0], "reposts": expected[1], "posting_skills": expected[2]}
    out["one_process"] = {
        "cpus": [one_core] if one_core is not None else sorted(everywhere),
        "wall_runs_s": [round(w, 2) for w, _ in single],
        "cpu_runs_s": [round(c, 2) for _, c in single],
        "wall_median_s": round(one_wall, 2),
        "postings_per_s": round(rows / one_wall, 1),
        "postings_per_cpu_s": round(rows / one_cpu, 1),
    }
    for n in sizes:
        wall = statistics.median(w for w, _ in clusters[n])
        cpu = statistics.median(c for _, c in clusters[n])
        out[f"dask_{n}_workers"] = {
            "cpus": sorted(everywhere),
            "start_and_warm_s": round(starts[n], 2),
            "wall_runs_s": [round(w, 2) for w, _ in clusters[n]],
            "cpu_runs_s": [round(c, 2) for _, c in clusters[n]],
            "wall_median_s": round(wall, 2),
            "postings_per_s": round(rows / wall, 1),
            "postings_per_cpu_s": round(rows / cpu, 1),
            "speed_over_one_process": round(one_wall / wall, 2),
            "cpu_over_one_process": round(cpu / one_cpu, 2),
            "same_store_as_one_process": True,
        }
    return out
