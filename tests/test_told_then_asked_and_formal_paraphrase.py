"""Staff ways of asking met in the blind sets of session 28 (paraphrase15 and 16,
conversations17 and 18): a message that tells, then asks ("X said Y. Who said that?") or
asks twice ("wasn't there litigation? how did that turn out?") is one question; "which
company's employee ...?" asks for the company; "co", "pro plan", "telecommunications
carrier", "wait" and "chief executive" are read as pages say them; a formal analyst's
"monetary value", "remuneration", "aggregate sum", "justification", "over what period" and
"what proportion" ask for money, a reason, a length of time and a share; a sum said below
the best sentences ("a $200 million deal" for "the defense contract") is found; "the
Defense Department" owns what "the Pentagon" does; a word the passages say otherwise is
compared in meaning as they say it. Unit checks, then the bundled corpus in a real store."""

from __future__ import annotations

import pytest

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.conversation import rule_based
from rag.messages import asked_after, asked_of_told
from rag.questions import Kind, classify
from rag.referents import names_in
from rag.reworded import reworded
from rag.scoring import says_sum
from rag.shorthand import without_preamble, written_out
from rag.subjects import asks_name


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        (
            "Someone quoted in the coverage said the whole fight was pointless. Who said that?",
            "Who said the whole fight was pointless?",
        ),
        (
            "I heard the deal was worth $100 million. Is that right?",
            "is it true that the deal was worth $100 million?",
        ),
        ("who said that?", None),  # a follow-up: no statement before it
        ("Ok. Who said that?", None),  # too short to tell anything
    ],
)
def test_a_message_that_tells_then_asks_is_one_question(message: str, asked: str | None) -> None:
    assert asked_of_told(message) == asked


def test_a_second_question_leaning_on_the_first_is_asked_of_it() -> None:
    assert asked_after("wasn't there litigation before all this? how did that turn out?") == (
        "how did the litigation turn out?"
    )
    assert asked_after("was there a warning? when was it given?") == "when was the warning given?"
    assert asked_after("Is it true Trump stopped calling it a threat? Why?") == (
        "Why is it that Trump stopped calling it a threat?"
    )
    told = asked_after("The campaign says this is censorship. What's their argument?")
    assert told is not None and told.startswith("What's their argument? (following up on: The")
    assert asked_after("Hi. What did Trump order?") is None  # nothing leans on the greeting
    assert asked_after("Ok thanks, that helps. Who else signed it?") is None  # says nothing
    assert asked_of_told("I read the article. Who wrote it?") is None  # the article's writer
    numbers = "That article cites some Google Trends numbers. What were they?"
    assert asked_after(numbers) is None  # the asking says nothing: the telling is the question
    assert asked_after("who signed the letter? and when?") is None  # both are asked
    assert asked_after("What did Trump order? How long do agencies have?") is None
    assert rule_based("how did that turn out?", ["was there a lawsuit?"]) == (
        "how did the lawsuit turn out?"
    )


def test_a_word_opening_a_sentence_is_no_name() -> None:
    message = (
        "I'm checking a claim that Trump ordered the government to stop using Anthropic's AI."
        " What exactly did he tell agencies?"
    )
    assert names_in(message) == ["Trump", "Anthropic"]
    assert names_in("Why did Trump ban Anthropic?") == ["Trump", "Anthropic"]
    follow_up = rule_based("What were his exact words about the company in that post?", [message])
    assert "about What" not in follow_up


def test_a_bare_owner_asks_the_previous_question_of_that_owner() -> None:
    previous = "Did they get one too? (following up on: how much was Anthropic's deal worth?)"
    assert rule_based("how much was OpenAI's?", [previous]) == "how much was OpenAI's deal worth?"
    assert rule_based("and Google's?", ["how much was Anthropic's deal worth?"]) == (
        "how much was Google's deal worth?"
    )
    kept = rule_based("what is the company's?", ["how much was Anthropic's deal worth?"])
    assert kept.startswith("What is the company's? (following up on")  # no name: no swap


