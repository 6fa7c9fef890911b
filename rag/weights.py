"""How much each word of a question counts when sentences are scored against it: the words
that only frame the question are left out, the rest weigh their idf, and a verb the
documents never use weighs little (it is the question's wording, not the documents')."""

from __future__ import annotations

import re
from typing import Any

from rag import nlp
from rag.lemmas import equivalents
from rag.lexical import Lexicon
from rag.sole import JUST_ASKED
from rag.synonyms import synonyms
from rag.text import COMPOUND, is_everyday, terms

CHAT_WORDS = frozenset(
    terms(
        "lol lmao rofl haha hehe btw fyi tbh imo imho idk pls plz thx ok okay hmm hey hi iirc "
        "afaik tldr eli5"
    )
)
QUESTION_FRAMING = CHAT_WORDS | frozenset(
    terms(
        "article articles describe described mention mentioned document documents passage "
        "text say says said state stated kind kinds type types sort sorts stuff thing things "
        "happen happens happened "
        "exactly specifically name named called besides else another anything per writeup like "
        "piece pieces story stories might must page pages something someone somebody "
        "site sites website websites rather still even whole usually typically normally actual "
        "actually vs versus"
    )
)  # words about the question or its wording ("what kind of", "what is it called") or chat
# ("... in that post lol"), no topic
# "let" frames a permission ("wouldn't let the campaign use Claude"): at its idf (one chunk
# says it) it outweighed the campaign and Claude, and found the Pentagon's "could allow"
# "give" carries the phrase ("which statute gives the president power"): rare in a small
# corpus, at its idf it outweighed the words it joins ("get" stays: pages say "get blocked"
# as staff do; "make" stays: "make campaign imagery" was declined without it)
_LIGHT_VERBS = frozenset(terms("let lets letting give gives gave given giving"))
DIFFERENCE_ASKED = re.compile(
    r"\b(?:differ|differs|different|distinct)\s+(?:from|than|to)\b|\bdifferences?\s+between\b"
    r"|\bdiffer\s*\??\s*$|\bsets?\s+(?:[\w'’-]+\s+){1,4}apart\b"
    r"|\bhow\s+(?:does|do|did|would)\s+(?:[\w'’-]+\s+){1,5}?compare\s*(?:\?|$|with\b|to\b)"
    r"|\b(?:treated|handled|dealt\s+with)\s+(?:any\s+)?differently\b",  # "would the democrats
    # have been treated any differently?": "they'd face the same digital lockout"
    re.IGNORECASE,
)
_DIFFERENCE_WORDS = frozenset(
    terms("differ differs different difference differences distinct set sets apart compare")
)
# "what's the title of the AUP section on elections?": the heading is the answer, no word of it
_TITLE_ASKED = re.compile(
    r"\bwhat(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?:title|heading|headline)s?"
    r"\s+(?:of|for|on)\b",
    re.IGNORECASE,
)
# "what does it say ppl should watch next?": whoever should do it is no topic word
_ANYONE_SHOULD = re.compile(
    r"\b(?:people|ppl|folks|readers|one)\s+(?:should|ought|needs?\s+to|must)\b"
    r"|^\s*(?:has|have|did|does|is|was)\s+(?:anyone|anybody)\s+(?:\w+ly\s+)?\w+(?:ed|en)\b",  # "has
    re.IGNORECASE,  # anyone independently confirmed it?": whether it was confirmed
)
_ANYONE_WORDS = frozenset(terms("people folks readers one anyone anybody"))
# "which uses does anthropic keep refusing?": "keep" says it goes on, no topic word
_KEPT_ON = re.compile(r"\b(?:keep|keeps|kept|keeping)\s+(?:on\s+)?\w+ing\b", re.IGNORECASE)
_KEEP_WORDS = frozenset(terms("keep keeps kept keeping"))
_TITLE_WORDS = frozenset(terms("title titles heading headings headline headlines"))
_OWN_WORDS = 3.0  # idf a follow-up's own words must weigh to outweigh the two turns before
_CONTEXT_SHARE = 0.5  # ... which then weigh at most this share of them
# "what does it say to keep an eye on?": the page the turns were on, asked something new of
_PAGE_ASKED = re.compile(
    r"^\s*(?:and\s+|so\s+)?what\s+(?:else\s+)?(?:does|did)\s+(?:it|the\s+(?:article|piece|story"
    r"|page|report|post|author|writer))\s+(?:say|suggest|recommend|advise)\b"
    r"|^\s*(?:and\s+|so\s+)?(?:does|did)\s+(?:it|the\s+(?:article|piece|story|page|report|post"
    r"|analysis))\s+(?:say|mention|cover|talk\s+about)\s+anything\b",  # "does the page say
    # anything abt defense contractors?"
    re.IGNORECASE,
)
_WRITER_VIEW = re.compile(r"\bthe\s+(?:author|writer)\b(?!\s+of\b)", re.IGNORECASE)
_WRITER_WORDS = frozenset(terms("author writer"))
# "what legal designation does the article think ...": the page's view, no topic word
_PAGE_VIEW = re.compile(
    r"\bthe\s+(?:article|author|writer|piece|page|story)\s+(?P<verb>think|thinks|predict|predicts"
    r"|expect|expects|believe|believes|reckon|reckons|figure|figures)\b",
    re.IGNORECASE,
)
# "any news on anthropic talking to ...?", "what's the latest on ...": the topic is asked
_NEWS_ON = re.compile(
    r"\b(?P<word>news|update|updates|word|latest)\s+(?:on|about|re|regarding|with)\b", re.I
)
# "what 2 military uses ...", "which two restrictions ...": how many are asked, no topic word
_COUNT_ASKED = re.compile(
    r"\b(?:what|which|the|list|name)\s+(?P<count>[2-9]|two|three|four|five|six)\s+"
    r"(?!(?:million|billion|trillion|thousand|hundred|percent|per\s+cent|months?|years?)\b)"
    r"(?=[a-z])",
    re.IGNORECASE,
)
# "did they get a heads up first?": before something else, not a page's "safety first"
_BEFOREHAND = re.compile(  # (a warning or the like asked of: not "was anthropic first?")
    r"\b(?:warning|warned|heads[- ]up|notice|notified|told|asked|consulted|contacted)\b[^?]{0,30}?"
    r"\s(?P<word>first|beforehand)\s*\??\s*$",
    re.IGNORECASE,
)
# "what harms does anthropic cite?": what it says, not a page's "sources cited"
_CITE_SAYS = re.compile(
    r"^(?!.*\b(?:sources?|studies|study|papers?|references?|journals?|outlets?|publications?)\b)"
    r".*\b(?:do|does|did)\s+[^?]+?\s+cite\b",
    re.IGNORECASE,
)
_MEANS_FOR = re.compile(r"\b(?:this|that|it)\s+means?\s+for\b", re.IGNORECASE)
# "whats the takeaway for us as a reseller": who asks, no topic word
_ASKER_ROLE = re.compile(  # asking advice: not "does the ban apply to me as a volunteer?"
    r"\b(?:takeaways?|lessons?|advice|tips?|means?)\b[^?]*?\b(?:for|to)\s+(?:us|me)\s+as\s+"
    r"(?:an?\s+)?(?P<role>[\w-]+(?:\s+[\w-]+)?)\b",
    re.IGNORECASE,
)
# "the takeaway for us", "does it apply to us": the pronoun, not the US ("US technological edge")
_US_PRONOUN = re.compile(  # ... at the end of a phrase: not "us companies"
    r"\b(?i:for|to|with|of|let|tell|give|help|about|on|affects?|hits?)\s+us"
    r"(?=\s*(?:[?.,!;]|$)|\s+(?i:as|then|now|if|here|too|at\s+all)\b)"
)
_UNSEEN = 0.25  # share of its idf an unseen verb, adjective, adverb or everyday word weighs
_PREDICATE = frozenset({"VERB", "ADJ", "ADV"})
_WH_WORDS = frozenset({"what", "which", "whose", "how"})
_QUOTED = 3.0  # weight of a term the question quotes, times its idf
# "what does Constitutional AI have to do with anthropic blocking the trump campaign?": the
# thing whose link is asked must be in the answer, however many words the rest has
_LINK_ASKED = re.compile(
    r"\bwhat\s+(?:does|do|did|has|have)\s+(?P<thing>[\w'’ -]{2,60}?)\s+(?:have|has|had|got)\s+to"
    r"\s+do\s+with\b|\bhow\s+(?:does|do|did|is|are|was|were)\s+(?P<other>[\w'’ -]{2,60}?)\s+"
    r"(?:relate|related|connected|connect|tied|linked)\s+(?:to|with)\b",
    re.IGNORECASE,
)
_PAGE_AFTER = re.compile(r"\s+(?:article|piece|story|post|report|page|op-ed|write-?up)\b", re.I)
_QUOTED_PHRASE = re.compile(r"(?:^|(?<=\W))['‘\"“]([^'’\"”]{3,80})['’\"”](?=\W|$)")


