"""The direct answer leads: each kind of question gets its short answer (a person, a time, an
amount, a place, yes or no, a definition, a reason), cited, quoted exactly, and verified like
every other sentence; where the passages hold nothing of the asked-for kind there is none.
Small hand-made documents, real store, embedding model and spaCy pipeline."""

from __future__ import annotations

import re

import pytest

from rag import nlp
from rag.assistant import Assistant
from rag.compose import compose
from rag.evaluate import short_answer_f1
from rag.forms import answer_form
from rag.questions import Kind, classify
from rag.short import find_short_answer
from rag.spans import answer_span, candidates, one_piece
from rag.text import terms
from rag.types import Answer, ShortAnswer
from tests.conftest import assistant_over, sentence_block

PARAGRAPHS = {
    "bakery.txt": [
        "The Miller Street Bakery",
        "The Miller Street Bakery was founded in 1998 by Rosa Delgado in Portland, Oregon.",
        "The bakery sells about 1,200 loaves of bread every day.",
        "Its sourdough is left for eight hours to rise before it is baked.",
        "A new oven cost the bakery $45,000 last year.",
        "The bakery closed for three weeks in March because a fire damaged the kitchen.",
        "The bakery does not sell coffee or tea.",
        "Fresh bread from the bakery is kept on open shelves near the window all day.",
        "The loaves keep fresh through the day by being wrapped in linen cloths.",
    ],
    "sourdough.txt": [
        "About Sourdough",
        "Sourdough is a bread made by fermenting dough with wild yeast and lactic acid bacteria.",
        "Bakers keep a starter of flour and water that must be fed regularly.",
    ],
    "flour.txt": [
        "Flour Orders",
        "The bakery pays its flour supplier late every winter when sales are slow.",
        "Paying the supplier late can result in deliveries being stopped.",
    ],
    "garden.txt": [
        "The Community Garden",
        "The community garden has forty raised beds and a shared tool shed.",
        "Volunteers water the beds in the evening during dry weeks.",
        "The town council inspected the garden in June.",
        "It gave the volunteers until October 15 to repair the tool shed.",
        "The council rules the garden under the Municipal Gardens Act to protect shared land.",
        "“The shed must be fixed before the first frost,” the garden's chairwoman said.",
    ],
}


