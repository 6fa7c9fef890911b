"""Staff ways of asking met in the blind sets of session 37 (paraphrase28 and 29,
conversations30 and 31): "he" after a name typed in lower case ("did trump order ...?" "what
did he call them lol"); "they" after two names joined ("did google and openai get deals
too?"); a quoted title ("what's the section on elections called?"); "the month before" a
month the last answer gave; who a quote is put in the mouth of; the tags, preambles and
shorthand of chat ("..., right?", "diff topic -", "theres", "march '26", "fed govt"); a fine
asked as a sum; a release date; "treated any differently". Unit checks, then the bundled
corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.blocks import _PICTURE
from rag.conversation import rule_based
from rag.insisted import _RELEASE_ASKED
from rag.lexical import Lexicon
from rag.name_calling import called_one
from rag.named import quote_speaker
from rag.names import question_names
from rag.questions import Kind, classify
from rag.referents import referents
from rag.scoring import says_month
from rag.shorthand import without_preamble, written_out
from rag.spans import answer_span
from rag.spelling import corrected
from rag.subjects import asks_name, called
from rag.text import terms
from rag.weights import DIFFERENCE_ASKED, wanted_terms
from tests.conftest import answers_after, sentence_block


def _trump_is_a_person(name: str) -> bool:
    return name == "Trump"


def test_he_stands_for_a_lower_case_subject_the_documents_call_a_person() -> None:
    earlier = ["did trump actually order all fed agencies to stop using anthropic??"]
    found = referents(earlier, person_named=_trump_is_a_person)
    assert found["person"] == "Trump" and found["guessed"] == "Trump"
    assert "person" not in referents(["did anthropic sue the pentagon?"], None, _trump_is_a_person)


def test_a_guessed_referent_names_only_whose_words_are_asked() -> None:
    earlier = ["does trump still think anthropic is a security risk?"]
    said = rule_based("what did he call them lol", earlier, person_named=_trump_is_a_person)
    assert said.startswith("What did Trump call them") and "following up on" in said
    power = rule_based("what law gives him that power?", earlier, person_named=_trump_is_a_person)
    assert power.startswith("What law gives him that power?") and "following up on" in power


def test_they_after_two_names_joined_are_both() -> None:
    found = referents(["Did google and openai get deals too?"])
    assert found["group"].lower() == "google and openai"
    assert "group" not in referents(["Did Anthropic get a deal?"])


def test_what_someone_called_them_is_any_name_a_quote_calls_something() -> None:
    calling = called_one("What did Trump call them lol?")
    assert calling is not None and calling.called == frozenset(
        terms("company firm startup lab outfit")
    )
    named = called_one("what did trump call anthropic?")
    assert named is not None and named.called == frozenset(terms("anthropic"))


_TITLE_LINE = (
    "\"Do Not Compromise Elections or Democratic Processes— Excerpt from Anthropic's API Usage"
    " Policy"
)


def test_a_quoted_title_names_the_section_asked_for() -> None:
    question = "what's the section of anthropic's usage policy quoted on the page called"
    span = called(_TITLE_LINE, frozenset(terms(question)))
    assert span is not None
    assert _TITLE_LINE[span[0] : span[1]] == "Do Not Compromise Elections or Democratic Processes"
    assert (
        called('"Do not do that," he said of the usage policy.', frozenset(terms(question))) is None
    )


def test_the_name_of_which_one_asked_must_be_of_that_one() -> None:
    sentence = "It created several custom models known as Claude Gov for the government."
    assert called(sentence, frozenset(terms("what are the custom models called"))) is not None
    assert called(sentence, frozenset(terms("what's the next model called"))) is None


def test_a_contraction_of_i_is_no_name() -> None:
    names = [name for _, name in question_names("Does it apply if I'm using Claude? I've asked")]
    assert names == ["Claude"]


@pytest.mark.parametrize(
    ("question", "release"),
    [
        ("when is anthropic's next model coming out?", True),
        ("when will the next model be released to the public?", True),
        ("when is it supposed to ship", True),
        ("when did those talks start?", False),
    ],
)
def test_a_release_date_asked(question: str, release: bool) -> None:
    assert bool(_RELEASE_ASKED.search(question)) is release


def test_a_clause_after_a_comma_is_no_apposition() -> None:
    asked = frozenset(terms("what's the usage policy called"))
    assert called("For users of apps built on Claude, the policy applies equally.", asked) is None
    method = frozenset(terms("what's the name of the training method"))
    assert called("They use Constitutional AI, a method that trains models.", method) is not None


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("whats the release date and official name of anthropic's next model", True),
        ("what's the title of the AUP section on elections", True),
        ("what's the release date of the next model", False),
    ],
)
def test_a_name_or_title_asked_among_other_things(question: str, asks: bool) -> None:
    assert asks_name(question) is asks


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("whats the max fine for breaking anthropic's usage policy", True),
        ("what's the fee for the professional tier?", True),
        ("what's the penalty for breaking the aup?", False),  # a suspension is a penalty
        ("what's the fine print of the deal?", False),
    ],
)
def test_a_fine_or_fee_is_a_sum(question: str, money: bool) -> None:
    assert (classify(question).labels == ("MONEY",)) is money


@pytest.mark.parametrize(
    ("question", "unasked"),
    [
        ("which two military uses does anthropic keep refusing?", "keep"),
        ("what does it say ppl should watch next", "people"),
        ("are there sticking points still", "still"),
        ("why do campaigns even want it", "even"),
    ],
)
def test_words_that_only_colour_the_question_are_no_topic(question: str, unasked: str) -> None:
    wanted = wanted_terms(written_out(question), frozenset())
    assert terms(unasked)[0] not in wanted


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("theres an image one too right, what does it say", "there's an image one, what does"),
        ("they banned trump, right?", "they banned trump?"),
        ("is that the right call?", "is that the right call?"),
        ("was anthropic right, what do experts think?", "was anthropic right, what do experts"),
        ("what's anthropic discussing w the admin about", "what topics is anthropic discussing w"),
        ("what is anthropic discussing with the admin?", "what is anthropic discussing with"),
    ],
)
def test_tags_and_ways_of_asking_are_read_as_meant(typed: str, meant: str) -> None:
    assert without_asides(written_out(typed)).startswith(meant)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("per the timeline table, what happened in march '26", "in march 2026"),
        ("did trump ban anthropic from the fed govt??", "from the federal government??"),
        ("i am fed up", "i am fed up"),
    ],
)
def test_shorthand_of_dates_and_the_federal_government(typed: str, meant: str) -> None:
    assert written_out(typed).endswith(meant)


def test_where_someone_landed_on_a_question_is_their_view() -> None:
    plain = without_asides("where did altman land on the anthropic fight")
    assert plain.startswith("what does altman think of")
    assert without_asides("where do things stand now?") == "where do things stand now?"


def test_a_question_framed_by_its_page_is_read_for_its_own_shape() -> None:
    framed = "according to the reversal story, why did trump stop seeing anthropic as a threat"
    assert classify(framed).kind is Kind.REASON


def test_a_quote_is_put_in_its_speakers_mouth() -> None:
    said = sentence_block('"But they are a dangerous weapon to wield," Amodei wrote.')
    found = quote_speaker(frozenset(terms("who said weapon wield")), [said])
    assert found is not None and found[0].text == "Amodei"
    asked = frozenset(terms("what did amodei say"))
    assert quote_speaker(asked, [said]) is None  # the question's own name


def test_a_preamble_changing_the_subject_is_dropped() -> None:
    assert without_preamble("diff topic - who wrote it") == "who wrote it"
    assert without_preamble("new question: who wrote it") == "who wrote it"
    assert without_preamble("the new topic - nothing") == "the new topic - nothing"


def test_contractions_typed_without_apostrophe_are_no_words() -> None:
    assert "there" not in terms(written_out("theres an image one"))
    assert DIFFERENCE_ASKED.search("would the democrats have been treated any differently?")


def test_a_word_typed_whole_is_found_hyphenated() -> None:
    lexicon = Lexicon({term: 1 for term in terms("de platformed hardware")}, chunks=10)
    assert corrected("so they dont get deplatformed", lexicon) == "so they dont get de-platformed"
    assert corrected("the deployment", lexicon) == "the deployment"  # "ployment" is no word held


def test_a_short_answer_is_not_cut_inside_a_phrase() -> None:
    sentence = (
        'Serious operations are building their own hardware stacks to avoid being "de-platformed."'
    )
    span = answer_span(sentence, Kind.OTHER, frozenset(terms("campaigns doing de-platformed")))
    assert span is not None and not sentence[: span[1]].endswith("to avoid")


def test_a_picture_backs_nothing() -> None:
    assert _PICTURE.match("1.  [![Listing image for first story in Most Read](https://x/y.jpg)")
    assert not _PICTURE.match("Anthropic objected to the change [1].")


def test_a_month_of_a_year_is_told_apart() -> None:
    assert says_month("April 2026Direct engagement on next AI model")
    assert not says_month("In April, the talks began.")


def test_the_month_before_the_month_the_last_answer_gave() -> None:
    asked = rule_based(
        "what happened the month before",
        ["When did those talks start?"],
        thing_named=lambda question: "April 2026",
    )
    assert asked == "What happened in March 2026?"


_TALKS = "what's anthropic discussing w the trump admin about its next model"


@pytest.mark.parametrize(
    ("question", "history", "short", "said"),
    [
        (
            "what did he call them lol",
            [
                "did trump actually order all fed agencies to stop using anthropic??",
                "how long do they get to phase it out",
            ],
            "Leftwing nut jobs at Anthropic",
            None,
        ),
        (
            "what's the section of anthropic's usage policy quoted on the conductatlas page"
            " about elections called",
            [],
            "Do Not Compromise Elections or Democratic Processes",
            None,
        ),
        ("what happened the month before", [_TALKS, "when did those talks start"], None, "Court"),
        (
            "were their employees ok with that?",
            ["how big was anthropic's deal w the pentagon", "did google and openai get deals too"],
            None,
            "open letter",
        ),
        (
            "theres an image one too right, what does it say",
            ["how do other ai companies deal w political content, like openai?", "and cohere?"],
            None,
            "generate images",
        ),
        ("what are the sticking points still", [], None, "acceptable risk levels"),
        (
            "diff topic - in the campaign article what are campaigns doing so they dont get"
            " deplatformed",
            [],
            "Serious operations are building their own hardware stacks",
            None,
        ),
        ("would the Democrats have been treated any differently?", [], None, "same digital"),
        (_TALKS, [], None, "Safety Guardrails"),
        (
            "where's the photo of him in that article from",
            [
                "who said autonomous weapons are 'a dangerous weapon to wield'",
                "when did he write that",
            ],
            None,
            "Senate Judiciary",
        ),
        (
            "diff topic, how many comments did the ars piece on the govt ban get",
            [],
            "70 Comments",
            None,
        ),
        (
            "according to the reversal story, why did trump stop seeing anthropic as a natsec"
            " threat",
            [],
            None,
            "foreign access",
        ),
        (
            "sam altman memo to openai staff - where did he land on the anthropic fight",
            [],
            None,
            "red line",
        ),
    ],
)
def test_session_37_questions_are_answered_in_the_corpus(
    corpus_assistant: Assistant,
    question: str,
    history: list[str],
    short: str | None,
    said: str | None,
) -> None:
    answers_after(corpus_assistant, question, history, short, said)


@pytest.mark.parametrize(
    "question",
    [
        "whats the release date and official name of anthropic's next model",
        "whats the max fine for breaking anthropic's usage policy",
        "when is anthropic's next model coming out?",  # a row dates the talks about it
        "what's the next anthropic model called, the one they're discussing with the admin",
    ],
)
def test_session_37_questions_the_pages_do_not_answer_are_declined(
    corpus_assistant: Assistant, question: str
) -> None:
    assert corpus_assistant.ask(question).abstained
