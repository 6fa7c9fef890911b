"""A when-question whose lead sentence tells the event without a date is answered by the
row of the page's own timeline that dates that event (rag/timeline.py); a row about another
event, or one the question does not touch, answers nothing."""

from __future__ import annotations

from rag.text import terms
from rag.timeline import dated_row
from tests.conftest import sentence_block

PAGE = (
    "Acme has opened direct talks with the city about its next bakery.\n\n"
    "Timeline\n\n"
    "Early 2026Lease dispute over parkingEscalated\n\n"
    "April 2026Direct talks on next bakeryOngoing\n"
)


def test_the_row_dating_the_event_the_lead_tells_answers() -> None:
    found = dated_row(frozenset(terms("when did the bakery talks start")), sentence_block(PAGE))
    assert found is not None
    short, block = found
    assert short.text == "April 2026" and short.quote == PAGE[short.start_char : short.end_char]
    assert block.lead.outline.unit_text(block.lead.index).startswith("April 2026Direct")


def test_no_row_when_the_lead_tells_another_event_or_the_question_touches_none() -> None:
    other = "Acme raised its prices again this spring.\n\n" + PAGE.split("\n\n", 1)[1]
    assert dated_row(frozenset(terms("when did prices go up")), sentence_block(other)) is None
    assert dated_row(frozenset(terms("when did the mayor speak")), sentence_block(PAGE)) is None
