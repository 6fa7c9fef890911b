"""Staff ways of asking met in the blind sets of session 36 (paraphrase27, conversations29):
a speaker asked by first name on a page that misspells the surname ("what did dario write
...?", "Amoedi penned"); whose sum a how-much question asks ("how much did the campaign
spend ...?" is not the Pentagon deal's "$200 million"), and sums compared; a denial that is
no doer; "and if they go well?" and "and feb?" asking the last question again; "who wrote
that and when was it updated?"; "lol"; "the company" someone was called; spellings from
across the Atlantic. Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.blocks import Block, grow_block
from rag.clauses import case_asked, says_case
from rag.examples import enumerates, enumeration_asked
from rag.follow_ups import other_condition, shifted_time
from rag.insisted import _SUMS_COMPARED
from rag.lexical import Lexicon
from rag.name_calling import _names_called
from rag.names import with_names_capitalised
from rag.owners import holder_said
from rag.page_questions import page_questions
from rag.said_first import _denies
from rag.scoped import page_words
from rag.speakers import named_in
from rag.spelling import corrected
from rag.text import terms
from rag.ties import sum_holder
from rag.types import ShortAnswer
from rag.weights import wanted_terms
from tests.conftest import sentence_block

_PAGE = "In January, Amoedi penned a blog post. Anthropic's CEO, Dario Amodei, met Pete Hegseth."


def test_a_speaker_is_known_by_the_other_half_of_their_name_and_a_slip() -> None:
    assert named_in(frozenset(terms("dario")), _PAGE) >= set(terms("amodei amoedi"))
    assert named_in(frozenset(terms("hegseth")), _PAGE) >= set(terms("pete"))
    assert named_in(frozenset(terms("amodei")), _PAGE) >= set(terms("dario amoedi"))
    assert named_in(frozenset(terms("dario amodei")), _PAGE) == set(terms("dario amodei"))
    headline = "Trump Orders Agencies To Stop\nTrump Administration said. Amodei Says No"
    assert named_in(frozenset(terms("trump")), headline) == set(terms("trump"))  # no words
    assert named_in(frozenset(terms("amodei")), headline) == set(terms("amodei"))


@pytest.mark.parametrize(
    ("question", "holder"),
    [
        ("how much did the campaign spend on ai tools last cycle?", "campaign"),
        ("how much was anthropic's pentagon contract worth?", "contract"),
        ("how much does palantir charge the pentagon for that access?", "palantir"),
        ("how much is it worth", None),  # a pronoun: whose is the earlier turn's
        ("what was the value of the contract", None),  # a word for the sum itself
    ],
)
def test_whose_sum_is_asked(question: str, holder: str | None) -> None:
    found = sum_holder(question)
    assert (not found) if holder is None else set(terms(holder)) <= found


@pytest.mark.parametrize(
    ("question", "previous", "asked"),
    [
        (
            "and if they go well?",
            "If the talks between Anthropic and the administration leave issues unresolved,"
            " what might Anthropic do?",
            "If the talks between Anthropic and the administration go well, what might",
        ),
        ("but what if it fails?", "If the deal holds, who gains?", "If the deal fails, who"),
        ("and if they go well?", "what might Anthropic do next?", None),  # no case to replace
    ],
)
def test_another_case_asks_the_last_question_again(
    question: str, previous: str, asked: str | None
) -> None:
    again = other_condition(question, previous)
    assert again is None if asked is None else again is not None and again.startswith(asked)


def test_a_case_asked_is_what_its_clause_says_of_its_subject() -> None:
    case = case_asked("If the talks succeed, what might Anthropic do?")  # "go well", written out
    assert set(terms("succeed positive")) <= case and not case & set(terms("talks"))
    assert case_asked("what might Anthropic do?") == frozenset()


@pytest.mark.parametrize(
    ("question", "previous", "asked"),
    [
        ("and feb?", "what happened in march per the timeline", "in February per the timeline"),
        ("and in april?", "what happened in march 2026?", "in April 2026?"),
        ("what about june 2025?", "what happened in march 2026?", "in June 2025?"),
        ("and feb?", "what happened on the march?", None),  # no month after a preposition
    ],
)
def test_another_month_asks_the_last_question_then(
    question: str, previous: str, asked: str | None
) -> None:
    again = shifted_time(question, previous)
    assert again is None if asked is None else again is not None and again.endswith(asked)


def test_two_page_facts_are_asked_one_by_one() -> None:
    assert page_questions("who wrote that and when was it updated") == [
        "Who wrote it?",
        "When was it updated?",
    ]
    assert page_questions("who wrote it and when?")[1] == "When is it from?"


def test_chat_words_are_no_topic() -> None:
    assert "lol" not in wanted_terms("what did he call the company in that post lol", frozenset())


def test_names_and_page_phrases_read_as_typed() -> None:
    assert "Amodei" in with_names_capitalised("what did amodei write in january?")
    assert with_names_capitalised("What did Amodei write?") == "What did Amodei write?"
    named = page_words("How does the Tech Frontline article on Trump's reversal describe it?")
    assert "describ" not in named and set(terms("frontline reversal")) <= named


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("who gets hit on the defence side?", "who gets hit on the defense side?"),
        ("the organization behind it", "the organisation behind it"),  # the pages' spelling
        ("the centre of the fight", "the centre of the fight"),  # no page says "center"
        ("why are halucinations a worry?", "why are hallucinations a worry?"),  # a plural
    ],
)
def test_a_word_is_read_as_the_documents_spell_it(typed: str, meant: str) -> None:
    held = terms("defense organisation hallucinations fight")
    assert corrected(typed, Lexicon({term: 2 for term in held}, chunks=10)) == meant


def test_two_things_asked_are_counted() -> None:
    assert enumeration_asked("what were the two uses anthropic refused to allow?") == "two"
    assert enumeration_asked("what uses did anthropic refuse?") is None


@pytest.mark.parametrize(
    ("question", "compares"),
    [
        ("was google's deal as much as anthropic's?", True),
        ("did google and openai get the same amount for theirs?", True),
        ("did they pay as much as anthropic?", True),
        ("does the pentagon rely on claude as much as on gpt?", False),
        ("did openai face the same amount of criticism?", False),
    ],
)
def test_sums_compared(question: str, compares: bool) -> None:
    assert bool(_SUMS_COMPARED.search(question)) is compares


@pytest.mark.parametrize(
    ("sentence", "question", "denies"),
    [
        ("Anthropic has denied ever raising concerns.", "who raised concerns?", True),
        ("OpenAI denies that it signed the deal.", "who signed the deal?", True),
        ("The Pentagon denied access to the files.", "who had access?", False),
        ("Anthropic has denied ever raising concerns.", "who relayed the worries?", False),
    ],
)
def test_a_denial_of_the_asked_deed(sentence: str, question: str, denies: bool) -> None:
    assert _denies(sentence, frozenset(terms(question))) is denies


def test_the_company_called_is_a_name_the_quote_calls_something() -> None:
    company = frozenset(terms("company"))
    assert _names_called("The Leftwing nut jobs at Anthropic have made a MISTAKE", company)
    assert not _names_called("Anthropic vs Trump", company)
    assert not _names_called("the head of Anthropic", frozenset())  # nothing asked: no name


def test_two_things_are_two_in_parallel_not_a_series_of_three() -> None:
    pair = sentence_block("It could allow AI to be used to control weapons or to conduct spying.")
    series = sentence_block("Google, OpenAI, and xAI signed similar deals.")
    moved = sentence_block("Silicon Valley has gone from avoiding defense work to embracing it.")
    assert enumerates(pair, "two") and not enumerates(series, "two")
    assert enumerates(series, "three") and not enumerates(moved, "two")


def test_a_case_is_said_by_the_lead() -> None:
    case = case_asked("If the talks succeed, what might Anthropic do?")
    assert says_case(sentence_block("Positive outcomes might ease restrictions."), case)
    assert not says_case(sentence_block("The engagement could shape the next model."), case)


def _sum_block(text: str) -> tuple[Block, ShortAnswer]:
    block = sentence_block(text)
    start = text.index("$")
    end = text.index(" ", start + 5)
    short = ShortAnswer(
        text=text[start:end], source="a.md", start_char=start, end_char=end, quote=text[start:end]
    )
    return block, short


def test_a_sum_is_the_asked_holders_or_names_no_other() -> None:
    deal, sum_of_deal = _sum_block("Microsoft paid OpenAI $200 million for the deal.")
    assert not holder_said("how much did the campaign spend on ai tools?", deal, sum_of_deal)
    assert holder_said("how much was microsoft's openai contract worth?", deal, sum_of_deal)
    plan, price = _sum_block("The plan costs $20 million a year to run.")
    assert holder_said("how much do users pay for the plan?", plan, price)  # no other name


def test_a_quote_paragraph_after_a_reported_view_joins_the_leading_block() -> None:
    text = (
        "In January, Amoedi penned a blog post about the dangers of autonomous weapons.\n\n"
        "\u201cThese weapons also have legitimate uses,\u201d Amodei wrote.\n\n"
        "\u201cWe will not be bullied,\u201d Trump said."
    )
    lead = sentence_block(text).lead
    assert grow_block(lead, 4, []).indices == [0, 1]  # one quote paragraph, not every one
    other = sentence_block("Another page.")
    assert grow_block(lead, 4, [other]).indices == [0]  # a later block takes none: it would
    # crowd out the next block's answer


_ASKED = "what did dario write in his january essay abt autonomous weapons"
_UNRESOLVED = (
    "If the talks between Anthropic and the administration leave issues unresolved,"
    " what might Anthropic do?"
)


@pytest.mark.parametrize(
    ("question", "history", "short", "lead"),
    [
        (_ASKED, [], "These weapons also have legitimate uses in the defense of democracy", None),
        ("how much was anthropic's pentagon contract worth?", [], "$200 million", None),
        (
            "who wrote that explainer on why claude got pulled from the trump campaign",
            [],
            "Maya Price",
            None,
        ),
        ("and if they go well?", [_UNRESOLVED], None, "ease previous restrictions"),
        ("whats still in the way?", [], None, "Challenges persist"),
        (
            "what were the two uses anthropic refused to allow in its deal?",
            [],
            None,
            "mass surveillance",
        ),
        (
            "what did he call the company in that post lol",
            ["What did Trump order federal agencies to do about Anthropic's AI tools?"],
            "Leftwing nut jobs at Anthropic",
            None,
        ),
        (
            "and feb?",
            ["what happened in march per the timeline"],
            "Federal agencies directed to phase out Claude",
            None,
        ),
    ],
)
def test_session_36_questions_are_answered_in_the_corpus(
    corpus_assistant: Assistant,
    question: str,
    history: list[str],
    short: str | None,
    lead: str | None,
) -> None:
    answer = corpus_assistant.ask(question, history)
    assert not answer.abstained, question
    if short is not None:
        assert answer.short_answer is not None and answer.short_answer.text == short
    if lead is not None:
        assert lead in answer.answer.split("[2]")[0]  # the short answer and its block


@pytest.mark.parametrize(
    "question",
    [
        "how much did the campaign spend on ai tools last cycle?",  # the Pentagon deal's sum
        "was google's deal as much as anthropic's?",  # "signed similar deals": no sum
        "when exactly did anthropic add the election/campaigning ban to its usage policy",
        "how much does palantir charge the pentagon for that access?",
    ],
)
def test_session_36_questions_the_pages_do_not_answer_are_declined(
    corpus_assistant: Assistant, question: str
) -> None:
    assert corpus_assistant.ask(question).abstained
