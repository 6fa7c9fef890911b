"""Questions asking what a page advises ("what does the article suggest if my team builds
on one provider?", "what should we do?"): a sentence telling the reader what to do
("Diversify your tech stack.", "don't rely on a single provider") answers them, though it
shares few of their words; the rest of the page only tells the story."""

from __future__ import annotations

import re

from rag.blocks import Block, grow_block
from rag.compose import Draft, compose
from rag.outline import Candidate, Outline
from rag.said import said_as, sentence_span, shown_units
from rag.text import terms
from rag.types import Passage, ShortAnswer

ADVICE_ASKED = re.compile(
    r"\bwhat (?:does|do|did|would) (?:the |this |that )?(?:[\w-]+ ){0,2}?(?:article|author"
    r"|writer|piece|post|page|story|guide|report|it|they|he|she)\s+(?:\w+\s+)?"
    r"(?:suggest|recommend|advise|(?:tell|urge|want)s?\b(?=.*\bto do\b))"
    r"|\bwhat (?:should|can|could) (?:i|we|my team|our team|staff|users?|developers?|teams?)"
    r"\s+do\b|\b(?:any|what|which|(?:article|author|writer|piece|guide)['’]s)\s+"
    r"(?:advice|tips|recommendations?|suggestions?)\b"
    r"|\b(?:bottom[- ]line|practical|main|key|actionable)\s+(?:advice|takeaways?|lessons?)\b"
    r"|\b(?:takeaways?|lessons?)\s+for\b",  # "the practical takeaway for teams building ..."
    re.IGNORECASE,
)
# Question words that only ask for advice: no topic a passage must repeat.
ADVICE_WORDS = frozenset(  # as terms: "advice" is "advic"
    terms(
        "suggest suggests recommend advise advice tip tips takeaway takeaways lesson lessons "
        "bottom line practical actionable"
    )
)
# A sentence opening on what it tells of ("The ...", "They ...", "Anthropic ..."), not a verb
_TOLD_OF = re.compile(
    r"^\W*(?:(?i:the|a|an|they|he|she|it|we|i|this|that|these|those|there|in|on|at|for|according"
    r"|but|and|as|while|when|after|before|its|their|his|her|our)|[A-Z][a-z]*[A-Z]\w*)\b"
    r"|^\W*[A-Z][a-z]+\s+(?:is|was|are|were|has|had|have|said|says|will|would)\b"
    r"|^\W*(?:[A-Z][\w’'-]*\s+){2,}",  # a name of two words or more
)
_TOLD_READER = re.compile(
    r"\b(?:you should|you need to|you must|make sure|be sure|we recommend)\b", re.IGNORECASE
)
_YOU = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_ADVISED = re.compile(
    r"\b(?:you should|you need to|you must|make sure|be sure|we recommend|it is wise"
    r"|consider|avoid)\b",
    re.IGNORECASE,
)


# "whats the takeaway for us then", "what does the article suggest?": the advice of the page
# the conversation is on, whatever it shares with the turn
PAGE_ADVICE = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|but)\W+)?(?:what(?:['’]?s|\s+is|\s+are)\s+(?:the\s+|its\s+)?"
    r"(?:(?:main|key|practical|big|real)\s+)?(?:takeaways?|lessons?|advice)"
    r"|what\s+(?:does|do|did)\s+(?:it|the\s+(?:article|piece|story|author|writer|page|post))\s+"
    r"(?:suggest|recommend|advise)|any\s+(?:advice|tips|takeaways?)|what\s+should\s+(?:we|i)\s+do"
    r"|any\s+(?:(?:practical|real|useful|actual)\s+)?(?:advice|tips)(?:\s+in\s+(?:there|it|the\s+"
    r"(?:article|piece)))?\s+for\s+(?:ppl|people|folks|devs|developers|anyone|companies|teams"
    r"|businesses|firms|orgs|startups)\s+(?:building|using"
    r"|working)\s+(?:on|with)\s+(?:claude|ai|it|them|llms?|(?:these|the|their|its)\s+models?"
    r"|[\w-]+\s+models?))"  # "any practical advice in there for ppl
    r"(?:\s+(?:for|to)\s+(?:us|me|our\s+\w+)(?:\s+as\s+(?:an?\s+)?[\w-]+)?)?"  # building on
    # claude", "any advice for ppl building on these models": advice to the page's readers
    r"(?:\s+(?:then|here|now|tho|though|lol|btw|again))*\W*$",
    re.IGNORECASE,
)


def told_advice(outline: Outline, paged: list[Passage], room: int, support: float) -> Draft | None:
    """The page's first block telling the reader what to do, as an answer with its advice for
    the short answer; None when the page (its passages `paged`) gives none."""
    taken: list[int] = []
    for passage in paged:
        taken.extend(outline.within(passage.start_char, passage.end_char))
    shown = [i for i in sorted(set(taken)) if outline.shows_words(i)]
    shown = [i for i in shown if not (outline.units[i].is_furniture or outline.units[i].is_heading)]
    parses = outline.parsed([i for i in shown if _YOU.search(outline.unit_text(i))])  # only
    for index in shown:  # these can be imperatives told the reader ("Diversify your ..."), not
        # "to avoid claims of bias" or "Expect to see ..."
        text = outline.unit_text(index)
        if _TOLD_READER.search(text) or (index in parses and _imperative(parses[index])):
            unit = outline.units[index]
            passage = next(p for p in paged if p.start_char <= unit.start < p.end_char)
            block = grow_block(Candidate(passage, outline, index), room, [])
            return compose([block], paged, support, advice(block))
    return None


def advises(block: Block) -> bool:
    """A shown sentence of the block tells the reader what to do: "you should", "make sure"
    or an imperative (a main verb in its base form with no subject: "Diversify your tech
    stack.", "If you're building ..., don't rely on a single provider")."""
    return _advice(block) is not None


def advice(block: Block) -> ShortAnswer | None:
    """The block's first sentence telling the reader what to do, whole: the short answer."""
    index = _advice(block)
    if index is None:
        return None
    return said_as(block.lead.outline, *sentence_span(block.lead.outline, index))


def _advice(block: Block) -> int | None:
    outline: Outline = block.lead.outline
    shown = shown_units(block)
    said = next((i for i in shown if _ADVISED.search(outline.unit_text(i))), None)
    if said is not None:
        return said
    parses = outline.parsed(shown)
    return next((i for i in shown if _imperative(parses[i])), None)


def _imperative(doc: object) -> bool:
    for token in doc:  # type: ignore[attr-defined]
        if token.dep_ == "ROOT":
            subject = any(child.dep_ in ("nsubj", "nsubjpass", "expl") for child in token.children)
            return token.tag_ == "VB" and not subject
    return False


def tells_reader(candidate: Candidate) -> bool:
    """The candidate sentence tells the reader what to do ("If you see warnings ..., take them
    seriously", "Check your API usage logs regularly")."""
    outline, index = candidate.outline, candidate.index
    text = outline.unit_text(index)
    if _ADVISED.search(text):
        return True
    if _TOLD_OF.match(text):  # most sentences: no parse
        return False
    return _imperative(outline.parsed([index])[index])
