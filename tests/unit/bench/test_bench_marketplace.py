"""The marketplace benchmark: its statistics, and a tiny run on SQLite that writes its JSON and leaves
the ledger balanced (a real server in a subprocess on a temporary database; no timing is asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.bench_marketplace import MEASURES, Sample, main, percentile, round_figures, sizes_at, summarise


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (50, 95, 99)
    assert percentile([7.0], 0.99) == 7.0


def test_figures_count_answers_other_than_2xx_and_take_medians_over_rounds() -> None:
    first = round_figures([Sample("t", 201, 10.0), Sample("t", 409, 30.0), Sample("t", 500, 20.0)], 0.5)
    assert first["requests_per_s"] == 6.0
    assert first["not_2xx"] == {"409": 1, "500": 1}
    second = round_figures([Sample("t", 200, 1.0)] * 3, 1.5)
    third = round_figures([Sample("t", 200, 2.0)] * 3, 0.3)
    summary = summarise([first, second, third])
    assert summary["requests_per_s"] == 6.0  # median of 6, 2 and 10
    assert summary["not_2xx"] == {"409": 1, "500": 1}
    assert summary["rounds"] == 3


def test_sizes_scale_down_but_keep_two_professionals() -> None:
    tiny = sizes_at(0.001)
    assert all(v >= 1 for v in tiny.values())
    assert tiny["professionals"] == 2


def test_a_tiny_run_on_sqlite_writes_every_measure_and_balances_the_ledger(tmp_path: Path) -> None:
    out = tmp_path / "marketplace.json"
    main(["--stores", "sqlite", "--rounds", "1", "--scale", "0.05", "--concurrency", "4", "--out", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["benchmark"] == "marketplace"
    assert report["settings"]["concurrency"] == 4
    assert set(report["stores"]) == {"sqlite"}
    assert report["ratios_postgresql_over_sqlite"] == {}
    measures = report["stores"]["sqlite"]["measures"]
    assert set(measures) == set(MEASURES)
    for name, figures in measures.items():
        assert figures["rounds"] == 1, name
        assert figures["requests_per_s"] > 0, name
        assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"], name
        assert figures["not_2xx"] == {}, (name, figures["not_2xx"])
    assert measures["post"]["requests_per_round"] == 2 * report["settings"]["sizes"]["post_jobs"]
    ledger = report["stores"]["sqlite"]["ledger"]
    assert ledger["server_errors"] == 0
    assert ledger["other_4xx"] == 0
    assert ledger["ledger_check"]["ok"] is True, ledger["ledger_check"]
    assert ledger["contracts"]["problems"] == []
    assert ledger["balanced"] is True
    totals = ledger["contracts"]["totals"]
    assert min(totals["funded"], totals["released"], totals["refunded"]) > 0  # money moved every way
    assert set(ledger["ledger_check"]["totals"].values()) == {0}
    assert ledger["status_by_request"]["fund"].get("409", 0) >= 1  # a duplicate fund lost its race
