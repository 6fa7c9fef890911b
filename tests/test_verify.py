"""Sentence-level verification: claims, citation validity, numbers and names."""

from __future__ import annotations

import numpy as np

from rag.verify import verify


def _no_similarity(texts: list[str]) -> np.ndarray:
    return np.eye(len(texts), 8)  # orthogonal: similarity never rescues a claim


SOURCES = {1: "Alpha is first. Beta is second.", 2: "Gamma counted 41 stars with Dana Reyes."}


def test_a_block_of_quoted_sentences_shares_its_citation():
    checked = verify("Alpha is first. Beta is second. [1]", SOURCES, _no_similarity)
    quote, claim = checked.sentences
    assert quote.supported and quote.citations == [1] and quote.text == "Alpha is first."
    assert claim.supported and claim.citations == [1] and claim.lexical == 1.0
    assert checked.support == 1.0 and checked.text == "Alpha is first. Beta is second. [1]"


def test_an_unmarked_sentence_is_judged_on_its_own_not_with_the_cited_one_after_it():
    filler = verify(
        "Many observers see this as alpha being first. Alpha is first. Beta is second [1].",
        SOURCES,
        _no_similarity,
    )
    assert [s.supported for s in filler.sentences] == [False, True, True]
    paraphrase = verify("Alpha comes first. Beta is second [1].", SOURCES, _no_similarity)
    assert [s.supported for s in paraphrase.sentences] == [False, True]
    assert paraphrase.sentences[0].citations == []


def test_an_unmarked_quote_counts_only_for_the_passage_the_next_marker_cites():
    other = verify(
        "Gamma counted 41 stars with Dana Reyes. Alpha is first [1].", SOURCES, _no_similarity
    )
    assert [s.supported for s in other.sentences] == [False, True]
    broken = verify("Alpha is first. Beta is second [9].", SOURCES, _no_similarity)
    assert [s.supported for s in broken.sentences] == [False, False]
    last = verify("Alpha is first [1]. Beta is second.", SOURCES, _no_similarity)
    assert [s.supported for s in last.sentences] == [True, False]


def test_a_quote_matches_the_passage_as_the_extractive_engine_shows_it():
    sources = {
        1: "## Results\nSee [Acme review](https://example.org/r) for **all** details [12].\n"
        "It was long &amp; dull.\nThe end came."
    }
    answer = "Results: See Acme review for all details. It was long & dull. The end came. [1]"
    assert all(s.supported for s in verify(answer, sources, _no_similarity).sentences)
    skipping = verify("See Acme review for details. The end came. [1]", sources, _no_similarity)
    assert [s.supported for s in skipping.sentences] == [False, True]


def test_removing_a_blocks_marked_sentence_moves_its_marker_to_the_quote_kept():
    checked = verify("Alpha is first. Alpha counted 99 stars [1].", SOURCES, _no_similarity, True)
    assert [s.supported for s in checked.sentences] == [True, False]
    assert checked.text == "Alpha is first. [1]"


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


def test_an_abbreviation_does_not_end_the_sentence_checked():
    """ "No: In 2020, former U.S. President Dana Reyes ..." is one claim: cut after "U.S." its
    first half is a reworded quote no passage holds word for word."""
    source = {1: "In 2020, former U.S. President Dana Reyes counted 41 stars."}
    checked = verify(
        "No: In 2020, former U.S. President Dana Reyes counted 41 stars [1]",
        source,
        _no_similarity,
    )
    assert [s.supported for s in checked.sentences] == [True]
