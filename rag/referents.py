"""What a follow-up's pronoun stands for ("he", "they", "its", "the company"): the previous
question's subject, a person or group an earlier question names, or the people an earlier
who-question's answer names; rag/conversation.py writes the follow-up out with it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from rag import nlp
from rag.names import with_names_capitalised

_NAME = re.compile(r"\b[A-Z][\w-]*")
_SENTENCE_START = re.compile(  # before a sentence's first word (not after "Mr.")
    r"(?:^|(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)[.!?]\s+)\W*$"
)
AUXILIARY = r"(?:did|does|do|has|have|had|is|was|are|were|will|would|can|could|should)"
_SUBJECT = re.compile(
    rf"^\s*(?i:(?:why|how|when|where|what|who)\s+{AUXILIARY})\s+"
    r"(?P<subject>(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*(?:\s+(?:campaign|camp|team|"
    r"administration|government|department|agencies|officials|staff|employees|workers)"
    r"(?!\s+(?:up|against|for|on|the|a|an|with|out)\b))?)"
    r"\b(?!['’]s?\b)"  # "the Trump campaign", not "the Trump"
)
# a lower-case subject ("did trump order ...?"): "he" may stand for it when the documents
# call it a person ("trump" is an English word, so it is not capitalised as a name)
_LOWER_SUBJECT = re.compile(
    rf"^\s*(?i:(?:(?:why|how|when|where|what)\s+)?{AUXILIARY})\s+"
    r"(?!(?:the|they|she|this|that|these|those|you|we|any|all|his|her|its|their)\b)"
    r"(?P<subject>[a-z][a-z-]{2,})\s+"
    r"(?:actually\s+|really\s+|ever\s+|just\s+)?[a-z]+\b(?!['’]s)"
)
_COMPANY = r"the (?:ai )?(?:company|firm|startup|lab)"  # "what did he call the company?"
PRONOUN = re.compile(rf"\b(?:he|she|they|him|them|his|its|their|{_COMPANY})\b", re.IGNORECASE)
_PRONOUN_KINDS = {
    **dict.fromkeys(("he", "she", "him", "his"), "person"),
    **dict.fromkeys(("they", "them", "their"), "group"),
    "its": "thing",
}
# A who-question's answer naming people by what they are ("Former OpenAI executives"): "they"
PEOPLE = re.compile(
    r"\b(?:executives|founders|employees|officials|staffers|staff|researchers|engineers"
    r"|lawyers|leaders|members|lawmakers|advisers|advisors|investors|people)$",
    re.IGNORECASE,
)
_ASKER = r"(?:expert|specialist|official|analyst|person|insider|researcher|executive|lawmaker)"
_ACTS = (  # "which official sat down with amodei?": a verb of its own next
    r"(?=\s+(?:who|that|\w+ing|\w+ed|said|says|told|thinks?|argues?|claims?|spoke|wrote|met"
    r"|meets|sat|sits|gave|gives|made|makes|ran|runs|led|leads|took|takes)\b)"
)
_LEAD_IN = r"(?:[^?—–:]{0,60}[—–:]\s*)?\s*"  # "I'm a defense researcher — is any ..."
_ASKS_WHO = re.compile(  # "who ...?", "is any outside specialist saying ...?": a person (not
    # "was there an executive order?", "what official reason ...?")
    rf"^{_LEAD_IN}(?:who|whom|whos)\b|^{_LEAD_IN}(?:which|what)\s+(?:[\w-]+\s+)?{_ASKER}s?{_ACTS}"
    rf"|^{_LEAD_IN}there\s+(?:is|was|were)\s+(?:some|an?)\s+(?:[\w-]+\s+)?{_ASKER}s?{_ACTS}"
    rf"|^{_LEAD_IN}(?:is|are|was|were|did|does|has|have)\s+(?:there\s+)?(?:anyone|anybody|someone"
    rf"|somebody|(?:any|some|an?)\s+(?:[\w-]+\s+)?{_ASKER}s?{_ACTS})",
    re.IGNORECASE,
)
_LOOK_BACK = 3  # earlier questions searched for the person "he" stands for
QUESTION_WORDS = frozenset("who whom what which where when why how".split())
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def names_in(question: str) -> list[str]:
    """Capitalised words that name something (not acronyms or dates), none opening a
    sentence ("I'm checking a claim. What did he ...": "What" is no name)."""
    return [
        match[0]
        for match in _NAME.finditer(question)
        if not _SENTENCE_START.search(question, 0, match.start())
        and not match[0].isupper()
        and match[0].lower() not in CALENDAR
        and match[0].lower() not in QUESTION_WORDS  # "(following up on: What ..."
    ]


def _topic(previous: str) -> str | None:
    """The name a pronoun of the follow-up stands for: the one after the previous question's
    question word and auxiliary ("Why did Anthropic ..." → "Anthropic"). None when the
    previous question asks for a name ("Who is Anthropic's CEO?": "he" is its answer, which
    the question's words only describe) or its subject is itself asked for ("Which company
    ...")."""
    subject = _SUBJECT.match(previous)
    return subject.group("subject") if subject else None


_THE_WRITER = re.compile(r"\bthe\s+(?:writer|author)\b(?!\s+of\b)", re.IGNORECASE)


def referents(
    earlier: Sequence[str],
    answered: Callable[[str], str | None] | None = None,
    person_named: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """What "he"/"she" ("person"), "they" ("group") and "it" ("thing") stand for: the previous
    question's subject where it agrees (a person for "he", not for "they" or "it"); else for
    "he" the latest person an earlier question names, for "they" a group the previous one
    names after its subject ("Why did Trump order federal agencies to ...": "federal
    agencies"); for "he" after a who-question, the person its answer names (`answered`),
    before any other, and for "they" the people it names by what they are. A kind with none
    is missing. A subject the tagger does not read as a person ("Trump", often tagged an
    organisation) is one when `person_named` says the documents call it one, asked only
    when a group follows it."""
    if person_named is not None:
        person_named = _asked_once(person_named)
    recent = [with_names_capitalised(question) for question in earlier[-_LOOK_BACK:]]
    earlier = [*earlier[: -len(recent)], *recent]  # "amodei" typed in lower case: Amodei
    previous = earlier[-1]
    topic = _topic(previous)
    doc = nlp.parse(previous)
    people = [e.text for e in doc.ents if _a_person(e)]
    found: dict[str, str] = {}
    group = next((chunk for chunk in doc.noun_chunks if _group(chunk, people)), None)
    tagged = topic is not None and _is_person(topic, people)
    asked = not tagged and group is not None and person_named is not None
    if topic is not None and (
        tagged or (asked and person_named is not None and person_named(topic))
    ):
        found["person"] = topic
        if group is not None:
            found["group"] = group.text
    elif topic is not None:
        found["group"] = found["thing"] = topic
    if "group" not in found and (pair := _joined_subject(doc)) is not None:
        found["group"] = pair  # "did google and openai get deals too?" "were their ...?"
    if answered is not None and _ASKS_WHO.match(previous):
        person = answered(previous)  # "Who did Amodei meet?" "What did he say?": the
        if person is not None and PEOPLE.search(person):  # one he met; "who founded
            found["group"] = person[:1].lower() + person[1:]  # anthropic?" "why did they
            # break off?": "former OpenAI executives"
        elif person is not None:
            found["person"] = person
    if "person" not in found:
        for question in reversed(earlier[-_LOOK_BACK:]):
            if _ASKS_WHO.match(question) and _topic(question) is None:
                again = answered is not None and question is not previous  # asked above
                person = answered(question) if answered is not None and again else None
                if person is not None:  # "Who is Anthropic's CEO?": "he" is its answer,
                    found["person"] = person  # not a name it says
                break
            named = [  # not an owner: "Anthropic's CEO" is "he", not Anthropic
                e.text
                for e in nlp.parse(question).ents
                if _a_person(e) and not question[e.end_char :].startswith(("'s", "’s"))
            ]
            topic = _topic(question) if not named and person_named is not None else None
            if topic is None and not named and person_named is not None:
                lower = _LOWER_SUBJECT.match(question)  # "did trump order ...?": Trump
                topic = lower["subject"].capitalize() if lower else None
                if topic is not None and person_named(topic):
                    found["guessed"] = topic  # the turns stay its context
            if topic is not None and person_named is not None and person_named(topic):
                named = [topic]  # "Why did Trump order ...?": the tagger saw no person
            if named:
                found["person"] = named[0]
                break
    for question in reversed(earlier[-_LOOK_BACK:]):  # "the company" after "Why did Trump
        ents = nlp.parse(question).ents
        people = [e.text for e in ents if _a_person(e)] + [found.get("person", "")]
        companies = {  # ... drop Anthropic?": Anthropic, the one name not a person's (whole:
            next((e.text for e in ents if e.label_ == "ORG" and name in e.text), name)  # "the
            for name in names_in(question)  # Department of Defense")
            if not _is_person(name, people)
        }
        if companies:
            if len(companies) == 1:  # not one of two ("the Pentagon" or Anthropic?)
                found["company"] = companies.pop()
            break
    own = previous.partition("(following up on:")[0]
    if _THE_WRITER.search(own) and not names_in(own):
        found["person"] = "the writer"  # "whats the irony the writer points out" "and what
    return found  # does she tell teams to do?": the writer, not a name in an earlier turn


def _joined_subject(doc: Any) -> str | None:
    """The subject of a question that joins two or more names ("google and openai"): what
    "they" stands for after it."""
    for token in doc:
        if token.dep_ == "nsubj" and token.pos_ in ("PROPN", "NOUN"):
            joined = [child for child in token.children if child.dep_ == "conj"]
            if joined and all(t.pos_ in ("PROPN", "NOUN") for t in joined):
                return str(doc[token.left_edge.i : joined[-1].right_edge.i + 1].text)
    return None


def _a_person(entity: Any) -> bool:
    """The tagger's person, unless an acronym ("the Anthropic–DoD spat": "DoD" is none)."""
    acronym = len(entity.text) <= 4 and sum(c.isupper() for c in entity.text) >= 2
    return bool(entity.label_ == "PERSON") and not acronym


def _asked_once(person_named: Callable[[str], bool]) -> Callable[[str], bool]:
    """`person_named`, asked at most once a name and never of "the ..." (a search each)."""
    answers: dict[str, bool] = {}

    def asked(name: str) -> bool:
        if name not in answers:
            answers[name] = (
                name[:1].isupper() and not name.startswith("The ") and person_named(name)
            )
        return answers[name]

    return asked


def _is_person(name: str, people: list[str]) -> bool:
    return any(name in person or person in name for person in people)


def _group(chunk: Any, people: list[str]) -> bool:
    """A noun phrase naming a group or organisation, not a person or the question word."""
    root = chunk.root
    if root.lower_ in QUESTION_WORDS or _is_person(chunk.text, people):
        return False
    return root.tag_ in ("NNS", "NNPS") or root.ent_type_ in ("ORG", "NORP")


def with_referents(question: str, found: dict[str, str]) -> str:
    """The question with each third-person pronoun standing for what agrees with it; one
    with nothing to stand for is left."""

    def replace(match: re.Match[str]) -> str:
        word = match.group().lower()
        stands_for = found.get(_PRONOUN_KINDS.get(word, "company"))
        if stands_for is None:
            return match.group()
        return f"{stands_for}'s" if word in ("his", "its", "their") else stands_for

    return PRONOUN.sub(replace, question)
