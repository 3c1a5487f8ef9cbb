"""The benchmark's exact-label baseline: longest label first, no overlaps, character spans."""

from __future__ import annotations

from bench.bench_extraction import error_line
from bench.peers.exact_label_matcher import ExactMatcher
from bench.peers.peer_common import EscoLabel, locate_tokens

LABELS = [
    EscoLabel("u:python", "Python (computer programming)", "Python"),
    EscoLabel("u:pm", "project management", "project management"),
    EscoLabel("u:project", "project", "project"),
    EscoLabel("u:c++", "C++", "C++"),
]


def test_the_longest_label_wins_and_spans_point_into_the_text() -> None:
    text = "Python, C++ and project management."
    found = ExactMatcher(LABELS)(("d1", text))
    assert [(m["uri"], text[m["start"] : m["end"]]) for m in found] == [
        ("u:python", "Python"),
        ("u:c++", "C++"),
        ("u:pm", "project management"),
    ]
    assert {m["label"] for m in found} == {"Python (computer programming)", "C++", "project management"}


def test_locate_tokens_maps_lowercased_tokens_back_and_marks_missing_ones() -> None:
    assert locate_tokens("Use SQL, then sql", ["sql", "nothing", "sql"]) == [(4, 7), (-1, -1), (14, 17)]


def test_error_line_prefers_microcareer_error_lines_else_the_traceback_message() -> None:
    assert error_line("progress\nerror: methods: no such method\nmore\n") == "error: methods: no such method"
    assert error_line("Traceback (most recent call last):\n  File x\nOSError: no hub\n") == "OSError: no hub"
    assert error_line("") == "(no message)"