def _said(question: str, sentence: str) -> str | None:
    """The short answer's text for `question` from the one-sentence block `sentence`."""
    found = find_short_answer(
        classify(question), question, frozenset(terms(question)), [sentence_block(sentence)]
    )
    return found[0].text if found else None


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over the documents above."""
    return assistant_over(PARAGRAPHS, tmp_path_factory)


def _short(assistant: Assistant, question: str) -> tuple[str, Answer]:
    """The short answer's text, after checking the contract: its quote is the document's
    text at its span, the answer starts with it and its citation, every shown sentence is
    supported, and the citation it carries holds its quote."""
    answer = assistant.ask(question)
    assert not answer.abstained, question
    short = answer.short_answer
    assert short is not None, (question, answer.answer)
    text = assistant.store.get_document(short.source).text
    assert short.quote == text[short.start_char : short.end_char]
    assert answer.answer.startswith(short.text), (short.text, answer.answer)
    first = answer.citations[0]
    assert first.source == short.source
    assert first.start_char <= short.start_char and short.end_char <= first.end_char
    assert all(sentence.supported for sentence in answer.sentences), answer.sentences
    lead = answer.sentences[0].text
    assert lead.startswith(short.text) and re.search(r"\[1\]", lead)
    return short.text, answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who founded the Miller Street Bakery?", "Rosa Delgado"),
        ("When was the Miller Street Bakery founded?", "1998"),
        ("How many loaves of bread does the bakery sell?", "About 1,200"),
        ("How long does the sourdough rise?", "Eight hours"),
        ("How much did the bakery's new oven cost?", "$45,000"),
        ("Which city is the Miller Street Bakery in?", "Portland"),
        # the date a thing must happen by, not the day the deadline was set
        ("What deadline did the council set for the volunteers?", "October 15"),
    ],
)
def test_a_question_for_an_entity_is_answered_with_it_first(assistant, question, expected):
    text, answer = _short(assistant, question)
    assert text == expected
    assert answer.answer.startswith(f"{expected}. [1]")


def test_a_why_question_is_answered_with_the_cause(assistant):
    text, _ = _short(assistant, "Why did the bakery shut in March?")
    assert text == "Because a fire damaged the kitchen"


def test_a_yes_no_question_gets_a_verdict_from_the_sentence(assistant):
    text, answer = _short(assistant, "Does the bakery sell coffee?")
    assert text == "No: The bakery does not sell coffee or tea"
    assert answer.answer.count("does not sell coffee") == 1  # the verdict is not repeated
    text, _ = _short(assistant, "Does the bakery sell loaves of bread every day?")
    assert text.startswith("Yes: The bakery sells about 1,200 loaves")


def test_a_yes_no_question_without_a_verdict_gets_no_clause_of_its_lead(corpus_assistant):
    """Cut from "The Pentagon does not currently use AI in these ways, and has said it has no
    plans to do so", a clause ("These ways, and has said it has no plans") drops the words
    that decide the question: the answer leads with whole sentences instead."""
    answer = corpus_assistant.ask(
        "Does the Pentagon currently deploy AI for mass spying on Americans?"
    )
    assert not answer.abstained
    short = answer.short_answer
    assert short is None or short.text.startswith(("Yes: ", "No: ")), short
    assert "The Pentagon does not currently use AI in these ways" in answer.answer
    assert not answer.answer.startswith("These ways")


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # the source named first; the timeline row saying the question's words scores fifth
        (
            "per the timeline when did anthropic start direct engagement on its next ai model?",
            "April 2026",
        ),
        ("when did the courts side with anthropic?", "March 2026"),  # "March 2026Court"
        ("who's the expert who called the fight unnecessary?", "Michael Horowitz"),
        ("what was openai's pentagon contract worth?", None),  # not "several hundred" workers
    ],
)
def test_staff_questions_on_the_bundled_corpus_get_the_asked_for_kind(
    corpus_assistant, question, said
):
    answer = corpus_assistant.ask(question)
    assert (answer.short_answer.text if answer.short_answer else None) == said, answer.answer


def test_a_what_is_question_gets_the_definition(assistant):
    text, _ = _short(assistant, "What is sourdough?")
    assert text.startswith("A bread made by fermenting dough with wild yeast")


def test_no_short_answer_when_no_passage_names_the_asked_for_kind(assistant):
    answer = assistant.ask("Who waters the raised beds of the community garden?")
    assert answer.short_answer is None


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who runs OpenAI?", Kind.WHO),
        ("Who is the Secretary of Defense?", Kind.WHO),
        ("Who is Pete Hegseth?", Kind.DEFINITION),
        ("In what month was the deal reached?", Kind.WHICH),
        ("When did the ban start?", Kind.WHEN),
        ("How much is the contract worth?", Kind.AMOUNT),
        ("Where is the plant?", Kind.WHERE),
        ("Is ConductAtlas affiliated with Anthropic?", Kind.YES_NO),
        ("Why did Anthropic cut off access?", Kind.REASON),
        ("What is Claude Gov?", Kind.DEFINITION),
        ("How does the virus spread?", Kind.MANNER),
        ("Who is Anthropic's CEO?", Kind.WHO),  # the person holding a role
        ("Simon & Simon starred which television and movie actor from the US?", Kind.WHICH),
        ("What is the main cause of HIV-1 infection in children?", Kind.OTHER),
        ("per the timeline when did the talks start", Kind.WHEN),  # the source named first
        ("According to the article, is ConductAtlas part of Anthropic?", Kind.YES_NO),
    ],
)
def test_questions_are_read_by_their_kind(question, kind):
    assert classify(question).kind == kind


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("Simon & Simon starred which television and movie actor from the US?", "PERSON"),
        ("Charles Andrews graduated from what college preparatory boys' school?", "ORG"),
        ("Which company's terms of service prohibit campaigning?", "ORG"),
        ("The tornado hit a state named after which Native American tribes?", "NORP"),
        ("What film did the director of Jaws make next?", "WORK_OF_ART"),
        ("Which statute gives the council its power over the garden?", "LAW"),
    ],
)
def test_a_which_question_asks_for_the_kind_its_head_noun_names(question, label):
    """The last kind-naming noun before a preposition or verb is the phrase's head."""
    assert classify(question).labels[0] == label


