"""Staff wording the engine used to miss: typos ("pentgon"), asides ("in the first place"),
keyword queries ("pentagon deal amount"), a common noun that pages only use inside a name
("departments" beside "Department of Defense"), "A or B" questions, "AT&T", an expert named
by an appositive, "started" for "founded", "met" for "meet", and "he" after a who-question.
Unit checks, then the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.asides import asks_if_failing, without_asides
from rag.assistant import Assistant
from rag.conversation import is_follow_up, standalone
from rag.evaluate import evaluate, load_questions
from rag.lexical import Lexicon
from rag.names import with_acronyms
from rag.questions import Kind, asks_role, classify
from rag.spelling import corrected
from rag.text import terms, without_terms_quoted
from rag.ties import read_question
from rag.types import Document
from tests.conftest import ROOT, answered, short_said

_LEXICON = Lexicon(
    {term: 3 for term in terms("pentagon deal anthropic afraid hegseth campaign")}, chunks=10
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("pentgon deal amount anthropic", "pentagon deal amount anthropic"),
        ("risks anthropic is afriad of", "risks anthropic is afraid of"),
        ("what did Hegsith say", "what did Hegseth say"),  # a name the documents hold
        ("the Ars Technica article", "the Ars Technica article"),  # a name they do not
        ("Pentgon deal", "Pentagon deal"),  # capitalised as the first word: no name
        ("what did the deel say", "what did the deel say"),  # four letters: too short
    ],
)
def test_a_typo_is_read_as_the_word_the_documents_write(typed: str, meant: str) -> None:
    assert corrected(typed, _LEXICON) == meant


def test_asides_and_keyword_queries_are_read_for_what_they_ask() -> None:
    assert without_asides("who started anthropic in the first place?") == ("who started anthropic?")
    assert without_asides("what did they actually do?") == "what did they do?"
    assert classify("pentagon deal amount anthropic").labels == ("MONEY",)
    assert classify("is the pentagon deal worth more than google's?").kind is Kind.YES_NO


def test_a_who_questions_role_is_its_verb_in_every_form() -> None:
    """ "meet" is said "met"; a preposition left at the end ("meet with?") still hangs from
    the verb."""
    asked = read_question("Who did Amodei meet with at the Pentagon?", frozenset())
    assert set(terms("met")) <= asked.role


def test_he_after_a_who_question_is_the_person_it_answered() -> None:
    """Its answer, not a name the question says: "Who did Amodei meet?" then "what did he
    say?" is about whom he met. An answer naming no person leaves "he" as before."""
    earlier = ["Who did Dario Amodei meet with at the Pentagon?"]
    people = {earlier[0]: "Pete Hegseth"}
    assert standalone("What deadline did he set?", earlier, answered=people.get) == (
        "What deadline did Pete Hegseth set?"
    )
    assert standalone("What deadline did he set?", earlier, answered=lambda _: None) == (
        "What deadline did Dario Amodei set?"
    )


def test_staff_wording_is_answered_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was declined or answered without its short answer before."""
    assert short_said(corpus_assistant, "pentgon deal amount anthropic") == "$200 million"
    risks = answered(corpus_assistant, "campaign ai risks anthropic afriad of")
    assert "Deepfakes" in risks.answer
    departments = (
        "How long do government departments get to wind down their use of Anthropic's products?"
    )
    assert "six" in short_said(corpus_assistant, departments).lower()
    assert short_said(corpus_assistant, "who started anthropic in the first place?") == (
        "Former OpenAI executives"
    )
    phone = "which phone company did the trump camp bring up in their argument"
    assert short_said(corpus_assistant, phone) == "AT&T"
    expert = "Which expert called the Anthropic-Pentagon fight unnecessary?"
    assert short_said(corpus_assistant, expert) == "Michael Horowitz"


def test_how_they_did_it_says_the_verb_and_a_word_used_elsewhere_finds_its_synonym(
    corpus_assistant: Assistant,
) -> None:
    """ "how did anthropic catch ...?" is led by what says it "caught" them (not any means);
    "flag" said only of "a stylized US flag" and "Reply" only in "Leave a Reply" are other
    uses, so "flag a harmful reply" also finds "report ... outputs"; "hoping" finds
    "wanted"."""
    caught = answered(corpus_assistant, "how did anthropic even catch the trump team using claude?")
    assert "automated systems and manual reviews caught" in caught.citations[0].quote
    flagged = answered(corpus_assistant, "where do I flag a harmful reply from claude?")
    assert "usersafety@anthropic.com" in flagged.citations[0].quote
    hoped = answered(corpus_assistant, "What was the Trump campaign hoping to use Claude for?")
    assert "fundraising emails" in hoped.answer


def test_an_a_or_b_question_is_not_answered_yes(corpus_assistant: Assistant) -> None:
    question = "was google trends interest in the anthropic story higher in taiwan or california"
    said = short_said(corpus_assistant, question)
    assert not said.startswith("Yes") and "Taiwan" in said
    denied = short_said(
        corpus_assistant,
        "Does the Pentagon currently use AI for fully autonomous weapons or mass surveillance?",
    )
    assert denied.startswith("No")  # neither: a no still answers it


def test_a_follow_up_he_after_a_who_question(corpus_assistant: Assistant) -> None:
    first = corpus_assistant.ask("Who's the CEO of Anthropic?")
    follow_up = corpus_assistant.ask(
        "Who did he meet with at the Pentagon this week?", [first.question]
    )
    assert follow_up.standalone_question == (
        "Who did Dario Amodei meet with at the Pentagon this week?"
    )
    assert follow_up.short_answer is not None and follow_up.short_answer.text == "Pete Hegseth"
    last = corpus_assistant.ask(
        "What deadline did he give them?", [first.question, follow_up.standalone_question]
    )
    assert last.standalone_question is not None and "Pete Hegseth" in last.standalone_question
    assert last.short_answer is not None and last.short_answer.text == "Friday"


def test_the_seventh_staff_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff7.jsonl: 40 facts of corpus/ and 10 on-topic questions it does
    not answer, asked the way busy staff type (synonyms, why/how, yes/no, terse keywords with
    typos), written from corpus/ alone by a helper who never ran the engine; measured before
    anything was tuned on it (0d57462: 27 of 40 right, 5 declined), then used for tuning."""
    rows = load_questions(str(ROOT / "tests" / "data" / "corpus_staff7.jsonl"))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.75 and summary["false_abstention"] <= 0.075, summary


