"""How long it takes to set up a database with ESCO, and how big the shipped taxonomy is.

    .venv/bin/python -m bench.bench_taxonomy_import

(a) a fresh SQLite database: migrate + import the bundled build, median of 3; (b) importing the full
official ESCO v1.1.1 CSVs (``../shared/data/esco/v1.1.1``) into SQLite, and into PostgreSQL when
``MICROCAREER_DATABASE_URL`` names one; (c) the bundled build's size on disk and its row counts.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from microcareer.adapters.esco_csv import EscoCsvDirectory, bundled_taxonomy
from microcareer.bootstrap import bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.services.ports import NoProgress, TaxonomySource
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store import migrate

REPEATS = 3
FULL_ESCO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "esco" / "v1.1.1"


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _fresh_sqlite(folder: Path) -> float:
    """Seconds to migrate a new SQLite file and load the bundled taxonomy into it."""
    path = folder / f"bench-{time.monotonic_ns()}.sqlite3"
    platform = bootstrap(Settings(environment="test", database_url=f"sqlite:///{path}"))

    def work() -> None:
        assert platform.engine is not None
        migrate.upgrade(platform.engine)
        import_taxonomy(
            platform.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=NoProgress()
        )

    try:
        return _timed(work)
    finally:
        platform.dispose()


def _import_into(url: str, source: TaxonomySource) -> list[float]:
    """Seconds per import of ``source`` into the database at ``url`` (read + write), REPEATS times."""
    platform = bootstrap(Settings(environment="test", database_url=url))
    assert platform.engine is not None
    migrate.upgrade(platform.engine)
    try:
        return [
            _timed(
                lambda: import_taxonomy(
                    platform.uow(), actor=Actor.system(), source=source, progress=NoProgress()
                )
            )
            for _ in range(REPEATS)
        ]
    finally:
        platform.dispose()


def _read_only(source: TaxonomySource) -> float:
    return statistics.median(_timed(lambda: source.read(NoProgress())) for _ in range(REPEATS))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fresh = [_fresh_sqlite(folder) for _ in range(REPEATS)]
        print(f"(a) fresh SQLite database (migrate + bundled ESCO): median {statistics.median(fresh):.2f} s")
        print(f"    runs: {', '.join(f'{t:.2f}' for t in fresh)} s")

        if not FULL_ESCO.is_dir():
            print(f"(b) skipped: no full ESCO download at {FULL_ESCO}")
        else:
            source = EscoCsvDirectory(FULL_ESCO, version="1.1.1")
            print(f"(b) reading the full ESCO v1.1.1 CSVs only: median {_read_only(source):.2f} s")
            runs = _import_into(f"sqlite:///{folder / 'full.sqlite3'}", source)
            print(f"    import into SQLite (first into an empty db, then replacing): {_runs(runs)}")
            url = os.environ.get("MICROCAREER_DATABASE_URL", "")
            if url.startswith("postgresql"):
                print(f"    import into PostgreSQL: {_runs(_import_into(url, source))}")
            else:
                print("    PostgreSQL: skipped (set MICROCAREER_DATABASE_URL to a PostgreSQL URL)")

    bundle_dir = bundled_taxonomy().path
    files = sorted(bundle_dir.iterdir())
    size = sum(p.stat().st_size for p in files)
    manifest = json.loads((bundle_dir / "manifest.json").read_text("utf-8"))
    print(f"(c) bundled taxonomy: {len(files)} files, {size:,} bytes ({size / 2**20:.2f} MiB)")
    for name, facts in manifest["files"].items():
        print(f"    {name}: {facts['rows']:,} rows, {facts['bytes']:,} bytes")


def _runs(runs: list[float]) -> str:
    return f"median {statistics.median(runs):.2f} s (runs: {', '.join(f'{t:.2f}' for t in runs)} s)"


if __name__ == "__main__":
    main()
