"""Two-hop questions: the description is found in the question, its bridge in the first
passages, and the answer cites both searches' passages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ingest.sync import ingest
from rag.answer import Draft
from rag.assistant import Assistant
from rag.comparison import compared
from rag.hops import answer_in_hops, bridge, description
from rag.settings import Settings
from rag.types import Citation, Passage, ShortAnswer


@pytest.mark.parametrize(
    ("question", "phrase", "kind"),
    [
        (
            "Who was the first president of the association which published the Journal "
            "of Psychotherapy Integration?",
            "the association which published the Journal of Psychotherapy Integration",
            "organisation",
        ),
        (
            "Who is the spouse of the director of Jump for Glory?",
            "the director of Jump for Glory",
            "person",
        ),
        (
            "What is the most popular hotel in Gisvi's city of birth?",
            "Gisvi's city of birth",
            "place",
        ),
        (
            "What position did the receiver of the 2007 FIFA U-20 Golden Shoe play for?",
            "the receiver of the 2007 FIFA U-20 Golden Shoe",
            "person",
        ),
        (
            "When was the country that produced Fist Power taken by the British?",
            "the country that produced Fist Power",
            "place",
        ),
    ],
)
def test_descriptions_are_found(question, phrase, kind):
    found = description(question)
    assert found is not None and (found.in_question(question), found.kind) == (phrase, kind)


@pytest.mark.parametrize(
    "question",
    [
        "Who is Anthropic's CEO?",  # asks for the described person itself
        "When did Ezer Weizman resign as the president of Israel?",  # a role
        "Which album did the band Porcupine Tree release in 2002?",  # named, not described
        "Terry McGurrin edited the show which was written by who?",  # holds the question word
        "what is the role of the prime minister in canada",  # nothing capitalised to start from
        "How much is Anthropic's Pentagon contract worth?",
    ],
)
def test_no_description_where_nothing_needs_resolving(question):
    assert description(question) is None


def _draft(quote: str, source: str = "a.txt") -> Draft:
    citation = Citation(
        n=1,
        source=source,
        title="A",
        chunk_id=f"{source}-0",
        start_char=0,
        end_char=len(quote),
        quote=quote,
    )
    return Draft(f"{quote} [1]", [citation], False, 0.8)


def test_the_bridge_is_an_entity_of_the_described_kind_not_in_the_description():
    draft = _draft("Johnnycake is an unincorporated community in McDowell County, West Virginia.")
    named = bridge(draft, "the county in which Johnnycake is located", "place")
    assert named is not None and named[0] == "McDowell County"  # holds the described noun
    draft = _draft("Brand is a verse tragedy by the Norwegian playwright Henrik Ibsen.")
    assert bridge(draft, "the author of Brand", "person") == ("Henrik Ibsen", draft.citations[0])
    assert bridge(draft, "the author of Brand", "place") is None
    assert bridge(Draft("x", [], True, 0.0), "the author of Brand", "person") is None


def _passage(source: str, text: str) -> Passage:
    return Passage(
        source=source,
        title=source,
        chunk_id=f"{source}-0",
        score=1.0,
        start_char=0,
        end_char=len(text),
        text=text,
    )


def test_hops_compose_both_answers_and_list_the_searches():
    first = "Brand is a verse tragedy by the Norwegian playwright Henrik Ibsen."
    second = "Henrik Ibsen was a Norwegian citizen all his life."
    asked: list[str] = []

    def ask(question: str) -> tuple[list[Passage], Draft]:
        asked.append(question)
        if question == "the author of Brand":
            return [_passage("brand.txt", first)], _draft(first, "brand.txt")
        return [_passage("ibsen.txt", second)], replace(
            _draft(second, "ibsen.txt"), short_answer=short
        )

    short = ShortAnswer(
        text="Norwegian", source="ibsen.txt", start_char=16, end_char=25, quote="Norwegian"
    )
    hopped = answer_in_hops("What country was the author of Brand a citizen of?", ask)
    assert hopped is not None
    assert hopped.draft.short_answer == short  # the last search's short answer leads
    assert (
        asked
        == hopped.searches
        == [
            "the author of Brand",
            "What country was Henrik Ibsen a citizen of?",
        ]
    )
    assert hopped.draft.answer == f"{second} [1] {first} [2]"
    assert [(c.n, c.source) for c in hopped.draft.citations] == [(1, "ibsen.txt"), (2, "brand.txt")]
    assert {p.source for p in hopped.passages} == {"brand.txt", "ibsen.txt"}

    def no_answer(question: str) -> tuple[list[Passage], Draft]:
        if question == "the author of Brand":
            return [_passage("brand.txt", first)], _draft(first, "brand.txt")
        return [], Draft("", [], True, 0.0)

    assert answer_in_hops("What country was the author of Brand a citizen of?", no_answer) is None
    assert answer_in_hops("Who is Anthropic's CEO?", ask) is None


DOCUMENTS = {
    "brand.txt": "Brand (play)\n\nBrand is a verse tragedy in five acts by the Norwegian "
    "playwright Henrik Ibsen. It was written in 1865 in Rome.\n",
    "ibsen.txt": "Henrik Ibsen\n\nHenrik Ibsen was a playwright and theatre director. He "
    "held Norwegian citizenship throughout his life, though he lived in Italy and Germany "
    "for 27 years.\n",
    "peer_gynt.txt": "Peer Gynt\n\nPeer Gynt is a play in five acts written in 1867. Its music "
    "was composed by Edvard Grieg.\n",
}


def test_a_two_hop_question_is_answered_from_both_passages(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text)
    settings = Settings(data_dir=tmp_path / "data")
    assistant = Assistant(settings)
    assert not ingest([corpus], assistant.store, assistant.embed_model, settings).failed
    answer = assistant.ask("Which citizenship did the author of Brand hold?")
    assert not answer.abstained, answer
    assert answer.searches == ["the author of Brand", "Which citizenship did Henrik Ibsen hold?"]
    assert answer.searched_for == answer.searches
    assert {c.source for c in answer.citations} == {"brand.txt", "ibsen.txt"}
    assert "Norwegian citizenship" in answer.answer and "Henrik Ibsen" in answer.answer
    retrieved = {(p.source, p.chunk_id) for p in answer.retrieved}
    for citation in answer.citations:
        text = assistant.store.get_document(citation.source).text
        assert text[citation.start_char : citation.end_char] == citation.quote
        assert (citation.source, citation.chunk_id) in retrieved
    assert all(s.supported for s in answer.sentences)


def test_two_compared_names_are_each_searched_and_cited():
    question = "Which band was formed first, The Exies or Circus Diablo?"
    assert compared(question) == (
        (question.index("The Exies"), len(question) - 1),
        ["The Exies", "Circus Diablo"],
    )
    assert compared("Who is Anthropic's CEO?") is None
    assert compared("Did OpenAI and Google sign similar deals?") is None  # nothing compared
    texts = {
        "The Exies": "The Exies were an American rock band formed in 1997.",
        "Circus Diablo": "Circus Diablo is an American rock band formed in 2006.",
    }

    def ask(search: str) -> tuple[list[Passage], Draft]:
        name = next(name for name in texts if name in search)
        source = f"{name}.txt"
        return [_passage(source, texts[name])], _draft(texts[name], source)

    hopped = answer_in_hops(question, ask)
    assert hopped is not None
    assert hopped.searches == [
        "Which band was formed first, The Exies?",
        "Which band was formed first, Circus Diablo?",
    ]
    assert hopped.draft.answer == f"{texts['The Exies']} [1] {texts['Circus Diablo']} [2]"
    assert [c.source for c in hopped.draft.citations] == ["The Exies.txt", "Circus Diablo.txt"]


def test_a_same_place_comparison_leads_with_its_verdict():
    """Each lead names its province: two names say no, quoted from the first lead."""
    texts = {
        "Nantong": "Nantong is a prefecture-level city in Jiangsu province, China.",
        "Jingdezhen": "Jingdezhen is a prefecture-level city in Jiangxi province, China.",
    }

    def ask(search: str) -> tuple[list[Passage], Draft]:
        name = next(name for name in texts if name in search)
        return [_passage(f"{name}.txt", texts[name])], _draft(texts[name], f"{name}.txt")

    hopped = answer_in_hops("Are Nantong and Jingdezhen situated in the same province?", ask)
    assert hopped is not None and hopped.draft.short_answer is not None
    short = hopped.draft.short_answer
    assert short.text == "No: Nantong is in Jiangsu province, Jingdezhen in Jiangxi province"
    assert texts["Nantong"][short.start_char : short.end_char] == short.quote == "Jiangsu province"
    assert hopped.draft.answer.startswith(f"{short.text}. [1][2]")
    texts["Jingdezhen"] = "Jingdezhen is a city in China."  # no province named: no verdict
    hopped = answer_in_hops("Are Nantong and Jingdezhen situated in the same province?", ask)
    assert hopped is not None and hopped.draft.short_answer is None


def test_a_same_state_comparison_reads_each_us_address():
    """Neither lead says "state" ("the United States" is no state): each US address's state
    decides. The parser hung the "and" on the second name: the names around it compare."""
    question = (
        "Are Watertown International Airport and Alexandria International Airport both "
        "airports in the same state ?"
    )
    assert compared(question) is not None
    assert compared(question)[1] == [  # type: ignore[index]
        "Watertown International Airport",
        "Alexandria International Airport",
    ]
    texts = {
        "Watertown International Airport": "Watertown International Airport is a public use "
        "airport located in Jefferson County, New York, United States.",
        "Alexandria International Airport": "Alexandria International Airport is a public use "
        "airport west of Alexandria, in Rapides Parish, Louisiana, United States.",
    }

    def ask(search: str) -> tuple[list[Passage], Draft]:
        name = next(name for name in texts if name in search)
        return [_passage(f"{name}.txt", texts[name])], _draft(texts[name], f"{name}.txt")

    hopped = answer_in_hops(question, ask)
    assert hopped is not None and hopped.draft.short_answer is not None
    assert hopped.draft.short_answer.text == (
        "No: Watertown International Airport is in New York, Alexandria International Airport "
        "in Louisiana"
    )
    assert hopped.draft.short_answer.quote == "New York"


def test_the_bridge_is_the_one_the_text_gives_the_described_title():
    """ "Hegseth met with Anthropic's CEO, Dario Amodei": the CEO is Amodei, not the first
    person the sentence names."""
    draft = _draft("Defense Secretary Pete Hegseth met with Anthropic’s CEO, Dario Amodei.")
    assert bridge(draft, "Anthropic's CEO", "person") == ("Dario Amodei", draft.citations[0])


def test_a_description_typed_in_lower_case_is_found_with_the_documents_names():
    """The parser reads "anthropic" as a name only capitalised: the words the documents write
    as names are."""
    question = "what did anthropic's ceo write about weapons"
    assert description(question) is None
    found = description(question, frozenset({"anthropic"}))
    assert found is not None and found.in_question(question) == "anthropic's ceo"
