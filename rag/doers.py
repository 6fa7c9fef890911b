"""Who does what to whom: "Why did Trump ban Anthropic?" is not answered by "Anthropic didn't
just ban Trump", which has every word of the question and its meaning close, but the doer
and the one it is done to swapped. The question's verb, its doer and its object are read
from its parse; a sentence with the same verb whose doer is the question's object and whose
object is the question's doer says another thing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rag import nlp
from rag.names import written_as_names
from rag.outline import Candidate
from rag.text import terms

_DOERS = frozenset({"nsubj"})
_DONE_TO = frozenset({"dobj", "nsubjpass"})
_NAME_PARTS = frozenset({"compound", "flat", "amod"})
_VERBS = frozenset({"VERB", "NOUN"})
_DOER_TAGS = frozenset({"PROPN", "NOUN"})  # not a pronoun or a wh-word
_WH_TAGS = frozenset({"WDT", "WP", "WP$"})
# verbs that link a doer to what it is, not an act of its own: "Iowa became the 29th state"
# is no other doer for "when did Sac become a state?"
_LINKING = frozenset(
    "become becomes became becoming remain remains remained seem seems seemed get gets got "
    "have has had having do does did make makes made".split()
)
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z]")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w-])")
_NAMES = r"[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*"
_NAME_VERB_NAME = re.compile(
    rf"^\W*(?i:why|how|when|where)\s+(?i:did|does|do|would|will)\s+(?P<doer>{_NAMES})\s+"
    rf"(?P<verb>[a-z]+)\s+(?P<done>{_NAMES})\s*\??\s*$"
)
_READ = 12  # best candidates checked (each one parsed only if it has all the words)
SWAPPED = 0.5  # share of its score a sentence with the roles swapped keeps


@dataclass(frozen=True)
class Action:
    """The question's verb (its stem), who does it and to whom (their words' stems)."""

    verb: str
    doer: frozenset[str]
    done_to: frozenset[str]


@lru_cache(maxsize=256)
def asked_action(question: str) -> Action | None:
    """The verb of the question with both a named doer and a named object ("Trump", "ban",
    "Anthropic"), or None (a wh-word or pronoun in either role: nothing to swap)."""
    stripped = question.strip()
    if len(_CAPITALISED.findall(stripped[1:])) < 2:
        return None  # no two names to swap: no parse (a few ms a question)
    doc = nlp.dependencies(stripped[:1].upper() + stripped[1:])
    for token in doc:
        action = _action(token)
        if action is not None:
            return action
    said = _NAME_VERB_NAME.match(stripped)  # "Why did Trump ban Anthropic?": "ban" parsed a noun
    verb = terms(said["verb"]) if said else []
    if said is None or len(verb) != 1:
        return None
    return Action(verb[0], frozenset(terms(said["doer"])), frozenset(terms(said["done"])))


@lru_cache(maxsize=256)
def asked_doer(question: str) -> tuple[Action, str] | None:
    """The question's verb and its doer, a name, capitalised or as staff type it in lower
    case ("why did anthropic cut off the trump campaign?": "cut", "anthropic"), with the
    doer's word when it is typed in lower case (the documents tell whether it is a name:
    not "the military"); None when a pronoun or a wh-word does it."""
    stripped = question.strip()
    for verb in nlp.dependencies(stripped[:1].upper() + stripped[1:]):
        stems = terms(verb.text)
        doers = [
            c for c in verb.children if c.dep_ in _DOERS and c.pos_ in _DOER_TAGS and not _asked(c)
        ]
        if verb.pos_ == "VERB" and len(stems) == 1 and doers and verb.lower_ not in _LINKING:
            parts = [c for c in doers[0].children if c.dep_ in _NAME_PARTS]
            doer = frozenset(terms(" ".join(w.text for w in [doers[0], *parts])))
            typed = "" if _is_name(doers[0]) else doers[0].lower_
            return (Action(stems[0], doer, frozenset()), typed) if doer else None
    return None


def _asked(noun: Any) -> bool:
    """The noun is what the question asks for ("which outlet"), not a doer it names."""
    return any(c.tag_ in _WH_TAGS or c.lower_ in ("which", "what") for c in noun.children)


def demote_swapped(question: str, ranked: list[Candidate]) -> list[Candidate]:
    """`ranked` again, the best candidates that swap the question's doer and object, or
    give the question's verb to another named doer ("You don't see AT&T cutting off a
    candidate's phone lines because ..." for "why did anthropic cut off ...?"), scored down
    (SWAPPED) and the list re-sorted; unchanged for a question with no such verb."""
    action, named = asked_action(question), asked_doer(question)
    doing = named[0] if named is not None else None
    texts = [c.passage.text for c in ranked[:_READ]]
    if named is not None and named[1]:  # typed in lower case: a name if pages write it so
        doing = doing if named[1] in written_as_names(question, texts) else None
    if action is None and (names := written_as_names(question, texts)):  # "why did trump ban
        # anthropic?" typed in lower case: "trump" was read as a verb
        cased = _LOWER_WORD.sub(lambda w: w[0].title() if w[0] in names else w[0], question)
        action = asked_action(cased)
    if action is None and doing is None:
        return ranked
    asked = frozenset(terms(question))
    swapped = False
    for candidate in ranked:  # "Why Anthropic Blocked the Trump Campaign ..." is a page about
        if action is not None and _titled_the_other_way(candidate.passage.title, action):
            candidate.score *= SWAPPED  # the act the other way round from "why did Trump
            swapped = True  # ban Anthropic?" ("Trump moves to ban Anthropic ...")
    for candidate in ranked[:_READ]:
        words = candidate.unit.words
        swaps = action is not None and action.doer | action.done_to | {action.verb} <= words
        other = doing is not None and doing.verb in words and not doing.doer & words
        if not (swaps or other):
            continue
        doc = candidate.outline.parsed([candidate.index])[candidate.index]
        if any(
            (swaps and action is not None and _swaps(token, action))
            or (other and doing is not None and _done_by_another(token, doing.verb, asked))
            for token in doc
        ):
            candidate.score *= SWAPPED
            swapped = True
    return sorted(ranked, key=lambda c: -c.score) if swapped else ranked


def _done_by_another(token: Any, verb: str, asked: frozenset[str]) -> bool:
    """`token` is the asked verb and a name the question never says does it."""
    if token.pos_ != "VERB" or terms(token.text) != [verb]:
        return False
    doers = [c for c in token.children if c.dep_ in _DOERS]
    if not doers or not _is_name(doers[0]):
        return False
    named = _named(doers[0]) or frozenset({doers[0].text.lower()})  # "AT&T" has no terms
    return not named & asked


def _titled_the_other_way(title: str, action: Action) -> bool:
    """The title names the question's object before its doer, and the doer only after it:
    its page tells of what the object did to the doer."""
    words = terms(title)
    doer = [i for i, word in enumerate(words) if word in action.doer]
    done_to = [i for i, word in enumerate(words) if word in action.done_to]
    return bool(doer and done_to) and max(done_to) < min(doer)


def _swaps(token: Any, action: Action) -> bool:
    found = _action(token)
    return (
        found is not None
        and found.verb == action.verb
        and bool(found.doer & action.done_to)
        and bool(found.done_to & action.doer)
        and not found.doer & action.doer
    )


def _action(verb: Any) -> Action | None:
    stems = terms(verb.text)
    if verb.pos_ not in _VERBS or len(stems) != 1:  # "ban" in "did Trump ban" is tagged NOUN
        return None
    doers = [c for c in verb.children if c.dep_ in _DOERS]
    doers += [w for c in verb.children if c.dep_ == "agent" for w in c.children if w.dep_ == "pobj"]
    done_to = [c for c in verb.children if c.dep_ in _DONE_TO]
    if not doers or not done_to:
        return None
    doer, object_ = _named(doers[0]), _named(done_to[0])
    if not doer or not object_ or doer & object_:
        return None
    return Action(stems[0], doer, object_)


def _named(noun: Any) -> frozenset[str]:
    """The stems of a name and the name words hanging from it ("Pete Hegseth", "the Trump
    campaign"); empty for anything else (a pronoun, a wh-word, a common noun alone)."""
    parts = [c for c in noun.children if c.dep_ in _NAME_PARTS and _is_name(c)]
    if not _is_name(noun) and not parts:
        return frozenset()
    return frozenset(terms(" ".join(word.text for word in [noun, *parts])))


def _is_name(word: Any) -> bool:
    """A proper noun, or a capitalised word inside the sentence the tagger took for another
    part of speech ("Anthropic" tagged ADJ)."""
    return word.pos_ == "PROPN" or (word.i > 0 and word.text[:1].isupper() and word.is_alpha)
