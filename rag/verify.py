"""Checks every answer sentence against the text it cites, so a claim the sources do not back
is marked (or removed) instead of being shown as if it were cited."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag.text import clean_for_display, ends_in_abbreviation, terms
from rag.types import SentenceCheck

_MARKERS = re.compile(r"\s*(?:\[\d+\])+")
_MARKER = re.compile(r"\[(\d+)\]")
_TOKEN = re.compile(r"[^\W_]+")
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
    """Judge every answer sentence on its own. A citation applies to the sentence it sits in:
    markers naming no citation are dropped, and a sentence with markers is checked against the
    text they cite (its content words, its embedding similarity, every number and name it
    states). A sentence without a marker of its own is supported only as a quote: when its
    words, in order, are a run of words of a passage cited by the next marker in the answer.
    That keeps the extractive engine's blocks ("S1 S2 S3 [1]", source sentences shown with one
    marker after the last) supported sentence by sentence, while an uncited filler, a
    paraphrase or a sentence from another source stays unsupported, whatever follows it."""
    checks: list[SentenceCheck] = []
    shown: list[SentenceCheck] = []

    @functools.cache
    def runs(n: int) -> tuple[str, ...]:  # once per cited passage, not once per sentence
        return tuple(_run(form) for form in _forms(cited_text[n]))

    for unmarked, marked in _blocks(answer):
        claim = _claim(marked, cited_text, embed) if marked else None
        cited = claim.citations if claim else []
        block = [_quote(sentence, cited, runs) for sentence in unmarked]
        block += [claim] if claim else []
        checks += block
        shown += _shown(block, claim, remove_unsupported)
    return Verified(" ".join(c.text for c in shown), checks, remove_unsupported)


def _blocks(answer: str) -> list[tuple[list[str], str | None]]:
    """The answer's sentences, each run of unmarked ones with the marked sentence ending it
    (None after the last marker)."""
    blocks: list[tuple[list[str], str | None]] = []
    pending: list[str] = []
    sentences: list[str] = []
    for match in _SENTENCE.finditer(answer.strip()):
        sentence = match.group(0).strip()
        if sentences and ends_in_abbreviation(sentences[-1]):  # "former U.S. President"
            sentences[-1] += f" {sentence}"
        else:
            sentences.append(sentence)
    for sentence in sentences:
        if _MARKER.search(sentence):
            blocks.append((pending, sentence))
            pending = []
        else:
            pending.append(sentence)
    return [*blocks, (pending, None)] if pending else blocks


def _claim(
    sentence: str, cited_text: dict[int, str], embed: Callable[[list[str]], np.ndarray]
) -> SentenceCheck:
    """A sentence with markers, checked against the text its valid markers cite."""
    numbers = list(dict.fromkeys(int(n) for n in _MARKER.findall(sentence)))
    valid = [n for n in numbers if n in cited_text]
    plain = _MARKERS.sub("", sentence).strip()
    text = plain + "".join(f" [{n}]" for n in valid) if valid else plain
    source = "\n".join(cited_text[n] for n in valid)
    check = _check(text, plain, valid, source, embed)
    check.invalid_citations = [n for n in numbers if n not in cited_text]
    return check


def _quote(
    sentence: str, cited: list[int], runs: Callable[[int], tuple[str, ...]]
) -> SentenceCheck:
    """An unmarked sentence: supported by each passage of `cited` (the next marker's) that
    holds it word for word, as stored or as the extractive engine shows it (links as their
    text, no reference numbers or markup; `runs` gives both forms' words); by nothing else."""
    words = _run(sentence)
    quoted = [n for n in cited if words.strip() and any(words in run for run in runs(n))]
    score = 1.0 if quoted else 0.0
    return SentenceCheck(
        text=sentence, citations=quoted, supported=bool(quoted), lexical=score, similarity=score
    )


def _run(text: str) -> str:
    """The text's words, lower case, space-separated and space-padded (whole-word matching)."""
    return f" {' '.join(_TOKEN.findall(text.casefold()))} "


def _forms(passage: str) -> tuple[str, str]:
    """A passage as stored and as shown in an answer."""
    return passage, clean_for_display(passage)


def _shown(
    block: list[SentenceCheck], claim: SentenceCheck | None, remove: bool
) -> list[SentenceCheck]:
    """The block's sentences to show; when removing drops the marked sentence, the last quote
    kept takes the markers of the passages the kept quotes come from."""
    if not remove:
        return block
    kept = [c for c in block if c.supported]
    if kept and claim is not None and not claim.supported:
        cited = dict.fromkeys(n for c in kept for n in c.citations)
        kept[-1].text += "".join(f" [{n}]" for n in cited)
    return kept


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