def test_asked_what_someone_said_their_quoted_words_answer(assistant):
    text, _ = _short(assistant, "What did the garden's chairwoman say about the tool shed?")
    assert text == "The shed must be fixed before the first frost"


def test_a_noun_after_the_verb_is_not_the_asked_kind():
    """ "which law gives the executive ..." asks for a law, not the executive; a noun phrase
    after the first (its determiner) is the verb's object."""
    assert classify("Which law gives the executive branch its power?").labels == ("LAW",)
    assert classify("what rule lets the president act?").labels == ()


def test_a_law_the_small_model_tags_as_an_organisation_is_a_law():
    assert nlp.label_of("the International Emergency Economic Powers Act", "ORG") == "LAW"
    assert nlp.label_of("Anthropic", "ORG") == "ORG"
    assert nlp.label_of("Civil Rights Act", "PERSON") == "PERSON"


def test_a_law_question_is_answered_with_the_law(assistant):
    text, _ = _short(assistant, "Which law does the council rule the community garden under?")
    assert text == "The Municipal Gardens Act"


def test_a_how_much_question_does_not_look_for_its_own_framing_words():
    shape = classify("How much is Anthropic's Pentagon contract worth?")
    assert "worth" in shape.shape_words and shape.labels[0] == "MONEY"


def test_how_much_money_asks_for_money_only():
    """Not a count ("One") for "how much money ...", "how much did they spend ..."."""
    assert classify("how much money was the campaign planning to spend").labels == ("MONEY",)
    assert classify("How much did the council pay for the oven?").labels == ("MONEY",)
    assert classify("How much rain fell in May?").labels != ("MONEY",)


def test_a_paraphrased_amount_question_is_still_answered(assistant):
    """ "worth" only asks for an amount: the oven's price is found though the text says
    "cost"."""
    text, _ = _short(assistant, "What was the bakery's new oven worth?")
    assert text == "$45,000"


def test_a_rewording_the_block_does_not_back_is_dropped(assistant, monkeypatch):
    import rag.answer

    def invented(shape, question, asked, blocks):
        outline = blocks[0].lead.outline
        unit = outline.units[blocks[0].indices[0]]
        quote = outline.text[unit.start : unit.end]
        fake = ShortAnswer(
            text="Because of a flood in Tulsa",
            source=outline.source,
            start_char=unit.start,
            end_char=unit.end,
            quote=quote,
        )
        return fake, 0

    monkeypatch.setattr(rag.answer, "find_short_answer", invented)
    answer = assistant.ask("Why did the bakery close in March for three weeks?")
    assert not answer.abstained
    assert answer.short_answer is None
    assert "flood" not in answer.answer
    assert all(sentence.supported for sentence in answer.sentences)


@pytest.mark.parametrize(
    ("text", "gold", "f1"),
    [
        ("$200 million", ["$200 million"], 1.0),
        ("No: The bakery does not sell coffee", ["no"], 1.0),
        ("Yes: The bakery does not sell coffee", ["no"], 0.0),
        ("Rosa Delgado", ["Delgado"], 2 / 3),
    ],
)
def test_the_short_answer_metric(text, gold, f1):
    short = ShortAnswer(text=text, source="a.txt", start_char=0, end_char=1, quote="x")
    answer = Answer(question="q", answer=text, abstained=False, short_answer=short)
    assert short_answer_f1(answer, gold) == pytest.approx(f1)


