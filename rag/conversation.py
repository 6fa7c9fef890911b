"""Follow-up questions ("and when did that happen?", "what about Google?") rewritten into
standalone ones before retrieval, so each turn retrieves on its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from rag import nlp
from rag.corrections import meant_as_swap, page_swapped
from rag.follow_ups import (
    asks_shifted_time,
    claim_asked,
    opens_new_topic,
    other_condition,
    points_back,
    pronoun_first,
    shifted_time,
)
from rag.lemmas import is_english
from rag.llm import REWRITE_PROMPT
from rag.page_turns import asks_of_the_page, page_follow_up
from rag.referents import AUXILIARY, CALENDAR, PRONOUN, names_in, referents, with_referents
from rag.subjects import asks_name
from rag.text import terms

_CONNECTOR = re.compile(r"^\s*(and|but|also|so|then|ok|okay)\b[\s,]*", re.IGNORECASE)
_SWAP = re.compile(
    r"^\s*(?:[Aa]nd\s+)?(?:[Ww]hat|[Hh]ow)\s+about\s+(?P<subject>.+?)\s*"
    r"(?:,\s*(?:anything|something|any)\s+(?:more|else)(?:\s+on\s+(?:that|it|this))?)?\s*\??\s*$"
    r"|^\s*[Aa]nd\s+(?P<bare>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s*\?\s*$"
)
_ASKED_OF = re.compile(  # "openai, what does it ban ...": a new question of the name
    r"(?P<name>[^,]{2,40}),\s*(?P<rest>(?:what|how|who|when|where|why|which|does|do|did|is|are"
    r"|was|were|has|have)\b.*)",
    re.IGNORECASE,
)
_IT = re.compile(r"\b(?:it|they|he|she)\b")  # the subject: "does it let them use it?"
_LAST_PLACE = re.compile(r"\bin\s+([A-Za-z][\w-]*)\s*\??\s*$")  # "... in taiwan": its place
_PLACES = frozenset({"GPE", "LOC"})
_AND_LOWER = re.compile(r"^\s*and\s+(?P<bare>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,2})\s*\?\s*$")
# "and in california?" after "where was search interest highest?": the same measure there
_IN_PLACE = re.compile(
    r"^\s*(?:and|(?:what|how) about)\s+in\s+(?P<place>[\w .'’-]{2,40}?)\s*\??\s*$", re.I
)
_WHERE_MOST = re.compile(
    r"^\s*where\s+(?P<be>is|was|are|were)\s+(?P<what>.+?)\s+(?:the\s+)?(?:highest|lowest"
    r"|biggest|largest|smallest|strongest|weakest|greatest|most|least|top)\s*\??\s*$",
    re.IGNORECASE,
)
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|these|those)\b(?!\s+(?:week|month|year|time)\b)", re.I)
_THEN_CLOSING = re.compile(r"(?<!back)(?<!since)(?<!until),?\s+then\s*\??\s*$", re.I)
_ASKER = re.compile(r"\b(?:i|we)\b", re.I)  # "how do I flag it then?": "in that case"
_LEANING = re.compile(
    r"\b(?:it|its|that|this|these|those|there|then|her|else|other|also|same|such|one)\b", re.I
)  # words a question leans on an earlier turn with
_ANAPHOR = re.compile(
    r"\bsuch\s+an?\s+\w+|\bsuch\s+(?!as\b)\w+\s*\??\s*$|\bthe\s+same\s+(?:way|thing|treatment)"
    r"|\b(?:get|gets|got|be|been)\s+(?:treated|handled|punished|blocked|banned)\s+the\s+same\b"
    r"|\bthe\s+whole\s+(?:thing|fight|story|affair|situation|dispute|episode|saga|mess|row)"
    r"|\ball\s+(?:of\s+)?(?:this|that)\b|\b(?:too|as well|either)\s*\??\s*$"
    r"|\b(?:that|this)\s+(?:kind|sort|type)\s+of\s+(?:thing|move|decision|action)"
    r"|\b(?:a\s+)?(?:thing|move|decision)\s+like\s+(?:that|this)\b",
    re.IGNORECASE,
)  # "why such a big gap?", "the same way?", "the whole fight", "that kind of thing"
# "was there a lawsuit?" then "how did that turn out?": "that" is the thing said to be there
_THERE_WAS = re.compile(
    r"^\s*(?:(?:was|were|is|are|has|have)(?:n['’]t)?\s+there\s+(?:been\s+)?)(?:(?:a|an|any|some"
    r"|the)\s+)?(?P<thing>[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2}?)(?=\s*(?:\?|$|\s(?:before|after"
    r"|about|over|with|against|between|from|in|on|at|when|during)\b))",
    re.IGNORECASE,
)
IT_ASKED = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?P<wh>(?:how|what|when|where|why)\s+(?:did|does|do|was|is|has|had"
    r"|will|would))\s+(?:that|it|this)(?P<rest>\s.*|\?)$",
    re.IGNORECASE,
)
_OWNED = re.compile(r"^(?P<owner>[\w&.-]+(?:\s+[\w&.-]+)?)['’]s$")
# "how much was openai's?": the previous question, of another owner
_OWNER_ONLY = re.compile(
    r"^\s*(?:how|what|when|who|which|where)\b.*?\b(?P<owner>[A-Za-z][\w&.-]*['’]s)\s*\??\s*$",
    re.IGNORECASE,
)
# a run of capitalised words, each with a lower-case letter ("Claude Gov", not "US")
NAME_RUN = re.compile(r"\b[A-Z][\w-]*[a-z][\w-]*(?:\s+[A-Z][\w-]*[a-z][\w-]*)*")
_EVENT = re.compile(
    r"^\s*(?:(?:and|but|so|then|ok|okay)\b[\s,]*)?(?P<wh>since when|when|where|why|how come|how)\b"
    r"(?:\s+(?:did|does|do|was|is|were|has|had)\s+(?:that|this|it|all (?:that|this))"
    r"(?:\s+(?:happen|occur|take place|start|begin|end|come about))?)?"
    r"(?:\s+(?:tho|though|then))?\s*\??\s*$",  # "why tho"
    re.IGNORECASE,
)
# "why the change of heart?", "how come the u-turn?": no verb, so the previous question's event
_WHY_FRAGMENT = re.compile(
    r"^\s*(?:(?:and|but|so|then|ok|okay)\b[\s,]*)?(?P<wh>why|how come)\s+(?:the|this|that|such"
    r"(?:\s+an?)?|all\s+the)\s+(?:(?!(?:did|does|do|was|is|were|has|had|have|are|will|would"
    r"|can|could)\b)[\w'’-]+\s*){1,4}\??\s*$",
    re.IGNORECASE,
)
# "what's that used for?", "how does it work?": asked of the thing the last answer named ...
_THAT_ASKED = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?P<wh>what|how|who|where|why)(?P<be>['’]s|\s+is|\s+was|\s+are"
    r"|\s+were|\s+does|\s+did|\s+do)\s+(?:that|it|this)\s+(?P<rest>(?!(?:happen|occur|start|begin"
    r"|end|come)\b)\w[^?]*?)\s*\??\s*$",
    re.IGNORECASE,
)
# ... when the last question asked for a thing someone made or gave ("what did X build?")
_ASKS_THING = re.compile(
    r"^\s*(?:and\s+|so\s+)?what\s+(?:did|does|do|has|have|had|will)\s+[\w'’ -]+?\s+(?:build|create"
    r"|make|develop|launch|release|offer|sell|produce|design|ship)\b",
    re.IGNORECASE,
)
# "what did he call them?", "where'd he post that?": his words asked, which only his name finds
_HIS_WORDS = re.compile(
    r"\b(?:he|she)\s+(?:say|said|call|called|post|posted|write|wrote|tell|told|tweet|tweeted"
    r"|announce|announced|claim|claimed)\b",
    re.IGNORECASE,
)
_YES_NO_EVENT = re.compile(r"^\s*(?:did|does|do|has|have|had)\s+\w", re.IGNORECASE)
_IS_GOING_ON = re.compile(r"^\s*(?:is|are)\s+\w+\s+\w+ing\b", re.IGNORECASE)
_WHAT_GOING_ON = re.compile(  # "what is anthropic discussing with ...?": "when did it start"
    r"(?i)^\s*what\s+(?:is|are)\s+(?P<who>(?!(?:the|a|an|this|that|its|their|his|her|our)\b)"
    r"[\w'’-]+(?:\s+[\w'’-]+)?)\s+(?P<doing>\w+ing)\b(?P<rest>.*)$"  # (a verb: not "the ruling")
)
_EVENT_QUESTION = re.compile(rf"^\s*(?P<wh>why|how|when|where)\s+{AUXILIARY}\b", re.IGNORECASE)
_DOERS = frozenset("they them he him she her it".split())
FOLLOWING_UP = "(following up on:"


def standalone(
    question: str,
    previous: Sequence[str],
    llm: Callable[[str], str] | None = None,
    answered: Callable[[str], str | None] | None = None,
    person_named: Callable[[str], bool] | None = None,
    thing_named: Callable[[str], str | None] | None = None,
) -> str | None:
    """The standalone form of `question` given the earlier standalone questions, or None when
    it already stands alone. With `llm`, the model rewrites it (the rule-based rewrite is the
    fallback when the model fails). `answered`: the person an earlier who-question's answer
    names ("he" after "Who is Anthropic's CEO?" is the answer, "Dario Amodei"), or None;
    `person_named`: whether the documents call a name the tagger reads otherwise a person
    ("Trump"); `thing_named`: the name an earlier what-question's answer gives ("that" after
    "what did Anthropic build for the military?" is "Claude Gov"), or None ("i meant X")."""
    if not previous or not is_follow_up(question := meant_as_swap(question)):
        return None
    if llm is not None:
        history = "\n".join(f"- {turn}" for turn in previous[-3:])
        try:
            rewritten = llm(REWRITE_PROMPT.format(history=history, question=question)).strip()
        except Exception:  # any model failure: fall back to the rule-based rewrite
            rewritten = ""
        if rewritten and len(rewritten) < 4 * len(question) + 200:
            return rewritten.splitlines()[0].strip()
    return rule_based(question, previous, answered, person_named, thing_named)


def is_follow_up(question: str) -> bool:
    """Leans on an earlier turn: opens with a connector or "what about", is a bare "why?" or
    "when was that?", or refers back ("it", "that", "they") without naming anything itself;
    not one opening on a new topic ("btw is the site that put out this analysis ...?")
    unless a person is "he" or "she" before any name."""
    if opens_new_topic(question):
        return pronoun_first(question)
    if _CONNECTOR.match(question) or _SWAP.match(question) or _event(question):
        return True
    if asks_shifted_time(question):  # "the month after?"
        return True
    if asks_of_the_page(question) or points_back(question):
        return True
    if (owner := _OWNER_ONLY.match(question)) and _a_name(owner["owner"][:-2]):
        return True  # "how much was openai's?"
    return bool(_ANAPHOR.search(question)) and not names_in(question)


def rule_based(
    question: str,
    earlier: Sequence[str],
    answered: Callable[[str], str | None] | None = None,
    person_named: Callable[[str], bool] | None = None,
    thing_named: Callable[[str], str | None] | None = None,
) -> str:
    """Without a model: "what about X?" puts X in place of the name the previous question is
    about ("and in X?" after where something is highest asks how much it is in X); "when
    did that happen?" (or "why?", "where was that?") asks the previous question's event
    again with the new question word; a pronoun ("he", "they", "its") becomes what it agrees
    with (`referents`). Anything else, or a pronoun left standing, is asked in the context
    of the previous question."""
    previous = earlier[-1]
    own = split_context(previous)[0]  # its own words, not the turn it leaned on
    place, where = _IN_PLACE.match(question), _WHERE_MOST.match(previous)
    if place and where:  # "where was interest highest?" "and in california?": how much there
        return f"What {where['be']} {where['what']} in {place['place']}?"
    if (shifted := shifted_time(question, own)) is not None:
        return shifted  # "what happened in march?" "and the month before?": in February
    if asks_shifted_time(question) and thing_named is not None:  # "when did the talks
        month = thing_named(own)  # start?" "what happened the month
        if month and (shifted := shifted_time(question, f"What happened in {month}?")):
            return shifted  # before?": before the month it answered ("April 2026")
    if (conditioned := other_condition(question, own)) is not None:
        return conditioned  # "if the talks fail, ...?" "and if they go well?": if they do
    if (claim := claim_asked(question, own)) is not None:
        return f"{claim} {FOLLOWING_UP} {previous})"  # "is anyone saying it's overblown?"
    if (paged := page_follow_up(question, own)) is not None:
        return f"{paged} {FOLLOWING_UP} {previous})"  # "says who?", "when?" of a page asked
    swap = _SWAP.match(question)
    if swap and (of_name := _ASKED_OF.match(swap.group("subject") or "")):
        rest = _IT.sub(of_name["name"], of_name["rest"], count=1)  # "what about openai,
        return f"{rest.rstrip('?')}? {FOLLOWING_UP} {previous})"  # what does it ban ...?"
    if swap:  # in the previous question's own words, not the turn it leaned on
        asked_of = (swap.group("subject") or swap.group("bare")).strip()
        if re.search(r"\b(?:those|these|them|their|that|this)\b", asked_of, re.I):
            return f"What about {asked_of}? {FOLLOWING_UP} {previous})"  # "... those firms"
        return page_swapped(asked_of, own) or _swapped(asked_of, own)  # a page meant: for its
    if (owner_only := _OWNER_ONLY.match(question)) and _a_name(owner_only["owner"][:-2]):
        for part in split_context(previous):  # its own words, else what it leaned on
            if (owned := _owner_swapped(owner_only["owner"], part)) is not None:
                return owned
    lower = _AND_LOWER.match(question)  # "and cohere?": a name typed in lower case
    if lower and not any(is_english(word) for word in lower["bare"].split()):
        return _swapped(lower["bare"], previous)
    bare = _capital(lower["bare"]) if lower and " " not in lower["bare"] else None
    if bare and (swapped := _place_swapped(bare, previous)) is not None:
        return swapped  # "... in Japan?" "and california?": in California
    there, it_asked = _THERE_WAS.match(previous), IT_ASKED.match(question)
    if there and it_asked:  # "wasn't there litigation?" "how did that turn out?": it did
        return f"{it_asked['wh']} the {there['thing']}{it_asked['rest']}"
    that = _THAT_ASKED.match(question)  # "what's that used for?" after "what did they build
    thing = bool(that) and (_ASKS_THING.match(own) is not None or asks_name(own))  # for it?"
    if that and thing and thing_named is not None and (name := thing_named(previous)):
        return f"{that['wh']}{that['be']} {name} {that['rest'].strip()}?"  # "Claude Gov"
    event = _event(question)
    if event and (asked := _asked_again(event.group("wh"), previous)):
        return asked
    if not event and PRONOUN.search(question):
        question = _same_doers(question, previous)  # "what were they planning to use it
        # for?" after "... let the Trump campaign use Claude?": the campaign, Claude
        found = referents(earlier, answered, person_named)
        if "guessed" in found and not _HIS_WORDS.search(question):
            del found["person"]  # "what law gives him ...?": the turns it leans on find it
        resolved = with_referents(own_words(question), found)
        alone = "guessed" not in found  # "he" for a name typed in lower case: a guess
        if alone and not any(p.search(resolved) for p in (PRONOUN, _ANAPHOR, _DEMONSTRATIVE)):
            return resolved  # "why did Trump do that?" (not "this week") still leans on it
        if resolved != own_words(question):
            return f"{resolved} {FOLLOWING_UP} {previous})"
    return f"{own_words(question)} {FOLLOWING_UP} {previous})"


def _same_doers(question: str, previous: str) -> str:
    """The question with a pronoun that is the subject or object of a verb the previous
    question also has (or of the verb it governs: "planning to use") put as the previous
    question's subject or object of that verb."""
    asked = nlp.dependencies(previous)
    verbs = {
        key: token
        for token in asked
        if token.pos_ == "VERB" and (key := tuple(terms(token.text)))  # not "is", "did"
    }
    replaced: dict[int, tuple[int, str]] = {}
    for token in nlp.dependencies(question):
        if token.lower_ not in _DOERS or token.dep_ not in ("nsubj", "dobj"):
            continue
        heads = [token.head, *(c for c in token.head.children if c.dep_ == "xcomp")]
        same = next((verbs[key] for h in heads if (key := tuple(terms(h.text))) in verbs), None)
        if same is None:
            continue
        doer = next((c for c in same.children if c.dep_ == token.dep_), None)
        if doer is not None and doer.pos_ in ("NOUN", "PROPN"):
            phrase = asked[doer.left_edge.i : doer.i + 1].text  # the noun, not its clause
            replaced[token.idx] = (token.idx + len(token.text), phrase)
    for start in sorted(replaced, reverse=True):
        end, phrase = replaced[start]
        question = question[:start] + phrase + question[end:]
    return question


