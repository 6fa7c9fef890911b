"""Sentence-level verification: claims, citation validity, numbers and names."""

from __future__ import annotations

import numpy as np

from rag.verify import verify


def _no_similarity(texts: list[str]) -> np.ndarray:
    return np.eye(len(texts), 8)  # orthogonal: similarity never rescues a claim


SOURCES = {1: "Alpha is first. Beta is second.", 2: "Gamma counted 41 stars with Dana Reyes."}


def test_a_block_of_sentences_shares_its_citation():
    checked = verify("Alpha is first. Beta is second. [1]", SOURCES, _no_similarity)
    (claim,) = checked.sentences
    assert claim.supported and claim.citations == [1] and claim.lexical == 1.0
    assert checked.support == 1.0 and checked.text == "Alpha is first. Beta is second. [1]"


def test_unknown_citation_numbers_are_dropped_and_leave_the_claim_uncited():
    checked = verify("Alpha is first [7]. Beta is second [1].", SOURCES, _no_similarity)
    first, second = checked.sentences
    assert first.citations == [] and first.invalid_citations == [7] and not first.supported
    assert "[7]" not in checked.text and second.supported
    assert checked.support == 0.5


def test_numbers_and_names_must_appear_in_the_cited_text():
    checked = verify(
        "Gamma counted 42 stars [2]. Gamma counted 41 stars with Sam Reyes [2]. "
        "Gamma counted 41 stars with Dana Reyes [2].",
        SOURCES,
        _no_similarity,
    )
    assert [s.missing for s in checked.sentences] == [["42"], ["Sam"], []]
    assert [s.supported for s in checked.sentences] == [False, False, True]


def test_similarity_rescues_a_paraphrase_but_not_an_unrelated_claim():
    paraphrase = "Alpha comes before the others [1]."

    def similar(texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4)) / 2  # similarity 1.0

    assert not verify(paraphrase, SOURCES, _no_similarity).sentences[0].supported
    assert verify(paraphrase, SOURCES, similar).sentences[0].supported
    assert not verify("Zeta rules everything [1].", SOURCES, similar).sentences[0].supported


def test_remove_drops_unsupported_claims_from_the_text():
    checked = verify("Alpha is first [1]. Nobody knows why.", SOURCES, _no_similarity, True)
    assert checked.text == "Alpha is first. [1]"
    assert [s.supported for s in checked.sentences] == [True, False]
