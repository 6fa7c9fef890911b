"""What kind of answer a question asks for (a person, a time, an amount, a place, yes or no, a
definition, a reason), read from its wording, so the engine can say the answer on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from rag.definition_asked import definition_subject
from rag.kinds import KIND_LABELS, PLACE, SAID_KINDS, TIME, VENUES
from rag.text import terms


class Kind(StrEnum):
    WHO = "who"
    WHEN = "when"
    AMOUNT = "amount"  # how much / many / long / old ...
    WHERE = "where"
    WHICH = "which"  # which/what + a noun naming the kind of thing
    YES_NO = "yes_no"
    DEFINITION = "definition"  # what is X
    REASON = "reason"  # why
    MANNER = "manner"  # how does X happen
    OTHER = "other"


@dataclass(frozen=True)
class Shape:
    """A question's kind, the entity labels (spaCy's) its answer would carry, and the words
    that only ask for that kind ("worth" in how-much, "year" in what-year): no topic words."""

    kind: Kind
    labels: tuple[str, ...] = ()  # most likely first
    shape_words: frozenset[str] = frozenset()
    subject: str = ""  # DEFINITION: the thing to define, as the question writes it
    prefer: re.Pattern[str] | None = None  # entities whose text matches it come first
    prefer_after: re.Pattern[str] | None = None  # entities right after a match come first
    possible: bool = False  # asks what can or could be: a supposition ("If ...") may answer
    only_preferred: bool = False  # no entity but one matching `prefer` answers ("how long")
    quoted: bool = False  # asks for wording: the words a passage quotes answer it
    places: bool = False  # asks for several places ("which countries ...?")
    reach: float = 0.5  # share of the best score a sentence naming the answer may score


_WHO_LABELS = ("PERSON", "ORG")
_AMOUNTS = {  # by the word after "how"
    "much": ("MONEY", "PERCENT", "QUANTITY", "CARDINAL"),
    "many": ("CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"),
    "long": ("DATE", "TIME", "QUANTITY", "CARDINAL"),
    "old": ("DATE", "CARDINAL", "QUANTITY"),
}
# "what deadline", "by when": the date a thing must happen by ("until Friday"), not when set
_DEADLINE = re.compile(
    r"\b(?:what|which)(?:['’]s| is| was)?\s+(?:the\s+)?deadline\b"
    r"|\bwhen (?:is|was) (?:the |their |its )?deadline\b|\b(?:by|until) when\b"
    r"|^\s*when\b.*\b(?:by|until)\s*\??\s*$",  # "when did he want an answer by?"
    re.IGNORECASE,
)
_BY = re.compile(r"\b(?:until|till|by|before|no later than)\s+(?:the\s+)?$", re.IGNORECASE)
_ON_VENUE = re.compile(r"\b(?:on|in|at|via|through|to)\s+(?:the\s+|a\s+post\s+on\s+)?\[?$", re.I)
_WHEN_WORDS = frozenset(terms("start started starts begin began begun beginning"))
_MODAL = re.compile(r"\b(?:can|could|would|might|may)\b", re.IGNORECASE)
_OVER_PERIOD = re.compile(r"\b(?:over|for|within|during)\s+what\s+(?:time\s+)?period\b", re.I)
_DURATION = re.compile(  # "six months", "a year", not "February 2026" or "last year"
    r"\b(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|[a-z]+teen|[a-z]+ty|hundred|several|few|many|couple of|half)[\s-]+(?:[a-z]+[\s-]+)?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies))\b",
    re.IGNORECASE,
)
# "what month": a month's name answers; "what year": a year ("February 2026", not "Friday").
CLOCK_TIME = re.compile(  # "what time ...?": a clock time, not "21 years of age"
    r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\b\.?|p\.?m\b\.?)|\b\d{1,2}:\d{2}\b|\b(?:noon|midnight"
    r"|o['’]clock)\b",
    re.IGNORECASE,
)
_UNITS = {
    "month": re.compile(
        r"\b(?:january|february|(?-i:March)|april|(?-i:May)|june|july|august|september|october|november"
        r"|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
        r"|(?:last|this|next|that|same|following|previous)\s+month)\b",
        re.IGNORECASE,
    ),
    "year": re.compile(
        r"\b(?:1[0-9]|20)\d\d\b|\b(?:last|this|next|that|same|following|previous)\s+year\b", re.I
    ),
    "time": CLOCK_TIME,
}
_AMOUNT = ("MONEY", "QUANTITY", "PERCENT", "CARDINAL", "DATE", "TIME")
# "what wording did they want?": the phrase quoted ("all lawful use"), not a tongue (below).
# "what's Palantir's role in all this?", "what part did Palantir play?", "how is Palantir
# involved?": what the pages say the named one did; the words only frame the question
_ROLE_ASKED = re.compile(
    r"\bwhat(?:['’]s|\s+is|\s+was|\s+were)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?['’]s?\s+"
    r"(?:role|part|involvement)\b|\bwhat\s+(?:role|part)\s+(?:did|does|do|has|have)\b.*\bplay"
    r"|^\s*how\s+(?:is|was|were|are)\b.*\binvolved\b",
    re.IGNORECASE,
)
_ROLE_WORDS = frozenset(terms("role roles part play played involvement involved"))
_WORDING = re.compile(
    r"\bwhat (?:exact |specific |precise )?(?:(?:contract|contractual|legal|policy)\s+)?"
    r"(?:wording|phrasing|phrase|words)\b"  # "what contract wording was ... pushing"
    r"|\bwhat (?:term|word|label) (?:did|does|do|was|is|has)\b(?=.*\b(?:use|used|call|called"
    r"|describe|described|coin|coined)\b)"
    r"|\bwhat (?:contract|legal|policy) language\b"  # "what contract language was pushed?"
    r"|\bwhat (?:exact |specific |precise )?language\b(?=.*\b(?:in|into|of|to)\s+(?:the|its|their"
    r"|a|an|this)\s+(?:\w+\s+)?(?:contract|agreement|deal|terms|polic(?:y|ies)|clause|order|memo"
    r"|letter|statement|rules?)\b)",
    re.IGNORECASE,
)
WORDING_WORDS = frozenset(
    terms("wording phrasing phrase words word term label language exact specific precise")
)
_LASTS = frozenset(terms("last lasts lasted"))
_AMOUNT_WORDS = frozenset(
    terms("worth cost costs value price amount number total sum percentage share proportion money")
)
_WH = r"\b(?:in|on|at|of|for|by|from|to|with|during|since|until)\s+"
_WHO = re.compile(
    r"^\s*(?:who|whom|whose)\b|" + _WH + r"whom?\b|\bwho(?:m|se)?\s*\?\s*$"
    r"|^\s*(?:what(?:['’]s|\s+is|\s+was)\s+)?(?:the\s+)?name\s+of\s+the\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:employee|staffer|official|aide|lawyer|attorney|judge|person|man|woman|spokes\w+)\b",
    re.I,
)  # "name of the palantir employee who passed on ...": a person
_POSSESSIVE = re.compile(r"['’]s?$")
_AUXILIARIES = frozenset(
    "is are was were do does did has have had can could will would should may might must "
    "be been being".split()
)
_DETERMINERS = frozenset("the a an this that these those his her its their our".split())
_PHRASE_ENDS = frozenset(
    "of from in on at by for with to that who which whose where when than as".split()
)
KEYWORD_DATE = r"^\s*(?:exact\s+|precise\s+)?date\s+(?!of\s+birth\b)\w"  # typed: "date X?"
_WHEN = re.compile(  # "what's the exact date X ...?" asks when, as "when did X ...?"
    r"^\s*when\b|^\s*what(?:['’]s|\s+is|\s+was)\s+the\s+(?:exact\s+|precise\s+)?(?:date|day)\b"
    rf"|{KEYWORD_DATE}",
    re.I,
)
FRAMED_FIRST = re.compile(  # "per the timeline, when ...?", "do they say when ...?": asks when
    r"^\s*(?:according to|per|in|from|based on|looking at)\s+(?:the|this|that)\s+"
    r"(?:(?:[\w'’-]+\s+){1,3}?(?=(?:timeline|article|story|report|page|piece|post)\s*[,:;]))?"
    r"(?:timeline|article|story|documents?|report|text|page|piece|policy|post|table|list)"
    r"(?:\s+(?:in|on|of|about|from|covering)\s+[^,?:;]{1,90}?(?=\s*[,:;]))?"  # "... in the
    r"\s*[,:;-]?\s*(?=\w)|^\s*(?:do|does|did)\s+(?:they|it|the\s+\w+)\s+(?:say|mention|state"
    r"|specify|tell\s+us)\s+(?=(?:when|where|who|how|which)\b)",
    re.IGNORECASE,
)
_MONEY_ASKED = re.compile(  # "how much money ...", "how much did they spend ...", "how much $$"
    r"\bhow much (?:money|cash|funding|revenue|income|profits?|sales)\b|\bhow much\b.*\$|\$\$"
    r"|\bhow much\b.*\b(?:spend|spent|pay|paid|cost|charge|charged|worth\b(?!\s+\w+ing))\b"
    r"|\bhow much (?:is|was|were|are)\s+(?!time\b)[^?]*\bfor\s*\??\s*$"  # "... contract for?"
    r"|\bhow (?:much|big) (?:is|was|were|are)\s+(?:the\s+|their\s+|its\s+)?"
    r"(?:(?!(?:behind|by|of|for|in|on|with|to|from|at|covered|about)\b)[\w'’-]+\s+){0,4}"
    r"(?:deal|contract|agreement|pact)s?\s*\??\s*$"  # "how much was the openai pentagon deal"
    r"|\b(?:dollar|monetary|financial|cash) (?:value|amount|figure|size)\b|\bvaluation\b"
    r"|\bcost\b.*\bper (?:user|seat|month|year|head|person|license|licence)\b"
    r"|^\s*what(?:['’]?s| is| was| are| were| would be)?\s+(?:the\s+)?(?:max(?:imum)?\s+"
    r"|min(?:imum)?\s+|biggest\s+|largest\s+|typical\s+)?(?:(?:fines?|fees?)\s+(?:for|of|on)\b|price\s+(?:for|of|on)\b(?!\s+\w+ing\b))"
    r"|\bhow\s+(?:big|large|much|high|steep)\s+(?:is|was|are|were|would\s+be)\s+(?:the\s+|a\s+)?"
    r"(?:max(?:imum)?\s+)?(?:fines?|fees?)\b",  # "how big is the fine for ...?"
    re.IGNORECASE,  # "what's the max fine for breaking the policy?": a sum of money
)
_WORTH = re.compile(  # "what was it worth?"; typed as keywords: "pentagon deal amount"
    r"\b(?:worth|cost)\s*\??\s*$"
    r"|^(?!\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b)"
    r"(?!.*\b(?:what|which|who|whom|when|where|why|how)\b).*\b(?:amount|worth|price|value)\b",
    re.IGNORECASE,
)
_AMOUNT_Q = re.compile(
    r"\bhow (?:many|much|long|old|far|big|large|tall|high|often|fast)\b"
    r"|\bwhat (?:percentage|share|proportion|number|amount|size|age)\b"
    r"|\b(?:worth|cost)\s*\??\s*$",  # "what was the oven worth?"
    re.IGNORECASE,
)
# "What's X valued at?", "What did X pay for Y?": an amount, and the verb a topic word (the
# sentence must say the value or the payment).
VALUE_QUESTION = re.compile(
    r"\b(?:valued|priced|sold) (?:at|for)\s*(?:right now|now|today|currently|these days)?\s*\??\s*$"
    r"|^\s*what (?:did|does|do|will|would) (?:\S+ ){1,6}(?:pay|charge|spend)\b"
    r"(?!\s+(?:attention|tribute|respect|homage|heed)\b)",
    re.IGNORECASE,
)
_WHERE = re.compile(  # not "where do things stand?": a status; "Where did Trump post ...?":
    r"^(?!.*\bstands?\b)(?:\s*where\b|.*\bwhere (?:is|are|was|were|did|does|do)\b)", re.I
)  # a platform or outlet, not a town ("on Truth Social").
_ONLINE = frozenset("site website platform network app".split())
_ONLINE_WORDS = frozenset(terms("social media online"))
_LIKENED = re.compile(r"\b(?:compar\w*|liken\w*)\b.*\b(?:to|with)\s*\??\s*$", re.IGNORECASE)
_LIKENED_WORDS = frozenset(terms("compare compared liken"))
_VENUE = re.compile(
    r"\bwhere\b(?:\s+\S+){0,5}?\s+(?:post|posted|publish|published|announce|announced|tweet"
    r"|tweeted|share|shared|write|wrote|written|report|reported|air|aired|appear|appeared)\b",
    re.IGNORECASE,
)
_FOCUS_Q = re.compile(r"\b(?:which|what)((?:\s+[\w'’-]+){1,5})", re.IGNORECASE)
_BE_THE_KIND = re.compile(  # "what was the act that triggered it?" asks no act: "which", or
    r"\b(?:which(?:['’]s|\s+(?:is|was|were|are))\s+the|what(?:['’]s|\s+(?:is|was|were|are))"
    r"\s+the\s+(?:first|last|only|main|earliest|latest|largest|biggest|leading))"  # a rank
    r"\s+((?:[\w'’-]+\s+){0,3}?[\w-]+)\s+(?:to|that|who|which|where|whose)\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might"
    r"|must|isn't|aren't|wasn't|weren't|doesn't|didn't|hasn't|haven't)\b"
    # "so anthropic was the only one with a pentagon deal?": asked as typed statements are
    r"|^\s*so\s+(?!(?:what|whats|who|whose|whom|when|where|why|how|which)\b)[\w'’-]+"
    r"(?:\s+[\w'’-]+){0,2}\s+(?:is|are|was|were)\s+(?:the\s+only|the\s+sole|only|just)\b[^?]*\?\s*$",
    re.IGNORECASE,
)
# "Is it true that X?" asks whether X: the frame's words are no topic words.
_YES_NO_FRAME = re.compile(
    r"^\s*(?:is|isn't|was|wasn't)\s+it\s+(?:really\s+|actually\s+)?"
    r"(?:true|correct|right|accurate|the case|so)\b",
    re.IGNORECASE,
)
REASON_QUESTION = re.compile(
    r"^\s*(?:why|how come)\b|\bwhat (?:prompted|caused|led|drove|triggered|motivated|made"
    r"|set off|sparked|started|kicked off)\b"
    r"|\bfor what reason\b|\breasons? (?:given |offered |cited )?(?:for|why|behind)\b"
    r"|\bwhat (?:\w+ )?(?:reasons?|justifications?|rationale|grounds|motives?)"
    r" (?:was|were|did|is|are|has|have)\b"
    r"|\b(?:justification|rationale|motive|basis|grounds)(?:es|s)? (?:\w+ )?"
    r"(?:given |offered |cited )?(?:for|behind)\b",  # "whats the basis for blocking them?"
    re.IGNORECASE,
)
_MANNER = re.compile(r"^\s*how\b(?! (?:many|much|long|old|far|big|large|tall|high))", re.I)
REASON_WORDS = frozenset(
    terms(
        "prompted caused led drove triggered motivated made reason come set sparked started kicked "
        "justification rationale grounds motive basis"
    )
)


# Several places by kind ("which countries did they block?"): a lead naming none says only
# that something was done (rag/insisted.py); not one place ("what Australian city ...?" is
# often a bridge a second search resolves)
PLACES_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:(?!united\b)[a-z-]+\s+){0,2}(?:countries|nations|cities|provinces"
    r"|regions|towns|states(?!\s+(?:that|the|what|how|whether|in|of)\b))\b",
    re.IGNORECASE,
)  # not "which provision states that ...", "what United States agencies ..."


def classify(question: str) -> Shape:
    """The question's shape; wh-words are read where people put them ("In what year ...",
    "... was born where?")."""
    places = PLACES_ASKED.search(question) is not None
    return replace(_shape(question), possible=asks_possible(question), places=places)


def asks_possible(question: str) -> bool:
    """The question asks what can, could or would be ("How many emails can an AI write?"),
    not what is or was."""
    return _MODAL.search(question) is not None


def _shape(question: str) -> Shape:
    """The question's shape, save whether it asks what can be."""
    question = FRAMED_FIRST.sub("", question)
    if REASON_QUESTION.search(question):
        return Shape(Kind.REASON, shape_words=REASON_WORDS)
    if VALUE_QUESTION.search(question):  # "valued at" is a word the lead must say
        return Shape(Kind.AMOUNT, ("MONEY",))
    if _WORTH.search(question) or _MONEY_ASKED.search(question):  # money, not the
        return Shape(Kind.AMOUNT, ("MONEY",), _AMOUNT_WORDS)  # "several hundred" workers
    amount = _AMOUNT_Q.search(question)
    if amount:
        word = amount[0].split()[-1].lower() if amount[0].lower().startswith("how") else "much"
        long = word == "long"  # a length of time: "Friday" is no answer to "how long"
        prefer = _DURATION if long else None
        share = amount[0].split()[-1].lower() in ("percentage", "proportion")  # not "one"
        return Shape(
            Kind.AMOUNT,
            ("PERCENT",) if share else _AMOUNTS.get(word, _AMOUNT),
            _AMOUNT_WORDS | (_LASTS if long else frozenset()),  # "how long was it to last?"
            prefer=prefer,
            only_preferred=long,
        )
    if _DEADLINE.search(question):
        return Shape(Kind.WHEN, TIME, frozenset(terms("deadline")), prefer_after=_BY)
    if _WHEN.search(question):  # "when did the talks start?": a date answers, seldom "started"
        return Shape(Kind.WHEN, TIME, _WHEN_WORDS)
    definition = definition_subject(question)
    if definition:
        return Shape(Kind.DEFINITION, subject=definition)
    if _WHO.search(question):
        return Shape(Kind.WHO, _WHO_LABELS)
    if _WHERE.search(question):
        if _VENUE.search(question):  # "where did trump announce it": "in a post on Truth
            # Social", not "Pentagon"; the sentence naming it says "said", not "announced"
            return Shape(Kind.WHERE, VENUES, prefer_after=_ON_VENUE, only_preferred=True, reach=0.4)
        return Shape(Kind.WHERE, PLACE)
    if _WORDING.search(question):
        return Shape(Kind.OTHER, shape_words=WORDING_WORDS, quoted=True)
    noun = _focus(question) or _kind_described(question)
    if noun:  # the noun names the answer's kind: the passage names the answer instead
        unit = _UNITS.get(noun)  # "in what year ...?": "January" is no year
        if noun == "period" and _OVER_PERIOD.search(question):
            unit = _DURATION  # "over what period ...?": "six month", not "Friday"
        kind_words = frozenset(terms(noun))
        if noun in _ONLINE:  # "which social media site ...": "social media" names the kind
            kind_words |= _ONLINE_WORDS  # too, not the sentence ("barbs ... on social media")
        if _LIKENED.search(question):  # "which phone company do they compare it to?": the
            kind_words |= _LIKENED_WORDS  # page likens without saying "compare"
        return Shape(
            Kind.WHICH,
            KIND_LABELS[noun],
            kind_words,
            prefer=unit,
            only_preferred=noun in ("year", "month") or unit is _DURATION,  # not "what time
            # of the year"
        )
    if asks_role(question):
        return Shape(Kind.OTHER, shape_words=_ROLE_WORDS)
    said = _focus(question, SAID_KINDS)
    if said:  # "what comparison do ... make": a passage makes it without naming it so
        return Shape(Kind.OTHER, shape_words=frozenset(terms(said)))
    if _YES_NO.search(question):
        frame = _YES_NO_FRAME.search(question)
        return Shape(Kind.YES_NO, shape_words=frozenset(terms(frame[0]) if frame else ()))
    if _MANNER.search(question):
        return Shape(Kind.MANNER)
    return Shape(Kind.OTHER)


