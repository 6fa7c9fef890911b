"""Staff ways of asking met in the blind sets of session 26 (paraphrase11 and 12,
conversations13 and 14): a follow-up complete on its own ("and when did the talks about the
next model kick off?") is asked alone when the earlier turns' words drown it; "why the
change of heart?" asks the previous question's event why; a preamble ("for the board pack
- can you confirm ...") is no part of the question; "how's X taking Y" asks how X reacted;
"any numbers on where ..." asks where; "what do you get if ..." what is included; "where's
that story from" the page's source; "when did the story go up" its date; "do they say when
...?" and "what's the exact date ...?" ask when; a second search through a bridge never
answers with a name the question already says; "where did X announce it" is answered by
the platform named two sentences on; "how did X go?" led by a timeline row by the next row,
"in which month ...?" by the row dating the lead; a page named by its byline is no topic;
"who ... and when ...?" is answered part by part; "remains unverified" says no to
"confirmed?"; "who's the expert who ..." is answered by the person the sentence calls an
expert; "the main subjects" asks for a list; "pointless" is "unnecessary". Unit checks,
then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.answer import Draft
from rag.asides import without_asides
from rag.assistant import Assistant
from rag.bridges import answer_via_bridge
from rag.conversation import leans_back, rule_based
from rag.forms import asks_sources
from rag.page_facts import PageFact, asked_fact
from rag.questions import Kind, classify
from rag.shorthand import without_preamble
from rag.two_part import joined, two_questions
from rag.types import Citation, Passage, ShortAnswer


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("how's team trump taking the claude ban", "how did team trump react to the claude ban"),
        ("how are they taking it", "how did they react to it"),
        ("how is the pentagon taking anthropic's refusal?", "how did the pentagon react to"),
        ("any numbers on where ppl care about this most", "where ppl care about this most"),
        ("what do you get if you pay for their monitoring", "what is included if you pay"),
    ],
)
def test_how_someone_takes_it_and_the_numbers_on_it_are_read_as_pages_say_them(
    typed: str, read: str
) -> None:
    assert read in without_asides(typed)


@pytest.mark.parametrize(
    "typed", ["how did trump take over the company", "how long did it take", "how does it take"]
)
def test_taking_over_or_taking_time_is_no_reaction(typed: str) -> None:
    assert "react" not in without_asides(typed)


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("and when did the talks about the next model kick off", False),
        ("which law lets the president restrict foreign tech", False),
        ("which judge ruled on it", True),
        ("how'd that go for them", True),
        ("who else signed the letter", True),
        ("what about the same rules for openai", True),
        ("did he say why", True),
        ("how do i flag a bad response then?", False),  # "in that case"
        ("what did they do then?", True),
    ],
)
def test_a_follow_up_leans_back_on_a_pronoun_or_a_pointing_word(question: str, leans: bool) -> None:
    assert leans_back(question) is leans


def test_where_the_story_is_from_asks_for_its_source() -> None:
    assert asks_sources("where's that story from?")
    assert asks_sources("where's the story on trump's reversal from")
    assert asks_sources("where did that article come from and when was it updated")
    assert not asks_sources("where is anthropic from")
    assert not asks_sources("where did the story say the raid came from")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("do they say when those hearings are scheduled", Kind.WHEN),
        ("does the article say who led the raid", Kind.WHO),
        ("does it mention where the talks took place", Kind.WHERE),
        ("did they say anything about it", Kind.YES_NO),
    ],
)
def test_do_they_say_when_asks_when(question: str, kind: Kind) -> None:
    """It was read as a yes/no question and answered "Yes: ... upcoming congressional
    hearings ...", which name no date."""
    assert classify(question).kind is kind


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("for the board pack - can you confirm how long agencies get?", "how long agencies get?"),
        ("quick sanity check: what's the exact date", "what's the exact date"),
        (
            "quick q for the brief: has the pentagon named a vendor",
            "has the pentagon named a vendor",
        ),
        ("for the exec summary - who wrote the piece", "who wrote the piece"),
        ("quick check for the timeline slide: in which month", "in which month"),
        ("for the trump campaign, what did anthropic do", "for the trump campaign, what did"),
        ("can you confirm that anthropic signed", "can you confirm that anthropic signed"),
    ],
)
def test_a_preamble_is_no_part_of_the_question(typed: str, asked: str) -> None:
    """What a note or slide the answer is for was searched as topic words ("board",
    "pack"), and pulled the evidence under the bar."""
    assert without_preamble(typed).startswith(asked)


