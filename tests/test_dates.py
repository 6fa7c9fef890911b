"""A document's date for readers: the metadata's when it has one, else the day its text gives
as its own near the top, marked inferred (the bundled corpus's "Updated Jun 20, 2026")."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ingest.loaders import load_document
from rag.dates import document_date, stated_in_text
from rag.types import Answer, Citation, Document, SentenceCheck
from rag.view import facts_of
from tests.conftest import ROOT
from ui.render import render_answer


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1 sources citedUpdated Jun 20, 2026\nA photo", date(2026, 6, 20)),
        ("Published: 2024-03-05 by the desk", date(2024, 3, 5)),
        ("Posted on 3 Sept. 2025", date(2025, 9, 3)),
        ("Last modified June 31, 2026", None),  # no such day
        ("The deal was signed Jun 20, 2026.", None),  # a date in the story, not the page's
    ],
)
def test_a_date_is_read_only_where_the_text_states_its_own(text: str, day: date | None) -> None:
    assert stated_in_text(text) == day


def test_the_bundled_corpus_dates_a_page_from_its_text_and_the_card_says_so() -> None:
    path = ROOT / "corpus" / "003_1b56008558d8ff6d.txt"
    document = load_document(path, path.name)
    assert not document.published  # its metadata has no date
    facts = facts_of(document)
    assert facts.date is not None and facts.date.inferred
    assert facts.date.day == date(2026, 6, 20) and facts.title == document.title
    start = document.text.index("Trump Reverses Stance")
    quote = document.text[start : start + 21]
    citation = Citation(
        n=1,
        source=path.name,
        title=document.title,
        chunk_id="c",
        start_char=start,
        end_char=start + 21,
        quote=quote,
    )
    check = SentenceCheck(
        text=f"{quote}. [1]", citations=[1], supported=True, lexical=1.0, similarity=1.0
    )
    answer = Answer(
        question="q",
        answer=f"{quote}. [1]",
        abstained=False,
        citations=[citation],
        sentences=[check],
    )
    card = render_answer(answer, {path.name: facts})
    assert re.search(r'Jun 20, 2026 <span class="fn-inferred"[^>]*>\(from text\)', card)


def test_the_metadata_date_wins_and_is_not_marked() -> None:
    document = Document(
        source="a.md",
        title="A",
        text="Updated Jun 20, 2026. Body.",
        content_hash="h",
        published="2024-01-02",
    )
    dated = document_date(document)
    assert dated is not None and not dated.inferred and dated.day == date(2024, 1, 2)