def test_a_how_question_is_led_by_the_sentence_saying_by_what_means(assistant):
    """The short answer is the means, not the words of the question around it."""
    text, answer = _short(assistant, "How does the bakery keep its bread fresh?")
    assert "wrapped in linen cloths" in text and "keep fresh" not in text
    assert "The loaves keep fresh through the day by being wrapped" in answer.answer


def test_a_what_happens_if_question_is_led_by_the_sentence_saying_what_it_results_in(assistant):
    answer = assistant.ask("What happens if the bakery pays its flour supplier late?")
    assert answer.citations and "result in deliveries being stopped" in answer.citations[0].quote
    assert (
        answer.short_answer is not None and answer.short_answer.text == "Deliveries being stopped"
    )


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            "Who founded the lab?",
            "The lab was founded by former Acme executives in 2015.",
            "Former Acme executives",
        ),
        (
            "Who complained about the plan?",
            "Pentagon officials complained about the plan.",
            "Pentagon officials",
        ),
    ],
)
def test_a_who_answer_naming_whose_people_they_are_says_the_people(question, sentence, said):
    assert _said(question, sentence) == said


def test_a_why_answer_is_the_purpose_the_lead_gives_the_asked_action():
    question = "Why did the council want to change the bus routes?"
    block = sentence_block(
        "The council has sought to change the bus routes agreed last year to cut travel times."
    )
    found = find_short_answer(classify(question), question, frozenset(terms(question)), [block])
    assert found is not None and found[0].text == "To cut travel times"


def test_a_heading_saying_using_is_no_means():
    """A how-question's lead must say by what means in a sentence, not in its heading."""
    text = "How the Mill Stopped Fraud Using Old Ledgers\n\nThe clerks caught the fraud."
    block = sentence_block(text, "Mill", lead=1, indices=[0, 1])
    outline = block.lead.outline
    assert outline.units[0].is_heading
    form = answer_form("How did the mill catch the fraud?")
    assert form is not None and not form.fits(block, block)
    assert form.fits(sentence_block("The clerks caught the fraud by using old ledgers."), block)


def test_a_what_answer_is_the_part_of_the_sentence_the_question_does_not_say():
    question = "What are the current clinically-available methods to detect encephalitis antigens?"
    sentence = (
        "Currently, ELISA and IFA are the methods which are clinically-available for the "
        "detection of encephalitis antigens"
    )
    found = answer_span(sentence, Kind.OTHER, frozenset(terms(question)))
    assert found is not None
    assert sentence[found[0] : found[1]] == "ELISA and IFA"


def test_a_what_answer_is_one_piece_of_the_sentence_not_parts_of_two_clauses():
    """The likeliest span joined the end of one clause to another ("During the meeting and
    said that ..."): the answer is the likeliest that hangs together in the parse."""
    sentence = (
        "Hegseth praised Anthropic's products during the meeting and said that the Department "
        "of Defense wanted to continue working with Anthropic, according to one source"
    )
    asked = frozenset(terms("what deadline did hegseth set for anthropic?"))
    found = answer_span(sentence, Kind.OTHER, asked)
    assert found is not None
    said = sentence[found[0] : found[1]]
    assert not said.lower().startswith("during the meeting and")
    assert one_piece(nlp.dependencies(sentence), *found), said


def test_an_answer_does_not_start_inside_a_phrase():
    """No span of the letter sentence hangs together, and the likeliest started at "Google"
    of "workers from OpenAI and Google signed ...", saying that Google signed it."""
    sentence = (
        "This week, several hundred workers from OpenAI and Google signed [an open letter]"
        "(https://notdivided.org/) supporting Anthropic and criticizing their own companies’ "
        "decisions to remove restrictions on military use of AI."
    )
    asked = frozenset(terms("what did the openai and google workers' letter ask for?"))
    found = answer_span(sentence, Kind.OTHER, asked)
    assert found is not None
    assert not sentence[found[0] :].startswith("Google")


