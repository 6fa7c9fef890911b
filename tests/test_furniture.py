"""What a page shows besides its text, answered when asked for: a photo's caption ("when was
the pic of ... taken?"), the reading time and the comment count. They are page furniture,
never shown to answer anything else; a caption holding too little of the question is no
answer. And what a page says in short: an acronym it spells out elsewhere. Real store,
embedding model and spaCy pipeline."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.captions import asks_about_photo
from rag.lemmas import is_english
from rag.names import acronyms_spelled
from rag.outline import Outline
from rag.page_facts import PageFact, asked_fact
from rag.text import terms
from rag.types import Document
from tests.conftest import answered, assistant_over, short_said

PAGES = {
    "ferry.md": [
        "# The ferry strike ends after nine days",
        "· 4 min read",
        "Harbour mayor Ines Varga at the pier on Monday, May 4, 2026, during the talks with the "
        "ferry union. Credit: Port Images",
        "The ferry crews went back to work on Wednesday after the union accepted a 6 percent "
        "raise.",
        "The strike had stopped every crossing to the islands for nine days.",
        "[12 Comments](https://herald.example/ferry#comments)",
    ],
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PAGES, tmp_path_factory)


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("when was the pic of the mayor taken?", True),
        ("What does the photograph show?", True),
        ("Who is in the picture?", True),
        ("When did the strike end?", False),
    ],
)
def test_asking_about_a_photo(question: str, about: bool) -> None:
    assert asks_about_photo(question) is about


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("how long does it take to read the article on the ferry strike?", PageFact.READING_TIME),
        ("what's the read time of the story?", PageFact.READING_TIME),
        ("how many comments does the ferry story have", PageFact.COMMENTS),
        ("How long did the strike last?", None),
        ("How many crossings does the ferry make?", None),
    ],
)
def test_asking_for_a_reading_time_or_comment_count(question: str, fact: PageFact | None) -> None:
    assert asked_fact(question) is fact


def test_words_of_today_are_no_names() -> None:
    """Typed in lower case, a word no dictionary has reads as a name (and one no document has
    declines): "chatbot", "app" and "byline" are English."""
    assert all(is_english(word) for word in ("chatbot", "apps", "byline", "deepfakes"))
    assert not is_english("hegseth")


def test_a_photo_question_is_answered_with_its_caption(assistant: Assistant) -> None:
    taken = answered(assistant, "when was the pic of mayor varga at the pier taken?")
    assert taken.short_answer is not None and "May 4, 2026" in taken.short_answer.text
    assert "Credit" not in taken.citations[0].quote
    shown = answered(assistant, "what does the photo of the harbour mayor show?")
    assert "during the talks with the ferry union" in shown.answer
    assert shown.citations[0].quote.startswith("Harbour mayor Ines Varga")


def test_a_caption_is_no_answer_to_other_questions(assistant: Assistant) -> None:
    """The caption's date is no date of the story."""
    answer = assistant.ask("When did the ferry crews go back to work?")
    assert "May 4" not in answer.answer and "Wednesday" in answer.answer
    unknown = assistant.ask("when was the photo of the union leader at the station taken?")
    assert "May 4" not in unknown.answer


def test_the_reading_time_and_comment_count(assistant: Assistant) -> None:
    reading = short_said(
        assistant, "how long does it take to read the article on the ferry strike?"
    )
    assert reading == "4 min read"
    comments = answered(assistant, "how many comments does the story on the ferry strike have")
    assert comments.short_answer is not None and comments.short_answer.text == "12 Comments"


def test_photo_comments_and_reading_time_on_the_bundled_corpus(
    corpus_assistant: Assistant,
) -> None:
    """Each of these was declined (tests/data/corpus_staff2.jsonl z13, z17, z22)."""
    taken = short_said(
        corpus_assistant,
        "the pic of amodei at the senate judiciary AI hearing - what date was that taken",
    )
    assert "July 25, 2023" in taken
    comments = answered(
        corpus_assistant, "how many comments does the ars story on trump banning anthropic have"
    )
    assert comments.short_answer is not None and comments.short_answer.text == "70 Comments"
    reading = short_said(
        corpus_assistant,
        "how long does it take to read the article about trump reversing his stance on anthropic",
    )
    assert reading == "2 min read"


def test_an_acronym_the_page_spells_out_says_its_words() -> None:
    """ "Anthropic's AUP" is found by "usage policy": the page spells AUP out elsewhere ("API
    Usage Policy"); an acronym a page writes many times ("AI") is read as itself."""
    text = (
        "Anthropic's AUP limits what you can ask. " + "AI is everywhere. " * 4 + "Excerpt from "
        "the Anthropic API Usage Policy. Artificial Intelligence is a field."
    )
    assert acronyms_spelled(text) == {"AUP": "API Usage Policy"}
    outline = Outline(Document(source="p.txt", title="p", text=text, content_hash="0"))
    assert set(terms("usage policy")) <= outline.units[0].words


def test_an_acronym_spelled_out_answers_on_the_bundled_corpus(
    corpus_assistant: Assistant,
) -> None:
    """Declined at evidence 0.37 (tests/data/conversations2.jsonl cv2_05, turn 2)."""
    answer = short_said(
        corpus_assistant, "What can happen to my account if I break the usage policy?"
    )
    assert "suspended" in answer


def test_a_syndication_note_is_furniture() -> None:
    """ "This story originally appeared at WIRED.com" says where the page ran, not what
    happened: it never answers "what did Trump originally ...?"."""
    text = "Trump spoke on Friday.\n\n_This story originally appeared at [WIRED.com](https://w.com/s)_\n"
    outline = Outline(Document(source="p.txt", title="p", text=text, content_hash="0"))
    shown = [outline.unit_text(i) for i, unit in enumerate(outline.units) if not unit.is_furniture]
    assert shown == ["Trump spoke on Friday."]
