"""Idioms staff type for what the pages write that need a pattern ("ever revised that doc?",
"is that site anthropic's own?"), written out before a question is scored (rag/asides.py);
the plain ones are a table (rag/idiom_table.py)."""

from __future__ import annotations

import re

from rag import nlp
from rag.lemmas import in_dictionary

# "has anthropic ever revised that doc?": "Anthropic has changed this document before" (the
# verb in its own tense; a document, not "the terms of the deal")
EVER_CHANGED = re.compile(
    r"\bever\s+(?P<verb>update|updated|revise|revised|change|changed|modify|modified|edit"
    r"|edited)\s+(?=(?:that|this|the|its|their)\s+(?:[\w'’-]+\s+){0,2}?(?:doc|docs|document"
    r"|documents|usage\s+policy|page|section)\b)",
    re.IGNORECASE,
)
# "who broke that?" (after Altman's memo): who reported it, "The Wall Street Journal reported"
WHO_BROKE = re.compile(r"\bwho\s+broke\s+(?=(?:that|it|this)\s*\??\s*$)", re.IGNORECASE)
# "didn't trump later decide it isn't a threat? how come": why he did (a negative question
# says it happened; "was it legal? why?" does not)
WHY_AFTER = re.compile(
    r"^\s*(?P<aux>did|does|do|is|was|were|are|has|have|had)n['’]?t\s+(?P<rest>[^?]+?)\?\s*"
    r"(?:how\s+come|why(?:\s+(?:tho|though))?)\s*\??\s*$",
    re.IGNORECASE,
)
# "is that page from anthropic itself?", "is that usage policy analysis written by anthropic
# or some other site?": whether the site is Anthropic's ("not affiliated")
PAGE_FROM = re.compile(
    r"^(?P<page>\s*(?:is|are|was|were|isn['’]?t)\s+(?:that|this|the)\s+"
    r"(?:(?!(?:on|in|of|about|for|to|from)\b)[\w'’-]+\s+){0,3}?"
    r"(?:page|site|website|analysis|write-?up|breakdown)\s+)(?:(?:that|which)\s+(?:wrote"
    r"|published|put\s+out|made)\s+(?:this|that|it)(?:\s+up)?\s+)?(?:really\s+|actually\s+)?"
    r"(?:(?:from|(?:written|run|made|published|put\s+out)\s+by(?!\s+(?:claude|ai|an?\s+(?:ai|bot|human)"
    r"|chatgpt|hand)\b)|(?:official|officially|part\s+of)"
    r"(?!\s+(?:yet|published|guidance|policy|the|a|an)\b))\s+"  # "official anthropic", not
    r"|(?=[\w.-]+(?:\s+[\w.-]+)?['’]s\s+own\b))"  # "guidance"; "is this site anthropic's own?"
    r"(?!(?:last|this|next|before|after|earlier"
    r"|today|yesterday|the\s+(?:day|week|month|year|start|end))\b|\d)"  # not "from last year"
    r"(?P<whom>[\w'’ .-]+?)(?:['’]s\s+own|\s+(?:itself|themselves|directly))?"
    r"(?:,?\s+or\s+(?:from\s+|by\s+)?(?:some|an?|another|the)?\s*(?:other|third[- ]party"
    r"|independent|outside)\b[\w'’ -]*)?(?P<end>\s*\??)\s*$",  # "... or some other site?"
    re.IGNORECASE,
)
# a statement, not a question, is checked ("what was their stance before? what changed" is two)
_STATEMENT = (
    r"(?!(?:what|who|whom|whose|when|where|why|how|which|is|are|was|were|do|does|did|has|have"
    r"|had|can|could|will|would|should|there)\b)"
)
# "hegseth gave anthropic a deadline right? what was it": the thing the check names is asked
_CHECKED_THEN_ASKED = re.compile(
    rf"^\s*{_STATEMENT}(?P<before>(?:[\w'’.-]+\s+){{1,4}}?)(?:a|an)\s+(?P<noun>[\w'’-]+)"
    r"(?P<after>(?:\s+[\w'’.-]+){0,5}?)\s*,?\s*right\s*\?\s*(?P<wh>what|when|who|how\s+much"
    r"|how\s+long)\s+(?P<be>was|is|were"
    r"|are)\s+(?:it|that|they)\s*\??\s*$",
    re.IGNORECASE,
)


# "trump doesnt see anthropic as a threat anymore?? what changed": why
_WHAT_CHANGED = re.compile(
    rf"^\s*{_STATEMENT}(?P<said>[^?]{{12,}}?)\s*\?+\s*(?:so\s+|and\s+)?(?:(?:what|wat)\s+changed"
    r"(?:\s+(?:his|her|their|its)\s+mind)?|what['’]?s\s+the\s+story|how\s+come)\s*\??\s*$",
    re.IGNORECASE,
)