@pytest.mark.parametrize(
    ("piece", "whole"),
    [
        ("during the meeting", True),
        ("during the meeting and said that the Department", False),
        ("throttled, suspended, or permanently terminated", True),  # a list parsed apart
        ("products during the meeting and said", False),
    ],
)
def test_one_piece_of_the_parse(piece, whole):
    sentence = (
        "Hegseth praised Anthropic's products during the meeting and said that the Department "
        "of Defense wanted to continue, and violations can result in your account being "
        "throttled, suspended, or permanently terminated without prior notice"
    )
    start = sentence.index(piece)
    assert one_piece(nlp.dependencies(sentence), start, start + len(piece)) is whole


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("How many loaves did the bakery sell last year?", None),  # what was: no supposition
        ("How many loaves could the bakery sell with a second oven?", "5,000"),
    ],
)
def test_a_number_in_an_if_clause_answers_only_what_could_be(question, said):
    block = sentence_block("If the bakery sold 5,000 loaves a day, it would need a second oven.")
    found = find_short_answer(classify(question), question, frozenset(terms(question)), [block])
    assert (found[0].text if found else None) == said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("How long did the council argue?", "The council argued for weeks before Friday.", None),
        ("How long did the council argue?", "The council argued last year.", None),
        ("How long did the council argue?", "The council argued for six months.", "Six months"),
        ("How long did the council argue?", "It argued for a year and then voted.", "A year"),
        ("How long is the phase out?", "There will be a six month phase out period.", "Six months"),
        ("How long is the review?", "They set a 90-day review period.", "90 days"),
        ("How long is the review?", "They set a one-year review period.", "One-year"),
        ("When did the council argue?", "The council argued for weeks in March.", "March"),
    ],
)
def test_a_length_of_time_is_a_number_of_units(question, sentence, said):
    """ "How long" is answered only by a length ("six months", "a year"): not a day, not
    "last year", and a bare "weeks" answers neither how long nor when."""
    assert _said(question, sentence) == said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("The US army leaders met to plan the raid.", None),
        ("They met to plan the capture of Peru's president.", None),
        ("The leaders met in Lima to plan the raid.", "In Lima"),
    ],
)
def test_a_where_answer_is_a_place_not_a_name_qualifying_a_noun(sentence, said):
    """ "Where did the leaders meet?" is not answered "US" by "the US army leaders", nor
    "Peru" by "Peru's president": those say whose, not where."""
    question = "Where did the leaders meet to plan the raid?"
    assert _said(question, sentence) == said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            "Who is Lena Okafor?",
            "Harbour Minister Lena Okafor opened the bridge.",
            "Harbour Minister",
        ),
        (
            "who is lena okafor",
            "The bridge was opened by Lena Okafor, the city's harbour minister, on Monday.",
            "The city's harbour minister",
        ),
        (
            "Who was Lena Okafor?",
            "Lena Okafor is the city's harbour minister.",
            "The city's harbour minister",
        ),
        (
            "Who's Okafor?",
            "The city's harbour minister, Lena Okafor, opened it.",
            "The city's harbour minister",
        ),
        ("Who is the harbour minister?", "Harbour Minister Lena Okafor opened it.", "Lena Okafor"),
        (
            "Who is Lena Okafor, the official quoted on the bridge opening?",
            "Harbour Minister Lena Okafor opened the bridge.",
            "Harbour Minister",
        ),  # what the question says of her is not part of her name
    ],
)
def test_who_is_a_named_person_is_answered_with_their_role(question, sentence, said):
    """ "Who is X?" asks what X is: the title before the name, the phrase beside it or what
    the sentence says X is; not a word of the title tagged as an organisation."""
    assert _said(question, sentence) == said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("As the 2026 election cycle nears, the council voted on the new rules.", None),
        ("The March 3 vote on the new rules was close.", "March 3"),
    ],
)
def test_a_when_answer_is_not_a_time_qualifying_another_noun(sentence, said):
    question = "When did the council vote on the new rules?"
    assert _said(question, sentence) == said


def _spans(sentence: str, question: str) -> list[str]:
    """The texts of the sentence's candidate answer spans for a what-question."""
    asked = frozenset(terms(question))
    return [sentence[s.start : s.end] for s in candidates(sentence, Kind.OTHER, asked)]


