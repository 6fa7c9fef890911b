"""What makes a question lean on the turn before it without naming what it is about: a
pronoun or "that" pointing back ("how did they respond to that?"), a page noun with nothing
saying which page ("what does the author expect next?"), a bare "meaning what?" or "which
one ...?"; and what opens a new topic instead ("btw ...")."""

from __future__ import annotations

import re

from rag import nlp
from rag.clauses import CASE_FIRST, subject_of
from rag.referents import QUESTION_WORDS, names_in

_REFERS_BACK = re.compile(
    r"\b(it|its|that|this|these|those|they|them|their|he|him|his|she|her|there|then)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(
    r"\b(?:to|after|before|about|of|with|for|by|over|on)\s+(?:that|this)(?:\s+(?:kind|sort|type)"
    r"\s+of\s+(?:thing|stuff|move|decision))?\s*\??\s*$",
    re.I,
)  # "... respond to that?", "... power over that kind of thing?": the last turn's event
_COMPARED = re.compile(  # "would the Democrats have been treated any differently?": than
    r"\b(?:any\s+)?(?:differently|different)\s*\??\s*$", re.IGNORECASE
)  # whom or what was said just before
_BOTH_SIDES = re.compile(r"\b(?:than|if|and|or|between|from)\b", re.IGNORECASE)
_NEW_TOPIC = re.compile(
    r"^\s*(?:btw|by the way|unrelated(?:ly)?|on (?:a |an )?(?:different|another|separate"
    r"|unrelated) note|(?:a )?(?:different|separate|new) question|switching (?:gears|topics))\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"\b(?:he|she|him|her|his|hers)\b", re.IGNORECASE)
# "which one is anthropic in?" after "what two camps ...?": one of what the last turn named
_WHICH_ONE = re.compile(
    r"^\s*(?:and\s+|so\s+)?which\s+(?:(?:one|ones)\b(?!\s+of\s+(?!them|those|these))"
    r"|(?:one\s+)?of\s+(?:them|those|these)\b|of\s+the\s+(?:two|three|four)\s*\??\s*$)",
    re.IGNORECASE,
)
# "meaning what?", "how so?", "like what?": the last turn, explained or exemplified
EXPLAIN_ASKED = re.compile(
    r"^\s*(?:and\s+|so\s+|ok\s+|okay\s+)?(?:meaning\s+what|meaning|how\s+so|in\s+what\s+(?:way"
    r"|sense)|(?P<examples>like\s+what|such\s+as|for\s+(?:example|instance)|e\.?g\.?|examples?)"
    r"|(?:(?:can|could)\s+you\s+)?(?:say|put|explain)\s+(?:that|it|this)\s+(?:more\s+simply|simpler"
    r"|more\s+plainly|in\s+plain(?:er)?\s+(?:english|words|terms))(?:\s+please)?|eli5\s+(?:that|it)"
    r"|(?:(?:can|could)\s+you\s+)?explain\s+(?:that|it|this)(?:\s+(?:more|further|a\s+bit"
    r"(?:\s+more)?))?(?:\s+(?:pls|please))?)"
    r"\s*\??\s*$",  # "can you say that more simply": what the last turn asked, again
    re.IGNORECASE,
)
# "what legal fight does the author expect next?": the page the conversation is on (its
# writer, with nothing saying which page: not "the author of the wired piece"; "the piece"
# alone is as often the question's own "the piece talks about")
_THE_PAGE = re.compile(
    r"\bthe\s+(?:author|writer)\b(?!['’]|\s+(?:on|about|by"
    r"|from|covering|in|that|which|where|of|for|at|titled|called)\b)",
    re.IGNORECASE,
)

# "how did anthropic notice?", "when did they find out?": a verb that takes an object, said
# without one: what it was is the last turn's event
_OBJECT_LEFT_OUT = re.compile(
    r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:how|when|why)\s+(?:did|would|could|had)"
    r"\s+(?:\w[\w'’-]*\s+){1,3}?(?:notice|spot|detect|discover|realize|realise|hear"
    r"|find\s+out|figure\s+out|catch\s+on)\s*\??\s*$",  # not "how did trump's ppl respond":
    # a reaction is found by whose it is
    re.IGNORECASE,
)
# "whos in the photo at the top": the page the conversation is on, unless one is named
_THE_PHOTO = re.compile(
    r"\b(?:in|under)\s+the\s+(?:photo|picture|pic|photograph)\b|\bthe\s+(?:photo|picture|pic"
    r"|photograph)\s+(?:at|on)\s+(?:the\s+)?top\b",
    re.IGNORECASE,
)
_OF_A_PAGE = re.compile(r"\b(?:article|piece|story|post|page|report)\b", re.IGNORECASE)
# "does the page say anything abt defense contractors?": the page the conversation is on
_PAGE_MENTIONS = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:does|did)\s+(?:it|the\s+(?:article|piece|story|page|report|post"
    r"|analysis|site))\s+(?:say|mention|cover|talk\s+about)\s+anything\b",
    re.IGNORECASE,
)

# "is anyone saying this fight is overblown?" "who said that?": who said it is overblown
_WHO_SAID_THAT = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)\b[\s,]*)?who\s+(?:said|says|claimed|claims|argued|argues"
    r"|thinks|thought)\s+(?:that|this|it|so)\s*\??\s*$",
    re.IGNORECASE,
)
_ANYONE_SAYING = re.compile(
    r"^\s*(?:is|are|was|were|has|have|did|does|do)\s+(?:anyone|anybody|someone|somebody"
    r"|any\s+(?:one|experts?|analysts?|officials?))\s+(?:(?:been|actually|really)\s+)?"
    r"(?:saying|say|said|claiming|claim|claimed|arguing|argue|argued|think|thinking|thought)"
    r"\s+(?:that\s+)?(?P<claim>\w[^?]*?\b(?:is|are|was|were|isn['’]t|aren['’]t|wasn['’]t|has|have"
    r"|had|will|would|should|could|can)\b[^?]*?)\s*\??\s*$",  # a clause: "it is overblown"
    re.IGNORECASE,
)


