"""Chat shorthand written out before a question is searched: staff type "dept", "ppl" and
"acct", which no document writes, and which the lower-case name check would otherwise take
for names the documents lack ("how big was the deal with the defense dept" was declined)."""

from __future__ import annotations

import re

# Shorthand in any case ("Dept.", "dept") and its written-out word.
_ANY_CASE = {
    "dept": "department",
    "depts": "departments",
    "govt": "government",
    "gov't": "government",
    "admin": "administration",
    "acct": "account",
    "accts": "accounts",
    "ppl": "people",
    "abt": "about",
    "pres": "president",  # "what law lets the pres do that"
    "btwn": "between",
    "btw": "by the way",
    "whats": "what's",  # else "whats" is a term no page has, weighing the most
    "whos": "who's",
    "wheres": "where's",
    "whens": "when's",
    "hows": "how's",
    "theres": "there's",
    "thats": "that's",
    "why'd": "why did",
    "how'd": "how did",
    "where'd": "where did",
    "what'd": "what did",
    "when'd": "when did",
    "betw": "between",
    "thru": "through",
    "w/": "with",
    "w/o": "without",
    "cutoff": "cut-off",  # "how did they spin the cutoff": pages write "cut off" (then
    "cutoffs": "cut-offs",  # the phrase's words are weighed, as "phase-out")
    "phaseout": "phase-out",
    "b/c": "because",
    "bcuz": "because",
    "cuz": "because",
    "yr": "year",
    "yrs": "years",
    "wk": "week",
    "wks": "weeks",
    "hrs": "hours",
    "mins": "minutes",
    "msg": "message",
    "pic": "photo",
    "pics": "photos",
    "info": "information",
    "approx": "approximately",
    "intl": "international",
    "natl": "national",
    "exec": "executive",
    "execs": "executives",
    "mgmt": "management",
    "corp": "corporation",
    "amt": "amount",
    "esp": "especially",
    "tho": "though",
    "pls": "please",
    "plz": "please",
    "natsec": "national security",
    "dems": "Democrats",
    "dem": "Democratic",  # "would a dem campaign get the same treatment"
    "tos": "terms of service",  # "just ToS?"
    "repubs": "Republicans",
    "potus": "president",
    "prez": "president",
    "feds": "federal government",
    "convo": "conversation",
    "convos": "conversations",
    "orgs": "organizations",
    "kinda": "kind of",  # "that kinda thing" ("kinda" weighed as a rare word)
    "sorta": "sort of",
    "gonna": "going to",  # after "is" or "are": "will" (_GONNA)
    "wanna": "want to",
    "gotta": "have to",
    "tryna": "trying to",  # "what were they even tryna use it for" was declined
    "gimme": "give me",
    "lemme": "let me",
    "shld": "should",
    "wat": "what",
    "wats": "what's",  # "wats claude gov"
    "wut": "what",
    "shd": "should",
    "smth": "something",  # "is there an email or smth" ("smth" read as a name no page has)
    "sth": "something",
    "pts": "points",  # "the original sticking pts"
    "cali": "California",
    "regs": "regulations",
    "reqs": "requirements",
    "secdef": "defense secretary",
    "dod": "defense department",  # pages write "the Defense Department", never "DoD"
    "telco": "phone company",
    "telcos": "phone companies",
    "tmrw": "tomorrow",
    "b4": "before",
    "wh": "White House",
    "repping": "representing",
    "llm": "AI model",  # pages say "model" and "AI", seldom "large language model"
    "llms": "AI models",
    "devs": "developers",
    "jan": "January",  # months and days as pages write them ("in feb": "February 2026")
    "feb": "February",
    "apr": "April",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sept": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
    "tues": "Tuesday",
    "thurs": "Thursday",
    "fri": "Friday",
    "fwd": "forward",
    "cos": "companies",
}
# Shorthand that is something else capitalised ("U" in "U-turn", "W" a letter, "BC").
_LOWER_ONLY = {
    "u": "you",
    "ur": "your",
    "w": "with",
    "n": "and",  # "defense contractors n agencies" ("N" a letter)
    "bc": "because",
    "gop": "Republican",
    "intel": "intelligence",
    "org": "organization",
    "re": "about",  # "going fwd re anthropic's safety setup"
    "sec": "secretary",  # "the defense sec" ("SEC" is a commission)
    "co": "company",  # "which phone co ...?" ("Co." ends a company's name)
    "co's": "company's",
    "rn": "right now",  # "does the pentagon use ai that way rn?": "currently" (rag/idioms.py)
    "atm": "at the moment",  # ("ATM" a cash machine)
    "op": "operation",  # "what was claude doing in that op" ("OP" the original poster)
    "ops": "operations",
    "r": "are",  # "which side r they on" ("R" a letter)
}

