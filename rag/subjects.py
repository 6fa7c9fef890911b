"""The thing a sentence says is of the asked-for kind: "Which 1988 Telugu comedy had music by
M. M. Srilekha?" is answered by "Navvulata (English: Joke) is a 1998 Telugu comedy film ...":
the sentence's subject, named before "is a", with the question's noun ("comedy") after it.
The sentence states the kind itself, so the name is no guess."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from rag.lemmas import is_english
from rag.nlp import dependencies, parse
from rag.synonyms import synonyms
from rag.text import STOPWORDS, terms

_WHICH = re.compile(r"^\s*(?:which|what)\s+(?!(?:is|are|was|were|do|does|did)\b)\w", re.I)
# "Navvulata (English: Joke) is a ..." / "The Exies are an ...": a name of at most eight
# words (an aside in brackets or commas after it), then the copula and an article.
_NAMED_AS = re.compile(
    r"^(?P<name>[\"“]?[A-Z0-9][^,.;:()]{0,80}?)\s*(?:\([^()]*\)\s*)?,?\s+"
    r"(?:is|was|are|were)\s+(?:an?|the|one of the)\s+(?P<rest>[^.;]+)"
)
# "What are the custom models called?", "what's the name of ...": the answer is the name a
# sentence gives after "known as", "called", "named" ("several custom models known as
# Claude Gov").
_ASKS_NAME = re.compile(
    r"\b(?:called|named|known as|dubbed)\s*(?:\??\s*$|,)"  # "what's it called, the one ..."
    r"|\bwhat(?:['’]?s| is| was| are| were)? (?:the )?"
    r"(?:(?:actual|real|official|exact|full|proper|formal|specific) )?(?:names?|titles?)"
    r"(?:\s*/\s*[\w-]+)? "  # "the name/version of"
    r"(?:(?:and|or) (?:[\w-]+ ){1,3})?(?:of|for)\b"  # "the name and release date of ...",
    r"|\bwhat(?:['’]?s| is| was| are| were)? (?:the )?(?:[\w-]+ ){1,3}(?:and|&) (?:(?:actual|real|"
    r"official|exact|full|proper|formal) )?names? (?:of|for)\b"  # "the release date and name of"
    r"|^\s*what(?:['’]?s| is| was)\b.*['’]s\s+(?:actual |real |full )?name\s*\??\s*$"  # "the
    # anthropic person's name?"; typed as keywords: "name of the special govt versions?"
    r"|^\s*(?:the\s+)?(?:(?:actual|real|official|exact|full|proper|formal)\s+)?names?\s+(?:of|for)\b",
    # "the name or version number of ..."
    re.IGNORECASE,
)
# "what do they call the custom claude models?": a thing's name, not what someone called
# someone or something ("what did trump call anthropic?", "what did trump call the deal?")
THING_CALLED = re.compile(
    r"^\s*what\s+(?:do|does)\s+(?:[\w'’.-]+\s+){1,3}?call\s+(?:[\w'’.-]+\s+){0,5}?"
    r"(?:models?|versions?|products?|tools?|systems?|programs?|framework|provisions?|sections?"
    r"|features?|tiers?|plans?|services?|methods?|approach|camps?|factions?|platforms?|offerings?"
    r"|lineup|setup)"
    r"(?:\s+(?:in|of|at|on|for|from|within|inside)\s+[^?]*?)?\s*\??\s*$",
    re.IGNORECASE,
)
_CALLED = re.compile(
    r"\b(?:called|known as|named|dubbed|nicknamed|termed)\s+(?:the\s+)?"
    r"(?P<name>[\"“]?[A-Z][\w'’.&-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][\w'’.&-]*){0,5}[\"”]?)"
)
# "Constitutional AI, a method that trains models ..." names a method; "Claude Gov is ..."
# names the version of Claude asked about.
_NAME_WORD = r"[A-Z][\w'’.&-]*"
_APPOSED = re.compile(
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}),\s+(?:an?|the)\s+(?P<kind>(?:[\w-]+\s+){{0,2}}[\w-]+)"
)
_QUOTED_KIND = re.compile(r"[\"“](?P<name>[A-Z][^\"”\n]{1,40})[\"”]\s+(?P<kind>[\w-]+)")
# a quoted title of three or more words, mostly capitalised ('"Do Not Compromise Elections or
# Democratic Processes— Excerpt from ... Usage Policy'), closed by its quote mark or a dash
_QUOTED_TITLE = re.compile(r"[\"“](?P<name>[A-Z][\w'’-]*(?:\s+[\w'’-]+){2,11}?)\s*(?:[\"”]|[—–]|$)")
_TITLE_CASE = 0.6  # of a title's words that are capitalised
_KIND_END = re.compile(r"\s(?:of|on|in|at|for|to|with|from|by)\b")  # the
# kind's own words: "Michael Horowitz, an expert on military use ..." names an expert
_OPENING_NAME = re.compile(
    rf"^[\"“]?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}})[\"”]?\s+[a-z]"
)
_KINDS = frozenset(  # what a name names that is seldom the thing a question asks about
    terms(
        "group organization organisation coalition committee center centre alliance firm "
        "company startup event program programme campaign movement"
    )
)
# words telling which one of its kind the question asks the name of ("the next model")
_WHICH_ONE = frozenset(terms("next upcoming forthcoming previous former"))
_NAMED_WORDS = 3  # words before "known as" that must say something the question names
_KIND_WINDOW = 8  # words after the article that may hold the question's noun
_NAME_WORDS = 8
_PHRASE = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "CCONJ", "PUNCT"})
_GENERIC = frozenset({"kind", "type", "sort", "form", "name"})


@lru_cache(maxsize=256)
def asked_noun(question: str) -> str:
    """The noun a which/what question names its answer's kind with ("comedy" of "Which 1988
    Telugu comedy produced by ..."), as a term; "" when it has none."""
    if not _WHICH.match(question):
        return ""
    doc = parse(question)
    run = []
    for token in doc[1:]:  # the words after which/what, up to a verb, a preposition ...
        if token.pos_ not in _PHRASE:
            break
        run.append(token)
    nouns = [t for t in run if t.pos_ == "NOUN"] or [t for t in run if t.pos_ == "PROPN"]
    if not nouns:
        return ""
    head = nouns[-1]
    if head.lower_ in _GENERIC:  # "what kind of university": the noun after "of"
        of = next((child for child in head.children if child.lower_ == "of"), None)
        objects = [child for child in of.children if child.dep_ == "pobj"] if of else []
        if not objects:
            return ""
        head = objects[0]
    noun = terms(head.text)
    return noun[0] if len(noun) == 1 and noun[0] not in STOPWORDS else ""


