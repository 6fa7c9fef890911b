"""The part of a sentence that answers a question, scored by a small logistic model over
plain features (length, words the question already says, where the span sits), because a
whole sentence or the words after its verb are mostly too long or start in the wrong place;
the likeliest that is one piece of the sentence's parse is said."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rag import nlp
from rag.questions import Kind
from rag.text import terms

_TOKEN = re.compile(r"\S+")
_OPENS_AFTER = re.compile(r"[,;:)\]]$")
# Words a span may start after or before: a clause or phrase begins there.
_HINGES = frozenset(
    "which that who whom whose where when while because as by for from in of on to with and "
    "or but is are was were be been being has have had including include includes included "
    "such than via using through during after before since among between into within against "
    "than whereas although though if".split()
)
_JOINERS = frozenset("and or but nor".split())  # a span neither starts nor ends on one
_TRAILING = re.compile(r"(?:\s*\[\d+(?:\s*[,–-]\s*\d+)*\]?|[\s,;:.])+$")  # "[2, 3" and stops
_LINKS = frozenset("is are was were include includes included including as".split())
_LABEL = re.compile(r"^(?:[A-Z][A-Za-z ]{1,30}:\s+)+")  # "Abstract: BACKGROUND: "
_MAX_WORDS = 40
_JOINS = re.compile(r"[,;]|\b(?:and|or|but)\b")  # where a span may join two pieces
_COORDINATION = frozenset(("conj", "cc"))
_PHRASE_INSIDE = frozenset(("compound", "amod", "nummod", "poss", "pobj"))
# a span cut inside a phrase the sentence goes on with ("... hardware stacks to avoid" of
# "... to avoid being de-platformed"): says half of it
_DANGLING = re.compile(r"\b(?:[Tt]o(?:\s+[a-z]+)?|of|for|with|from|by|and|or|the|an?|their|its)$")
_GOES_ON = re.compile(r"\s+[\w\"“'‘]")
_SPANS_READ = 10  # likeliest spans looked at for one piece of the parse
_KINDS = (Kind.OTHER, Kind.DEFINITION, Kind.MANNER, Kind.REASON, Kind.YES_NO)
# Trained by bench/short_spans.py on the even rows of COVID-QA, HotpotQA and MuSiQue.
WEIGHTS = (
    *(-0.597, 0.244, -1.013, -0.265, 0.194, 0.108, 0.042, 0.053, 0.021, -0.018, 0.046, -0.072),
    *(-0.139, -0.006, 0.162, -0.087, -0.137, 1.14, 0.03, -0.063, -0.01, -0.013, 0.162),
    *(0.278, 0.056),
)


@dataclass(frozen=True)
class Span:
    """A candidate answer span: offsets within the sentence and its feature vector."""

    start: int
    end: int
    features: tuple[float, ...]


def _words(sentence: str) -> list[tuple[int, int, str]]:
    """The sentence's whitespace tokens with their offsets, past a leading section label."""
    skip = _LABEL.match(sentence)
    begin = skip.end() if skip else 0
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(sentence, begin)]


def _bare(token: str) -> str:
    return token.strip("()[],;:.\"'“”‘’").lower()


def _breaks(tokens: list[tuple[int, int, str]]) -> list[int]:
    """Token indices a span may start or end at: after punctuation, around clause words."""
    points = {0, len(tokens)}
    for i in range(1, len(tokens)):
        before, word = tokens[i - 1][2], tokens[i][2]
        if _OPENS_AFTER.search(before) or word.startswith(("(", "[")):
            points.add(i)
        if _bare(word) in _HINGES or _bare(before) in _HINGES:
            points.add(i)
    return sorted(points)


@dataclass(frozen=True)
class _Sentence:
    """What every span of one sentence is weighed against, worked out once per sentence."""

    tokens: list[tuple[int, int, str]]
    stems: list[set[str]]
    in_question: list[bool]
    asked: frozenset[str]
    asked_here: frozenset[str]  # the question's terms the sentence says
    novel: frozenset[str]  # the sentence's terms the question does not say
    hits: list[int]  # tokens saying a term of the question
    asked_at: dict[str, list[int]]  # tokens saying each of asked_here
    digits: list[int]  # tokens holding a digit before each token (n + 1 counts)


def candidates(sentence: str, kind: Kind, asked: frozenset[str]) -> Iterator[Span]:
    """Every span between two break points of the sentence, up to _MAX_WORDS words."""
    tokens = _words(sentence)
    if not tokens:
        return
    read = _read(tokens, asked)
    points = _breaks(tokens)
    for a, i in enumerate(points[:-1]):
        for j in points[a + 1 :]:
            if j - i > _MAX_WORDS:
                break
            if _bare(tokens[i][2]) in _JOINERS or _bare(tokens[j - 1][2]) in _JOINERS:
                continue
            if _bare(tokens[i][2]) == "of":  # "of its services to build ...": the noun it
                continue  # hangs from is cut off
            if not _balanced(sentence[tokens[i][0] : tokens[j - 1][1]]):
                continue  # half a parenthesis or quotation is no answer
            yield Span(tokens[i][0], tokens[j - 1][1], _features(read, i, j, kind))


def _read(tokens: list[tuple[int, int, str]], asked: frozenset[str]) -> _Sentence:
    stems = [set(terms(t[2])) for t in tokens]
    in_question = [bool(s & asked) for s in stems]
    sentence_terms = frozenset(t for s in stems for t in s)
    asked_here = asked & sentence_terms
    asked_at: dict[str, list[int]] = {term: [] for term in asked_here}
    for k, said in enumerate(stems):
        for term in said & asked_here:
            asked_at[term].append(k)
    digits = [0]
    for token in tokens:
        digits.append(digits[-1] + any(c.isdigit() for c in token[2]))
    return _Sentence(
        tokens,
        stems,
        in_question,
        asked,
        asked_here,
        sentence_terms - asked,
        [k for k, hit in enumerate(in_question) if hit],
        asked_at,
        digits,
    )


