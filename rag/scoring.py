"""How the answer engine scores a question's candidate sentences: lexical coverage of its
weighted terms (with other forms and synonyms of a word no passage holds), similarity in
meaning, the evidence that decides whether to answer, and the sentences that name the kind
of thing asked for."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from rag import nlp
from rag.blocks import Block
from rag.dates import MONTH_OF_YEAR
from rag.kinds import VENUES
from rag.lemmas import equivalents
from rag.names import lower_case_names, question_names
from rag.outline import Candidate
from rag.owners import aliases_named, aliases_written
from rag.questions import Shape
from rag.synonyms import VERB_SENSE, synonyms
from rag.text import terms
from rag.ties import read_question
from rag.typed import asks_for_person, names_answer

SIMILARITY_POOL = 12  # lexically best sentences compared in meaning with the question
_WORD = re.compile(r"[\w'’-]+")
_TYPED_POOL = 4  # best candidates searched for an entity of the asked-for kind (at least
# `Shape.reach` of the best score); twice as many for a sum, said once ("$200 million", 6th)
_WORDIER = 0.1  # coverage by which a sentence below them must beat them to be read too
_EVIDENCE_WEIGHTS = (0.3, 0.3, 0.4)  # coverage, similarity, topical similarity
_TOPICAL = 3  # sentences closest to the question that make the topical similarity
_CLOSEST = 0.5  # similarity a sentence closest in meaning needs to lead unmatched in words
_SYNONYM_SHARE = 0.6  # of a word's weight its synonym is evidence for when it is written nearby
_VENUE_REACH = 2  # sentences from the best one a sentence naming the venue may stand
_SUM = re.compile(
    r"[$€£]\s?\d|\b\d[\d,.]*\s*(?:million|billion|trillion|bn)\b|\b(?:dollars|euros|pounds)\b",
    re.IGNORECASE,
)
_SUM_COVERAGE = 0.3  # of the question's words a sentence naming a sum below the best says
_TIED = 0.02  # similarities this close are the same closeness: the model's noise


def evidence(block: Block, topical: float) -> float:
    """How well a lead sentence backs an answer: its (idf-weighted) coverage of the question's
    terms, its embedding similarity to the question and how close in meaning the passages'
    best sentences come (`topical`). Coverage weighs least: a paraphrase ("deal" for
    "contract") misses words, not meaning; measured on ClapNQ and the corpus sets
    (docs/benchmarks.md, abstention trade-off)."""
    lead = block.lead
    weights = _EVIDENCE_WEIGHTS
    return round(
        weights[0] * lead.coverage + weights[1] * lead.similarity + weights[2] * topical, 4
    )


def own_evidence(block: Block) -> float:
    """A sentence's evidence on its own (the mean of its coverage and similarity): what lets
    a sentence naming the asked-for kind lead; `topical` is the question's, not the
    sentence's, so it takes no part."""
    return (block.lead.coverage + block.lead.similarity) / 2


def closest_in_meaning(candidate: Candidate, ranked: list[Candidate]) -> bool:
    """The candidate is the sentence closest in meaning to the question of all the ranked
    ones, by a clear similarity: the question's wording of it shares few words with it ("wind
    down their use" for "phase out")."""
    best = max((c.similarity for c in ranked), default=0.0)
    return candidate.similarity >= max(best - _TIED, _CLOSEST)


def vouched_for(shape: Shape, candidate: Candidate, ranked: list[Candidate]) -> bool:
    """A sentence naming the asked-for kind may lead though its own evidence is low: it is
    the closest in meaning, or it names where something was posted beside the best one
    ("Trump said in a post on Truth Social" two sentences after "Trump announced ...")."""
    if closest_in_meaning(candidate, ranked):
        return True
    return shape.labels == VENUES and _beside(candidate, ranked[0])


def _beside(candidate: Candidate, best: Candidate) -> bool:  # on its page, _VENUE_REACH away
    return candidate.outline is best.outline and abs(candidate.index - best.index) <= _VENUE_REACH


def topical_similarity(question_vector: np.ndarray, candidates: list[Candidate]) -> float:
    """The mean similarity to the question of the _TOPICAL sentences closest to it among
    those with a vector (stored at ingest or embedded for this question): no model run."""
    vectors = [c.outline.vectors[c.index] for c in candidates if c.index in c.outline.vectors]
    if not vectors:
        return 0.0
    similarities = np.sort(np.stack(vectors) @ question_vector)[::-1]
    return float(similarities[:_TOPICAL].mean())