def wanted_terms(question: str, shape_words: frozenset[str]) -> list[str]:
    """The question's terms, once each, without its framing and the words that only ask
    for a kind of answer (`shape_words`: "worth" in how-much, "wrote" asking for a byline)."""
    if DIFFERENCE_ASKED.search(question):  # "how does it differ from the regular ones?": a
        shape_words |= _DIFFERENCE_WORDS  # sentence tells how ("fewer restrictions than")
    if _TITLE_ASKED.search(question):
        shape_words |= _TITLE_WORDS
    if _KEPT_ON.search(question):
        shape_words |= _KEEP_WORDS
    if _ANYONE_SHOULD.search(question):
        shape_words |= _ANYONE_WORDS
    if _WRITER_VIEW.search(question):  # "why does the author call that ironic?": what the
        shape_words |= _WRITER_WORDS  # page says (not "authority": its term is "author" too)
    if viewed := _PAGE_VIEW.search(question):
        shape_words |= frozenset(terms(viewed["verb"]))
    if news := _NEWS_ON.search(question):
        shape_words |= frozenset(terms(news["word"]))
    if counted := _COUNT_ASKED.search(question):
        shape_words |= frozenset(terms(counted["count"]))
    if _MEANS_FOR.search(question):  # "what does it say this means for defense contractors"
        shape_words |= frozenset(terms("means"))
    if _US_PRONOUN.search(question):
        shape_words |= frozenset(terms("us"))
    if asker := _ASKER_ROLE.search(question):
        shape_words |= frozenset(terms(asker["role"]))
    if _CITE_SAYS.search(question):
        shape_words |= frozenset(terms("cite"))
    if before := _BEFOREHAND.search(question):
        shape_words |= frozenset(terms(before["word"]))
    wanted = [
        term
        for term in dict.fromkeys(terms(question))
        if term not in QUESTION_FRAMING and term not in shape_words
    ]
    if just := JUST_ASKED.search(question):  # "is anthropic only banning republicans?": "They
        alone = frozenset(terms(just["who"]))  # ban everyone" (the one named, when the question
        return [term for term in wanted if term not in alone] or wanted  # says more)
    return wanted


