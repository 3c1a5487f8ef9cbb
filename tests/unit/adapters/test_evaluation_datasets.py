"""Reading labelled data sets: CoNLL BIO files, JSONL and CSV/TSV sentence -> URI files, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcareer.adapters.evaluation import load_dataset
from microcareer.adapters.evaluation.loading import detect_format
from microcareer.domain.evaluation.datasets import DatasetFormat, LabelledDataset
from microcareer.errors import DataFileError, InvalidInput

PY = "http://data.europa.eu/esco/skill/python"
PM = "http://data.europa.eu/esco/skill/project-management"
SQL = "http://data.europa.eu/esco/skill/sql"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, **options: object) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        load_dataset(path, **options)  # type: ignore[arg-type]
    return caught.value


def _span_texts(dataset: LabelledDataset, index: int = 0) -> list[str]:
    sentence = dataset.sentences[index]
    return [sentence.text[s.start : s.end] for s in sentence.spans]


CONLL = f"""# sentence_id = first
I\tO\t_
led\tB-SKILL\t{PM}
projects\tI-SKILL\t_
in\tO\t_
Python\tB-SKILL\t{PY}
.\tO\t_

# id = second
Nothing\tO\t_
here\tO\t-
"""


def test_a_conll_file_gives_text_spans_and_uris(tmp_path: Path) -> None:
    dataset = load_dataset(_write(tmp_path, "set.conll", CONLL))
    assert (dataset.name, dataset.format, dataset.has_spans, dataset.has_uris) == (
        "set.conll",
        "bio",
        True,
        True,
    )
    first, second = dataset.sentences
    assert (first.sentence_id, first.text) == ("first", "I led projects in Python .")
    assert [(s.start, s.end, s.uri) for s in first.spans] == [(2, 14, PM), (18, 24, PY)]
    assert first.uris == {PM, PY}
    assert (second.sentence_id, second.spans, second.uris) == ("second", (), frozenset())


def test_conll_tags_follow_conlleval(tmp_path: Path) -> None:
    text = "a O\nb I-SKILL\nc I-SKILL\nd I-KNOW\ne B-SKILL\nf B-SKILL\n#\tI-SKILL\n"
    dataset = load_dataset(_write(tmp_path, "tags.bio", text))
    # an I- after O opens a span; an I- of another type opens a new one; "#" inside a sentence is a token
    assert _span_texts(dataset) == ["b c", "d", "e", "f #"]
    assert dataset.sentences[0].sentence_id == "1"
    assert not dataset.has_uris


def test_skillspan_style_tag_columns(tmp_path: Path) -> None:
    text = "Python\tO\tB-KNOWLEDGE\nteam\tB-SKILL\tO\nwork\tI-SKILL\tO\n"
    path = _write(tmp_path, "skillspan.conll", text)
    assert _span_texts(load_dataset(path)) == ["Python"]  # the last column by default
    assert _span_texts(load_dataset(path, tag_column=1)) == ["team work"]
    assert _span_texts(load_dataset(path, merge_tag_columns=True)) == ["Python", "team work"]


def test_an_explicit_uri_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "u.conll", f"Python\t{PY}\tB-X\nrocks\t_\tO\n")
    dataset = load_dataset(path, uri_column=1)
    assert dataset.sentences[0].spans[0].uri == PY


@pytest.mark.parametrize(
    ("text", "line", "column", "problem"),
    [
        ("a\tO\nb\tB_SKILL\n", 2, "tag (column 2)", "is not B-*, I-* or O"),
        ("a\tO\nb\tO\textra\n", 2, None, "has 3 columns but the first token line has 2"),
        ("a\tO\n\tB-SKILL\n", 2, "token (column 1)", "a tag without a token"),
        (f"a\tB-X\t{PY}\nb\tI-X\tnot-a-uri\n", 2, "URI (column 3)", "is not a URI"),
        (f"a\tB-X\t{PY}\nb\tO\t{PM}\n", 2, "URI (column 3)", "outside every span"),
        (f"a\tB-X\t{PY}\nb\tI-X\t{PM}\n", 2, "URI (column 3)", "differs from the URI"),
        ("# id = s\na\tO\n\n# id = s\nb\tO\n", 4, None, "sentence id 's' is already used on line 1"),
        ("a\n", 1, None, "needs a token and a tag column"),
    ],
)
def test_malformed_conll_names_line_and_column(
    tmp_path: Path, text: str, line: int, column: str | None, problem: str
) -> None:
    error = _error(_write(tmp_path, "bad.conll", text))
    assert (error.file, error.line, error.column) == (str(tmp_path / "bad.conll"), line, column)
    assert problem in error.problem
    assert f"bad.conll, line {line}" in str(error)


def test_conll_files_with_nothing_or_bad_column_options(tmp_path: Path) -> None:
    assert "no sentence" in _error(_write(tmp_path, "e.conll", "# only a comment\n\n")).problem
    path = _write(tmp_path, "c.conll", "a\tO\n")
    assert "not a column after the token" in _error(path, tag_column=5).problem
    assert "not a column after the token" in _error(path, uri_column=0).problem


JSONL = f"""{{"id": "s1", "text": "I know Python and SQL.", "uris": ["{PY}", "{SQL}"]}}

