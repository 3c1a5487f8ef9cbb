"""Job-posting ingest and market aggregation (issue 19).

1. Ingest: ``--postings`` demo postings (seeded, two years, HTML in a fifth, 4% re-posts) through
   ``market_ingest.ingest`` into a fresh SQLite database with the bundled ESCO (lexical + fuzzy
   extraction, MinHash, one core): postings per second. Beside it, on the same input split into
   Parquet partitions: the corpus counted without a database in one process and on a local Dask
   cluster of ``--workers`` processes (cluster start timed apart).
2. Aggregation: the stored postings copied (SQL ``INSERT ... SELECT``, new ids, same skills) until
   ``--aggregate`` postings, then ``market_demand.demand`` and ``market_trends.trends`` (every skill
   tested) timed over ``--runs``, with the peak of Python allocations (tracemalloc) and the process's
   maximum RSS; ``--postgres-url`` repeats the aggregation on a PostgreSQL database of its own.

``--one-core CPU`` pins the single-process part (the store ingest and the count in this process) to
that CPU (``os.sched_setaffinity``, as ``taskset -c CPU`` would) and gives the Dask clusters the CPUs the
run started with: one core, two cores (``--workers 2``) and Dask's own overhead (``--workers 1``) side
by side in one run, each count repeated ``--runs`` times (medians), wall time and CPU time (this
process's, plus every Dask worker's: what a loaded machine does not inflate). ``--ingest-only`` skips part 2;
``--ingest-dask`` runs only ``bench/market_ingest_dask.py`` (the store ingest in one process against
on Dask, alternating); ``--size 3000`` adds about 3 KB of ``bench/postings.py`` text to every record
(same skills, trends).

Results: JSON in bench/results/market-<date>.json with the command that made them.
Run: ``python -m bench.bench_market [--postings 3000] [--aggregate 300000] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import report_file
from bench.postings import long_texts
from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.adapters.extraction_cluster import dask_client
from microcareer.adapters.market_cluster import aggregate_in_process, aggregate_on_dask
from microcareer.adapters.posting_files import read_records, write_records
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.domain.market.demo_corpus import generate
from microcareer.domain.market.postings import ColumnMapping
from microcareer.domain.progress import NoProgress
from microcareer.services import market_demand, market_ingest, market_trends
from microcareer.services.extraction import ExtractionRequest, options_for
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_demand import Selection
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store import migrate

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
PARTITION = 500


def _platform(url: str, folder: Path) -> Platform:
    os.environ["MICROCAREER_DATA_DIR"] = str(folder)
    platform = bootstrap(Settings(database_url=url))
    assert platform.engine is not None
    migrate.upgrade(platform.engine)
    return platform


def _ms(call: Callable[[], object], runs: int) -> tuple[list[float], int, int]:
    times = []
    tracemalloc.start()
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return times, peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


_T0 = time.perf_counter()


def _log(message: str) -> None:
    print(f"[{time.perf_counter() - _T0:7.1f} s] {message}", file=sys.stderr, flush=True)


def _cpu_seconds() -> float:
    """This process's CPU time (user + system), children excluded: run here and on each Dask worker."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _workers_cpu(client: object) -> float:
    from distributed import Client

    assert isinstance(client, Client)
    return float(sum(client.run(_cpu_seconds).values()))


def _replicate(platform: Platform, target: int) -> int:
    """Copies of the stored originals (new ids and external ids, same skills and facts), doubling the
    corpus each round, until ``target`` originals."""
    assert platform.engine is not None
    with platform.engine.begin() as db:
        if platform.engine.dialect.name == "sqlite":  # the copies' index pages in memory (setup only)
            db.execute(text("PRAGMA cache_size=-1000000"))
        count = db.scalar(text("SELECT count(*) FROM market_postings WHERE duplicate_of IS NULL")) or 0
        reused = count >= target
        copy = 0
        while count < target:
            copy += 1
            suffix = f":{copy}"
            base = db.scalar(text("SELECT max(id) FROM market_postings")) or 0
            db.execute(
                text(
                    "INSERT INTO market_postings (source, external_id, content_hash, title, text, posted_on, "
                    "month, place, place_key, organisation, pay, occupation_uri, signature, duplicate_of) "
                    "SELECT source, external_id || :s, content_hash, title, '', posted_on, month, place, "
                    "place_key, organisation, pay, occupation_uri, signature, NULL FROM market_postings "
                    "WHERE duplicate_of IS NULL AND id <= :base ORDER BY id LIMIT :n"
                ),
                {"s": suffix, "base": base, "n": target - count},
            )
            db.execute(
                text(
                    "INSERT INTO market_posting_skills (posting_id, skill_uri, confidence, month, posted_on, "
                    "place_key, occupation_uri, pay) "
                    "SELECT p2.id, s.skill_uri, s.confidence, s.month, s.posted_on, s.place_key, "
                    "s.occupation_uri, s.pay FROM market_posting_skills s "
                    "JOIN market_postings p1 ON p1.id = s.posting_id AND p1.id <= :base "
                    "JOIN market_postings p2 "
                    "ON p2.source = p1.source AND p2.external_id = p1.external_id || :s"
                ),
                {"s": suffix, "base": base},
            )
            count = db.scalar(text("SELECT count(*) FROM market_postings WHERE duplicate_of IS NULL")) or 0
            _log(f"copy {copy}: {count:,} originals")
        skills = db.scalar(text("SELECT count(*) FROM market_posting_skills")) or 0
    if reused:  # a database copied and analysed by an earlier run (--sqlite-db)
        return int(skills)
    if platform.engine.dialect.name == "postgresql":
        with platform.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
            db.execute(text("VACUUM ANALYZE market_postings"))
            db.execute(text("VACUUM ANALYZE market_posting_skills"))
    else:
        with platform.engine.begin() as db:
            db.execute(text("ANALYZE"))
    return int(skills)


