"""Yes or No to a yes/no question, only where a shown sentence says it: an answer word of its
own ("No. ConductAtlas is an independent monitoring service"), a denial of what was asked (a
negation whose clause names something asked and, with the sentence it refers back to, holds
most of what the sentence says of the question), or, for "Yes", the lead sentence saying
nearly all of it with nothing of it denied ("no longer" says yes to a change asked about).
A negation elsewhere in a sentence ("according to
one source ... who was not authorized to discuss it") is no "No", and a negated question
("Didn't ...?") gets no verdict: "No" to it reads both ways."""

from __future__ import annotations

import re
from typing import Any

from rag import nlp
from rag.blocks import Block
from rag.outline import Candidate, Outline
from rag.said import sentence_span, shown_units
from rag.said_first import first_within
from rag.sole import JUST_ASKED, SAYS_NOT_JUST, others_too
from rag.synonyms import synonyms
from rag.text import clean_for_display, terms
from rag.weights import wanted_terms

NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|none|without|cannot|denied|denies|deny|unverified"
    r"|unconfirmed|unproven|unsubstantiated)\b|n['’]t\b",
    re.IGNORECASE,
)
_NEGATORS = frozenset("not n't never no neither nor none without cannot".split())
_DENYING = frozenset("denied denies deny".split())  # the verb is its own negated clause
# "evidence confirming ... remains unverified": the clause it is said of is denied
_UNPROVEN = frozenset("unverified unconfirmed unproven unsubstantiated".split())
_ADMITTING = frozenset(terms("admit admitted acknowledge acknowledged confirm confirmed concede"))
_CLAUSE_HEADS = frozenset({"VERB", "AUX"})
_PREDICATES = frozenset({"VERB", "ADJ", "ADV"})
_ANSWER_WORD = re.compile(r"^\W*(yes|no)\s*[.,!;:—–]\s*(?=\w)", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:though|although|but|instead|however|while|whereas)\b", re.I)
# "did Trump change his mind about ...?" and "he no longer views ...": the denial is the
# change asked about, so it says yes
_CHANGE_ASKED = re.compile(
    r"\b(?:chang\w*|shift\w*|flip\w*|revers\w*|switch\w*|stop\w*|drop\w*|u-?turn\w*"
    r"|reconsider\w*|backtrack\w*|walk(?:ed)? back)\b",
    re.IGNORECASE,
)
_NO_LONGER = re.compile(r"\bno longer\b|\bnot\b[^.;]{0,40}\banymore\b", re.IGNORECASE)
YES_SHARE = 0.8  # share of the question's words a sentence needs to answer "Yes"
NO_SHARE = 0.6  # ... and, with a negation whose clause holds them, to answer "No"
_NEXT_SHARE = 0.4  # ... for the sentence right after the lead block (which says the rest)
_DENIAL_READ = 4  # best candidates read for a denial to lead
_DENIAL_NEAR = 0.8  # ... and the share of the best score it must have
_IN_CLAUSE = 0.5  # share of the words a sentence says that its negated clause must hold

Verdict = tuple[int, Outline, int, int, str]  # block order, outline, span, text shown


def verdict(question: str, asked: frozenset[str], blocks: list[Block]) -> Verdict | None:
    """The verdict and the sentence it comes from: the lead block's own answer word, else
    the first shown sentence (best block first) denying what was asked, else "Yes" when the
    lead sentence says it; None when no sentence says either."""
    if not asked or not blocks or NEGATION.search(question):
        return None
    sentences = [
        (order, block, index) for order, block in enumerate(blocks) for index in shown_units(block)
    ]
    if not sentences:
        return None
    order, block, index = sentences[0]
    outline = block.lead.outline
    start, end = sentence_span(outline, index)
    said = clean_for_display(outline.text[start:end])
    answer_word = _ANSWER_WORD.match(said)
    if order == 0 and answer_word:
        rest = said[answer_word.end() :]
        word = answer_word[1].title()
        if word == "No" and _affirms(question, asked, rest):  # "No. ConductAtlas is an
            word = "Yes"  # independent monitoring service" answers "is it independent?" yes
        return 0, outline, start, end, f"{word}: {rest}"
    if JUST_ASKED.search(question):  # "is it just trump?": "Anthropic didn't just ban Trump"
        for shown in shown_units(blocks[0]):
            first, last = sentence_span(outline, shown)
            if SAYS_NOT_JUST.search(text := clean_for_display(outline.text[first:last])):
                return 0, outline, first, last, f"No: {text}"
    if others_too(question, said):  # "the only one with a deal?": "... signed similar
        return 0, outline, start, end, f"No: {said}"  # deals around the same time, but ..."
    for order, block, index in sentences:
        if (denied := _denied(question, asked, block.lead.outline, index, order)) is not None:
            return denied
    return _yes(asked, _predicates(question), blocks[0])


