"""When the sentence that tells of an event gives no date, the page's own timeline often does
("April 2026 | Direct engagement on next AI model" beside "Anthropic has initiated direct
engagement ... regarding its next AI model"): a when-question is answered by the row whose
event the lead sentence tells, in the lead's own document; asked for the timeline, its rows
are the answer."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.outline import Candidate, Outline
from rag.said import said_as
from rag.synonyms import synonyms
from rag.text import terms
from rag.types import ShortAnswer

# A row opening with its date cell, glued to the next cell by page extraction ("April
# 2026Direct engagement ...") or set off by a colon or dash ("April 2026: Direct ...")
_ROW = re.compile(
    r"(?P<date>(?:(?:Early|Mid|Late|[A-Z][a-z]+)\s+)?(?:\d{1,2}\s+)?(?:19|20)\d\d)"
    r"(?:(?=[A-Z][a-z])|\s*[:–—-]\s*)(?P<event>.+?)(?:(?<=[a-z0-9])(?=[A-Z][a-z])|$)",
    re.DOTALL,
)
_TOLD = 0.6  # share of the row's event words the lead sentence says
# The timeline itself asked for ("give me the timeline of ...", "what's the timeline?"), not
# a fact read from it ("according to the timeline, how did they respond?") nor a schedule
# ("what is the timeline for the phase-out?": six months)
_TIMELINE = r"(?:timeline|time line|chronology|sequence of events|key dates)"
_WHEN = (  # a month, a year, or both
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+(?:19|20)\d\d)?"
    r"|(?:19|20)\d\d)"
)
_WHOLE = r"(?:month-by-month|month by month|full|whole|complete|detailed|quick|brief|rough|short)"
_TIMELINE_ASKED = (
    r"(?:(?:can|could|would|will)\s+(?:you|u)\s+)?(?:please\s+)?(?:give|show|tell|walk|run)\s+(?:me"
    rf"|us)\s+(?:through\s+|thru\s+)?(?:the|a|an)\s+(?:{_WHOLE}\s+)?"
    r"(?:(?!phase|wind|deadline|roll|release|transition|approval)[\w'’/-]+\s+){0,5}?"  # "the
    rf"{_TIMELINE}",  # anthropic vs trump admin timeline", "a (month-by-month) timeline"; not
    # "the phase-out timeline": a schedule
    rf"(?:what|which)(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+the\s+{_TIMELINE}\s*\??\s*$",
    rf"(?:the\s+)?{_TIMELINE}\s+of\b",  # "timeline of the dispute"
    rf"(?:.*?\?\s*)?what\s+happened\s+(?:between|from)\s+{_WHEN}\s+(?:and|to|through|thru|till"
    rf"|until)\s+{_WHEN}\s*\??\s*$",  # "... right? what happened between feb and april": the rows
)
_ASKS_TIMELINE = re.compile("|".join(rf"^\s*{asked}" for asked in _TIMELINE_ASKED), re.I)
# "2026Pentagon", "guardrailsEscalated"; not a name's inner capital ("DeepMind", "iPhone")
CELL_BREAK = re.compile(r"(?<=\d)(?=[A-Z][a-z])|(?<=[a-z]{5})(?=[A-Z][a-z]{2})")
_PAGES_LOOKED_AT = 3
_SAGA = frozenset(terms("saga story affair fight dispute according timeline"))  # no topic
# "what happened in March 2026 ...?": the row dated so tells it
_HAPPENED_ON = re.compile(
    r"\bwhat (?:happened|took place|went on)\s+(?:in|on|during|around)\s+(?P<date>(?:(?:early|mid"
    r"|late)\s+)?(?:[a-z]+\s+)?(?:19|20)\d\d)\b",
    re.IGNORECASE,
)  # pages of the best sentences searched for a timeline
# "what happened after ...?", "how did their legal challenge go?": what the next row tells
_OUTCOME = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:what\s+(?:happened|came|followed)\s+(?:after|next|of)\b"
    r"|how(?:['’]d|\s+did|\s+has|\s+have)\b.+?\b(?:go|gone|turn(?:ed)?\s+out|end(?:ed)?\s+up"
    r"|pan(?:ned)?\s+out|play(?:ed)?\s+out)\s*(?:for\s+\w+)?\s*\??\s*$"
    r"|what\s+(?:was|is|were)\s+the\s+(?:outcome|result)s?\s+of\b"
    r"|did\s+(?:that|it|this|those|they|the\s+\w+)\s+(?:get\s+(?:\w+\s+){0,3}anywhere|work(?:\s+out)?"
    r"|succeed|pay\s+off)\s*\??\s*$)",  # "did that get them anywhere?"
    re.IGNORECASE,
)


def dated_row(asked: frozenset[str], lead: Block) -> tuple[ShortAnswer, Block] | None:
    """The date of the lead document's timeline row whose event (its first cell after the
    date) the lead sentence (with its heading and the page title) tells, in at least
    `_TOLD` of its words, and whose cells say one of the question's (or a synonym: "talks"
    of "Ongoing negotiations"), as a short answer with the row as its own block; None
    without one."""
    outline = lead.lead.outline
    said = set(terms(outline.unit_text(lead.lead.index)))
    told = said | lead.lead.context_words()
    wanted = asked.union(*map(synonyms, asked))  # "talks": "negotiations"
    best: tuple[float, int, re.Match[str]] | None = None
    for index, row in _rows(outline):
        if index == lead.lead.index:
            continue
        event = set(terms(row["event"]))
        share = len(event & told) / len(event) if event else 0.0
        own = len(event & said) / len(event) if event else 0.0  # ranks: the title says all
        end = outline.units[index].end
        cells = set(terms(outline.text[row.start("event") : end]))  # "Ongoing talks"
        if share >= _TOLD and cells & wanted and (best is None or own > best[0]):
            best = (own, index, row)
    if best is None:
        return None
    _, index, row = best
    candidate = Candidate(lead.lead.passage, outline, index, lead.lead.score)
    return said_as(outline, row.start("date"), row.end("date")), Block(candidate, [index])


def timeline_block(question: str, ranked: list[Candidate]) -> Block | None:
    """For "give me the timeline of ...": the rows of the timeline (two or more in a run)
    on the page of the best sentences that has one, as one block led by its first row;
    None when the question asks for no timeline or no such page has one."""
    if not _ASKS_TIMELINE.search(question):
        return None
    for candidate in _pages(ranked):
        rows = _longest_run([index for index, _ in _rows(candidate.outline)])
        if len(rows) >= 2:
            lead = Candidate(candidate.passage, candidate.outline, rows[0], candidate.score)
            return Block(lead, rows)
    return None


def row_dated_as_asked(question: str, ranked: list[Candidate]) -> tuple[ShortAnswer, Block] | None:
    """For "what happened in <date> ...?": the event of the timeline row with that date, on
    the pages of the best sentences, as a short answer with the row as its block; for "what
    happened after ...?" or "how did ... go?" led by a row, the next row's."""
    asked = _HAPPENED_ON.search(question)
    if asked is None:
        return _next_row(ranked[0]) if ranked and _OUTCOME.search(question) else None
    date = " ".join(asked["date"].lower().split())
    rest = set(terms(question[: asked.start()] + question[asked.end() :])) - _SAGA
    for candidate in _pages(ranked):
        outline = candidate.outline
        for index, row in _rows(outline):
            told = set(terms(outline.unit_text(index))) | candidate.context_words()
            if rest and not rest & told:
                continue  # "what happened in March 2026 to OpenAI?": not Anthropic's row
            if " ".join(row["date"].lower().split()) == date:
                lead = Candidate(candidate.passage, outline, index, candidate.score)
                event = said_as(outline, row.start("event"), row.end("event"))
                return event, Block(lead, [index])
    return None