def _swapped(subject: str, previous: str) -> str:
    """The previous question about `subject` instead: it takes the place of the previous
    question's name with as many words (a full name for a full name), else its first name."""
    runs = _name_runs(previous) or _lower_case_names(previous)
    if not runs:  # "... in taiwan" "what about japan?": in Japan (a name the pages may lack)
        place = _capital(subject) if " " not in subject else None
        if place and (swapped := _place_swapped(place, previous)) is not None:
            return swapped
        named = place if place and _is_place(place) else subject  # "texas": a name to find
        return f"{previous.rstrip('?')} — {named}?"
    if (owned := _owner_swapped(subject, previous)) is not None:
        return owned  # "and google's?": in place of "Anthropic's"
    scope = _SCOPE.match(previous)  # "on the conductatlas page about ..., how does openai
    asked = [run for run in runs if scope and run.start() >= scope.end()]  # ...?": openai
    runs = asked or runs
    size = len(subject.split())
    chosen = next((run for run in runs if len(run.group().split()) == size), runs[0])
    return previous[: chosen.start()] + subject + previous[chosen.end() :]


# A question's opening that says where to look, up to its comma: "on the X page about Y, ..."
_SCOPE = re.compile(r"^\s*(?:on|in|from|per|according\s+to)\b[^,?]{3,120},")


