"""The shapes questions ask for: a count, a time, a list of N things, a reason, a references
entry; a lead block of the asked-for shape is preferred."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.advice import ADVICE_ASKED, ADVICE_WORDS, advises
from rag.blocks import Block, is_picture
from rag.clauses import case_asked, says_case
from rag.examples import EXAMPLES_ASKED, enumerates, enumeration_asked
from rag.listed import LISTED_QUESTION, lists_asked
from rag.moves import MOVE_ASKED, MOVE_WORDS, says_move
from rag.name_calling import CALLING_FLOOR, CALLING_WORDS, called_one, quotes_calling
from rag.outline import Unit
from rag.permissions import PERMISSION_ASKED, PERMISSION_WORDS, states_rule
from rag.questions import FRAMED_FIRST, REASON_QUESTION, REASON_WORDS, VALUE_QUESTION
from rag.said import shown_units
from rag.speakers import named_in, speaker_terms
from rag.status import EARLIER_ASKED, STATUS_QUESTION, STATUS_WORDS, says_earlier, says_status
from rag.subjects import asks_name, called
from rag.text import QUOTATION, terms, without_terms_quoted
from rag.views import VIEW_FLOOR, gives_view, viewer

_NUMBER_QUESTION = re.compile(
    r"\b(how (many|much|old|long|far)|what (percentage|share|proportion|number|amount))\b"
    r"|\b(?:worth|cost)\s*\??\s*$",  # "what was the oven worth?"
    re.IGNORECASE,
)
_TIME_QUESTION = re.compile(r"^\s*(when\b|what (year|date|month|day)\b)", re.IGNORECASE)
_NUMBER = re.compile(  # "one" as a pronoun ("one of", "no one", "one another") is no count
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|hundred|thousand|million|billion|dozen|dozens|several|half)\b"
    r"|(?<!\bno\s)(?<!\bany\s)(?<!\beach\s)(?<!\bevery\s)(?<!\bwhich\s)\bone\b"
    r"(?!['’]s\b|\s+(?:of|another|can|could|may|might|must|should|would)\b)",
    re.IGNORECASE,
)
# A span of time says when only with a word placing it ("last week", "two years ago"): "for
# years to come" is no time.
_SPAN = r"weeks?|months?|years?|days?|hours?|decades?|centur(?:y|ies)"
_SPAN_OF = (
    r"last|next|this|that|same|a|an|the|\d+|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|few|several|coming|past|previous|following|recent"
)
# A year, a clock time, a day of the month, a date word: not "Route 80", and "may" or "march"
# only capitalised ("results may shape ..." names no month).
_TIME = re.compile(
    r"(?<!\d)\d{3,4}(?!\d)|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}(?:st|nd|rd|th)\b|\b\d{1,2}/\d{1,2}\b"
    r"|\b(january|february|(?-i:March)|april|(?-i:May)|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|yesterday|today|tomorrow|tonight|ago|earlier|later|now)\b"
    rf"|\b(?:{_SPAN_OF}) (?:{_SPAN})\b|\b(?:{_SPAN}) (?:ago|later|earlier|before|after)\b",
    re.IGNORECASE,
)
# "You don't see AT&T cutting off a candidate's phone lines ...": an argument put to the
# reader, no fact a yes/no question or a reason can rest on
_PUT_TO_READER = re.compile(
    r"^\W*you\s+(?:don['’]t|do not|didn['’]t|won['’]t|wouldn['’]t|never)\s+(?:see|hear)\b", re.I
)
_ASKED_YES_NO = re.compile(
    r"^\s*(?:did|does|do|is|was|were|are|has|have|had)\b(?!.*\b(?:you|i)\b)", re.I
)
_URL = re.compile(r"\]\([^)]*\)|https?://\S+")
_SAYING = frozenset(
    terms(
        "say said saying write wrote written tell told argue argued claim claimed warn warned "
        "call called post posted tweet tweeted announce announced reply replied respond "
        "responded think thought believe believed feel felt"
    )
)
_REPORTS = re.compile(
    r"\b(?:said|says|wrote|writes|told|tells|warned|warns|argued|argues|claimed|claims"
    r"|added|stated|posted|tweeted|announced|called|calls|described|describes)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+")
# Kinds of question whose answer has a recognisable shape; a block of that shape leads.
_CAUSE = re.compile(
    r"\b(?:because|due to|stem(?:s|med)? from|as a result|owing to|thanks to|in response to"
    r"|result(?:s|ed)? (?:of|from)|reasons?|prompted|driven by|motivated by|caused by|led to"
    r"|in order to|so that|attribut(?:ed|able) to|explained by|contribut(?:ed|es|ing) to"
    r"|prohibit(?:s|ed|ing)?|forb[ia]d\w*|bann?(?:ed|s)|violat\w*"
    r"|(?:comes?|came|coming) (?:after|amid)|in the wake of"
    r"|(?:claim|argu|warn|say)(?:ing|ed|es|s)? that|citing|over concerns?"
    r"|who (?:felt|believed|feared|worried))\b",  # "founded by ... who felt the industry ..."
    re.IGNORECASE,
)
_ORIGIN_QUESTION = re.compile(  # "how did the whole fight even start?" too
    r"\bwhat (?:set off|sparked|started|kicked off)\b"
    r"|^\W*(?:and\s+|so\s+)?how\s+did\s+[^?]+?\s+(?:start|begin|kick\s+off)\s*\??\s*$",
    re.IGNORECASE,
)
_BEGAN = re.compile(r"\b(?:began|begun|started) (?:after|when)\b", re.IGNORECASE)
# "How does X spread?": a sentence saying by what means leads when it scores nearly the best.
_MECHANISM_QUESTION = re.compile(
    r"^\s*how (?:do|does|did|can|could|is|are|was|were|would|will)\b", re.IGNORECASE
)
_MECHANISM = re.compile(
    r"\b(?:by \w+ing|through|via|by means of|in order to|so that|because|due to|using"
    r"|mechanisms?|process)\b",
    re.IGNORECASE,
)
_NEAR_TIE = 0.8
_RESTATED = 0.7  # the best sentence of a what-happens-if question often restates its "if"
# "What happens if you break the rules?": a sentence saying what it results in leads when it
# scores nearly the best.
_CONSEQUENCE_QUESTION = re.compile(
    r"\bwhat (?:happens|will happen|would happen|could happen|can happen)"
    r"(?:\s+to\s+(?:\S+\s+){0,4}?\S+)?\s+(?:if|when)\b",  # "... to my account if ..."
    re.IGNORECASE,
)
_CONSEQUENCE = re.compile(
    r"\b(?:results? in|resulted in|lead(?:s)? to|led to|caus(?:e|es|ed|ing)"
    r"|consequences?|penalt(?:y|ies)|fac(?:e|es|ed|ing)|risk(?:s|ed|ing)?|los(?:e|es|t|ing)"
    r"|end(?:s|ed)? up|means? that|prompt(?:s|ed)? (?:\w+ )?to)\b",  # "could prompt Anthropic to"
    re.IGNORECASE,
)
# "What did they do after X?": the sentence saying X leads, the sentences after it answer.
_SEQUEL_QUESTION = re.compile(
    r"^\s*what (?:did|do|does|has|have|had|will|would)\b.+?\b(?:do|happen\w*)\s+"
    r"(?:after|once|when|as soon as)\s+(?P<event>[^?]+)",
    re.IGNORECASE,
)
# ... and the event first: "after they sent a warning, what did they do next?"
_SEQUEL_FIRST = re.compile(
    r"^\s*(?:after|once|as soon as)\s+(?P<event>[^,?]+?),?\s+what\s+"
    r"(?:did|do|does|has|have|had|will|would|happened|happens)\b",
    re.IGNORECASE,
)
_SEQUEL_SHARE = 0.6  # share of the event's words its sentence must say
_PAGE_NOUN = "(?:article|piece|post|story|report)"
_SOURCE_QUESTION = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}(?:publications?|outlets?|newspapers?|sources?"
    r"|references?|journals?|papers?|studies|study)\b.*\b(?:cited|cites?|citing|listed|lists?"
    r"|referenced|credited)\b"  # "what outlet is that article citing"
    rf"|\b(?:which|what)\s+(?:\w+\s+){{0,2}}(?:publications?|outlets?|sources?)\b[^?]*\b(?:it|this"
    rf"|that|the\s+{_PAGE_NOUN})\s+(?:lean(?:s|ed)?|rel(?:y|ies|ied))\s+on\b"  # "did it lean on"
    r"|\b(?:cited|listed|referenced|credited) as (?:the |a |its )?sources?\b"
    r"|\bwhat(?:['’]?s| is| was)\s+(?:the|its|their)\s+sources?\s+(?:for|behind)\s+(?:this"
    r"|that|it)\s*\??\s*$"  # "whats the source for this"
    r"|\bwhat(?:['’]?s| is)\s+the\s+sourcing\s+(?:on|of|for|behind)\b"  # "... on the X item?"
    rf"|\bwhat(?:['’]s| is)\s+(?:it|this|the {_PAGE_NOUN})\s+based on\s*\??\s*$"
    rf"|\bwhat are (?:its|the {_PAGE_NOUN}['’]s) sources\b"  # "what's it based on?"
    r"|\b(?:(?:sourced|drawn|taken) from|sourced to)\s*\??\s*$"  # "the story is sourced from"
    rf"|\bwhere(?:['’]s| is| did)\s+(?:that|this|the)\s+{_PAGE_NOUN}"  # "where's that story
    r"(?:\s+(?:on|about|of)(?:\s+[\w'’]+){1,4}?)?\s+(?:from|come from)\s*(?:\?|$|and\b)",  # from?"
    re.IGNORECASE,
)
_SOURCE_WORDS = frozenset(
    terms(
        "publication outlet newspaper source reference journal paper study studies cited cite "
        "listed referenced credited news story article piece page report"
    )
)
_NAMING = frozenset(terms("name names called named known dubbed"))
_FORM_FLOOR = 0.5  # a lead of the asked-for shape may score this share of the best
_SUREST_FLOOR = 0.3
# "why does the writer (or anthropic) think ...?": the reason argued for a view is asked
_OPINION_ASKED = re.compile(
    r"\bwhy\b.*\b(?:writer|author|article|piece|story|columnist|column|essay|op-ed)\s+"
    r"(?:\w+\s+)?(?:thinks?|believes?|feels?|says?|claims?|argues?|calls?|considers?)\b"
    r"|^\s*why\s+(?:does|do|did)\s+(?!you\b)[\w'’ -]{2,40}?\s+(?:think|believe|feel|consider)\b"
    # "why's that ironic?": a judgement the page argues for, not a cause it reports
    r"|^\W*(?:and\s+|so\s+)?why(?:['’]s|\s+is|\s+was)\s+(?:it|that|this)\s+(?:so\s+|such\s+an?\s+"
    r"|kind\s+of\s+|considered\s+)?(?:ironic|important|significant|surprising|controversial"
    r"|notable|a\s+problem|a\s+big\s+deal|a\s+concern|unnecessary|pointless)\b",
    re.IGNORECASE,
)


def asks_opinion(question: str) -> bool:
    """Why someone thinks so, or why a judgement holds ("why's that ironic?"): argued."""
    return _OPINION_ASKED.search(question) is not None


_NAME_FLOOR = 0.35  # a sentence naming the thing asked about ("known as Claude Gov") is rare


@dataclass(frozen=True)
class Form:
    """The shape the answer to a kind of question has; a block of that shape leads if it
    scores at least `floor` times the best block (`fits` sees both)."""

    fits: Callable[[Block, Block], bool]
    floor: float = _FORM_FLOOR
    words: frozenset[str] = frozenset()  # question words that only ask for the shape
    # sentences of the shape compared in meaning with the question even when they share too
    # few of its words to be among the lexically best ("Ongoing negotiations")
    compare: Callable[[str], bool] | None = None
    # a rarer, surer shape that leads before any of `fits`, down to `surest_floor` of the best
    # ("The public spat ... began after Axios reported ..." for "what started the fight?")
    surest: Callable[[Block], bool] | None = None
    surest_floor: float = _SUREST_FLOOR


def answer_form(question: str) -> Form | None:
    """A list of N things enumerates them, a why-question gives a reason (a how-question a
    means and a what-happens-if question a consequence, when it scores nearly the best; what
    someone said, their words; what something is called, a name given it), and a
    which-source-is-cited question is answered by the references list of the document the
    question is about, however little it shares with the question. The words that ask for
    the shape ("two" in "the two camps", "prompted", "cited") are no topic words."""
    if _SOURCE_QUESTION.search(question):
        return Form(_in_references, floor=0.0, words=_SOURCE_WORDS)
    question = FRAMED_FIRST.sub("", question)  # "according to the reversal story, why ...?"
    asked = frozenset(terms(question))
    topic = asked - REASON_WORDS  # "what is the reason ...?": a sentence saying "reasons" gives one
    if _ORIGIN_QUESTION.search(question):  # "what set off the fight?": "it began after ..."
        return Form(
            lambda block, best: _gives_reason(block, best, topic, False),
            words=REASON_WORDS,
            surest=lambda block: bool(_BEGAN.search(block.text)),
        )
    if REASON_QUESTION.search(question):
        opinion = asks_opinion(question)
        return Form(
            lambda block, best: _gives_reason(block, best, topic, opinion),
            words=REASON_WORDS,
        )
    if STATUS_QUESTION.search(question):  # "are the talks wrapped up?": "Ongoing negotiations"
        return Form(
            lambda block, _: says_status(block.text), words=STATUS_WORDS, compare=says_status
        )
    if ADVICE_ASKED.search(question):  # "what does the article suggest?": "Diversify ..."
        return Form(lambda block, _: advises(block), words=ADVICE_WORDS)
    if MOVE_ASKED.search(question):  # "where do they go instead?": "You move to open-source models"
        return Form(lambda block, _: says_move(block.text), words=MOVE_WORDS)
    if EARLIER_ASKED.search(question):  # "what was he worried about before?": "Previously, …"
        return Form(lambda block, _: says_earlier(block.text), compare=says_earlier)
    sequel = _SEQUEL_QUESTION.search(question) or _SEQUEL_FIRST.search(question)
    if sequel:
        event = frozenset(terms(sequel["event"]))
        return Form(lambda block, _: _tells_sequel(block, event))
    if called := called_one(question):  # "what did trump call anthropic?": his quote
        return Form(lambda block, _: quotes_calling(block, called), CALLING_FLOOR, CALLING_WORDS)
    if speaker_terms(question):
        return Form(lambda block, _: _quotes_or_reports(block), floor=_NEAR_TIE, words=_SAYING)
    if asks_name(question):
        return Form(lambda block, _: _gives_name(block, asked), floor=_NAME_FLOOR, words=_NAMING)
    if who := viewer(question):  # "how does the trump camp describe the refusal?"
        return Form(lambda block, _: gives_view(block, who), floor=VIEW_FLOOR)
    if PERMISSION_ASKED.search(question):  # "can they run fundraising emails thru claude?"
        return Form(lambda block, _: states_rule(block), words=PERMISSION_WORDS)
    if _CONSEQUENCE_QUESTION.search(question):
        return Form(lambda block, _: _says(block, _CONSEQUENCE), floor=_RESTATED)
    if _MECHANISM_QUESTION.search(question):
        return Form(lambda block, _: _says(block, _MECHANISM), floor=_NEAR_TIE)
    if LISTED_QUESTION.search(question):
        return Form(
            lambda block, _: lists_asked(question, block),
            words=frozenset(terms("list pls please")),  # "..., list pls": no topic word
        )
    if EXAMPLES_ASKED.search(question):  # "what sort of work ...?": examples
        return Form(lambda block, _: enumerates(block))
    count = enumeration_asked(question)
    if count and not _NUMBER_QUESTION.search(question) and not _ASKED_YES_NO.search(question):
        return Form(
            lambda block, _: enumerates(block, count), words=frozenset(terms(f"{count} list"))
        )
    if case := case_asked(question):  # "if the talks go well, what might they do?"
        return Form(lambda block, _: says_case(block, case), floor=_RESTATED)
    return None


def _quotes_or_reports(block: Block) -> bool:
    """The lead sentence quotes someone or reports what they said ("…," Amodei wrote)."""
    lead = block.lead
    text = lead.outline.unit_text(lead.index)
    return bool(QUOTATION.search(text) or _REPORTS.search(text))


def _gives_name(block: Block, asked: frozenset[str]) -> bool:
    """A shown sentence gives a thing the question names a name ("several custom models
    known as Claude Gov" for "what is the name of Anthropic's government model?")."""
    outline = block.lead.outline
    return any(called(outline.unit_text(i), asked) for i in shown_units(block))


def _says(block: Block, pattern: re.Pattern[str]) -> bool:
    """Whether a sentence of the block, not its heading, matches: the title "Why Anthropic
    Blocked the Trump Campaign from Using Claude" says no means ("using")."""
    outline = block.lead.outline
    return any(pattern.search(outline.unit_text(i)) for i in shown_units(block))


def asks_sources(question: str) -> bool:
    """ "Which sources does the story cite?": answered by a references list."""
    return _SOURCE_QUESTION.search(question) is not None


def asks_sequel(question: str) -> bool:
    """ "What did they do after X?": the answer follows the sentence saying X, not in it."""
    return bool(_SEQUEL_QUESTION.search(question) or _SEQUEL_FIRST.search(question))


def says_unasked(pattern: re.Pattern[str], text: str, asked: frozenset[str]) -> bool:
    """The text (outside what it quotes) has a match of `pattern` (a cause word) that is
    none of the question's terms (`asked`): "why did they ban ...?" asks about the ban, so a
    sentence saying "ban" gives no cause. A phrase ("argues that", "due to") is a cause
    whatever the question says: "why does Anthropic argue ...?" is answered by what it
    "argues that"."""
    said = pattern.finditer(without_terms_quoted(text))
    return any(" " in match[0] or not set(terms(match[0])) & asked for match in said)


def _gives_reason(block: Block, best: Block, asked: frozenset[str], opinion: bool) -> bool:
    """The block states a cause (not in an argument put to the reader: "You don't see AT&T
    ... because"), in the best block's document (another document's cause is most likely
    another event's) or scoring nearly as well as the best; a cause word the question says
    (`asked`: "why did they ban ...?") is what is asked about, not a cause. Why the writer
    thinks something (`opinion`) is argued: only a cause scoring nearly as well as the best
    leads ("why does the writer think the ban is ironic?": not the terms it prohibits by)."""
    if not says_unasked(_CAUSE, block.text, asked) or put_to_reader(block.text):
        return False
    same_document = block.lead.passage.source == best.lead.passage.source and not opinion
    return same_document or block.lead.score >= _NEAR_TIE * best.lead.score


def _tells_sequel(block: Block, event: frozenset[str]) -> bool:
    """The block's lead sentence says the event and the block goes on after it."""
    lead = block.lead
    said = len(event & lead.unit.words) >= _SEQUEL_SHARE * len(event) if event else False
    return said and block.indices[-1] > lead.index


def _in_references(block: Block, best: Block) -> bool:
    """The block starts in a references section of the best block's document."""
    return block.lead.unit.in_references and block.lead.passage.source == best.lead.passage.source


def fits_question(
    question: str, block: Block, asked: frozenset[str], dated: Callable[[], object] = lambda: None
) -> bool:
    """A lead block must say more than the question (a title restating it does not) and
    more than a heading; in a how-many question the lead sentence needs a number ("one"
    counts only as a count: "one company", not "one of them", "no one", "one another" or
    "one can"), in a when-question a time (or be `dated`: its page's timeline row dates what
    it tells); asked what someone said, it names them (or refers back to a sentence that
    does)."""
    if not block.words - asked or not block.sentences:
        return False
    candidate = block.lead
    if is_picture(candidate):
        return False  # "[![Listing image for ...": a picture's alt text
    speaker = speaker_terms(question)
    if speaker and named_in(speaker, candidate.outline.text).isdisjoint(
        candidate.unit.words | candidate.antecedent_words()
    ):
        return False  # "what did Amodei say ...?" is not answered by what Altman said
    text = _URL.sub(" ", candidate.outline.unit_text(candidate.index))
    if _ASKED_YES_NO.search(question) and put_to_reader(text):
        return False
    if REASON_QUESTION.search(question) and asked_in_text(candidate.unit, text):
        return False  # "So why should an AI company get to decide ...?" gives no reason
    if _NUMBER_QUESTION.search(question) or VALUE_QUESTION.search(question):
        return _says_new(_NUMBER, text, question)
    if _TIME_QUESTION.search(question):
        return _says_new(_TIME, text, question) or bool(dated())
    return candidate.score > 0


def asks_time(question: str) -> bool:
    """A when-question ("when did ...?", "what year ...?"): its lead must name a time."""
    return _TIME_QUESTION.search(question) is not None


def asked_in_text(unit: Unit, text: str) -> bool:
    """A question the text asks in passing (not a heading: an FAQ's questions are)."""
    return not unit.is_heading and text.rstrip().endswith("?")


def put_to_reader(sentence: str) -> bool:
    """The sentence is an argument put to the reader ("You don't see AT&T ..."), no fact."""
    return _PUT_TO_READER.search(sentence) is not None


def _says_new(pattern: re.Pattern[str], text: str, question: str) -> bool:
    """The text has a number or time word (`pattern`) that the question does not say itself
    ("when does the six month phase out end?" is not answered by "a six month phase out")."""
    asked = set(_WORD.findall(question.lower()))
    for found in pattern.finditer(text):
        word = _WORD.search(text, _word_start(text, found.start()))
        if word is None or word.group().lower() not in asked:
            return True
    return False


def _word_start(text: str, index: int) -> int:
    while index > 0 and (text[index - 1].isalnum()):
        index -= 1
    return index


def asks_consequence(question: str) -> bool:
    """ "What happens if / when ...?" """
    return _CONSEQUENCE_QUESTION.search(question) is not None