# "gov use", "gov agencies": the government; "claude gov" is a name
_GOV = re.compile(r"(?<![Cc]laude )\bgov\b(?![\w'’/-])")
# "fed govt", "fed agencies": federal (not "the Fed", nor "fed up")
_FED = re.compile(
    r"\bfed(?=\s+(?:govt|gov't|government|agenc(?:y|ies)|workers|employees|contracts?)\b)", re.I
)
# "in march '26": 2026
_SHORT_YEAR = re.compile(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?P<rest>[a-z]*\.?)\s+['’](?P<year>\d\d)\b",
    re.IGNORECASE,
)
# "the conductatlas pro plan": its Professional tier
_PRO_TIER = re.compile(r"\bpro(?=\s+(?:plan|tier|version|subscription|account|level)\b)")
# "which telecommunications carrier ...": a phone company, as pages and staff say it
_TELECOM = re.compile(
    r"\btele(?:com|coms|communications?)\s+(?:company|carrier|provider|firm|operator)\b", re.I
)
# "how big was the deal $$": dollar signs naming no sum say a sum of money is asked ("worth",
# a word asking for one); a "$" would be a word of the question the answer must not repeat
_DOLLARS = re.compile(r"\s*(?<![\w$])\$+(?![\d$.]|\s\d)")
_N = re.compile(r"^\s*n\s+(?=(?:if|what|how|why|when|where|who|the|then)\b)")  # "n if ...?"
# "are they gonna sue?", "customers are gonna have to ...", "they're gonna": will ("going
# to" weighed "go" as a topic)
_GONNA_ASKED = re.compile(r"^(\s*)(?:am|is|are)\s+([\w'’-]+(?:\s+[\w'’-]+)?)\s+gonna\b", re.I)
_GONNA = re.compile(r"(?:\s+(?:am|is|are)|['’](?:re|s|m))\s+gonna\b", re.IGNORECASE)
_ARS = re.compile(r"\bars\s+technica\b", re.IGNORECASE)
# "y tho", "y?": why (a letter "y" elsewhere: "x and y")
_Y = re.compile(r"^(\s*(?:(?:and|but|so)\s+)?)[yY](?=\s+(?:tho|though)\b|\s*\?*\s*$)")
# "the ex-pentagon expert": a former one ("ex" alone is no word pages write)
_EX = re.compile(r"\b([Ee])x-(?=[A-Za-z])")
_WORD = re.compile(r"(?<![\w/'’-])([A-Za-z]+(?:['’/][A-Za-z]*)?)\.?(?![\w/'’-])")
_NATSEC = re.compile(r"\bnat[- ]?sec\b", re.IGNORECASE)  # "treating anthropic as a nat-sec risk"
# "govt-only", "admin-level": shorthand before a hyphen (not "u-turn": a letter, said "U")
_BEFORE_HYPHEN = re.compile(r"(?<![\w/'’-])([A-Za-z]{2,})(?=-[A-Za-z])")


