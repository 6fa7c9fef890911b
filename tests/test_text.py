"""Sentence spans are exact and stripped; abbreviations and glued words are handled."""

from rag.text import sentence_spans, terms


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_sentences_split_on_end_punctuation_and_lines():
    text = "  First one. Second one?\nThird line without stop\n\n“Quoted.” Next (one)!"
    assert _sentences(text) == [
        "First one.",
        "Second one?",
        "Third line without stop",
        "“Quoted.”",
        "Next (one)!",
    ]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Dr. Smith met Mr. J. Doe in the U.S. Army. Then they left."
    assert _sentences(text) == ["Dr. Smith met Mr. J. Doe in the U.S. Army.", "Then they left."]


def test_terms_split_glued_words_and_drop_stopwords():
    assert terms("April 2026Direct engagement on the modelOngoing") == [
        "april",
        "2026",
        "direct",
        "engag",
        "model",
        "ongo",
    ]
    assert terms("Anthropic's employees") == ["anthrop", "employe"]


def test_a_camel_case_name_is_also_one_word():
    assert terms("ConductAtlas is independent") == ["conduct", "atlas", "conductatla", "independ"]
    assert "conductatla" in terms("is conductatlas part of anthropic?")


def test_a_hyphenated_phrase_is_one_word_a_compound_keeps_its_parts():
    assert "run" not in terms("The campaign's run-in with Anthropic")  # not "who runs"
    assert terms("run-of-the-mill") == terms("run-of-the-mill") == ["runofthemil"]
    assert terms("open-source AI-generated") == ["open", "sourc", "ai", "generat"]


def test_accented_words_match_them_typed_without_accents():
    assert terms("A naïve café in São Paulo, Zürich and Łódź; Straße") == terms(
        "A naive cafe in Sao Paulo, Zurich and Lodz; Strasse"
    )
    assert terms("Beyoncé’s Œuvre") == ["beyonc", "oeuvr"]
