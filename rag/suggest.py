"""Questions the chat's first screen suggests, drawn from the documents themselves with no LLM,
phrased as staff would ask them: a headline turned into its question ("Why Anthropic Blocked
the Trump Campaign" → "Why did Anthropic block the Trump campaign?"), a person named with
their role ("Anthropic CEO Dario Amodei" → "Who is Anthropic's CEO?"), an amount ("a $200
million deal signed with the Pentagon" → "How much was Anthropic's deal with the Pentagon
worth?"); each document's in a fixed order."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from rag.excerpts import readable
from rag.nlp import parse
from rag.types import Answer, Document

HEAD_CHARS = 5000  # of each document's body: what it is about is said early
DOCUMENTS_READ = 12  # at most, the first by title: a large corpus is not parsed whole
QUESTION_WORDS = ("why", "how", "what", "when", "where", "who")
ARTICLES = "the|its|their|his|her|a|an"
DO_FORMS = {"VBD": "did", "VBZ": "does", "VBP": "do"}


class Candidate(NamedTuple):
    """A question, and the words its direct answer must hold when known (a name, an amount)."""

    question: str
    expected: str | None = None


WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _sentence_case(title: str, body: str) -> str:
    """A headline's words in the case the document's own sentences use ("the Trump
    campaign", "Claude"): a word is lowered when the body (without the headline itself) writes
    it lower-case at least as often as capitalised mid-sentence, or never writes it at all."""
    words, body = title.split(), body.replace(title, "")
    cased = words[:1]
    for word in words[1:]:
        lower = len(re.findall(rf"\b{re.escape(word.lower())}\b", body))
        upper = len(re.findall(rf"(?<=[a-z,]\s)\b{re.escape(word)}\b", body))
        anywhere = len(re.findall(rf"\b{re.escape(word)}\b", body))
        lowered = word != word.lower() and not word.isupper()
        lowered &= lower >= upper if lower else not anywhere
        cased.append(word.lower() if lowered else word)
    return " ".join(cased)


def _from_title(title: str, body: str) -> str | None:
    """The question a headline answers: "Why X did Y" asked with "did", a statement
    ("Anthropic engages with ...", before any colon) asked as "Why did Anthropic engage ...?"
    (read after a "Why", which the small model parses headlines better with)."""
    cased = _sentence_case(title.split(":")[0].strip(), body)
    statement = cased.split()[0].lower() not in QUESTION_WORDS
    doc = parse(f"Why {cased}" if statement else cased)
    verb = next((t for t in doc[1:] if t.dep_ == "ROOT"), None)
    if verb is None or verb.tag_ not in DO_FORMS or verb.i <= 1:
        return None
    if not any(t.dep_ in ("nsubj", "nsubjpass") for t in doc[1 : verb.i]):
        return None
    words = [t.text_with_ws for t in doc]
    for at, article in _articles(doc, body).items():
        words[at] = f"{article} {words[at]}"
    said = "".join(words[1 : verb.i]).strip()
    rest = "".join(words[verb.i + 1 :]).strip()
    doing = "did" if statement else DO_FORMS[verb.tag_]
    return f"{doc[0].text.capitalize()} {doing} {said} {verb.lemma_} {rest}".strip() + "?"


def _articles(doc: Any, body: str) -> dict[int, str]:
    """The articles headline style drops, put back where the body says them: "with Trump
    administration" → "with the Trump administration" when the body writes it so."""
    put: dict[int, str] = {}
    for chunk in doc.noun_chunks:
        if chunk.root.tag_ not in ("NN", "NNS") or any(t.dep_ in ("det", "poss") for t in chunk):
            continue
        said = Counter(re.findall(rf"\b({ARTICLES}) {re.escape(chunk.text)}\b", body, re.I))
        if said:
            put[chunk.start] = said.most_common(1)[0][0].lower()
    return put


def _proper(token: Any) -> bool:
    """A name's word as the small model may miss it ("Anthropic" tagged an adjective)."""
    return token.text[:1].isupper() and token.ent_type_ not in ("DATE", "TIME")


def _role_word(token: Any) -> bool:
    """A word of a role said before a name: "CEO", "chief executive", not "Secretary"."""
    return bool(token.pos_ in ("NOUN", "PROPN") and (token.is_upper or token.is_lower))


def _role_questions(doc: Any) -> list[Candidate]:
    """Questions "Who is ORG's ROLE?" for a person named with an organisation's role before the name
    ("Anthropic CEO Dario Amodei", "Anthropic's CEO, Dario Amodei"); a title-case role
    ("Defense Secretary") is part of a name, not asked about."""
    asked = []
    for person in (e for e in doc.ents if e.label_ == "PERSON" and " " in e.text):
        at = person.start - 1
        at -= at >= 0 and doc[at].text == ","
        role: list[Any] = []
        while at >= 0 and _role_word(doc[at]):
            role.insert(0, doc[at])
            at -= 1
        at -= at >= 0 and doc[at].tag_ == "POS"
        if not role or len(role) > 2 or at < 0 or not _proper(doc[at]):
            continue
        shown = " ".join(t.text if t.is_upper else t.lower_ for t in role)
        asked.append(Candidate(f"Who is {_name(doc[at])}'s {shown}?", person.text))
    return asked


def _name(token: Any) -> str:
    """The whole entity a token belongs to (else the word), without "the" or a possessive."""
    span = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    name = re.sub(r"^the\s+", "", span.text if span is not None else token.text, flags=re.I)
    return re.sub(r"['’]s$", "", name)


def _amount_questions(doc: Any) -> list[Candidate]:
    """Questions "How much was ORG's THING worth?" for an amount naming what it is the price of
    ("Anthropic ... through a $200 million deal")."""
    asked = []
    for money in (e for e in doc.ents if e.label_ == "MONEY"):
        if money.end >= len(doc) or doc[money.end].pos_ != "NOUN":
            continue
        owner = next((t for t in money.sent if t.dep_ == "nsubj" and _proper(t)), None)
        if owner is not None:
            thing = doc[money.end].lower_ + _partner(doc[money.end], owner)
            asked.append(Candidate(f"How much was {_name(owner)}'s {thing} worth?", money.text))
    return asked


def _partner(thing: Any, owner: Any) -> str:
    """Whom the deal was with (" with the Pentagon"), when the text says it."""
    for word in thing.subtree:
        if word.lower_ == "with":
            other = next((t for t in word.children if t.dep_ == "pobj" and _proper(t)), None)
            if other is not None and other.i != owner.i:
                article = "the " if other.i and word.doc[other.i - 1].lower_ == "the" else ""
                return f" with {article}{_name(other)}"
    return ""


def questions_about(document: Document) -> list[Candidate]:
    """One document's candidate questions, best first: its headline's, then its amounts' and
    named roles' (each read from the body's opening, links read as their text)."""
    body = readable(document.text[document.body_start : document.body_start + HEAD_CHARS])[0]
    found = []
    if document.title and (from_title := _from_title(document.title, body)):
        found.append(Candidate(from_title))
    doc = parse(body)
    for candidate in [*_amount_questions(doc), *_role_questions(doc)]:
        if candidate.question not in (c.question for c in found):
            found.append(candidate)
    return found


def candidates(documents: Sequence[Document]) -> list[list[Candidate]]:
    """Each document's candidate questions, the documents ordered by title (then name)."""
    chosen = sorted(documents, key=lambda d: ((d.title or d.source).lower(), d.source))
    return [questions_about(document) for document in chosen[:DOCUMENTS_READ]]


def answers_it(candidate: Candidate, answer: Answer) -> bool:
    """Whether an answer is worth suggesting its question for: a direct answer that holds
    what was expected (the name, the amount) and says more than the question did (not a
    heading repeating it)."""
    if answer.abstained or answer.short_answer is None:
        return False
    short = answer.short_answer.text
    if candidate.expected is not None and candidate.expected not in short:
        return False
    said = {w.lower() for w in WORD.findall(short)}
    return bool(said - {w.lower() for w in WORD.findall(candidate.question)})
