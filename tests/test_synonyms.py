"""A question word no retrieved passage holds is also found as a plain synonym ("spot" as
"caught", "danger" as "threat"), and "which platform/site" asks where something was posted.
Unit checks, then the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.kinds import VENUES
from rag.questions import classify
from rag.synonyms import synonyms
from rag.text import terms
from tests.conftest import answered, short_said


def test_synonyms_are_stemmed_groups_without_the_word_itself() -> None:
    (danger,) = terms("danger")
    assert set(terms("threat risk")) <= synonyms(danger) and danger not in synonyms(danger)
    assert synonyms(terms("ceo")[0]) == frozenset(terms("boss"))  # not "chief" (of staff ...)
    assert synonyms("zzz") == frozenset()
    assert set(terms("violation breach")) <= synonyms(terms("break")[0])
    assert set(terms("emphasised")) <= synonyms(terms("emphasized")[0])  # British spelling


def test_a_synonym_answers_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was declined or led by another sentence: "spot"/"caught", "tell"/"report",
    "statute"/"law" with "hostile"/"adversaries"."""
    spotted = answered(corpus_assistant, "how did anthropic spot the campaign using claude?")
    assert "automated systems" in spotted.answer
    statute = answered(
        corpus_assistant,
        "Which statute gives the White House power over transactions with hostile foreign states?",
    )
    assert "Emergency Economic Powers" in statute.answer or "IEEPA" in statute.answer
    # "break" the policy: "violations can result in your account being throttled ..."
    earlier = ["what does anthropic's usage policy say about elections"]
    broken = corpus_assistant.ask("what happens if you break it", earlier).short_answer
    assert broken is not None and "throttled, suspended" in broken.text, broken


def test_a_synonym_of_a_word_written_elsewhere_is_evidence(corpus_assistant: Assistant) -> None:
    """ "jobs" is written ("Leftwing nut jobs"), so "tasks" ranks nothing for it; but the
    sentence saying "tasks" is evidence for it at a share of its weight: this was declined
    at 0.384 (tests/data/corpus_staff7.jsonl s7_02)."""
    answer = answered(
        corpus_assistant,
        "What sort of jobs did Trump's campaign people want the chatbot to handle?",
    )
    assert "high-volume tasks" in answer.citations[0].quote, answer.answer  # led by it (its
    # examples, "personalized fundraising emails, ...", are the short answer)


def test_a_synonym_of_another_sense_is_not_taken(corpus_assistant: Assistant) -> None:
    """ "chief financial officer": no chief executive answers it; "a harmful answer": not
    "policy responses" (a response is as often a reaction), the sentence on reporting one."""
    answer = corpus_assistant.ask("Who is Anthropic's chief financial officer?")
    assert answer.short_answer is None or "Amodei" not in answer.short_answer.text
    answer = answered(corpus_assistant, "where do i email to report a harmful answer from claude")
    assert "usersafety@anthropic.com" in answer.citations[0].quote


def test_which_platform_asks_where_it_was_posted(corpus_assistant: Assistant) -> None:
    assert classify("which platform did trump post on").labels == VENUES
    said = short_said(corpus_assistant, "what site did trump use to announce the ban")
    assert said == "Truth Social"


def test_the_fifth_staff_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff5.jsonl: 48 facts of corpus/ and 12 on-topic questions it does
    not answer, written from corpus/ alone by a helper who never ran the engine. Main at
    54ac8fd: 6 answerable declined; now 4."""
    rows = load_questions("tests/data/corpus_staff5.jsonl")
    declined = [r.id for r in rows if r.answerable and corpus_assistant.ask(r.question).abstained]
    assert len(declined) <= 4, declined
