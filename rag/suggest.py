"""Questions the chat's first screen suggests, drawn from the documents themselves with no LLM:
the people, organisations and things each document names most (and not every document names),
asked about as "Who is ...?" or "What is ...?", in a fixed order so that everyone sees the same
ones for the same documents."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.nlp import parse
from rag.types import Document

HEAD_CHARS = 5000  # of each document's body: what it is about is said early
DOCUMENTS_READ = 12  # at most, the first by title: a large corpus is not parsed whole
MIN_MENTIONS = 2  # a name said once is a detail, not what the document is about
ASKED = {
    "PERSON": "Who is {}?",
    "ORG": "What is {}?",
    "PRODUCT": "What is {}?",
    "LAW": "What is {}?",
    "EVENT": "What was {}?",
    "WORK_OF_ART": "What is {}?",
}


def _name(text: str) -> str:
    """An entity as a question names it: one line, no possessive, no leading article."""
    name = " ".join(text.split())
    name = re.sub(r"['’]s$", "", name)
    return re.sub(r"^(?:the|The)\s+", "", name).strip(" .,:;\"'“”‘’")


@dataclass
class _Names:
    """What one document's head names: how often, as what, and how often after "the"."""

    said: Counter[str] = field(default_factory=Counter)
    labels: Counter[tuple[str, str]] = field(default_factory=Counter)
    after_the: Counter[str] = field(default_factory=Counter)


def _named(document: Document) -> _Names:
    head = document.text[document.body_start : document.body_start + HEAD_CHARS]
    names = _Names()
    for entity in parse(head).ents:
        name = _name(entity.text)
        if entity.label_ not in ASKED or len(name) < 3 or re.search(r"\d|[|#@]", name):
            continue
        names.said[name] += 1
        names.labels[(name, entity.label_)] += 1
        before = entity.doc[entity.start - 1].lower_ if entity.start else ""
        names.after_the[name] += before == "the" or entity.text.lower().startswith("the ")
    return names


def _phrasing(found: list[_Names]) -> dict[str, str]:
    """Each name's question, by the corpus's vote on what it is: a person only when named in
    full (one-word "persons" are as often products or companies, so those are left out), "the"
    kept where the text mostly says it ("the Pentagon", but "OpenAI")."""
    labels: dict[str, Counter[str]] = {}
    said, after_the = Counter[str](), Counter[str]()
    for names in found:
        said.update(names.said)
        after_the.update(names.after_the)
        for (name, label), count in names.labels.items():
            labels.setdefault(name, Counter())[label] += count
    phrased = {}
    for name, votes in labels.items():
        label = votes.most_common(1)[0][0]
        if "PERSON" in votes and " " not in name:
            continue
        if label == "PERSON":
            phrased[name] = ASKED[label].format(name)
        else:
            shown = f"the {name}" if after_the[name] * 2 > said[name] else name
            phrased[name] = ASKED[label].format(shown)
    return phrased


def candidates(documents: Sequence[Document]) -> list[str]:
    """Questions about each document's most distinctive names, taking turns between the
    documents (ordered by title) so the first few cover different ones."""
    chosen = sorted(documents, key=lambda d: ((d.title or d.source).lower(), d.source))
    found = [_named(document) for document in chosen[:DOCUMENTS_READ]]
    phrased = _phrasing(found)
    spread = Counter(name for names in found for name in names.said)
    ranked = []
    for names in found:
        weight = {
            name: count * math.log(1 + len(found) / spread[name])
            for name, count in names.said.items()
            if name in phrased
            and count >= MIN_MENTIONS
            and (spread[name] < len(found) or len(found) == 1)
        }
        ranked.append(sorted(weight, key=lambda name: (-weight[name], name)))
    questions: list[str] = []
    for turn in range(max((len(order) for order in ranked), default=0)):
        for order in ranked:
            if turn < len(order) and phrased[order[turn]] not in questions:
                questions.append(phrased[order[turn]])
    return questions