def denial_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """Of the best few candidates for a yes/no question scoring nearly the best, the first
    (not the best) denying what was asked: "The Pentagon does not currently use AI in these
    ways" answers "is the pentagon currently using AI for autonomous weapons ...?" over the
    sentences that only name them; None when the best one denies it or none does."""
    if len(ranked) < 2 or NEGATION.search(question):
        return None
    asked = frozenset(wanted_terms(question, frozenset()))

    def denies(candidate: Candidate) -> bool:  # as a verdict reads it: the action said too
        return _denied(question, asked, candidate.outline, candidate.index, 0) is not None

    if not asked or denies(ranked[0]):
        return None
    return first_within(ranked[:_DENIAL_READ], _DENIAL_NEAR, denies)


def denial_after(
    question: str, asked: frozenset[str], blocks: list[Block]
) -> tuple[Verdict, Block] | None:
    """The verdict from the sentence right after the lead block in its paragraph (not shown
    in any block), and that sentence as a block of its own, when it denies what was asked
    (of fewer of its words: the block says the rest): "After the operation, an employee at
    Palantir relayed concerns ..." stops short of "Anthropic has denied ever raising
    concerns ..."; "No: ...", or "Yes: ..." when a change is asked and it says "no longer"."""
    if not asked or not blocks or NEGATION.search(question):
        return None
    outline, last = blocks[0].lead.outline, blocks[0].indices[-1]
    after, units = last + 1, outline.units
    shown = {i for block in blocks if block.lead.outline is outline for i in block.indices}
    if after >= len(units) or after in shown or units[after].paragraph != units[last].paragraph:
        return None
    if units[after].is_furniture:
        return None
    denied = _denied(question, asked, outline, after, len(blocks), _NEXT_SHARE)
    if denied is None:
        return None
    lead = blocks[0].lead
    return denied, Block(Candidate(lead.passage, outline, after, lead.score), [after])


def _denied(
    question: str,
    asked: frozenset[str],
    outline: Outline,
    index: int,
    order: int,
    share: float = NO_SHARE,
) -> Verdict | None:
    """ "No: <the sentence>" when sentence `index` denies what was asked (at least `share`
    of its words) and says its action, "Yes: ..." when a change is asked and it says "no
    longer"; else None. The question is parsed only for a sentence denying it."""
    if not (
        _denies(asked, outline, index, share) and _says_action(_action(question), outline, index)
    ):
        return None
    start, end = sentence_span(outline, index)
    said = clean_for_display(outline.text[start:end])
    changed = _CHANGE_ASKED.search(question) and _NO_LONGER.search(said)
    return order, outline, start, end, f"{'Yes' if changed else 'No'}: {said}"


def _yes(asked: frozenset[str], predicates: frozenset[str], block: Block) -> Verdict | None:
    """ "Yes" from the lead sentence (its first shown one under a heading) when it says at
    least YES_SHARE of the question's words itself, every verb, adjective and adverb of them
    among them (without "stop", "Hegseth wanted to continue working with Anthropic" does not
    say "Did Hegseth want to stop working with Anthropic?"), and denies none of them."""
    shown = shown_units(block)
    if not shown:
        return None
    outline = block.lead.outline
    index = block.lead.index if block.lead.index in shown else shown[0]
    said = asked & outline.units[index].words
    if len(said) < YES_SHARE * len(asked) or not (predicates & asked) <= said:
        return None
    if not _said_as_predicates(predicates & asked, outline, index):
        return None  # "The fight between ..." does not say that anyone fought
    if _negates(outline, index, said, frozenset()):
        return None
    start, end = sentence_span(outline, index)
    return 0, outline, start, end, f"Yes: {clean_for_display(outline.text[start:end])}"


def _said_as_predicates(predicates: frozenset[str], outline: Outline, index: int) -> bool:
    """Each predicate term is said by a verb, adjective or adverb of the sentence, not only
    by a noun ("did anthropic fight it?" against "The fight between Anthropic and ...")."""
    doc = outline.parsed([index])[index]
    said = {term for token in doc if token.pos_ != "NOUN" for term in terms(token.text)}
    return predicates <= said


def _affirms(question: str, asked: frozenset[str], said: str) -> bool:
    """The words after an answer word say every verb, adjective and adverb the question
    asks, of a subject it names, with no negation or contrast: the "No" answered another
    question."""
    predicates = _predicates(question) & asked
    if not predicates or not predicates <= set(terms(said)) or NEGATION.search(said):
        return False
    if _CONTRAST.search(said):  # "It is temporary, though a permanent ban is possible"
        return False
    root = next((t for t in nlp.dependencies(said) if t.dep_ == "ROOT"), None)
    subject = (
        next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root else None
    )
    return subject is not None and not asked.isdisjoint(terms(subject.text))  # not "OpenAI
    # signed the deal" for "did Anthropic sign it?"


def _predicates(question: str) -> frozenset[str]:
    """The terms of the question's verbs, adjectives and adverbs (spaCy's tags)."""
    return frozenset(
        term
        for token in nlp.parse(question)
        if token.pos_ in _PREDICATES
        for term in terms(token.text)
    )


