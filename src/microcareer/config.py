"""Settings, declared once with their help text; read from ``MICROCAREER_*`` environment variables.

``docs/settings.md`` lists every field; a contract test keeps the two in step.
"""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from microcareer.domain.sign_in_throttle import ThrottlePolicy

DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development
DEFAULT_DATABASE_URL = "sqlite:///var/microcareer.sqlite3"


class Settings(BaseSettings):
    """Everything an operator can set. Unsafe defaults are refused outside development."""

    model_config = SettingsConfigDict(env_prefix="MICROCAREER_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="development, test or production; production refuses unsafe defaults."
    )
    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description=(
            "SQLAlchemy URL of the store: sqlite:///PATH (the embedded default) or "
            "postgresql+psycopg://USER@HOST:PORT/DB."
        ),
    )
    secret_key: SecretStr = Field(
        SecretStr(DEVELOPMENT_SECRET),
        description="Secret for encrypting keys at rest and binding sessions; required in production.",
    )
    host: str = Field("127.0.0.1", description="Address `microcareer serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `microcareer serve` listens on.")
    session_hours: int = Field(
        24 * 14, ge=1, description="How long a web session cookie stays valid, in hours."
    )
    cookie_secure: bool = Field(
        False, description="Send the session cookie over HTTPS only; forced on in production."
    )
    argon2_time_cost: int = Field(3, ge=1, description="Argon2id passes for password hashing.")
    argon2_memory_kib: int = Field(65536, ge=8, description="Argon2id memory for password hashing, in KiB.")
    allow_signup: bool = Field(
        True, description="Let anyone create a professional or client account through the API and web."
    )
    page_size_max: int = Field(200, ge=1, description="Largest page an API list returns.")
    sign_in_account_failures: int = Field(
        5,
        ge=1,
        le=1000,
        description=(
            "Failed sign-ins in a row for one e-mail (known or not) before it is locked for a while "
            "(429 with Retry-After); a successful sign-in clears the count."
        ),
    )
    sign_in_address_failures: int = Field(
        20,
        ge=1,
        le=100_000,
        description="Failed sign-ins in a row from one client address before it is locked for a while.",
    )
    sign_in_lock_seconds: int = Field(
        30,
        ge=1,
        le=86_400,
        description="First lock after too many failed sign-ins, in seconds; each further failure doubles it.",
    )
    sign_in_lock_max_seconds: int = Field(
        900, ge=1, le=86_400, description="Longest lock after failed sign-ins, in seconds."
    )
    sign_in_forget_after_seconds: int = Field(
        3600,
        ge=60,
        le=30 * 86_400,
        description=(
            "Failed sign-ins are forgotten this many seconds after the last one (longer than the "
            "longest lock)."
        ),
    )
    sign_ups_per_address: int = Field(
        10,
        ge=1,
        le=100_000,
        description=(
            "Sign-ups from one client address within the forgetting window before it waits (429), "
            "doubling like sign-in locks."
        ),
    )
    trusted_proxies: list[str] = Field(
        [],
        description=(
            'Addresses or networks (JSON list, e.g. ["127.0.0.1", "10.0.0.0/8"]) of reverse proxies '
            "whose X-Forwarded-For header names the client. Empty (the default): the header is ignored "
            "and the connection's address counts, for sign-in throttling among others."
        ),
    )
    token_default_days: int = Field(
        90,
        ge=1,
        le=3650,
        description="Days an API token works when its creator gives no lifetime; every token expires.",
    )
    token_cache_seconds: float = Field(
        5.0,
        ge=0,
        le=60,
        description="Seconds a server process remembers whom an API token acts for before reading the "
        "store again (0: never remember). A token revoked through the same process stops at once; another "
        "process, a deactivated account or changed roles or memberships take effect within this time.",
    )
    read_cache_seconds: float = Field(
        2.0,
        ge=0,
        le=60,
        description="Seconds a server process remembers a job board page, an API skills search (per "
        "viewer's visibility) and one's own profile through the API (per reader) before asking the store "
        "again (0: never remember). Any change committed "
        "through the same process shows at once; one made through another process (serve --workers, the "
        "CLI) within this time.",
    )
    cache_dir: str = Field(
        "var/cache",
        description="Folder for rebuildable caches (the extraction lexicon, about 60 MB); safe to delete.",
    )
    ranking_queries: Literal["int8", "float"] = Field(
        "int8",
        description=(
            "How skill ranking embeds each sentence: int8 (a quantised copy of the model, about twice as "
            "fast on one core; the scorer is fitted on its features) or float (the full model, about half "
            "the speed: docs/ranking.md)."
        ),
    )
    evidence_half_life_days: float = Field(
        730,
        gt=0,
        le=36_500,
        description="Days after which a skill's evidence counts half as much (confidence fades with age).",
    )

    marketplace_fee_basis_points: int = Field(
        1000,
        ge=0,
        le=5000,
        description=(
            "Platform fee on released open-market payments, in basis points (1000 = 10%); "
            "internal gigs pay none."
        ),
    )
    workload_warning_hours: float = Field(
        45, gt=0, le=168, description="Default weekly hours past which a professional's dashboard warns."
    )
    public_url: str = Field(
        "http://127.0.0.1:8000",
        pattern=r"^https?://[^/\s?#]+(/[^\s?#]*[^/\s?#])?$",
        description=(
            "Address people reach this server at (no trailing slash). Credentials, status lists and "
            "verify pages are published under it; with https, issuers get a did:web DID served here. "
            "Unset, it is http://HOST:PORT of MICROCAREER_HOST and MICROCAREER_PORT (as `serve --host "
            "--port` sets them; 127.0.0.1 for a server on all addresses)."
        ),
    )

    outbound_allow_private_addresses: bool = Field(
        False,
        description=(
            "Let the credential verifier fetch did:web documents and status lists from loopback, "
            "private, link-local and other non-public addresses (tests, intranets); off, they are "
            "refused (no SSRF)."
        ),
    )
    outbound_ports: list[Annotated[int, Field(ge=1, le=65535)]] = Field(
        [443],
        min_length=1,
        description="Ports the verifier may fetch from over HTTPS, as a JSON list (e.g. [443, 8443]).",
    )
    verification_deadline_seconds: float = Field(
        8,
        gt=0,
        le=120,
        description="Total time all outbound fetches of one credential verification may take, in seconds.",
    )
    outbound_max_in_flight: int = Field(
        16,
        ge=1,
        le=1024,
        description=(
            "Outbound fetches (did:web, status lists) running at once in one server process; "
            "past it a verification fails that fetch at once instead of queueing."
        ),
    )
    verifications_per_address: int = Field(
        4,
        ge=1,
        le=1024,
        description=(
            "Credential verifications (the verify API and page, wallet imports) one client address (an "
            "IPv6 /64) may have running at once in one server process; all clients together may have "
            "MICROCAREER_OUTBOUND_MAX_IN_FLIGHT. More wait in a bounded queue (429 when the address's share "
            "of it is full), in no thread of the server's."
        ),
    )
    keep_alive_seconds: int = Field(
        75,
        ge=1,
        le=600,
        description="Seconds `serve` keeps an idle HTTP connection open for the client's next request. "
        "Longer than clients keep theirs (httpx 5 s, proxies usually 60 s): a server that closes an idle "
        "connection as the client sends on it leaves that request with no answer, as a loaded one often did.",
    )
    gc_freeze: bool = Field(
        True,
        description="A server process moves every object alive once it has started (the app, its caches) "
        "and again once matching's indexes are warmed into Python's permanent generation (gc.freeze), "
        "so full garbage collections no longer walk them: shorter pauses in the slowest requests. "
        "Objects made later are collected as usual; false leaves the collector as Python sets it.",
    )
    busy_wait_seconds: float = Field(
        5,
        gt=0,
        le=120,
        description=(
            "Longest a verification or an upload waits for a free slot before it is answered 503 busy "
            "with Retry-After. Each signed-in user may have half the document readers (at least one)."
        ),
    )

    document_max_bytes: int = Field(
        25 * 1024 * 1024,
        ge=1024,
        description="Largest document file (CV, posting, brief) read from an upload or a corpus, in bytes.",
    )
    document_max_chars: int = Field(
        2_000_000, ge=1000, description="Most characters of text one document may give (about 1,000 pages)."
    )
    document_max_unpacked_bytes: int = Field(
        32 * 1024 * 1024,
        ge=1024 * 1024,
        description=(
            "Most bytes a DOCX's document part may really inflate to (counted while inflating, whatever "
            "the zip declares)."
        ),
    )
    document_max_compression_ratio: float = Field(
        200,
        ge=10,
        description=(
            "Most bytes a DOCX part may inflate to per compressed byte, once past 1 MiB (a zip bomb)."
        ),
    )
    document_max_paragraphs: int = Field(
        100_000, ge=100, description="Most paragraphs (empty ones included) a DOCX may hold."
    )
    document_max_pages: int = Field(
        1000, ge=1, description="Most pages a PDF may have; counted before any text is extracted."
    )
    document_max_html_bytes: int = Field(
        5 * 1024 * 1024,
        ge=1024,
        description="Largest HTML document, in bytes: refused before parsing (a parsed page costs ~35x).",
    )
    document_seconds: float = Field(
        20,
        gt=0,
        le=600,
        description=(
            "Longest one document may take to read; a server's reader process past it is killed and replaced."
        ),
    )
    document_memory_mib: int = Field(
        1024,
        ge=0,
        description=(
            "Address space of each document reader process, in MiB (RLIMIT_AS; 0: no limit); a document "
            "that needs more is refused."
        ),
    )
    document_workers: int = Field(
        2,
        ge=1,
        le=64,
        description=(
            "Reader processes a server parses uploaded documents in (out of the request thread), started "
            "when first needed."
        ),
    )
    max_body_bytes: int = Field(
        8 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest request body, in bytes, refused (413) before it is read: by Content-Length at once, "
            "or as a chunked body streams in. File uploads have their own maximum."
        ),
    )
    max_upload_body_bytes: int = Field(
        26 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest multipart/form-data (file upload) request body, in bytes: the document limit and "
            "room for the form's other fields."
        ),
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies: {entry!r} is not an IP address or network") from None
        return value

    @model_validator(mode="after")
    def _forget_after_the_longest_lock(self) -> Settings:
        if self.sign_in_forget_after_seconds <= self.sign_in_lock_max_seconds:
            raise ValueError(
                "MICROCAREER_SIGN_IN_FORGET_AFTER_SECONDS must be longer than "
                "MICROCAREER_SIGN_IN_LOCK_MAX_SECONDS"
            )
        return self

    def sign_in_policy(self) -> ThrottlePolicy:
        """The sign-in throttle these settings describe (``domain/sign_in_throttle.py``)."""
        return ThrottlePolicy(
            account_free_failures=self.sign_in_account_failures,
            address_free_failures=self.sign_in_address_failures,
            lock_seconds=self.sign_in_lock_seconds,
            lock_max_seconds=self.sign_in_lock_max_seconds,
            forget_after_seconds=self.sign_in_forget_after_seconds,
            sign_ups_per_address=self.sign_ups_per_address,
        )

    @model_validator(mode="after")
    def _public_url_from_the_address(self) -> Settings:
        """No MICROCAREER_PUBLIC_URL: the address ``serve`` listens on, so a server on another port
        publishes credentials, status lists and verify links that reach it."""
        if "public_url" not in self.model_fields_set:
            self.public_url = local_url(self.host, self.port)
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        if self.environment == "production":
            secret = self.secret_key.get_secret_value()
            if secret == DEVELOPMENT_SECRET or len(secret) < 32:
                raise ValueError(
                    "MICROCAREER_SECRET_KEY must be set to a random value of at least 32 characters "
                    "in production"
                )
            self.cookie_secure = True
        return self

    def sqlite_path(self) -> Path | None:
        """The database file when the store is SQLite on disk, else None."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None


def local_url(host: str, port: int) -> str:
    """``http://HOST:PORT`` for a listening address; all addresses (0.0.0.0, ::) read as this machine."""
    name = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104 - read, not bound
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"  # an IPv6 address in a URL
    return f"http://{name}:{port}"
