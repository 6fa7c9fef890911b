"""Questions that say which page they ask about ("who started anthropic according to the
article on the campaign block", "in the reversal story, what ..."): the page's words pick the
document by its title and are not scored against its sentences, where they made its
headline lead ("Why Anthropic Blocked the Trump Campaign ..." for who started Anthropic)."""

from __future__ import annotations

import re

from rag.names import lower_case_names, written_as_names
from rag.outline import Candidate
from rag.text import terms

PAGE_NOUN = (
    r"(?:article|story|piece|page|report|post|write-?up|coverage|tracker|analysis|blog|"
    r"explainer|column|op-ed|feature|item)s?"
)
# "the [trump reversal] story [on the campaign block]": up to four words naming it before
# the noun, and what it is about after it, up to a comma or the question's own words
_PAGE = re.compile(
    rf"\b(?:the|this|that)\s+((?:(?!(?:the|a|an|of|on|in|to|for|about)\s)[\w'’.&/-]+\s+){{0,4}}?)"
    rf"{PAGE_NOUN}(?:\s+{PAGE_NOUN})?\b"  # "the governance tracker page": one noun
    r"(?:\s+(?:on|about|covering|regarding|describing)\s+([^,?;:!]+))?",
    re.IGNORECASE,
)
_THAT_PAGE = re.compile(rf"\b(?:that|this|the)\s+(?:one|{PAGE_NOUN})\b|\bit\b", re.IGNORECASE)
_TITLED = 0.5  # share of the question's topic (by weight) a title must hold to name the page
_KEPT = 0.5  # share of the asked words' weight that the named page must hold of all pages
_ENDS_ABOUT = frozenset(
    "who whom what when where why how which whose is are was were do does did has have had "
    "can could will would should "
    "describe describes say says mention mentions explain explains define defines "
    "characterize characterizes characterise characterises claim claims suggest suggests"
    "".split()  # "does the article on X describe Y?": the question goes on
)


def page_words(question: str) -> frozenset[str]:
    """The terms of the words saying which page the question is about ("campaign", "block"
    of "according to the article on the campaign block"); empty when it names no page."""
    return _page_terms(_named_page(question))


def _page_terms(match: re.Match[str] | None) -> frozenset[str]:
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
    return _without(question, _named_page(question))


def of_page_named(question: str, context: str) -> str:
    """`question` ("who wrote that piece?") asked of the page `context` names ("does the
    anthropic vs trump campaign article have ...?"): the earlier turn found nothing, so no
    page it answered from tells which; as it is when `context` names none."""
    page = _named_page(context)
    if page is None:
        return question
    named = page[0][: page.start(2) - page.start()].rstrip() if page[2] else page[0]
    for word in (page[2] or "").split():  # "the article about the deal say?": up to "say"
        if word.lower() in _ENDS_ABOUT:
            break
        named = f"{named} {word}"
    return _THAT_PAGE.sub(lambda _: named.strip(), question, count=1)


def _without(question: str, match: re.Match[str] | None) -> str:
    return question if match is None else f"{question[: match.start()]} {question[match.end() :]}"


def _named_page(question: str) -> re.Match[str] | None:
    """The last page the question names: the one it asks of ("The WIRED piece framed ...
    How does the article on the talks describe it?": the article on the talks)."""
    *_, last = (None, *_PAGE.finditer(question))
    return last


def scoped(
    question: str, candidates: list[Candidate], weights: dict[str, float]
) -> tuple[list[Candidate], dict[str, float]]:
    """The candidates of the page the question names (by its title, as `described` reads
    it) and the weights without the words that only name the page; both unchanged when the
    question names no page or the titled page lacks what is asked; when no title holds the
    page's words, all candidates without those words' weights."""
    match = _named_page(question)  # found once: every question is asked this
    named = _page_terms(match)
    if match is None or not named:
        return candidates, weights
    rest = set(terms(_without(question, match)))
    naming = match[0][: match.start(2) - match.start()] if match[2] else match[0]  # not "the
    nouns = terms(" ".join(re.findall(rf"\b{PAGE_NOUN}\b", naming, re.IGNORECASE)))  # report"
    # of "... about the deal who wrote the report?"
    page_only = {t for t in (*named, *nouns) if t not in rest}  # and its noun: "tracker"
    page = {t: w for t, w in weights.items() if t in named}
    kept, share = described(candidates, page, _names(match, candidates), match[0])
    remaining = {t: w for t, w in weights.items() if t not in page_only}
    titles = {c.passage.title for c in candidates}
    titled = any(named & _title_terms(title, match[0]) for title in titles)
    if share <= 0 and not titled:  # its author or outlet ("the Maya Price article"), whose
        return candidates, remaining or weights  # byline would lead
    if share <= 0 or not _held(kept, remaining):
        return candidates, weights  # that title's page lacks what is asked: a wrong page
    asks_own = bool(rest & remaining.keys())  # "does the trump campaign article describe it
    # the same way?": all it asks is the earlier turn's, of the page it names
    if asks_own and _held(kept, remaining) < _KEPT * _held(candidates, remaining):
        return candidates, weights
    return kept, remaining