def claim_asked(question: str, previous: str) -> str | None:
    """ "Who said that?" after "is anyone saying X?": "Who said X?" (what the earlier turn
    asked whether anyone says), else None."""
    said = _ANYONE_SAYING.match(previous) if _WHO_SAID_THAT.match(question) else None
    return None if said is None else f"Who said {said['claim']}?"


def opens_new_topic(question: str) -> bool:
    """The question says it starts a new topic ("btw ...", "on a different note ...")."""
    return _NEW_TOPIC.match(question) is not None


def points_back(question: str) -> bool:
    """The question points back at the last turn without naming its topic: "which one ...?",
    "meaning what?", "the author" (of the page the conversation is on), "... respond to
    that?", "how did anthropic notice?" (noticed what: the last turn's event), "does the
    page say anything about ...?", "he" before
    any name, "any differently?", or a pronoun and no name at all."""
    if _WHICH_ONE.match(question) or EXPLAIN_ASKED.match(question) or _THE_PAGE.search(question):
        return True
    if _OBJECT_LEFT_OUT.match(question) or _PAGE_MENTIONS.match(question):
        return True
    if _THE_PHOTO.search(question) and not _OF_A_PAGE.search(question):
        return True  # "whos in the photo at the top": the page's
    if _POINTS_BACK.search(question) or pronoun_first(question):
        return True  # "How did Anthropic respond to that?", "What did he say about ...?"
    if _COMPARED.search(question) and not _BOTH_SIDES.search(question):
        return True  # not "do OpenAI and Anthropic treat campaigns differently?"
    return _refers_back(question) and not names_in(question)


def _refers_back(question: str) -> bool:
    """A word of the question points back ("it", "that", "they"); "their" after the subject
    of the question's verb is that subject's ("what comparison did the campaign make to
    argue their point?")."""
    found = [match.start() for match in _REFERS_BACK.finditer(question)]
    return bool(found) and not set(found) <= _bound_possessives(question)


def _bound_possessives(question: str) -> set[int]:
    """Where each possessive pronoun is that a noun before it, the subject of a verb, owns."""
    doc = nlp.dependencies(question)
    bound: set[int] = set()
    subject = False
    for token in doc:
        asked = any(child.lower_ in QUESTION_WORDS for child in token.children)
        if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN") and not asked:
            subject = subject or token.head.pos_ == "VERB"  # not "which paper": the answer
        elif token.dep_ == "poss" and token.pos_ == "PRON" and subject:
            bound.add(token.idx)
    return bound


def pronoun_first(question: str) -> bool:
    """A personal pronoun comes before any name the question gives, so it stands for one
    said earlier ("What did Trump say about his ban?": "his" is Trump's)."""
    pronoun = _PERSONAL.search(question)
    if pronoun is None or names_in(question[: pronoun.start()]):
        return False
    return pronoun.start() not in _bound_possessives(question)  # "what did dario amodei
    # write in his blog post?": his own, the name typed in lower case


