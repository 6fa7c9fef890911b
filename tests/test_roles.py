"""Short answers read from the parse: the words filling the question's wh-slot (the subject of
its verb, the place after it, the owner of its noun), a whole list of names for a question
asking for several, names inside link markup, a month for "what month", the name a sentence
gives a thing for "what is it called". Real spaCy pipeline, store and model."""

from __future__ import annotations

import pytest

from rag import nlp
from rag.assistant import Assistant
from rag.forms import answer_form
from rag.outline import Outline
from rag.roles import asked_slot, asks_several, owner_named, slot_filler, whole_list
from rag.subjects import asks_name, called, extended_name
from rag.text import terms
from rag.types import Document
from tests.conftest import assistant_over, sentence_block

PARAGRAPHS = {
    "press.txt": [
        "Press Coverage",
        "The dispute between the ministry and the union began after [Harbor Gazette reported]"
        "(https://example.com/2026/bridge-checks-skipped) that inspectors had skipped the "
        "bridge checks.",
        "Residents can report broken street lights at lights@example.org or via the city's "
        "mobile app.",
        "Northwind, Contoso, and Fabrikam signed similar contracts with the city last year.",
        "Brightline's terms of service prohibit reselling its monthly passes.",
        "Last week a clerk at Northwind relayed the complaint to the harbour master.",
        "In January, Okafor wrote a letter about the budget of the harbour.",
        "In February, the council said the fish market would reopen on Friday.",
        "The city runs several night buses known as Owl Lines that stop at every pier.",
        "It trains drivers with Safe Harbor Driving, a method that pairs each new driver with "
        "a mentor.",
        "Ines Varga, who was the first director of the harbour museum, opened it in 1961.",
        "The brewery has sold beer since 1990, with an annual output of 4.5 million litres in "
        "2011.",
        "The painter Ada Moss became famous for her careful drawings of harbour cranes that "
        "lift whole ships.",
    ],
    "ferries.txt": [
        "Ferry Operators",
        "Bluewater Ferries is not like Island Lines. It began as a small river service, founded "
        "by former Island Lines captains who wanted cheaper crossings.",
    ],
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PARAGRAPHS, tmp_path_factory)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which newspaper first reported that inspectors skipped the bridge checks?",
            "Harbor Gazette",
        ),
        (
            "Where can residents report broken street lights?",
            "At lights@example.org or via the city's mobile app",
        ),
        (
            "Which companies signed similar contracts with the city?",
            "Northwind, Contoso, and Fabrikam",
        ),
        ("which company's terms of service prohibit reselling passes?", "Brightline"),
        ("In what month did the council say the fish market would reopen?", "February"),
        ("What are the city's night buses called?", "Owl Lines"),
        ("What's the name of the method the city trains drivers with?", "Safe Harbor Driving"),
        ("Who was the first director of the harbour museum?", "Ines Varga"),
        # who: the people of an organisation, not the organisation
        ("Who relayed the complaint to the harbour master?", "A clerk at Northwind"),
        # passive ("founded by"), its subject a pronoun for the name the sentence before says
        ("who founded Bluewater Ferries?", "Former Island Lines captains"),
        # the object of the question's preposition: what follows "drawings of"
        (
            "Ada Moss became famous for her careful drawings of what?",
            "Harbour cranes that lift whole ships",
        ),
        ("The brewery had an annual output of what in 2011?", "4.5 million litres"),  # a number
        # the reporting clause says none of the question's other words; the lead sentence does
        ("Which news outlet first reported the ministry dispute?", "Harbor Gazette"),
    ],
)
def test_the_short_answer_fills_the_questions_slot(
    assistant: Assistant, question: str, expected: str
) -> None:
    answer = assistant.ask(question)
    short = answer.short_answer
    assert short is not None, answer.answer
    assert short.text == expected
    text = assistant.store.get_document(short.source).text
    assert short.quote == text[short.start_char : short.end_char]
    assert answer.answer.startswith(f"{expected}. [1]") or answer.answer.startswith(expected)


def test_a_verb_alone_does_not_tie_a_name_to_the_question() -> None:
    """The verb matches but nothing else the question asks is in its clause: no filler."""
    slot = asked_slot("Who wrote the report on the bridge inspections?")
    assert slot is not None and slot.role == "nsubj"
    doc = nlp.parses(["In January, Okafor wrote a letter about the budget of the harbour."])[0]
    asked = frozenset(terms("wrote report bridge inspections"))
    assert slot_filler(doc, slot, asked) is None
    tied = nlp.parses(["In May, Okafor wrote a report on the bridge inspections."])[0]
    span = slot_filler(tied, slot, asked)
    assert span is not None and tied.text[span[0] : span[1]] == "Okafor"


