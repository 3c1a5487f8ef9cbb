"""Credential proofs on one core (eddsa-rdfc-2022, eddsa-jcs-2022, JWT), and issuing a CSV end to end.

One realistic OpenBadgeCredential (about 3 KB: an issuer Profile, an achievement with criteria,
three ESCO alignments, evidence, a status entry; VC 2.0 and the pinned Open Badges 3.0.3 context)
is signed and verified with each cryptosuite (``domain/credentials/data_integrity``) and as a JWT
(``vc_jwt``). The rates are set against raw Ed25519 sign and verify of the credential's JCS bytes in
the same run, by PyNaCl (libsodium: what the proofs use) and, for reference, by ``cryptography``,
so the figures say what canonicalisation and hashing cost on top of the signature itself.
Canonicalisation alone is timed too: RFC 8785 JCS (the json fast path, and rfc8785 as before),
RDFC-1.0 as the proofs do it (pyld's expansion with cached contexts, then pyoxigraph), and RDFC-1.0
as it was done before (pyld's expansion with a fresh context cache each call, then pyld's
URDNA2015), the same credential in the same run.

The process is pinned to one CPU where the OS allows it. Each measure runs a fixed number of
operations in each of ``--rounds`` rounds, the measures taking turns within a round; figures are
medians over the rounds (time per operation, and its inverse, operations per second).

``eddsa-rdfc-2022`` fills a credential of a shape met before into that shape's N-Quads template
(``domain/credentials/rdf_templates``) instead of running pyld's toRdf: the verify rate is also timed
with the templates set aside, as before (issue 16), in the same run.

``eddsa-rdfc-2022`` remembers a proof configuration's canonical N-Quads (the proofs of a batch share
it), so verifying the same credential again finds it: the verify rate is also timed with that memory
dropped before each operation, as a credential whose proof configuration is new is verified.

The full verification (``verify_credential``: format, data model, contexts, undefined terms, key,
proof, dates, schema; no status list given) is timed on the same signed credential, and RDFC-1.0
with pyoxigraph's own JSON-LD parser (the pinned contexts inlined: it has no loader hook), the
alternative tried for issue 16 and not used, is timed next to the canonicalisation the proofs use.

Then (unless ``--verify-batch 0``) ``--verify-batch`` copies of the signed credential are verified in
full as one batch by ``services/credential_batch_verification``, in one process and on the pool
(every CPU the process may use), wall time side by side.

Then (unless ``--issue-rows 0``) the end-to-end figure, on every CPU the process may use: a CSV of
``--issue-rows`` recipients (e-mail, name, narrative, evidence) is parsed and issued as
eddsa-rdfc-2022 credentials by ``services/credential_issuing`` into a fresh SQLite database (status
list indexes, signing on a process pool, storing), timed from the CSV text to the commit.

Results: a Rich table, and JSON in bench/results/credentials-<date>.json.
Run: ``python -m bench.bench_credentials [--rounds N] [--verify-batch N] [--issue-rows N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cryptography
import pyoxigraph
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from rich.console import Console
from rich.table import Table

from bench import report_file
from microcareer.adapters.credential_keys import CredentialKeys
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import ed25519, json_ld_safety, multikey, vc_jwt
from microcareer.domain.credentials import rdfc as rdfc_module
from microcareer.domain.credentials.data_integrity import JCS, RDFC, create_proof, verify_proof
from microcareer.domain.credentials.jcs import canonical_json
from microcareer.domain.credentials.rdfc import canonical_nquads, forget_remembered
from microcareer.domain.credentials.verification import verify_credential
from microcareer.services.credential_batch_verification import BatchSources, VerificationJob, verify_documents

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SEED = bytes.fromhex("9b2f" * 16)  # a fixed Ed25519 secret key: the figures do not depend on it
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
# Operations per round, chosen so a round takes a few hundred milliseconds on a laptop core.
OPS = {"raw": 400, "jcs": 200, "jwt": 200, "rdfc": 40, "canon_jcs": 400, "canon_rdfc": 40, "canon_before": 5}
SUITES = (RDFC, JCS, "JWT")
console = Console()


def pin_to_one_core() -> tuple[int | None, set[int] | None]:
    """Run on the lowest-numbered CPU this process may use: (that CPU, the CPUs allowed before).

    (None, None) where the OS has no affinity call.
    """
    if not hasattr(os, "sched_setaffinity"):
        return None, None
    before = os.sched_getaffinity(0)
    cpu = min(before)
    os.sched_setaffinity(0, {cpu})
    return cpu, before


def credential_context() -> tuple[list[str], str]:
    """The credential's @context, and a note on it: Open Badges 3.0 when pinned, else VC examples."""
    if OB3_CONTEXT in pinned_contexts():
        return ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT], "VC 2.0 + Open Badges 3.0.3 (pinned)"
    return (
        ["https://www.w3.org/ns/credentials/v2", EXAMPLES_CONTEXT],
        "VC 2.0 + VC examples v2: the Open Badges 3.0 context is not pinned, so OB terms are @vocab terms",
    )