def test_shapes_staff_write_in_other_words() -> None:
    assert (
        classify("what's the exact date anthropic pulled the campaign's access").kind is Kind.WHEN
    )
    assert classify("which specific foreign countries did anthropic cut off").places
    assert asked_fact("when did the ars story about the ban go up?") is PageFact.PUBLISHED
    assert asked_fact("when did prices go up?") is None


def test_why_and_a_noun_asks_the_previous_event_why() -> None:
    earlier = ["has trump stopped calling anthropic a national security threat?"]
    assert rule_based("why the change of heart", earlier) == (
        "Why has trump stopped calling anthropic a national security threat?"
    )
    assert "following up on" in rule_based("why the campaign was blocked", earlier)


def test_and_a_lower_case_name_asks_the_previous_question_of_it() -> None:
    earlier = ["how does openai handle election content?"]
    assert rule_based("and xai?", earlier) == "how does xai handle election content?"
    assert "following up on" in rule_based("and then?", earlier)  # a word, not a name


def test_a_two_part_question_is_split_at_its_second_question_word() -> None:
    assert two_questions("who wrote the piece on the ban, and when was it last updated?") == (
        "who wrote the piece on the ban?",
        "when was it last updated?",
    )
    assert (
        two_questions("what's the difference between the accelerationists and the safetyists")
        is None
    )
    assert two_questions("what's the difference between A and B?") is None
    assert two_questions("who and when?") is None
    assert two_questions("is it true and when did it happen?") is None


def test_two_answers_are_joined_with_the_second_numbered_on() -> None:
    said, other = "Jason wrote it.", "Updated Jun 20, 2026."
    first = Draft(f"{said} [1]", [_citation(said)], False, 0.7, None)
    moved = _citation(other).model_copy(update={"start_char": 40, "end_char": 61})
    second = Draft(f"{other} [1] {said} [2]", [moved, _citation(said).model_copy(update={"n": 2})],
                   False, 0.5, None)  # fmt: skip
    both = joined(first, second)
    assert both.answer == f"{said} [1] {other} [2]"  # not said twice
    assert [c.n for c in both.citations] == [1, 2] and both.support == 0.5


def test_a_second_answer_saying_only_what_the_first_said_adds_nothing() -> None:
    """ "who's Michael Horowitz and why is he quoted?": both parts lead with his quote."""
    said, other = "Some experts call it a clash of vibes.", "“Unnecessary,” says Horowitz."
    first = Draft(f"{said} {other} [1]", [_citation(f"{said} {other}")], False, 0.7, None)
    moved = _citation("Elsewhere.").model_copy(update={"n": 1, "start_char": 90})
    repeated = _citation(other).model_copy(update={"n": 2})
    second = Draft(f"{other} [2] {said} [2] Elsewhere. [1]", [moved, repeated], False, 0.6, None)
    both = joined(first, second)
    assert both.answer == f"{said} {other} [1] Elsewhere. [2]"
    assert [(c.n, c.start_char) for c in both.citations] == [(1, 0), (2, 90)]


def _citation(quote: str) -> Citation:
    return Citation(
        n=1, source="a.txt", title="a", chunk_id="a-0", start_char=0, end_char=len(quote),
        quote=quote,
    )  # fmt: skip


def test_a_second_search_answering_with_a_name_the_question_says_is_dropped() -> None:
    """ "where did trump announce the anthropic ban?" was asked again through "Donald Trump"
    and answered "Anthropic"."""
    lead = "US President Donald Trump announced Friday that agencies must cease using Claude."
    first = Draft(f"{lead} [1]", [_citation(lead)], False, 0.7, None)
    said = "The move came after Anthropic clashed with officials."

    def ask(question: str) -> tuple[list[Passage], Draft]:
        short = ShortAnswer(text="Anthropic", source="a.txt", start_char=22, end_char=31,
                            quote="Anthropic")  # fmt: skip
        return [], Draft(f"{said} [1]", [_citation(said)], False, 0.7, short)

    assert answer_via_bridge("where did trump announce the anthropic ban?", first, ask) is None


