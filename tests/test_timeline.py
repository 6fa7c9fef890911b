"""A when-question whose lead sentence tells the event without a date is answered by the
row of the page's own timeline that dates that event (rag/timeline.py); a row about another
event, or one the question does not touch, answers nothing."""

from __future__ import annotations

from rag.assistant import Assistant
from rag.text import terms
from rag.timeline import dated_row, row_dated_as_asked, shown_row, timeline_block
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


def test_the_page_title_and_a_synonym_in_the_status_cell_find_the_row() -> None:
    """ "When did those talks start?" after "what is Acme discussing with the city?": the lead
    ("The engagement follows months of friction") says only "engagement" of the row's event,
    the page title says the rest, and the row's status cell says the talks ("Ongoing
    negotiations")."""
    page = (
        "The engagement follows months of friction between Acme and the city.\n\n"
        "Timeline\n\n"
        "Early 2026Lease dispute over parkingEscalated\n\n"
        "April 2026Direct engagement on next bakeryOngoing negotiations\n"
    )
    block = sentence_block(page, title="Acme City Next Bakery Direct Engagement")
    found = dated_row(frozenset(terms("when did those talks start")), block)
    assert found is not None and found[0].text == "April 2026"
    untitled = dated_row(frozenset(terms("when did those talks start")), sentence_block(page))
    assert untitled is None  # without the title the lead tells too little of the event


def test_asked_for_the_timeline_its_rows_answer_with_their_cells_apart() -> None:
    """ "give me the timeline ..." is answered by every row of the page's table, each row's
    glued cells shown apart; a question asking no timeline gets no rows."""
    block = sentence_block(PAGE)
    rows = timeline_block("give me the timeline of acme and the city", [block.lead])
    assert rows is not None
    assert [block.lead.outline.unit_text(i)[:10] for i in rows.indices] == [
        "Early 2026",
        "April 2026",
    ]
    for other in (
        "when did the bakery talks start",
        "according to the timeline, how did the city respond?",  # a fact read from it
        "what is the timeline for the lease?",  # a schedule
        "what happened when the city raised the rent?",  # one event and what followed
    ):
        assert timeline_block(other, [block.lead]) is None, other
    assert shown_row("April 2026Direct talks on next bakeryOngoing") == (
        "April 2026 — Direct talks on next bakery — Ongoing"
    )
    assert shown_row("OpenAI met ConductAtlas in 2026.") is None  # no row: names kept whole
    assert "DeepMind" in (shown_row("2014Google acquires DeepMindDone") or "")  # a name's capital
    assert timeline_block("could you walk me through the timeline?", [block.lead]) is not None


def test_the_timeline_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("give me the timeline of anthropic vs the trump admin")
    assert answer.answer.startswith("Early 2026 — Pentagon contract dispute over guardrails")
    assert "April 2026 — Direct engagement on next AI model — Ongoing negotiations" in answer.answer
    text = corpus_assistant.store.get_document(answer.citations[0].source).text
    citation = answer.citations[0]
    assert text[citation.start_char : citation.end_char] == citation.quote


def test_what_happened_on_a_date_is_that_rows_event() -> None:
    block = sentence_block(PAGE)
    found = row_dated_as_asked("what happened in april 2026 with the bakery?", [block.lead])
    assert found is not None
    event, row = found
    assert (
        event.text == "Direct talks on next bakery"
        and event.quote == PAGE[event.start_char : event.end_char]
    )
    assert row.lead.outline.unit_text(row.lead.index).startswith("April 2026")
    assert row_dated_as_asked("what happened in May 2026?", [block.lead]) is None
    assert row_dated_as_asked("what happened in april 2026 to the mayor?", [block.lead]) is None
    assert row_dated_as_asked("when did the bakery talks start?", [block.lead]) is None


def test_a_date_asked_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    question = "what happened in march 2026 in the anthropic vs administration saga"
    answer = corpus_assistant.ask(question)
    assert answer.short_answer is not None
    assert answer.short_answer.text == "Court rulings partially favor Anthropic"
