"""Questions that insist on one kind of answer ("on what exact date ...?", "which judge
...?", "what's the name of ...?"): when the lead says no such thing, the nearest sentences
are only the topic, so the engine declines (and shows them as the closest passages) rather
than answer beside the point."""

from __future__ import annotations

import re

from rag import nlp
from rag.blocks import Block
from rag.dates import DAY
from rag.lemmas import equivalents
from rag.questions import KEYWORD_DATE, Kind, Shape
from rag.subjects import asks_name
from rag.text import terms, without_terms_quoted
from rag.types import ShortAnswer

# A wh-question only: "did they set a specific date?" is answered by "no date was set"
_EXACT_TIME = re.compile(
    r"^\s*when\s+exactly\b|^\s*(?:on\s+|at\s+|in\s+)?(?:what|which|when)\b.*\b(?:exact|precise"
    r"|specific)\s+(?:date|day|time|year|month)\b"
    r"|^\s*on\s+(?:what|which)\s+(?:date|day)\b"  # "on what date did they ...?"
    rf"|{KEYWORD_DATE}",  # "date they cut it off?"
    re.IGNORECASE,
)
# A day asked for: "on what exact date ...?" is not answered by "last year" nor "2026"
_DAY_ASKED = re.compile(
    r"(?:\b(?:exact|precise|specific)\s+|^\s*on\s+(?:what|which)\s+)(?:date|day)"
    r"(?![\w-]|\s+(?:range|format|window|count|span|tasks?|work|jobs?)\b)",
    re.IGNORECASE,
)
_ROLES = (
    r"(?:judge|justice|staffer|employee|official|aide|lawyer|attorney|spokes(?:person|man|woman)"
    r"|engineer|reporter|journalist|person|guy|senator|lawmaker|congressman|congresswoman"
    r"|governor|mayor)"
)
_AUXILIARY = (
    r"(?:should|do|does|did|is|are|was|were|can|could|will|would|must|might|may|has|have|had)"
)
# One person by role, doing something: "which judge ruled ...", not "which employees are
# covered" or "what official reason ..."; or named by role: "who was the ... employee"
_ROLE_DOING = (
    rf"\b(?:which|what)\s+(?:(?!{_AUXILIARY}\b)[a-z-]+\s+)?{_ROLES}(?:\s+or\s+\w+)?\s+"
    r"(?:who\b|that\b|\w+ed\b|ruled\b|wrote\b|said\b|made\b|ran\b|led\b|gave\b)"
)
_ROLE_NAMED = (
    rf"\b(?:who(?:\s+was|\s+is|['’]s)|name\s+of)\s+(?:the|that|this)\s+(?:[\w'’-]+\s+){{0,3}}"
    rf"{_ROLES}\b"
)
# An organisation's person by role: "who is palantir's ceo", "who was Acme's founder?"
_ROLE_OF = (
    r"^\s*who(?:['’]s|\s+is|\s+was)\s+(?:the\s+)?[\w.&-]+(?:\s+[\w.&-]+)?['’]s?\s+"
    r"(?:ceo|cto|cfo|coo|founder|co-?founder|president|chairman|chairwoman|chair|boss|leader"
    r"|director|spokes(?:person|man|woman)|lawyer|attorney)\s*\??\s*$"
)  # a person's title: "who is Claude's creator?" is answered by a company
# One of a group: "who on the campaign staff reached out ...?"
_ROLE_AMONG = r"^\s*who\s+(?:on|in|from)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}(?:staff|team|board)\b"
_ROLE_ASKED = re.compile(f"{_ROLE_DOING}|{_ROLE_NAMED}|{_ROLE_AMONG}", re.IGNORECASE)
_ROLE_OF_ASKED = re.compile(_ROLE_OF, re.IGNORECASE)
# Who did something, in a verb ending in -ed ("who relayed the worries ...?"), not who someone
# is (the irregular ones, "who wrote / made / broke ...", cost ClapNQ an answered question)
_WHO_DID = re.compile(
    r"^\s*who\s+(?!(?:is|was|are|were|has|have|had|does|do|did|else|exactly)\b)[a-z]+ed\b",
    re.IGNORECASE,
)
_WHO_LED = re.compile(
    r"^\s*who\s+(?:ran|runs|led|leads|heads|headed|oversaw|oversees|managed|manages)\b", re.I
)
_NAME_SAID = re.compile(r"\b[A-Z]|[“\"']")  # a capital or a quote
_NAME_WORDS = 4  # words a capitalised short answer may have and be a name
_DOERS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_ROLE_TERMS = frozenset(  # "which campaign staffer was in charge ...?"
    terms(
        "judge justice staffer employee official aide lawyer attorney spokesperson spokesman "
        "spokeswoman engineer reporter journalist senator lawmaker congressman congresswoman "
        "governor mayor"
    )
)
_COURTS = frozenset(terms("court courts tribunal"))
_COURT_ASKED = re.compile(
    r"^\W*(?:has|have|did)\s+(?:any|a|the)\s+(?:\w+\s+)?(?:courts?|judges?|tribunals?)\s+(?:\w+\s+){0,2}?"
    r"(?:ruled?|decided|found|weighed\s+in)\b",
    re.IGNORECASE,
)
_RULED = re.compile(r"\b(?:courts?|judges?|tribunals?|ruled|rulings?)\b", re.IGNORECASE)
_FINITE = frozenset({"VBD", "VBZ", "VBP"})  # a verb with a tense of its own
_MET = re.compile(r"\b(?:meet|met|meeting|gather|gathered|take place|took place)\b", re.I)
_YEAR = frozenset(terms("year"))  # not "what month ...?": the lead may say only the year
_SCHEDULED = re.compile(  # not "the deadline set for"; "when did they last update it?"
    r"\b(?:scheduled|slated|last\s+(?:updated?|changed?|revised?|modified|amended|edited))\b",
    re.IGNORECASE,
)
# A yes/no question comparing sums ("did google get the same amount for theirs?"): only a
# sum can answer it
_SUM_WORD = r"\b(?:deal|contract|worth|paid|pay|cost|price|funding|budget)s?\b"
_SUMS_COMPARED = re.compile(
    r"\b(?:same|similar|equal|bigger|larger|smaller|higher|lower)\s+(?:amount|sum|price|fee"
    r"|figure|payout|valuation)s?\b(?!\s+of\b)|\bas much (?:money|cash|funding)\b"
    rf"|\bmore money\b|\bas much as\b(?=.*{_SUM_WORD})|{_SUM_WORD}.*\bas much as\b",
    re.IGNORECASE,
)  # not "the same amount of criticism", nor "as much as openai did" of no deal or sum
_MONEY = frozenset({"MONEY"})
# "when is the next model coming out?": the date of a release, which a date of the talks
# about the model is not
_RELEASE_ASKED = re.compile(  # not of a text: "when did okafor's essay come out?"
    r"^(?!.*\b(?:essay|article|post|piece|story|book|paper|report|blog|op-ed|letter|memo|study"
    r"|column|review|interview|podcast|video|episode)s?\b)"
    r"\s*when\b.*\b(?:com(?:e|es|ing)\s+out|releas(?:e|es|ed|ing)|launch(?:es|ed|ing)?"
    r"|ship(?:s|ped|ping)?|debut(?:s|ed|ing)?|roll(?:s|ed|ing)?\s+out|go(?:es|ing)?\s+live)\b",
    re.IGNORECASE,
)
_RELEASE_SAID = re.compile(
    r"\b(?:releas|launch|ship|debut|unveil|roll(?:s|ed|ing)? out|c[oa]m(?:e|es|ing) out|availab)",
    re.IGNORECASE,
)
# "when does the $200M defense contract expire?": an end date, which "signed ... last year"
_END_ASKED = re.compile(r"^\s*when\b.*\b(?:expir\w*|lapses?|runs?\s+out|renew\w*)\b", re.I)
_END_SAID = re.compile(
    r"\b(?:expir|laps|run(?:s|ning)?\s+out|ran\s+out|end\s+date|runs?\s+(?:until|through))", re.I
)
# "did hegseth say anything after the friday deadline passed?": what followed a deadline, which
# "He gave the company until Friday" does not tell
_AFTER_DEADLINE = re.compile(
    r"\b(?:after|once|when)\s+the\s+(?:\w+\s+)?deadline\s+(?:had\s+)?(?:passed|expired|lapsed"
    r"|ran\s+out|came\s+and\s+went|hit)\b",
    re.IGNORECASE,
)
_WHAT_HAPPENED = re.compile(r"\bwhat\s+happened\b", re.IGNORECASE)
_DEADLINE_PASSED = re.compile(
    r"\bdeadline\s+(?:had\s+)?(?:passed|expired|lapsed|came)|\bmissed\s+the\s+deadline|\bafter"
    r"\s+the\s+deadline",
    re.IGNORECASE,
)
# "did they end up getting it?", "did openai land that deal in the end?": whether it
# happened, which a lead saying only what was tried or hoped for ("the company would try to
# agree to a deal") does not tell (a question asking what was tried is told by it)
_OUTCOME_ASKED = re.compile(
    r"\b(?:end|ended)\s+up\b|\bin\s+the\s+end\b|\b(?:eventually|ultimately|finally)\b",
    re.IGNORECASE,
)
_TRYING_ASKED = re.compile(
    r"\b(?:try|tries|tried|trying|seek|seeks|sought|hope|hopes|hoped|plan|plans|planned|aim"
    r"|aims|aimed|intend|intends|intended|attempt|attempts|attempted|want|wants|wanted)\b",
    re.IGNORECASE,
)
_ONLY_TRIED = re.compile(
    r"\b(?:would|will|to)\s+try\s+to\b|\b(?:hopes?|hoped|plans?|planned|aims?|aimed|intends?"
    r"|intended)\s+to\b",
    re.IGNORECASE,
)
_UNDISCLOSED = re.compile(r"\b(?:undisclosed|not disclosed|did not disclose)\b", re.IGNORECASE)
_TIMES = frozenset({"DATE", "TIME"})
_PEOPLE = frozenset({"PERSON"})
_YEARS = frozenset({"DATE", "TIME", "EVENT"})  # "the 2016 Summer Olympics" says the year


