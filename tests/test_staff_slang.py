"""Questions in staff slang and about a writer's view: chat words ("natsec", "dems",
"everybody") that read as names no document has, words for what a page says in other words
("wrong" for "inaccurate", "ironic" for "irony"), why-questions whose cause word is the
question's own ("why did they ban ...?"), and a heading line a page did not set apart. Unit
checks, then the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.blocks import grow_block
from rag.forms import answer_form
from rag.names import lower_case_names
from rag.outline import Candidate, Outline
from rag.shorthand import written_out
from rag.synonyms import synonyms
from rag.text import terms
from rag.types import Document
from tests.conftest import answered, sentence_block, short_said


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (
            "why'd trump stop calling them a natsec threat",
            "why did trump stop calling them a national security threat",
        ),
        ("would the dems get blocked too", "would the Democrats get blocked too"),
        ("is the gop gonna sue", "will the Republican sue"),
        ("what's the GOP view", "what's the GOP view"),  # capitalised: as typed
        ("is going to the WH smart", "is going to the White House smart"),  # a name, as named
        ("who's repping them", "who's representing them"),
        ("built on one llm", "built on one AI model"),
    ],
)
def test_slang_is_written_out(typed: str, meant: str) -> None:
    assert written_out(typed) == meant


def test_pronouns_and_chat_words_are_no_names() -> None:
    """ "everybody" is in no table of the lemmatizer's (it holds content words): it read as a
    name, and "does it hit everybody" was declined for a name no document has."""
    assert lower_case_names("is the ban just aimed at trump or does it hit everybody") == []
    assert lower_case_names("did zuckerberg say anything") == [(4, "zuckerberg")]
    assert lower_case_names("is conductatlas affiliated with anthropic or nah") == [
        (3, "conductatlas")
    ]


def test_words_for_the_same_thing() -> None:
    assert set(terms("inaccurate")) <= synonyms(terms("wrong")[0])
    assert set(terms("irony")) <= synonyms(terms("ironic")[0])
    assert set(terms("complaint")) <= synonyms(terms("beef")[0])
    assert not synonyms(terms("bad")[0]) & set(terms("harmful"))  # too many senses
    assert set(terms("authority")) <= synonyms(terms("power")[0])


def test_a_why_questions_own_word_is_no_cause() -> None:
    """ "why did they ban ...?": a sentence saying "ban" restates the question; a sentence
    saying "prohibit" gives a cause."""
    form = answer_form("why did anthropic ban the trump campaign")
    assert form is not None
    said_again = sentence_block("Anthropic banned Trump outright.")
    cause = sentence_block("Its terms of service prohibit political campaigning.")
    assert not form.fits(said_again, said_again)
    assert form.fits(cause, cause)
    other = answer_form("why did anthropic cut off the trump campaign")
    assert other is not None and other.fits(said_again, said_again)
    argued = answer_form("why does anthropic argue that campaign messages at scale are a risk")
    said = sentence_block("Anthropic argues that this scale leads to misinformation.")
    assert argued is not None and argued.fits(said, said)  # a phrase: a cause however asked


def test_a_heading_line_not_set_apart_ends_a_block() -> None:
    """ "How other platforms handle this" says "this" but names what follows: the block of
    the sentence before it stops there; a sentence referring back joins it."""
    heading = "How other platforms handle this"
    for line, joins in ((heading, False), ("They also publish how they do this.", True)):
        text = f"You can report harmful outputs at usersafety@anthropic.com.\n{line}\nMore.\n"
        document = Document(source="a.md", title="Doc", text=text, content_hash="h")
        passage = sentence_block(text).lead.passage
        block = grow_block(Candidate(passage, Outline(document), 0), 4, [])
        assert block.indices == ([0, 1] if joins else [0]), line


def test_slang_and_views_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was declined or led by another sentence (tests/data/corpus_staff12.jsonl, staff3,
    staff5)."""
    reason = short_said(corpus_assistant, "why'd trump stop calling anthropic a natsec threat")
    assert "responsible" in reason, reason
    email = answered(corpus_assistant, "what's the email to report a bad or wrong claude answer")
    assert email.short_answer is not None
    assert email.short_answer.text == "usersafety@anthropic.com"
    assert "How other platforms" not in email.answer, email.answer
    everybody = answered(
        corpus_assistant, "is the ban on political use just aimed at trump or does it hit everybody"
    )
    assert "ban everyone" in everybody.answer, everybody.answer
    nah = answered(corpus_assistant, "is conductatlas actually affiliated with anthropic or nah")
    assert nah.short_answer is not None and nah.short_answer.text.startswith("No"), nah.answer


def test_why_questions_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """The writer's view is argued, not caused: the irony passage leads, not the terms of
    service; "ban" asked about is no cause ("Because Anthropic didn't just ban Trump" was
    the short answer)."""
    ironic = answered(
        corpus_assistant, "why does the writer think anthropic's political ban is kind of ironic"
    )
    lead = ironic.answer.split("[1]")[1] if ironic.answer.count("[1]") > 1 else ironic.answer
    assert "fewer guardrails" in lead, ironic.answer
    assert "terms of service" not in ironic.answer, ironic.answer
    banned = corpus_assistant.ask("why did anthropic ban the trump campaign")
    short = banned.short_answer.text if banned.short_answer else ""
    assert not short.startswith("Because Anthropic didn't just ban"), banned.answer