def test_a_name_asked_as_keywords_is_a_name_question() -> None:
    assert asks_name("name of the special govt versions of claude?")
    assert asks_name("what's the Anthropic person's name?")
    assert not asks_name("what did they name as the reason?")


def test_a_role_s_name_asks_who_holds_the_role() -> None:
    assert without_asides("what's the anthropic ceo's name?") == "who is the anthropic ceo?"
    assert without_asides("what's the name of the model?") == "what's the name of the model?"


def test_an_acronym_the_tagger_calls_a_person_is_no_he() -> None:
    rewritten = rule_based("who is he?", ["is anyone saying the Anthropic–DoD spat is overblown?"])
    assert "DoD" not in rewritten.split("(")[0]  # "he" stays, in the previous turn's context
    assert rule_based("what did he say?", ["Why did Dario Amodei meet Hegseth?"]) == (
        "What did Dario Amodei say?"
    )


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("which phone co does the trump camp compare anthropic to", "which phone company does"),
        ("which co's employee passed it on", "which company's employee passed it on"),
        ("how many platforms on the conductatlas pro plan", "the conductatlas professional plan"),
        ("Which telecommunications carrier did they invoke?", "Which phone company did they"),
    ],
)
def test_shorthand_read_as_pages_say_it(typed: str, read: str) -> None:
    assert read in written_out(typed)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("wait whats claude gov", "whats claude gov"),
        ("hang on, who signed the letter?", "who signed the letter?"),
        ("fyi how fast can ai write emails", "how fast can ai write emails"),
        ("so what did he say?", "so what did he say?"),  # "so" marks a follow-up: kept
    ],
)
def test_an_opening_word_is_no_part_of_the_question(typed: str, read: str) -> None:
    assert without_preamble(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("How much was Anthropic's original defense contract worth?", "Anthropic's Pentagon"),
        ("who met Anthropic's chief executive?", "who met Anthropic's CEO?"),
        ("what did it do before terminating the campaign's access?", "before cutting off the"),
        ("were agencies permitted to wind down their use?", "permitted to phase out their use"),
        ("how did the litigation turn out?", "how did the legal challenges turn out?"),
        ("no, I meant the Pentagon story — what does it say?", "the Pentagon story — what"),
        ("what were they actually trying to do with it?", "wanting to use it for"),
        ("What did Anthropic want to do with Claude?", "want to use Claude for"),
        ("how much did the original deal cost compared to the new one?", "the original deal"),
        ("why did they terminate the contract before access was restored?", "terminate the"),
        (
            "that piece about Trump dropping the threat label — did it include any data?",
            "did the piece about Trump dropping the threat label include any data?",
        ),
    ],
)
def test_formal_and_roundabout_wording_read_as_pages_say_it(typed: str, read: str) -> None:
    assert read in without_asides(typed)


@pytest.mark.parametrize(
    ("question", "kind", "labels"),
    [
        ("which company's employee relayed the concerns?", Kind.WHICH, ("ORG",)),
        ("What monetary value was attached to the arrangement?", Kind.AMOUNT, ("MONEY",)),
        ("What remuneration did the chief executive receive?", Kind.WHICH, ("MONEY",)),
        ("What aggregate sum did the department commit to OpenAI?", Kind.WHICH, ("MONEY",)),
        ("What proportion of its use is military planning?", Kind.AMOUNT, ("PERCENT",)),
        ("What justification was offered for the reversal?", Kind.REASON, ()),
        ("What was the stated rationale for the refusal?", Kind.REASON, ()),
        ("Over what period were departments to stop using it?", Kind.WHICH, ("DATE", "TIME")),
        (
            "According to the timeline in the piece on the talks, when did they start?",
            Kind.WHEN,
            ("DATE", "TIME"),
        ),
    ],
)
def test_formal_questions_ask_for_their_kind(
    question: str, kind: Kind, labels: tuple[str, ...]
) -> None:
    shape = classify(question)
    assert shape.kind is kind
    assert shape.labels == labels
    if "period" in question:
        assert shape.only_preferred and shape.prefer is not None  # "six month", not "Friday"


def test_compare_to_is_the_question_s_frame_not_a_word_to_find() -> None:
    shape = classify("what phone company did they compare anthropic to?")
    assert shape.kind is Kind.WHICH and "compar" in shape.shape_words


