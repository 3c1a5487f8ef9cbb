"""Skill label search over the whole bundled ESCO skill set: index build time, latency median and p99.

Queries (seeded, about 2,000): exact preferred labels, alternative labels, prefixes, typo'd labels
(a swapped, dropped or doubled letter) and multiword word-prefix queries.
Run: ``python -m bench.bench_skill_search``.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.bootstrap import bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import Skill
from microcareer.domain.taxonomy.search import LabelIndex
from microcareer.services import taxonomy
from microcareer.services.ports import NoProgress
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store import migrate

Row = tuple[str, str, str, int | None]
SEED = 20240601


def label_rows(skills: list[Skill]) -> list[Row]:
    rows: list[Row] = []
    for skill in skills:
        rows.append((skill.uri, skill.preferred_label, "preferred", None))
        rows += [(skill.uri, label, "alt", None) for label in skill.alt_labels]
        rows += [(skill.uri, label, "hidden", None) for label in skill.hidden_labels]
    return rows


def typo(rng: random.Random, label: str) -> str:
    words = label.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return label
    i = rng.choice(long_words)
    word = words[i]
    at = rng.randrange(1, len(word) - 2)
    edit = rng.choice(("swap", "drop", "double"))
    if edit == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif edit == "drop":
        word = word[:at] + word[at + 1 :]
    else:
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


def queries(rng: random.Random, skills: list[Skill]) -> dict[str, list[str]]:
    preferred = [s.preferred_label for s in skills]
    alternative = [label for s in skills for label in s.alt_labels]
    multiword = [label for label in preferred if len(label.split()) >= 3]
    return {
        "exact": rng.sample(preferred, 500),
        "alt": rng.sample(alternative, 400),
        "prefix": [label[: rng.randint(3, 8)] for label in rng.sample(preferred, 400)],
        "typo": [typo(rng, label) for label in rng.sample(preferred, 400)],
        "multiword": [
            " ".join(word[:4] for word in rng.sample(label.split(), 2))
            for label in rng.sample(multiword, 300)
        ],
    }


def timed(search: Callable[[str], object], batch: list[str]) -> list[float]:
    out = []
    for query in batch:
        start = time.perf_counter_ns()
        search(query)
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def p99(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.99 * len(values)) - 1)]


def through_the_service(batches: dict[str, list[str]]) -> None:
    """The same queries through ``search_skills`` on SQLite: revision check, index, and skill rows."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        platform = bootstrap(Settings(environment="test", database_url=url))
        assert platform.engine is not None
        migrate.upgrade(platform.engine)
        import_taxonomy(
            platform.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=NoProgress()
        )
        cache = taxonomy.label_index_cache(platform.caches)

        def search(query: str) -> object:
            return taxonomy.search_skills(
                platform.uow(), cache, actor=Actor.anonymous(), query=query, limit=20
            )

        started = time.perf_counter()
        search("python")
        print(
            f"service, SQLite: first search (loads labels, builds the index) "
            f"{time.perf_counter() - started:.2f} s"
        )
        latencies = [ms for batch in batches.values() for ms in timed(search, batch)]
        print(
            f"service, SQLite: {len(latencies)} queries, median {statistics.median(latencies):.3f} ms, "
            f"p99 {p99(latencies):.3f} ms"
        )
        platform.dispose()


def main() -> None:
    started = time.perf_counter()
    bundle = bundled_taxonomy().read(NoProgress())
    read_s = time.perf_counter() - started
    concepts = [*bundle.skills, *bundle.skill_groups]
    rows = label_rows(concepts)
    started = time.perf_counter()
    index = LabelIndex(rows)
    build_s = time.perf_counter() - started
    print(
        f"ESCO {bundle.version}: {len(bundle.skills):,} skills + {len(bundle.skill_groups):,} groups, "
        f"{len(rows):,} label rows ({index.label_count:,} distinct), read in {read_s:.1f} s"
    )
    print(f"index build: {build_s * 1000:.0f} ms")

    def search(query: str) -> object:
        return index.search(query, limit=20, visible_orgs=frozenset())

    batches = queries(random.Random(SEED), bundle.skills)
    for query in batches["exact"][:50]:  # warm up
        search(query)
    everything: list[float] = []
    print(f"{'queries':<10}{'n':>6}{'median ms':>11}{'p99 ms':>9}{'max ms':>9}")
    for name, batch in batches.items():
        latencies = timed(search, batch)
        everything += latencies
        print(
            f"{name:<10}{len(batch):>6}{statistics.median(latencies):>11.3f}{p99(latencies):>9.3f}"
            f"{max(latencies):>9.3f}"
        )
    print(
        f"{'all':<10}{len(everything):>6}{statistics.median(everything):>11.3f}{p99(everything):>9.3f}"
        f"{max(everything):>9.3f}"
    )
    for query in ("python", "pyhton", "javscript", "projet managment"):
        top = index.search(query, limit=1).hits
        uri_to_label = {s.uri: s.preferred_label for s in concepts}
        shown = (
            f"{uri_to_label[top[0].uri]} (via {top[0].matched_label!r}, {top[0].match_kind})" if top else "-"
        )
        print(f"top hit for {query!r}: {shown}")
    through_the_service(batches)


if __name__ == "__main__":
    main()