# What a note or a slide the answer is for, or a check, says before the question: "for the
# board pack - can you confirm how long ...?", "quick sanity check: what's ...?", "for a
# compliance memo I'm drafting on procurement exposure: when ..." (the
# words of the preamble are no topic; "for the board pack" was declined)
_PREAMBLE = re.compile(
    r"^\s*(?:(?:a\s+)?quick\s+(?:q|qn|question|one|check|sanity\s+check)|sanity\s+check"
    r"|(?:(?:a\s+)?(?:diff|different|new|other|unrelated)\s+(?:topic|subject|question|q|story)"
    r"|(?:changing|change\s+of)\s+(?:topic|subject)|switching\s+gears)(?=\s*[-–—:,])"
    r"|(?:(?:strategy|procurement|compliance|legal|policy|comms|research|budget|status|general"
    r"|follow-?up|team|weekly|daily|timeline|fact|date|background)\s+)?(?:update|question|check"
    r"|query)(?:\s+please)?(?=\s*:)"
    # "strategy update please:", "procurement question:"; not "OpenAI question:"
    r"|just\s+checking|(?:(?:quick\s+q|(?:two|2|a\s+couple\s+of|a\s+few)\s+(?:things|questions|qs))\s+)?"
    r"for\s+(?:the|my|our|a|an|this)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:board\s+pack|pack|deck|brief|briefing|memo|summary|slides?|meeting|email|note|notes"
    r"|record|doc|write-?up|newsletter|presentation|update|report|review|register|tracker|log)"
    r"|for\s+(?:the|my|our|a|an|this)\s+(?:[\w'’-]+\s+){0,2}?(?:client|customer|account)(?=\s*[-–—:]))"
    r"(?:\s+(?:i'm|i\s+am|we're|we\s+are)\s+(?:drafting|writing|preparing|doing|putting"
    r"\s+together|working\s+on))?(?:\s+(?:on|about|re|regarding)(?:\s+[\w'’-]+){1,5}?(?=\s*[-–—:]))?"
    r"(?:\s+for\s+(?:the|my|our|a|an)\s+[\w'’-]+(?:\s+[\w'’-]+)?)?\s*[-–—:,]+\s*(?=\w)",
    re.IGNORECASE,
)
# "whats the deal with trump and anthropic, why did he go after them?": the question after it
_DEAL_WITH = re.compile(  # (its topic kept; "the deal with the pentagon" is a contract: the
    # deal asked of two sides only)
    r"^\s*what(?:['’]?s|\s+is)\s+(?:the\s+)?(?:deal\s+with\s+(?=[^,?]{1,40}\band\b)|(?:story"
    r"|situation)\s+with\s+)(?=[^,?]{2,60}[,?]\s*(?:so\s+)?(?:what|why|how|who|when|where|which"
    r"|is|are|was|were|did|does|do)\b)",
    re.IGNORECASE,
)
# "fact-checking the pentagon/anthropic standoff: which official ...?": the question after it
_FACT_CHECK = re.compile(r"^\s*fact[- ]?check(?:ing)?\b[^:?]{0,60}:\s*(?=\w)", re.IGNORECASE)
# "can you confirm how long ...?", "do we know when ...?": the question after it (not "can
# you confirm that ...": that is a yes/no question)
_CONFIRM = re.compile(
    r"^\s*(?:(?:can|could|would)\s+you\s+(?:please\s+)?(?:confirm|check|tell\s+me|find\s+out)"
    r"|(?:do|does)\s+(?:we|you|anyone|anybody)\s+know|any\s+idea|i\s+wonder"
    r"|(?:my|our)\s+(?:boss|manager|lead|director|team|client|editor|vp|ceo)\s+(?:asked|asks"
    r"|wants\s+to\s+know|is\s+asking)(?:\s+(?:me|us))?)"  # "my boss asked me where ..."
    r"\s+(?=(?:who|what|when|where|which|why|how)\b)",
    re.IGNORECASE,
)


