"""Train the skill ranker's sentence gate: ``src/microcareer/data/skill_sentence_gate.json``.

    PYTHONPATH=src python scripts/train_sentence_gate.py [--report FILE.json]

The gate reads a sentence's all-MiniLM-L6-v2 vector (the quantised query model the ranker embeds
sentences with) and gives the probability that the sentence asks for any skill at all; the ranker
multiplies every skill's score in that sentence by it, so "Salary: €55,000" or "Apply now!" gets no
confident skill while the order of skills within a sentence (and so RP@k) does not change.

Data (seed 20261206), nothing from a benchmark's validation or test split:

* asks for a skill: the SkillSkape train part of ``train_skill_ranker.split`` (the same 80%: the
  development 20% is held out here too), the ESCO template sentences of ``esco_sentences``, bare
  skill names as postings list them ("Python", "SQL, Docker and Kubernetes", "- stakeholder
  management") from random ESCO labels, sentences that describe the work or its tools rather than
  ask ("We process our logs with {tool}."), say what a person can do ("I can {label}.") or what a
  client needs done ("Need someone to {label} this weekend."), from ESCO labels and the bundled
  O*NET tool names, and the first sentence of ESCO skill descriptions;
* asks for none: the hand-written lines of ``scripts/data/non_skill_sentences.txt`` (salary, benefits,
  place, contract, how to apply, company boilerplate, headings) and lines made from the patterns below.

A logistic regression (L2, C=1, classes weighted to balance) on standardised vector components. Held
out for the report: a fifth of the hand-written lines, pattern lines made with another seed, the
SkillSkape development part and ``tests/data/extraction_dev/dev.jsonl`` (hand-written posting
sentences: those with gold skills ask for one, those without ask for none).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder  # noqa: E402
from microcareer.adapters.tool_names import BundledToolNames  # noqa: E402
from microcareer.domain.extraction.ranking import LinearScorer  # noqa: E402
from scripts.train_skill_ranker import bundle_taxonomy, esco_sentences, skillskape, split  # noqa: E402

SEED = 20261206
HELD_OUT = 0.2
C = 0.1  # strong regularisation: the gate should rarely be sure
WRITTEN = ROOT / "scripts/data/non_skill_sentences.txt"
EXTRACTION_DEV = ROOT / "tests/data/extraction_dev/dev.jsonl"
OUT = ROOT / "src/microcareer/data/skill_sentence_gate.json"

CITIES = (
    "Berlin", "Munich", "Hamburg", "Vienna", "Zurich", "Paris", "Lyon", "Madrid", "Barcelona", "Lisbon",
    "Rome", "Milan", "Amsterdam", "Rotterdam", "Brussels", "Antwerp", "Dublin", "London", "Manchester",
    "Edinburgh", "Copenhagen", "Stockholm", "Oslo", "Helsinki", "Warsaw", "Prague", "Budapest",
    "New York", "Chicago", "Toronto", "Sydney", "Singapore",
)  # fmt: skip
COUNTRIES = (
    "Germany",
    "France",
    "Spain",
    "Italy",
    "the Netherlands",
    "Belgium",
    "Ireland",
    "the UK",
    "Poland",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
CURRENCIES = ("€", "£", "$", "EUR ", "USD ", "CHF ")
MODES = ("hybrid", "on-site", "remote", "fully remote", "2 days in office")
CONTRACTS = ("full-time", "part-time", "permanent", "fixed-term", "temporary", "freelance", "internship")
PERKS = (
    "private health insurance", "a company pension", "30 days of holiday", "a yearly bonus",
    "free lunch", "a gym membership", "a learning budget", "flexible hours", "a company car",
    "stock options", "parental leave", "a public transport pass", "a home office allowance",
    "remote working", "an annual salary review", "free parking",
)  # fmt: skip
NEGATIVE_PATTERNS = (
    "Salary: {cur}{amount}",
    "Salary: {cur}{amount} - {cur}{amount2} per year",
    "Pay: {cur}{hourly} per hour",
    "Up to {cur}{k}k plus bonus.",
    "{amount} {code} gross per year, depending on experience.",
    "Location: {city}",
    "Location: {city}, {country} ({mode})",
    "Based in {city}.",
    "Our office is in {city}.",
    "{city} / {mode}",
    "Start date: {day} {month}.",
    "Closing date: {day} {month} {year}.",
    "Posted {n} days ago.",
    "Job type: {contract}",
    "{hours} hours per week, {contract}.",
    "Contract: {contract}, {n} months.",
    "We offer {perk} and {perk2}.",
    "Benefits: {perk}, {perk2}, {perk3}.",
    "{Perk}.",
    "Send your CV to jobs@{company}.com.",
    "Apply by {day} {month}.",
    "Contact: {name}, {phone}.",
    "Reference: {ref}",
    "Job ID: {ref}",
    "{Company} is an equal opportunity employer.",
    "{Company} was founded in {year2} and has {staff} employees.",
    "Join {Company} in {city}!",
    "About {Company}",
)
NAMES = ("Anna Schmidt", "Tom Jones", "Maria Rossi", "Jan de Vries", "Sofia Nowak", "Lucas Martin")
COMPANIES = ("acme", "globex", "initech", "umbrella", "northwind", "contoso", "fabrikam", "tailspin")


def pattern_lines(count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)

    def pick(values: tuple[str, ...]) -> str:
        return str(values[int(rng.integers(len(values)))])

    lines = []
    for _ in range(count):
        amount = int(rng.integers(20, 150)) * 1000
        perks = [str(p) for p in rng.choice(PERKS, size=3, replace=False)]
        company = pick(COMPANIES)
        values = {
            "cur": pick(CURRENCIES),
            "amount": f"{amount:,}",
            "amount2": f"{amount + int(rng.integers(5, 30)) * 1000:,}",
            "hourly": f"{rng.uniform(11, 60):.2f}",
            "k": str(amount // 1000),
            "code": pick(("EUR", "USD", "GBP", "CHF", "SEK")),
            "city": pick(CITIES),
            "country": pick(COUNTRIES),
            "mode": pick(MODES),
            "day": str(int(rng.integers(1, 29))),
            "month": pick(MONTHS),
            "year": str(int(rng.integers(2025, 2029))),
            "year2": str(int(rng.integers(1950, 2022))),
            "n": str(int(rng.integers(2, 31))),
            "hours": str(int(rng.integers(10, 41))),
            "contract": pick(CONTRACTS),
            "perk": perks[0],
            "perk2": perks[1],
            "perk3": perks[2],
            "Perk": perks[0][0].upper() + perks[0][1:],
            "company": company,
            "Company": company.capitalize(),
            "name": pick(NAMES),
            "phone": f"+{int(rng.integers(30, 50))} {int(rng.integers(100, 999))} "
            f"{int(rng.integers(1000, 9999))}",
            "ref": f"{pick(('JR', 'REQ', 'R', ''))}{int(rng.integers(1000, 99999))}",
            "staff": str(int(rng.integers(10, 5000))),
        }
        lines.append(pick(NEGATIVE_PATTERNS).format(**values))
    return lines


def skill_names(labels: tuple[str, ...], count: int, seed: int) -> list[str]:
    """Bare skill names as postings list them: one, or two to four run together."""
    rng = np.random.default_rng(seed)
    lines = []
    for n in range(count):
        chosen = [str(labels[int(i)]) for i in rng.integers(len(labels), size=1 + n % 4)]
        if len(chosen) == 1:
            lines.append(str(rng.choice(("{}", "- {}", "• {}", "{}."))).format(chosen[0]))
        else:
            lines.append(", ".join(chosen[:-1]) + str(rng.choice((" and ", ", ", " or "))) + chosen[-1])
    return lines


DESCRIBING = (
    "We process our data with {tool}.",
    "Our stack runs on {tool} and {tool2}.",
    "The team works in {tool} every day.",
    "{tool} is what we use for most of the work.",
    "Reports are built in {tool}.",
    "Most of the work is to {label}.",
    "Day to day, the team will {label}.",
    "Part of the job: {label}.",
    "In this job you {label} for our clients.",
    "The project needs someone who can {label}.",
    # CVs and micro-job requests are ranked too: what a person did or can do, what a client needs done
    "Experience: {label}.",
    "I can {label}.",
    "Responsible for: {label}.",
    "Skills: {label}, {tool}.",
    "Need someone to {label} this weekend.",
    "Looking for a person to {label}.",
    "Can anyone help me {label}?",
    "Wanted: help to {label}.",
)


def describing(labels: tuple[str, ...], tools: list[str], count: int, seed: int) -> list[str]:
    """Sentences that describe the work or its tools instead of asking for a skill outright."""
    rng = np.random.default_rng(seed)
    lines = []
    for _ in range(count):
        template = str(DESCRIBING[int(rng.integers(len(DESCRIBING)))])
        lines.append(
            template.format(
                tool=tools[int(rng.integers(len(tools)))],
                tool2=tools[int(rng.integers(len(tools)))],
                label=labels[int(rng.integers(len(labels)))],
            )
        )
    return lines


def first_sentences(descriptions: tuple[str, ...], count: int, seed: int) -> list[str]:
    chosen = np.random.default_rng(seed).choice(len(descriptions), size=count, replace=False)
    return [descriptions[int(i)].split(". ")[0].strip() for i in chosen if descriptions[int(i)].strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args()
    taxonomy, _, _ = bundle_taxonomy()
    texts, _, _ = skillskape(taxonomy)
    parts = split(len(texts))
    written = [
        line.strip()
        for line in WRITTEN.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    order = np.random.default_rng(SEED).permutation(len(written))
    cut = int(len(written) * (1 - HELD_OUT))
    made, _ = esco_sentences(taxonomy, 3000)
    tools = [row[1] for row in BundledToolNames().label_rows()]
    positives = (
        [texts[i] for i in parts["train"]]
        + made
        + skill_names(taxonomy.label_texts, 1500, SEED)
        + describing(taxonomy.label_texts, tools, 3000, SEED)
        + first_sentences(taxonomy.descriptions, 1500, SEED)
    )
    negatives = [written[i] for i in order[:cut]] + pattern_lines(1500, SEED)
    held_out: dict[str, tuple[list[str], int]] = {
        "hand-written lines that ask for no skill (held out)": ([written[i] for i in order[cut:]], 0),
        "pattern lines that ask for no skill (another seed)": (pattern_lines(300, SEED + 1), 0),
        "SkillSkape development part": ([texts[i] for i in parts["dev"]], 1),
    }
    dev = [json.loads(line) for line in EXTRACTION_DEV.read_text(encoding="utf-8").splitlines()]
    held_out["extraction_dev sentences with gold skills"] = ([d["text"] for d in dev if d["uris"]], 1)
    held_out["extraction_dev sentences without"] = ([d["text"] for d in dev if not d["uris"]], 0)
    embedder = SentenceTransformerEmbedder(quantized=True)
    x = embedder.embed(positives + negatives).astype(np.float64)
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=SEED)
    model.fit((x - mean) / scale, y)
    names = tuple(f"{embedder.model_name}/{i}" for i in range(x.shape[1]))
    gate = LinearScorer.logistic(
        names, mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0])
    )
    report: dict[str, object] = {
        "seed": SEED,
        "train": {"asks for a skill": len(positives), "asks for none": len(negatives)},
    }
    for name, (lines, wanted) in held_out.items():
        p = gate.probabilities(embedder.embed(lines))
        right = (p >= 0.5) == bool(wanted)
        report[name] = {
            "sentences": len(lines),
            "share on the right side of 0.5": round(float(right.mean()), 3),
            "median probability": round(float(np.median(p)), 3),
            "wrong": [
                [line, round(float(q), 3)] for line, q, ok in zip(lines, p, right, strict=True) if not ok
            ][:12],
        }
    OUT.write_text(gate.to_json() + "\n", encoding="utf-8")
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
