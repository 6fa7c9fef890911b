"""Follow-up questions become standalone before retrieval; a multi-turn set runs end to end."""

from __future__ import annotations

import json

import pytest

from rag.asides import without_asides
from rag.conversation import is_follow_up, split_context, standalone
from rag.evaluate import evaluate, load_questions
from rag.referents import referents
from tests.conftest import ROOT

CONVERSATIONS = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "conversations.jsonl").read_text().splitlines()
]


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        ("What about Google?", "Who is Anthropic's CEO?", "Who is Google's CEO?"),
        ("and OpenAI?", "Who is Anthropic's CEO?", "Who is OpenAI's CEO?"),
        (
            "and when did that happen?",
            "Why did Trump ban Anthropic?",
            "When did Trump ban Anthropic?",
        ),
        ("Why?", "How did Anthropic respond?", "Why did Anthropic respond?"),
        (
            "When did that happen?",
            "What did Anthropic do after its systems caught the campaign's activity?",
            "When did that happen? (following up on: What did Anthropic do after its systems "
            "caught the campaign's activity?)",
        ),
        (
            "What did he write about?",
            "Who is Anthropic's CEO?",
            "What did he write about? (following up on: Who is Anthropic's CEO?)",
        ),
        ("What did he say?", "Who is Sam Altman?", "What did Sam Altman say?"),
        (
            "What did they say?",
            "Why did the Pentagon pressure Anthropic?",
            "What did the Pentagon say?",
        ),
        (
            "And what did they do next?",
            "Which company's terms of service prohibit political campaigning?",
            "What did they do next? (following up on: Which company's terms of service prohibit "
            "political campaigning?)",
        ),
        (
            "What about Dario Amodei?",
            "What did Sam Altman say about autonomous weapons?",
            "What did Dario Amodei say about autonomous weapons?",
        ),
        (  # a pronoun before the names the question gives: it stands for an earlier one
            "What did he say about the Anthropic-Pentagon fight?",
            "Who is Michael Horowitz?",
            "What did Michael Horowitz say about the Anthropic-Pentagon fight?",
        ),
        ("What did Trump say about his ban?", "Who is Michael Horowitz?", None),  # his: Trump's
        (  # "that" is the last turn's event, though the question names Anthropic
            "How did Anthropic respond to that?",
            "What happened in February 2026?",
            "How did Anthropic respond to that? (following up on: What happened in February 2026?)",
        ),
        ("Who leads Cohere?", "Who is Anthropic's CEO?", None),
        (  # the doer and the thing of the same verb ("use") in the previous question
            "what were they planning to use it for?",
            "Why wouldn't Anthropic let the Trump campaign use Claude?",
            "What were the Trump campaign planning to use Claude for?",
        ),
        (
            "why did they cut them off?",
            "When did Anthropic cut off the Trump campaign?",
            "Why did Anthropic cut the Trump campaign off?",
        ),
        (  # "their" after the question's own subject: no follow-up
            "what comparison did the campaign make to argue their point?",
            "How did the Trump campaign react?",
            None,
        ),
        ("What did Anthropic do in January?", "Who is Anthropic's CEO?", None),
        (  # "him" resolved, "that kind of thing" still leans on the previous question
            "What law gives him power over that kind of thing?",
            "Why did Trump stop treating Anthropic as a national security threat?",
            "What law gives Trump power over that kind of thing? (following up on: Why did"
            " Trump stop treating Anthropic as a national security threat?)",
        ),
    ],
)
def test_rule_based_rewrites(question, previous, expected):
    assert standalone(question, [previous]) == expected