def _balanced(text: str) -> bool:
    """Brackets and double quotes in the text are closed where they open."""
    depth = 0
    for char in text:
        depth += (char in "([") - (char in ")]")
        if depth < 0:
            return False
    return depth == 0 and (text.count('"') + text.count("“") + text.count("”")) % 2 == 0


def _features(read: _Sentence, i: int, j: int, kind: Kind) -> tuple[float, ...]:
    """What the model weighs about the span tokens[i:j]."""
    tokens, asked, asked_here = read.tokens, read.asked, read.asked_here
    n = len(tokens)
    inside = {t for s in read.stems[i:j] for t in s}
    said = len(inside & asked) / len(inside) if inside else 1.0
    covered = len(inside & asked_here) / len(asked_here) if asked_here else 0.0
    outside = sum(1 for at in read.asked_at.values() if any(k < i or k >= j for k in at))
    left = outside / len(asked_here) if asked_here else 0.0
    hits = [k for k in read.hits if not i <= k < j]
    new_here = len(inside - asked) / len(read.novel) if read.novel else 0.0
    gap = min((min(abs(k - i), abs(k - (j - 1))) for k in hits), default=n)
    first, last = _bare(tokens[i][2]), _bare(tokens[j - 1][2])
    length = math.log1p(j - i)
    by_kind = [length if kind is k else 0.0 for k in _KINDS]
    return (
        1.0,
        length,
        (j - i) / n,
        said,
        covered,
        left,
        float(i == 0),
        float(j == n),
        float(first in _HINGES),
        float(last in _HINGES),
        float(i > 0 and _bare(tokens[i - 1][2]) in _LINKS),
        float(i > 0 and read.in_question[i - 1]),
        float(j < n and read.in_question[j]),
        float(read.digits[j] > read.digits[i]),
        float(not inside),
        math.log1p(gap),
        float(tokens[i][2].startswith("(")),
        new_here,
        float(bool(hits) and all(k < i for k in hits)),
        float(bool(hits) and all(k >= j for k in hits)),
        *by_kind,
    )


def score(features: tuple[float, ...], weights: tuple[float, ...]) -> float:
    """The model's probability that the span is the answer."""
    z = sum(f * w for f, w in zip(features, weights, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def ranked_spans(sentence: str, kind: Kind, asked: frozenset[str]) -> Iterator[tuple[int, int]]:
    """The sentence's candidate answer spans (offsets within it), likeliest first, without
    those that only repeat the question or trailing citation marks and stops (read as they
    are taken: a reader looks at the first few)."""
    scored = [
        (score(span.features, WEIGHTS), span.start, span.end)
        for span in candidates(sentence, kind, asked)
    ]
    scored.sort(key=lambda found: -found[0])
    for _, start, end in scored:
        if set(terms(sentence[start:end])) - asked:
            yield _untailed(sentence, start, end)


def _untailed(sentence: str, start: int, end: int) -> tuple[int, int]:
    tail = _TRAILING.search(sentence, start, end)
    return start, tail.start() if tail and tail.start() > start else end


def answer_span(sentence: str, kind: Kind, asked: frozenset[str]) -> tuple[int, int] | None:
    """The span of the sentence the span model finds likeliest to answer (rag/spans.py;
    COVID-QA's reference answers are mostly a clause or a phrase of that sentence) among
    those that are one piece of its parse, else its likeliest not starting inside a phrase: a
    span joining pieces of two clauses ("During the meeting and said that ...") says neither.
    Only a span with a comma or a conjunction is parsed (~6 ms a sentence; 45 % of COVID-QA's
    questions)."""
    likeliest = None
    doc = None
    for span in itertools.islice(ranked_spans(sentence, kind, asked), _SPANS_READ):
        if _DANGLING.search(sentence, span[0], span[1]) and _GOES_ON.match(sentence, span[1]):
            continue
        if not _JOINS.search(sentence[span[0] : span[1]]):
            return span
        if doc is None:
            doc = nlp.dependencies(sentence)
        if one_piece(doc, *span):
            return span
        if likeliest is None and not _cut_from(doc, span[0]):
            likeliest = span
    return likeliest


def _cut_from(doc: Any, start: int) -> bool:
    """The span's first word hangs on a word before it: it starts inside a phrase ("Google
    signed ..." of "workers from OpenAI and Google signed ...": not Google alone)."""
    first = next((t for t in doc if t.idx >= start and not t.is_punct), None)
    if first is None or first.head.idx >= start:
        return False
    noun_joined = first.dep_ == "conj" and first.pos_ in ("NOUN", "PROPN")  # not a verb's
    return noun_joined or first.dep_ in _PHRASE_INSIDE


def one_piece(doc: Any, start: int, end: int) -> bool:
    """Whether the words of doc.text[start:end] hang together in the parse: all but one of
    them (punctuation aside) have their head inside the span, or the others are conjuncts of
    the same tag as that one (a list the parser hung elsewhere: "throttled, suspended, or
    terminated"), or the coordinating words between them."""
    words = [t for t in doc if start <= t.idx and t.idx + len(t) <= end and not t.is_punct]
    outside = [t for t in words if t.head.i == t.i or not start <= t.head.idx < end]
    heads = [t for t in outside if t.dep_ not in _COORDINATION]
    if len(heads) != 1:
        return False
    return all(t.dep_ == "cc" or t.tag_ == heads[0].tag_ for t in outside if t is not heads[0])