# "so is it just trump? feels kinda targeted", "whats constitutional ai? someone said anthropic
# came up with it": a remark after the question, no part of it
_REMARK_AFTER = re.compile(
    r"(?<=\?)\s+(?:(?:feels|felt|seems|seemed|sounds|(?:someone|somebody|people|ppl)\s+(?:said"
    r"|says|say)|asking\s+(?:because|for)|just\s+curious|curious|wondering)\b"  # not "i think
    # there was some search data": what it says is asked of
    r"(?![^?]*\b(?:what|who|when|where|why|how|which)\b)[^?()]*)$",  # not "..., what happens"
    re.IGNORECASE,
)
# "why did anthropic refuse ...? Trying to explain it to managers who keep asking", "...? need
# it for the onboarding deck": what the asker is doing with the answer, no part of it
_ASKER_AFTER = re.compile(
    r"(?<=\?)\s+(?:(?:i['’]?m|i\s+am|we['’]?re|we\s+are|just)\s+)?(?:trying\s+to|need(?:ing)?\s+"
    r"(?:this|it|that)\b|prepping|preparing|putting\s+together|working\s+on|drafting"
    r"|for\s+(?:a|an|our|my|the)\s+(?:[\w'’-]+\s+)?(?:deck|slides?|training|memo|brief|briefing"
    r"|report|meeting|email|newsletter|presentation|review|notes?)|thanks|thank\s+you|thx|ty"
    r"|cheers|(?:my|our)\s+(?:[\w-]+\s+){1,2}(?:wants|asked|asks|needs|is\s+asking)"
    r"|(?:(?:a|the)\s+)?(?:customer|client|boss|manager|colleague|someone|somebody|user)\s+"
    r"(?:saw|spotted|noticed|mentioned|asked|keeps?\s+asking|was\s+asking)\s+(?:it|this|about"
    r"|me|that(?=\W*$))|(?:i|we)\s+(?:saw|read|spotted|noticed)\s+(?:it|this|that(?=\W*$)))\b"
    r"(?![^?]*(?:,|\band\b|\balso\b|\bout\b)\s+(?:what|who|when|where|why|how|which)\b)[^?]*$",
    re.IGNORECASE,
)
# "why'd trump stop ...? need one line", "whats anthropic's worry, one line": how long an
# answer the asker wants, no part of the question
_LENGTH_ASKED = re.compile(
    r"(?:(?<=\?)|\s*[,:-])\s+(?:(?:i\s+)?need\s+(?:it\s+in\s+)?|just\s+|give\s+me\s+|in\s+)?"
    r"(?:(?:a|one)\s+(?:line|liner|sentence)|(?:the\s+)?short\s+version|briefly|keep\s+it\s+short"
    r"|tl;?dr)(?:\s+(?:pls|please|max|only|answer))?[\s.!?]*$",
    re.IGNORECASE,
)
# "(could you tell me) what anthropic is discussing ...": asked as "what is anthropic discussing"
# (a subject opening on a determiner, a name or a possessive and holding no verb: not "what
# company was cut off", "what happened after the contract was cancelled", "what X said it ...")
_INDIRECT = re.compile(
    r"^(?P<wh>what|who|where|when|why|how(?:\s+(?:much|many|long|big))?)\s+"
    r"(?P<who>(?:the|a|an|this|that|its|their|his|her|our|it|they|he|she|we|you|[A-Z][\w'’-]*"
    r"|[\w-]+['’]s)\s+"
    r"(?:(?!(?:is|are|was|were|has|have|had|will|would|can|could|said|says|told|thinks?|did|does"
    r"|do|that|which|who)\b)(?![\w-]+ed\b)[\w'’-]+\s+){0,6}?)"
    r"(?P<aux>is|are|was|were|has|have|had|will|would|can|could)\s+(?P<rest>\w.*)$",
)
# "wait whats claude gov", "hang on, who ...?": a word that only opens the question ("so",
# "and", "ok" are left: they mark a follow-up)
_OPENER = re.compile(
    r"^\s*(?:(?:wait|hang\s+on|hold\s+on|fyi|um+|hmm+|oh|hey|hi|hello|yo|sorry|tl;?dr|eli5|iirc"
    r"|why\s+(?:tho|though)(?=\s*[,:;.!–—-]))\b[\s,:;.!–—-]*)+"  # "tl;dr what's the irony ...?",
    # "why tho, what was the fight even about"
    r"(?=(?:who|whom|whose|what|whats|when|where|which|why|how|is|are|was|were|do|does|did"
    r"|has|have|had|can|could|will|would|should)\b)",
    re.IGNORECASE,
)


# Who is asking, before a dash and the question: "hi, new hire trying to get up to speed -
# how big was ...?", "new here — whats ...?", "I'm a defense researcher — is ...?" (lower case
# after its first word, naming no page: "per the timeline - what ...?" says which page)
_PERSONA = re.compile(
    r"^\s*(?P<lead>(?i:hi|hey|hello|new|i['’]m|im|i\s+am|we['’]re|as\s+an?)\b[a-z\s,'’]{0,70}?"
    r"|(?i:(?:[a-z]+\s+)?(?:manager|lead|legal|comms|engineer|eng|analyst|intern|pm|exec|counsel"
    r"|team|sales|procurement|finance|security|policy|ops|hr|marketing|staff)\s+here))"  # "manager
    # here - what's ...?"
    r"\s+[-–—]+\s+"
    r"(?=(?:who|whom|whose|what|whats|what's|when|where|which|why|how|is|are|was|were|do|does"
    r"|did|has|have|had|can|could)\b)"
)
_PAGE_WORDS = re.compile(
    r"\b(?:article|piece|story|page|report|post|timeline|per|according|in\s+the)\b", re.I
)


