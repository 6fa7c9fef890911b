"""The sentence that likens, for a question asking what comparison or analogy someone made
("what comparison did the campaign use to make its point?") or how two differ ("how does
Claude Gov differ from the regular models?"): pages make one without
naming it ("AI should be a tool for everyone, like a telephone or a typewriter", "You don't
see AT&T cutting off a candidate's phone lines"), so the best-scoring sentence, which says
the question's words, only restates the topic."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.outline import Candidate
from rag.said_first import first_within
from rag.text import terms
from rag.weights import DIFFERENCE_ASKED

# "what did they compare it to?", "... compare ai to when complaining about ...?"
_COMPARED_WITH = (
    r"\b(?:compar|liken)\w*\b(?:.*\b(?:to|with)\s*\??\s*$|\s+(?:[\w'’-]+\s+){0,3}?(?:to|with)"
    r"\s+(?:when|while|after|before|during|in\s+(?:their|its|his|her))\b)"
)
_ASKS_LIKENESS = re.compile(
    rf"\b(?:comparisons?|analog(?:y|ies)|parallels?|metaphors?)\b|{_COMPARED_WITH}", re.I
)
_LIKENS = re.compile(
    r"\blike\s+(?:an?|the)\s+\w+|\bas\s+if\b|\bjust\s+as\b|\bno\s+different\s+(?:from|than)\b"
    r"|\bthe\s+same\s+as\b|\bakin\s+to\b|\bcompared?\s+(?:to|with)\b|\byou\s+don['’]t\s+see\b",
    re.IGNORECASE,
)
# How one thing differs from another: "fewer restrictions than its regular ones"
_CONTRASTS = re.compile(
    r"\b(?:than|unlike|whereas|in\s+contrast|instead\s+of|compared\s+(?:to|with))\b", re.I
)
# "what comparison did they make?": the verb only makes the comparison, no topic
_WHICH_LIKENESS = re.compile(
    r"\b(?:what|which)(?:['’]?s|\s+(?:is|was))?\s+(?:\w+\s+){0,3}?(?:comparisons?|analog(?:y|ies)"
    r"|parallels?|metaphors?)\b",
    re.IGNORECASE,
)
_MADE = frozenset(
    terms(
        "make makes made making draw draws drew drawn use uses used offer offered comparison "
        "comparisons analogy analogies metaphor metaphors"  # pages make one, not name it
    )
)
_COMPARED_TO = re.compile(_COMPARED_WITH, re.IGNORECASE)
_COMPARED = frozenset(terms("compare compares compared comparing liken likens likened"))
_REACH = 0.5  # share of the best score a likening (or contrasting) sentence needs to lead


def likeness_words(question: str) -> frozenset[str]:
    """The verb a comparison is made with ("make", "draw"), when the question asks which
    one was made (not "on the conductatlas comparison, ok to make campaign imagery?")."""
    if _WHICH_LIKENESS.search(question):
        return _MADE
    return _COMPARED if _COMPARED_TO.search(question) else frozenset()  # "what did they
    # compare it to?": no topic, not the "compared to only 26" of another page


def likening_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """For a question asking what comparison was made (how two things differ), when the
    best sentence likens (contrasts) nothing, the best one scoring at least _REACH of it that
    does; else None."""
    if not ranked:
        return None
    if DIFFERENCE_ASKED.search(question):
        cue = _CONTRASTS
    elif _ASKS_LIKENESS.search(question):
        cue = _LIKENS
    else:
        return None

    def says(candidate: Candidate, index: int | None = None) -> bool:
        at = candidate.index if index is None else index
        return cue.search(candidate.outline.unit_text(at)) is not None

    def says_next(candidate: Candidate) -> bool:  # "The campaign's teams have hinted ... They
        units = candidate.outline.units  # argue ..., like a telephone": its block likens
        after = candidate.index + 1
        return says(candidate) or (
            after < len(units)
            and units[after].paragraph == units[candidate.index].paragraph
            and says(candidate, after)
        )

    if says(ranked[0]):
        return None
    if (likens := first_within(ranked, _REACH, says)) is not None:
        return likens
    before = first_within(ranked, _REACH, says_next)
    if before is None:
        return None
    after = before.outline.units[before.index + 1]  # the likening sentence leads, in its
    held = before.passage.end_char >= after.end  # passage (else the one before it does)
    return replace(before, index=before.index + 1) if held else before
