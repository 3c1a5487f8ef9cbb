"""The composition root: builds the store, the unit-of-work factory, clock and hasher from settings.

Everything outward-facing (CLI, API, web) gets a ``Platform`` from here; tests build one with fakes.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from microcareer.adapters.lexicon_cache import FileLexiconStore
from microcareer.config import Settings
from microcareer.domain.profiles.evidence import EvidencePolicy
from microcareer.errors import NotReady
from microcareer.services.extraction import CACHE_KEY as EXTRACTOR_KEY
from microcareer.services.extraction import ExtractorCache, RankingFactory, SemanticFactory
from microcareer.services.recent_reads import RecentReads
from microcareer.services.token_cache import TokenIdentities

# The credential, HTTP and store modules (cryptography, pyld, httpx, jsonschema, SQLAlchemy, Alembic)
# are imported where they are used, not here: a command that needs none of them (``extract`` with no
# database, ``--help``) starts without paying for them.
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from microcareer.adapters.documents.limits import DocumentLimits
    from microcareer.adapters.documents.pool import DocumentPool
    from microcareer.adapters.outbound_http import Outbound, OutboundPolicy
    from microcareer.domain.extraction.extractor import Ranker, SemanticMatcher
    from microcareer.domain.extraction.lexicon import LabelRow
    from microcareer.services.candidate_index import CandidateIndex
    from microcareer.services.credential_issuing import Publication
    from microcareer.services.credential_ports import KeyVault
    from microcareer.services.credential_verification import VerifierSources
    from microcareer.services.job_index import JobIndex
    from microcareer.services.market_ingest_jobs import JobRunner
    from microcareer.services.ports import (
        Clock,
        ExtractionSource,
        LexiconStore,
        PasswordHasher,
        TextEmbedder,
        UnitOfWork,
    )
    from microcareer.services.skill_ranking import RankingTaxonomy


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Platform:
    """The wired application: what every interface needs to call the services."""

    settings: Settings
    uow: Callable[[], UnitOfWork]
    clock: Clock
    passwords: PasswordHasher
    engine: Engine | None = None
    caches: dict[str, object] = field(default_factory=dict)
    lexicons: LexiconStore | None = None  # on-disk cache of extraction lexicons; None: build each time
    database: bool = True  # False: none is configured or made (``bootstrap_without_database``)
    # the store's count of committed changes to roles, memberships and tokens in this process; None
    # (a unit of work given from outside, as tests do): API tokens are looked up on every request
    identity_changes: Callable[[], int] | None = None
    # the store's count of committed units of work in this process; None: hot reads are never remembered
    commit_count: Callable[[], int] | None = None

    @property
    def evidence_policy(self) -> EvidencePolicy:
        """How evidence fades on this platform (``MICROCAREER_EVIDENCE_HALF_LIFE_DAYS``)."""
        return EvidencePolicy(half_life_days=self.settings.evidence_half_life_days)

    @property
    def candidate_index(self) -> CandidateIndex | None:
        """Matching's candidate index (issue 18), saved beside the SQLite database file, and on
        PostgreSQL under ``MICROCAREER_CACHE_DIR``/``matching/`` in a file named by the database's
        identity (``candidate_index_place``); None without a database."""
        if not self.database:
            return None
        from microcareer.services.candidate_index import CandidateIndex

        return CandidateIndex.cached(self.caches, lambda: candidate_index_place(self))

    @property
    def job_index(self) -> JobIndex | None:
        """Matching's job index (a person's micro-jobs, issue 18), saved beside the candidate index's
        file (``job_index_place``); None without a database."""
        if not self.database:
            return None
        from microcareer.services.job_index import JobIndex

        return JobIndex.cached(self.caches, lambda: job_index_place(self))

    def start_matching_keeper(self, warmed: Callable[[], None] | None = None) -> threading.Event | None:
        """Warm the candidate index and the job index in the background and prune their change logs
        every ``PRUNE_SECONDS`` (the server's lifespan); set the event returned to stop. ``warmed`` is
        called in the keeper's thread once both warm-ups have ended (built, loaded or failed). None: no
        database (``warmed`` is not called)."""
        index, jobs = self.candidate_index, self.job_index
        if index is None or jobs is None or self.engine is None:
            return None
        from microcareer.services import candidate_index, job_index
        from microcareer.services.change_log_index import PRUNE_SECONDS

        warm_ups = (
            index.start_warming(self.uow, self.clock().date(), self.evidence_policy),
            jobs.start_warming(self.uow),
        )
        stop = threading.Event()

        def keep() -> None:
            if warmed is not None:
                for warm_up in warm_ups:
                    warm_up.join()
                try:
                    warmed()
                except Exception:  # the keeper prunes all the same
                    logging.getLogger(__name__).exception("after the matching warm-ups")
            while not stop.wait(PRUNE_SECONDS):
                for pruning in (candidate_index.prune, job_index.prune):
                    try:
                        pruning(self.uow())
                    except Exception:  # the next round tries again
                        logging.getLogger(__name__).exception("matching change log not pruned")

        threading.Thread(target=keep, name="matching-change-log-pruning", daemon=True).start()
        return stop

    @property
    def ingest_jobs(self) -> JobRunner:
        """Background ingests of postings files (issue 19) bound to this platform's store, caches,
        lexicons and clock."""
        from microcareer.services.market_ingest_jobs import JobRunner

        return JobRunner(self.uow, self.caches, self.lexicons, self.clock)

    @property
    def key_vault(self) -> KeyVault:
        """Seals issuers' private keys under a key derived from ``MICROCAREER_SECRET_KEY``."""
        from microcareer.adapters.key_vault import AesGcmKeyVault

        vault = self.caches.get("key_vault")
        if not isinstance(vault, AesGcmKeyVault):
            vault = AesGcmKeyVault(self.settings.secret_key.get_secret_value())
            self.caches["key_vault"] = vault
        return vault

    @property
    def publication(self) -> Publication:
        """Where credentials, status lists and achievements are published, and the pinned contexts."""
        from microcareer.adapters.jsonld_contexts import pinned_contexts
        from microcareer.services.credential_issuing import Publication

        return Publication(public_url=self.settings.public_url, contexts=pinned_contexts())

    @property
    def verifier_sources(self) -> VerifierSources:
        """did:key offline; did:web documents and other issuers' status lists over HTTPS (cached),
        through one SSRF-safe ``Outbound`` gate: public addresses only, one deadline per verification,
        a bound on fetches in flight (``MICROCAREER_OUTBOUND_*``, ``..._VERIFICATION_DEADLINE_SECONDS``)."""
        from microcareer.adapters.outbound_http import Outbound
        from microcareer.services.credential_verification import VerifierSources

        sources = self.caches.get("verifier_sources")
        if not isinstance(sources, VerifierSources):
            outbound = Outbound(outbound_policy(self.settings))
            self.caches["outbound"] = outbound  # closed by dispose()
            sources = online_verifier_sources(outbound)
            self.caches["verifier_sources"] = sources
        return sources

    @property
    def token_identities(self) -> TokenIdentities:
        """Whom API tokens act for, remembered in this process for ``MICROCAREER_TOKEN_CACHE_SECONDS``
        until a change to roles, memberships or tokens is committed here (``services/token_cache.py``);
        never remembered when the store does not count its changes."""
        cache = self.caches.get("token_identities")
        if not isinstance(cache, TokenIdentities):
            if self.identity_changes is None:
                cache = TokenIdentities(0)
            else:
                cache = TokenIdentities(self.settings.token_cache_seconds, changes=self.identity_changes)
            self.caches["token_identities"] = cache
        return cache

    @property
    def recent_reads(self) -> RecentReads:
        """Job board pages remembered in this process for ``MICROCAREER_READ_CACHE_SECONDS`` until any
        commit here (``services/recent_reads.py``); never remembered when the store does not count
        its commits."""
        cache = self.caches.get("recent_reads")
        if not isinstance(cache, RecentReads):
            if self.commit_count is None:
                cache = RecentReads(0)
            else:
                cache = RecentReads(self.settings.read_cache_seconds, changes=self.commit_count)
            self.caches["recent_reads"] = cache
        return cache

    @property
    def status_list_cache(self) -> dict[tuple[int, datetime], str]:
        """Signed status list credentials by (list, last change): re-signed only after a change."""
        cache = self.caches.setdefault("status_lists", {})
        assert isinstance(cache, dict)
        return cache

    @property
    def documents(self) -> DocumentPool:
        """Uploaded documents are read in these worker processes, within ``MICROCAREER_DOCUMENT_*``
        (bytes, pages, paragraphs, characters, seconds, memory); started when first needed."""
        from microcareer.adapters.documents.pool import DocumentPool

        pool = self.caches.get("documents")
        if not isinstance(pool, DocumentPool):
            pool = document_pool(self.settings)
            self.caches["documents"] = pool  # closed by dispose() and by the app's shutdown
        return pool

    def close_documents(self) -> None:
        pool = self.caches.pop("documents", None)
        if pool is not None:
            from microcareer.adapters.documents.pool import DocumentPool

            assert isinstance(pool, DocumentPool)
            pool.close()

    @property
    def domain_proof_fetcher(self) -> Callable[[str], object | None]:
        """Fetches an issuer's well-known domain proof as JSON through the same SSRF-safe ``Outbound``
        rules as the verifier (public addresses, allowed ports, one deadline); None when it failed."""
        fetcher = self.caches.get("domain_proof_fetcher")
        if callable(fetcher):
            return cast("Callable[[str], object | None]", fetcher)
        from microcareer.adapters.https_json import JsonFetcher
        from microcareer.adapters.outbound_http import FetchFailed, Outbound

        gate = Outbound(outbound_policy(self.settings))
        self.caches["domain_outbound"] = gate  # closed by dispose()
        documents = JsonFetcher(gate, max_bytes=64 * 1024, ttl=0.0)

        def fetch(url: str) -> object | None:
            try:
                with gate.window():
                    return cast("object", documents.get(url))
            except FetchFailed:
                return None

        self.caches["domain_proof_fetcher"] = fetch
        return fetch

    def ensure_ready(self) -> None:
        """Refuse to serve from a database that has not been migrated to this version's schema."""
        if self.engine is None:
            return
        from microcareer.store import migrate

        if not migrate.is_up_to_date(self.engine):
            raise NotReady(
                "the database schema is missing or out of date: run `microcareer init` "
                "(or `microcareer db upgrade`)"
            )

    def extraction_source(self) -> ExtractionSource:
        """Where extraction reads the taxonomy: the database's (organisation skills included) once
        ``init`` has made its schema; the bundled ESCO, read directly, while no database is configured
        or made. A schema of an older version is refused, as ``ensure_ready`` does."""
        from microcareer.adapters.bundled_esco import BundledEsco

        if not self.database:
            return BundledEsco()
        if self.engine is None:
            return self.uow()
        from microcareer.store import migrate

        current = migrate.current_revision(self.engine)
        if current is None:
            return BundledEsco()
        if current != migrate.head_revision():
            self.ensure_ready()
        return self.uow()

    def dispose(self) -> None:
        self.close_documents()
        for name in ("outbound", "domain_outbound"):
            outbound = self.caches.pop(name, None)
            if outbound is not None:
                from microcareer.adapters.outbound_http import Outbound

                assert isinstance(outbound, Outbound)
                outbound.close()
        if self.engine is not None:
            self.engine.dispose()


def online_verifier_sources(outbound: Outbound) -> VerifierSources:
    """did:web documents and other issuers' status lists fetched through ``outbound``, one window
    (deadline) per verification; the pinned JSON Schemas."""
    from microcareer.adapters.credential_keys import CredentialKeys
    from microcareer.adapters.did_web import DidWebResolver
    from microcareer.adapters.https_json import JsonFetcher
    from microcareer.adapters.json_schemas import pinned_schemas
    from microcareer.adapters.status_lists_http import MAX_STATUS_LIST_BYTES, StatusLists
    from microcareer.services.credential_verification import VerifierSources

    return VerifierSources(
        keys=CredentialKeys({}, did_web=DidWebResolver(JsonFetcher(outbound))),
        status=StatusLists({}, fetcher=JsonFetcher(outbound, max_bytes=MAX_STATUS_LIST_BYTES)),
        schemas=pinned_schemas(),
        window=outbound.window,
    )


def outbound_policy(settings: Settings) -> OutboundPolicy:
    """What the verifier may fetch, from the ``MICROCAREER_OUTBOUND_*`` settings."""
    from microcareer.adapters.outbound_http import OutboundPolicy

    return OutboundPolicy(
        allow_private_addresses=settings.outbound_allow_private_addresses,
        ports=frozenset(settings.outbound_ports),
        deadline_seconds=settings.verification_deadline_seconds,
        max_in_flight=settings.outbound_max_in_flight,
    )


def document_limits(settings: Settings) -> DocumentLimits:
    """What reading one document may cost, from the ``MICROCAREER_DOCUMENT_*`` settings."""
    from microcareer.adapters.documents.limits import DocumentLimits

    return DocumentLimits(
        max_file_bytes=settings.document_max_bytes,
        max_chars=settings.document_max_chars,
        max_unpacked_bytes=settings.document_max_unpacked_bytes,
        max_compression_ratio=settings.document_max_compression_ratio,
        max_paragraphs=settings.document_max_paragraphs,
        max_pages=settings.document_max_pages,
        max_html_bytes=settings.document_max_html_bytes,
        max_seconds=settings.document_seconds,
    )


def document_pool(settings: Settings) -> DocumentPool:
    from microcareer.adapters.documents.pool import DocumentPool

    return DocumentPool(
        document_limits(settings),
        workers=settings.document_workers,
        memory_bytes=settings.document_memory_mib * 2**20,
    )


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: Callable[[], UnitOfWork] | None = None,
    clock: Clock = utc_now,
    passwords: PasswordHasher | None = None,
) -> Platform:
    """Wire the platform; pass ``uow`` (e.g. a fake) to use no database at all."""
    from microcareer.adapters.passwords import Argon2PasswordHasher

    settings = settings or Settings()
    hasher = passwords or Argon2PasswordHasher(
        time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib
    )
    if uow is not None:
        return Platform(settings=settings, uow=uow, clock=clock, passwords=hasher)
    from microcareer.store.engine import build_engine
    from microcareer.store.repositories.accounts import ACCOUNT_CHANGES
    from microcareer.store.unit_of_work import COMMITS, SqlAlchemyUnitOfWork, unit_of_work_factory

    engine = build_engine(settings.database_url)
    session_factory = unit_of_work_factory(engine)
    return Platform(
        settings=settings,
        uow=lambda: SqlAlchemyUnitOfWork(session_factory),
        clock=clock,
        passwords=hasher,
        engine=engine,
        caches={EXTRACTOR_KEY: extraction_wiring(settings)},
        lexicons=FileLexiconStore(Path(settings.cache_dir)),
        identity_changes=ACCOUNT_CHANGES,
        commit_count=COMMITS,
    )