def typed_leads(
    shape: Shape, question: str, ranked: list[Candidate], asked: frozenset[str]
) -> list[Candidate]:
    """For a question asking for a kind of entity (a person, a date, an amount, a place):
    the best candidate naming one the question does not (in the sentence or the one it
    refers back to; for a who-question one its parse ties to the question's subject), as a
    list (empty when none of the best does); the best are the top few and the one saying
    the most of the question's words. Sentences are read best first and reading stops at the
    first that names one: spaCy costs a few ms a sentence."""
    if not shape.labels or not ranked:
        return []
    pool = ranked[: _TYPED_POOL * (2 if shape.labels == ("MONEY",) else 1)]
    wordiest = max(ranked[:SIMILARITY_POOL], key=lambda c: c.coverage)
    if wordiest.coverage > max(c.coverage for c in pool) + _WORDIER:
        pool.append(wordiest)  # the sentence saying the most of the question ("April
        # 2026Direct engagement on next AI model", a short table row scoring fifth)
    venue = shape.labels == VENUES  # "... in a post on Truth Social", two sentences on
    pool += [c for c in ranked if venue and c not in pool and _beside(c, ranked[0])]
    role = _role_said(shape, question, asked, ranked[0])
    money = shape.labels == ("MONEY",)
    for candidate in pool:
        below = candidate.score < shape.reach * ranked[0].score
        if below and not (venue and _beside(candidate, ranked[0])):
            if venue:  # the best one's neighbours come after the best few
                continue
            break
        if role and candidate is not ranked[0] and not role & candidate.unit.words:
            continue  # "who started anthropic?": the best says "started" (naming no one);
            # a person a sentence without it names did something else ("Trump")
        read = [candidate.index]
        if candidate.antecedent_words():  # not a photo credit before it
            read.insert(0, candidate.index - 1)
        if names_answer(shape, question, asked, candidate.outline, read):
            return [candidate]
    if money:  # "how much was the defense contract worth?": the best say "contract" and no
        for candidate in ranked[len(pool) :]:  # sum; one further down says the "deal"'s
            if candidate.coverage < _SUM_COVERAGE or not says_sum(
                candidate.outline.unit_text(candidate.index)
            ):
                continue
            if names_answer(shape, question, asked, candidate.outline, [candidate.index]):
                return [candidate]
    return []


def says_sum(text: str) -> bool:
    """The text names a sum of money ("a $200 million deal")."""
    return _SUM.search(text) is not None


def says_month(text: str) -> bool:
    """The text names a month of a year ("April 2026Direct engagement ...", a timeline's row)."""
    return MONTH_OF_YEAR.search(text) is not None


def said_otherwise(shape: Shape, timed: bool) -> Callable[[str], bool] | None:
    """What a sentence outside the lexically best must name to be compared in meaning with
    the question too: the sum a how-much question asks, or the month a when-question does
    (a timeline's rows share few words with it: "start talking" for "Direct engagement")."""
    return says_sum if shape.labels == ("MONEY",) else says_month if timed else None


def _role_said(
    shape: Shape, question: str, asked: frozenset[str], best: Candidate
) -> frozenset[str]:
    """The forms of a who-question's role verb ("started") when the best sentence says it;
    else none."""
    if not asks_for_person(shape):
        return frozenset()
    role = frozenset(
        form for term in read_question(question, asked).role for form in equivalents(term)
    )
    return role if role & best.unit.words else frozenset()


def _written(candidate: Candidate) -> frozenset[str]:
    """The terms a sentence writes as words of their own: not a word of a name inside it
    ("departments" is not the "Department of Defense" a passage names, and is also found as
    "agencies"), every word of a heading ("What Anthropic is Afraid Of")."""
    if candidate.unit.is_heading:
        return candidate.unit.words
    return _common_terms(candidate.outline.unit_text(candidate.index))


@lru_cache(maxsize=65_536)
def _common_terms(sentence: str) -> frozenset[str]:
    words = _WORD.findall(sentence)
    return frozenset(terms(" ".join(w for i, w in enumerate(words) if not i or w[:1].islower())))


# "how did anthropic notice?", "when did the pentagon spot it?": the word after a doer
_DONE_BY = re.compile(
    r"\b(?:did|does|do|would|could|will|can)\s+(?:[\w'’-]+\s+){1,3}?(?P<verb>[a-z]+)"
    r"(?=\s*(?:\?|$|\(|\s(?:it|that|this|them|him|her)\b))",
    re.IGNORECASE,
)


def _verbs_only_as_nouns(
    question: str, holding: list[tuple[Candidate, frozenset[str]]]
) -> set[str]:
    """The question's verbs with synonyms that the sentences holding them only write as the
    same word in another part of speech: "how did they notice?" is not the "prior notice" of
    a policy, and is also found as "caught" ("discussions" for "discussing" is the same
    sense in another form, and counts)."""
    if not any(synonyms(term) for term in terms(question)):
        return set()  # most questions: no parse
    verbs = {m["verb"].lower() for m in _DONE_BY.finditer(question)}  # the tagger reads
    # "how did anthropic notice?" as a noun
    asked = {
        term: word
        for term, word, verb in _tagged(question)
        if (verb or word in verbs) and synonyms(term)
    }
    return {
        term
        for term, word in asked.items()
        if all(
            not verb and written == word
            for c, words in holding
            if term in words
            for other, written, verb in _tagged(c.outline.unit_text(c.index))
            if other == term
        )
    }


def _nouns(sentence: str, words: frozenset[str]) -> frozenset[str]:
    """Those of `words` the sentence writes only as another part of speech than a verb."""
    tagged = _tagged(sentence)
    verbs = {term for term, _, verb in tagged if verb}
    return frozenset(term for term, _, verb in tagged if term in words and not verb) - verbs