def test_a_span_never_holds_half_a_parenthesis_or_quotation():
    sentence = (
        'They Flew Alone (released in the US as "Wings and the Woman") is a 1942 British '
        "biopic about aviator Amy Johnson, directed by Herbert Wilcox"
    )
    spans = _spans(sentence, "What was the profession of Amy Johnson?")
    assert "Wings and the Woman" in " ".join(spans)
    assert not any(span.count("(") != span.count(")") for span in spans)
    assert not any(span.count('"') % 2 for span in spans)


def test_a_span_never_starts_in_a_section_label():
    sentence = "Abstract: BACKGROUND: Mother-to-child transmission is the main cause of infection"
    spans = _spans(sentence, "What is the main cause of infection in children?")
    assert all(sentence.index(span) >= sentence.index("Mother") for span in spans)


def test_a_span_neither_starts_on_a_conjunction_nor_ends_on_a_reference_marker():
    sentence = (
        "ELISA and IFA are the methods in use, but they could only detect one pathogen in one "
        "assay [2, 3]"
    )
    question = "What are the limits of the methods in use?"
    spans = _spans(sentence, question)
    assert not any(span.split()[0] in ("and", "but") for span in spans)
    assert not any(span.split()[-1] in ("and", "but") for span in spans)
    found = answer_span(sentence, Kind.OTHER, frozenset(terms(question)))
    assert found is not None and not sentence[: found[1]].endswith(("]", ",", " "))


def test_no_span_when_the_sentence_only_repeats_the_question():
    asked = frozenset(terms("Does the bakery sell fresh bread every day?"))
    assert answer_span("The bakery sells fresh bread every day", Kind.YES_NO, asked) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [  # a choice between two things: neither "yes" nor "no" fits, the sentence's words do
        ("Is the bakery bread stored on shelves or in baskets?", "Kept on open shelves near"),
        ("Why do volunteers water the beds in the evening?", "During dry weeks"),  # no cause word
    ],
)
def test_without_a_verdict_or_a_cause_the_span_that_answers_leads(assistant, question, expected):
    text, _ = _short(assistant, question)
    assert text.startswith(expected) and not text.startswith(("Yes", "No", "Because"))


def test_a_short_answer_ending_in_a_closed_quotation_gets_no_second_full_stop():
    block = sentence_block('Altman said it was a "red line." Others agreed.')
    said = 'Altman said it was a "red line."'
    short = ShortAnswer(
        text=f"CEO {said}", source="a.md", start_char=0, end_char=len(said), quote=said
    )
    draft = compose([block], [block.lead.passage], 1.0, short)
    assert draft.answer.startswith('CEO Altman said it was a "red line." [1]'), draft.answer


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "But the mayor argues that the oven smoke harms the street.",
            "Because the mayor argues that the oven smoke harms the street",
        ),
        (
            "The mayor objected, claiming that the smoke harms the street.",
            "Because the mayor objected, claiming that the smoke harms the street",
        ),
        (  # a cause said with "stems from", "prompted by" ...
            "The mayor's objection stems from the smoke the oven blows into the street.",
            "Because of the smoke the oven blows into the street",
        ),
    ],
)
def test_a_claimed_reason_is_the_why_answer(sentence, expected):
    question = "Why does the mayor object to the bakery's oven?"
    found = find_short_answer(
        classify(question), question, frozenset(terms(question)), [sentence_block(sentence)]
    )
    assert found is not None and found[0].text == expected


@pytest.mark.parametrize(
    ("question", "deadline"),
    [
        ("What deadline did the council set?", True),
        ("By when must the shed be repaired?", True),
        ("when did hegseth want an answer from anthropic by?", True),
        ("When was the garden inspected by the council?", False),
        ("When did the council inspect the garden?", False),
    ],
)
def test_a_deadline_question_prefers_the_date_after_until_or_by(
    question: str, deadline: bool
) -> None:
    assert (classify(question).prefer_after is not None) == deadline