def candidate_index_place(platform: Platform) -> tuple[Path | None, str]:
    """Where the candidate index is saved and the database's identity (read, and made on first use,
    in a transaction of its own). SQLite: beside the database file; PostgreSQL: under the cache folder,
    named by a hash of the server, database, schema and the random id kept in the database, so a file
    is never taken for another database's (its identity is checked again on loading). None: kept in
    memory only (no engine, or the identity could not be read)."""
    if platform.engine is None:
        return None, ""
    try:
        with platform.uow() as uow:
            identity = uow.profiles.matching_instance()
            uow.commit()
    except Exception:  # another process made it at the same moment: read theirs
        try:
            with platform.uow() as uow:
                identity = uow.profiles.matching_instance()
                uow.commit()
        except Exception:
            logging.getLogger(__name__).exception("candidate index kept in memory: no database identity")
            return None, ""
    database = platform.settings.sqlite_path()
    if database is not None:
        return database.with_name(database.name + ".matching.npz"), identity
    url = platform.engine.url
    key = hashlib.sha256(f"{url.host}:{url.port}/{identity}".encode()).hexdigest()[:24]
    return Path(platform.settings.cache_dir) / "matching" / f"{key}.npz", identity


def job_index_place(platform: Platform) -> tuple[Path | None, str]:
    """Where the job index is saved: beside the candidate index's file (``candidate_index_place``),
    ``-jobs`` added to its name; the same database identity."""
    path, identity = candidate_index_place(platform)
    return (None if path is None else path.with_name(path.stem + "-jobs.npz")), identity