def test_wording_a_failing_and_words_pointing_back_are_read_for_what_they_ask() -> None:
    """ "what wording ..." asks for the words a passage quotes ("what language ..." only of a
    text's wording); "if the talks fall apart" asks what follows a failure; "such a big gap",
    "the same way", "the whole fight" point back to the last turn."""
    assert classify("what wording did the pentagon want put into the contract").quoted
    assert classify("what language did they want in the contract instead?").quoted
    assert classify("what language is the page written in?").labels == ("LANGUAGE", "NORP")
    assert without_asides("if the talks go nowhere what might anthropic do") == (
        "if the talks fail what might anthropic do"
    )
    assert asks_if_failing(without_asides("what if they can't agree?"))
    assert not asks_if_failing("what failed?")
    for question in (
        "why such a big gap?",
        "would the democrats get treated the same way?",
        "what do outside experts make of the whole fight?",
    ):
        assert is_follow_up(question), question
    assert not is_follow_up("what do experts make of the Pentagon fight?")
    assert not is_follow_up("what comparison did the campaign make to argue their point?")
    assert is_follow_up("what were the reasons for their decision?")  # whose: said before
    assert asks_if_failing(without_asides("if the talks go badly what might anthropic do"))
    assert without_asides("was there a heads up first?") == "was there a warning first?"
    assert classify("How much is Anthropic valued at right now?").labels == ("MONEY",)
    assert classify("what did the delay cost them?").labels != ("MONEY",)  # not only money
    assert classify("What term did Sam Altman use for mass surveillance?").quoted
    assert classify("IEEPA stands for what").subject == "IEEPA"


def test_an_acronym_the_page_writes_is_added_after_the_words_it_stands_for() -> None:
    text = "Anthropic's API Usage Policy. Anthropic's AUP directly affects ... said the CEO."
    pages = {"p": Document(source="p", title="p", text=text, content_hash="0")}
    assert with_acronyms("what if someone breaks the acceptable use policy?", pages) == (
        "what if someone breaks the acceptable use policy (AUP)?"
    )
    assert with_acronyms("what about the usage policy?", pages) == "what about the usage policy?"
    assert with_acronyms("can employees opt out?", pages) == "can employees opt out?"  # "CEO":
    # no page spells it out


def test_a_term_in_quotes_states_no_cause() -> None:
    """ "warnings about "policy violations"" mentions violations; it gives no reason."""
    assert without_terms_quoted('warnings about "policy violations," take them') == (
        "warnings about   take them"
    )
    kept = "Trump's aides' plan was banned because it broke “the rules that we all signed”"
    assert without_terms_quoted(kept) == kept


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("what wording did the pentagon want put into the contract", "All lawful use"),
        ("How much was Anthropic's Pentagon deal worth?", "$200 million"),
        ("what does IEEPA stand for?", "International Emergency Economic Powers Act"),
        ("What term did Sam Altman use in his staff memo for mass surveillance?", "Red line"),
        ("What's the email address to report harmful Claude outputs?", "usersafety@anthropic.com"),
    ],
)
def test_session_16_short_answers_on_the_bundled_corpus(
    corpus_assistant: Assistant, question: str, said: str
) -> None:
    """Each was another sentence's words, or none, before."""
    assert short_said(corpus_assistant, question) == said


