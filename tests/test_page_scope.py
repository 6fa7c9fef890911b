"""Questions that say which page they ask about ("per the next-model article", "according to
the article on Trump's stance reversal"), a bulleted list answered whole, a title that
names another owner ("former U.S. President Donald Trump" is not Anthropic's president), and a
short answer that is another owner's ("$200 million" is not OpenAI's deal).
Unit checks, then the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.scoped import page_words, without_page
from rag.text import terms
from tests.conftest import answered, short_said


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("who started anthropic according to the article on the campaign block", "campaign block"),
        ("in the reversal story what search score did taiwan get", "reversal"),
        ("what did the ceo say, per the next-model article", "next-model"),
        ("the campaign article lists 3 things, what are they", "campaign"),
        ("in the article about the ban who signed the letter", "ban"),  # the question goes on
        ("who signed the letter?", ""),
    ],
)
def test_the_words_naming_the_page_asked_about(question: str, page: str) -> None:
    assert page_words(question) == frozenset(terms(page))


def test_the_question_without_its_page() -> None:
    asked = without_page("what did the ceo say, per the next-model article")
    assert "article" not in asked and "ceo say" in asked


def test_a_named_page_answers_from_its_own_sentences(corpus_assistant: Assistant) -> None:
    """Led by the words of the page's title before ("In summary, Anthropic's direct
    engagement ... on its next AI model ..."), now by what the question asks of it."""
    said = short_said(
        corpus_assistant,
        "what has anthropic's boss publicly said the company wants AI to do for the US, "
        "per the next-model article",
    )
    assert "defense" in said
    said = short_said(
        corpus_assistant,
        "Looking ahead, what is the key thing to watch according to the article on Trump's "
        "stance reversal?",
    )
    assert "safety architecture" in said


def test_a_page_that_lacks_what_is_asked_is_not_the_one_meant(
    corpus_assistant: Assistant,
) -> None:
    """ "that claude-ban piece": the title with "ban" (the federal ban) does not tell of the
    accelerationists; the page that does is answered from."""
    answer = answered(
        corpus_assistant,
        "whats the difference between the accelerationists and the safetyists in that "
        "claude-ban piece",
    )
    assert "Accelerationists" in answer.citations[0].quote


def test_a_bulleted_list_is_answered_whole(corpus_assistant: Assistant) -> None:
    """The three items under "What Anthropic is Afraid Of" (the third was cut before)."""
    answer = answered(
        corpus_assistant,
        "the campaign article lists 3 things anthropic fears about AI in elections, what are they",
    )
    lead = answer.answer.split("[1]")[0]
    assert all(item in lead for item in ("Mass Persuasion", "Deepfakes", "Hallucinations"))


def test_a_title_of_another_owner_is_no_answer(corpus_assistant: Assistant) -> None:
    """ "former U.S. President Donald Trump": the U.S.'s president, not Anthropic's."""
    answer = corpus_assistant.ask("who is anthropic's president")
    assert answer.short_answer is None or "Trump" not in answer.short_answer.text


def test_a_short_answer_is_the_owners_the_question_names(corpus_assistant: Assistant) -> None:
    """ "$200 million" is Anthropic's deal ("Anthropic was the first ... through a $200
    million deal"), not OpenAI's; a sentence naming no one else answers for its page's own
    ("up to 10 platforms" of ConductAtlas's alerting)."""
    answer = corpus_assistant.ask("how much was openai's pentagon deal worth")
    assert answer.short_answer is None or "200" not in answer.short_answer.text
    assert short_said(corpus_assistant, "how much was anthropic's pentagon deal worth") == (
        "$200 million"
    )
    said = short_said(
        corpus_assistant, "Up to how many platforms can ConductAtlas's paid alerting monitor?"
    )
    assert "10" in said


def test_a_who_answer_does_not_come_from_a_sentence_without_the_role(
    corpus_assistant: Assistant,
) -> None:
    """The best sentence says "started" ("They started as a 'safety-focused' offshoot,
    founded by former OpenAI executives") and names no person: "Trump", tied to Anthropic
    by a sentence that says nothing of starting it, is no answer."""
    answer = answered(
        corpus_assistant, "who started anthropic according to the article on the campaign block"
    )
    assert answer.short_answer is None or "Trump" not in answer.short_answer.text
    assert "founded by former OpenAI executives" in answer.answer