def database_exists(settings: Settings) -> bool:
    """False when the store is a SQLite file that is not there: no database was made (or configured)."""
    path = settings.sqlite_path()
    return path is None or path.exists()


def bootstrap_without_database(settings: Settings) -> Platform:
    """A platform for extraction from the bundled ESCO with no database (none is made): its unit of
    work refuses, pointing at ``microcareer init``."""
    platform = bootstrap(settings, uow=_no_database)
    platform.database = False
    platform.caches[EXTRACTOR_KEY] = extraction_wiring(settings)
    platform.lexicons = FileLexiconStore(Path(settings.cache_dir))
    return platform


def _no_database() -> UnitOfWork:
    raise NotReady("there is no database: run `microcareer init`")


def extraction_wiring(settings: Settings) -> ExtractorCache:
    """The extractor cache with the semantic and ranking methods, and tool names, wired from settings."""
    from microcareer.adapters.tool_names import BundledToolNames

    cache_dir = Path(settings.cache_dir)
    return ExtractorCache(
        semantic=semantic_matching(cache_dir),
        tool_names=BundledToolNames(),
        ranking=skill_ranking(cache_dir, quantized=settings.ranking_queries == "int8"),
    )


def skill_ranking(cache_dir: Path | None, *, quantized: bool = True) -> RankingFactory | None:
    """The ranking method's wiring: TF-IDF always, sentence embeddings when the ``semantic`` extra is
    installed (else the scorer trained without them), sentences through the int8 model copy when
    ``quantized``. numpy and scikit-learn load only when it ranks."""
    from microcareer.adapters.semantic import semantic_extra_installed

    if find_spec("numpy") is None or find_spec("sklearn") is None:
        return None
    return LazyRanking(cache_dir, dense=semantic_extra_installed(), quantized=quantized)


