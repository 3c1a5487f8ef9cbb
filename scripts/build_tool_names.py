"""Build the tool-name lexicon source (``src/microcareer/data/tool_names.csv.gz``) from O*NET.

    .venv/bin/python -m scripts.build_tool_names --onet ../shared/data/onet/technology_skills.csv
    .venv/bin/python -m scripts.build_tool_names --onet ... --check   # exit 1 if the file is stale

O*NET's Technology Skills file lists the software each occupation uses ("Microsoft Excel", "Docker"),
grouped by commodity ("Spreadsheet software"). ``scripts/tool_names_mapping.toml`` says which ESCO
skill each commodity stands for; this script turns every tool name into the forms a posting writes and
maps each form to ESCO. The rules, in order (no name is handled by hand where a rule does it):

1. A name with a year in it ("Microsoft Office 2007"), a comma, or no letter or digit first is a version
   or a description: dropped.
   A trailing "software" is not part of the name ("Salesforce software" -> "Salesforce").
2. A trailing acronym spelled by the words before it is a second form: "Amazon Web Services AWS" ->
   "Amazon Web Services" and "AWS" ("Google Compute Engine (GCE)" likewise).
3. A vendor (a capitalised first word, or two, that starts at least ``VENDOR_MIN_NAMES`` names, such
   as "Microsoft", "Red Hat") may be left out: "Microsoft Excel" -> also "Excel". A vendor alone
   ("Apple", "Oracle") is never a form.
4. A form that is a description, not a name (its first word an ordinary word and the others in lower
   case: "Spreadsheet", "Web browser"), is dropped; so is a one-word form that is an ordinary word
   ("Project", "Office", "Windows") unless it is one of the technology names the extractor guards by
   their capital letter (``EVERYDAY_TECH_NAMES``: "Excel", "Word", "Outlook", "Teams"). A word is
   ordinary when ESCO or O*NET writes it in lower case in ``ORDINARY_IN_LABELS`` labels or more (a
   one-word name: in any). A one-word form left of a vendor must be written as only a name is
   ("PowerPoint", "JIRA", "macOS"; not "Reader", "Docs"). Two-letter forms are dropped.
   Neither is "Front Desk" (ordinary words only), nor the acronym of a description ("SEO").
5. A form that is already a label of an ESCO skill is not added (the lexicon has it). When that skill
   is in ESCO's digital skills collection and the label is written alike (or in lower case: "git"),
   the name's other forms map to it ("Oracle MySQL" -> MySQL)
   instead of to the commodity's skill; a name listed in the mapping's ``[tools]`` maps as listed.
6. A form claimed by names that map to different skills keeps the mapping of the name O*NET lists
   most often (ties: the name first in alphabetical order), so every form names one set of skills.

The output is sorted and gzip'd with no timestamp: the same inputs always give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from microcareer.domain.extraction.ambiguity import (
    EVERYDAY_TECH_NAMES,
    ORDINARY_IN_LABELS,
    lowercase_word_counts,
)
from microcareer.domain.extraction.text_keys import label_key, strip_qualifier, word_form

ROOT = Path(__file__).resolve().parents[1]
MAPPING = Path(__file__).resolve().parent / "tool_names_mapping.toml"
ESCO = ROOT / "src" / "microcareer" / "data" / "esco"
TARGET = ROOT / "src" / "microcareer" / "data" / "tool_names.csv.gz"
ONET_COLUMNS = ("Example", "Commodity Title", "Hot Technology", "In Demand")
OUTPUT_COLUMNS = ("name", "uri", "commodity", "hot", "in_demand")
ATTRIBUTION = (
    "# Tool names from the O*NET database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), used under the CC BY 4.0 license. Changes made: names reduced to the "
    "forms postings write and mapped to ESCO v1.1.1 skills by scripts/build_tool_names.py.\n"
)
VENDOR_MIN_NAMES = 3
FOCUSED_SHARE = 0.5
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_SOFTWARE = re.compile(r"\s+(software|Software)$")
_SMALL_WORDS = frozenset({"for", "of", "and", "the", "to", "a", "an", "&"})


class MappingError(Exception):
    """The curated mapping or the O*NET file is not what this script expects."""


@dataclass(frozen=True)
class Esco:
    """What the rules need of the bundled taxonomy."""

    uri_by_preferred: Mapping[str, str]
    uris_by_key: Mapping[str, frozenset[str]]
    written: Mapping[str, frozenset[str]]  # label key -> the labels' own writings (no qualifier)
    digital: frozenset[str]
    lowercase_counts: Counter[str]


@dataclass
class ToolName:
    """One O*NET name: how often O*NET lists it under each commodity, and its flags."""

    name: str
    commodities: Counter[str] = field(default_factory=Counter)
    hot: bool = False
    in_demand: bool = False

    @property
    def commodity(self) -> str:
        """The commodity O*NET files it under most often (ties: alphabetical)."""
        return min(self.commodities, key=lambda c: (-self.commodities[c], c))


def read_esco(folder: Path = ESCO) -> Esco:
    uri_by_preferred: dict[str, str] = {}
    uris_by_key: defaultdict[str, set[str]] = defaultdict(set)
    written: defaultdict[str, set[str]] = defaultdict(set)
    labels: list[str] = []
    with gzip.open(folder / "skills_en.csv.gz", "rt", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            uri = row["conceptUri"]
            if row["preferredLabel"] in uri_by_preferred:
                uri_by_preferred[row["preferredLabel"]] = ""  # two skills share it: not usable
            else:
                uri_by_preferred[row["preferredLabel"]] = uri
            for column in ("preferredLabel", "altLabels", "hiddenLabels"):
                for label in (row.get(column) or "").split("\n"):
                    if label.strip():
                        labels.append(strip_qualifier(label.strip()))
                        uris_by_key[label_key(label.strip())].add(uri)
                        written[label_key(label.strip())].add(f"{uri} {strip_qualifier(label.strip())}")
    with gzip.open(folder / "digitalSkillsCollection_en.csv.gz", "rt", encoding="utf-8") as file:
        digital = frozenset(row["conceptUri"] for row in csv.DictReader(file))
    return Esco(
        uri_by_preferred,
        {key: frozenset(uris) for key, uris in uris_by_key.items()},
        {key: frozenset(labels) for key, labels in written.items()},
        digital,
        lowercase_word_counts(labels),
    )


def read_onet(path: Path) -> dict[str, ToolName]:
    names: dict[str, ToolName] = {}
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        missing = [c for c in ONET_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise MappingError(f"{path}: no column {', '.join(missing)} (is it O*NET Technology Skills?)")
        for line, row in enumerate(reader, start=2):
            name = " ".join(row["Example"].split())
            if not name or not row["Commodity Title"]:
                raise MappingError(f"{path}, line {line}: empty Example or Commodity Title")
            tool = names.setdefault(name, ToolName(name))
            tool.commodities[row["Commodity Title"]] += 1
            tool.hot |= row["Hot Technology"] == "Y"
            tool.in_demand |= row["In Demand"] == "Y"
    return names


def read_mapping(path: Path, esco: Esco, commodities: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """``{"commodities": {title: [uri]}, "tools": {name: [uri]}}``; every label checked against ESCO."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{path}: {error}") from None
    resolved: dict[str, dict[str, list[str]]] = {}
    for table in ("commodities", "tools"):
        resolved[table] = {}
        for key, labels in data.get(table, {}).items():
            if not isinstance(labels, list) or not labels:
                raise MappingError(f"{path}, [{table}] {key!r}: give a list of ESCO preferred labels")
            uris = []
            for label in labels:
                uri = esco.uri_by_preferred.get(label)
                if not uri:
                    why = "is not" if uri is None else "is more than one skill's"
                    raise MappingError(f"{path}, [{table}] {key!r}: {label!r} {why} ESCO preferred label")
                uris.append(uri)
            resolved[table][key] = uris
    unmapped = data.get("unmapped", {})
    both = set(resolved["commodities"]) & set(unmapped)
    if both:
        raise MappingError(f"{path}: mapped and unmapped at once: {', '.join(sorted(both))}")
    known = set(commodities)
    for title in sorted(known - set(resolved["commodities"]) - set(unmapped)):
        raise MappingError(f"{path}: O*NET commodity {title!r} is neither mapped nor [unmapped]")
    for title in sorted((set(resolved["commodities"]) | set(unmapped)) - known):
        raise MappingError(f"{path}: {title!r} is not an O*NET commodity title")
    return resolved