def term_weights(
    wanted: list[str],
    context: str,
    lexicon: Lexicon,
    question: str = "",
    shape_words: frozenset[str] = frozenset(),
) -> dict[str, float]:
    """Each question term's idf; the terms of `context` (the question a follow-up leans on)
    at half the weight they had there, without the words only asking for the kind of answer
    (`shape_words`) the question asks for. A verb, adjective or adverb of `question` that no
    chunk holds in any form ("sue", "flag", "scared", "highest") weighs _UNSEEN of its idf:
    it is the question's wording of what a passage says in its own words, and at full idf
    (the highest) it pulled every sentence's coverage under the bar. A noun or number no
    chunk holds keeps its weight: it is as often the asked fact the documents lack ("the
    repainting", "in 2010"), unless it is an everyday word ("person", "head"), the question's
    wording again. A word no chunk holds but some hold a synonym of (rag/synonyms.py) weighs
    as that one."""
    weights = {term: lexicon.idf(term) for term in wanted}
    for term, parts in _phrase_parts(question).items():
        if term in weights and not _in_corpus(term, lexicon):  # "phase-out" as "phase out"
            del weights[term]
            weights.update((part, lexicon.idf(part)) for part in parts if part not in weights)
    for term in [t for t in weights if not _in_corpus(t, lexicon)]:
        said = [lexicon.idf(other) for other in synonyms(term) if _in_corpus(other, lexicon)]
        if said:  # "danger", said "threat" in the documents: weighs as that word does
            weights[term] = max(said)
    unseen = [term for term in weights if not _in_corpus(term, lexicon, synonyms(term))]
    for term in _wording_terms(question) & set(unseen) if unseen else ():
        weights[term] *= _UNSEEN
    for term in _LIGHT_VERBS & weights.keys() - set(unseen):
        weights[term] *= _UNSEEN  # weighs as a verb the pages do not use
    for term in _quoted_terms(question) & set(weights):
        if _in_corpus(term, lexicon):
            weights[term] *= _QUOTED  # "the 'all lawful use' wording": the documents' words
    if link := _LINK_ASKED.search(question):
        for term in set(terms(link["thing"] or link["other"])) & set(weights):
            weights[term] *= _QUOTED
    if context:  # weighed as the question it was ("straight from anthropic?": an unseen
        # adverb weighs little there), then halved
        earlier = wanted_terms(context, shape_words)  # not "wrote" when asked "when's it from"
        leaned = {
            term: 0.5 * weight
            for term, weight in term_weights(earlier, "", lexicon, context).items()
            if term not in weights
        }
        own, earlier_total = sum(weights.values()), sum(leaned.values())
        deep = "\n" in context  # two turns back: "is the site that wrote this affiliated w
        deep = (deep and own >= _OWN_WORDS) or (own > 0 and bool(_PAGE_ASKED.match(question)))
        if deep and earlier_total > _CONTEXT_SHARE * own:  # anthropic?"
            scale = _CONTEXT_SHARE * own / earlier_total  # after two turns on third-party
            leaned = {term: weight * scale for term, weight in leaned.items()}  # apps: its
        weights.update(leaned)  # own words, not the turns' many, say what to find
    return weights