def _next_row(best: Candidate) -> tuple[ShortAnswer, Block] | None:
    """The event of the timeline row after the best sentence, when that is a row too."""
    outline, index = best.outline, best.index
    if _ROW.match(outline.text, outline.units[index].start, outline.units[index].end) is None:
        return None
    if index + 1 >= len(outline.units):
        return None
    after = outline.units[index + 1]
    row = _ROW.match(outline.text, after.start, after.end)
    if row is None:
        return None
    lead = Candidate(best.passage, outline, index + 1, best.score)
    return said_as(outline, row.start("event"), row.end("event")), Block(lead, [index + 1])


def _pages(ranked: list[Candidate]) -> list[Candidate]:
    """The best sentence of each of the first few pages the ranked sentences come from."""
    best: dict[str, Candidate] = {}
    for candidate in ranked:
        if len(best) == _PAGES_LOOKED_AT:
            break
        best.setdefault(candidate.outline.source, candidate)
    return list(best.values())


def _rows(outline: Outline) -> list[tuple[int, re.Match[str]]]:
    """The page's timeline rows, by unit index."""
    return [
        (index, row)
        for index, unit in enumerate(outline.units)
        if (row := _ROW.match(outline.text, unit.start, unit.end)) is not None
    ]


def _longest_run(indices: list[int]) -> list[int]:
    """The longest run of consecutive unit indices (one table's rows)."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return max(runs, key=len, default=[])


def shown_row(text: str) -> str | None:
    """A table row that page extraction glued into one line, shown with its cells set apart
    ("Early 2026 — Pentagon contract dispute over guardrails — Escalated tensions"); None
    for any other text."""
    return None if _ROW.match(text) is None else CELL_BREAK.sub(" — ", text)
