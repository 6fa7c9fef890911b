"""The spaCy pipeline loads offline from its wheel and finds the entities answers lean on."""

from rag.nlp import parse, pipeline


def test_the_pipeline_is_en_core_web_sm_3_8_0() -> None:
    meta = pipeline().meta
    assert (meta["lang"], meta["version"]) == ("en", "3.8.0")
    assert meta["performance"]["ents_f"] == 0.8433119744  # as published for en_core_web_sm 3.8.0


def test_entities_of_a_corpus_like_sentence() -> None:
    doc = parse("Anthropic signed a $200 million deal with the Pentagon, Pete Hegseth said.")
    found = {(entity.text, entity.label_) for entity in doc.ents}
    assert ("$200 million", "MONEY") in found
    assert ("Pete Hegseth", "PERSON") in found
