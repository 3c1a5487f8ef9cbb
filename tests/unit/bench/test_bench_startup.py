"""The start-up benchmark's quick mode (CI): ``--help`` against ``import typer`` in the same run.

Guards on what is imported, never on time: ``--help`` loads none of the heavy modules, and at most five
times the modules ``import typer`` does (2.4 times now, with rich; 9 times before issue 17), so going
back to twice what it loads fails.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.bench_startup import main


def test_the_quick_run_reports_ratios_and_help_imports_nothing_heavy(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    main(["--quick", "--out", str(out), "--cache-dir", str(tmp_path / "cache")])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["benchmark"] == "startup"
    measures = report["measures"]
    assert set(measures) == {"python -c pass", "python -c 'import typer'", "microcareer --help"}
    help_, typer = measures["microcareer --help"], measures["python -c 'import typer'"]
    assert help_["vs_python"] > 0
    assert help_["vs_import_typer"] > 0
    assert help_["heavy_modules"] == []
    assert typer["modules_imported"] > 0
    assert help_["modules_imported"] <= 5 * typer["modules_imported"]