# The three grouped counts demand and trends are made of, as the store ran them before revision 0019
# (joined to the postings) and as it runs them now (the skill rows alone): timed side by side.
_JOINED = {
    "skill_counts": "SELECT s.skill_uri, count(*) FROM market_posting_skills s JOIN market_postings p "
    "ON p.id = s.posting_id WHERE p.duplicate_of IS NULL GROUP BY s.skill_uri",
    "skill_month_counts": "SELECT s.skill_uri, p.month, count(*) FROM market_posting_skills s "
    "JOIN market_postings p ON p.id = s.posting_id WHERE p.duplicate_of IS NULL "
    "GROUP BY s.skill_uri, p.month",
    "pay_by_skill": "SELECT s.skill_uri, count(p.pay), avg(p.pay) FROM market_posting_skills s "
    "JOIN market_postings p ON p.id = s.posting_id WHERE p.duplicate_of IS NULL AND p.pay IS NOT NULL "
    "GROUP BY s.skill_uri",
}
_SKILL_ROWS = {
    "skill_counts": "SELECT skill_uri, count(*) FROM market_posting_skills GROUP BY skill_uri",
    "skill_month_counts": "SELECT skill_uri, month, count(*) FROM market_posting_skills "
    "GROUP BY skill_uri, month",
    "pay_by_skill": "SELECT skill_uri, count(pay), avg(pay) FROM market_posting_skills "
    "WHERE pay IS NOT NULL GROUP BY skill_uri",
}


def _queries(platform: Platform, runs: int) -> dict[str, object]:
    assert platform.engine is not None
    out: dict[str, object] = {}
    for name in _JOINED:
        for kind, sql in (("joined", _JOINED[name]), ("skill_rows", _SKILL_ROWS[name])):
            times = []
            with platform.engine.connect() as db:
                for _ in range(runs):
                    start = time.perf_counter()
                    rows = db.execute(text(sql)).all()
                    times.append((time.perf_counter() - start) * 1000)
            _log(f"{name} {kind}: {[round(t) for t in times]} ms")
            out[f"{name}_{kind}_median_ms"] = round(statistics.median(times), 1)
            out[f"{name}_{kind}_rows"] = len(rows)
        joined, alone = out[f"{name}_joined_median_ms"], out[f"{name}_skill_rows_median_ms"]
        assert isinstance(joined, float)
        assert isinstance(alone, float)
        out[f"{name}_speedup"] = round(joined / max(alone, 0.1), 1)
    return out


