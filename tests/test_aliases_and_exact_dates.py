"""Staff ways of asking met in the blind sets of session 35 (paraphrase26, conversations28):
an owner under another of its names ("the defense dept contract" for "a $200 million deal
signed with the Pentagon"); a page named by its kind ("the governance tracker page") or its
byline ("the jason write-up"); "spotted" that no "prior notice" says; "what role did he used
to have?"; "on what exact date ...?" that "last year" does not answer; chat shorthand ("n",
"kinda") and idioms ("own up to"); "and the month before?"; a name's stance the pages
never give ("xai's position"). Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import re

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.dates import DAY
from rag.follow_ups import shifted_time
from rag.owners import VIEW_ASKED
from rag.scoped import _title_terms, page_words, without_page
from rag.shorthand import written_out
from rag.synonyms import synonyms
from rag.text import terms


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("the fallout for defense contractors n agencies", "contractors and agencies"),
        ("regulate that kinda thing", "that kind of thing"),
        ("did anthropic own up to complaining", "did anthropic admit complaining"),
    ],
)
def test_shorthand_and_idioms_are_written_out(question: str, written: str) -> None:
    assert written in without_asides(written_out(question))


def test_shorthand_letters_stay_letters_in_capitals_and_formulas() -> None:
    assert "N" in written_out("what does the N stand for?").split()
    for typed in ("the n.y. office", "the n=40 survey", "section 3(n)", "the u.s. deal"):
        assert written_out(typed) == typed


@pytest.mark.parametrize(
    "question",
    ["does anthropic keep its own up to date list?", "companies own up to 10% of the market"],
)
def test_own_up_to_is_an_admission_only_as_a_verb(question: str) -> None:
    assert "admit" not in without_asides(question)


@pytest.mark.parametrize(
    ("question", "view"),
    [
        ("what was xai's public stance on the terms?", True),
        ("and what was xAI's position?", True),
        ("what was xAI's response to the ban?", True),
        ("how long did OpenAI's review take?", False),
        ("What is Anthropic's incident response process?", False),
    ],
)
def test_a_view_is_asked_right_after_its_owner(question: str, view: bool) -> None:
    owner = re.search(r"([A-Za-z]+)['’]s\b", question)
    assert owner is not None and bool(VIEW_ASKED.match(question, owner.end())) is view


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("February 27th", True),
        ("the 3rd of March", True),
        ("Feb 28, 2026", True),
        ("on Friday", True),
        ("last year", False),
        ("2026", False),
        ("3 decades", False),
        ("24/7", False),
    ],
)
def test_a_day_is_a_day(text: str, day: bool) -> None:
    assert bool(DAY.search(text)) is day


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What role did Michael Horowitz used to have?", "who is Michael Horowitz?"),
        ("what job did Michael Horowitz have before?", "who is Michael Horowitz?"),
        ("what role has Palantir had?", None),  # its part in the events
        ("what role did palantir play?", None),  # a part in the events, not a job
    ],
)
def test_a_former_role_asks_who_they_are(question: str, asked: str | None) -> None:
    assert (
        (without_asides(question) == asked) if asked else "who is" not in without_asides(question)
    )


def test_a_page_named_by_two_nouns_is_one_page() -> None:
    question = "per the governance tracker page, what's the fallout for defense contractors?"
    assert page_words(question) == frozenset(terms("governance"))
    assert "tracker" not in without_page(question)


def test_a_title_word_shares_more_than_a_stem() -> None:
    title = "Trump moves to ban Anthropic from the US government"
    assert "govern" not in _title_terms(title, "the governance tracker page")
    assert "govern" in _title_terms(title, "the article on the ban from the government")
    assert "revers" in _title_terms("Trump Reverses Stance", "the reversal story")


def test_synonyms_added_this_session() -> None:
    assert set(terms("consequences")) <= synonyms(terms("fallout")[0])
    assert set(terms("affiliated")) <= synonyms(terms("tied")[0])


@pytest.mark.parametrize(
    ("question", "previous", "asked"),
    [
        ("and the month before?", "what happened in march per the timeline?", "in February per"),
        ("the month after?", "what happened in December 2025?", "in January 2026?"),
        ("what happened the month before?", "what happened in Jan 2026?", "in December 2025?"),
        ("and the year before?", "what did trump do in 2025?", "do in 2024?"),
        ("and the month before?", "what may happen to the deal?", None),  # no month
        ("and the month before?", "what happened to the deal?", None),
        ("and before that?", "what happened in march?", None),
        ("the month before?", "how did the march on washington go?", None),  # no month
        ("the year before?", "how many of the 2000 staff quit in 2025?", "staff quit in 2024"),
        ("and the month before that?", "what happened in Sept 2025?", "in August 2025?"),
    ],
)
def test_a_month_or_year_on_is_the_last_question_then(
    question: str, previous: str, asked: str | None
) -> None:
    shifted = shifted_time(question, previous)
    assert shifted is None if asked is None else shifted is not None and asked in shifted


def test_owners_under_other_names_exact_dates_and_pages_in_the_corpus(
    corpus_assistant: Assistant,
) -> None:
    worth = corpus_assistant.ask("how much was anthropic's defense dept contract worth?")
    assert worth.short_answer is not None and worth.short_answer.text == "$200 million"
    exact = corpus_assistant.ask(
        "on what exact date did trump first call anthropic a national security risk?"
    )
    assert exact.abstained  # "last year" (the Pentagon deal) is no date, nor the deal's
    effect = corpus_assistant.ask(
        "On what date did Anthropic's election-related usage policy provision take effect?"
    )
    assert effect.abstained  # "As the 2026 election cycle approaches" gives no day
    vague = corpus_assistant.ask("when was the pentagon deal signed?")
    assert vague.short_answer is not None and vague.short_answer.text == "Last year"
    cited = corpus_assistant.ask(
        "what news outlet does the jason write-up on trump's anthropic u-turn cite"
    )
    assert cited.short_answer is not None and cited.short_answer.text == "The Economic Times"
    spotted = corpus_assistant.ask(
        "was the campaign's claude usage spotted by software or by humans?"
    )
    assert not spotted.abstained and "prior notice" not in spotted.answer.split("[1]")[0]
    before = corpus_assistant.ask(
        "and the month before?", ["what happened in march per the timeline?"]
    )
    assert before.short_answer is not None
    assert before.short_answer.text == "Federal agencies directed to phase out Claude"
    unsaid = corpus_assistant.ask("what was xai's public stance on the pentagon's contract terms?")
    assert unsaid.abstained  # the pages name xAI once, among those that signed deals
    said = corpus_assistant.ask("what was openai's stance on the pentagon's contract terms?")
    assert not said.abstained and "OpenAI" in said.answer.split("[1]")[0]
    fallout = corpus_assistant.ask(
        "per the governance tracker page, what's the fallout for defense contractors n agencies"
        " relying on claude?"
    )
    assert "must find alternatives" in fallout.answer.split("[1]")[0]
    tied = corpus_assistant.ask("is the conductatlas site tied to anthropic?")
    assert tied.short_answer is not None and tied.short_answer.text.startswith("No")