def test_a_lone_follow_up_drowned_by_earlier_turns_is_answered(
    corpus_assistant: Assistant,
) -> None:
    history = [
        "did anthropic end up suing over being phased out of govt",
        "how'd that go for them",
        "which judge ruled on it",
    ]
    answer = corpus_assistant.ask("and when did the talks about the next model kick off", history)
    assert not answer.abstained, answer.evidence
    assert answer.short_answer is not None and "April 2026" in answer.short_answer.text
    # (it was found by asking it alone, shown as a search; since session 42 "kick off", written
    # as "start", is also compared in meaning so written, and the turn finds it in context)
    judge = corpus_assistant.ask("which judge ruled on it", history[:2])
    assert judge.abstained  # it leans back: never asked alone
    scheduled = corpus_assistant.ask(
        "do they say when those hearings are scheduled", ["ok so what should we keep an eye on"]
    )
    assert scheduled.abstained, scheduled.answer  # "upcoming congressional hearings": no date


def test_staff_reactions_and_a_story_source_on_the_bundled_corpus(
    corpus_assistant: Assistant,
) -> None:
    reacted = corpus_assistant.ask("how's team trump taking the claude ban")
    assert "censorship" in reacted.answer.split("[2]")[0], reacted.answer
    venue = corpus_assistant.ask("where did trump announce the anthropic ban?")
    assert venue.short_answer is not None and venue.short_answer.text == "Truth Social"
    announced = corpus_assistant.ask("where was the ban announced")  # not "Anthropic"
    assert announced.short_answer is not None and announced.short_answer.text == "Truth Social"
    history = [
        "so trump told all the fed agencies to do what w/ anthropic's ai tools?",
        "do they have to stop right away or is there a grace period",
    ]  # the earlier turns' words keep the post out of the best four
    posted = corpus_assistant.ask("where'd he announce it", history)
    assert posted.short_answer is not None and posted.short_answer.text == "Truth Social"
    both = corpus_assistant.ask(
        "for the exec summary - who wrote the piece about Trump no longer treating Anthropic as"
        " a security risk, and when was it last updated?"
    )
    assert both.short_answer is not None and both.short_answer.text == "Jason"
    assert "Jun 20, 2026" in both.answer and len(both.searches) == 2, both.answer
    expert = corpus_assistant.ask("who's the expert who called the whole fight pointless")
    assert expert.short_answer is not None  # "says Michael Horowitz, an expert on ...": the
    assert expert.short_answer.text == "Michael Horowitz"  # role the question names
    subjects = corpus_assistant.ask(
        "what are the main subjects on the agenda in anthropic's direct talks with the white "
        "house about its next model?"
    )  # a list, as "topics" is
    assert subjects.short_answer is not None
    assert subjects.short_answer.text.startswith("Safety Guardrails for Next Model")
    unverified = corpus_assistant.ask("is trump's reversal confirmed?")  # was "Yes: ... evidence
    assert unverified.short_answer is not None  # confirming ... remains unverified"
    assert unverified.short_answer.text.startswith("No: "), unverified.short_answer.text
    month = corpus_assistant.ask(
        "in which month did anthropic begin talking directly with the administration about its"
        " next model?"
    )  # the prose says no month: the page's timeline row does
    assert month.short_answer is not None and month.short_answer.text == "April 2026"
    compared = corpus_assistant.ask(
        "what's the difference between the accelerationist camp and the safetyist camp, "
        "according to the Maya Price article?"
    )  # "Maya Price" names the page by its byline, which had led
    assert not compared.abstained and "Maya Price" not in compared.answer.split("[1]")[0]
    for outcome in (
        "how did anthropic's legal challenges go",
        "what happened after anthropic filed legal challenges",
    ):  # the timeline's next row: "March 2026 — Court rulings partially favor Anthropic"
        said = corpus_assistant.ask(outcome).short_answer
        assert said is not None and said.text == "Court rulings partially favor Anthropic"
    source = corpus_assistant.ask(
        "where's that story from", ["why did trump stop calling anthropic a natsec threat"]
    )
    assert source.short_answer is not None and "Economic Times" in source.short_answer.text
