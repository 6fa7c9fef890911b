"""Staff ways of asking met in the blind sets of session 43 (paraphrase50 to 52,
conversations52 to 54): "what outlet is that article citing", "whats the source for this",
"what's the sourcing on ..." (the page's sources); "who's the author btw" (its writer); "...?
need one line" and "..., one line" (how long an answer to give); "...? customer saw it in a
headline"; "whats the deal with X, why ...?" (the question after it); "Q1? and Q2" (two
questions); "how long ... supposed to last" (no page need say "last"); a heading the question
says every word of, answered by its section; "kicks a campaign off claude", "take that to
court", "self-defeating", "set them a deadline", "what's his main argument", "go after them",
"side with", "hit our access", "nat-sec"; a denial of "the military" said of the Pentagon.
Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.forms import asks_sources
from rag.page_facts import PageFact, asked_fact
from rag.questions import classify
from rag.shorthand import without_preamble, written_out
from rag.two_part import two_questions
from rag.weights import wanted_terms
from tests.conftest import answers_after, asked_after


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("why'd trump stop calling anthropic a threat? need one line",
         "why'd trump stop calling anthropic a threat?"),
        ("whats anthropic's worry, one line", "whats anthropic's worry?"),
        ("what is the deal worth? short version pls", "what is the deal worth?"),
        ("what did they say - in a sentence", "what did they say?"),
        ("what are the government versions called? customer saw it in a headline",
         "what are the government versions called?"),
        ("is it legal? my boss asked me", "is it legal?"),
        ("whats the deal with trump and anthropic, why did he go after them?",
         "trump and anthropic, why did he go after them?"),
        ("whats the deal with claude gov?", "whats the deal with claude gov?"),
        ("what's the deal with the pentagon, how much was it worth?",
         "what's the deal with the pentagon, how much was it worth?"),  # a contract
        ("is it legal? i read that anthropic sued", "is it legal? i read that anthropic sued"),
        ("is it legal? what did they say - in a sentence", "is it legal? what did they say?"),
        # what stays: a line asked about, a claim to check, a second question
        ("who is on the line?", "who is on the line?"),
        ("is the new line drawn in one sentence", "is the new line drawn in one sentence"),
        ("who runs it? i heard it was amodei", "who runs it? i heard it was amodei"),
        ("is it legal? someone asked, and who decides?",
         "is it legal? someone asked, and who decides?"),
    ],
)  # fmt: skip
def test_notes_on_the_answer_wanted_are_no_part_of_the_question(typed: str, meant: str) -> None:
    assert without_preamble(typed) == meant


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("what outlet is that article citing", True),
        ("what outlet did it lean on as its source?", True),
        ("whats the source for this", True),
        ("what's the sourcing on the trump-reversal item?", True),
        ("what's the source of the outage", False),  # not the page's
        ("what outlet published it", False),  # its outlet, not its sources
        ("what sources do campaigns rely on for voter data?", False),  # the world's
    ],
)
def test_sources_asked_in_other_words(question: str, sources: bool) -> None:
    assert asks_sources(question) is sources


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("who's the author btw", PageFact.WRITER),
        ("Who is the reporter?", PageFact.WRITER),
        ("who's the author of the new policy", None),  # a policy's author: its text tells
    ],
)
def test_who_the_author_is_asks_for_the_pages_writer(question: str, fact: PageFact | None) -> None:
    assert asked_fact(question) is fact


def test_a_question_mark_between_two_questions_still_makes_two() -> None:
    asked = "how did they notice? and did they get any heads up before the cutoff"
    assert two_questions(asked) == (
        "how did they notice?",
        "did they get any heads up before the cutoff?",
    )
    assert two_questions("what is it? also who made it") == ("what is it?", "who made it?")
    assert two_questions("who banned them and also why did they do it?") == (
        "who banned them?",
        "why did they do it?",
    )


def test_how_long_it_lasts_asks_no_page_to_say_last() -> None:
    question = "how long was the phase-out supposed to last"
    assert "last" not in wanted_terms(question, classify(question).shape_words)
    assert "last" in wanted_terms("what was the last update", frozenset())


def test_nat_sec_is_national_security() -> None:
    assert written_out("a nat-sec risk? natsec") == "a national security risk? national security"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("if anthropic kicks a political campaign off claude, what do they use instead?",
         "if anthropic blocks a political campaign from claude, what do they use instead?"),
        ("what kicked the fight off in march?", "what started the dispute in march?"),
        ("did anthropic take that to court?", "did anthropic file legal challenges in court?"),
        ("isn't that self-defeating for anthropic?", "isn't that an irony for anthropic?"),
        ("who set them a deadline, and when was it", "who gave them until, and when was it"),
        ("did hegseth set a firm deadline", "did hegseth give until"),
        ("who set the friday deadline?", "who gave until friday?"),
        ("what was the deadline?", "what was the deadline?"),  # asked of the page as typed
        ("what's his main argument", "what does he say"),
        ("what was horowitz's point?", "what did horowitz say?"),
        ("what's their argument", "what's their argument"),  # what "they argue"
        ("what's the point of the ban", "what's the point of the ban"),
        ("why did he go after them?", "why did he move against them?"),
        ("can the vendor's slip-ups still hit our access?",
         "can the vendor's slip-ups still affect our access?"),
        ("did openai side with anthropic?", "did openai agree with anthropic?"),
        # as typed: another sense, or when it was set
        ("what happened to the side with the most votes",
         "what happened to the side with the most votes"),
        ("when did hegseth set the deadline?", "when did hegseth set the deadline?"),
        ("who gave the deadline extension?", "who gave the deadline extension?"),
        ("did hegseth set up a deadline", "did hegseth set up a deadline"),
        ("has the pentagon imposed a deadline", "has the pentagon given until"),
        ("what's his position at the pentagon?", "what's his position at the pentagon?"),
        ("what's his point of view", "what's his point of view"),
        ("who kicks the talks off tomorrow?", "who kicks the talks off tomorrow?"),
    ],
)  # fmt: skip
def test_idioms_of_session_43_are_read_as_the_pages_say_them(typed: str, meant: str) -> None:
    assert without_asides(typed) == meant


@pytest.mark.parametrize(
    "case",
    [
        ("what outlet is that article citing",
         ["where was public interest in the Trump-Anthropic reversal story highest?"],
         "The Economic Times", None),
        ("whats the source for this",
         ["Did Trump really stop calling Anthropic a national security threat?"],
         "The Economic Times", None),
        ("who's the author btw",
         ["What election risks is Anthropic worried about, according to the piece on the "
          "campaign ban?"], "Maya Price", None),
        ("why'd trump stop calling anthropic a national security threat? need one line", [],
         None, "foreign access"),
        ("what are the special government versions of claude called? customer saw it in a "
         "headline", [], "Claude Gov", None),
        ("how did anthropic even notice the trump team was using claude for campaign stuff? and "
         "did they get any heads up before the cutoff", [], None, "warning"),
        ("how long do the agencies get",
         ["What exactly did Trump order federal agencies to do about Anthropic?",
          "when was this?"], "Six months", None),
        ("how do other ai platforms handle political use vs anthropic", [], None, "Cohere"),
        ("customer asked me: if anthropic kicks a political campaign off claude, what do those "
         "campaigns just use instead?", [], "Open-source models", None),
        ("is the military actually using AI for autonomous weapons or domestic surveillance "
         "right now?", [], None, "does not currently use AI"),
        ("did anthropic take that to court?",
         ["How long did Trump give federal agencies to stop using Anthropic?"], None,
         "Legal challenges filed"),
        ("What's being discussed in Anthropic's direct talks with the Trump administration "
         "about its next model?", [], None, "Regulatory Alignment"),
        ("isn't the ban kind of self-defeating for anthropic?", [], None, "irony"),
        ("how long was the phase-out supposed to last", [], "Six months", None),
        ("Why did Trump stop treating Anthropic as a nat-sec risk?", [], None, "foreign access"),
        ("what's the sourcing on the trump-reversal item?", [], "The Economic Times", None),
        ("Did OpenAI side with Anthropic on this or with the Pentagon? Our other LLM contract is "
         "with them", [], None, "red line"),
        ("what regulatory classification for AI firms does the author think the campaign fight "
         "will push into the courts", [], None, "Common Carrier"),
        ("whats the deal with trump and anthropic, why did he go after them?", [], None,
         "military applications"),
        ("who set the friday deadline?", [], "Pete Hegseth", None),
        ("what's his main argument",
         ["is there any expert who thinks this anthropic vs pentagon fight is overblown",
          "who's he"], None, "theoretical use cases"),
        ("any practical advice in there for companies building on ai?",
         ["what legal fight does the author of the campaign ban article expect next"], None,
         "backup model"),
        ("what was anthropic afraid the new pentagon wording would allow?", [], None,
         "autonomous weapons"),  # not "What Anthropic is Afraid Of" (the campaign's risks)
        ("did anthropic go to court over the phase-out order, and how did that turn out?", [],
         None, "partially favor"),
    ],
)  # fmt: skip
def test_session_43_questions_are_answered_in_the_corpus(
    corpus_assistant: Assistant, case: tuple[str, list[str], str | None, str | None]
) -> None:
    answers_after(corpus_assistant, *case)


@pytest.mark.parametrize(
    "question",
    [
        "roughly how much revenue is anthropic expected to lose from the federal phase-out?",
        "how much revenue does anthropic make?",
    ],
)
def test_revenue_no_page_gives_is_declined(corpus_assistant: Assistant, question: str) -> None:
    assert asked_after(corpus_assistant, question, []).abstained


def test_a_timeline_row_said_yes_to_keeps_its_cells_apart(corpus_assistant: Assistant) -> None:
    answer = asked_after(
        corpus_assistant,
        "did anthropic take that to court?",
        ["How long did Trump give federal agencies to stop using Anthropic?"],
    )
    assert answer.short_answer is not None
    assert answer.short_answer.text.startswith("Yes: February 2026 — Federal agencies")