def _without_persona(question: str) -> str:
    persona = _PERSONA.match(question)
    if persona is None or _PAGE_WORDS.search(persona["lead"]):
        return question
    return question[persona.end() :]


def without_preamble(question: str) -> str:
    """The question without what only introduces it ("for the board pack -", "quick sanity
    check:", "can you confirm ...", "wait", "new hire here -") or remarks after it ("...?
    feels kinda targeted"), as typed when there is nothing to take away."""
    plain = _without_persona(_OPENER.sub("", question))
    checked = _FACT_CHECK.match(plain)  # "fact-checking the ars story: who wrote it?" keeps it
    if checked and not _PAGE_WORDS.search(checked[0]):
        plain = plain[checked.end() :]
    plain = _ASKER_AFTER.sub("", _REMARK_AFTER.sub("", _PREAMBLE.sub("", plain)))
    plain = _DEAL_WITH.sub("", plain)
    plain = _LENGTH_ASKED.sub(
        lambda m: "" if plain[m.start() - 1 : m.start()] == "?" else "?", plain
    )
    if confirmed := _CONFIRM.match(plain):  # "could you tell me what anthropic is discussing
        plain = _INDIRECT.sub(r"\g<wh> \g<aux> \g<who>\g<rest>", plain[confirmed.end() :])  # ...?"
    return plain if plain.strip() else question


def opener_spelled(question: str) -> str:
    """ "y tho", "y?" as "why tho", "why?", and "n if it goes badly?" as "and if ...": read
    so before the question is read as a follow-up (a "y" or "n" elsewhere stays a letter)."""
    return _N.sub("and ", _Y.sub(r"\1why", question))


def written_out(question: str) -> str:
    """The question with each shorthand word replaced by the word it stands for ("how big
    was the deal with the defense dept" -> "... defense department"); the rest as typed."""
    question = _EX.sub(lambda m: "Former " if m[1] == "E" else "former ", question)
    question = _DOLLARS.sub(" worth", question).strip()
    question = _BEFORE_HYPHEN.sub(_expanded_any_case, question)
    question = _TELECOM.sub("phone company", _PRO_TIER.sub("professional", question))
    question = _ARS.sub("Ars Technica", question)  # a name, not a typo of "technical"
    question = _NATSEC.sub("national security", question)
    question = _GONNA.sub(" will", _GONNA_ASKED.sub(r"\1will \2", question))
    question = _FED.sub("federal", _SHORT_YEAR.sub(r"\g<month>\g<rest> 20\g<year>", question))
    return _WORD.sub(_expanded, _GOV.sub("government", question))


def _expanded(match: re.Match[str]) -> str:
    if len(match[1]) == 1:  # "the n.y. office", "n=40", "section 3(n)", "r&d": a letter
        at, text = match.start(1), match.string
        if any(mark in text[at - 1 : at] + text[at + 1 : at + 2] for mark in ".=()&"):
            return match[0]
    word = match[1].lower().replace("’", "'")
    full = _ANY_CASE.get(word) or _LOWER_ONLY.get(match[1])
    owner = _ANY_CASE.get(word[:-2], "") if full is None and word.endswith("'s") else ""
    if owner[:1].islower():  # "the admin's priorities": the administration's (not a name's:
        full = owner + match[1][-2:]  # "Jan's team" is no January's)
    return _as_typed(match, full)


def _expanded_any_case(match: re.Match[str]) -> str:
    return _as_typed(match, _ANY_CASE.get(match[1].lower()))


def _as_typed(match: re.Match[str], full: str | None) -> str:
    """The written-out word in the shorthand's case at the question's start (a name as it is
    always written)."""
    if full is None:
        return match[0]
    if full[0].isupper():  # a name: "White House" however "wh" is typed
        return full
    # capitalised where it starts the question: elsewhere a capital makes it a name, the
    # owner of a sum ("anthropic's DoD deal" is no deal of the Defense Department's)
    return full.capitalize() if match[1][0].isupper() and match.start() == 0 else full