# "so its a partisan thing right? just trump": whether it is just Trump
_CHECKED_JUST = re.compile(
    rf"^\s*{_STATEMENT}[^?]{{6,}}?\s*,?\s*right\s*\?+\s*(?:so\s+)?(?:it['’]?s\s+|is\s+it\s+)?"
    r"(?P<just>just|only)\s+(?P<who>[^?]{2,40}?)\s*\??\s*$",
    re.IGNORECASE,
)


def checked_then_asked(question: str) -> str:
    """ "X gave Y a deadline right? what was it" as "what was the deadline X gave Y?", "X
    doesn't see Y as a threat anymore?? what changed" as "why X doesn't ...?", "list what X
    ..." as "list the things X ..."; any other question as it is."""
    question = LIST_WHAT.sub("list the things ", question)
    if changed := _WHAT_CHANGED.match(question):
        return f"why {changed['said']}?"
    if just := _CHECKED_JUST.match(question):
        return f"is it {just['just'].lower()} {just['who']}?"
    checked = _CHECKED_THEN_ASKED.match(question)
    if checked is None:
        return question
    said = f"{checked['before']}{checked['after'].strip()}".strip()
    return f"{checked['wh']} {checked['be'].lower()} the {checked['noun']} {said}?"


# "does the ban actually keep ai out of politics?": whether it stops it there ("It doesn't
# stop the use of AI in politics"), not the "keeps them out of the legal crosshairs"
KEEP_OUT = re.compile(
    r"\b(?:keep|keeps|kept|keeping)\s+(?P<what>(?!(?:them|him|her|us|it|you|me|my|our|your|their"
    r"|those|these)\b)[\w'’-]+(?:\s+[\w'’-]+)?)\s+out\s+of\s+(?P<where>politics|elections?"
    r"|campaigns?|government|the\s+(?:election|military|government|campaign))\b",
    re.IGNORECASE,
)
# "what legal power do they point to": what the page cites ("point" outweighed the power);
# "whats the campaign's side of it": its view ("They view this as ..."), not "On one side"
POINT_TO = re.compile(r"\b(?:do\s+they|does\s+it)\s+point\s+to(?=\s*\??\s*$)", re.IGNORECASE)
SIDE_OF = re.compile(r"(?<=['’]s)\s+side\s+of\s+(?:it|the\s+story)\b", re.IGNORECASE)
# "list what anthropic is worried about w ai in elections": the things, as a list
LIST_WHAT = re.compile(r"^\s*(?:(?:pls|please|can\s+you)\s+)?list\s+what\s+", re.IGNORECASE)
# "what did horowitz make of the fight": his view of it (a pronoun is resolved first)
MADE_OF = re.compile(
    r"^\s*what\s+(?:did|does|do)\s+(?P<who>(?!(?:he|she|they|it|you|u|we|i)\s)[\w .'’-]{2,40}?)"
    r"\s+make\s+of\s+",
    re.IGNORECASE,
)


# "were they singled out?", "is anthropic singling them out?", "did they single out trump?":
# whether only they were banned ("Anthropic didn't just ban Trump. They ban everyone ...")
_SINGLED_OUT_PASSIVE = re.compile(
    r"^\W*(?:so\s+)?(?P<aux>was|were|is|are)\s+(?P<who>they|he|she|trump|the\s+[\w'’-]+"
    r"(?:\s+[\w'’-]+)?)\s+(?:being\s+)?singled\s+out(?=\s*(?:,?\s*(?:then|tho|though))?\s*\??\s*$)",
    re.IGNORECASE,
)
SINGLED_OUT = re.compile(  # asked yes or no, with whom: not "single out anthropic for praise"
    r"^(?P<lead>\W*(?:so\s+)?(?:is|are|did|does|has|was)\s+[\w'’-]+|\W*can\s+we\s+say\s+[\w'’-]+)\s+"
    r"singl(?P<form>e|es|ed|ing)\s+(?:(?P<whom>them|him|her|trump|the\s+[\w'’-]+)\s+out"
    r"|out\s+(?P<whom2>(?:the\s+)?[\w'’-]+))(?=\s*(?:,|\?|$|\s+(?:then|or|tho|though|when|after"
    r"|by|over|in)\b))",
    re.IGNORECASE,
)
_BAN_FORM = {"e": "ban only", "es": "bans only", "ed": "banned only", "ing": "banning only"}
# "how much did the campaign end up spending on llama?": what it spent (an "-ing" after "did
# ... end up" read the question as no spending asked: the llama pages answered it); not "did
# they end up suing?" (nor "ok so did ..."): whether an outcome came is asked, and no page
# saying "sue" tells it; not "ended up": its tense would be lost
_ENDED_UP = re.compile(
    r"^(?!\W*(?:(?:so|and|but|ok|okay|well|then)\W+)*(?:did|does|do|has|have|had|is|was|were|are"
    r"|will|would|could|can)\b)(?P<before>.*?\b)end\s+up\s+(?P<doing>(?!being\b|having\b)[a-z]{2,}ing)\b",
    re.IGNORECASE,
)


