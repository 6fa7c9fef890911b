"""When the sentence that tells of an event gives no date, the page's own timeline often does
("April 2026 | Direct engagement on next AI model" beside "Anthropic has initiated direct
engagement ... regarding its next AI model"): a when-question is answered by the row whose
event the lead sentence tells, in the lead's own document; asked for the timeline, its rows
are the answer."""

from __future__ import annotations

import re

from rag.outline import Block, Candidate
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
_ASKS_TIMELINE = re.compile(
    rf"^\s*(?:(?:please\s+)?(?:give|show|tell|walk)\s+(?:me|us)\s+(?:through\s+)?(?:the|a)\s+"
    rf"{_TIMELINE}|(?:what|which)(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+the\s+{_TIMELINE}"
    rf"(?:\s+of\b|\s*\??\s*$)|(?:the\s+)?{_TIMELINE}\s+of\b|what happened when\b)",
    re.IGNORECASE,
)
_CELL_BREAK = re.compile(r"(?<=\d)(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z][a-z])")  # "2026Pentagon"
_PAGES_LOOKED_AT = 3  # pages of the best sentences searched for a timeline


def dated_row(asked: frozenset[str], lead: Block) -> tuple[ShortAnswer, Block] | None:
    """The date of the lead document's timeline row whose event (its first cell after the
    date) the lead sentence (with its heading and the page title) tells, in at least
    `_TOLD` of its words, and whose cells say one of the question's (or a synonym: "talks"
    of "Ongoing negotiations"), as a short answer with the row as its own block; None
    without one."""
    outline = lead.lead.outline
    told = set(terms(outline.unit_text(lead.lead.index))) | lead.lead.context_words()
    wanted = asked.union(*map(synonyms, asked))  # "talks": "negotiations"
    best: tuple[float, int, re.Match[str]] | None = None
    for index, unit in enumerate(outline.units):
        row = _ROW.match(outline.text, unit.start, unit.end)
        if row is None or index == lead.lead.index:
            continue
        event = set(terms(row["event"]))
        share = len(event & told) / len(event) if event else 0.0
        cells = set(terms(outline.text[row.start("event") : unit.end]))  # "Ongoing talks"
        if share >= _TOLD and cells & wanted and (best is None or share > best[0]):
            best = (share, index, row)
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
    pages: list[str] = []
    for candidate in ranked:
        outline = candidate.outline
        if outline.source in pages:
            continue
        if len(pages) == _PAGES_LOOKED_AT:
            break
        pages.append(outline.source)
        rows = _longest_run(
            [
                i
                for i, unit in enumerate(outline.units)
                if _ROW.match(outline.text, unit.start, unit.end)
            ]
        )
        if len(rows) >= 2:
            return Block(Candidate(candidate.passage, outline, rows[0], candidate.score), rows)
    return None


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
    row = _ROW.match(text)
    if row is None or row.end("event") == row.start("event"):
        return None
    return _CELL_BREAK.sub(" — ", text)