def lacks_insisted_kind(
    question: str, block: Block, short: ShortAnswer | None, shape: Shape
) -> bool:
    """The question insists on a kind of answer the lead block does not give (and no short
    answer was found, or for an exact date one naming no day): an exact date and it names no
    date or time ("when exactly ...?": no date of it was found), a person by their role
    ("which judge") and it names no person; a thing's name, and it quotes no term nor does
    its lead's subject name something the question does not; a sum of money ("how much is
    Google's deal worth?", or compared: "did google get the same amount?"), and none of
    whose it asks, nor does it say the sum was not disclosed; a thing of a named kind
    ("which court ...?", "in what year ...?", "which countries ...?") and no such name or
    date was found; a release date ("when is it coming out?") and it says no release (nor an
    end date: "when does it expire?", no end; nor what followed a deadline); an
    outcome ("did they end up getting it?") and it says only what was tried; a court's
    ruling ("has any court ruled ...?") and it names no court nor ruling."""
    # "when is the next model coming out?" and no release dated
    release = shape.kind is Kind.WHEN and _RELEASE_ASKED.search(question)
    if release and _RELEASE_SAID.search(block.text) is None:
        return True
    ended = shape.kind is Kind.WHEN and _END_ASKED.search(question)  # "... expire?": its end
    if ended and _END_SAID.search(block.text) is None:
        return True
    after = _AFTER_DEADLINE.search(question) and not _WHAT_HAPPENED.search(question)
    if after and not _DEADLINE_PASSED.search(block.text):
        return True  # "... after the friday deadline passed?": "until Friday to commit" (what
        # happened next is the ban, told that Friday)
    if asks_name(question) and short is not None and not _a_name(short.text):
        return True  # "what's the anthropic person's name?": "The cost of generating ..."
    if shape.kind is Kind.YES_NO and _only_tried(question, block):
        return True  # "did openai end up getting it?": "would try to agree to a deal"
    if shape.kind is Kind.YES_NO and _COURT_ASKED.search(question):  # "has any court ruled
        return _RULED.search(block.text) is None  # ...?": "Expect to see more discussions"
    if shape.kind is Kind.YES_NO and _SUMS_COMPARED.search(question):  # "similar deals"
        return _UNDISCLOSED.search(block.text) is None and not _names(block, _MONEY)
    if short is not None:  # found ("Amodei", which the small model tags an organisation)
        return bool(_DAY_ASKED.search(question)) and DAY.search(short.text) is None
    if asks_name(question):
        quoted = without_terms_quoted(block.text) != block.text  # 'the "Safetyists"'
        return not quoted and not _subject_named(question, block)
    if shape.kind is Kind.WHO and _ROLE_OF_ASKED.search(question):
        return True  # no one the lead ties to the role: "former President Donald Trump"
    if shape.kind is Kind.WHO and _WHO_LED.search(question):
        return not _names(block, _PEOPLE, unasked=frozenset(terms(question)))
    if shape.kind is Kind.WHO and _WHO_DID.search(question):
        return not _names(block, _DOERS, unasked=frozenset(terms(question)))  # "who relayed
        # ...?" and the lead names no one but the question's own names
    if shape.kind is Kind.WHICH and shape.shape_words & _COURTS:
        return True  # "which court ruled ...?" and the lead names none
    if shape.kind is Kind.WHICH and shape.shape_words == _YEAR and shape.prefer is not None:
        return not _names(block, _YEARS, shape.prefer)  # "in what year ...?" and no year
    if shape.kind is Kind.WHERE and _MET.search(question):
        return True  # "where did they meet?" and no place found: the meeting has none
    if shape.kind is Kind.WHICH and shape.places:
        return True  # "which countries ...?" and none found that the question's verb takes
    if shape.kind is Kind.WHEN and _SCHEDULED.search(question):
        return True  # "when is the hearing scheduled?", "... last updated?": no date of it
    if shape.labels == ("MONEY",):
        return _UNDISCLOSED.search(block.text) is None
    if shape.labels == ("PERCENT",):  # "what proportion of its use ...?": "one source" is none
        return _UNDISCLOSED.search(block.text) is None
    if _EXACT_TIME.search(question):  # "when exactly ...?" and no time of it was found
        return shape.kind is Kind.WHEN or not _names(block, _TIMES)
    if _ROLE_ASKED.search(question) or (
        shape.kind is Kind.WHICH and shape.shape_words & _ROLE_TERMS
    ):
        return not _names(block, _PEOPLE, unasked=frozenset(terms(question)))
    return False


