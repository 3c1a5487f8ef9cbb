"""A CV's work history as entries: which section says what, and each entry's title, organisation and dates.

A heuristic over common layouts, not a parser: section headings (Experience, Work history, Projects,
Volunteering, Freelance, Education, Skills, ...; plain, in capitals, with a colon or as Markdown
headings) decide the kind; inside an experience section, an entry starts at a line that carries a
date range ("Title, Company (2019–2023)", "Company — Title, Jan 2020 – present", "Title | Company |
03/2020 – present") or at a short line followed by a line of dates alone. The title is the part that
reads like a job title (manager, developer, volunteer, ...), the organisation the other part. Each
entry keeps the character span it covers, so skills found in the text can be placed in it.

It never raises on odd input: a line it cannot read is description, an entry it cannot date is undated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from microcareer.domain.profiles.profile import ExperienceKind

MAX_HEADER_CHARS = 160
MAX_DESCRIPTION_CHARS = 20_000

_HEADINGS: dict[str, ExperienceKind | None] = {}
for _kind, _names in (
    (
        ExperienceKind.JOB,
        "experience, work experience, professional experience, relevant experience, employment, "
        "employment history, work history, career history, career, professional history, positions, "
        "experience and employment, berufserfahrung, work",
    ),
    (ExperienceKind.PROJECT, "projects, personal projects, side projects, selected projects, open source"),
    (
        ExperienceKind.VOLUNTEERING,
        "volunteering, volunteer work, volunteer experience, voluntary work, volunteer, community work, "
        "community involvement",
    ),
    (ExperienceKind.GIG, "freelance, freelance work, freelancing, gigs, contract work, consulting"),
    (
        None,
        "education, education and training, training, skills, technical skills, key skills, core skills, "
        "competencies, languages, certifications, certificates, courses, profile, summary, "
        "professional summary, about, about me, objective, interests, hobbies, references, awards, "
        "publications, contact, personal details, achievements",
    ),
):
    for _name in _names.split(","):
        _HEADINGS[_name.strip()] = _kind

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan january janv januar",
            "feb february fev februar",
            "mar march mars märz maerz",
            "apr april avr",
            "may mai",
            "jun june juin juni",
            "jul july juil juli",
            "aug august aout",
            "sep sept september",
            "oct october okt oktober",
            "nov november",
            "dec december dez dezember",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ONE_DATE = (
    rf"(?:(?:{_MONTH_WORD})\.?\s+\d{{4}}"  # Jan 2020, January 2020
    r"|\d{1,2}[/.]\d{4}"  # 03/2020, 3.2020
    r"|\d{4}[-/.]\d{1,2}(?![\d])"  # 2020-03
    r"|(?:19|20)\d{2})"  # 2020
)
_OPEN_END = r"(?:present|current|now|today|ongoing|heute|date)"
_RANGE = re.compile(
    rf"(?P<start>{_ONE_DATE})(?:\s*(?:–|—|-|‒|to|until|till|bis)\s*(?P<end>{_ONE_DATE}|{_OPEN_END}))?",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–>]|\d+[.)])\s+")
_MARKUP = re.compile(r"^[#>\s]+|[*_`]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SPLIT = re.compile(r"\s+(?:—|–|-|@|at)\s+|\s*[|·•]\s*|,\s+|\s+[—–]|[—–]\s+", re.IGNORECASE)
_TITLE_WORDS = _words(
    """
    manager developer engineer programmer coordinator analyst designer consultant intern internship
    lead director officer specialist assistant volunteer translator teacher tutor mentor administrator
    architect scientist head founder cofounder co-founder owner technician nurse accountant editor
    writer researcher associate advisor adviser trainer coach supervisor chief cto ceo cfo president
    representative agent clerk operator maintainer contributor freelancer freelance student apprentice
    trainee fellow executive principal senior junior staff architect organiser organizer leader
    instructor lecturer professor producer photographer chef cook driver mechanic electrician
    """
)
_ORG_WORDS = _words(
    """
    ltd ltd. limited inc inc. llc gmbh ag sa s.a. sp. plc corp corp. corporation company co. group
    university college school institute labs lab systems solutions technologies technology bank
    foundation association agency studio studios partners consulting logistics hospital ministry
    council club charity trust network self-employed
    """
)


@dataclass(frozen=True, slots=True)
class CvEntry:
    """One entry of a CV's history; ``start``/``end`` are partial dates ("2020", "2020-03") or None."""

    kind: ExperienceKind
    title: str
    organisation: str
    start: str | None
    end: str | None
    description: str
    highlights: tuple[str, ...]
    section: str
    """The heading of the section it is in, as written."""
    span: tuple[int, int]
    """Characters of the text it covers, header included."""


