"""Questions that ask two things at once ("who wrote the piece and when was it last
updated?", "who's the ex-Pentagon official ... and what's his argument?"): one search finds
the sentence for one part and the other part goes unanswered, so each part is answered on
its own (the second as a follow-up of the first) and the answers are joined, each cited."""

from __future__ import annotations

import re

from rag.compose import Draft
from rag.scoped import PAGE_NOUN
from rag.text import sentence_spans

_WH = r"(?:who|whom|whose|what|when|where|which|why|how)"
_YES_NO = (  # its own subject next: not "who was fired and was later rehired?"
    r"(?:is|are|was|were|does|do|did|can|could|will|would|has|have|had)"
    r"(?=\s+(?!\w+ed\b|\w+ly\b|(?:later|since|also|still|then|now|not|never|been|being)\b))"
)
# "<wh-question>(,) and <wh- or yes/no question>": the second part opens with its own
# question word or auxiliary
_TWO_PARTS = re.compile(
    rf"^\s*(?P<first>{_WH}\b[^?]*?)\s*(?:\?\s*)?,?\s+(?:and(?:\s+also)?|&|also|plus)\s+"  # "? and"
    rf"(?P<second>(?:{_WH}|{_YES_NO})\b[^?]*?)\s*\??\s*$",
    re.IGNORECASE,
)
_PAGE = rf"(?:the|that|this)\s+(?:[\w'’.-]+\s+){{0,4}}?{PAGE_NOUN}"
_EACH_PAGE = re.compile(  # "how do the campaign article and the reversal article each describe
    rf"^\s*(?P<wh>how|what)\s+do\s+(?P<first>{_PAGE})\s+and\s+(?P<second>{_PAGE})\s+"  # it?"
    r"(?:each\s+|both\s+)?(?P<rest>(?:describe|explain|say|define|call|put|see|frame|cover)\b[^?]*?)"
    r"\s*\??\s*$",
    re.IGNORECASE,
)
_PAGE_OR_ONE = rf"(?:the|that|this)\s+(?:[\w'’.-]+\s+){{0,4}}?(?:{PAGE_NOUN}|one)"
_COMPARING = re.compile(  # "comparing the pentagon article and the direct-engagement one, what
    rf"^\s*(?:comparing|across|between)\s+(?P<first>{_PAGE})\s+and\s+(?P<second>{_PAGE_OR_ONE})"
    r"\s*,\s*(?P<wh>how|what)\s+do\s+(?:they|the\s+two|both)\s+(?:each\s+|both\s+)?"  # do they
    r"(?P<rest>(?:describe|explain|say|define|call|put|see|frame|cover)\b[^?]*?)\s*\??\s*$",  # each
    re.IGNORECASE,  # say the fight was about?"
)
_PAGE_FACT = (  # "byline", "original outlet": a fact of a page asked in a word or two
    r"(?:byline|author|writer|(?:pub(?:lication)?\s+)?date|(?:original\s+)?(?:outlet|publisher)"
    r"|sources?|headline|title|comment\s+count|read(?:ing)?\s+time|contributors)"
)
_FACTS_OF = re.compile(  # "byline and original outlet for the ars piece on ...?"
    rf"^\W*(?:the\s+)?(?P<first>{_PAGE_FACT})\s*(?:,|\+|&|and)\s*(?:the\s+)?"
    rf"(?P<second>{_PAGE_FACT})\s+(?P<page>(?:for|of|on)\s+[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)
_INNER_WH = re.compile(rf"\b{_WH}\b", re.IGNORECASE)
_MARKER = re.compile(r"\[(\d+)\]")
_CITED_RUN = re.compile(r"\s*(?P<text>.*?)\s*(?P<markers>(?:\[\d+\])+)")  # text and its [n][m]
_SHORTEST = 3  # words the first part needs to be a question of its own ("who and when": not)


def two_questions(question: str) -> tuple[str, str] | None:
    """The two questions of "<wh> ... and <wh> ...", of "how do the A article and the B
    article each describe X?" (each page asked on its own) or of "byline and date for the X
    piece?", each with a question mark; None for any other question ("what's the difference
    between A and B?")."""
    pages = _EACH_PAGE.match(question)
    if pages is not None:
        wh, rest = pages["wh"], pages["rest"]
        return f"{wh} does {pages['first']} {rest}?", f"{wh} does {pages['second']} {rest}?"
    if compared := _COMPARING.match(question):
        first, second, wh = compared["first"], compared["second"], compared["wh"]
        if second.lower().endswith(" one"):  # "the direct-engagement one": an article too
            second = f"{second[:-4]} {first.split()[-1]}"
        return f"{wh} does {first} {compared['rest']}?", f"{wh} does {second} {compared['rest']}?"
    if facts := _FACTS_OF.match(question):
        return f"{facts['first']} {facts['page']}?", f"{facts['second']} {facts['page']}?"
    found = _TWO_PARTS.match(question)
    if found is None or len(found["first"].split()) < _SHORTEST:
        return None
    if found["second"].split()[0].isupper() or _INNER_WH.search(found["first"], 1):
        return None  # "the ECDC and WHO ...", "the singer born who is ... and who's ...",
        # "the lag between when ... and when ...": no second question
    return f"{found['first']}?", f"{found['second']}?"


def joined(first: Draft, second: Draft) -> Draft:
    """The two answers one after the other, the second's citations numbered on from the
    first's (a passage both quote keeps its number) and its sentences the first already says
    left out ("who's Michael Horowitz and why is he quoted?": both parts quote him); the
    first's short answer leads, and the weaker support is the answer's."""
    citations = list(first.citations)
    numbers: dict[int, int] = {}
    text = _new_to(first.answer, second.answer)
    cited = {int(n) for n in _MARKER.findall(text)}
    for citation in second.citations:
        if citation.n not in cited:
            continue  # it cited only sentences the first answer says
        same = next(
            (c.n for c in citations if (c.source, c.start_char, c.end_char)
             == (citation.source, citation.start_char, citation.end_char)),
            None,
        )  # fmt: skip
        if same is None:
            same = len(citations) + 1
            citations.append(citation.model_copy(update={"n": same}))
        numbers[citation.n] = same
    text = _MARKER.sub(lambda m: f"[{numbers.get(int(m[1]), int(m[1]))}]", text)
    short = first.short_answer or second.short_answer
    support = min(first.support, second.support)
    return Draft(f"{first.answer} {text}".strip(), citations, False, support, short)


def _new_to(said: str, answer: str) -> str:
    """`answer` without the sentences `said` already says whole; a run of text left with
    no sentence loses its citation markers."""
    already = set(_sentences(_MARKER.sub("", said)))
    kept = []
    for found in _CITED_RUN.finditer(answer):
        sentences = [s for s in _sentences(found["text"]) if s not in already]
        if sentences:
            kept.append(f"{' '.join(sentences)} {found['markers']}")
    return " ".join(kept)


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]