def _ended_up(question: str) -> str:
    """ "... end up spending ..." as "... spend ...": the verb's lemma where the tagger reads
    it as a verb ("doing": "do"), else the word without "-ing" (a doubled consonant undone
    when only the single one is a word: "getting", not "selling")."""
    found = _ENDED_UP.search(question)
    if found is None:
        return question
    doing = found["doing"].lower()
    verbs = [t.lemma_ for t in nlp.parse(question) if t.lower_ == doing and t.pos_ == "VERB"]
    stem = doing[:-3]
    if verbs:
        stem = verbs[0]
    elif stem[-1] == stem[-2] and not in_dictionary(stem) and in_dictionary(stem[:-1]):
        stem = stem[:-1]
    return f"{found['before']}{stem}{question[found.end() :]}"


# "who set them a deadline?", "who gave anthropic a deadline": who gave them until a day
# ("He gave the company until Friday"); no page says "deadline". Not "when did they set the
# deadline?" (when it was set), "a deadline extension", "set up", "set as"
_SET_DEADLINE = re.compile(
    r"\b(?P<verb>set|sets|gave|give|gives|imposed|impose)\s+(?P<whom>(?:them|him|her|it|the\s+"
    r"[\w'’-]+|(?!(?:up|out|as|back|off|on|in|for|to|down)\b)[\w'’-]+)\s+)?(?:a|an|the|that)\s+"
    r"(?:(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s+|[\w'’-]+\s+)?deadline\b"
    r"(?!\s+(?:extension|date|day|change|shift)s?\b)",
    re.IGNORECASE,
)
_GAVE = {"sets": "gives", "gives": "gives", "give": "give", "impose": "give"}
_BARE_VERB = re.compile(  # "did hegseth ...", "why didn't hegseth ...": its bare form
    r"\b(?:did|does|do|to|will|would|could|can)(?:n['’]?t)?\b(?:\s+[\w'’-]+){0,3}\s*$", re.I
)
_HAS = re.compile(r"\b(?:has|have|had)(?:n['’]?t)?\b(?:\s+[\w'’-]+){0,3}\s*$", re.I)


def _gave_until(deadline: re.Match[str]) -> str:
    """ "did hegseth set a deadline": "did hegseth give ... until"; "the friday deadline":
    "until friday"; as typed in a when-question (when it was set)."""
    verb, before = deadline["verb"].lower(), deadline.string[: deadline.start()]
    if re.match(r"\W*when\b", before, re.I):
        return deadline[0]
    gave = "give" if _BARE_VERB.search(before) else _GAVE.get(verb, "gave")
    gave = "given" if _HAS.search(before) else gave
    day = f" {deadline['day']}" if deadline["day"] else ""
    return f"{gave} {deadline['whom'] or ''}until{day}"


# "what's his main argument?", "what was horowitz's point?": what that one says (pages quote
# one person: "“It is about theoretical use cases ...,” says Michael Horowitz"); not "their
# argument" (what "they argue"), nor "his point of view"
_ARGUMENT = re.compile(
    r"\bwhat(?P<be>['’]?s|\s+is|\s+was)\s+(?P<who>his|her|[\w-]+['’]s)\s+(?:main\s+|core\s+"
    r"|basic\s+|key\s+|whole\s+|actual\s+)?(?:argument|point|reasoning)\b(?!\s+of\b)",
    re.IGNORECASE,
)
_SUBJECT = {"his": "he", "her": "she"}
# "did openai side with anthropic?": it agreed with it (not "the side with the most votes")
_SIDE_WITH = re.compile(
    r"\b(?P<aux>did|does|do|will|would|to)\s+(?P<who>(?!(?:the|a|an|this|that|other|one)\b)"
    r"(?:[\w'’-]+\s+){0,2}?)side\s+with\b",
    re.I,
)


def _says(argument: re.Match[str]) -> str:
    """ "what's his argument": "what does he say"; "what was X's point": "what did X say"."""
    whose = argument["who"].lower()
    who = _SUBJECT.get(whose) or argument["who"][:-2]
    does = "did" if argument["be"].strip() == "was" else "does"
    return f"what {does} {who} say"


def phrased_as_pages(question: str) -> str:
    """The question with "keep X out of politics", "what did horowitz make of ...", "what
    ... do they point to", "the campaign's side of it", "singling them out", "set them a
    deadline", "his main argument" and "did X side with" as pages say them."""
    question = _ended_up(question)
    question = _SET_DEADLINE.sub(_gave_until, question)
    question = _ARGUMENT.sub(_says, question)
    question = _SIDE_WITH.sub(r"\g<aux> \g<who>agree with", question)
    question = _SINGLED_OUT_PASSIVE.sub(r"\g<aux> \g<who> the only ones banned", question)
    question = SINGLED_OUT.sub(
        lambda m: f"{m['lead']} {_BAN_FORM[m['form'].lower()]} {m['whom'] or m['whom2']}", question
    )
    question = KEEP_OUT.sub(r"stop the use of \g<what> in \g<where>", question)
    question = MADE_OF.sub(r"what does \g<who> think of ", question)
    return SIDE_OF.sub(" view of it", POINT_TO.sub("is there", question))