def _owner_swapped(subject: str, previous: str) -> str | None:
    """The previous question with the owner `subject` ("OpenAI's") in place of its first
    owner ("Anthropic's"); None when either names no owner."""
    owner = _OWNED.match(subject)
    runs = _name_runs(previous) or _lower_case_names(previous)
    owned = [run for run in runs if previous[run.end() : run.end() + 2] in ("'s", "’s")]
    if owner is None or not owned:
        return None
    return previous[: owned[0].start()] + owner["owner"] + previous[owned[0].end() :]


def _a_name(word: str) -> bool:
    """Capitalised, or no English word ("openai")."""
    return word[:1].isupper() or not is_english(word.lower())


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def _place_swapped(place: str, previous: str) -> str | None:
    """The previous question asked of `place` instead of the place it ends on ("... in
    taiwan"), when both are places (not "... do in response?" "and later?")."""
    found = _LAST_PLACE.search(previous)
    if found is None:
        return None
    if not (_is_place(_capital(found[1])) and _is_place(place)):
        return None
    return previous[: found.start(1)] + place + previous[found.end(1) :]


@lru_cache(maxsize=256)  # asked twice of one word: "what about texas?" (is it a place, is
def _is_place(word: str) -> bool:  # the last question's)
    """The tagger reads the word as a place ("It happened in Texas.")."""
    return any(label in _PLACES for *_, label in nlp.entities([f"It happened in {word}."])[0])