def test_a_pronoun_stands_for_what_agrees_with_it():
    """ "they" after a question about what Trump told federal agencies: the agencies; "he"
    after a question naming no person: the person an earlier question names ("them" is left
    and the question keeps the previous one as its context, as it does for "that")."""
    earlier = ["When did Trump tell federal agencies to stop using Anthropic's AI?"]
    assert standalone("how long do they have to stop?", earlier) == (
        "How long do federal agencies have to stop?"
    )
    earlier.append("Did Anthropic fight it?")
    assert standalone("did he ever stop seeing them as a threat?", earlier) == (
        "Did Trump ever stop seeing them as a threat? (following up on: Did Anthropic fight it?)"
    )
    assert standalone("why did he do that?", earlier) == (  # "that" still leans on it
        "Why did Trump do that? (following up on: Did Anthropic fight it?)"
    )


def test_a_name_the_documents_call_a_person_is_one():
    """The tagger reads a bare "Trump" as an organisation: "they" would be Trump and "he"
    no one. Asked, the documents say he is a person (a fake stands in for them here), so
    "they" are the agencies and "the company" is the other name, Anthropic."""
    earlier = ["Why did Trump order federal agencies to drop Anthropic?"]
    asked: list[str] = []

    def person_named(name: str) -> bool:
        asked.append(name)
        return name == "Trump"

    assert standalone("how long do they have to stop?", earlier, None, None, person_named) == (
        "How long do federal agencies have to stop?"
    )
    earlier.append("How long do federal agencies have to stop?")
    assert standalone("what did he call the company?", earlier, None, None, person_named) == (
        "What did Trump call Anthropic?"
    )
    assert set(asked) <= {"Trump", "Anthropic"}
    # two organisations: "the company" could be either, so it is left to the context
    assert "company" not in referents(["Why did the Pentagon pressure Anthropic?"])
    assert referents(earlier[:1], None, person_named)["company"] == "Anthropic"
    unasked = standalone("how long do they have to stop?", earlier[:1])  # the tagger alone
    assert unasked != "How long do federal agencies have to stop?"


def test_idioms_and_asides_said_as_the_pages_say_them():
    assert without_asides("who else signed deals like that") == "who else signed similar deals"
    for liked in ("Do the Democrats like this decision?", "Is it always like this?"):
        assert without_asides(liked) == liked
    assert without_asides("did they get a heads up before pulling the plug") == (
        "did they get a warning before cutting off access"
    )
    assert without_asides("what could happen if the talks don't resolve things") == (
        "what could happen if the talks fail"
    )


def test_who_else_after_a_deal_lists_the_others(corpus_assistant):
    earlier = [
        "were they the first ai company to work with the military? (following up on: "
        "how much was anthropic's deal with the pentagon worth)"
    ]
    short = corpus_assistant.ask("who else signed deals like that", earlier).short_answer
    assert short is not None and short.text == "Google, OpenAI, and xAI", short


def test_first_turn_is_never_rewritten():
    assert standalone("and what about it?", []) is None
    assert is_follow_up("Why did they do it?") and not is_follow_up("Why did Anthropic do it?")
    assert is_follow_up("why?") and is_follow_up("And when was that?")
    # "his" is the subject's own, the name typed in lower case
    assert not is_follow_up("what did dario amodei write in his january blog post?")
    assert is_follow_up("what did he write in his blog post?")
    assert is_follow_up("Which paper reported his memo?")  # "which paper" is the answer


def test_a_comparison_without_its_other_side_leans_on_the_turn_before():
    """ "treated any differently" than whom? The previous question says."""
    earlier = ["How did Trump's people respond to Anthropic cutting them off?"]
    assert standalone("would the Democrats have been treated any differently?", earlier) == (
        "Would the Democrats have been treated any differently? (following up on: "
        "How did Trump's people respond to Anthropic cutting them off?)"
    )
    assert not is_follow_up("Would the Democrats have been treated differently than Trump?")
    assert not is_follow_up("Do OpenAI and Anthropic treat political campaigns differently?")
    assert not is_follow_up("What do campaigns switch to instead?")


def test_what_about_swaps_a_name_typed_in_lower_case():
    earlier = ["how does openai handle political content in its rules"]
    assert standalone("what about cohere", earlier) == (
        "how does cohere handle political content in its rules"
    )