{{"sentence_id": 7, "sentence": "Nothing to see.", "labels": ["UNK"]}}
{{"sentence": "Managed projects.", "labels": "{PM} | LABEL NOT PRESENT"}}
"""


def test_a_jsonl_file_accepts_both_field_spellings(tmp_path: Path) -> None:
    dataset = load_dataset(_write(tmp_path, "set.jsonl", JSONL))
    assert (dataset.format, dataset.has_spans, dataset.has_uris) == (DatasetFormat.SENTENCE_URIS, False, True)
    ids = [s.sentence_id for s in dataset.sentences]
    assert ids == ["s1", "7", "3"]
    assert [s.uris for s in dataset.sentences] == [{PY, SQL}, frozenset(), {PM}]


@pytest.mark.parametrize(
    ("line", "column", "problem"),
    [
        ("{not json", None, "not valid JSON"),
        ('["a list"]', None, "must be a JSON object"),
        ('{"uris": []}', "text", "is missing"),
        ('{"text": "  ", "uris": []}', "text", "non-empty string"),
        ('{"text": "x"}', "uris", "is missing"),
        ('{"text": "x", "labels": [1]}', "labels", "list of URI strings"),
        ('{"text": "x", "uris": ["Python"]}', "uris", "'Python' is not a URI"),
        ('{"id": [1], "text": "x", "uris": []}', "id", "string or a number"),
    ],
)
def test_malformed_jsonl_names_line_and_field(
    tmp_path: Path, line: str, column: str | None, problem: str
) -> None:
    path = _write(tmp_path, "bad.jsonl", '{"text": "fine", "uris": []}\n' + line + "\n")
    error = _error(path)
    assert (error.line, error.column) == (2, column)
    assert problem in error.problem


def test_repeated_jsonl_ids_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "d.jsonl", '{"id": "a", "text": "x", "uris": []}\n{"id": "a", "text": "y", "uris": []}\n'
    )
    error = _error(path)
    assert (error.line, error.column) == (2, "id")
    assert "already used on line 1" in error.problem


CSV = f"""Sentence,Label
I know Python and SQL.,{PY}
I know Python and SQL.,{SQL}
Nothing here.,LABEL NOT PRESENT
"Managed projects, on time.","{PM};{PY}"
Empty label means no skill.,
"""


def test_a_csv_file_groups_rows_of_one_sentence(tmp_path: Path) -> None:
    dataset = load_dataset(_write(tmp_path, "set.csv", CSV))
    assert [s.text for s in dataset.sentences] == [
        "I know Python and SQL.",
        "Nothing here.",
        "Managed projects, on time.",
        "Empty label means no skill.",
    ]
    assert [s.uris for s in dataset.sentences] == [{PY, SQL}, frozenset(), {PM, PY}, frozenset()]
    assert [s.sentence_id for s in dataset.sentences] == ["1", "2", "3", "4"]


def test_a_tsv_file_with_ids(tmp_path: Path) -> None:
    text = f"id\ttext\turis\na\tI know Python.\t{PY}\nb\tAnd SQL.\tUNK\na\tI know Python.\t{SQL}\n"
    dataset = load_dataset(_write(tmp_path, "set.tsv", text))
    assert [(s.sentence_id, s.uris) for s in dataset.sentences] == [("a", {PY, SQL}), ("b", frozenset())]


@pytest.mark.parametrize(
    ("body", "line", "column", "problem"),
    [
        ("one,two,three\n", 2, None, "has 3 fields but the header has 2"),
        (",x\n", 2, "sentence", "is empty but required"),
        ("text,Python\n", 2, "label", "'Python' is not a URI"),
        ('"never closed,x\n', 2, None, "malformed CSV"),
    ],
)
def test_malformed_csv_names_line_and_column(
    tmp_path: Path, body: str, line: int, column: str | None, problem: str
) -> None:
    error = _error(_write(tmp_path, "bad.csv", "sentence,label\n" + body))
    assert (error.line, error.column) == (line, column)
    assert problem in error.problem


def test_csv_header_and_id_clashes(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "h.csv", "words,skills\na,b\n"))
    assert (error.line, error.column) == (1, None)
    assert "sentence column" in error.problem
    clash = _error(_write(tmp_path, "i.csv", f"id,text,label\n1,a,{PY}\n1,b,{PY}\n"))
    assert (clash.line, clash.column) == (3, "text")
    assert "different text on line 2" in clash.problem


def test_formats_are_told_by_extension_then_content(tmp_path: Path) -> None:
    assert detect_format(_write(tmp_path, "a.txt", JSONL)) == "jsonl"
    assert detect_format(_write(tmp_path, "b.tsv", "id\tsentence\tlabels\n")) == "tsv"
    assert detect_format(_write(tmp_path, "c.tsv", "Python\tB-SKILL\n")) == "conll"
    assert detect_format(_write(tmp_path, "d.data", "text,label\nx,UNK\n")) == "csv"
    assert detect_format(tmp_path / "e.jsonl") == "jsonl"  # the extension alone decides
    jsonl_as_txt = load_dataset(_write(tmp_path, "f.txt", JSONL))
    assert jsonl_as_txt.format is DatasetFormat.SENTENCE_URIS


def test_unreadable_or_unknown_inputs(tmp_path: Path) -> None:
    assert "cannot be read" in _error(tmp_path / "missing.conll").problem
    broken = tmp_path / "latin1.conll"
    broken.write_bytes("a\tO\n\nb\u00e9\tO\n".encode("latin-1"))
    error = _error(broken)
    assert error.line == 3
    assert "not UTF-8" in error.problem
    assert "is empty" in _error(_write(tmp_path, "blank.txt", "\n\n")).problem
    with pytest.raises(InvalidInput, match="unknown data set format 'xml'"):
        load_dataset(tmp_path / "x.xml", format="xml")
    forced = load_dataset(_write(tmp_path, "forced.txt", "a\tO\n"), format="conll")
    assert forced.format is DatasetFormat.BIO


BENCHMARK_CSV = (
    """sentence,span,sub_span,label
