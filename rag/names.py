"""Names a question gives that the retrieved documents never mention: then the documents are
about something else and the engine declines. A name is looked for as written, by its stem
("Americans" in "American") and misspelt by a letter or two too many ("Brittish" for
"British"); a nationality or a short abbreviation ("German", "DJ", "API") is only a
descriptor beside names the documents do hold, so it alone declines only when it is all the
question names."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from rag import nlp
from rag.lemmas import in_dictionary, is_english
from rag.text import STOPWORDS, terms
from rag.types import Document

_NAME = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z0-9]|\b[A-Z]\b")
_POSSESSIVE = re.compile(r"['’](?:s|m|ve|d|ll|re)?$")  # "Trump's"; "I'm", "I've": "I"
_SENTENCE_START = re.compile(r"(?:^|[.!?:][\"'”’)]*)\s*[\"'“‘(]*$")
_NOT_NAMES = frozenset({"i", "a"})
_DESCRIPTORS = frozenset({"NORP", "LANGUAGE"})  # nationalities, religions, languages
_ABBREVIATION = re.compile(r"^[A-Z]{2,3}$")
_WORD = re.compile(r"[a-z0-9]+")
_ACRONYM = re.compile(r"\b[A-Za-z][A-Za-z]{1,5}\b(?!['’](?![sS]\b))")  # "DoD's", not "don't"
_CAPITALISED_RUN = re.compile(
    r"\b[A-Z][a-zA-Z]+(?:\s+(?:(?:of|and|for|the|on)\s+)?[A-Z][a-zA-Z]+)+"
)  # "API Usage Policy": a word in capitals may start the run
_IN_CAPITALS = re.compile(r"\b[A-Z]{2,6}\b")  # "AUP"
_QUESTION_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
_FEW = 3  # times at most a page writes an acronym it is taken to spell out: a common one
# ("AI" 23 times) is read as itself, not as a run of capitals with its initials
_PLAIN_WORD = re.compile(r"\b[a-z]{3,}\b")
NAME_SHARE = 0.8  # of the times the texts write a word, capitalised: a name
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b(?!['’])")  # not "didn" of "didn't"
_TYPO_LENGTH = 8  # letters a lower-case word needs to be read as a typo of a word
_DERIVED_SHARE = 0.75  # a documents' word this much of a lower-case name's start is its root
_CONTRACTED = re.compile(r"^(?P<word>[a-z]+?)(?:nt|s|re|ve|ll|d|m)$")  # "dont", "whats"
# a noun of a verb and its particle, written as one word: "workarounds", "pushback", "lockout"
_VERB_PARTICLE = re.compile(r"^(?P<verb>[a-z]{3,}?)(?:around|out|back|down|off|up|over|away)s?$")
_EXTRA_LETTERS = 2  # a misspelling with up to this many letters too many is still the name
_MIN_SPELLED = 4  # ... if the name as the documents spell it has at least this many


def question_names(question: str) -> list[tuple[int, str]]:
    """Each capitalised word of the question that does not start it or a sentence of it
    (each part of a hyphenated name, without a possessive), with its offset."""
    found = []
    for match in _NAME.finditer(question):
        if _SENTENCE_START.search(question[: match.start()]):
            continue
        offset = match.start()
        for part in _POSSESSIVE.sub("", match.group()).split("-"):  # "Anthropic-Trump"
            if part and part.lower() not in _NOT_NAMES:
                found.append((offset, part))
            offset += len(part) + 1
    return found


def lower_case_names(question: str) -> list[tuple[int, str]]:
    """In a question typed in lower case ("did elon musk say anything?"), the words no English
    dictionary has in any form, nor as a contraction without its apostrophe ("dont"): most
    likely names; none when a capital letter follows the first (its writer capitalises)."""
    if question[1:] != question[1:].lower():
        return []
    return [
        (match.start(), match.group())
        for match in _LOWER_WORD.finditer(question)
        if not is_english(match.group())
        and not _contraction(match.group())
        and not _verb_particle(match.group())
        and not _misspelt_word(match.group())
    ]


def with_names_capitalised(question: str) -> str:
    """The question with the names it types in lower case capitalised ("what did amodei
    write ...?" -> "... Amodei ..."), so the tagger reads them as names."""
    for start, word in lower_case_names(question):
        question = question[:start] + word[:1].upper() + word[1:] + question[start + len(word) :]
    return question


def _misspelt_word(word: str) -> bool:
    """A long word one letter off an English word (one dropped, doubled wrong or swapped:
    "specificaly", "goverment", "recieve"): a typo, not a name. Short words are not
    tried: one letter turns many a short name into a word."""
    if len(word) < _TYPO_LENGTH:
        return False
    letters = "abcdefghijklmnopqrstuvwxyz"
    cut = (word[:i] + word[i + 1 :] for i in range(len(word)))
    added = (word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters)
    swapped = (word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
    return any(in_dictionary(variant) for variant in itertools.chain(cut, added, swapped))


def _verb_particle(word: str) -> bool:
    joined = _VERB_PARTICLE.match(word)
    return joined is not None and is_english(joined["verb"])


def _contraction(word: str) -> bool:
    contracted = _CONTRACTED.match(word)
    return contracted is not None and is_english(contracted["word"])


def spelled_out(question: str, documents: dict[str, Document]) -> str:
    """The question with each acronym the documents never write but spell out in capitalised
    words put as they spell it ("would the dnc get locked out?" -> "would the Democratic
    National Committee get locked out?"; "DoD" -> "Department of Defense")."""
    typed_lower = question[1:] == question[1:].lower()
    acronyms = [m for m in _ACRONYM.finditer(question) if _acronym_like(m.group(), typed_lower)]
    if not acronyms:
        return question
    texts = [document.text for document in documents.values()]
    for match in reversed(acronyms):  # from the end: the offsets before it stay right
        letters = match.group().lower()
        if _written(letters, [_plain(text) for text in texts], word_start=True):
            continue
        phrase = next((p for text in texts if (p := _expansion(letters, text))), None)
        if phrase is not None:
            question = question[: match.start()] + phrase + question[match.end() :]
    return question


def with_acronyms(question: str, documents: dict[str, Document]) -> str:
    """The question with an acronym a page spells out (`acronyms_spelled`) after the words of
    the question whose initials spell it ("what happens if someone breaks the acceptable use
    policy?": "acceptable use policy (AUP)", as the page calls it)."""
    written = {
        acronym.lower(): acronym
        for document in documents.values()
        for acronym in acronyms_spelled(document.text)
        if len(acronym) >= 3
    }
    words = list(_QUESTION_WORD.finditer(question))
    for size in (4, 3):
        for run in (words[i : i + size] for i in range(len(words) - size + 1)):
            acronym = written.get("".join(word.group()[0] for word in run).lower())
            if acronym is not None and acronym not in question:
                end = run[-1].end()
                return f"{question[:end]} ({acronym}){question[end:]}"
    return question


@lru_cache(maxsize=256)
def acronyms_spelled(text: str) -> dict[str, str]:
    """Each acronym a text writes in capitals that a run of its own capitalised words spells
    out ("AUP": "API Usage Policy"), so a sentence saying "Anthropic's AUP" is found by the
    question's "usage policy"."""
    written = Counter(_IN_CAPITALS.findall(text))
    rare = {a.lower(): a for a, times in written.items() if times <= _FEW}  # not "AI", "US"
    if not rare:
        return {}
    found: dict[str, str] = {}
    for letters, phrase in _spellings(text):
        acronym = rare.get(letters)
        if acronym is not None and acronym not in found and acronym not in phrase.split():
            found[acronym] = phrase
    return found


def _acronym_like(word: str, typed_lower: bool) -> bool:
    """Written in capitals ("DNC", "DoD"), or, in a question typed in lower case, in no
    dictionary ("dnc"; not "sang" or "who")."""
    if word[1:] != word[1:].lower():
        return True
    return typed_lower and word.islower() and not is_english(word) and not _contraction(word)


def _expansion(letters: str, text: str) -> str | None:
    """A run of capitalised words in `text` whose initials are `letters`, with or without
    the small words between them ("Department of Defense": "dd" or "dod")."""
    return next((phrase for said, phrase in _spellings(text) if said == letters), None)


def _spellings(text: str) -> Iterator[tuple[str, str]]:
    """Every run of capitalised words in `text` (a part of a longer one too) with the
    letters it spells: its initials, and those of its capitalised words only."""
    for run in _CAPITALISED_RUN.finditer(text):
        words = run.group().split()
        for first, last in itertools.combinations(range(len(words) + 1), 2):
            part = words[first:last]
            capitalised = [word for word in part if word[0].isupper()]
            if not (part[0][0].isupper() and part[-1][0].isupper()):
                continue  # "If the Democratic National Committee": not from "the"
            if any(word.lower() in STOPWORDS for word in capitalised):
                continue  # a heading in title case ("Do Not Compromise Elections")
            phrase = " ".join(part)
            yield "".join(word[0] for word in part).lower(), phrase
            yield "".join(word[0] for word in capitalised).lower(), phrase


def missing_name(question: str, documents: dict[str, Document]) -> bool:
    """Whether a name of the question is in none of the retrieved documents (a nationality
    or abbreviation counts only when no name of the question is found)."""
    names = question_names(question)
    typed_lower = not names
    if typed_lower:
        names = lower_case_names(question)
    texts = [_plain(document.text) for document in documents.values()]
    missing = [(o, name) for o, name in names if not _written(name, texts, typed_lower)]
    if missing:
        vocabulary = {word for text in texts for word in _WORD.findall(text)}
        missing = [(o, name) for o, name in missing if not _misspelt(_plain(name), vocabulary)]
    if missing and typed_lower:  # "hyperinflationary" where the documents say "hyperinflation"
        missing = [(o, name) for o, name in missing if not _derived(name, vocabulary)]
    if not missing or len(missing) == len(names):
        return bool(missing)
    descriptors = _descriptor_offsets(question)
    return any(
        offset not in descriptors and not _ABBREVIATION.match(name) for offset, name in missing
    )


def _written(name: str, texts: list[str], word_start: bool = False) -> bool:
    """The name in a text as written or as its stem; with `word_start`, only at the start of
    a word (a lower-case "elon" is not the "elon" in "belong")."""
    word = _plain(name)
    stemmed = terms(word)
    stem = stemmed[0] if len(stemmed) == 1 else word
    if word_start:
        found = re.compile(rf"\b(?:{re.escape(word)}|{re.escape(stem)})")
        return any(found.search(text) for text in texts)
    return any(word in text or stem in text for text in texts)


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")  # an accent decomposes after its letter, in the run


@lru_cache(maxsize=64)  # the same documents' texts come back question after question
def _plain(text: str) -> str:
    """Lower case without accents (the question's names and the documents alike), so a
    question typing "horyu" finds "Hōryū" and "Nicolás" finds "Nicolás"."""
    lowered = text.lower()
    if lowered.isascii():  # nothing to strip: most documents, and a character loop saved
        return lowered
    return _NOT_ASCII.sub(_unaccented, lowered)  # only the runs an accent can sit in


def _unaccented(run: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", run.group())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _derived(word: str, vocabulary: set[str]) -> bool:
    """A word of the documents that starts `word` and makes most of it (its root)."""
    least = max(_DERIVED_SHARE * len(word), _MIN_SPELLED)
    return any(len(known) >= least and word.startswith(known) for known in vocabulary)


def _misspelt(word: str, vocabulary: set[str]) -> bool:
    """A word of the documents that `word` holds in order with a few letters more and the
    same first letter ("gotha" in "gothais", "british" in "brittish")."""
    sizes = range(max(len(word) - _EXTRA_LETTERS, _MIN_SPELLED), len(word))
    return any(
        len(known) in sizes and known[0] == word[0] and _holds_in_order(word, known)
        for known in vocabulary
    )


def _holds_in_order(word: str, part: str) -> bool:
    letters = iter(word)
    return all(letter in letters for letter in part)


def _descriptor_offsets(question: str) -> set[int]:
    """Offsets of the question's words inside a nationality, religion or language entity."""
    return {
        start + word.start()
        for start, end, label in nlp.entities([question])[0]
        if label in _DESCRIPTORS
        for word in re.finditer(r"[^\s-]+", question[start:end])
    }


def written_as_names(question: str, texts: list[str]) -> frozenset[str]:
    """The words the question types in lower case that the texts write capitalised at least
    twice and NAME_SHARE of the times ("anthropic", "pentagon"; a link's "/tag/anthropic/"
    aside): names, though a dictionary may hold them. Empty when a capital letter follows
    the first (its writer capitalises)."""
    if question[1:] != question[1:].lower():
        return frozenset()
    found = set()
    joined = "\n".join(texts)
    lowered = joined.lower()  # searched as typed: a case-blind pattern scans far slower
    aligned = len(lowered) == len(joined)  # not when a letter's lower case is longer ("İ")
    for word in set(_PLAIN_WORD.findall(question)) - STOPWORDS:
        if aligned:
            written = [joined[at : at + len(word)] for at in _whole_word_at(word, lowered)]
        else:
            written = [m.group() for m in re.finditer(rf"\b{word}\b", joined, re.I)]
        capitalised = sum(1 for w in written if w[0].isupper() and not w.isupper())  # not "CEO"
        if capitalised >= 2 and capitalised >= NAME_SHARE * len(written):
            found.add(word)
    return frozenset(found)


def _whole_word_at(word: str, text: str) -> Iterator[int]:
    """Where `word` stands as a whole word in `text` (found as a plain string: a pattern
    starting with a word boundary scans ~20 times slower)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (_word_char(text, at - 1) or _word_char(text, end)):
            yield at
        at = text.find(word, at + 1)


def _word_char(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


_ELSE = frozenset("else other others another besides".split())
_CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[A-Z][\w&-]*")


def named_before(question: str, context: str, texts: list[str]) -> frozenset[str]:
    """For a follow-up asking who or what else ("who else signed deals like that?"), the terms
    of the names its earlier question gave (typed in lower case, as `texts` write them
    capitalised): the answer is someone else. Empty for any other question."""
    if not context or not _ELSE.intersection(question.lower().rstrip("?").split()):
        return frozenset()
    capitalised = _CAPITALISED_WORD.findall(context.split(None, 1)[-1])  # not its first word
    return frozenset(terms(" ".join([*written_as_names(context, texts), *capitalised])))