def open_badge(issuer_did: str) -> dict[str, Any]:
    """A hand-built OpenBadgeCredential of about 3 KB, shaped like one microcareer would issue."""
    context, _ = credential_context()
    esco = "http://data.europa.eu/esco/skill/"
    return {
        "@context": context,
        "id": "urn:uuid:3f6d1b8e-2c44-4d4e-9a51-7d0b6c2e8f10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Relational database design and SQL",
        "description": "Awarded for designing, querying and tuning a relational database in a project.",
        "issuer": {
            "id": issuer_did,
            "type": ["Profile"],
            "name": "Example Institute of Technology",
            "url": "https://institute.example/",
            "email": "credentials@institute.example",
            "description": "A public institute issuing micro-credentials for continuing education.",
        },
        "validFrom": "2026-11-23T09:00:00Z",
        "validUntil": "2031-11-23T09:00:00Z",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "activityStartDate": "2026-09-01T00:00:00Z",
            "activityEndDate": "2026-11-15T00:00:00Z",
            "achievement": {
                "id": "https://institute.example/achievements/sql-design-101",
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": "Relational database design and SQL",
                "description": (
                    "The learner designs a normalised relational schema, writes SQL queries with joins, "
                    "aggregates and window functions, and reads a query plan to add the right indexes."
                ),
                "criteria": {
                    "id": "https://institute.example/achievements/sql-design-101/criteria",
                    "narrative": (
                        "1. Model a library lending system in third normal form.\n"
                        "2. Write twelve graded queries, four of them with window functions.\n"
                        "3. Cut the slowest query's time tenfold with indexes, explaining the plan."
                    ),
                },
                "image": {
                    "id": "https://institute.example/achievements/sql-design-101/badge.png",
                    "type": "Image",
                    "caption": "A blue hexagon with a database cylinder",
                },
                "creator": {"id": issuer_did, "type": ["Profile"], "name": "Example Institute of Technology"},
                "humanCode": "SQL-101",
                "fieldOfStudy": "Information and communication technologies",
                "tag": ["SQL", "databases", "data modelling"],
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "SQL",
                        "targetUrl": esco + "598de5b0-5b58-4ea7-8058-a4bc4d18c742",
                        "targetDescription": "The computer language SQL is a query language for databases.",
                        "targetFramework": "ESCO",
                        "targetType": "ceterms:Skill",
                    },
                    {
                        "type": ["Alignment"],
                        "targetName": "design database scheme",
                        "targetUrl": esco + "6c08403c-a5bb-4868-b8c2-b7d039c0e511",
                        "targetDescription": "Draft a database scheme by following the RDBMS rules.",
                        "targetFramework": "ESCO",
                        "targetType": "ceterms:Skill",
                    },
                    {
                        "type": ["Alignment"],
                        "targetName": "manage database",
                        "targetUrl": esco + "29fb0fb5-dfc4-4098-ac9b-3a712000f48f",
                        "targetDescription": "Apply database design schemes, define data dependencies.",
                        "targetFramework": "ESCO",
                        "targetType": "ceterms:Skill",
                    },
                ],
            },
        },
        "evidence": [
            {
                "id": "https://institute.example/portfolios/4711/sql-project",
                "type": ["Evidence"],
                "name": "Graded project: library lending database",
                "narrative": "Schema, queries and a written tuning report, graded 17/20.",
                "genre": "Project",
            }
        ],
        "credentialStatus": {
            "id": "https://institute.example/status/3#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://institute.example/status/3",
        },
    }