def test_the_lead_sentence_may_say_the_questions_words_outside_the_verbs_clause() -> None:
    """A sentence chosen to lead the answer has the question's words already: one of them
    anywhere in it ties the verb's subject to the question; elsewhere the clause must say two."""
    slot = asked_slot("Which outlet first reported the ministry story?")
    assert slot is not None
    asked = frozenset(terms("outlet first reported ministry story"))
    doc = nlp.parses(
        ["The dispute with the ministry began after Harbor Gazette reported that checks lapsed."]
    )[0]
    assert slot_filler(doc, slot, asked) is None
    span = slot_filler(doc, slot, asked, lead=True)
    assert span is not None and doc.text[span[0] : span[1]] == "Harbor Gazette"
    unrelated = nlp.parses(["After lunch Harbor Gazette reported that checks lapsed."])[0]
    assert slot_filler(unrelated, slot, asked, lead=True) is None


def test_a_name_compared_with_the_subject_is_no_answer(assistant: Assistant) -> None:
    """ "Bluewater Ferries is not like Island Lines": a peer, not who started it; the ones
    it was "founded by" did ("started" asks who founded it)."""
    answer = assistant.ask("Who started Bluewater Ferries?")
    assert answer.short_answer is not None, answer.answer
    assert answer.short_answer.text == "Former Island Lines captains"


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Which outlet reported the story first?", "nsubj"),
        ("which companies signed deals similar to the council's?", "nsubj"),  # typed lower case
        ("Whom did the council hire last year?", "dobj"),
        ("Where can users report a bug?", "place"),
        ("Who was the first director of the museum?", "be"),  # equated with "director"
        ("Who's the mayor?", "be"),  # contracted, as "Who is the mayor?"
        ("Who is Mia Chen?", None),  # no noun to equate: a definition
        ("The painter is known for her drawings of what?", "pobj"),
        ("In what direction does the virus spread?", "pobj"),
    ],
)
def test_the_slot_is_read_from_the_questions_parse(question: str, role: str | None) -> None:
    slot = asked_slot(question)
    assert (slot.role if slot else None) == role


def test_the_object_of_a_preposition_names_the_asked_kind() -> None:
    """ "located in what city?" is not answered by a hall: the answer names a city."""
    slot = asked_slot("The museum is located in what city?")
    assert slot is not None and slot.role == "pobj" and slot.preposition == "in"
    asked = frozenset(terms("museum located city"))
    hall = nlp.parses(["The museum is located in Harbour Hall."])[0]
    assert slot_filler(hall, slot, asked) is None
    city = nlp.parses(["The museum is located in a small port city."])[0]
    span = slot_filler(city, slot, asked)
    assert span is not None and city.text[span[0] : span[1]] == "small port city"


def test_a_place_is_not_a_time() -> None:
    """... and an irregular verb's forms are one verb ("meet", "met")."""
    slot = asked_slot("Where did the council meet?")
    assert slot is not None
    doc = nlp.parses(["The council met in March at the old library."])[0]
    span = slot_filler(doc, slot, frozenset(terms("council meet")))
    assert span is not None and doc.text[span[0] : span[1]] == "at the old library"


def test_several_names_are_asked_for_by_a_plural_noun() -> None:
    assert asks_several("Which companies signed contracts?")
    assert asks_several("Employees of which firms signed the letter?")
    assert not asks_several("Which company signed the contract?")


def test_a_list_is_widened_without_the_names_the_question_gives() -> None:
    text = "Northwind, Contoso, and Fabrikam signed contracts; the Ministry and Brightline did not."
    start = text.index("Contoso")
    assert text[slice(*whole_list(text, start, start + 7, frozenset()))] == (
        "Northwind, Contoso, and Fabrikam"
    )
    first = text.index("Northwind")
    widened = whole_list(text, first, first + 9, frozenset(terms("Fabrikam")))
    assert text[slice(*widened)] == "Northwind, Contoso"
    alone = text.index("signed")
    assert whole_list(text, alone, alone + 6, frozenset()) == (alone, alone + 6)


def test_the_owner_of_the_asked_noun() -> None:
    text = "Brightline's terms of service prohibit reselling its monthly passes."
    span = owner_named("Which company's terms forbid reselling?", text)
    assert span is not None and text[span[0] : span[1]] == "Brightline"
    assert owner_named("Whose passes are monthly?", "The passes are monthly.") is None