def _action(question: str) -> frozenset[str]:
    """The terms of the question's main verb, what a "No" must deny ("object" of "did
    anthropic object to how the pentagon used claude?", not its "used"); empty when the main
    verb is "be"/"do" or a change is asked (its "no longer" answers without the verb)."""
    if _CHANGE_ASKED.search(question):
        return frozenset()
    root = next((token for token in nlp.parse(question) if token.dep_ == "ROOT"), None)
    if root is None:
        return frozenset()
    if root.lemma_ in ("do", "be"):  # lowercase "did anthropic object ...": "object" as the
        # object of "did"; "is it true that anthropic complained?": the clause's verb
        root = next((c for c in root.children if c.dep_ in ("dobj", "ccomp")), None)
        if root is None or (root.dep_ == "ccomp" and root.pos_ != "VERB"):
            return frozenset()
    elif root.pos_ != "VERB":
        return frozenset()
    return frozenset(terms(root.text))


def _says_action(action: frozenset[str], outline: Outline, index: int) -> bool:
    """The sentence itself says the asked action or a synonym ("Anthropic objected ...
    The Pentagon does not use AI in these ways" denies the use, not the objection)."""
    words = outline.units[index].words
    if action & _ADMITTING and _DENYING & set(outline.unit_text(index).lower().split()):
        return True  # "did Anthropic admit to raising concerns?": "Anthropic has denied ..."
    return all(term in words or synonyms(term) & words for term in action)


def _denies(asked: frozenset[str], outline: Outline, index: int, share: float = NO_SHARE) -> bool:
    """The sentence (with the one it refers back to) says at least `share` of the
    question's words (or their synonyms), and a negated clause of it denies them."""
    antecedent = _antecedent(outline, index)
    words = outline.units[index].words | antecedent
    matched = [  # "complain" is said by "raising concerns" (rag/synonyms.py)
        frozenset((term,)) if term in words else synonyms(term) & words for term in asked
    ]
    said = frozenset().union(*matched)
    held = sum(1 for found in matched if found)
    return held >= share * len(asked) and _negates(outline, index, said, antecedent)


def _negates(
    outline: Outline, index: int, said: frozenset[str], antecedent: frozenset[str]
) -> bool:
    """A negated clause of the sentence says a word of `said` that is no proper name and,
    with the words of the sentence it refers back to, holds at least _IN_CLAUSE of them."""
    if not said or not NEGATION.search(outline.unit_text(index)):
        return False
    return any(
        said_of & said and len((clause | antecedent) & said) >= _IN_CLAUSE * len(said)
        for clause, said_of in _negated_clauses(outline, index)
    )


def _negated_clauses(outline: Outline, index: int) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The words of each clause of the sentence that a negation governs (the subtree of the
    verb it attaches to), and those of them not in a proper name: what is denied of the names
    ("Anthropic isn't like OpenAI or Google" denies nothing of them that "did openai and
    google staff back anthropic?" asks)."""
    doc = outline.parsed([index])[index]
    clauses = []
    for token in doc:
        if _not_only(token):
            continue  # "may shape not only its next model but also ...": says both
        if token.lower_ in _DENYING:
            root = token
        elif token.lower_ in _NEGATORS or token.dep_ == "neg" or token.lower_ in _UNPROVEN:
            root = _clause_head(token)
        else:
            continue
        aside = {  # "If ... get blocked by Anthropic, you don't just stop ...": the "if"
            word.i  # clause is not what is denied
            for child in root.children
            if child.dep_ == "advcl" and token not in child.subtree
            for word in child.subtree
        }
        words = [word for word in root.subtree if word.i not in aside]
        common = [word.text for word in words if word.pos_ != "PROPN"]
        clauses.append((frozenset(terms(_text(words))), frozenset(terms(" ".join(common)))))
    return clauses


def _not_only(token: Any) -> bool:
    """ "not" of "not only / just / merely ... but also": no denial."""
    doc, after = token.doc, token.i + 1
    return (
        token.lower_ == "not"
        and after < len(doc)
        and doc[after].lower_ in {"only", "just", "merely", "simply"}
        and any(  # "but also": what is said besides
            word.lower_ == "but" and word.i + 1 < len(doc) and doc[word.i + 1].lower_ == "also"
            for word in doc[after + 1 :]
        )
    )


def _clause_head(token: Any) -> Any:
    """The verb a negation belongs to ("no" of "no longer views" → "views")."""
    head = token.head
    while head.pos_ not in _CLAUSE_HEADS and head.head.i != head.i:
        head = head.head
    return head


def _text(words: list[Any]) -> str:
    return " ".join(word.text for word in words)


def _antecedent(outline: Outline, index: int) -> frozenset[str]:
    unit = outline.units[index]
    return outline.units[index - 1].words if unit.refers_back and index > 0 else frozenset()