def test_a_glued_table_row_is_said_as_its_first_new_cell():
    """Page extraction glued the cells of a timeline row; the short answer is the event."""
    text = (
        "Timeline of the harbour works\n\nPeriodKey EventOutcome\n"
        "Early 2026Piers closed for repairsShips rerouted\n"
        "March 2026Court rulings partially favor the harbour cityNew piers approved\n\n"
        "The timeline shows how the works went."
    )
    question = "What happened in March 2026?"
    block = sentence_block(text, lead=_unit_of(text, "March 2026"))
    found = find_short_answer(classify(question), question, frozenset(terms(question)), [block])
    assert found is not None and found[0].text == "Court rulings partially favor the harbour city"
    question = "What happened in April 2026 according to the timeline?"  # a span from mid-cell
    text = text.replace("\n\nThe", "\nApril 2026Direct talks on the next ferryOngoing talks\n\nThe")
    block = sentence_block(text, lead=_unit_of(text, "April 2026"))
    found = find_short_answer(classify(question), question, frozenset(terms(question)), [block])
    assert found is not None and found[0].text == "Direct talks on the next ferry"


@pytest.mark.parametrize(
    ("question", "opening", "said"),
    [
        ("When did the courts favour the harbour city?", "March 2026", "March 2026"),
        ("When were the piers closed?", "Early 2026", "Early 2026"),  # untagged: "2026Piers"
        ("per the timeline when did direct talks on the ferry start", "April 2026", "April 2026"),
    ],
)
def test_a_when_question_over_a_glued_table_row_is_answered_with_its_date_cell(
    question, opening, said
):
    """The tagger reads "March 2026Court" as one date, or no date at all in "Early
    2026Piers"; the answer is the row's date cell, not nothing."""
    text = (
        "Timeline of the harbour works\n\nPeriodKey EventOutcome\n"
        "Early 2026Piers closed for repairsShips rerouted\n"
        "March 2026Court rulings partially favor the harbour cityNew piers approved\n"
        "April 2026Direct talks on the next ferryOngoing talks\n\n"
        "The timeline shows how the works went."
    )
    block = sentence_block(text, lead=_unit_of(text, opening))
    found = find_short_answer(classify(question), question, frozenset(terms(question)), [block])
    assert found is not None and found[0].text == said


def _unit_of(text: str, opening: str) -> int:
    outline = sentence_block(text).lead.outline
    return next(i for i in range(len(outline.units)) if outline.unit_text(i).startswith(opening))


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("Studies projected that 35\u202f000 ventilators would be needed.", "35 000"),
        ("Studies projected that over 250 000 ventilators would be needed.", "Over 250 000"),
        ("Studies projected that 1 250 000 ventilators would be needed.", "1 250 000"),
    ],
)
def test_a_number_written_with_spaced_digit_groups_is_said_whole(sentence, said):
    """The tagger cuts "35 000" at its (often narrow, no-break) space: the answer is the whole
    number, not "000" (shown with a plain space)."""
    assert _said("How many ventilators were needed?", sentence) == said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        (
            "Studies projected that 35\u202f000 to 60\u202f000 ventilators are needed.",
            "35 000 to 60 000",
        ),
        ("The fatality rate ranged from 14% to 45% in the outbreak.", "14% to 45%"),
        ("A cluster of 1250 to 1750 people was studied.", "1250 to 1750"),
        ("The chain grew from 2019 to 300 people in its stores.", "300"),
    ],
)
def test_an_amount_is_said_with_the_range_it_ends(sentence, said):
    """The tagger tags the two ends of a range apart; the answer is the range, but a year
    before a number does not make one."""
    question = "How many were there?" if "people" in sentence else "How many were needed?"
    if "rate" in sentence:
        question = "How high was the fatality rate?"
    assert _said(question, sentence) == said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("The new oven, worth $45,000, arrived last year.", "$45,000"),
        ("Several hundred bakers came to see the new oven last year.", None),
    ],
)
def test_what_something_is_worth_is_an_amount_of_money(sentence, said):
    """ "What was it worth?" is answered by money, not by a count of something else."""
    assert _said("What was the new oven worth?", sentence) == said
