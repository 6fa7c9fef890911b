"""A second search through a name the first answer gives when it names no entity of the
asked-for kind (rag.bridges): kept only when that search names one, cited with the sentence
that gave the name."""

from __future__ import annotations

from dataclasses import replace

from rag.answer import Draft
from rag.bridges import answer_via_bridge, bridges, rewritten
from rag.typed import part_of_title
from rag.types import Citation, Passage, ShortAnswer
from tests.conftest import assistant_over

QUESTION = "Toad Hall is a residential hall in a university located in what Australian city?"
FIRST = "Toad Hall is a residential hall in Australian National University, opened in 1974."
SECOND = "The Australian National University is a public research university in Canberra."


def _citation(quote: str, source: str) -> Citation:
    return Citation(
        n=1,
        source=source,
        title=source,
        chunk_id=f"{source}-0",
        start_char=0,
        end_char=len(quote),
        quote=quote,
    )


def _draft(quote: str, source: str, short: ShortAnswer | None = None) -> Draft:
    return Draft(f"{quote} [1]", [_citation(quote, source)], False, 0.8, short)


def _passage(source: str, text: str) -> Passage:
    return Passage(
        chunk_id=f"{source}-0", source=source, title=source, text=text, start_char=0,
        end_char=len(text), score=1.0,
    )  # fmt: skip


CANBERRA = ShortAnswer(
    text="Canberra", source="anu.txt", start_char=71, end_char=79, quote="Canberra"
)


def test_the_bridge_is_a_name_the_question_does_not_say():
    assert bridges(QUESTION, _citation(FIRST, "toad.txt")) == ["Australian National University"]


def test_the_question_is_asked_again_with_the_bridge_for_the_words_already_matched():
    search = rewritten(QUESTION, "Australian National University", _citation(FIRST, "toad.txt"))
    assert search is not None and search.startswith("Australian National University ")
    assert search.endswith("located in what Australian city?")  # still asks for a city
    assert "Toad" not in search and "residential" not in search


def test_no_rewording_when_the_sentence_matched_only_what_the_question_asks_for():
    lead = _citation("Anthropic works with the US government on defence.", "a.txt")
    assert rewritten("Who leads Anthropic?", "US", lead) is None


def test_a_second_search_naming_the_asked_kind_answers_and_cites_both():
    asked: list[str] = []

    def ask(question: str) -> tuple[list[Passage], Draft]:
        asked.append(question)
        return [_passage("anu.txt", SECOND)], _draft(SECOND, "anu.txt", CANBERRA)

    hopped = answer_via_bridge(QUESTION, _draft(FIRST, "toad.txt"), ask)
    assert hopped is not None
    assert hopped.searches == asked and len(asked) == 1
    assert hopped.draft.short_answer == CANBERRA
    assert hopped.draft.answer == f"{SECOND} [1] {FIRST} [2]"
    assert [c.source for c in hopped.draft.citations] == ["anu.txt", "toad.txt"]


def test_no_second_search_when_the_first_answer_names_the_kind_or_the_question_asks_none():
    def ask(question: str) -> tuple[list[Passage], Draft]:
        raise AssertionError(f"searched again for {question!r}")

    answered = _draft(SECOND, "anu.txt", CANBERRA)
    assert answer_via_bridge(QUESTION, answered, ask) is None
    why = "Why did Toad Hall open in a university?"
    assert answer_via_bridge(why, _draft(FIRST, "toad.txt"), ask) is None
    assert answer_via_bridge(QUESTION, Draft("", [], True, 0.0), ask) is None


def test_a_second_search_without_an_answer_of_the_kind_keeps_the_first_answer():
    def ask(question: str) -> tuple[list[Passage], Draft]:
        return [_passage("anu.txt", SECOND)], _draft(SECOND, "anu.txt")  # no short answer

    assert answer_via_bridge(QUESTION, _draft(FIRST, "toad.txt"), ask) is None

    def bridge_only(question: str) -> tuple[list[Passage], Draft]:
        named = ShortAnswer(
            text="Australian National University", source="anu.txt", start_char=4,
            end_char=34, quote="Australian National University",
        )  # fmt: skip
        return [_passage("anu.txt", SECOND)], replace(_draft(SECOND, "anu.txt"), short_answer=named)

    assert answer_via_bridge(QUESTION, _draft(FIRST, "toad.txt"), bridge_only) is None


PARAGRAPHS = {
    "toad_hall.txt": [
        "Toad Hall",
        "Toad Hall is a residential hall in Australian National University. It was opened in "
        "1974 and houses post-graduate students.",
    ],
    "anu.txt": [
        "Australian National University",
        "The Australian National University is a national research university located in "
        "Canberra, the capital of Australia. It was founded in 1946.",
    ],
    "burgmann.txt": [
        "Burgmann College",
        "Burgmann College is a residential college founded in 1971 by the Anglican Church.",
    ],
}


def test_a_bridge_question_is_answered_from_the_second_search(tmp_path_factory):
    assistant = assistant_over(PARAGRAPHS, tmp_path_factory)
    answer = assistant.ask(QUESTION)
    assert not answer.abstained, answer
    assert answer.short_answer is not None and answer.short_answer.text == "Canberra"
    assert len(answer.searches) == 1 and "Australian National University" in answer.searches[0]
    assert {c.source for c in answer.citations} == {"toad_hall.txt", "anu.txt"}
    for citation in answer.citations:
        text = assistant.store.get_document(citation.source).text
        assert text[citation.start_char : citation.end_char] == citation.quote
    short = answer.short_answer
    text = assistant.store.get_document(short.source).text
    assert text[short.start_char : short.end_char] == short.quote


SHOWS = (
    'McRaney is best known as one of the stars of the television shows "Simon & Simon", '
    '"Major Dad", and "Promised Land".'
)


def test_part_of_a_quoted_title_is_no_name_of_its_own():
    dad = SHOWS.index("Dad")
    assert part_of_title(SHOWS, dad, dad + len("Dad"))  # of "Major Dad"
    major = SHOWS.index("Major Dad")
    assert not part_of_title(SHOWS, major, major + len("Major Dad"))  # the whole title
    quotation = "Trump gave a “six month phase out period” to agencies."
    six = quotation.index("six month")
    assert not part_of_title(quotation, six, six + len("six month"))  # a quotation, no title
    name = SHOWS.index("McRaney")
    assert not part_of_title(SHOWS, name, name + len("McRaney"))


def test_a_bridge_is_never_part_of_a_title():
    question = "Simon & Simon starred which television and movie actor from the US?"
    found = bridges(question, _citation(SHOWS, "mcraney.txt"))
    assert "Dad" not in found and "McRaney" in found