def vendors(names: Iterable[str]) -> frozenset[str]:
    """First words (or two) that start at least ``VENDOR_MIN_NAMES`` names as a capitalised prefix of
    a capitalised product name ("Microsoft Excel"; not "Calendar software") (rule 3)."""
    starts: Counter[str] = Counter()
    for name in names:
        words = name.split()
        for size in (1, 2):
            if len(words) > size and all(w[:1].isupper() for w in words[: size + 1]):
                starts[" ".join(words[:size])] += 1
    return frozenset(prefix for prefix, count in starts.items() if count >= VENDOR_MIN_NAMES)


def focused_vendors(names: Mapping[str, ToolName], vendor_prefixes: frozenset[str]) -> frozenset[str]:
    """Vendors O*NET lists by name alone whose names mostly (``FOCUSED_SHARE``) fall in one commodity:
    their name stands for their product ("Salesforce", "SAP"), unlike "Google" or "Oracle" (rule 3)."""
    rows: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for tool in names.values():
        words = tool.name.split()
        for size in (1, 2):
            if " ".join(words[:size]) in vendor_prefixes:
                rows[" ".join(words[:size])].update(tool.commodities)
    alone = {_SOFTWARE.sub("", name) for name in names}
    return frozenset(
        vendor
        for vendor, counts in rows.items()
        if vendor in alone and max(counts.values()) >= FOCUSED_SHARE * sum(counts.values())
    )


