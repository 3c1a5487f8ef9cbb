"""Lexical extraction against the exact-label matcher, in one process: a CPU-time ratio, not wall time.

    python -m bench.extraction_speed [--docs 400] [--rounds 7] [--quick] [--profile lexical|exact]
                                     [--out PATH]

Both extractors get the same ~3 KB postings (bench/postings.py) and run in alternating rounds (A B,
then B A, ...) after one warm-up round each; each round is timed with ``time.process_time`` (this
process's CPU time), so other work on the machine slows neither and drift hits both alike. The
figure is the median over rounds of ``matcher CPU time / lexical CPU time``: lexical extraction's
speed as a fraction of the matcher's (1.0: as fast). It runs under the CLI's defaults for
``extract --methods lexical`` (minimum confidence 0.5, all organisations visible), without the
JSON Lines writing the subprocess benchmark (bench/bench_extraction.py) adds to both sides.

``--quick`` (a few rounds on fewer postings) is what tests/unit/bench/test_extraction_speed.py runs
in CI against the committed figure in bench/results/extraction-speed-*.json: it fails only when the
ratio falls below half of it. ``--profile`` runs one extractor under cProfile and prints the top
functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import report_file
from bench.peers.exact_label_matcher import ExactMatcher
from bench.peers.peer_common import esco_labels
from bench.postings import postings
from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.adapters.tool_names import BundledToolNames
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.mentions import Method
from microcareer.domain.progress import NoProgress
from microcareer.domain.taxonomy.concepts import ConceptType

RESULTS = Path(__file__).resolve().parent / "results"
QUICK_DOCS, QUICK_ROUNDS = 100, 5  # --quick, and the CI test (tests/unit/bench/test_extraction_speed.py)
LEXICAL = ExtractionOptions(methods=frozenset({Method.LEXICAL}))
Document = tuple[str, str]


def bundled_label_rows() -> list[LabelRow]:
    """The rows the store gives the lexicon for the bundled ESCO (no skill groups), preferred first."""
    skills = [s for s in bundled_taxonomy().read(NoProgress()).skills if s.concept_type is ConceptType.SKILL]
    rows: list[LabelRow] = [(s.uri, s.preferred_label, "preferred", None) for s in skills]
    for skill in skills:
        rows.extend((skill.uri, label, "alt", None) for label in skill.alt_labels)
        rows.extend((skill.uri, label, "hidden", None) for label in skill.hidden_labels)
    return rows


def bundled_extractor() -> SkillExtractor:
    """The extractor ``microcareer extract`` builds on the bundled ESCO and O*NET tool names."""
    return SkillExtractor(Lexicon([*bundled_label_rows(), *BundledToolNames().label_rows()]))


def lexical_runner(extractor: SkillExtractor) -> Callable[[Sequence[Document]], int]:
    def run(documents: Sequence[Document]) -> int:
        found = 0
        for doc_id, text in documents:
            found += len(extractor.extract(text, doc_id=doc_id, options=LEXICAL).mentions)
        return found

    return run


def exact_runner(matcher: ExactMatcher) -> Callable[[Sequence[Document]], int]:
    def run(documents: Sequence[Document]) -> int:
        return sum(len(matcher(document)) for document in documents)

    return run


@dataclass(frozen=True, slots=True)
class SpeedRun:
    docs: int
    rounds: int
    lexical_cpu_s: list[float]
    exact_cpu_s: list[float]
    ratios: list[float]  # per round: exact CPU time / lexical CPU time
    lexical_mentions: int
    exact_mentions: int

    @property
    def ratio(self) -> float:
        """Lexical extraction's speed as a fraction of the matcher's (median over rounds)."""
        return statistics.median(self.ratios)

    @property
    def lexical_docs_per_cpu_s(self) -> float:
        return self.docs / statistics.median(self.lexical_cpu_s)

    @property
    def exact_docs_per_cpu_s(self) -> float:
        return self.docs / statistics.median(self.exact_cpu_s)


def _cpu(run: Callable[[Sequence[Document]], int], documents: Sequence[Document]) -> tuple[float, int]:
    started = time.process_time()
    found = run(documents)
    return time.process_time() - started, found


def measure(
    lexical: Callable[[Sequence[Document]], int],
    exact: Callable[[Sequence[Document]], int],
    documents: Sequence[Document],
    rounds: int,
) -> SpeedRun:
    """Alternating rounds after a warm-up of each (word caches, label look-ups); medians of CPU time."""
    lexical_mentions, exact_mentions = lexical(documents), exact(documents)
    lexical_times: list[float] = []
    exact_times: list[float] = []
    for number in range(rounds):
        order = [(lexical, lexical_times), (exact, exact_times)]
        for run, times in order if number % 2 == 0 else reversed(order):
            seconds, _ = _cpu(run, documents)
            times.append(seconds)
    ratios = [e / max(lex, 1e-9) for lex, e in zip(lexical_times, exact_times, strict=True)]
    return SpeedRun(
        len(documents), rounds, lexical_times, exact_times, ratios, lexical_mentions, exact_mentions
    )


def corpus(count: int) -> list[Document]:
    return [(d["doc_id"], d["text"]) for d in postings(count)]


def profile(run: Callable[[Sequence[Document]], int], documents: Sequence[Document], top: int) -> None:
    run(documents)  # warm-up, as in the timed rounds
    profiler = cProfile.Profile()
    profiler.enable()
    run(documents)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=400, help="postings per round (default 400)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of each extractor (default 7)")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_DOCS} postings, {QUICK_ROUNDS} rounds (what CI runs)"
    )
    parser.add_argument("--profile", choices=["lexical", "exact"], help="cProfile one extractor instead")
    parser.add_argument("--top", type=int, default=30, help="functions --profile prints")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    docs, rounds = (QUICK_DOCS, QUICK_ROUNDS) if args.quick else (args.docs, args.rounds)
    started = time.perf_counter()
    extractor = bundled_extractor()
    matcher = ExactMatcher(esco_labels())
    print(f"lexicon and matcher built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    documents = corpus(docs)
    lexical, exact = lexical_runner(extractor), exact_runner(matcher)
    if args.profile:
        profile(lexical if args.profile == "lexical" else exact, documents, args.top)
        return
    result = measure(lexical, exact, documents, rounds)
    print(
        f"{docs} postings x {rounds} rounds, CPU time: lexical {result.lexical_docs_per_cpu_s:,.0f} docs/s, "
        f"exact-label matcher {result.exact_docs_per_cpu_s:,.0f} docs/s; "
        f"ratio {result.ratio:.3f} (rounds {min(result.ratios):.3f}..{max(result.ratios):.3f})"
    )
    if args.out:
        figures = {
            **report_file.header("extraction-speed", "bench.extraction_speed", list(argv or sys.argv[1:])),
            "ratio": result.ratio,
            "lexical_docs_per_cpu_s": result.lexical_docs_per_cpu_s,
            "exact_docs_per_cpu_s": result.exact_docs_per_cpu_s,
            **asdict(result),
        }
        report_file.write(figures, args.out)


if __name__ == "__main__":
    main()
