"""Idioms staff type for a word the pages write ("was there a heads up first?": a warning;
"pull the plug" is "cut off"), written out before a question is scored (rag/asides.py); the
few that need a pattern ("ever revised that doc?", "is that site anthropic's own?") last."""

from __future__ import annotations

import re

from rag import nlp
from rag.lemmas import in_dictionary

IDIOMS = {
    "any notice": "any warning",  # "did the campaign get any notice before being cut off?":
    "advance notice": "warning",  # "They issued a warning" (the policy's "without prior
    "advance warning": "prior notice",  # notice" is the account's, and says "notice")
    "chief executive officer": "CEO",  # "Anthropic's chief executive": "Anthropic's CEO"
    "chief executive": "CEO",
    "convened with": "met with",
    "litigation": "legal challenges",  # pages tell of "legal challenges filed", a "legal
    "lawsuits": "legal challenges",  # battle"; no page says "litigation" or "lawsuit"
    "lawsuit": "legal challenge",
    "wind down": "phase out",  # "permitted to wind down their reliance": the phase-out
    "winding down": "phasing out",
    "defense contract": "Pentagon contract",  # "how much was the defense contract worth?":
    "defense deal": "Pentagon deal",  # "a $200 million deal signed with the Pentagon"
    "military contract": "Pentagon contract",
    "passed along": "relayed",  # "who passed along the concerns afterwards?": "an employee
    "pass along": "relay",  # at Palantir relayed concerns from an Anthropic staffer"
    "passes along": "relays",
    "police dealings": "regulate dealings",  # "lets the white house police dealings w
    "police transactions": "regulate transactions",  # foreign adversaries" (the verb)
    "heads up": "warning",
    "heads-up": "warning",
    "right away": "immediately",
    "straight away": "immediately",
    "pulled the plug on": "cut off",
    "pull the plug on": "cut off",
    "pulling the plug on": "cutting off",
    "pulled the plug": "cut off access",  # "before pulling the plug": on them
    "pulling the plug": "cutting off access",
    "pull the plug": "cut off access",
    "push back on": "object to",  # "why did anthropic push back": "Anthropic objected"
    "pushed back on": "objected to",
    "pushing back on": "objecting to",
    "push back": "object",
    "pushed back": "objected",
    "pushing back": "objecting",
    "hand off": "use",  # "what work was team trump hoping to hand off to claude?":
    "offload": "use",  # "wanted to use the AI for high-volume tasks"
    "how much runway": "how long",  # "how much runway were agencies given?": how long
    "grace period": "phase out period",  # "is there some grace period?": "a six month
    "wind-down period": "phase out period",  # phase out period"
    "wind down period": "phase out period",
    "wind-down window": "phase out period",  # "was there any wind-down window?"
    "wind down window": "phase out period",
    "transition period": "phase out period",
    "sat down with": "met with",  # "which defence chief sat down with amodei?": "Pete
    "sit down with": "meet with",  # Hegseth met with Anthropic's CEO"
    "sitting down with": "meeting with",
    "right now": "currently",  # "does the pentagon use ai for that right now?": "The
    "at the moment": "currently",  # Pentagon does not currently use AI in these ways"
    "at present": "currently",
    "u-turn": "reversal",  # "trump's u-turn": "this stance reversal"
    "about-face": "reversal",
    "going forward": "looking ahead",  # "what to watch going forward": "Looking ahead, ..."
    "down the road": "looking ahead",
    "stack up against": "compare with",  # "how do openai's rules stack up": a comparison
    "stack up": "compare",
    "keep an eye on": "watch",
    "keeping an eye on": "watching",
    "keep an eye out for": "watch for",
    "refuse to let": "not allow",  # "refuse" and "let" weighed most, and the Pentagon's
    "refused to let": "did not allow",  # "Anthropic objected" led (let ... use: above)
    "refuses to let": "does not allow",
    "refusing to let": "not allowing",
    "refuse to sign off on": "object to",  # "what uses was anthropic refusing to sign off
    "refused to sign off on": "objected to",  # on?": "Anthropic objected to the change"
    "refusing to sign off on": "objecting to",  # ("sign" found the deals they signed)
    "refuses to sign off on": "objects to",
    "sign off on": "approve",  # not "agree to": Altman's "agree to a deal" led "did trump
    "signed off on": "approved",  # sign off on the ban?"
    "signing off on": "approving",
    "old job": "former",  # "what was his old job / gig?": "former Deputy Assistant
    "previous job": "former",  # Secretary ..." (no page says "role" or "job" of it)
    "old gig": "former",
    "previous gig": "former",
    "old role": "former",
    "previous role": "former",
    "the same kind of": "similar",  # "did other labs sign the same kind of deal?": "signed
    "same kind of": "similar",  # similar deals"
    "broke the story": "reported",  # "who broke the story that started the fight?": "began
    "broke the news": "reported",  # after Axios reported ..."
    "break the story": "report",
    "break the news": "report",
    "brings up": "mentions",  # "that page also brings up defense customers": a word about
    "bring up": "mention",  # the question, as "mention" is
    "brought up": "mentioned",
    "read into": "suggest about",  # "what do industry watchers read into the reversal":
    "reading into": "suggesting about",  # "observers suggest this reflects ..."
    "see eye to eye": "have the same views",  # "stuff they don't see eye to eye on":
    "seeing eye to eye": "having the same views",  # "differing views on acceptable risk"
    "saw eye to eye": "had the same views",
    "shake up": "transform",  # "what areas could these models shake up": "transformative
    "shook up": "transformed",  # capabilities across defense, healthcare ..."
    "plan b": "alternative",  # "plan b if the talks go nowhere?": "b" weighed as a word
    "holding things up": "challenges persist",  # "whats still holding things up": "Challenges
    "holding it up": "challenges persist",  # persist, including differing views ..."
    "holding this up": "challenges persist",
    "holding the talks up": "challenges persist",
    "carve-out": "exception",  # "did anthropic give the campaign any carve-out": "They didn't
    "carve out": "exception",  # make an exception"
    "carveout": "exception",
    "open the door to": "allow",  # "what did anthropic think that would open the door to":
    "opens the door to": "allows",  # "it could allow AI to be used to fully control lethal
    "opened the door to": "allowed",  # autonomous weapons ..."
    "public fight": "public spat",  # "what kicked off the public fight?": "The public spat
    "public feud": "public spat",  # between the Pentagon and Anthropic began after ..." (not
    "public row": "public spat",  # "fight" for "spat" everywhere: "did anthropic fight it?")
    "hashing out": "discussing",  # "what's anthropic hashing out with the trump people"
    "hash out": "discuss",
    "hashed out": "discussed",
    "day to day": "run-of-the-mill",  # "what's that mostly used for day to day": "largely
    "day-to-day": "run-of-the-mill",  # used for run-of-the-mill tasks"
    "go well": "succeed",  # "and if they go well?": "Positive outcomes from the discussions"
    "goes well": "succeeds",
    "went well": "succeeded",
    "works out": "is successful",  # "if this works out" ("doesn't work out" fails below)
    "pans out": "is successful",
    "figure out": "discover",  # "how did anthropic figure out ...": "caught the activity"
    "figured out": "discovered",
    "find out": "discover",
    "warn you first": "give you prior notice",  # an account holder warned: the policy's
    "warn me first": "give me prior notice",  # "without prior notice" (the campaign was warned:
    "warn users first": "give users prior notice",  # "They issued a warning")
    "build for": "create for",  # "what did anthropic build for the military?": "It created
    "built for": "created for",  # several custom models" ("built with safety at its core" is
    "building for": "creating for",  # how it was founded)
    "legal fight": "legal battle",  # "what legal fight does the author expect next?": "a
    "legal fights": "legal battles",  # much larger legal battle" ("fight" alone is the row)
    "switch to": "turn to",  # "which open models do campaigns switch to": "campaigns turn
    "switched to": "turned to",  # to Meta's Llama or Mistral" ("switch" is an "off switch")
    "switching to": "turning to",
    "reverse course": "reverse stance",  # "when did trump reverse course?": "Trump Reverses
    "reversed course": "reversed stance",  # Stance"; "course" is on no page
    "reversing course": "reversing stance",
    "change his mind": "change his stance",  # "why did trump change his mind?": the FAQ's
    "changed his mind": "changed his stance",  # "Why did Trump change his stance"
    "change of heart": "change of stance",
    "found out": "discovered",
    "crank out": "produce",  # "what was trump's team hoping to get claude to crank out?":
    "churn out": "produce",  # "wanted to use the AI for high-volume tasks" ("crank" is on no
    "pump out": "produce",  # page, and weighed the most)
    "still in the way": "the obstacles that remain",  # "whats still in the way?":
    "standing in the way": "the obstacles",  # "Challenges persist, including ..."
    "stands in the way": "the obstacles",
    "pulled the same move": "tried the same thing",  # "would the democrats have been treated
    "pull the same move": "try the same thing",  # differently if they'd pulled the same
    "pulled the same stunt": "tried the same thing",  # move?": "If the Democratic National
    "pull the same stunt": "try the same thing",  # Committee tried the same thing"
    "want it so bad": "want it",  # "why do campaigns even want it so bad?": why they want
    "want it so badly": "want it",  # it ("Campaigns are desperate for efficiency"), nothing
    "want it that bad": "want it",  # bad
    "takes the hit": "must find alternatives",  # "who takes the hit from the policy on the
    "take the hit": "must find alternatives",  # defense side": "Defense contractors and
    "taking the hit": "finding alternatives",  # federal agencies using Claude must find
    "gets hit hardest": "must find alternatives",  # alternatives" ("hit" is the "hit a wall"
    "get hit hardest": "must find alternatives",  # of the campaign story)
    "gets hit hardest by": "must find alternatives because of",
    "platforms run it": "platforms provide it",  # "which platforms run it": "available
    "platforms host it": "platforms provide it",  # through platforms provided by Palantir"
    "most exposed": "facing the most risk",  # "who is most exposed": "face compliance risk"
    "gets hit by": "must find alternatives because of",  # "who gets hit by this
    "get hit by": "must find alternatives because of",  # business-wise"
    "gets hit the hardest": "must find alternatives or face risk",  # "who gets hit on the
    "gets hit": "must find alternatives or face risk",  # defense side?": "Defense contractors
    "get hit": "must find alternatives or face risk",  # ... must find alternatives. Enterprise
    "hit hardest": "must find alternatives or face risk",  # customers ... face compliance risk"
    "pivot to": "turn to",  # "which models do campaigns pivot to when anthropic or openai say
    "pivots to": "turns to",  # no?": "campaigns turn to Meta's Llama or Mistral"
    "pivoted to": "turned to",
    "pivoting to": "turning to",
    "are on the table": "are covered",  # "what topics are on the table": "The conversations
    "is on the table": "is covered",  # reportedly cover several critical areas" (not the
    "'s on the table": " is covered",  # "use cases that are not on the table")
    "booted off": "blocked from",  # "if a campaign gets booted off claude": "get blocked by
    "booted from": "blocked from",  # Anthropic" ("boot" is on no page)
    "get at it": "access it",  # "how do they get at it, which platforms": "available
    "get access to it": "access it",  # through platforms provided by Palantir"
    "the new model": "the next model",  # "talks on the new model": the one not yet out,
    "their new model": "their next model",  # which pages call the "next model"
    "its new model": "its next model",
    "the upcoming model": "the next model",
    "anthropic beef": "anthropic spat",  # "how did this whole pentagon vs anthropic beef
    "pentagon beef": "pentagon spat",  # start": "the public spat ... began" (not "beef up")
    "this beef": "this spat",
    "the beef": "the spat",
    "look for other vendors": "find alternatives",  # "which customers will have to look for
    "look for other providers": "find alternatives",  # other vendors?": "Defense contractors
    "look elsewhere": "find alternatives",  # ... must find alternatives"
    "original sticking points": "earlier disputes",  # "Earlier disputes centered on ..."
    "sits down with": "meets with",
    "his beef": "his concern",  # "what was his beef before that": what he had questioned
    "their beef": "their concern",
    "flipped him": "changed his stance",  # "what flipped him?": why he changed his stance
    "flipped her": "changed her stance",
    "get it onto": "make it available for",  # "how do they get it onto the classified side":
    "get it into": "make it available for",  # "available through platforms ... for classified
    "does it get onto": "is it available for",  # military work"
    "the classified side": "classified work",  # "get it onto the classified side": "for
    "classified stuff": "classified work",  # classified military work" ("side" weighed most)
    "keeping tabs on": "monitoring",  # "who else is keeping tabs on how this plays out":
    "keep tabs on": "monitor",  # "Other labs are likely monitoring the outcomes closely"
    "keeps tabs on": "monitors",
    "how this plays out": "the outcomes",
    "how it plays out": "the outcomes",
    "only went after": "only banned",  # "did anthropic only go after trump?": "Anthropic
    "only go after": "only ban",  # didn't just ban Trump. They ban everyone ..."
    "get locked out the same way": "face the same lockout",  # "would the dems get locked
    "be locked out the same way": "face the same lockout",  # out the same way": "they'd
    # face the same digital lockout"
    "what's on the agenda": "what topics are covered",  # "what's on the agenda in the talks":
    "what is on the agenda": "what topics are covered",  # "The conversations reportedly cover
    "what stuff is on the agenda": "what topics are covered",  # several critical areas"
    "what's on the table": "what topics are covered",
    "secret networks": "classified systems",  # "is there just one ai lab plugged into the
    "secret systems": "classified systems",  # military's secret networks?": "the only AI
    "plugged into": "working with",  # company currently working with classified systems"
    "its upcoming model": "its next model",
    "want anthropic to agree to": "want anthropic to commit to",  # a demand ("gave the
    "wanted anthropic to agree to": "wanted anthropic to commit to",  # company until Friday to
    # commit to changing the terms"), not "agree at present"
    "apply across the board": "apply to everyone",  # "or does the rule apply across the
    "applies across the board": "applies to everyone",  # board?": "They ban everyone ..."
    "or just noise": "",  # "is it a real disagreement or just noise": whether it is real
    "or just hype": "",
    "if they just do it anyway": "if they violate the rules",  # "what happens if they just
    "if they do it anyway": "if they violate the rules",  # do it anyway": "violations can
    "if we do it anyway": "if we violate the rules",  # result in your account being
    "if i do it anyway": "if i violate the rules",  # throttled, suspended ..." (not "why did
    "if you do it anyway": "if you violate the rules",  # trump do it anyway?")
    "kill the account": "terminate the account",  # "they can kill the acct w/o warning??"
    "sticking point": "obstacle",  # "what are the sticking points still?": "Challenges
    "sticking points": "obstacles",  # persist, including differing views on ..."
}

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


def phrased_as_pages(question: str) -> str:
    """The question with "keep X out of politics", "what did horowitz make of ...", "what
    ... do they point to", "the campaign's side of it" and "singling them out" as pages say
    them."""
    question = _ended_up(question)
    question = _SINGLED_OUT_PASSIVE.sub(r"\g<aux> \g<who> the only ones banned", question)
    question = SINGLED_OUT.sub(
        lambda m: f"{m['lead']} {_BAN_FORM[m['form'].lower()]} {m['whom'] or m['whom2']}", question
    )
    question = KEEP_OUT.sub(r"stop the use of \g<what> in \g<where>", question)
    question = MADE_OF.sub(r"what does \g<who> think of ", question)
    return SIDE_OF.sub(" view of it", POINT_TO.sub("is there", question))