def test_a_word_the_passages_say_otherwise_is_written_their_way() -> None:
    texts = ["“This is such an unnecessary dispute in my opinion,” says Michael Horowitz."]
    assert reworded("Who said the fight was pointless?", texts) == (
        "Who said the fight was unnecessary?"
    )
    assert reworded("Who said the dispute was unnecessary?", texts) is None  # said as written


def test_a_sum_is_told_by_its_currency_or_its_scale() -> None:
    assert says_sum("through a $200 million deal")
    assert says_sum("a 1.5 billion contract")
    assert not says_sum("several hundred workers signed")


def test_formal_paraphrases_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    contract = corpus_assistant.ask("How much was Anthropic's original defense contract worth?")
    assert contract.short_answer is not None, contract.answer
    assert contract.short_answer.text == "$200 million"
    formal = corpus_assistant.ask(
        "What monetary value was attached to the procurement arrangement that Anthropic"
        " concluded with the Defense Department in the year preceding the dispute?"
    )
    assert formal.short_answer is not None and formal.short_answer.text == "$200 million"
    openai = corpus_assistant.ask(
        "What aggregate sum did the Defense Department commit to OpenAI under the comparable"
        " procurement arrangement?"
    )
    assert openai.abstained, openai.answer  # the $200 million is Anthropic's
    palantir = corpus_assistant.ask(
        "which co's employee passed the anthropic staffer concerns on to military leaders"
    )
    assert palantir.short_answer is not None and palantir.short_answer.text == "Palantir"
    likened = corpus_assistant.ask("which phone co does the trump camp compare anthropic to")
    assert likened.short_answer is not None and likened.short_answer.text == "AT&T"
    telco = corpus_assistant.ask(
        "Which telecommunications carrier did the campaign's representatives invoke by way of"
        " analogy when contesting the refusal?"
    )
    assert telco.short_answer is not None and telco.short_answer.text == "AT&T"
    period = corpus_assistant.ask(
        "Over what period did the President indicate that federal departments would be"
        " permitted to wind down their reliance on Anthropic's artificial intelligence products?"
    )
    assert period.short_answer is not None, period.answer
    assert period.short_answer.text.lower() == "six months"
    share = corpus_assistant.ask(
        "What proportion of Claude Gov usage is attributed to intelligence analysis?"
    )
    assert share.abstained, share.answer  # "one source" is no proportion
    pay = corpus_assistant.ask("What remuneration did Anthropic's chief executive receive?")
    assert pay.abstained, pay.answer
    ceo = corpus_assistant.ask("what's the anthropic ceo's name?")
    assert ceo.short_answer is not None and ceo.short_answer.text == "Dario Amodei"
    gov = corpus_assistant.ask("name of the special govt versions of claude?")
    assert gov.short_answer is not None and gov.short_answer.text == "Claude Gov"
    unnamed = corpus_assistant.ask(
        "what's the Anthropic person's name?", ["who passed the concerns along to the military?"]
    )
    assert unnamed.abstained, unnamed.answer  # the staffer is never named
    openai = corpus_assistant.ask(
        "how much was OpenAI's?", ["how much was Anthropic's Pentagon contract worth?"]
    )
    assert openai.abstained, openai.answer
    platforms = corpus_assistant.ask(
        "how many platforms can u monitor on the conductatlas pro plan"
    )
    assert platforms.short_answer is not None and "10" in platforms.short_answer.text


def test_told_then_asked_and_asked_twice_on_the_bundled_corpus(
    corpus_assistant: Assistant,
) -> None:
    told = corpus_assistant.ask(
        "Someone quoted in the coverage said the whole fight was pointless. Who said that?",
        ["Was that meeting hostile?"],
    )
    assert not told.abstained and "Horowitz" in told.answer, told.answer
    assert told.standalone_question == "Who said the whole fight was pointless?"
    twice = corpus_assistant.ask("wasn't there litigation before all this? how did that turn out?")
    assert twice.short_answer is not None, twice.answer
    assert "partially favor" in twice.short_answer.text