def test_how_come_after_a_yes_no_question_asks_why_it_happened():
    earlier = ["did trump change his mind about anthropic being a security threat"]
    assert standalone("how come", earlier) == (
        "Why did trump change his mind about anthropic being a security threat"
    )
    assert standalone("when was that?", ["Did Anthropic cut off the campaign?"]) == (
        "When did Anthropic cut off the campaign?"
    )


def test_llm_rewrite_is_used_and_failures_fall_back():
    prompts: list[str] = []

    def llm(prompt: str) -> str:
        prompts.append(prompt)
        return "When did Trump ban Anthropic?\n"

    assert standalone("when was that?", ["Why did Trump ban Anthropic?"], llm) == (
        "When did Trump ban Anthropic?"
    )
    assert "Why did Trump ban Anthropic?" in prompts[0]

    def broken(prompt: str) -> str:
        raise TimeoutError

    assert standalone("when was that?", ["Why did Trump ban Anthropic?"], broken) == (
        "When did Trump ban Anthropic?"
    )
    rewritten = standalone("what did they say?", ["Which company sued?"], broken)
    assert split_context(rewritten or "") == ("What did they say?", "Which company sued?")


def test_the_conversation_set_is_evaluated_turn_by_turn(corpus_assistant):
    """Every turn is asked after the earlier ones of its conversation and scored like a
    single question. Two turns fail today: "What about Dario Amodei?" after Sam Altman's
    words (Altman's sentence still matches best) and "Which law gives him that authority?"
    (nothing names IEEPA as his authority in so many words). The why-question "Why did Trump
    order federal agencies to stop using Anthropic's tools?" (c5/1) is led by its own event's
    cause ("The move comes after ... clashed"), no longer by the campaign ban's."""
    rows = load_questions(str(ROOT / "tests" / "data" / "conversations.jsonl"))
    assert len(rows) == sum(len(c["turns"]) for c in CONVERSATIONS)
    report = evaluate(corpus_assistant, rows)
    summary = report["summary"]
    assert summary["conversation_turns"] == len(rows)
    assert summary["follow_ups_recognised"] == 1.0 and summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.85, [
        (r["id"], r["standalone_question"], r["answer"][:80])
        for r in report["results"]
        if not (r["keywords_present"] and r["gold_source_cited"])
    ]
    second = [r for r in report["results"] if r["turn"] == 2]
    assert all(r["standalone_question"] for r in second)  # each asked as a follow-up


def test_a_second_conversation_set_written_from_the_documents_alone(corpus_assistant):
    """tests/data/conversations2.jsonl: 15 conversations (41 turns, 4 the documents do not
    answer) written by a helper that read only corpus/, used for tuning. A pronoun before the
    names a follow-up gives ("What did he say about the Anthropic-Pentagon fight?") and "...
    respond to that?" now lean on the turn before: 28 of 37 answerable turns answered right
    before, 30 after."""
    rows = load_questions(str(ROOT / "tests" / "data" / "conversations2.jsonl"))
    report = evaluate(corpus_assistant, rows)
    summary = report["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.8, [
        (r["id"], r["standalone_question"], r["answer"][:80])
        for r in report["results"]
        if not (r["keywords_present"] and r["gold_source_cited"])
    ]