_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_SHIFT_ASKED = re.compile(  # "and the month before?", "and what happened the month after that?"
    r"^\s*(?:and\s+)?(?:what about|how about|what happened)?\s*(?:in\s+)?the\s+"
    r"(?P<unit>month|year)\s+(?P<way>before|after|prior|earlier|later)(?:\s+that)?\s*\??\s*$",
    re.IGNORECASE,
)
_MONTH_WORD = "|".join(
    m[:3] + ("(?:t|tember)?" if m == "september" else f"(?:{m[3:]})?") for m in _MONTHS
)
_TIME_SAID = re.compile(  # after a preposition: not "the march on washington", "what did jan say"
    r"\b(?:in|of|during|since|from|until|through|by|before|after)\s+"
    rf"(?:(?P<month>{_MONTH_WORD})\b\.?(?:\s+(?P<year>(?:19|20)\d\d)\b)?"
    r"|(?P<alone>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)


_OTHER_MONTH = re.compile(  # "and feb?", "what about in april 2026?"
    rf"^\s*(?:and|what about|how about)\s+(?:in\s+)?(?P<month>{_MONTH_WORD})\b\.?"
    r"(?:\s+(?P<year>(?:19|20)\d\d))?\s*\??\s*$",
    re.IGNORECASE,
)


def _other_month(question: str, previous: str) -> str | None:
    """The previous question in the month asked ("what happened in march per the timeline?"
    "and feb?": in February), when it names a month after a preposition; else None."""
    asked = _OTHER_MONTH.match(question)
    said = next((s for s in _TIME_SAID.finditer(previous) if s["month"]), None)
    if asked is None or said is None:
        return None
    month = _MONTHS[_month_index(asked["month"])].title()
    year = asked["year"] or said["year"]
    end = said.end("year") if said["year"] else said.end("month")
    return f"{previous[: said.start('month')]}{month}{' ' + year if year else ''}{previous[end:]}"


def asks_shifted_time(question: str) -> bool:
    """ "and the month before?", "what happened the year after?": the last turn, a month or a
    year on."""
    return _SHIFT_ASKED.match(question) is not None


def shifted_time(question: str, previous: str) -> str | None:
    """The previous question again a month or a year on ("what happened in march per the
    timeline?" "and the month before?": in February), or in the month asked ("and feb?"),
    when it names one after a preposition ("in march", "during 2025"); else None."""
    asked = _SHIFT_ASKED.match(question)
    if asked is None:
        return _other_month(question, previous)
    step = -1 if asked["way"].lower() in ("before", "prior", "earlier") else 1
    for said in _TIME_SAID.finditer(previous):
        if asked["unit"].lower() == "year":
            year = said["year"] or said["alone"]
            if year is not None:
                at = said.start("year") if said["year"] else said.start("alone")
                return f"{previous[:at]}{int(year) + step}{previous[at + 4 :]}"
        elif said["month"] is not None:
            index = _month_index(said["month"])
            month = _MONTHS[(index + step) % 12].title()
            if said["year"] is not None:
                crossed = not 0 <= index + step < 12
                month = f"{month} {int(said['year']) + step if crossed else said['year']}"
            end = said.end("year") if said["year"] else said.end("month")
            return f"{previous[: said.start('month')]}{month}{previous[end:]}"
    return None


# "and if they go well?", "but what if it fails?": the same question under another condition
# (not "and if not?", "if so, why?": those ask of the answer)
_OTHER_CONDITION = re.compile(
    r"^\s*(?:(?:and|but|or)\s+)?(?:what\s+)?if\s+(?!(?:so|not)\b|(?:it|they)\s+(?:do|does|did|"
    r"is|are|was|were|has|have)(?:n['’]?t)?\s*\??\s*$)(?P<condition>[^?,]+?)\s*\??\s*$",
    re.IGNORECASE,
)
_CONDITION_SAID = re.compile(rf"^\s*{CASE_FIRST}", re.IGNORECASE)
# "what could happen if anthropic's talks with the white house fall through?": the case last
# (what happens in it: not "what's their fallback if ...", which only one case has)
_CONDITION_LAST = re.compile(
    r"^\s*what\s+(?:happens|(?:could|would|will|might)\s+happen)\s+if\s+(?P<case>[^?,]+?)\s*\??\s*$",
    re.IGNORECASE,
)
_SUBJECT_PRONOUN = re.compile(r"^(?:they|it|these|those|this|that)\b", re.IGNORECASE)


def other_condition(question: str, previous: str) -> str | None:
    """The previous question with its condition ("If the talks ... leave issues unresolved,
    what might Anthropic do?") put in place by the new one ("and if they go well?": "If the
    talks ... go well, what might Anthropic do?"), its pronoun subject the old condition's
    subject, the condition first or last ("what could happen if the talks fall through?");
    None when the previous question states none."""
    asked = _OTHER_CONDITION.match(question)
    said = _CONDITION_SAID.search(previous) or _CONDITION_LAST.search(previous)
    if asked is None or said is None:
        return None
    condition = asked["condition"]
    pronoun = _SUBJECT_PRONOUN.match(condition)
    if pronoun is not None:
        subject = subject_of(said["case"])
        if subject is None:
            return None
        condition = subject + condition[pronoun.end() :]
    start, end = said.span("case")
    return f"{previous[:start]}{condition}{previous[end:]}"


def _month_index(word: str) -> int:
    """January's 0 to December's 11, of a month's name or its short form ("feb", "Sept")."""
    return next(i for i, month in enumerate(_MONTHS) if month.startswith(word[:3].lower()))
