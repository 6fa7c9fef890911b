"""When the sentence that tells of an event gives no date, the page's own timeline often does
("April 2026 | Direct engagement on next AI model" beside "Anthropic has initiated direct
engagement ... regarding its next AI model"): a when-question is answered by the row whose
event the lead sentence tells, in the lead's own document."""

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