@dataclass(frozen=True, slots=True)
class _Line:
    raw: str
    text: str
    begin: int
    end: int


@dataclass(slots=True)
class _Draft:
    kind: ExperienceKind
    header: str
    section: str
    begin: int
    end: int
    dates: tuple[str | None, str | None] = (None, None)
    body: list[_Line] = field(default_factory=list)


def cv_entries(text: str) -> list[CvEntry]:
    """The entries of ``text``'s experience-like sections, in text order."""
    lines = _lines(text)
    drafts: list[_Draft] = []
    kind: ExperienceKind | None = None
    section = ""
    current: _Draft | None = None
    previous_blank = True
    for index, line in enumerate(lines):
        is_heading, heading = heading_kind(line.text)
        if is_heading:
            kind, section, current, previous_blank = heading, _clean(line.text), None, True
            continue
        if kind is None or not line.text:
            previous_blank = not line.text
            continue
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        second_line = current is not None and not current.body and current.dates == (None, None)
        if second_line and current is not None and _RANGE.search(line.text) and not _BULLET.match(line.raw):
            # a second header line: "Acme Corp | 2019 – 2021" (or the dates alone) under "Software Engineer"
            if not _is_dates_only(line.text):
                current.header = f"{current.header} | {line.text}"
            current.dates, current.end = _dates(line.text), line.end
            previous_blank = False
            continue
        if _starts_entry(line, following, current is None or previous_blank):
            current = _Draft(kind, line.text, section, line.begin, line.end)
            current.dates = _dates(line.text)
            drafts.append(current)
        elif current is not None:
            current.body.append(line)
            current.end = line.end
        previous_blank = False
    return [entry for entry in map(_entry, drafts) if entry is not None]


def heading_kind(line: str) -> tuple[bool, ExperienceKind | None]:
    """(whether ``line`` is a section heading, the kind of experience its section holds, if any)."""
    cleaned = _clean(line).casefold().replace("&", "and")
    if cleaned not in _HEADINGS and ":" in cleaned:  # "Interests: chess, running"
        cleaned = cleaned.split(":", 1)[0].strip()
    if not cleaned or len(cleaned) > 60:
        return False, None
    if cleaned in _HEADINGS:
        return True, _HEADINGS[cleaned]
    # "Education and certificates", "Skills, languages": every part a heading; the first kind leads
    parts = [part.strip() for part in re.split(r",| and ", cleaned) if part.strip()]
    if len(parts) < 2 or not all(part in _HEADINGS for part in parts):
        return False, None
    return True, next((_HEADINGS[part] for part in parts if _HEADINGS[part] is not None), None)


def title_and_organisation(header: str) -> tuple[str, str]:
    """("Senior Developer", "Acme") from "Acme — Senior Developer, Jan 2020 – present" and the like."""
    undated = _RANGE.sub(" ", _MARKUP.sub("", header))
    undated = re.sub(r"\(\s*[-–—,.:;|]*\s*\)", " ", undated)
    parts = [p for p in (_tidy(part) for part in _split_outside_brackets(undated)) if p]
    if not parts:
        return "", ""
    if len(parts) == 1:
        only = parts[0]
        return ("", only) if _score(only, _ORG_WORDS) and not _score(only, _TITLE_WORDS) else (only, "")
    title_scores = [_score(part, _TITLE_WORDS) - _score(part, _ORG_WORDS) for part in parts]
    title_at = max(range(len(parts)), key=lambda i: (title_scores[i], -i))
    if title_scores[title_at] <= 0 and _score(parts[0], _ORG_WORDS) and not _score(parts[1], _ORG_WORDS):
        title_at = 1  # "Acme Ltd — Route planner": the organisation comes first
    title = parts[title_at]
    organisation = next(part for i, part in enumerate(parts) if i != title_at)
    return title, organisation