def _quoted_terms(question: str) -> set[str]:
    """The terms of the phrases of two words or more in ordinary words the question puts in
    quotes: a quoted title ("Diamond Cut") names a thing whose words weigh enough, and on the
    way to another fact ("when was the singer whose album is "Diamond Cut" born?")."""
    return {
        term
        for quoted in _QUOTED_PHRASE.finditer(question)
        if len(words := quoted[1].split()) >= 2
        and any(word.islower() for word in words)
        and not _PAGE_AFTER.match(question, quoted.end())  # "the 'no longer a threat'
        for term in terms(quoted[1])  # article": a page's name, not words a sentence says
    }


def _phrase_parts(question: str) -> dict[str, list[str]]:
    """Each hyphenated phrase of the question that terms() keeps as one word ("phase-out"),
    with its parts' terms: the documents may write it spaced ("a six month phase out")."""
    found: dict[str, list[str]] = {}
    for compound in COMPOUND.finditer(question):
        whole = terms(compound[0])
        if len(whole) == 1:
            parts = terms(compound[0].replace("-", " "))
            if parts and parts != whole:
                found[whole[0]] = parts
    return found


def _in_corpus(term: str, lexicon: Lexicon, also: frozenset[str] = frozenset()) -> bool:
    """Whether some chunk holds the term in one of its forms ("wrote" as "written"), or one
    of the terms `also`."""
    return any(lexicon.document_frequency.get(form, 0) for form in equivalents(term) | also)


def _wording_terms(question: str) -> set[str]:
    """The terms of the question's own wording: its verbs, adjectives and adverbs (spaCy's
    tags), and the everyday words it types in lower case ("the key person on their side")
    but the thing it asks for ("what material ...?", "what is the salary ...?"): unseen in
    the documents, they are how the question puts it, while a rare word unseen ("the
    repainting") or the asked thing is as often the fact the documents lack."""
    if not question:
        return set()
    return {
        term
        for token in nlp.parse(question)
        if token.pos_ in _PREDICATE
        or (token.text.islower() and is_everyday(token.text) and not _asked_thing(token))
        for term in terms(token.text)
    }


def _asked_thing(token: Any) -> bool:
    """Whether the word is what a wh-word asks for: its determiner ("what fuel", "which
    judge"), or the subject of "what is/was ...?" ("what is the keepers' salary?")."""
    if any(child.lower_ in _WH_WORDS for child in token.children):
        return True
    head = token.head
    return (
        token.dep_ in ("nsubj", "attr")
        and head.lemma_ == "be"
        and any(child.lower_ in _WH_WORDS and child is not token for child in head.children)
    )