class LazyRanking:
    """``RankingFactory`` that imports numpy, scikit-learn and the model only when a ranker is first
    used: a run that does not rank (``extract --precise``) never loads them."""

    def __init__(self, cache_dir: Path | None, *, dense: bool, quantized: bool = True) -> None:
        self.cache_dir = cache_dir
        self.dense = dense
        self.quantized = quantized

    def __call__(self, revision_id: str, taxonomy: Callable[[], RankingTaxonomy]) -> Ranker:
        return Deferred(lambda: self.build(revision_id, taxonomy))

    def build(self, revision_id: str, taxonomy: Callable[[], RankingTaxonomy]) -> Ranker:
        embedder = queries = store = gate = None
        if self.dense:
            from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
            from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder

            embedder = SentenceTransformerEmbedder()
            # sentences: int8 by default (MICROCAREER_RANKING_QUERIES), about twice as fast on one core
            queries = SentenceTransformerEmbedder(quantized=self.quantized)
            # torch and the weights load (seconds) while scikit-learn, the index and the skill vectors do
            threading.Thread(target=_preload, args=(queries,), name="ranking-model", daemon=True).start()
            if self.cache_dir is not None:
                store = FileSkillEmbeddingStore(self.cache_dir, prefix="ranking-embeddings-", one_key=False)
        from microcareer.adapters.ranking.index_cache import FileRankingIndexStore
        from microcareer.adapters.ranking.model import (
            bundled_adapter,
            bundled_gate,
            bundled_reranker,
            bundled_scorer,
        )
        from microcareer.adapters.ranking.tfidf import LabelTfidf
        from microcareer.services.skill_ranking import SkillRanking

        gate = bundled_gate(queries.model_name) if queries is not None else None
        adapter = bundled_adapter(queries.model_name) if queries is not None else None
        # the taxonomy and its fitted TF-IDF, kept per revision: a warm start neither reads nor refits
        indexes = FileRankingIndexStore(self.cache_dir) if self.cache_dir is not None else None
        ranking = SkillRanking(
            LabelTfidf.of_analyzer,
            bundled_scorer,
            embedder,
            store,
            queries,
            gate,
            indexes=indexes,
            adapter=adapter,
            reranker=bundled_reranker() if queries is not None else None,
        )
        return ranking(revision_id, taxonomy)