def _aggregation(platform: Platform, target: int, runs: int) -> dict[str, object]:
    start = time.perf_counter()
    skills = _replicate(platform, target)
    replicate_s = time.perf_counter() - start
    actor = Actor.system()
    graphs = graph_cache(platform.caches)
    graphs.get(platform.uow())
    with platform.uow() as uow:
        from microcareer.domain.market.records import MarketFilter

        postings = uow.market.posting_count(MarketFilter())
    _log(f"{postings:,} postings; demand")
    demand_ms, demand_peak, _ = _ms(
        lambda: market_demand.demand(platform.uow(), graphs, actor=actor, selection=Selection(), limit=25),
        runs,
    )
    _log(f"demand {[round(t) for t in demand_ms]} ms; trends")
    trends_ms, trends_peak, rss = _ms(
        lambda: market_trends.trends(platform.uow(), graphs, actor=actor, selection=Selection(), limit=20),
        runs,
    )
    return {
        "postings": postings,
        "posting_skills": skills,
        "replicate_s": round(replicate_s, 1),
        "demand_median_ms": round(statistics.median(demand_ms), 1),
        "demand_runs_ms": [round(v, 1) for v in demand_ms],
        "demand_peak_python_mib": round(demand_peak / 2**20, 1),
        "trends_median_ms": round(statistics.median(trends_ms), 1),
        "trends_runs_ms": [round(v, 1) for v in trends_ms],
        "trends_peak_python_mib": round(trends_peak / 2**20, 1),
        "max_rss_mib": round(rss / 1024, 1),
        "queries_joined_vs_skill_rows": _queries(platform, runs),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def _reuse(args: argparse.Namespace, started: float, load_at_start: float, folder: Path) -> None:
    """Aggregation alone, on the SQLite database an earlier run left (its copies made and analysed)."""
    platform = _platform(f"sqlite:///{args.sqlite_db}", folder)
    aggregation = {"sqlite": _aggregation(platform, args.aggregate, args.runs)}
    platform.dispose()
    _write(args, load_at_start, started, {"ingest": None, "aggregation": aggregation})


def _write(args: argparse.Namespace, load_at_start: float, started: float, parts: dict[str, object]) -> None:
    result = {
        **report_file.header(
            "market", "bench.bench_market", sys.argv[1:], load_average_1m_at_start=load_at_start
        ),
        **parts,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    target = report_file.write(result, args.out or RESULTS / f"market-{dt.date.today().isoformat()}.json")
    print(f"results: {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--postings", type=int, default=3_000)
    parser.add_argument("--aggregate", type=int, default=300_000)
    parser.add_argument("--workers", default="2", help="Dask local cluster sizes, e.g. 1,2")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres-url", default="", help="a server URL; a database of its own is made")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip-sqlite", action="store_true", help="aggregate on PostgreSQL alone")
    parser.add_argument(
        "--size", type=int, default=0, help="add about SIZE characters to each text (bench/postings.py)"
    )
    parser.add_argument("--ingest-only", action="store_true", help="part 1 alone (no aggregation)")
    parser.add_argument(
        "--ingest-dask",
        action="store_true",
        help="only the store ingest in one process against on Dask (--workers sizes), alternating",
    )
    parser.add_argument(
        "--one-core", type=int, metavar="CPU", help="pin the single-process part to this CPU (Dask gets all)"
    )
    parser.add_argument(
        "--sqlite-db",
        type=Path,
        help="aggregate on this SQLite database, left by an earlier run with its copies (no ingest)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    load_at_start = round(os.getloadavg()[0], 2)
    folder = Path(tempfile.mkdtemp(prefix="bench-market-"))
    if args.sqlite_db:
        _reuse(args, started, load_at_start, folder)
        return
    platform = _platform(f"sqlite:///{folder / 'bench.db'}", folder)
    start = time.perf_counter()
    import_taxonomy(platform.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=NoProgress())
    import_s = time.perf_counter() - start
    extractor, matcher = market_ingest.prepare(platform.uow(), platform.caches, platform.lexicons)
    records = list(generate(args.postings, seed=19))
    if args.size:
        records = list(long_texts(records, size=args.size))
    corpus = folder / "postings.jsonl"
    write_records(corpus, records)
    parts = []
    for n in range(0, len(records), PARTITION):
        path = folder / f"part-{n // PARTITION:04d}.parquet"
        write_records(path, records[n : n + PARTITION])
        parts.append(path)

    if args.ingest_dask:
        from bench.market_ingest_dask import side_by_side, write_parquet

        result = side_by_side(
            platform,
            write_parquet(folder / "postings.parquet", records),
            sizes=[int(w) for w in args.workers.split(",") if w.strip()],
            runs=args.runs,
            one_core=args.one_core,
            cpu_seconds=_cpu_seconds,
            workers_cpu=_workers_cpu,
            log=_log,
        )
        platform.dispose()
        _write(args, load_at_start, started, {"taxonomy_import_s": round(import_s, 1), "ingest_dask": result})
        return
    everywhere = os.sched_getaffinity(0)
    if args.one_core is not None:
        os.sched_setaffinity(0, {args.one_core})
    single_cpus = sorted(os.sched_getaffinity(0))
    start = time.perf_counter()  # the spelling index is built on first use: not the ingest's cost
    warm = [(str(r["id"]), f"{r['title']}\n{r['text']}") for r in generate(50, seed=7)]
    extractor.extract_many(warm, options=options_for(Actor.system(), ExtractionRequest(), extractor))
    warm_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), _cpu_seconds()
    report = market_ingest.ingest(
        platform.uow(),
        actor=Actor.system(),
        records=read_records(corpus),
        mapping=ColumnMapping(),
        default_source="demo",
        extractor=extractor,
        occupations=matcher,
    )
    ingest_s, ingest_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    _log(f"ingest {ingest_s:.1f} s ({ingest_cpu:.1f} CPU s) on CPUs {single_cpus}")
    options = options_for(Actor.system(), ExtractionRequest(), extractor)
    local_runs, local_cpu = [], []
    for _ in range(args.runs):
        start, cpu = time.perf_counter(), _cpu_seconds()
        local, _ = aggregate_in_process(
            parts, mapping=ColumnMapping(), source="demo", extractor=extractor, options=options
        )
        local_runs.append(time.perf_counter() - start)
        local_cpu.append(_cpu_seconds() - cpu)
    local_s = statistics.median(local_runs)
    _log(f"in process {[round(t, 1) for t in local_runs]} s")
    os.sched_setaffinity(0, everywhere)  # the Dask clusters' processes inherit it
    dask: dict[str, object] = {}
    for workers in (int(w) for w in args.workers.split(",") if w.strip()):
        start = time.perf_counter()
        dask_runs, dask_cpu = [], []
        with dask_client(None, workers) as client:
            client.wait_for_workers(workers)
            cluster_s = time.perf_counter() - start
            start = time.perf_counter()  # each worker builds its spelling index on its first task
            aggregate_on_dask(
                client, parts, mapping=ColumnMapping(), source="demo", extractor=extractor, options=options
            )
            first_s = time.perf_counter() - start
            for _ in range(args.runs):
                start, cpu = time.perf_counter(), _cpu_seconds() + _workers_cpu(client)
                spread, _ = aggregate_on_dask(
                    client,
                    parts,
                    mapping=ColumnMapping(),
                    source="demo",
                    extractor=extractor,
                    options=options,
                )
                dask_runs.append(time.perf_counter() - start)
                dask_cpu.append(_cpu_seconds() + _workers_cpu(client) - cpu)
                assert spread.skill_months == local.skill_months
                assert spread.month_totals == local.month_totals
                assert spread.postings == local.postings
                assert spread.pay_count == local.pay_count
        dask_s = statistics.median(dask_runs)
        _log(f"dask {workers} workers {[round(t, 1) for t in dask_runs]} s")
        dask[f"{workers}_workers"] = {
            "cpus": sorted(everywhere),
            "cluster_start_s": round(cluster_s, 2),
            "first_run_s": round(first_s, 2),
            "counted_runs_s": [round(t, 2) for t in dask_runs],
            "counted_median_s": round(dask_s, 2),
            "postings_per_s": round(len(records) / dask_s, 1),
            "cpu_runs_s": [round(t, 2) for t in dask_cpu],
            "postings_per_cpu_s": round(len(records) / statistics.median(dask_cpu), 1),
            "over_in_process": round(local_s / dask_s, 2),
            "equals_in_process": True,
        }
    ingest = {
        "records": len(records),
        "stored_originals": report.added,
        "reposts_collapsed": report.reposts,
        "single_process_cpus": single_cpus,
        "extractor_warm_up_s": round(warm_s, 2),
        "ingest_s": round(ingest_s, 2),
        "ingest_postings_per_s_one_core": round(len(records) / ingest_s, 1),
        "ingest_cpu_s": round(ingest_cpu, 2),
        "ingest_postings_per_cpu_s": round(len(records) / ingest_cpu, 1),
        "counted_in_process_runs_s": [round(t, 2) for t in local_runs],
        "counted_in_process_median_s": round(local_s, 2),
        "counted_in_process_postings_per_s": round(len(records) / local_s, 1),
        "counted_in_process_cpu_runs_s": [round(t, 2) for t in local_cpu],
        "counted_in_process_postings_per_cpu_s": round(len(records) / statistics.median(local_cpu), 1),
        "dask_local": dask,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(ingest, indent=2), flush=True)
    _log("aggregation on SQLite")
    aggregation = (
        {"sqlite": _aggregation(platform, args.aggregate, args.runs)}
        if not (args.skip_sqlite or args.ingest_only)
        else {}
    )
    print(json.dumps(aggregation, indent=2), flush=True)
    platform.dispose()
    if args.postgres_url:
        name = f"bench_market_{os.getpid()}"
        admin = create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as db:
            db.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            pg = _platform(args.postgres_url.rsplit("/", 1)[0] + f"/{name}", folder)
            import_taxonomy(pg.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=NoProgress())
            market_ingest.ingest(
                pg.uow(),
                actor=Actor.system(),
                records=read_records(corpus),
                mapping=ColumnMapping(),
                default_source="demo",
                extractor=extractor,
                occupations=matcher,
            )
            aggregation["postgresql"] = _aggregation(pg, args.aggregate, args.runs)
            print(json.dumps(aggregation["postgresql"], indent=2), flush=True)
            pg.dispose()
        finally:
            with admin.connect() as db:
                db.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    results = {"taxonomy_import_s": round(import_s, 1), "ingest": ingest, "aggregation": aggregation}
    _write(args, load_at_start, started, results)


if __name__ == "__main__":
    main()
