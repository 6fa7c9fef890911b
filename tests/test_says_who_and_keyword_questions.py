"""Staff ways of asking met in the blind sets of session 27 (paraphrase13 and 14,
conversations15 and 16): "says who?" asks the previous answer's source; keyword queries
("date anthropic cut off the trump campaign?", "name of the palantir employee who ...")
ask for a date or a person, and are declined when the lead names none; "who ran X?" wants
a person, "who relayed X?" someone the question does not name; a memo preamble with what it
is about ("for a compliance memo I'm drafting on ...:") and "do we know when ..." are no
part of the question; "summarise X in a line" asks what X is, "what's X's view of Y" what
X thinks of it; "how much $$" asks for money, and a sum is searched for among the best
eight sentences; "DoD", "telco", "runway", "row" and "partner" are read as pages say
them; "Trump announced that he was instructing every agency" says who instructed them;
"what reason was given for" asks why; "what ... and is ...?" is answered part by part.
Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up, rule_based
from rag.page_facts import PageFact, asked_fact
from rag.questions import Kind, classify
from rag.shorthand import without_preamble, written_out
from rag.synonyms import synonyms
from rag.text import terms
from rag.two_part import two_questions


@pytest.mark.parametrize("question", ["says who?", "who says so", "and according to whom?"])
def test_says_who_asks_where_the_previous_answer_is_from(question: str) -> None:
    assert is_follow_up(question)
    rewritten = rule_based(question, ["why did trump drop the threat label on anthropic?"])
    assert rewritten.startswith("Where's that story from?")
    assert "why did trump drop the threat label" in rewritten


def test_a_bare_source_question_is_not_read_as_says_who() -> None:
    rewritten = rule_based("source?", ["what's the military using claude gov for"])
    assert not rewritten.startswith("Where's that story from?")  # "a source familiar ..."
    speaker = rule_based("who said that?", ["What did the Pentagon call Anthropic?"])
    assert not speaker.startswith("Where's that story from?")  # the one who said it


def test_what_about_a_place_swaps_the_place_the_previous_question_asks_of() -> None:
    previous = "what was the google trends score for the topic in taiwan"
    assert rule_based("what about japan?", [previous]).endswith("the topic in Japan")
    assert rule_based("and california?", [previous]).endswith("the topic in California")
    assert "in taiwan" in rule_based("and then?", [previous])  # no place
    assert rule_based("what about revenue?", ["how did it grow in europe"]).endswith(
        "— revenue?"  # no place, and no name: as typed
    )
    later = rule_based("and later?", ["what did the pentagon do in response?"])
    assert "in response?" in later and "Later" not in later.split("(")[1]  # no place asked


def test_what_about_a_name_with_a_question_of_it_asks_that_question() -> None:
    rewritten = rule_based(
        "what about openai, what does it ban on the election side", ["where do u report it"]
    )
    assert rewritten.startswith("what does openai ban on the election side? (following up on")
    said = rule_based("What about Sam Altman, what did he say?", ["Who took Anthropic's side?"])
    assert said.startswith("what did Sam Altman say?")
    let = rule_based("what about Google, does it let them use it?", ["what does openai ban?"])
    assert let.startswith("does Google let them use it?")  # the subject only
    swapped = rule_based("What about Cohere, anything more on that?", ["What does OpenAI ban?"])
    assert swapped == "What does Cohere ban?"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("date anthropic cut off the trump campaign?", Kind.WHEN),
        ("exact date trump announced the ban", Kind.WHEN),
        ("name of the palantir employee who passed on the concerns", Kind.WHO),
        ("what was the name of the staffer who raised it?", Kind.WHO),
        ("date of birth of amodei", Kind.OTHER),  # no event's date
        ("what reason was given for him dropping the threat label?", Kind.REASON),
        ("what was the reason given for the change of heart?", Kind.REASON),
        ("openai pentagon deal - how much $$ was it?", Kind.AMOUNT),
    ],
)
def test_keyword_queries_ask_for_their_kind(question: str, kind: Kind) -> None:
    shape = classify(question)
    assert shape.kind is kind
    if "$$" in question:
        assert shape.labels == ("MONEY",)


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        (
            "For a compliance memo I'm drafting on federal procurement exposure: when did it end?",
            "when did it end?",
        ),
        ("For our communications briefing on regional sentiment: how did X compare?", "how did"),
        ("do we know when anthropic began talking to the white house", "when anthropic began"),
        ("any idea who runs it", "who runs it"),
        ("for the deal on the table, what is it worth?", "for the deal on the table"),
        ("for my memo on the Anthropic ban, who signed it?", "for my memo on the Anthropic"),
    ],
)
def test_a_preamble_on_what_the_memo_is_about_is_dropped(typed: str, asked: str) -> None:
    assert without_preamble(typed).startswith(asked)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("summarise horowitz's view of the row in a line", "what does horowitz think of the row"),
        ("explain why anthropic blocked the campaign", "why anthropic blocked the campaign"),
        ("describe the deal with the pentagon briefly", "what was the deal with the pentagon"),
        ("how much runway were agencies given?", "how long were agencies given?"),
        ("did they get any notice before being cut off?", "did they get any warning before"),
    ],
)
def test_summaries_views_and_runways_are_read_as_questions(typed: str, read: str) -> None:
    assert without_asides(typed).startswith(read)


def test_shorthand_and_synonyms_staff_use() -> None:
    assert written_out("how much was anthropic's DoD deal worth") == (
        "how much was anthropic's defense department deal worth"  # no name: no owner
    )
    assert written_out("DoD deal") == "Defense department deal"  # capitalised first
    assert written_out("what telco did they name") == "what phone company did they name"
    assert set(terms("dispute")) <= synonyms("row")
    assert set(terms("affiliated")) <= synonyms("partner")
    assert set(terms("opinion")) <= synonyms("view")


def test_credited_as_author_asks_for_the_writer() -> None:
    assert asked_fact("who is credited as author of the piece on X?") is PageFact.WRITER
    assert asked_fact("who else got a credit on the piece?") is PageFact.CONTRIBUTORS


def test_a_wh_question_and_a_yes_no_question_are_two_parts() -> None:
    assert two_questions("what can an account holder face, and is warning guaranteed?") == (
        "what can an account holder face?",
        "is warning guaranteed?",
    )
    assert two_questions("what is the difference between A and B?") is None
    assert two_questions("who was fired and was later rehired?") is None  # one subject
    assert two_questions("which firms signed and have since withdrawn?") is None


def test_keyword_and_role_questions_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    worth = corpus_assistant.ask("how much was anthropic's DoD deal worth")
    assert worth.short_answer is not None and worth.short_answer.text == "$200 million"
    openai = corpus_assistant.ask("openai pentagon deal - how much $$ was it?")
    assert openai.abstained, openai.answer  # the $200 million is Anthropic's
    undated = corpus_assistant.ask("date anthropic cut off the trump campaign?")
    assert undated.abstained, undated.answer  # the page gives no date
    dated = corpus_assistant.ask("date trump announced the ban?")
    assert dated.short_answer is not None and dated.short_answer.text == "Friday"
    unnamed = corpus_assistant.ask(
        "name of the palantir employee who passed on the anthropic staffer's concerns"
    )
    assert unnamed.abstained, unnamed.answer
    digital = corpus_assistant.ask(
        "who ran the trump campaign's digital ops when claude got blocked"
    )
    assert digital.abstained, digital.answer  # no person: not "If you're running a campaign"
    broke = corpus_assistant.ask("who broke the story that started the fight?")
    assert "Axios reported" in broke.answer, broke.answer  # names one: not declined
    boss = corpus_assistant.ask("who leads anthropic?")
    assert boss.short_answer is not None and boss.short_answer.text == "Dario Amodei"
    ordered = corpus_assistant.ask("who ordered agencies to stop using claude?")
    assert ordered.short_answer is not None  # "Trump announced ... that he was instructing
    assert ordered.short_answer.text == "Donald Trump"  # every federal agency": not Anthropic
    runway = corpus_assistant.ask(
        "For a compliance memo I'm drafting on federal procurement exposure: how much runway"
        " were federal agencies given to stop using Anthropic's tools?"
    )
    assert "six month" in runway.answer.lower(), runway.answer
    view = corpus_assistant.ask("summarise horowitz's view of the row in a line")
    assert view.short_answer is not None
    assert "unnecessary dispute" in view.short_answer.text
    when = corpus_assistant.ask(
        "do we know when anthropic began talking directly to the white house abt its next model"
    )
    assert when.short_answer is not None and when.short_answer.text == "April 2026"
    reason = corpus_assistant.ask(
        "In the report on Trump softening his view of Anthropic, what reason was given for him"
        " dropping the national-security-threat characterization?"
    )
    assert "foreign access" in reason.answer.split("[1]")[0], reason.answer


def test_says_who_is_answered_by_the_page_sources(corpus_assistant: Assistant) -> None:
    history = [
        "did trump drop the natsec threat label on anthropic?",
        "Why did trump drop the natsec threat label on anthropic?",
    ]
    source = corpus_assistant.ask("says who?", history)
    assert source.short_answer is not None
    assert source.short_answer.text == "The Economic Times", source.answer


def test_a_reason_for_a_change_of_heart_is_found_alone_and_after_a_turn(
    corpus_assistant: Assistant,
) -> None:
    """ "change of heart" is the reversal the pages tell of: since session 42 the question
    written so is also compared in meaning, and it is answered alone as after the turn (it
    was declined alone, and answered by leaning on the turn)."""
    history = ["Is it true that Trump no longer considers Anthropic a national security threat?"]
    for earlier in ([], history):
        reason = corpus_assistant.ask("What was the reason given for the change of heart?", earlier)
        assert not reason.abstained and "foreign access" in reason.answer, reason.answer
    writer = corpus_assistant.ask(
        "what does the writer say campaigns that get refused by anthropic will turn to instead"
        " of abandoning AI altogether?"
    )  # the writer is the page's: no speaker a sentence must name
    assert "open-source models" in writer.answer, writer.answer
