"""The first screen's suggested questions read as staff would ask them: a headline turned into
its question, a named role or an amount asked about; over the bundled corpus they are
well-formed questions (a question word or auxiliary first, '?' last, no headline capitals),
each gets a direct answer, at most one per document, and the same ones every time."""

from __future__ import annotations

import re
import threading

import pytest

from rag.assistant import Assistant
from rag.suggest import Candidate, answers_it, candidates, questions_about
from rag.types import Document
from ui.service import Service
from ui.suggesting import SUGGESTIONS

OPENERS = ("why", "how", "what", "who", "when", "where", "which", "did", "does", "do", "is")
# "What is the Pentagon?": asking what a name is, as the first version did.
NAME_ONLY = re.compile(r"^(What|Who) (is|was) (the )?[A-Z][\w.-]*( [A-Z][\w.-]*)*\?$")
WAIT_S = 240.0  # the machine is shared: working them out may take a while


def _document(title: str, text: str) -> Document:
    return Document(source="doc.txt", title=title, text=text, content_hash="0" * 64)


def test_a_headline_becomes_the_question_it_answers_in_the_body_s_own_case() -> None:
    title = "Why Anthropic Blocked the Trump Campaign from Using Claude"
    body = (
        f"{title}\n\nThe Trump campaign tried to use Anthropic's AI. Anthropic said no, "
        "using its terms of service. Claude stayed out of the campaign."
    )
    assert questions_about(_document(title, body))[0] == Candidate(
        "Why did Anthropic block the Trump campaign from using Claude?"
    )


def test_a_statement_headline_is_asked_why_with_the_articles_the_body_uses() -> None:
    title = "Anthropic Engages Directly with Trump Administration on Next AI Model"
    body = (
        f"{title}\n\nAnthropic has talked to the Trump administration about its next AI model. "
        "The Trump administration wants safe models."
    )
    assert questions_about(_document(title, body))[0] == Candidate(
        "Why did Anthropic engage directly with the Trump administration on its next AI model?"
    )


def test_a_named_role_and_an_amount_become_who_and_how_much_questions() -> None:
    body = (
        "Anthropic CEO Dario Amodei spoke on Tuesday.\n\n"
        "Anthropic won a $200 million contract from the Pentagon last year."
    )
    found = questions_about(_document("", body))
    assert Candidate("Who is Anthropic's CEO?", "Dario Amodei") in found
    assert Candidate("How much was Anthropic's contract worth?", "$200 million") in found


def test_a_direct_answer_that_only_repeats_the_question_is_not_worth_suggesting(
    corpus_assistant: Assistant,
) -> None:
    heading = Candidate("How do other platforms handle this?")
    assert not answers_it(heading, corpus_assistant.ask(heading.question))
    amount = Candidate("How much was Anthropic's deal with the Pentagon worth?", "$200 million")
    assert answers_it(amount, corpus_assistant.ask(amount.question))
    assert not answers_it(
        amount._replace(expected="$300 million"), corpus_assistant.ask(amount.question)
    )


def _headline_capitals(service: Service, question: str) -> list[str]:
    """The question's capitalised words (after the first) that the corpus, headlines left
    out, writes lower-case at least as often as capitalised after a lower-case word."""
    texts = []
    for info in service.documents():
        document = service.document(info.source)
        texts.append(document.text.replace(document.title, "") if document.title else document.text)
    corpus = "\n".join(texts)
    found = []
    for word in question.rstrip("?").split()[1:]:
        word = re.sub(r"['’]s$", "", word)
        if not word[0].isupper() or word.isupper():
            continue
        named = len(re.findall(rf"(?<=[a-z,] ){re.escape(word)}\b", corpus))
        if len(re.findall(rf"\b{re.escape(word.lower())}\b", corpus)) >= named:
            found.append(word)
    return found


@pytest.fixture(scope="module")
def suggested(corpus_assistant: Assistant) -> list[str]:
    return Service(corpus_assistant).suggestions(wait_s=WAIT_S)


def test_the_bundled_corpus_s_suggestions_are_questions_staff_would_ask(
    corpus_assistant: Assistant, suggested: list[str]
) -> None:
    service = Service(corpus_assistant)
    assert 3 <= len(suggested) <= SUGGESTIONS, suggested
    answered_from = set()
    for question in suggested:
        words = question.rstrip("?").split()
        assert question.endswith("?") and words[0].lower() in OPENERS, question
        assert not _headline_capitals(service, question), question
        assert not NAME_ONLY.match(question), question
        answer = service.answer(question)
        assert not answer.abstained and answer.short_answer is not None, question
        answered_from.add(answer.short_answer.source)
    assert len(answered_from) == len(suggested), "at most one suggestion per document"


def test_the_suggestions_are_the_same_every_time(
    corpus_assistant: Assistant, suggested: list[str]
) -> None:
    again = Service(corpus_assistant).suggestions(wait_s=WAIT_S)
    assert again == suggested
    service = Service(corpus_assistant)
    read = [service.document(info.source) for info in service.documents()]
    assert candidates(read) == candidates(list(reversed(read)))


def test_suggestions_wait_for_every_answer_process_to_start(
    corpus_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With answer processes, the first screen's suggestions are worked out once they have
    all started, not while the first of them takes the first users' questions."""
    started, asked = threading.Event(), threading.Event()

    class StartingPool:
        def wait_started(self, timeout_s: float = 300) -> bool:
            return started.wait(timeout_s)

    service = Service(corpus_assistant, pool=StartingPool())  # type: ignore[arg-type]
    monkeypatch.setattr(service, "suggestions", lambda wait_s=0: asked.set() or [])
    service.prepare_suggestions()
    assert not asked.wait(0.5)
    started.set()
    assert asked.wait(10)