def _name_runs(question: str) -> list[re.Match[str]]:
    """Runs of capitalised words after the first word that name something (not acronyms of
    one letter, calendar words or "I")."""
    return [  # from the second word: "Is OpenAI ..." names OpenAI
        run for run in NAME_RUN.finditer(question, 1) if run[0].split()[0].lower() not in CALENDAR
    ]


def _lower_case_names(question: str) -> list[re.Match[str]]:
    """Words after the first that are no English word ("openai" of "how does openai handle
    ...?"): a question typed in lower case names its subject so."""
    return [
        word
        for word in re.finditer(r"\b[a-z][\w-]*[a-z]\b", question)
        if word.start() > 0 and not is_english(word.group())
    ]


def _event(question: str) -> re.Match[str] | None:
    """A bare "when?", "why did that happen?" or "why the change of heart?"."""
    return _EVENT.match(question) or _WHY_FRAGMENT.match(question)


def _asked_again(wh: str, previous: str) -> str | None:
    """The previous question with `wh` for its question word, when it asks about an event
    ("Why did Anthropic cut off X?" → "When did ...", "did X ...?" → "Why did X ...?", "is X
    talking to Y?" → "When is X talking to Y?" for "since when")."""
    wh = {"how come": "why", "since when": "when"}.get(wh.lower(), wh)  # "how come?"
    if _YES_NO_EVENT.match(previous) or (wh == "when" and _IS_GOING_ON.match(previous)):
        return f"{wh.capitalize()} {previous.strip()[:1].lower()}{previous.strip()[1:]}"
    on = _WHAT_GOING_ON.match(previous.strip()) if wh == "when" else None
    if on and any(
        t.lower_ == on["doing"].lower() and t.pos_ == "VERB" for t in nlp.parse(previous)
    ):
        return f"When did {on['who']} start {on['doing']}{on['rest']}"
    asked = _EVENT_QUESTION.match(previous)
    return None if asked is None else wh.capitalize() + previous[asked.end("wh") :]


