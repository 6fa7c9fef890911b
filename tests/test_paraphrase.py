"""A question worded differently from its passage is still answered: irregular word forms
("wrote" for "written"), a British spelling ("defence" for "defense"), a which-noun the
passage does not repeat ("which engineer"), a synonym ("contract" for "deal"), a plural
name, a word the corpus never uses, a question typed in lower case, "is it true that ...";
and a question on the topic whose answer is not there is still declined. Real store and
embedding model."""

from __future__ import annotations

import pytest

from rag.answer import ABSTAIN_TEXT
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.forms import answer_form
from rag.lemmas import equivalents, is_english
from rag.lexical import Lexicon
from rag.names import missing_name
from rag.questions import Kind, classify
from rag.text import is_everyday, terms
from rag.types import Document
from rag.weights import term_weights
from tests.conftest import answered, assistant_over, sentence_block

PARAGRAPHS = {
    "mill.txt": [
        "The Alder Mill",
        "The history of the Alder Mill was written by the local teacher Ada Finch in 1902.",
        "The mill wheel was designed by Tom Reed, who had built canal locks in Leeds.",
        "In 1911 the town signed a £40,000 deal with Hartley & Sons to rebuild the mill.",
        "The mill closed in 1958 after a fire destroyed the grain store.",
        "Its defense against floods was a stone levee the town council built in 1920.",
    ],
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PARAGRAPHS, tmp_path_factory)


def test_irregular_forms_are_one_word_and_words_of_their_own_stay_apart() -> None:
    assert {"write", "wrote", "written"} <= equivalents(terms("wrote")[0])
    assert {"tell", "told"} <= equivalents(terms("told")[0])
    assert equivalents(terms("found")[0]) == {"found"}  # "found a company", not only "find"
    assert equivalents("anthrop") == {"anthrop"}


def test_a_which_noun_names_the_kind_of_answer_not_a_word_to_find() -> None:
    shape = classify("Which journalist wrote the report on the mill?")
    assert shape.kind is Kind.WHICH and shape.shape_words == set(terms("journalist"))


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("what comparison do campaign lawyers make about phone companies?", "comparison"),
        ("What argument did the campaign make against the ban?", "argument"),
        ("Which warning did the agency give?", "warning"),
    ],
)
def test_a_noun_for_a_thing_said_is_no_word_to_find(question: str, said: str) -> None:
    """A passage makes the comparison ("like a telephone") without calling it one."""
    assert classify(question).shape_words == set(terms(said))


def test_a_comparison_is_answered_though_no_passage_says_comparison(
    corpus_assistant: Assistant,
) -> None:
    answer = answered(
        corpus_assistant, "what comparison do campaign lawyers make about phone companies?"
    )
    assert "AT&T" in answer.answer or "telephone" in answer.answer


def test_a_length_of_time_said_in_other_words_leads_by_meaning(
    corpus_assistant: Assistant,
) -> None:
    """ "wind down their use" shares one word with "a six month phase out period for agencies
    using Anthropic"; that sentence is the closest in meaning and the one naming a length of
    time, so it leads (it was led by a timeline row naming a month)."""
    answer = answered(
        corpus_assistant, "How long do federal offices have to wind down their use of Anthropic?"
    )
    assert answer.short_answer is not None and answer.short_answer.text == "Six months"


def test_an_irregular_form_finds_its_sentence(assistant: Assistant) -> None:
    answer = answered(assistant, "Who wrote the history of the Alder Mill?")
    assert "Ada Finch" in answer.answer


def test_a_british_spelling_finds_the_american_one(assistant: Assistant) -> None:
    assert {"defenc", "defens"} <= equivalents(terms("defence")[0])
    assert {"organis", "organiz"} <= equivalents(terms("organise")[0])
    answer = answered(assistant, "What was the Alder Mill's flood defence?")
    assert "levee" in answer.answer


def test_a_which_noun_the_passage_does_not_repeat(assistant: Assistant) -> None:
    answer = answered(assistant, "Which engineer designed the wheel of the Alder Mill?")
    assert "Tom Reed" in answer.answer


def test_a_synonym_for_the_passage_word(assistant: Assistant) -> None:
    answer = answered(assistant, "How much was the contract to rebuild the mill worth?")
    assert "£40,000" in answer.answer