def described_by(
    question: str, ranked: list[Candidate], weights: dict[str, float]
) -> tuple[list[Candidate], float]:
    """`described`, with the names of the page the question names: "what outlet does the
    jason write-up on trump's u-turn cite?" asks of the page whose byline is Jason."""
    return described(ranked, weights, _names(_named_page(question), ranked), question)


def _names(match: re.Match[str] | None, candidates: list[Candidate]) -> frozenset[str]:
    """The terms of the names the words naming a page give: written so, or in no dictionary."""
    if match is None:
        return frozenset()
    texts = list({id(c.outline): c.outline.text for c in candidates}.values())
    phrase = match[0].lower()
    names = {*written_as_names(phrase, texts), *(w for _, w in lower_case_names(phrase))}
    return frozenset(t for n in names for t in terms(n))


def _held(candidates: list[Candidate], weights: dict[str, float]) -> float:
    """The weight of the terms some candidate's sentence holds."""
    words = frozenset().union(*(c.unit.words for c in candidates))
    return sum(w for t, w in weights.items() if t in words)


def described(
    ranked: list[Candidate],
    weights: dict[str, float],
    names: frozenset[str] = frozenset(),
    asked: str = "",
) -> tuple[list[Candidate], float]:
    """The candidates of the document the question describes: the one whose title holds the
    most of its topic (by weight, at least _TITLED of the words the documents have at all;
    "the article on Trump banning Anthropic from the US government" is the page titled so,
    not the page whose sentence "Anthropic didn't just ban Trump" reads closest), with the
    share its title holds; else all, best first as given, and 0. `names` (terms the question
    gives the page that the pages write as names): one only a single page says names it
    too ("the conductatlas page", "the maya price piece"; not "the first item on the list").
    A title word shares a word of `asked` (the words naming the page) by more than its stem
    (`_title_terms`)."""
    pages = {c.passage.source: c.outline.words for c in ranked}  # one outline a document
    known = frozenset().union(*pages.values())
    total = sum(w for t, w in weights.items() if t in known) or 1.0  # not "ars" for Ars Technica
    saying = {t: [s for s, words in pages.items() if t in words] for t in names}
    held: dict[str, float] = {}
    for candidate in ranked:
        if candidate.passage.source not in held:
            title = _title_terms(candidate.passage.title, asked)
            own = {t for t, sources in saying.items() if sources == [candidate.passage.source]}
            held[candidate.passage.source] = sum(
                w * (2 if t in own else 1) for t, w in weights.items() if t in title or t in own
            )  # a word no other page says names the page twice as surely as a title's word
    best = max(held, key=lambda source: held[source], default=None)  # ties: the best ranked
    if best is None or held[best] < _TITLED * total:
        return ranked, 0.0
    share = min(held[best] / total, 1.0)  # its title may hold words no unit of it does
    return [c for c in ranked if c.passage.source == best], round(share, 4)


_WORDS = re.compile(r"[\w'’-]+")
# Suffixes that make another noun of a stem: "governance" is no "government"
_DERIVED = re.compile(r"(?:ance|ence|ment|ness|it(?:y|ies)|ship|ism|ist)s?$")


def _title_terms(title: str, asked: str) -> set[str]:
    """The terms of a title's words, without those a word of `asked` shares only by its stem
    ("the governance tracker page" names no "... from the US government")."""
    typed = {term: word.lower() for word in _WORDS.findall(asked) for term in terms(word)}
    return {
        term
        for word in _WORDS.findall(title)
        for term in terms(word)
        if term not in typed or _suffix(typed[term]) == _suffix(word.lower())
    }


def _suffix(word: str) -> str:
    found = _DERIVED.search(word)
    return found[0].rstrip("s").replace("itie", "ity") if found else ""