def own_words(question: str) -> str:
    core = _CONNECTOR.sub("", question).strip()  # the follow-up without "and", "so", ...
    return core[:1].upper() + core[1:].rstrip("?").rstrip() + "?"


def leans_back(question: str) -> bool:
    """It points back at an earlier turn ("it", "that", "else", "the same ..."), so it cannot
    be asked alone; a closing "then" is "in that case" ("how do I flag a bad response then?")."""
    question = _THEN_CLOSING.sub("", question) if _ASKER.search(question) else question
    return any(p.search(question) for p in (PRONOUN, _ANAPHOR, _LEANING))


def split_context(standalone_question: str) -> tuple[str, str]:
    """(the follow-up's own question, the question it follows up on) of a rule-based rewrite,
    the latter with the question it in turn followed up on, in its own words (not every
    earlier turn: a long conversation would drift); else the question and no context."""
    own, marker, rest = standalone_question.partition(f" {FOLLOWING_UP} ")
    if not marker:
        return standalone_question, ""
    previous, _, earlier = rest.removesuffix(")").partition(f" {FOLLOWING_UP} ")
    before = earlier.partition(f" {FOLLOWING_UP} ")[0].removesuffix(")")
    return own, f"{previous}\n{before}".strip()  # a line each: rag/weights.py counts them
