"""The header every benchmark report starts with, and writing a report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import report_file


def test_the_header_names_the_benchmark_the_command_and_the_machine() -> None:
    header = report_file.header("gap", "bench.bench_gap", ["--runs", "3"], pinned_cpu=1)
    assert list(header) == ["benchmark", "command", "date", "machine"]
    assert header["benchmark"] == "gap"
    assert header["command"] == "python -m bench.bench_gap --runs 3"
    assert header["date"].endswith("+00:00")
    machine = header["machine"]
    assert machine["pinned_cpu"] == 1
    assert isinstance(machine["load_average_1m"], float)
    assert machine["cpus"]
    assert machine["python"]
    assert machine["platform"]


def test_no_arguments_give_the_bare_command() -> None:
    assert report_file.header("x", "bench.x", None)["command"] == "python -m bench.x"


def test_write_makes_the_folder_and_keeps_text_as_is(tmp_path: Path) -> None:
    target = tmp_path / "new" / "r.json"
    assert report_file.write({"note": "médiane 1×"}, target) == target
    text = target.read_text(encoding="utf-8")
    assert "médiane 1×" in text
    assert text.endswith("\n")
    assert json.loads(text) == {"note": "médiane 1×"}


def test_write_turns_other_values_into_json_through_default(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    report_file.write({"where": tmp_path}, target, default=str)
    assert json.loads(target.read_text(encoding="utf-8")) == {"where": str(tmp_path)}
    with pytest.raises(TypeError):
        report_file.write({"where": tmp_path}, tmp_path / "s.json")