def _only_tried(question: str, block: Block) -> bool:
    """Whether something happened is asked, not what was tried, and the lead sentence says
    only what was tried or hoped for: none of the question's verbs ("sign", "get") is its
    own ("OpenAI signed a deal and plans to ..." says it happened)."""
    if not _OUTCOME_ASKED.search(question) or _TRYING_ASKED.search(question):
        return False
    lead = block.lead.outline.unit_text(block.lead.index)
    if _ONLY_TRIED.search(lead) is None:
        return False
    verbs = {t.text.lower() for t in nlp.dependencies(question) if t.pos_ == "VERB"}
    asked = {form for verb in verbs for term in terms(verb) for form in equivalents(term)}
    return not asked & set(terms(lead))


def _a_name(text: str) -> bool:
    """A short answer that can be a name: a few words, capitalised, or a capital or a quote
    past its first word ("Claude Gov", "the “Safetyists”"; not "The cost of generating ...")."""
    words = text.split()
    return (len(words) <= _NAME_WORDS and text[:1].isupper()) or bool(
        _NAME_SAID.search(text, len(words[0]) if words else 0)
    )


def _names(
    block: Block,
    labels: frozenset[str],
    said: re.Pattern[str] | None = None,
    unasked: frozenset[str] = frozenset(),
) -> bool:
    """The block names an entity of `labels`, whose words match `said` (if given) and are
    not all among `unasked` (the question's own "Trump" is no campaign staffer)."""
    outline = block.lead.outline
    return any(
        entity.label in labels
        and (said is None or said.search(outline.text, entity.start, entity.end) is not None)
        and not set(terms(outline.text[entity.start : entity.end])) <= unasked
        for entities in outline.entities(block.indices).values()
        for entity in entities
    )


def _subject_named(question: str, block: Block) -> bool:
    """The lead sentence's subject is a name the question does not say ("Anthropic was the
    first major AI lab ..." for "what's the name of the first AI lab ...?")."""
    lead = block.lead
    asked = set(terms(question))
    # the subject of a main or reported clause ("said Anthropic was ..."), not of "allow
    # Anthropic to present ..."
    for token in lead.outline.parsed([lead.index])[lead.index]:
        head = token.head
        finite = head.dep_ == "ROOT" or (head.dep_ == "ccomp" and head.tag_ in _FINITE)
        named = token.dep_ in ("nsubj", "nsubjpass") and token.pos_ == "PROPN"
        if named and finite and not set(terms(token.text)) & asked:
            return True
    return False