def test_wording_and_a_failing_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was led by another sentence, declined or answered with a wrong short answer."""
    failing = "If the talks with the administration don't work out, what might Anthropic do?"
    assert "private-sector innovations" in short_said(corpus_assistant, failing)
    broken = "what happens if someone breaks anthropic's acceptable use policy?"
    assert "suspended" in short_said(corpus_assistant, broken)  # the page says "AUP"
    flipped = short_said(corpus_assistant, "why did trump flip on anthropic?")
    assert flipped.startswith("Because") and "foreign access" in flipped
    assert corpus_assistant.ask("How much is Anthropic valued at right now?").abstained
    google = corpus_assistant.ask("How much is Google's Pentagon AI contract worth?")
    assert google.short_answer is None  # "$200 million": Anthropic's, the sentence says
    elsewhere = "So if a campaign gets blocked by Anthropic where do they go instead?"
    short = corpus_assistant.ask(elsewhere).short_answer
    assert short is None or short.text != "AI"  # "AI" is tagged a place now and then
    first = corpus_assistant.ask(
        "how did search interest in trump's reversal on anthropic compare between taiwan and "
        "california?"
    )
    gap = corpus_assistant.ask("why such a big gap?", [first.question])
    assert gap.standalone_question is not None and "taiwan" in gap.standalone_question
    assert "frontline regions" in gap.answer


def test_the_eighth_staff_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff8.jsonl: 40 facts of corpus/ and 10 on-topic questions it does
    not answer, written from corpus/ alone by a helper who never ran the engine; measured
    before anything was tuned on it (957d003: 34 of 40 right, 1 declined), then used for
    tuning."""
    rows = load_questions(str(ROOT / "tests" / "data" / "corpus_staff8.jsonl"))
    summary = evaluate(corpus_assistant, rows)["summary"]
    assert summary["quote_validity"] == 1.0
    assert summary["correct"] >= 0.9 and summary["false_abstention"] <= 0.025, summary


def test_verdicts_read_what_is_denied_and_what_the_no_answered(corpus_assistant: Assistant) -> None:
    """ "you don't just stop using AI" after "If you ... get blocked by Anthropic" denies the
    stopping, not the blocking; "No. ConductAtlas is an independent monitoring service"
    answers whether it is affiliated (no), so "is it independent?" is a yes; a noun ("The
    fight between ...") says no one fought."""
    blocked = corpus_assistant.ask("did anthropic block the trump campaign?").short_answer
    assert blocked is None or not blocked.text.startswith("No")
    assert short_said(corpus_assistant, "Is ConductAtlas independent?").startswith("Yes: ")
    assert short_said(corpus_assistant, "Is ConductAtlas affiliated with Anthropic?").startswith(
        "No: "
    )
    first = corpus_assistant.ask("what did trump tell federal agencies to do about anthropic?")
    fought = corpus_assistant.ask("did anthropic fight it?", [first.question]).short_answer
    assert fought is None or not fought.text.startswith("Yes: The fight")


def test_what_someone_thinks_is_said_in_their_words(corpus_assistant: Assistant) -> None:
    """ "what does X think about ...?" asks for X's own words, like "what did X say ...?"
    (before: Horowitz's job title; "They think the tech should be out there ..." of the
    Accelerationists for Trump)."""
    said = short_said(corpus_assistant, "what does horowitz think about the dispute")
    assert said == "This is such an unnecessary dispute in my opinion", said
    trump = short_said(corpus_assistant, "what did trump think of anthropic")
    assert trump.startswith("The Leftwing nut jobs at Anthropic"), trump


def test_fewer_and_regular_are_read_for_less_and_normal(corpus_assistant: Assistant) -> None:
    """ "less restricted than normal claude": the page says "fewer restrictions than its
    regular ones"."""
    answer = answered(corpus_assistant, "is claude gov less restricted than normal claude")
    assert "fewer restrictions than its regular ones" in answer.answer.split("[1]")[0]


def test_a_question_about_someones_part_asks_what_they_did() -> None:
    roles = ("what's palantir's role in all this", "what part did palantir play")
    assert all(asks_role(question) for question in (*roles, "how is palantir involved?"))
    others = ("what is palantir", "what part of the policy bans campaigning")
    assert not any(asks_role(question) for question in others)


def test_what_part_someone_played_is_the_sentence_saying_what_they_did(
    corpus_assistant: Assistant,
) -> None:
    """ "role" is no topic word: without it the sentences naming Palantir hold the whole
    question (before: declined, evidence 0.32); the short answer is the sentence, whole."""
    said = short_said(corpus_assistant, "what's palantir's role in all this")
    assert said.startswith("After the operation, an employee at Palantir relayed concerns"), said
    assert corpus_assistant.ask("what's microsoft's role in all this").abstained