def _preload(embedder: TextEmbedder) -> None:
    """Load the model ahead of its first use; a model that cannot load fails there, where it is reported
    (the ranker's warm-up embedding waits for this one under the embedder's lock)."""
    with suppress(Exception):
        embedder.embed(["warm-up"])


class Deferred:
    """A ranker or semantic matcher made on first use (its ``ready``, a call, or being pickled for a
    worker), so the modules it needs are imported then, not when the extractor is assembled."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._made: Any = None

    def target(self) -> Any:
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    def ready(self, *args: Any, **kwargs: Any) -> Any:
        return self.target().ready(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.target()(*args, **kwargs)

    def __reduce__(self) -> str | tuple[Any, ...]:
        return self.target().__reduce__()  # type: ignore[no-any-return]


def semantic_matching(cache_dir: Path | None) -> SemanticFactory | None:
    """The semantic method's wiring when the ``semantic`` extra is installed, else None (refused);
    numpy and the model's adapter are imported when a matcher is first used."""
    from microcareer.adapters.semantic import semantic_extra_installed

    if not semantic_extra_installed():
        return None

    def matcher(revision_id: str, rows: Callable[[], Iterable[LabelRow]]) -> SemanticMatcher:
        def make() -> SemanticMatcher:
            from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
            from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
            from microcareer.services.semantic_extraction import SemanticMatching

            store = FileSkillEmbeddingStore(cache_dir) if cache_dir is not None else None
            return SemanticMatching(SentenceTransformerEmbedder(), store)(revision_id, rows)

        return Deferred(make)

    return matcher
