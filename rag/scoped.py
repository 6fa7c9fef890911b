"""Questions that say which page they ask about ("who started anthropic according to the
article on the campaign block", "in the reversal story, what ..."): the page's words pick the
document by its title and are not scored against its sentences, where they made its
headline lead ("Why Anthropic Blocked the Trump Campaign ..." for who started Anthropic)."""

from __future__ import annotations

import re

from rag.outline import Candidate
from rag.page_facts import described
from rag.text import terms

_PAGE_NOUN = (
    r"(?:article|story|piece|page|report|post|write-?up|coverage|tracker|analysis|blog|"
    r"explainer|column|op-ed|feature|item)s?"
)
# "the [trump reversal] story [on the campaign block]": up to four words naming it before
# the noun, and what it is about after it, up to a comma or the question's own words
_PAGE = re.compile(
    rf"\b(?:the|this|that)\s+((?:(?!(?:the|a|an|of|on|in|to|for|about)\s)[\w'’.&-]+\s+){{0,4}}?)"
    rf"{_PAGE_NOUN}\b"
    r"(?:\s+(?:on|about|covering|regarding|describing)\s+([^,?;:!]+))?",
    re.IGNORECASE,
)
_KEPT = 0.5  # share of the asked words' weight that the named page must hold of all pages
_ENDS_ABOUT = frozenset(
    "who whom what when where why how which whose is are was were do does did has have had "
    "can could will would should".split()
)


def page_words(question: str) -> frozenset[str]:
    """The terms of the words saying which page the question is about ("campaign", "block"
    of "according to the article on the campaign block"); empty when it names no page."""
    match = _PAGE.search(question)
    if match is None:
        return frozenset()
    about = []
    for word in (match[2] or "").split():
        if word.lower() in _ENDS_ABOUT:
            break  # "in the article about the ban who signed ...": the question goes on
        about.append(word)
    return frozenset(terms(f"{match[1]} {' '.join(about)}"))


def without_page(question: str) -> str:
    """The question without the words naming the page: what is asked of its sentences."""
    return _PAGE.sub(" ", question, count=1)


def scoped(
    question: str, candidates: list[Candidate], weights: dict[str, float]
) -> tuple[list[Candidate], dict[str, float]]:
    """The candidates of the page the question names (by its title, as `described` reads
    it) and the weights without the words that only name the page; both unchanged when the
    question names no page or the titled page lacks what is asked; when no title holds the
    page's words, all candidates without those words' weights."""
    named = page_words(question)
    if not named:
        return candidates, weights
    rest = set(terms(without_page(question)))
    page_only = {t for t in named if t not in rest}
    page = {t: w for t, w in weights.items() if t in named}
    kept, share = described(candidates, page)
    remaining = {t: w for t, w in weights.items() if t not in page_only}
    titled = any(named & set(terms(c.passage.title)) for c in candidates)
    if share <= 0 and not titled:  # its author or outlet ("the Maya Price article"), whose
        return candidates, remaining or weights  # byline would lead
    if share <= 0 or _held(kept, remaining) < _KEPT * _held(candidates, remaining):
        return candidates, weights  # that title's page lacks what is asked: a wrong page
    return kept, remaining


def _held(candidates: list[Candidate], weights: dict[str, float]) -> float:
    """The weight of the terms some candidate's sentence holds."""
    words = frozenset().union(*(c.unit.words for c in candidates))
    return sum(w for t, w in weights.items() if t in words)
