"""Questions asking where something stands ("are the talks wrapped up?", "are they still
negotiating?") or stood before ("what was he worried about before he reversed?"): a sentence
saying so ("Ongoing negotiations", "as these talks progress", "Previously, Trump had ...")
answers them, though it shares few of their words."""

from __future__ import annotations

import itertools
import re

from rag.blocks import Block
from rag.said import said_as, shown_units
from rag.text import terms
from rag.timeline import CELL_BREAK, shown_row
from rag.types import ShortAnswer

STATUS_QUESTION = re.compile(
    r"^\s*(?:is|are|was|were|has|have)\b.*\b(?:still|yet|over|finished|done|wrapped up"
    r"|concluded|ended|complete|completed|finali[sz]ed|settled|resolved|ongoing|on-going"
    r"|underway|going on|in progress)\b"
    r"|\bstatus of\b|\bwhere (?:do|does) .+ stand\b"
    r"|\bwhere (?:does|do|did) (?:that|this|it|all this|all that) leave\b",  # "so where does that
    # leave things": how the talks stand
    re.IGNORECASE,
)
# Question words that only ask for a status: no topic word a passage must repeat.
STATUS_WORDS = frozenset(
    terms(
        "still yet over finished done wrapped concluded ended complete completed status stand "
        "currently current now leave things"
    )
)
# What says a thing is going on, stalled or over ("modelOngoing negotiations" read apart).
_STATUS_WORDS_SAID = (
    "ongoing on-going continue continues continued continuing progress progresses progressing "
    "underway remain remains remained stalled concluded finalised finalized completed pending"
)
_STATUS_PHRASES = [*_STATUS_WORDS_SAID.split(), "in progress", "not yet"]
_STATUS = re.compile(r"\b(?:" + "|".join(_STATUS_PHRASES) + r")\b", re.IGNORECASE)
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")


def status_cell(block: Block) -> ShortAnswer | None:
    """The cell of a table row the block shows that says where things stand ("Ongoing
    negotiations" of "April 2026Direct engagement on next AI modelOngoing negotiations"): the
    short answer to "where do things stand?"; None when no row's cell says so."""
    outline = block.lead.outline
    for index in shown_units(block):
        unit = outline.units[index]
        text = outline.text[unit.start : unit.end]
        if shown_row(text) is None:
            continue  # a sentence, not a row
        breaks = [0, *(m.start() for m in CELL_BREAK.finditer(text)), len(text)]
        for start, end in itertools.pairwise(breaks):
            if text[start:end].strip() and _STATUS.search(text[start:end]):
                return said_as(outline, unit.start + start, unit.start + end)
    return None


def says_status(text: str) -> bool:
    """The text says where something stands: going on, stalled or over (a table row's cells
    glued by page extraction read apart: "next AI modelOngoing negotiations")."""
    return _STATUS.search(_GLUED.sub(" ", text)) is not None


# "what was he worried about before?", "before he flipped, what ...": what pages say
# happened "previously"
_CHANGE_OF_MIND = (  # "before he flipped", "before his u-turn", "before he changed his mind"
    r"(?:he|she|they|it|that|his|her|their|its)\s+(?:\w+\s+)?(?:revers\w*|chang\w*|flip\w*"
    r"|switch\w*|u-turn\w*|pivot\w*|backtrack\w*|turnaround|about-face|shift\w*|soften\w*)"
    r"(?:\s+(?:his|her|their|its)\s+(?:mind|stance|position|view|course|tune))?"
)
_EARLIER = re.compile(
    rf"^\s*before {_CHANGE_OF_MIND}\s*,\s*(?P<rest>.*?)\s*\??\s*$"
    # "and before ai, how'd campaigns get that writing done?": an era before a thing
    r"|^\s*(?:and\s+|so\s+|but\s+)?before\s+(?:the\s+)?[\w'’-]+\s*,?\s+"
    r"(?P<then>(?:how|what|who|where|which|did|do|was|were)\b.*?)\s*\??\s*$"
    r"|^(?P<asked>.*?)\s*(?<!day)(?<!week)(?<!month)(?<!year)(?<!night)(?<!\s)\s+before"
    rf"(?:\s+{_CHANGE_OF_MIND})?\s*\??\s*$"
    # "what was his beef before that?": a view held before the change just told of
    r"|^(?P<view>(?:[^?]*?[-–—:]\s+)?what\s+(?:was|were)\s+(?:(?:his|her|their|its)\s+"
    r"(?:main\s+|big\s+)?(?:worry|worries|concerns?|beef|issues?|problems?|objections?"
    r"|complaints?|view|stance|position|fears?|take)|(?:he|she|they)\s+(?:worried|concerned"
    r"|afraid)\s+about))\s+(?:before\s+(?:that|this|then)|beforehand)\s*\??\s*$",
    re.IGNORECASE,
)
# "what was his original worry?", "what had he originally been worried about?": the same
_ORIGINALLY = re.compile(  # of a view held, not a fact ("a team originally based in Gotha")
    r"\b(?:originally|initially|at first)\s+(?=(?:been\s+)?(?:worried|concerned|afraid|scared"
    r"|thought|think|believed|believe|feared|fear|objected|object|complained|complain|opposed"
    r"|oppose|wanted|want|saw|see|viewed|view|said|say|claimed|claim|called|call)\b)",
    re.IGNORECASE,
)
_ORIGINAL_VIEW = re.compile(
    r"\b(?:original|initial)\s+(?=(?:worry|worries|concern|concerns|beef|issue|issues"
    r"|problem|problems|objection|objections|complaint|complaints|view|stance|position|fear"
    r"|fears|reason|reasons)\b)",
    re.IGNORECASE,
)
EARLIER_ASKED = re.compile(r"\bpreviously\?$")  # what as_earlier writes
_EARLIER_SAID = re.compile(
    r"\b(?:previously|initially|originally|at first|in (?:previous|past|earlier) (?:years"
    r"|elections|cycles|campaigns)|back then)\b"  # not "in the past": "handled ... in the past"
    # not "be used to", a passive
    r"|(?<!be )(?<!been )(?<!being )(?<!is )(?<!are )(?<!was )(?<!were )\bused to\b"
    r"|\bearlier\b(?!\s+(?:this|that|last|in|on|today|than)\b)"  # not "earlier this week"
    r"|\bformerly\b(?!(?-i:\s+[A-Z]))",  # not a former name: "X (formerly Twitter)"
    re.IGNORECASE,
)


def says_earlier(text: str) -> bool:
    """The text says what was so before: "Previously, Trump had openly questioned ..."."""
    return _EARLIER_SAID.search(text) is not None


def as_earlier(question: str) -> str:
    """The question asking what was so before a change of mind written as asking what was
    so "previously" ("what was his original worry before he reversed?" -> "what was his
    worry previously?"), as pages say it; any other as typed."""
    earlier = _EARLIER.match(question)
    if not (earlier or _ORIGINALLY.search(question) or _ORIGINAL_VIEW.search(question)):
        return question
    asked = (
        (earlier["rest"] or earlier["then"] or earlier["asked"] or earlier["view"])
        if earlier
        else question.rstrip(" ?")
    )
    return f"{_ORIGINAL_VIEW.sub('', _ORIGINALLY.sub('', asked))} previously?"