def test_a_fourth_conversation_set_written_from_the_documents_alone(corpus_assistant):
    """tests/data/conversations4.jsonl: 14 conversations (42 turns, 3 the documents do not
    answer: pronouns, "and google?", "when did that happen?") written by a helper that read
    only corpus/; measured before tuning (0d57462: 32 of 39 answerable turns right), then
    used for tuning ("he" after "Who's the CEO of Anthropic?" is its answer)."""
    rows = load_questions(str(ROOT / "tests" / "data" / "conversations4.jsonl"))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.8, summary


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        # conversations5: 14 conversations (42 turns, 3 the documents do not answer: "why such
        # a big gap?", "the same way", "what about ..."); measured before tuning (957d003: 26
        # of 39 answerable turns right)
        ("conversations5.jsonl", 0.7),
        # conversations7: 12 conversations (36 turns, 3 the documents do not answer: "how
        # come", "what about cohere", "which judge was it"); measured before tuning (38646ca:
        # 24 of 33 answerable turns right)
        ("conversations7.jsonl", 0.75),
        # conversations8: 12 conversations (36 turns, 3 the documents do not answer);
        # measured before tuning (50577e3: 25 of 33 answerable turns right)
        ("conversations8.jsonl", 0.78),
        # conversations9: 14 conversations (40 turns, 4 the documents do not answer: "what
        # year did that happen", "which judge handled that"); measured before tuning
        # (13248bc: 20 of 36 answerable turns right)
        ("conversations9.jsonl", 0.69),
        # conversations10: 14 conversations (43 turns, 4 the documents do not answer: "what's
        # the new model going to be called"); measured before tuning (05db172, session
        # 24: 23 of 39 answerable turns right)
        ("conversations10.jsonl", 0.64),
        # conversations11: 14 conversations (43 turns, 4 the documents do not answer: "which
        # judge ruled in march"); measured before tuning (a9e4f46, session 25: 20 of 39
        # answerable turns right)
        ("conversations11.jsonl", 0.64),
        # conversations12: 14 conversations (43 turns, 4 unanswerable); kept unread until
        # measured (a9e4f46 and dc5761c, session 25: 28 and 29 of 39 answerable turns right)
        ("conversations12.jsonl", 0.69),
        # conversations13: 14 conversations (48 turns, 4 unanswerable); measured before
        # tuning (d0a2c31, session 26: 34 of 44 answerable turns right)
        ("conversations13.jsonl", 0.8),
        # conversations14: 14 conversations (45 turns, 4 unanswerable); kept unread until
        # measured (session 26's first batch and d0a2c31: 30 of 41 answerable turns right)
        ("conversations14.jsonl", 0.8),
        # conversations15: 14 conversations (48 turns, 8 unanswerable); measured before
        # tuning (b731bd3, session 27: 0.70 of 40 answerable turns right)
        ("conversations15.jsonl", 0.7),
        # conversations16: 14 conversations (48 turns, 8 unanswerable); measured before
        # tuning (b731bd3, session 27: 0.725 of 40 answerable turns right)
        ("conversations16.jsonl", 0.75),
        # conversations17 and 18: 14 conversations each (48 turns, 8 unanswerable); measured
        # before tuning (d6ddc63, session 28: 24 and 24 of 40 answerable turns right)
        ("conversations17.jsonl", 0.625),
        ("conversations18.jsonl", 0.7),
        # conversations19: 14 conversations (48 turns, 8 unanswerable); written during session
        # 28 and run once, after its changes, untuned (21 of 40 answerable turns; 20 at d6ddc63)
        ("conversations19.jsonl", 0.5),
        # conversations20: 14 conversations (48 turns, 6 unanswerable); measured before
        # tuning (b133670, session 29: 32 of 42 answerable turns right)
        ("conversations20.jsonl", 0.88),
        # conversations21: 14 conversations (48 turns, 6 unanswerable); written during session
        # 29 and run once on its near-final code, untuned (25 of 42; the same at b133670)
        ("conversations21.jsonl", 0.55),
        # conversations22: 14 conversations (42 turns, all answerable); written during session
        # 30 and run once at 3184d8c before any change was read (28 of 42), then after them (29)
        ("conversations22.jsonl", 0.66),
        # conversations23 and 24: 14 conversations each (41 and 43 turns, 4 unanswerable each);
        # written during session 31 and run once at d34b933 before any change (32 of 37 and 29
        # of 39 answerable turns right); 24 read in session 32, after which 33 of 39
        ("conversations23.jsonl", 0.83),
        ("conversations24.jsonl", 0.8),
        # conversations25: 14 conversations (49 turns, 6 unanswerable); written during session
        # 32 and run once at fe71009 before any change (31 of 43), then after them (34)
        ("conversations25.jsonl", 0.76),
        # conversations26: 14 conversations (61 turns, 6 unanswerable); written during session
        # 33 and run once at cf40448 before any change (41 of 55), then read (48 of 55)
        ("conversations26.jsonl", 0.85),
        # conversations27: 14 conversations (61 turns, 6 unanswerable); written during session
        # 34 and run once at a552232 before any change (40 of 55), then read (47 of 55)
        ("conversations27.jsonl", 0.83),
        # conversations28: 14 conversations (64 turns, 6 unanswerable); written during session
        # 35 and run once at 5ada78a before any change (38 of 58), then read (42 of 58)
        ("conversations28.jsonl", 0.7),
        # conversations29: 14 conversations (61 turns, 6 unanswerable); written during session
        # 36 and run once at 9afd647 before any change (40 of 55), then read (46 of 55)
        ("conversations29.jsonl", 0.8),
        # conversations30: 14 conversations (61 turns, 6 unanswerable); written during session
        # 37 and run once at 1ffd919 before any change (43 of 55), then read (52 of 55)
        ("conversations30.jsonl", 0.88),
        # conversations31: 14 conversations (62 turns, 6 unanswerable); written during session
        # 37 after its first changes, run once at 1ffd919 (43 of 56) and at those changes (45)
        # before being read, then read (47 of 56)
        ("conversations31.jsonl", 0.78),
        # conversations32: 14 conversations (62 turns, 6 unanswerable); written during session
        # 38 and run once at 091fbed before any change (37 of 56), then read (50 of 56)
        ("conversations32.jsonl", 0.85),
        # conversations33: 14 conversations (61 turns, 6 unanswerable); written during session
        # 38 after its first changes, run once at 091fbed (41 of 55) and at those changes (43)
        # before being read, then read (48 of 55)
        ("conversations33.jsonl", 0.83),
        # conversations34: 14 conversations (60 turns, 6 unanswerable); written during session
        # 38 after its second changes, run once at 091fbed (35 of 54) and at those changes (38)
        # before being read, then read (40 of 54)
        ("conversations34.jsonl", 0.7),
        # conversations35 to 39: 14 conversations each (61, 63, 61, 62 and 63 turns, 6
        # unanswerable each); written during session 39, one in each round of its changes, and
        # run once at 5175881 before any change (40 of 55, 33 of 57, 34 of 55, 36 of 56 and 43
        # of 57 answerable turns right) and, the later four, at the changes made so far (34,
        # 34, 38 and 44), before being read; then read (48, 43, 48, 44 and 44)
        ("conversations35.jsonl", 0.85),
        ("conversations36.jsonl", 0.73),
        ("conversations37.jsonl", 0.85),
        ("conversations38.jsonl", 0.76),
        ("conversations39.jsonl", 0.75),
        # conversations40 to 43: 14 conversations each (61, 64, 60 and 62 turns, 6 unanswerable
        # each); written during session 40, one in each round of its changes, and run once at
        # 46a24e2 before any change (46 of 55, 44 of 58, 36 of 54 and 33 of 56 answerable turns
        # right) and, the later three, at the changes made so far (45, 36 and 36), before being
        # read; then read (52, 53, 42 and 40)
        ("conversations40.jsonl", 0.92),
        ("conversations41.jsonl", 0.89),
        ("conversations42.jsonl", 0.75),
        ("conversations43.jsonl", 0.69),
        # conversations44: 14 conversations (62 turns, 6 unanswerable); written after session
        # 40's changes and not tuned on: 43 of 56 answerable turns at 46a24e2, 46 at its commit
        ("conversations44.jsonl", 0.8),
        # conversations45 to 48: 14 conversations each (61, 62, 60 and 60 turns, 6 unanswerable
        # each); written during session 41, one in each round of its changes, and run once at
        # 70df87f before any change (28 of 55, 40 of 56, 44 of 54 and 34 of 54 answerable turns
        # right) and at the changes made so far (28, 40, 45 and 34), before being read; then
        # read (35, 45, 49 and 42)
        ("conversations45.jsonl", 0.62),
        ("conversations46.jsonl", 0.78),
        ("conversations47.jsonl", 0.88),
        ("conversations48.jsonl", 0.75),
        # conversations49: 14 conversations (62 turns, 6 unanswerable); written during session
        # 41 and not tuned on: 48 of 56 answerable turns at 70df87f, 49 at its commit
        ("conversations49.jsonl", 0.85),
        # conversations50 and 51: 14 conversations each (60 and 61 turns, 6 unanswerable each);
        # written during session 42 and run once at 554e4b2 (40 of 54 and 37 of 55 answerable
        # turns right), the second again at the first changes (38), before being read; then
        # read (46 and 41)
        ("conversations50.jsonl", 0.83),
        ("conversations51.jsonl", 0.72),
        # conversations52: 14 conversations (63 turns, 6 unanswerable); written during session
        # 42 and not tuned on: 38 of 57 answerable turns at 554e4b2 and at its commit; read in
        # session 43 (42)
        ("conversations52.jsonl", 0.71),
        # conversations53 and 54: 14 conversations each (61 turns, 6 unanswerable each);
        # written during session 43 and run once at 6839fbf (41 of 55 and 47 of 55 answerable
        # turns right), the second again at the first changes (47), before being read; then
        # read (46 and 49)
        ("conversations53.jsonl", 0.81),
        ("conversations54.jsonl", 0.86),
        # conversations55: 14 conversations (60 turns, 6 unanswerable); written during session
        # 43 and not tuned on: 33 of 54 answerable turns at 6839fbf and at its commit
        ("conversations55.jsonl", 0.59),
    ],
)
def test_later_conversation_sets_written_from_the_documents_alone(corpus_assistant, name, floor):
    """tests/data/<name>: written by a helper that read only corpus/, measured before
    tuning, then used for tuning."""
    rows = load_questions(str(ROOT / "tests" / "data" / name))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= floor, summary


