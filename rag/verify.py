"""Checks every answer sentence against the text it cites, so a claim the sources do not back
is marked (or removed) instead of being shown as if it were cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag.text import terms
from rag.types import SentenceCheck

_MARKERS = re.compile(r"\s*(?:\[\d+\])+")
_MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(
    r"\S.*?(?:[.!?…][\"'”’)]*(?:\s*\[\d+\])*|(?:\[\d+\])+)(?=\s+[\"'“‘(]?[A-Z0-9]|\s*$)|\S.*$",
    re.DOTALL,
)
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’-]*[a-z][a-zA-Z'’-]*\b")
LEXICAL_SUPPORT = 0.6  # share of a claim's content words found in its cited text
PARTIAL_LEXICAL = 0.3  # below LEXICAL_SUPPORT, still supported when similarity is high
SIMILARITY_SUPPORT = 0.55


@dataclass(frozen=True)
class Verified:
    """The answer text to show and how each of its sentences fared."""

    text: str
    sentences: list[SentenceCheck]
    removed: bool = False

    @property
    def support(self) -> float:
        if not self.sentences:
            return 0.0
        return round(sum(s.supported for s in self.sentences) / len(self.sentences), 4)


def verify(
    answer: str,
    cited_text: dict[int, str],
    embed: Callable[[list[str]], np.ndarray],
    remove_unsupported: bool = False,
) -> Verified:
    """Split `answer` into claims (sentences up to and including their [n] markers), drop
    markers that name no citation, and check each claim against the text its markers cite:
    its content words, its embedding similarity, and every number and name it states."""
    checks: list[SentenceCheck] = []
    for claim in _claims(answer):
        numbers = [int(n) for n in _MARKER.findall(claim)]
        valid = [n for n in dict.fromkeys(numbers) if n in cited_text]
        plain = _MARKERS.sub("", claim).strip()
        text = plain + "".join(f" [{n}]" for n in valid) if valid else plain
        source = "\n".join(cited_text[n] for n in valid)
        check = _check(text, plain, valid, source, embed)
        check.invalid_citations = [n for n in dict.fromkeys(numbers) if n not in cited_text]
        checks.append(check)
    kept = [c for c in checks if c.supported or not remove_unsupported]
    return Verified(" ".join(c.text for c in kept), checks, remove_unsupported)


def _claims(answer: str) -> list[str]:
    """Sentences, each with the markers written right after it; unmarked sentences followed
    by a marked one form one claim with it (one citation for a whole block)."""
    claims: list[str] = []
    pending: list[str] = []
    for match in _SENTENCE.finditer(answer.strip()):
        pending.append(match.group(0).strip())
        if _MARKER.search(pending[-1]):
            claims.append(" ".join(pending))
            pending = []
    return claims + pending


def _check(
    text: str,
    plain: str,
    cited: list[int],
    source: str,
    embed: Callable[[list[str]], np.ndarray],
) -> SentenceCheck:
    if not cited:
        return SentenceCheck(text=text, citations=[], supported=False, lexical=0.0, similarity=0.0)
    words = set(terms(plain))
    lexical = len(words & set(terms(source))) / len(words) if words else 1.0
    haystack = source.lower()
    missing = [
        token
        for token in dict.fromkeys(_NUMBER.findall(plain) + _NAME.findall(plain))
        if token.lower() not in haystack
    ]
    similarity = 1.0
    if lexical < LEXICAL_SUPPORT:
        claim_vector, source_vector = embed([plain, source])
        similarity = float(claim_vector @ source_vector)
    supported = not missing and (
        lexical >= LEXICAL_SUPPORT
        or (lexical >= PARTIAL_LEXICAL and similarity >= SIMILARITY_SUPPORT)
    )
    return SentenceCheck(
        text=text,
        citations=cited,
        supported=supported,
        lexical=round(lexical, 4),
        similarity=round(similarity, 4),
        missing=missing,
    )