def _ordinary(word: str, esco: Esco, times: int = ORDINARY_IN_LABELS) -> bool:
    """Is ``word`` written in lower case in ``times`` ESCO labels or O*NET names (an ordinary word)?"""
    return esco.lowercase_counts[word_form(word)] >= times


def _same_name(form: str, esco: Esco) -> set[str]:
    """Skills with a label that is this form: written alike, or in lower case ("git" for "Git"), so
    "Spark" is not "SPARK" (rule 5)."""
    found = set()
    for entry in esco.written.get(label_key(form), ()):
        uri, label = entry.split(" ", 1)
        if label == form or label.islower():
            found.add(uri)
    return found


def _name_shaped(word: str) -> bool:
    """Written as only a name is: a capital or digit past the first letter ("PowerPoint", "macOS")."""
    return any(c.isupper() or c.isdigit() for c in word[1:])


def _acronym_split(name: str) -> list[str]:
    """ "Amazon Web Services AWS" -> the long form and the acronym (rule 2); else the name alone."""
    name = re.sub(r"\s*\(([A-Z][A-Za-z0-9]+)\)$", r" \1", name)
    words = name.split()
    last = words[-1]
    if len(words) < 2 or not (last.isupper() and last.isalpha() and len(last) >= 2):
        return [name]
    initials = [w[0].casefold() for w in words[:-1] if w.casefold() not in _SMALL_WORDS]
    if initials[-len(last) :] == list(last.casefold()):
        return [" ".join(words[:-1]), last]
    return [name]


def forms(
    name: str, vendor_prefixes: frozenset[str], esco: Esco, focused: frozenset[str] = frozenset()
) -> list[str]:
    """The forms of one O*NET name that a posting writes and the rules keep (rules 1-4)."""
    if _YEAR.search(name) or "," in name or not name[:1].isalnum():
        return []
    name = _SOFTWARE.sub("", name)
    found: list[str] = []
    for form in _acronym_split(name):
        found.append(form)
        words = form.split()
        for size in (2, 1):
            if len(words) > size and " ".join(words[:size]) in vendor_prefixes:
                found.append(" ".join(words[size:]))
                break
    kept = []
    for form in dict.fromkeys(found):
        words = form.split()
        guarded = form.casefold() in EVERYDAY_TECH_NAMES
        if (form in vendor_prefixes and form not in focused) or len(form) <= 2:
            continue
        if guarded:
            kept.append(form)  # "Excel", "Word": the extractor wants them capitalised, not at "Excel at"
            continue
        if _ordinary(words[0], esco) and all(w.islower() for w in words[1:]):
            continue  # "Web browser", "Spreadsheet": a description
        if all(_ordinary(w, esco, 1 if form != found[0] else ORDINARY_IN_LABELS) for w in words):
            continue  # "Front Desk"; "Web Services" of "Amazon Web Services"
        if form.isupper() and len(found) > 1 and found[0] not in kept:
            continue  # "SEO" of "Search engine optimization SEO": a description's acronym
        if len(words) == 1 and (_ordinary(form, esco, 1) or (form != found[0] and not _name_shaped(form))):
            continue  # "Project", "Office"; "Reader", "Docs" left of a vendor
        kept.append(form)
    return kept