def test_a_follow_up_leaning_on_its_turn_is_answered_from_the_documents(corpus_assistant):
    """ "that kind of thing" is the previous question's; "fight" said in the documents only
    as a noun ("the fight between ...") is also found as "challenges": "Legal challenges
    filed by Anthropic"."""
    earlier = ["Why did Trump stop treating Anthropic as a national security threat?"]
    law = corpus_assistant.ask("What law gives him power over that kind of thing?", earlier)
    assert law.short_answer is not None
    assert law.short_answer.text == "The International Emergency Economic Powers Act"
    earlier = ["When did Trump tell federal agencies to stop using Anthropic's AI?"]
    fought = corpus_assistant.ask("did Anthropic fight it?", earlier)
    assert "Legal challenges filed by Anthropic" in fought.answer
    earlier = ["Why did Trump order federal agencies to drop Anthropic?"]
    stop = corpus_assistant.ask("how long do they have to stop?", earlier)
    assert stop.standalone_question == "How long do federal agencies have to stop?"
    assert stop.short_answer is not None and stop.short_answer.text == "Six months"


def test_the_earlier_question_is_read_in_its_own_words(corpus_assistant):
    """The words of the question a follow-up leans on count as written, not in synonyms:
    "see" of "what dangers does anthropic see ...?" read as "views" pulled in "differing
    views" and "concerns" over the "larger legal battle" the follow-up asks about."""
    earlier = ["what dangers does anthropic see in using ai for elections?"]
    fight = corpus_assistant.ask("what bigger legal fight could come out of this?", earlier)
    assert '"Common Carrier" status' in fight.answer, fight.answer