def test_link_markup_is_blanked_for_spacy_with_offsets_kept() -> None:
    text = "It began after [Harbor Gazette reported](https://example.com/a-b) the checks."
    outline = Outline(Document(source="a.txt", title="a", text=text, content_hash="0"))
    read = outline.nlp_text(0)
    assert len(read) == len(text) and "https" not in read and "[" not in read
    entities = outline.entities([0])[0]
    assert all(text[e.start : e.end] in ("Harbor Gazette",) for e in entities), entities


def test_a_name_is_read_after_known_as_or_before_its_kind() -> None:
    assert asks_name("what's the military version of claude called?")
    assert asks_name("What is the name of the method?")
    assert not asks_name("What did the council call for?")
    asked = frozenset(terms("night buses called"))
    text = "The city runs night buses known as Owl Lines that stop at every pier."
    span = called(text, asked)
    assert span is not None and text[slice(*span)] == "Owl Lines"
    assert called("The city runs night buses known as Night Buses.", asked) is None  # repeats
    assert called("The ferries known as Owl Lines stop at piers.", asked) is None  # not buses
    method = "It trains drivers with Safe Harbor Driving, a method that pairs drivers."
    span = called(method, frozenset(terms("name method trains drivers")))
    assert span is not None and method[slice(*span)] == "Safe Harbor Driving"
    assert called(method, frozenset(terms("name approach"))) is None  # not the kind asked
    quoted = 'Their "Safe Harbor" scheme pairs each new driver with a mentor.'
    span = called(quoted, frozenset(terms("name scheme drivers")))
    assert span is not None and quoted[slice(*span)] == "Safe Harbor"


@pytest.mark.parametrize(
    "sentence",
    [
        "Moreover, the drivers meet at a time of change.",  # a word, not a name
        "Mia Chen, an expert on driver training, agrees.",  # names an expert, not a scheme
    ],
)
def test_a_name_is_not_read_before_a_kind_not_asked(sentence: str) -> None:
    assert called(sentence, frozenset(terms("name of the training scheme drivers meet"))) is None


def test_a_name_question_is_led_by_a_sentence_giving_a_name() -> None:
    """... at 0.35 of the best score (the form's floor), and no other sentence is guessed."""
    form = answer_form("What is the name of the city's night bus service?")
    assert form is not None and form.floor == 0.35
    named = sentence_block("The city runs night buses known as Owl Lines.")
    assert form.fits(named, named)
    assert not form.fits(sentence_block("The city runs night buses every hour."), named)


def test_a_name_that_extends_the_questions_word() -> None:
    text = "Claude Gov is mostly used for writing reports."
    span = extended_name(text, frozenset(terms("military version claude called")))
    assert span is not None and text[slice(*span)] == "Claude Gov"
    assert extended_name(text, frozenset(terms("what is the bus called"))) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Hall, who was the first president of the association, wrote books.",
        "Hall was the first president of the association.",
        "The association's first president, Hall, wrote books.",
    ],
)
def test_a_person_equated_with_the_asked_noun(sentence: str) -> None:
    question = "Who was the first president of the association?"
    slot = asked_slot(question)
    assert slot is not None and slot.role == "be"
    doc = nlp.parses([sentence])[0]
    span = slot_filler(doc, slot, frozenset(terms(question)))
    assert span is not None and sentence[slice(*span)] == "Hall"
    other = nlp.parses(["Hall was the first president of the chess club."])[0]
    assert slot_filler(other, slot, frozenset(terms(question))) is None  # another club


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            "What did the council want from the ferry company?",
            "The mayor said the council wanted to buy two new ferries from the ferry company.",
            "to buy two new ferries",  # "from the ferry company" repeats the question
        ),
        (
            "What did the council buy for the harbour?",
            "Last spring the council bought a new crane for the harbour.",
            "new crane",  # "for the harbour" repeats the question
        ),
        (
            "What has the mayor stressed?",  # "emphasised": a synonym
            "The mayor has publicly emphasised the town's commitment to the ferry.",
            "the town's commitment to the ferry",  # the owner's "the" stays
        ),
    ],
)
def test_what_a_verb_takes_answers_what_did_they_verb(question, sentence, said) -> None:
    """ "What did X want?" asks for whatever the verb takes: its object, the verb it goes on
    to ("wanted | to buy ..."), or the clause it reports; not only a name."""
    slot = asked_slot(question)
    assert slot is not None and slot.thing
    doc = nlp.parses([sentence])[0]
    span = slot_filler(doc, slot, frozenset(terms(question)), lead=True)
    assert span is not None and doc.text[span[0] : span[1]] == said