@lru_cache(maxsize=4096)
def _tagged(sentence: str) -> frozenset[tuple[str, str, bool]]:
    """Each word's term, its lower-case form and whether spaCy tags it a verb (parsed once
    per sentence)."""
    if not sentence:
        return frozenset()
    return frozenset(
        (term, token.lower_, token.pos_ == "VERB")
        for token in nlp.dependencies(sentence)
        for term in terms(token.text)
    )


def score_candidates(
    candidates: list[Candidate],
    weights: dict[str, float],
    top_score: float,
    asked: dict[str, float],
    question: str = "",
    page: frozenset[str] = frozenset(),
) -> None:
    """Lexical score of each candidate: the weighted share of question terms in the sentence,
    in the sentence it refers back to, under its heading or title, in its passage, plus the
    passage's retrieval rank. A term no passage holds as written is also found as another
    form of its word ("wrote" as "written") or a synonym ("danger" as "threat"). Its
    coverage (evidence) counts all the `asked` terms: the words naming the page a question
    asks about do not rank its sentences, but its title holding them is evidence, and so is
    its page holding `page` (the words that picked it: a byline, a word only it says)."""
    top_score = max(top_score, 1e-9)
    passage_words = {  # once per passage: a widened one holds many candidates
        passage.chunk_id: passage_terms(passage.text)
        for passage in {id(c.passage): c.passage for c in candidates}.values()
    }
    question_terms = asked.keys() | weights.keys()
    holding = [  # written where another question word is (in it or the sentence it refers
        (c, w)  # back to): "flag" of "a stylized US flag" is another use, "flag a harmful
        for c in candidates  # reply" also finds "report"
        if len(((w := _written(c)) | c.antecedent_words()) & question_terms) > 1
    ]
    retrieved = frozenset().union(*(w for _, w in holding)) - _verbs_only_as_nouns(
        question, holding
    )
    typed = set(terms(question)) | set(terms(question.replace("-", " "))) if question else None
    forms = {  # the earlier question a follow-up leans on is read as written: its words
        t: frozenset((t,))  # in synonyms ("see" as "views") pull in sentences off its topic
        if t in retrieved
        else equivalents(t) | (synonyms(t) if typed is None or t in typed else frozenset())
        for t in asked | weights
    }

    totals = {id(weights): sum(weights.values()) or 1.0, id(asked): sum(asked.values()) or 1.0}
    said_otherwise = {  # a synonym of a word another passage holds ("deal" where "agreement"
        t: synonyms(t) - forms[t]  # is asked and written elsewhere) is evidence, though it
        for t in asked  # ranks nothing: as a full word it pulled in sentences off the topic
        if t in retrieved and (typed is None or t in typed)
    }

    def coverage(
        words: frozenset[str], counted: dict[str, float] = weights, soft: bool = False
    ) -> float:
        found = (
            weight
            if not forms[term].isdisjoint(words)
            else _SYNONYM_SHARE * weight
            if soft and not said_otherwise.get(term, frozenset()).isdisjoint(words)
            else 0.0
            for term, weight in counted.items()
        )
        return sum(found) / totals[id(counted)]

    named = (_named_terms(question) | page) & asked.keys()  # a name the question gives the
    # page, or the words that picked the page it asks about ("the maya price piece": a byline)
    # the question's words for an owner a sentence names under another of its names: "how much
    # was the defense department contract worth?" is told by "a $200 million deal signed with
    # the Pentagon" (a whole name asked, not "the war"; one the sentence itself writes)
    aliased = aliases_named(frozenset(question_terms))
    verb_sense = VERB_SENSE & frozenset().union(*(forms[t] - {t} for t in forms))
    verb_sense -= typed or set()  # "did they get notice ...?" asks the noun itself
    for candidate in candidates:
        own = candidate.unit.words
        if aliased or verb_sense & own:  # most sentences: their text is not read again
            text = candidate.outline.unit_text(candidate.index)
            own = own | (aliases_written(text) & aliased) if aliased else own
            if verb_sense & own:  # "spotted" is no "prior notice"
                own -= _nouns(text, verb_sense)
        antecedent = candidate.antecedent_words() - own
        context = candidate.context_words()
        page = named & candidate.outline.words if named else frozenset()
        said = own | antecedent | context | page
        candidate.coverage = coverage(said, asked, True)
        candidate.score = (
            coverage(own)
            + 0.5 * coverage(antecedent)
            + 0.3 * coverage(context - own - antecedent)
            + 0.2 * coverage(passage_words[candidate.passage.chunk_id])
            + 0.1 * max(candidate.passage.score, 0.0) / top_score
        )


def _named_terms(question: str) -> frozenset[str]:
    """The terms of the names a question gives, capitalised or typed in lower case."""
    names = question_names(question) + lower_case_names(question)
    return frozenset(term for _, name in names for term in terms(name))


@lru_cache(maxsize=1024)
def passage_terms(text: str) -> frozenset[str]:
    """A passage's terms, read once per text (scoring and rag/reworded.py both ask)."""
    return frozenset(terms(text))