Strong Python skills,Python,,Python (computer programming)
Strong Python skills,skills,,LABEL NOT PRESENT
Lead the team,team,,manage staff """  # a trailing space, as in three benchmark labels
    """
Lead the team,lead,,UNDERSPECIFIED
Lead the team,lead,,a label no taxonomy has
Nothing here,here,,LABEL NOT PRESENT
"""
)
LABELS = {"Python (computer programming)": PY, "manage staff": PM, "SQL": SQL}


class _Resolver:
    def __init__(self) -> None:
        self.missing: list[str] = []

    def __call__(self, label: str) -> str | None:
        if label not in LABELS:
            self.missing.append(label)
        return LABELS.get(label)


def test_the_benchmark_csv_groups_sentences_and_maps_preferred_labels(tmp_path: Path) -> None:
    resolve = _Resolver()
    dataset = load_dataset(_write(tmp_path, "tech.csv", BENCHMARK_CSV), resolve=resolve)
    assert dataset.format is DatasetFormat.SENTENCE_URIS
    assert [(s.text, set(s.uris)) for s in dataset.sentences] == [
        ("Strong Python skills", {PY}),
        ("Lead the team", {PM}),  # the trailing space stripped; UNDERSPECIFIED is no skill
        ("Nothing here", set()),
    ]
    assert resolve.missing == ["a label no taxonomy has"]


def test_skillskape_lists_of_labels_with_commas(tmp_path: Path) -> None:
    body = ",sentence,skills\n0,\"Write SQL, lead people.\",\"['SQL', 'manage staff']\"\n1,Idle.,[]\n"
    dataset = load_dataset(_write(tmp_path, "train.csv", body), resolve=_Resolver())
    assert [set(s.uris) for s in dataset.sentences] == [{SQL, PM}, set()]
    bad = _error(_write(tmp_path, "bad.csv", 'sentence,skills\nx,"[1, 2]"\n'), resolve=_Resolver())
    assert (bad.line, bad.column) == (2, "skills")


def test_labels_without_a_taxonomy_are_refused_by_name(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "tech.csv", BENCHMARK_CSV))
    assert (error.line, error.column) == (2, "label")
    assert "'Python (computer programming)' is not a URI" in error.problem