def test_a_topic_question_without_its_answer_is_still_declined(assistant: Assistant) -> None:
    answer = assistant.ask("What did the mill's owners pay the workers each week?")
    assert answer.abstained and answer.answer == ABSTAIN_TEXT


def test_a_plural_name_is_found_by_its_stem() -> None:
    documents = {
        "a.txt": Document(source="a.txt", title="a", text="American citizens", content_hash="h")
    }
    assert not missing_name("Does it spy on Americans?", documents)
    assert missing_name("Does it spy on Canadians?", documents)


def test_the_synonym_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_synonyms.jsonl: facts of corpus/ asked in other words (written while
    tuning the evidence, unlike the blind tests/data/corpus_paraphrase.jsonl). Main before
    this change: 14 of 30 answerable questions declined; after it 8."""
    rows = load_questions("tests/data/corpus_synonyms.jsonl")
    declined = [r.id for r in rows if r.answerable and corpus_assistant.ask(r.question).abstained]
    assert len(declined) <= 8, declined
    contract = corpus_assistant.ask("How much is Anthropic's Pentagon contract worth?")
    assert contract.short_answer is not None and "$200 million" in contract.short_answer.text


def test_an_unseen_verb_or_adjective_weighs_a_quarter_an_unseen_noun_all() -> None:
    lexicon = Lexicon({"contract": 3, "written": 2, "mill": 4, "town": 4}, chunks=10)
    question = "Did the town sue the mill over the repainting contract he wrote?"
    wanted = terms("town sue mill repainting contract wrote")
    weights = term_weights(wanted, "", lexicon, question)
    assert weights["sue"] == pytest.approx(0.25 * lexicon.idf("sue"))  # a verb no chunk holds
    repaint = terms("repainting")[0]
    assert weights[repaint] == lexicon.idf(repaint)  # a noun no chunk holds: maybe the fact
    wrote = terms("wrote")[0]
    assert weights[wrote] == lexicon.idf(wrote)  # held as "written"


def test_an_unseen_everyday_noun_weighs_a_quarter_a_rare_one_all() -> None:
    """ "person" and "head" are how the question puts it (cl100k holds each as one of its
    first pieces); "repainting" and a name typed capitalised may be the fact asked."""
    assert all(is_everyday(word) for word in ["person", "head", "deal", "side", "flavor"])
    assert not any(is_everyday(word) for word in ["repainting", "llama", "hegseth", "hostile"])
    lexicon = Lexicon({"mill": 4, "town": 4}, chunks=10)
    question = "Who is the key person behind the Repainting of the mill, the town's head?"
    wanted = terms("key person repainting mill town head")
    weights = term_weights(wanted, "", lexicon, question)
    for word in ["person", "head"]:
        term = terms(word)[0]
        assert weights[term] == pytest.approx(0.25 * lexicon.idf(term))
    repaint = terms("repainting")[0]
    assert weights[repaint] == lexicon.idf(repaint)  # capitalised: maybe a name


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What material is the mill made of?", "material"),
        ("Which judge fined the town's mill?", "judge"),
        ("What is the salary of the mill's head?", "salary"),
    ],
)
def test_the_everyday_thing_a_question_asks_for_keeps_its_weight(question, asked) -> None:
    """Unseen, the thing a wh-word asks for is as often the fact the documents lack: "What
    material is the lighthouse made of?" of a page that never says was answered with its
    height when "material" weighed a quarter."""
    lexicon = Lexicon({"mill": 4, "town": 4}, chunks=10)
    weights = term_weights(terms(question), "", lexicon, question)
    term = terms(asked)[0]
    assert weights[term] == lexicon.idf(term)


def test_a_hyphenated_phrase_no_chunk_holds_is_looked_for_spaced() -> None:
    """ "phase-out" is one word to terms() ("run-in" is no running), but a document writing
    "a six month phase out" holds its parts; one holding "phaseout" keeps it whole."""
    question = "How long is the phase-out for agencies?"
    wanted = terms("phase-out agencies")
    spaced = term_weights(wanted, "", Lexicon({"phase": 2, "agenc": 3}, chunks=10), question)
    assert "phase" in spaced and terms("phase-out")[0] not in spaced
    whole = term_weights(wanted, "", Lexicon({"phaseout": 2, "agenc": 3}, chunks=10), question)
    assert terms("phase-out")[0] in whole and "phase" not in whole


def test_dictionary_words_in_any_form_and_names() -> None:
    assert all(is_english(w) for w in ["highest", "biggest", "staffers", "valued", "anything"])
    assert not any(is_english(w) for w in ["elon", "hegseth", "conductatlas"])


def test_is_it_true_only_frames_a_yes_no_question() -> None:
    shape = classify("Is it true that the town rebuilt the mill?")
    assert shape.kind is Kind.YES_NO and shape.shape_words == {"true"}
    assert classify("Is the story true?").shape_words == frozenset()


def test_a_valued_at_question_asks_for_an_amount_the_lead_must_give() -> None:
    shape = classify("what's anthropic valued at?")
    assert shape.kind is Kind.AMOUNT and "MONEY" in shape.labels
    assert terms("valued")[0] not in shape.shape_words  # the sentence must say the value
    assert classify("what was the oven worth?").kind is Kind.AMOUNT
    assert classify("what did the pentagon pay palantir for hosting claude?").kind is Kind.AMOUNT
    assert classify("what did they pay attention to?").kind is not Kind.AMOUNT


def test_staff_names_and_values_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """ "conductatlas" typed as one word finds "ConductAtlas"; "valued" is not "values"
    (the documents never say what Anthropic is worth); "run-in" is not "runs"."""
    atlas = answered(corpus_assistant, "is conductatlas part of anthropic?")
    assert "independent" in atlas.answer
    assert corpus_assistant.ask("what's anthropic valued at?").abstained
    policy = corpus_assistant.ask("who runs policy at anthropic?")
    assert "run-in" not in policy.answer


def test_a_deadline_in_british_spelling_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """ "defence chief" finds "Defense Secretary"; the deadline is the date after "until",
    not another sentence's "last July" (a deadline question is led by a sentence naming one)."""
    answer = answered(corpus_assistant, "What deadline did the defence chief set for Anthropic?")
    assert answer.short_answer is not None and answer.short_answer.text == "Friday"


