"""One view of an answer, three renderings: the terminal, the chat and the exports show the
same sentences, the same marks and the same notes (rag/view.py)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from rag import export
from rag.types import Answer, Citation, Passage, SentenceCheck
from rag.view import UNSUPPORTED, view
from ui.render import render_answer, render_terminal, render_text

SHOWN = "Alpha is one. [1] Beta is <b>two</b>. [2] ⚠ unsupported"


def _check(text: str, cited: list[int], supported: bool) -> SentenceCheck:
    return SentenceCheck(text=text, citations=cited, supported=supported, lexical=1, similarity=1)


def _answer() -> Answer:
    """A supported sentence with a marker naming no citation ([7]), an unsupported one, and a
    sentence verification removed from the answer."""
    first = Citation(
        n=1, source="r.pdf", title="Report", chunk_id="c", start_char=0, end_char=9, quote="Alpha"
    )
    second = first.model_copy(update={"n": 2, "quote": "Beta", "start_char": 20, "end_char": 24})
    return Answer(
        question="What is alpha?",
        answer="Alpha is one [7]. [1] Beta is <b>two</b>. [2]",
        abstained=False,
        citations=[first, second],
        sentences=[
            _check("Alpha is one [7]. [1]", [1], True),
            _check("Beta is <b>two</b>. [2]", [2], False),
            _check("Gamma was removed. [2]", [2], False),
        ],
    )


def _abstention() -> Answer:
    passage = Passage(
        chunk_id="c",
        source="notes.md",
        title="Notes",
        score=0.1,
        start_char=0,
        end_char=30,
        text="Nothing here [3] answers   that.",
    )
    return Answer(
        question="What is omega?",
        answer="I could not find this in the documents.",
        abstained=True,
        retrieved=[passage],
    )


def _exchange(answer: Answer) -> export.Exchange:
    meta = export.ExportMeta(
        asked_at=datetime.now(UTC), engine="extractive", settings={}, document_hashes={}
    )
    return export.Exchange(answer, meta)


def _from_chat(text: str) -> str:
    """The chat's answer text as read: hover tips, bold and escapes taken away."""
    text = re.sub(r"</?abbr[^>]*>", "", text).replace("**", "")
    return html.unescape(re.sub(r"\\([\\`*_\[\]!|~$#{}])", r"\1", text))


def _from_markdown(document: str) -> str:
    line = document.split("\n\n")[1]
    return html.unescape(re.sub(r"\\([\\`*_\[\]!|~$#{}])", r"\1", line))


def _from_html(page: str) -> str:
    shown = re.search(r'<p class="answer[^"]*">(.*?)</p>', page, re.S)
    assert shown is not None
    return html.unescape(re.sub(r"<[^>]+>", "", shown.group(1)))


def _renderings(answer: Answer) -> dict[str, str]:
    exchanges = [_exchange(answer)]
    return {
        "terminal": render_terminal(answer).split("\n")[0],
        "chat": _from_chat(render_text(answer)),
        "markdown": _from_markdown(export.render(exchanges, "markdown").decode()),
        "html": _from_html(export.render(exchanges, "html").decode()),
    }


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(_answer(), SHOWN), (_abstention(), "I could not find this in the documents.")],
)
def test_terminal_chat_and_exports_show_the_same_answer(answer: Answer, expected: str) -> None:
    assert view(answer).text == expected
    assert _renderings(answer) == dict.fromkeys(_renderings(answer), expected)


def test_the_terminal_marks_and_drops_as_the_others_do() -> None:
    text = render_terminal(_answer())
    assert text.split("\n")[0] == SHOWN
    assert "[7]" not in text and "[unsupported]" not in text and "Gamma" not in text
    assert f"**{UNSUPPORTED}**" in render_text(_answer())


def test_every_rendering_lists_the_same_notes() -> None:
    answer = _answer()
    terminal = render_terminal(answer)
    chat = render_answer(answer)
    markdown = export.render([_exchange(answer)], "markdown").decode()
    for note in view(answer).notes:
        assert f"  [{note.label}] Report — r.pdf, chars {note.start}–{note.end}" in terminal
        assert f"\\[{note.label}\\] Report — r.pdf" in chat
        assert f"\\[{note.label}\\] **Report** — r.pdf, characters {note.start}" in markdown
    closest = _abstention()
    assert "  - Notes (notes.md): Nothing here [3] answers that.…" in render_terminal(closest)
    assert "Notes — notes.md" in render_answer(closest)
    assert (
        "- **Notes** — notes.md, characters 0–30"
        in export.render([_exchange(closest)], "markdown").decode()
    )


def test_every_rendering_shows_a_two_hop_answers_searches() -> None:
    answer = _answer().model_copy(
        update={
            "standalone_question": "What is alpha?",
            "searches": ["the first letter", "What is alpha?"],
        }
    )
    assert view(answer).searched_for == "What is alpha? → the first letter"
    assert render_terminal(answer).startswith("(searched for: What is alpha? → the first letter)")
    assert render_answer(answer).startswith("*Searched for: What is alpha? → the first letter*")


def test_a_question_in_another_language_lists_no_closest_passages_anywhere() -> None:
    """Its message names the language; passages found for words not in English are noise."""
    message = "This question seems to be in Spanish; the documents are searched in English."
    answer = _abstention().model_copy(update={"answer": message, "language": "es"})
    assert view(answer).notes == [] and export.shown_sources(answer) == []
    assert render_terminal(answer) == message and render_answer(answer) == message
    assert _renderings(answer) == dict.fromkeys(_renderings(answer), message)
    markdown = export.render([_exchange(answer)], "markdown").decode()
    assert "Closest passages" not in markdown and "notes.md" not in markdown
