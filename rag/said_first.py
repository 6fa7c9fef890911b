"""Which sentence leads when the question asks how something was done or said: the best
one saying the question's verb ("how did they catch ...?": "... reviews caught the
activity"), what follows a failure, what a thing is used for, or a quotation ("what wording
...?"), rather than the best-scoring sentence that only restates the topic."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from rag import nlp
from rag.advice import tells_reader
from rag.asides import asks_if_failing
from rag.lemmas import equivalents
from rag.outline import Candidate
from rag.questions import Kind, Shape
from rag.scoring import SIMILARITY_POOL
from rag.synonyms import synonyms
from rag.text import QUOTATION, terms

_SAYS_VERB = 0.7  # share of the best score a sentence saying a how-question's verb needs
_LIGHT_VERBS = frozenset(terms("be do have get make go work"))  # said in other words
_FAILING = frozenset(term for word in ("fail",) for term in {word} | synonyms(word))
_USED_FOR = re.compile(
    r"\bus(?:e|es|ed|ing)\b(?:\s+[\w'’-]+){0,4}?\s+for(?:\s+them)?\s*\??\s*$", re.IGNORECASE
)
_USE = frozenset(terms("use"))
# "wanted to use the AI for high-volume tasks": what for, not "tried to use ... to power"
_USE_FOR_SAID = re.compile(r"\bus(?:e|es|ed|ing)\b(?:\s+[\w'’-]+){0,4}?\s+for\b", re.IGNORECASE)
_AIMS = frozenset(terms("want wanted wanting try tried trying seek sought hope hoped plan planned"))
_WHO_DID = re.compile(r"\s*who\s+(?!(?:is|was|are|were)\b)\w+", re.IGNORECASE)
# "did they get a heads up first?", "was the campaign warned?": what happened to someone else
_WHAT_HAPPENED_TO = re.compile(
    r"^\s*(?:was\s+it\s+\w+(?:\s+\w+)?\s+or\s+)?(?:did|was|were|had)\s+"
    r"(?!(?:i|we|you|my|our|your)\b)",
    re.IGNORECASE,
)
_READ_FOR_ADVICE = 3  # best sentences read for advice (a parse each, for few)
_ADVICE_WORDS = re.compile(
    r"\b(?:advis|recommend|suggest|tell|told|urg|say|said|should|must)", re.I
)
_DENY = re.compile(r"\bden(?:y|ies|ied|ying|ial)\b", re.IGNORECASE)
# A denial of a deed: "denied ever raising concerns", "denies that it signed"
_DENIED = re.compile(
    r"\bden(?:y|ies|ied|ying)\s+(?:ever\s+|having\s+)?(\w+ing)\b"
    r"|\bden(?:y|ies|ied|ying)\s+that\s+(?:it|he|she|they)\s+(?:ever\s+)?(\w+)",
    re.IGNORECASE,
)


def verb_said_first(shape: Shape, question: str, ranked: list[Candidate]) -> Candidate | None:
    """For a how-question ("how did anthropic catch the trump team using claude?"), when the
    best sentence does not say its verb in any form or synonym, the best one scoring at
    least _SAYS_VERB of it that does, to lead: "Anthropic's automated systems and manual
    reviews caught the activity", not "When the Trump team sought to integrate Claude".
    Likewise for a question on what follows a failure ("if the talks fail"): a sentence
    saying one ("unresolved issues could prompt Anthropic to ..."); and for what a thing is
    used for, a sentence saying "use"."""
    if _USED_FOR.search(question):  # "what were they trying to use claude for?": "wanted to
        aims = _AIMS & set(terms(question))  # use the AI for high-volume tasks"
        tiers = (  # an aim said ("wanted to use the AI for ..."), then what for, then a use
            lambda c: bool(_AIMS & c.unit.words) and _used_for(c),
            lambda c: not aims and _used_for(c),
            lambda c: not aims or bool(_AIMS & c.unit.words),
        )
        return next((c for says in tiers if (c := _first_saying(_USE, ranked, says))), None)
    if shape.kind is not Kind.MANNER or not ranked:  # "if the talks fall apart, what might
        return (
            _first_saying(_FAILING, ranked, lambda _: True) if asks_if_failing(question) else None
        )
    verb, subject = _manner_verb(question)
    return _first_saying(
        verb,
        ranked,
        lambda candidate: (
            _says_verb(candidate, verb)
            and (not subject or not subject.isdisjoint(candidate.unit.words))
        ),
    )


def _used_for(candidate: Candidate) -> bool:
    return _USE_FOR_SAID.search(candidate.outline.unit_text(candidate.index)) is not None


def _first_saying(
    words: frozenset[str], ranked: list[Candidate], says: Callable[[Candidate], bool]
) -> Candidate | None:
    """When the best sentence does not say `words` (so that `says` holds), the best one
    scoring at least _SAYS_VERB of it that does."""
    if not words or not ranked or (words & ranked[0].unit.words and says(ranked[0])):
        return None
    for candidate in ranked[1:SIMILARITY_POOL]:
        if candidate.score < _SAYS_VERB * ranked[0].score:
            break
        if words & candidate.unit.words and says(candidate):
            return candidate
    return None


def quoting_first(shape: Shape, ranked: list[Candidate]) -> Candidate | None:
    """For a question asking for wording ("what wording did the Pentagon want in the
    contract?"), when the best sentence quotes nothing, the best one scoring at least
    _SAYS_VERB of it that quotes a phrase, to lead ("... to allow “all lawful use” of its
    models")."""
    if not shape.quoted or not ranked or _quotes(ranked[0]):
        return None
    return first_within(ranked, _SAYS_VERB, _quotes)


def first_within(
    ranked: list[Candidate], reach: float, fits: Callable[[Candidate], bool]
) -> Candidate | None:
    """The best candidate after the first, among the similarity pool, that `fits` and scores
    at least `reach` of the best; None when none does."""
    for candidate in ranked[1:SIMILARITY_POOL]:
        if candidate.score < reach * ranked[0].score:
            break
        if fits(candidate):
            return candidate
    return None


def _quotes(candidate: Candidate) -> bool:
    return QUOTATION.search(candidate.outline.unit_text(candidate.index)) is not None


_AFTER_VERB = frozenset({"ADP", "DET", "PRON", "SCONJ"})
_FUNCTION_WORDS = frozenset({"ADV", "DET", "AUX", "PART", "ADP", "PRON", "CCONJ", "SCONJ"})
_AUXILIARIES = frozenset(
    "do does did is are was were has have had can could will would should".split()
)


def _before_its_object(doc: Any, start: int, followed: bool) -> Any:
    """The first verb or noun from `start` (past the auxiliary) that no article, adjective
    or possessive leads and a preposition, article or pronoun follows (or that ends the
    question, unless `followed`): the verb of "how did anthropic even catch the ...", "how
    did team trump react to ...", "how did the campaign respond?" (the small model may tag
    it a noun); with the parser's verb read (`followed`), the object at the end of "how
    does the ban affect developers" is none."""
    words = [t for t in doc[start:] if not t.is_punct]
    for position, token in enumerate(words):
        if token.pos_ not in ("VERB", "NOUN") or token.dep_ in ("nsubj", "nsubjpass"):
            continue  # "how did people in the US react": "people" is who reacted
        before = words[position - 1] if position else None
        if before is not None and (before.pos_ in ("DET", "ADJ") or before.tag_ == "POS"):
            continue  # "the campaign", "the public fight": the subject
        after = words[position + 1] if position + 1 < len(words) else None
        if (after is None and not followed) or (
            after is not None and after.pos_ in _AFTER_VERB and after.tag_ != "POS"
        ):
            return token
    return None


def _says_verb(candidate: Candidate, verb: frozenset[str]) -> bool:
    """The sentence says one of the terms as a verb ("caught the activity") or its subject
    ("The response from the Trump camp was predictable" for "react"), not another noun
    ("without prior notice")."""
    doc = candidate.outline.parsed([candidate.index])[candidate.index]
    return any(
        (t.pos_ == "VERB" or t.dep_ == "nsubj") and not verb.isdisjoint(terms(t.text)) for t in doc
    )


@lru_cache(maxsize=256)
def _manner_verb(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The terms (forms and synonyms) of the content verb "how" hangs from, or none, and
    those of its subject between the auxiliary and the verb ("how did OpenAI's CEO
    respond?": a sentence saying "responded" of no one it names does not answer it)."""
    doc = nlp.dependencies(question)
    how = next((t for t in doc if t.lower_ == "how"), None)
    if how is None:
        return frozenset(), frozenset()
    verb = how.head
    subject: frozenset[str] = frozenset()
    if how.i + 1 < len(doc) and doc[how.i + 1].lower_ in _AUXILIARIES:  # "how did team trump react
        verb = _before_its_object(doc, how.i + 2, verb.pos_ == "VERB") or verb  # to ...":
        # a subject typed in lower case is tagged a verb, a verb at the end a noun
        between = doc[how.i + 2 : verb.i] if verb.i > how.i else []
        said = [t for w in between if w.pos_ not in _FUNCTION_WORDS for t in terms(w.text)]
        subject = frozenset(said).union(*(synonyms(term) for term in said))
    forms = frozenset(form for term in terms(verb.text) for form in equivalents(term))
    if verb.pos_ not in ("VERB", "NOUN") or forms & _LIGHT_VERBS:
        return frozenset(), subject
    return forms.union(*(synonyms(form) for form in forms)), subject


# The news stock phrase: says nothing of how anyone responded, unless comment is asked about
_NO_COMMENT = re.compile(
    r"\b(?:did\s+not|didn['’]t|declined\s+to)\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+"
    r"(?:a\s+|the\s+|multiple\s+|several\s+)?requests?\s+for\s+comment",
    re.IGNORECASE,
)


def without_non_answers(question: str, ranked: list[Candidate]) -> list[Candidate]:
    """The ranked sentences without "X did not immediately respond to requests for comment"
    (it answered "how did Anthropic respond to the Pentagon's demands?") for a how-question
    that does not ask about comment; for a who-did question, a denial of the asked deed
    ("Anthropic has denied ever raising concerns" for "who raised concerns?") comes last;
    for a question whether someone else did or got something, so does advice to the reader."""
    if _WHAT_HAPPENED_TO.match(question) and not _ADVICE_WORDS.search(question):
        read = ranked[:_READ_FOR_ADVICE]  # "did they get a warning or ...?": what they did,
        advising = {id(c) for c in read if tells_reader(c)}  # not "If you see warnings ...,
        # take them seriously"
        ranked = [c for c in ranked if id(c) not in advising] + [
            c for c in read if id(c) in advising
        ]
    if _WHO_DID.match(question) and not _DENY.search(question):
        asked = frozenset(terms(question))
        denies = {id(c) for c in ranked if _denies(c.outline.unit_text(c.index), asked)}
        return [c for c in ranked if id(c) not in denies] + [c for c in ranked if id(c) in denies]
    if "comment" in question.lower() or not re.match(r"\s*how\b", question, re.I):
        return ranked  # "did the Pentagon respond?": it did not
    return [c for c in ranked if not _NO_COMMENT.search(c.outline.unit_text(c.index))]


def _denies(sentence: str, asked: frozenset[str]) -> bool:
    """The sentence denies doing one of the question's verbs ("denied ever raising ...")."""
    return any(set(terms(found[1] or found[2])) & asked for found in _DENIED.finditer(sentence))


def promoted(first: Candidate | None, ranked: list[Candidate]) -> list[Candidate]:
    """`ranked` with `first` (when there is one) leading."""
    return ranked if first is None else [first, *(c for c in ranked if c is not first)]