def test_how_come_asks_why() -> None:
    assert classify("how come the mill closed?").kind is Kind.REASON
    assert classify("How can the mill close?").kind is not Kind.REASON


@pytest.mark.parametrize(
    ("sentence", "gives_reason"),
    [
        ("Anthropic objected to the change, claiming that it allows mass surveillance.", True),
        ("The company quit the deal, citing safety concerns.", True),
        ("Anthropic objected to the change.", False),
    ],
)
def test_a_claim_or_citation_gives_a_reason(sentence: str, gives_reason: bool) -> None:
    form = answer_form("Why did Anthropic object to the change?")
    block = sentence_block(sentence)
    assert form is not None and form.fits(block, block) is gives_reason


def test_why_questions_in_staff_words_are_led_by_their_cause(
    corpus_assistant: Assistant,
) -> None:
    how_come = answered(
        corpus_assistant, "how come anthropic wouldn't let trump's team use claude?"
    )
    assert how_come.short_answer is not None
    assert how_come.short_answer.text.startswith("Because") and "terms of service" in (
        how_come.short_answer.text
    )
    pushed = answered(corpus_assistant, "why did anthropic fight the pentagon's new terms?")
    assert "autonomous weapons" in pushed.answer.split("[1]")[0], pushed.answer


def test_the_staff_set_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """tests/data/corpus_staff.jsonl: 47 facts of corpus/ and 13 on-topic questions it does
    not answer, typed as staff type them, written from corpus/ before they were run (s41-s60
    later than the rest). Main at 65502b5: 2 answerable declined, 6 unanswerable declined;
    now 1 and 9."""
    rows = load_questions("tests/data/corpus_staff.jsonl")
    answers = {r.id: corpus_assistant.ask(r.question) for r in rows}
    declined = [r.id for r in rows if r.answerable and answers[r.id].abstained]
    kept_out = [r.id for r in rows if not r.answerable and answers[r.id].abstained]
    assert len(declined) <= 1, declined
    assert len(kept_out) >= 9, kept_out
    taiwan = answers["s27"]  # "where was search interest in the story highest?"
    assert taiwan.short_answer is not None and "Taiwan" in taiwan.short_answer.text