def partial_date(text: str) -> str | None:
    """ "2020" → "2020", "Jan 2020" / "01/2020" / "2020-1" → "2020-01"; None for anything else."""
    cleaned = text.strip().casefold().rstrip(".")
    if re.fullmatch(r"(?:19|20)\d{2}", cleaned):
        return cleaned
    match = re.fullmatch(rf"({_MONTH_WORD})\.?\s+(\d{{4}})", cleaned)
    if match:
        return _month(int(match.group(2)), _MONTHS[match.group(1)])
    match = re.fullmatch(r"(\d{1,2})[/.](\d{4})", cleaned)
    if match:
        return _month(int(match.group(2)), int(match.group(1)))
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", cleaned)
    if match:
        return _month(int(match.group(1)), int(match.group(2)))
    return None


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1900 <= year <= 2100 else None


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        lines.append(_Line(content, content.strip(), offset, offset + len(content)))
        offset += len(raw)
    return lines


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", _MARKUP.sub("", line)).strip().rstrip(":").strip()


def _tidy(part: str) -> str:
    tidied = re.sub(r"\s+", " ", part).strip(" \t,;:|·•-–—/")
    while tidied.startswith("(") and tidied.count("(") > tidied.count(")"):
        tidied = tidied[1:].strip()
    while tidied.endswith(")") and tidied.count(")") > tidied.count("("):
        tidied = tidied[:-1].strip()
    return tidied


def _score(part: str, words: frozenset[str]) -> int:
    return sum(1 for word in re.findall(r"[\w.&-]+", part.casefold()) if word in words)


def _split_outside_brackets(text: str) -> list[str]:
    """Split at separators, except inside parentheses: "Translator (German, English), self-employed"."""
    depth, cuts = 0, []
    brackets = {i: 1 if ch in "([" else -1 for i, ch in enumerate(text) if ch in "()[]"}
    depth_at = []
    for i in range(len(text)):
        depth = max(0, depth + brackets.get(i, 0))
        depth_at.append(depth)
    for match in _SPLIT.finditer(text):
        if depth_at[match.start()] == 0:
            cuts.append((match.start(), match.end()))
    parts, last = [], 0
    for start, stop in cuts:
        parts.append(text[last:start])
        last = stop
    parts.append(text[last:])
    return parts


def _dates(line: str) -> tuple[str | None, str | None]:
    """The (start, end) of the last date range on the line; an open end ("present") is None."""
    matches = list(_RANGE.finditer(line))
    if not matches:
        return None, None
    match = matches[-1]
    start = partial_date(match.group("start"))
    end_text = match.group("end")
    if end_text is None:
        return start, start  # a single date: something done then
    end = partial_date(end_text)
    if start is not None and end is not None and end < start:
        end = None
    return start, end


def _is_dates_only(line: str) -> bool:
    rest = _RANGE.sub("", line)
    return bool(_RANGE.search(line)) and not re.search(r"\w", rest.replace("_", ""))


def _starts_entry(line: _Line, following: str, paragraph_start: bool) -> bool:
    if _BULLET.match(line.raw) or len(line.text) > MAX_HEADER_CHARS:
        return False
    if line.text.startswith("#"):  # a Markdown heading under a section heading
        return True
    match = _RANGE.search(line.text)
    if match is not None:
        if match.group("end") is not None:
            return True
        title, organisation = title_and_organisation(line.text)
        # a lone year needs the look of a header: "Project X, Acme (2021)", not "Raised €12k in 2019"
        return paragraph_start or bool(organisation) or _score(title, _TITLE_WORDS) > 0
    if _is_dates_only(following):
        return True
    return paragraph_start and len(line.text) <= 100 and not line.text.endswith(".")


def _entry(draft: _Draft) -> CvEntry | None:
    title, organisation = title_and_organisation(draft.header)
    if not title and not organisation:
        return None
    description: list[str] = []
    highlights: list[str] = []
    continuing = False
    for line in draft.body:
        bullet = _BULLET.match(line.raw)
        if bullet:
            highlights.append(line.raw[bullet.end() :].strip())
            continuing = True
        elif continuing and highlights and line.raw[:1].isspace():
            highlights[-1] = f"{highlights[-1]} {line.text}"
        else:
            description.append(line.text)
            continuing = False
    start, end = draft.dates
    return CvEntry(
        kind=draft.kind,
        title=title[:200],
        organisation=organisation[:200],
        start=start,
        end=end,
        description=" ".join(description)[:MAX_DESCRIPTION_CHARS],
        highlights=tuple(highlights),
        section=draft.section,
        span=(draft.begin, draft.end),
    )