_MODIFYING = frozenset("court courts tribunal".split())  # no kind before a noun it qualifies
_MODIFIED = frozenset(
    "ruling rulings case cases order orders decision decisions battle battles fight fights "
    "challenge challenges filing filings hearing hearings date dates document documents".split()
)


def _focus(question: str, kinds: frozenset[str] | dict[str, tuple[str, ...]] = KIND_LABELS) -> str:
    """The noun after which/what that names a kind of thing: the last such word of the few
    before a verb's auxiliary, a preposition or a new noun phrase ("which cabinet member" ->
    "member", "which television and movie actor from" -> "actor", "which law gives the
    executive" -> ""), or ""."""
    match = _FOCUS_Q.search(question)
    if not match:
        return ""
    found = ""
    typed = match[1].split()
    words = [_POSSESSIVE.sub("", word.lower()) for word in typed]
    for position, word in enumerate(words):
        if word in kinds and _POSSESSIVE.search(typed[position]):
            return word  # "which company's employee ...?": the company is asked
        if word in _AUXILIARIES or word in _PHRASE_ENDS:  # "what did the president ..."
            break
        if position and word in _DETERMINERS:  # "which law gives the executive ...": its object
            break
        following = words[position + 1] if position + 1 < len(words) else ""
        if word in kinds and not (word in _MODIFYING and following in _MODIFIED):
            found = word  # "what court rulings ...": the rulings, not a court
    return found


def _kind_described(question: str) -> str:
    """The kind noun of "which was the first AI lab to ...", "what's the company that ...":
    the thing described is asked for, or ""."""
    match = _BE_THE_KIND.search(question)
    word = match[1].split()[-1].lower() if match else ""
    return word if word in KIND_LABELS else ""


def asks_role(question: str) -> bool:
    """The question asks what part a named one had ("what's Palantir's role in all this?"):
    the sentence saying what it did answers, whole."""
    return _ROLE_ASKED.search(question) is not None
