"""Questions asking what sort of thing was done ("what sort of work was team trump hoping to
hand off to claude?"): examples answer them ("personalized fundraising emails, SMS targeting,
and perhaps even drafting policy responses"), not a sentence saying some work was wanted."""

from __future__ import annotations

import re

from rag.outline import Outline
from rag.said import said_as, sentence_span
from rag.types import ShortAnswer

EXAMPLES_ASKED = re.compile(
    r"\bwhat\s+(?:sorts?|kinds?|types?)\s+of\s+(?:work|tasks?|jobs?|things|stuff|uses?|content"
    r"|activities|projects|purposes|outreach)\b",
    re.IGNORECASE,
)
_PHRASE = r"[\w'’-]+(?: [\w'’-]+){0,4}"
SERIES = re.compile(rf"\b{_PHRASE}, {_PHRASE}, (?:and|or) (?:perhaps |even |maybe )*\w+")
# the words that introduce the examples: "We're talking about ...", "such as ..."
_INTRODUCED = re.compile(
    r".*?\b(?:talking about|such as|including|like|namely|for example|for instance)\s+",
    re.IGNORECASE,
)


def examples(outline: Outline, indices: list[int]) -> ShortAnswer | None:
    """The first of these sentences running examples in a series, from its first example
    (past "We're talking about", "such as") to its end; None when none does."""
    for index in indices:
        if SERIES.search(outline.unit_text(index)) is None:
            continue
        start, end = sentence_span(outline, index)
        introduced = _INTRODUCED.match(outline.text, start, end)
        if introduced is not None and introduced.end() < end:
            start = introduced.end()
        return said_as(outline, start, end)
    return None