def named_as(sentence: str, noun: str, asked: frozenset[str]) -> tuple[int, int] | None:
    """The span in `sentence` of the name it says is a `noun` (within a few words after
    "is a"), when that name is not made of the question's words; None otherwise."""
    match = _NAMED_AS.match(sentence)
    if match is None or not noun:
        return None
    name = match["name"].strip()
    own = set(terms(name))
    if not own or own <= asked or len(name.split()) > _NAME_WORDS:
        return None
    described = [term for word in match["rest"].split()[:_KIND_WINDOW] for term in terms(word)]
    if noun not in described:
        return None
    start = match.start("name")
    return start, start + len(match["name"].rstrip())


def asks_name(question: str) -> bool:
    """The question asks what something is called."""
    return _ASKS_NAME.search(question) is not None or THING_CALLED.match(question) is not None


def called(sentence: str, asked: frozenset[str]) -> tuple[int, int] | None:
    """The span in `sentence` of a name it gives after "known as", "called", "named" ... (to
    a thing the question names, or a synonym of it, just before, or extending a word of the
    question), else before ", a <kind the question names>" or quoted before that kind ('their
    "Constitutional AI" framework'), that is not made of the question's words; or None."""
    which = asked & _WHICH_ONE  # "the next model": not "custom models known as Claude Gov"
    if which and not which & set(terms(sentence)):
        return None
    for match in _CALLED.finditer(sentence):
        name = match["name"].strip('"“”')
        own = set(terms(name))
        named = set(terms(" ".join(sentence[: match.start()].split()[-_NAMED_WORDS:])))
        meant = named.union(*(synonyms(word) for word in named))  # "custom" for "special"
        extends = own & asked and not named & _KINDS  # "custom models known as Claude Gov"
        # for "versions of Claude", not "a group called the Campaign Legal Center"
        if own and not own <= asked and (meant & asked or extends):
            start = match.start("name") + match["name"].index(name)
            return start, start + len(name)
    for pattern in (_APPOSED, _QUOTED_KIND):
        for match in pattern.finditer(sentence):
            own = set(terms(match["name"]))
            name = match["name"]
            if not own or own <= asked or (" " not in name and is_english(name.lower())):
                continue  # "Moreover, the discussions ...": no name
            if pattern is _APPOSED and _opens_clause(sentence, match.span("kind")):
                continue  # "apps built on Claude, the policy applies ...": no apposition
            if set(terms(_KIND_END.split(match["kind"])[0])) & asked:
                return match.span("name")
    for match in _QUOTED_TITLE.finditer(sentence):  # "what's the section on elections
        words = match["name"].split()  # called?": the title a sentence quotes and says
        capitalised = sum(word[:1].isupper() for word in words) / len(words)  # what it is of
        rest = set(terms(sentence[: match.start()] + " " + sentence[match.end() :]))
        if capitalised >= _TITLE_CASE and rest & asked and not set(terms(match["name"])) <= asked:
            return match.span("name")
    return None


def _opens_clause(sentence: str, kind: tuple[int, int]) -> bool:
    """The first word of span `kind` is the subject of a clause of its own ("apps built on
    Claude, the policy applies ..."), not an apposition ("AI, a method that trains ...")."""
    first = next((token for token in dependencies(sentence) if token.idx >= kind[0]), None)
    return first is not None and first.idx < kind[1] and first.dep_ in ("nsubj", "nsubjpass")


def extended_name(sentence: str, asked: frozenset[str]) -> tuple[int, int] | None:
    """The span of the name `sentence` opens with when it holds one of the question's words
    and one more ("Claude Gov is ..." for "what's the military version of Claude called?")."""
    match = _OPENING_NAME.match(sentence)
    if match is None:
        return None
    own = set(terms(match["name"]))
    return match.span("name") if own & asked and not own <= asked else None


def known_as(doc: Doc, subject: frozenset[str]) -> tuple[int, int] | None:
    """The character span (in the parsed sentence) of what it says the subject is by naming
    it: the noun phrase a "known as" / "called" of the subject hangs from, with the rest of
    that phrase ("several custom models known as Claude Gov that have fewer restrictions
    than its regular ones" for "what's Claude Gov?"), or None."""
    for token in doc:
        naming = token.lower_ in ("known", "called", "named", "dubbed") and token.dep_ == "acl"
        if not naming or not subject <= set(terms(doc[token.i : token.right_edge.i + 1].text)):
            continue
        phrase = doc[token.head.left_edge.i : token.head.right_edge.i + 1]
        if len(set(terms(phrase.text)) - subject) >= 2:
            return phrase.start_char, phrase.end_char
    return None
