"""Features for deciding whether the retrieved passages answer a question, and a small
logistic model over them, evaluated by cross-validation in bench/abstention.py. Research kept
beside its benchmark, not in the answer path: on ClapNQ's held-out folds it does not beat the
engine's lead-sentence evidence alone (README "Abstention trade-off")."""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel, Field

from rag.retrieve import Lexicon
from rag.text import sentence_spans, terms
from rag.types import Passage

FEATURES = (
    "lead_support",
    "sentence_coverage",
    "passage_coverage",
    "retrieved_coverage",
    "missing_rarest",
    "missing_numbers",
    "similarity",
    "score_gap",
    "answer_type_missing",
    "new_words",
)
_FRAMING = frozenset(
    terms(
        "article articles describe described mention mentioned document documents passage "
        "text say says said state stated tell explain list"
    )
)
_NUMBER_QUESTION = re.compile(
    r"\b(how (many|much|old|long|far|tall|big|high|large)|what (percentage|share|proportion"
    r"|number|amount|age|size))\b",
    re.IGNORECASE,
)
_TIME_QUESTION = re.compile(
    r"^\s*(when\b|what (year|date|month|day|time|century)\b)|\b(what|which) (year|date|"
    r"century|decade)\b",
    re.IGNORECASE,
)
_PERSON_QUESTION = re.compile(r"^\s*(who|whom|whose)\b", re.IGNORECASE)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|hundred|thousand|million|billion|dozen|several|half)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b\d{3,4}s?\b|\b(january|february|march|april|may|june|july|august|september|october"
    r"|november|december|century|decade|year|years|ago|today|yesterday)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z.]+)*")
_SENTENCES_EMBEDDED = 3  # best-covering sentences compared with the question by embedding
_CACHE_SIZE = 4096


class Features(BaseModel):
    """What the model sees of one question and its retrieved passages, each 0-1."""

    lead_support: float = Field(
        description="The extractive engine's evidence for its lead sentence (Draft.support)."
    )
    sentence_coverage: float = Field(
        description="idf-weighted share of the question's terms in the best single sentence "
        "(with its passage title)."
    )
    passage_coverage: float = Field(description="The same share for the best whole passage.")
    retrieved_coverage: float = Field(description="The same share over all passages together.")
    missing_rarest: float = Field(
        description="idf of the rarest question term found in no passage, over the question's "
        "highest idf (0 when every term is found)."
    )
    missing_numbers: float = Field(
        description="Share of the numbers in the question found in no passage."
    )
    similarity: float = Field(
        description="Best cosine similarity of the question to one of its best-covering sentences."
    )
    score_gap: float = Field(
        description="How far the top passage's retrieval score stands above the next one's, "
        "relative to it."
    )
    answer_type_missing: float = Field(
        description="1 when the question asks who/when/how many and no best-covering sentence "
        "holds a name/time/number."
    )
    new_words: float = Field(
        description="Share of the best sentence's terms the question does not contain (an "
        "answer says more than the question)."
    )

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in FEATURES])


class FeatureReader:
    """Reads the FEATURES of a question and its retrieved passages."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], passages: int) -> None:
        """`embed` gives unit vectors; `passages` is how many top passages are read."""
        self.embed = embed
        self.passages = passages
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def features(
        self,
        question: str,
        question_vector: np.ndarray,
        passages: Sequence[Passage],
        lexicon: Lexicon,
        lead_support: float,
    ) -> Features | None:
        """The features of FEATURES, or None when there is nothing to compare (no content
        words in the question or no passages)."""
        wanted = [t for t in dict.fromkeys(terms(question)) if t not in _FRAMING]
        read = list(passages[: self.passages])
        if not wanted or not read:
            return None
        weights = {term: lexicon.idf(term) for term in wanted}
        total = sum(weights.values()) or 1.0

        def coverage(words: frozenset[str]) -> float:
            return sum(weight for term, weight in weights.items() if term in words) / total

        sentences: list[tuple[float, str, frozenset[str]]] = []
        passage_best = 0.0
        union: set[str] = set()
        for passage in read:
            title = frozenset(terms(passage.title))
            words = frozenset(terms(passage.text)) | title
            union |= words
            passage_best = max(passage_best, coverage(words))
            for start, end in sentence_spans(passage.text):
                text = passage.text[start:end]
                own = frozenset(terms(text))
                sentences.append((coverage(own | title), text, own))
        if not sentences:
            return None
        sentences.sort(key=lambda item: -item[0])
        best = sentences[:_SENTENCES_EMBEDDED]
        absent = [weights[t] for t in wanted if t not in union]
        numbers = _DIGITS.findall(question)
        retrieved_text = " ".join(p.text for p in read)
        asked = frozenset(wanted)
        top_own = best[0][2]
        return Features(
            lead_support=lead_support,
            sentence_coverage=best[0][0],
            passage_coverage=passage_best,
            retrieved_coverage=coverage(frozenset(union)),
            missing_rarest=max(absent, default=0.0) / max(weights.values()),
            missing_numbers=(
                sum(n not in retrieved_text for n in numbers) / len(numbers) if numbers else 0.0
            ),
            similarity=max(self._similarities(question_vector, [text for _, text, _ in best])),
            score_gap=_gap(read),
            answer_type_missing=float(_answer_type_missing(question, [t for _, t, _ in best])),
            new_words=len(top_own - asked) / len(top_own) if top_own else 0.0,
        )

    def _similarities(self, question_vector: np.ndarray, texts: list[str]) -> list[float]:
        """Cosine of the question to each text; sentence vectors are cached (LRU)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embed(missing), strict=True):
                self._vectors[text] = vector
                if len(self._vectors) > _CACHE_SIZE:
                    self._vectors.popitem(last=False)
        for text in texts:
            self._vectors.move_to_end(text)
        return [float(self._vectors[t] @ question_vector) for t in texts]


class Logistic(BaseModel):
    """L2-regularised logistic regression on standardised features."""

    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> Logistic:
        """Newton steps on rows `x` (features) and labels `y` (1 = answerable); the bias
        is not penalised."""
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale == 0] = 1.0
        z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
        w = np.zeros(z.shape[1])
        penalty = np.full(z.shape[1], l2)
        penalty[0] = 0.0
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-(z @ w)))
            gradient = z.T @ (p - y) + penalty * w
            hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
            step = np.linalg.solve(hessian, gradient)
            w -= step
            if np.abs(step).max() < 1e-9:
                break
        return cls(mean=mean.tolist(), scale=scale.tolist(), weights=w[1:].tolist(), bias=w[0])

    def probability(self, features: np.ndarray) -> float:
        """P(answerable) for one row of raw feature values."""
        standard = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        z = self.bias + float(np.dot(self.weights, standard))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def _gap(passages: list[Passage]) -> float:
    top = passages[0].score
    if len(passages) < 2 or top <= 0:
        return 0.0
    return max(min((top - passages[1].score) / top, 1.0), 0.0)


def _answer_type_missing(question: str, sentences: list[str]) -> bool:
    """A who/when/how-many question whose best sentences hold no name/time/number."""
    if _NUMBER_QUESTION.search(question):
        pattern = _NUMBER
    elif _TIME_QUESTION.search(question):
        pattern = _TIME
    elif _PERSON_QUESTION.search(question):
        pattern = _NAME
    else:
        return False
    return not any(pattern.search(sentence) for sentence in sentences)