def pyld_rdfc_before(document: Mapping[str, Any], contexts: Mapping[str, Mapping[str, Any]]) -> str:
    """RDFC-1.0 as ``domain/credentials/rdfc`` did it before: pyld's expansion with a fresh context
    cache on every call (every context processed anew), then pyld's URDNA2015."""

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": dict(contexts[url])}

    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
        "format": "application/n-quads",
    }
    nquads = jsonld.to_rdf(dict(document), options)
    normalize = {
        "algorithm": "URDNA2015",
        "inputFormat": "application/n-quads",
        "format": "application/n-quads",
    }
    return str(jsonld.normalize(nquads, normalize))


def pyld_expand_before(document: Mapping[str, Any], contexts: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    """JSON-LD expansion as ``json_ld_safety`` did it before: every context processed anew."""

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": dict(contexts[url])}

    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
    }
    return list(jsonld.expand(dict(document), options))


def term_check_as_before(verify: Callable[[], object]) -> Callable[[], object]:
    """``verify`` run with the verifier's term check expanding as before (contexts processed anew)."""

    def run() -> object:
        current = json_ld_safety.expand
        json_ld_safety.expand = pyld_expand_before
        try:
            return verify()
        finally:
            json_ld_safety.expand = current

    return run


def _inline_contexts(node: Any, contexts: Mapping[str, Mapping[str, Any]]) -> Any:
    """``node`` with every ``@context`` URL replaced by the pinned document's own ``@context``."""
    if isinstance(node, list):
        return [_inline_contexts(item, contexts) for item in node]
    if not isinstance(node, dict):
        return node
    inlined: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            listed = value if isinstance(value, list) else [value]
            inlined[key] = [contexts[item]["@context"] if isinstance(item, str) else item for item in listed]
        else:
            inlined[key] = _inline_contexts(value, contexts)
    return inlined


def oxigraph_jsonld_rdfc(document: Mapping[str, Any], contexts: Mapping[str, Mapping[str, Any]]) -> str:
    """RDFC-1.0 with JSON-LD → RDF by pyoxigraph's own JSON-LD parser (tried for issue 16, not used).

    pyoxigraph 0.5 has no document loader hook and keeps no processed contexts, so the pinned
    contexts are inlined and processed anew on every call."""
    data = json.dumps(_inline_contexts(document, contexts)).encode()
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    lines = pyoxigraph.serialize(dataset, format=pyoxigraph.RdfFormat.N_QUADS)
    assert isinstance(lines, bytes)
    return "".join(sorted(line + "\n" for line in lines.decode().split("\n") if line))


class _NoTemplates:
    """What ``rdfc`` did before issue 16's templates: pyld's toRdf on every document."""

    def nquads(self, document: Mapping[str, Any], to_rdf: Callable[[Mapping[str, Any]], str]) -> str:
        return to_rdf(document)

    def nquads_or_canonical(
        self, document: Mapping[str, Any], to_rdf: Callable[[Mapping[str, Any]], str], limits: object
    ) -> tuple[str, bool]:
        return to_rdf(document), False


def without_templates(
    contexts: Mapping[str, Mapping[str, Any]], call: Callable[[], object]
) -> Callable[[], object]:
    """``call`` with this pinned set's N-Quads templates (``domain/credentials/rdf_templates``) set aside."""
    processor = rdfc_module._processor(contexts)

    def run() -> object:
        templates = processor.templates
        processor.templates = _NoTemplates()  # type: ignore[assignment]
        try:
            return call()
        finally:
            processor.templates = templates

    return run