@dataclass(frozen=True, slots=True)
class OutputRow:
    name: str
    uri: str
    commodity: str
    hot: bool
    in_demand: bool


def build_rows(
    names: Mapping[str, ToolName], mapping: Mapping[str, Mapping[str, list[str]]], esco: Esco
) -> list[OutputRow]:
    """Every kept form with the skill(s) it names (rules 5 and 6)."""
    # O*NET's own lower-case words count as ordinary too ("Calendar software", "Acrobat Reader")
    esco = replace(esco, lowercase_counts=esco.lowercase_counts + lowercase_word_counts(names))
    vendor_prefixes = vendors(names)
    focused = focused_vendors(names, vendor_prefixes)
    claims: dict[str, tuple[tuple[int, str], ToolName, tuple[str, ...]]] = {}
    for tool in names.values():
        kept = forms(tool.name, vendor_prefixes, esco, focused)
        if not kept:
            continue
        specific = sorted({uri for form in kept for uri in _same_name(form, esco) if uri in esco.digital})
        if tool.name in mapping["tools"]:
            uris = tuple(mapping["tools"][tool.name])
        elif len(specific) == 1:
            uris = (specific[0],)
        else:
            uris = tuple(mapping["commodities"].get(tool.commodity, ()))
        if not uris:
            continue
        weight = (-sum(tool.commodities.values()), tool.name)
        for form in kept:
            if label_key(form) in esco.uris_by_key:
                continue  # ESCO's own label: the lexicon has it already
            if form not in claims or weight < claims[form][0]:
                claims[form] = (weight, tool, uris)
    rows = [
        OutputRow(form, uri, tool.commodity, tool.hot, tool.in_demand)
        for form, (_, tool, uris) in claims.items()
        for uri in uris
    ]
    rows.sort(key=lambda r: (r.name.casefold(), r.name, r.uri))
    return rows


def render(rows: Iterable[OutputRow]) -> bytes:
    text = io.StringIO()
    text.write(ATTRIBUTION)
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for row in rows:
        writer.writerow(
            [row.name, row.uri, row.commodity, "Y" if row.hot else "N", "Y" if row.in_demand else "N"]
        )
    return gzip.compress(text.getvalue().encode("utf-8"), mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onet", type=Path, required=True, help="O*NET technology_skills.csv")
    parser.add_argument("--mapping", type=Path, default=MAPPING, help="the curated commodity mapping")
    parser.add_argument("--target", type=Path, default=TARGET, help="the file to write")
    parser.add_argument("--check", action="store_true", help="fail if the target is out of date")
    args = parser.parse_args(argv)
    try:
        esco = read_esco()
        names = read_onet(args.onet)
        commodities = {c for tool in names.values() for c in tool.commodities}
        mapping = read_mapping(args.mapping, esco, commodities)
    except (MappingError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows = build_rows(names, mapping, esco)
    data = render(rows)
    if args.check:
        if not args.target.exists() or args.target.read_bytes() != data:
            print(f"{args.target} is out of date: run python -m scripts.build_tool_names", file=sys.stderr)
            return 1
        return 0
    args.target.write_bytes(data)
    skills = len({row.uri for row in rows})
    print(
        f"{len({r.name for r in rows}):,} tool names from {len(names):,} O*NET names -> {skills} ESCO skills"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
