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