def per_op_ms(
    measures: list[tuple[str, Callable[[], object], int]], rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Milliseconds per operation of each measure in each round: wall-clock, and this process's CPU time.

    Rounds interleave the measures (every measure once per round), so a burst of other work on a
    shared machine lands on all of them alike rather than on whichever ran at that moment. On a
    busy machine the process waits for its core: the CPU time says what one free core would do.
    """
    wall: dict[str, list[float]] = {name: [] for name, _, _ in measures}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in measures}
    for _ in range(rounds):
        for name, call, ops in measures:
            gc.collect()
            start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
            for _ in range(ops):
                call()
            cpu[name].append((time.process_time_ns() - start_cpu) / 1e6 / ops)
            wall[name].append((time.perf_counter_ns() - start) / 1e6 / ops)
    return wall, cpu


def summary(values: list[float], cpu_values: list[float], ops: int) -> dict[str, float]:
    median = statistics.median(values)
    cpu_median = statistics.median(cpu_values)
    return {
        "rounds": len(values),
        "ops_per_round": ops,
        "median_ms_per_op": round(median, 4),
        "min_ms_per_op": round(min(values), 4),
        "max_ms_per_op": round(max(values), 4),
        "ops_per_s": round(1000 / median, 1),
        "median_cpu_ms_per_op": round(cpu_median, 4),
        "cpu_ops_per_s": round(1000 / cpu_median, 1) if cpu_median > 0 else 0.0,
    }


def show(
    rows: dict[str, dict[str, float]],
    ratios: dict[str, float],
    cpu_ratios: dict[str, float],
    notes: list[str],
) -> None:
    table = Table(title="Credential proofs, one core, one ~3 KB OpenBadgeCredential", title_justify="left")
    for column in (
        "measure",
        "median ms/op",
        "ops/s",
        "× raw Ed25519",
        "CPU ms/op",
        "ops/CPU-s",
        "× raw (CPU)",
    ):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, figures in rows.items():
        ratio, cpu_ratio = ratios.get(name), cpu_ratios.get(name)
        table.add_row(
            name,
            f"{figures['median_ms_per_op']:.4f}",
            f"{figures['ops_per_s']:,.0f}",
            "" if ratio is None else f"{ratio:.4f}",
            f"{figures['median_cpu_ms_per_op']:.4f}",
            f"{figures['cpu_ops_per_s']:,.0f}",
            "" if cpu_ratio is None else f"{cpu_ratio:.4f}",
        )
    console.print(table)
    for note in notes:
        console.print(note, highlight=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per measure")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the operations per round")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    parser.add_argument("--no-pin", action="store_true", help="leave the process on all its CPUs")
    parser.add_argument(
        "--issue-rows", type=int, default=10_000, help="recipients of the end-to-end CSV issue (0: skip it)"
    )
    parser.add_argument(
        "--issue-workers", type=int, default=None, help="processes signing the CSV batch (and verifying)"
    )
    parser.add_argument(
        "--verify-batch", type=int, default=2_000, help="credentials verified as one batch (0: skip it)"
    )
    args = parser.parse_args(argv if argv is not None else [])
    cpu, before = (None, None) if args.no_pin else pin_to_one_core()
    try:
        report = run(args, cpu, argv)
    finally:
        if before is not None:  # `python -m bench` goes on to other benchmarks in this process
            os.sched_setaffinity(0, before)
    if args.verify_batch > 0:
        report["verify_batch"] = verify_batch(args.verify_batch, args.issue_workers)
        show_verify_batch(report["verify_batch"])
    if args.issue_rows > 0:
        report["issue_csv_end_to_end"] = issue_end_to_end(args.issue_rows, args.issue_workers)
        show_issue(report["issue_csv_end_to_end"])
    write(report, args.out)


def issue_end_to_end(rows: int, workers: int | None) -> dict[str, Any]:
    """Issue a CSV of ``rows`` recipients into a fresh SQLite database: seconds and credentials per second."""
    from microcareer.bootstrap import bootstrap
    from microcareer.config import Settings
    from microcareer.domain.accounts import Actor, Role
    from microcareer.domain.credentials.issue_rows import parse_issue_csv
    from microcareer.domain.credentials.open_badges import AchievementDefinition
    from microcareer.services import achievements, credential_issuers, credential_issuing
    from microcareer.services.credential_signing import usable_cores
    from microcareer.store.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            environment="test",
            database_url=f"sqlite:///{folder}/bench.sqlite3",
            cache_dir=folder,
            argon2_time_cost=1,
            argon2_memory_kib=8,
        )
        platform = bootstrap(settings)
        try:
            assert platform.engine is not None
            upgrade(platform.engine)
            now = platform.clock()
            with platform.uow() as uow:
                owner = uow.accounts.add_user(
                    email="school@bench.test",
                    display_name="School",
                    password_hash="x",  # noqa: S106 - no one signs in
                    roles=[Role.ISSUER],
                    created_at=now,
                )
                uow.commit()
            actor = Actor(user_id=owner.id, roles=frozenset({Role.ISSUER}))
            issuer = credential_issuers.create_issuer(
                platform.uow(),
                platform.key_vault,
                actor=actor,
                name="Bench School",
                public_url="https://school.example",
                now=now,
            )
            achievement = achievements.define_achievement(
                platform.uow(),
                actor=actor,
                issuer_slug=issuer.slug,
                definition=AchievementDefinition(
                    name="Relational database design and SQL",
                    description="Designs, queries and tunes a relational database.",
                    criteria="Model a lending system in 3NF, write twelve graded queries, tune the slowest.",
                ),
                now=now,
            )
            lines = ["email,name,narrative,evidence_narrative,evidence_url"]
            lines += [
                f"learner{n}@bench.test,Learner {n},Built the lending database for cohort {n % 40},"
                f"Schema and queries graded {n % 20}/20,https://school.example/portfolios/{n}"
                for n in range(rows)
            ]
            text = "\n".join(lines) + "\n"
            started = time.perf_counter()
            requests = parse_issue_csv(text, source="bench.csv", result_names=[])
            issued = credential_issuing.issue_credentials(
                platform.uow(),
                platform.key_vault,
                actor=actor,
                achievement_id=achievement.id,
                requests=requests,
                proof_format="eddsa-rdfc-2022",
                publication=platform.publication,
                now=now,
                source="bench.csv",
                workers=workers,
            )
            seconds = time.perf_counter() - started
        finally:
            platform.dispose()
    assert len(issued) == rows
    return {
        "rows": rows,
        "proof_format": "eddsa-rdfc-2022",
        "database": "SQLite (a fresh file)",
        "cpus_used": min(workers or usable_cores(), usable_cores()),
        "seconds": round(seconds, 2),
        "credentials_per_s": round(rows / seconds, 1),
        "csv_bytes": len(text.encode()),
    }


def bench_sources() -> BatchSources:
    """Keys from did:key alone, no status source: what a batch verifier worker builds (picklable)."""
    return BatchSources(CredentialKeys({}), None)


def verify_batch(count: int, workers: int | None) -> dict[str, Any]:
    """``count`` copies of the signed eddsa-rdfc-2022 credential verified in full (``verify_credential``:
    every check, status unknown as no source is given) as one batch: one process against the pool."""
    from microcareer.services.credential_signing import usable_cores

    contexts = pinned_contexts()
    seed_public = multikey.public_multikey_of_seed(SEED)
    method = multikey.did_key_verification_method(seed_public)
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": RDFC,
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
        "created": "2026-11-23T09:00:00Z",
    }
    signed = create_proof(open_badge(multikey.did_key(seed_public)), options, SEED, contexts)
    text = json.dumps(signed)
    job = VerificationJob(bench_sources, contexts, pinned_schemas(), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    seconds: dict[str, float] = {}
    verdicts: dict[str, set[str]] = {}
    for label, count_workers in (("one process", 1), ("pool", workers)):
        started = time.perf_counter()
        reports = verify_documents([text] * count, job, workers=count_workers)
        seconds[label] = time.perf_counter() - started
        verdicts[label] = {report.verdict for report in reports}
    assert verdicts["one process"] == verdicts["pool"], verdicts
    return {
        "credentials": count,
        "proof_format": RDFC,
        "verdicts": sorted(verdicts["pool"]),
        "cpus_used": min(workers or usable_cores(), usable_cores()),
        "seconds_one_process": round(seconds["one process"], 2),
        "seconds_pool": round(seconds["pool"], 2),
        "credentials_per_s_one_process": round(count / seconds["one process"], 1),
        "credentials_per_s_pool": round(count / seconds["pool"], 1),
        "pool_speedup": round(seconds["one process"] / seconds["pool"], 2),
    }


def show_verify_batch(figures: Mapping[str, Any]) -> None:
    console.print(
        f"verify {figures['credentials']:,} credentials as one batch ({figures['proof_format']}, every "
        f"check): one process {figures['credentials_per_s_one_process']:,.0f}/s, "
        f"{figures['cpus_used']} CPUs {figures['credentials_per_s_pool']:,.0f}/s "
        f"({figures['pool_speedup']}x)",
        highlight=False,
    )


def show_issue(figures: Mapping[str, Any]) -> None:
    console.print(
        f"issue {figures['rows']:,} credentials from a CSV, end to end ({figures['proof_format']}, "
        f"{figures['database']}, {figures['cpus_used']} CPUs): {figures['seconds']:.1f} s, "
        f"{figures['credentials_per_s']:,.0f} credentials/s",
        highlight=False,
    )


def write(report: dict[str, Any], out: Path | None) -> None:
    target = report_file.write(report, out or RESULTS / f"credentials-{dt.date.today().isoformat()}.json")
    console.print(f"results: {target}")


def run(args: argparse.Namespace, cpu: int | None, argv: list[str] | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    ops = {name: max(1, round(count * args.scale)) for name, count in OPS.items()}
    contexts = pinned_contexts()
    private = Ed25519PrivateKey.from_private_bytes(SEED)
    public = private.public_key()
    public_raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    public_multikey = multikey.encode_public_key(public_raw)
    method = multikey.did_key_verification_method(public_multikey)
    credential = open_badge(multikey.did_key(public_multikey))
    _, context_note = credential_context()
    message = rfc8785.dumps(credential)
    raw_signature = ed25519.sign(SEED, message)

    def options(suite: str) -> dict[str, str]:
        return {
            "type": "DataIntegrityProof",
            "cryptosuite": suite,
            "verificationMethod": method,
            "proofPurpose": "assertionMethod",
            "created": "2026-11-23T09:00:00Z",
        }

    def resolve(_method: str) -> bytes:
        return multikey.public_key_of_did_key(method)

    signed = {suite: create_proof(credential, options(suite), SEED, contexts) for suite in (JCS, RDFC)}
    for suite in (JCS, RDFC):
        verify_proof(signed[suite], resolve, contexts)  # warm up, and prove the proofs are good
    token = vc_jwt.encode_jwt_credential(credential, SEED, method)
    vc_jwt.verify_jwt_signature(token, public_raw)
    assert ed25519.verifies(public_raw, raw_signature, message)
    public.verify(raw_signature, message)
    signed_text = json.dumps(signed[RDFC])
    keys, schemas, now = CredentialKeys({}), pinned_schemas(), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    full = verify_credential(signed_text, keys=keys, status=None, contexts=contexts, schemas=schemas, now=now)
    if full.verdict != "status_unknown":  # every check passes; its status list is not given
        raise SystemExit(f"the full verification did not pass: {full.as_json()['checks']}")
    if (
        term_check_as_before(
            lambda: verify_credential(
                signed_text, keys=keys, status=None, contexts=contexts, schemas=schemas, now=now
            )
        )()
        != full
    ):
        raise SystemExit("the term check as before reports otherwise: fix that before timing it")
    canonical = canonical_nquads(credential, contexts)
    if canonical != pyld_rdfc_before(credential, contexts):
        raise SystemExit("the canonicalisers disagree on the credential: fix that before timing them")
    if canonical != oxigraph_jsonld_rdfc(credential, contexts):
        raise SystemExit("pyoxigraph's JSON-LD gives other N-Quads for the credential: fix that first")

    variants = []  # other learners' credentials of the same shape: other ids, names, dates, proof times
    for n in range(ops["rdfc"]):
        variant = open_badge(multikey.did_key(public_multikey))
        variant["id"] = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
        variant["credentialSubject"]["id"] = f"did:example:learner{n}"
        variant["credentialSubject"]["activityEndDate"] = f"2026-11-{1 + n % 28:02d}T00:00:00Z"
        variant["evidence"][0]["narrative"] = (
            f"Schema, queries and a report by learner {n}, graded {n % 20}/20."
        )
        variant["evidence"][0]["id"] = f"https://institute.example/portfolios/{n}/sql-project"
        signed_at = {**options(RDFC), "created": f"2026-11-23T09:{n // 60 % 60:02d}:{n % 60:02d}Z"}
        variants.append(create_proof(variant, signed_at, SEED, contexts))  # its own proof configuration
    for variant in variants:
        verify_proof(variant, resolve, contexts)
    next_variant = iter(variants * (args.rounds + 1))

    def verify_cold(secured: dict[str, Any]) -> None:
        forget_remembered(contexts)
        verify_proof(secured, resolve, contexts)

    measures: list[tuple[str, Callable[[], object], int]] = [
        ("raw Ed25519 sign", lambda: ed25519.sign(SEED, message), ops["raw"]),
        ("raw Ed25519 verify", lambda: ed25519.verifies(public_raw, raw_signature, message), ops["raw"]),
        ("raw Ed25519 sign (cryptography)", lambda: private.sign(message), ops["raw"]),
        ("raw Ed25519 verify (cryptography)", lambda: public.verify(raw_signature, message), ops["raw"]),
        (f"{RDFC} sign", lambda: create_proof(credential, options(RDFC), SEED, contexts), ops["rdfc"]),
        (f"{RDFC} verify", lambda: verify_proof(signed[RDFC], resolve, contexts), ops["rdfc"]),
        (
            f"{RDFC} verify, a different credential of the shape each time",
            lambda: verify_proof(next(next_variant), resolve, contexts),
            ops["rdfc"],
        ),
        (
            f"{RDFC} verify, no N-Quads template (as before)",
            without_templates(contexts, lambda: verify_proof(signed[RDFC], resolve, contexts)),
            ops["rdfc"],
        ),
        (
            f"{RDFC} verify, proof configuration not remembered",
            lambda: verify_cold(signed[RDFC]),
            ops["rdfc"],
        ),
        (f"{JCS} sign", lambda: create_proof(credential, options(JCS), SEED, contexts), ops["jcs"]),
        (f"{JCS} verify", lambda: verify_proof(signed[JCS], resolve, contexts), ops["jcs"]),
        (
            f"{RDFC} full verify (every check)",
            lambda: verify_credential(
                signed_text, keys=keys, status=None, contexts=contexts, schemas=schemas, now=now
            ),
            ops["rdfc"],
        ),
        (
            f"{RDFC} full verify, term check as before",
            term_check_as_before(
                lambda: verify_credential(
                    signed_text, keys=keys, status=None, contexts=contexts, schemas=schemas, now=now
                )
            ),
            ops["canon_before"] * 2,
        ),
        ("JWT sign", lambda: vc_jwt.encode_jwt_credential(credential, SEED, method), ops["jwt"]),
        ("JWT verify", lambda: vc_jwt.verify_jwt_signature(token, public_raw), ops["jwt"]),
        ("canonicalise: JCS (json fast path)", lambda: canonical_json(credential), ops["canon_jcs"]),
        ("canonicalise: JCS (rfc8785, as before)", lambda: rfc8785.dumps(credential), ops["canon_jcs"]),
        (
            "canonicalise: RDFC-1.0 (pyld cached + pyoxigraph)",
            lambda: canonical_nquads(credential, contexts),
            ops["canon_rdfc"],
        ),
        (
            "canonicalise: RDFC-1.0 (pyoxigraph JSON-LD, contexts inlined; not used)",
            lambda: oxigraph_jsonld_rdfc(credential, contexts),
            ops["canon_rdfc"],
        ),
        (
            "canonicalise: RDFC-1.0 (pyld, as before)",
            lambda: pyld_rdfc_before(credential, contexts),
            ops["canon_before"],
        ),
    ]
    timings, cpu_timings = per_op_ms(measures, args.rounds)
    rows = {name: summary(timings[name], cpu_timings[name], count) for name, _, count in measures}
    raw_rate = {
        "sign": rows["raw Ed25519 sign"]["ops_per_s"],
        "verify": rows["raw Ed25519 verify"]["ops_per_s"],
    }
    ratios = {
        f"{suite} {action}": round(rows[f"{suite} {action}"]["ops_per_s"] / raw_rate[action], 4)
        for suite in SUITES
        for action in ("sign", "verify")
    }
    cpu_raw = {
        "sign": rows["raw Ed25519 sign"]["cpu_ops_per_s"],
        "verify": rows["raw Ed25519 verify"]["cpu_ops_per_s"],
    }
    cpu_ratios = {
        f"{suite} {action}": round(rows[f"{suite} {action}"]["cpu_ops_per_s"] / cpu_raw[action], 4)
        if cpu_raw[action]
        else 0.0
        for suite in SUITES
        for action in ("sign", "verify")
    }
    for cold in (
        f"{RDFC} verify, proof configuration not remembered",
        f"{RDFC} verify, no N-Quads template (as before)",
        f"{RDFC} verify, a different credential of the shape each time",
    ):
        ratios[cold] = round(rows[cold]["ops_per_s"] / raw_rate["verify"], 4)
        cpu_ratios[cold] = (
            round(rows[cold]["cpu_ops_per_s"] / cpu_raw["verify"], 4) if cpu_raw["verify"] else 0.0
        )
    full_speedup = round(
        rows[f"{RDFC} full verify, term check as before"]["median_cpu_ms_per_op"]
        / rows[f"{RDFC} full verify (every check)"]["median_cpu_ms_per_op"],
        2,
    )
    speedup = round(
        rows["canonicalise: RDFC-1.0 (pyld, as before)"]["median_ms_per_op"]
        / rows["canonicalise: RDFC-1.0 (pyld cached + pyoxigraph)"]["median_ms_per_op"],
        2,
    )
    notes = [
        f"credential: {len(message):,} bytes as JCS, {len(canonical.splitlines())} RDF quads; "
        f"context {context_note}",
        "× raw Ed25519: the rate over raw Ed25519's (PyNaCl, as the proofs use it) on the credential's JCS "
        "bytes (1.0 = no overhead)",
        f"RDFC-1.0 canonicalisation now against before: {speedup}x faster, the same N-Quads",
        f"full verification now against the term check as before: {full_speedup}x faster (CPU), same report",
        f"pinned to CPU {cpu}" if cpu is not None else "not pinned to one CPU",
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: on a busy machine the CPU-time "
        "columns say what one free core does",
    ]
    show(rows, ratios, cpu_ratios, notes)
    return {
        **report_file.header(
            "credentials",
            "bench.bench_credentials",
            argv,
            pinned_cpu=cpu,
            cryptography=cryptography.__version__,
            pyld=version("PyLD"),
            pyoxigraph=version("pyoxigraph"),
            pynacl=version("PyNaCl"),
        ),
        "settings": {"rounds": args.rounds, "ops_per_round": ops, "statistic": "median over rounds"},
        "credential": {
            "jcs_bytes": len(message),
            "rdf_quads": len(canonical.splitlines()),
            "context": credential["@context"],
            "context_note": context_note,
        },
        "measures": rows,
        "rate_vs_raw_ed25519": ratios,
        "cpu_rate_vs_raw_ed25519": cpu_ratios,
        "rdfc_canonicalisation_speedup_vs_before": speedup,
        "full_verify_cpu_speedup_vs_term_check_before": full_speedup,
        "raw_ed25519_message": "the credential's JCS bytes (the suites sign 64 bytes of SHA-256 hashes)",
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
