"""A question as pages would put it: words that only colour it dropped ("in the first
place", "actually"), idioms said as pages say them ("a heads up": a warning), a failing
("if the talks fall apart") said "fail" and an aim ("planning to use it for") said "want
to", before it is classified and searched."""

from __future__ import annotations

import re

from rag.follow_ups import EXPLAIN_ASKED
from rag.idiom_table import IDIOMS
from rag.idioms import (
    EVER_CHANGED,
    PAGE_FROM,
    WHO_BROKE,
    WHY_AFTER,
    checked_then_asked,
    phrased_as_pages,
)
from rag.status import as_earlier

_ASIDES = re.compile(
    r",?\s*\b(?:in the first place|to begin with|by the way|actually|basically"
    r"|on (?:their|his|her|its|our|your|my) end|(?<=\bthe )whole"
    r"|as an? (?:fallback|backup|back-up|workaround|stopgap)"
    r"|(?:in )?the same way(?=\s*\??\s*$)"
    r"|too\s+right(?=\s*,\s*(?:what|who|when|where|why|how|which|is|are|does|did|do)\b)"
    r"|(?<=,\s)right(?=\s*\??\s*$))\b(?=\W|$)",  # "there's an image one too, right?": a tag
    # "does jailbreaking work as a fallback?": whether it works ("a losing game"); no page
    # says "fallback"; "does the campaign article describe it the same way?": how it
    # describes it ("way" weighed most)
    re.IGNORECASE,
)
# "any numbers on where ppl care about this most?": where, said with its figures ("a search
# interest score of 78 in Taiwan"); "numbers" is no word of the answer's sentence
_FIGURES_ON = re.compile(
    r"^\s*(?:(?:are there|got|do you have|do they (?:have|give))\s+)?any\s+(?:numbers|figures"
    r"|stats|statistics|data)\s+(?:on|about|for)\s+(?=\w)",
    re.IGNORECASE,
)
# "what do you get if you pay for their monitoring?": what a plan includes ("Professional
# includes provision-level monitoring ..."); "get" weighed most
_WHAT_YOU_GET = re.compile(
    r"^\s*what\s+(?:do|does|will|would)\s+(?:you|they|i|we|users|customers|subscribers)\s+get"
    r"\s+(?=(?:if|when|with)\b)",
    re.IGNORECASE,
)
# "how much was anthropic's original defense contract worth?": the deal as signed (pages
# say "signed last year"; "original" is met in "the most original ... take" of a blurb)
_SUM_ASKED = re.compile(r"\b(?:worth|how much|value|cost)\b", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:new|newer|revised|since|compared?|changed?|versus|vs)\b", re.I)
# "before terminating the campaign's access": cutting it off, as pages say
_ENDED_ACCESS = re.compile(
    r"\bterminat(?P<ending>e|es|ed|ing)\s+(?=(?:(?:the|their|its|his|her|our|your|[\w-]+['’]s?)\s+)"
    r"{0,2}access\b)",
    re.IGNORECASE,
)
_CUT = {"e": "cut off ", "es": "cuts off ", "ed": "cut off ", "ing": "cutting off "}
_ORIGINAL_DEAL = re.compile(
    r"\b(?:original|initial)\s+(?=(?:[\w-]+\s+)?(?:deal|deals|contract|contracts|agreement"
    r"|agreements|arrangement|terms)\b)",
    re.IGNORECASE,
)
# "no, I meant the Pentagon story — what does that one say ...?": the correction's words
# are no topic ("meant" weighed the most)
_CORRECTED = re.compile(r"^\s*(?:no|nope|sorry|oops|actually)\b[,.!]?\s+i\s+meant\s+", re.I)
# "who started anthropic anyway": a wh-question's closing "anyway" only colours it ("did
# they sign anyway?" is "despite that")
_ANYWAY = re.compile(
    r"^(\s*(?:who|what|when|where|why|how|which)\b.*?),?\s+anyways?\s*(\??)\s*$", re.IGNORECASE
)
# "what did trump call the people at anthropic?": the company itself ("Leftwing nut jobs at
# Anthropic"); "people" is a word no page says of it ("the staff at" is counted, so kept)
_PEOPLE_AT = re.compile(
    r"\bthe\s+(?:people|folks|guys|gang|crowd|crew)\s+(?:over\s+)?(?:at|from)\s+(?=\w)",
    re.IGNORECASE,
)
# "what was team trump hoping to get claude to do for them?": what they wanted to use it for
# ("wanted to use the AI for high-volume tasks"); "get" and "do" are words every page has
_GET_TO_DO = re.compile(
    r"\bget\s+(?P<tool>(?:the\s+)?[\w'’-]+)\s+to\s+(?:do|produce|write|make|generate"
    r"|(?:churn|crank|pump|spit)\s+out)(?:\s+for\s+(?:them|him|her|us|it))?(?=\W|$)",
    re.IGNORECASE,
)
# "what were they trying to do with it?": what they wanted to use it for ("wanted to use
# the AI for high-volume tasks"); "do" is said of nothing
_DO_WITH = re.compile(
    r"\b(?P<aim>trying|wanting|planning|hoping|try|want|plan|hope|tried|wanted|planned|hoped)"
    r"\s+to\s+do\s+with\s+(?P<tool>(?:the\s+)?[\w'’-]+)(?=\s*\??\s*$)",
    re.IGNORECASE,
)
# "what do campaigns do once anthropic kicks them off?", "if it kicks a campaign off claude":
# pages say "blocked" ("get blocked by Anthropic"); "what kicked off the fight" kicks no one
_KICKED_OFF = re.compile(
    r"\bkick(?P<ending>s|ed|ing)?\s+(?P<whom>them|him|her|us|you)\s+(?:off|out)\b", re.I
)
_KICKED_OFF_FROM = re.compile(
    r"\bkick(?P<ending>s|ed|ing)?\s+(?P<whom>(?:a|an|the|their|its|his|her|any)\s+(?:[\w'’-]+\s+)"
    r"{0,2}?[\w'’-]+)\s+off\s+(?=(?:of\s+)?(?:claude|chatgpt|gpt|gemini|llama|it|(?:the|its|their)\s+"
    r"(?:platform|service|app|api|model)s?)\b)",  # off a platform ("kick the talks off": start)
    re.I,
)
# "what kicked off the fight?", "what kicked the fight off?", "when did the talks kick off":
# began (one who "gets kicked off claude" is blocked, and "kick the campaign off claude")
_KICK_OFF = re.compile(
    r"(?<!\bget )(?<!\bgets )(?<!\bgot )(?<!\bgetting )(?<!\bwas )(?<!\bwere )(?<!\bbe )"
    r"(?<!\bbeen )(?<!\bis )(?<!\bare )\bkick(?P<ending>s|ed|ing)?"
    r"(?:(?P<what>\s+(?:it|this|that|things|(?:the|this|that)(?:\s+\w+){1,3}))\s+off"
    r"(?=\s*(?:[?.,!;]|$|\s+(?:in|on|at|with|between|and|so|last|this)\b))|\s+off\b)",
    re.IGNORECASE,
)
# "why did anthropic refuse to let the campaign use claude": pages say it "blocked the
# campaign from using Claude" ("let" weighs as "allow", which the Pentagon's terms say)
_REFUSED_USE = re.compile(
    r"\b(?P<refused>refuse|refused|refuses|refusing)\s+to\s+let\s+(?P<whom>(?:[\w'’-]+\s+){0,4}?"
    r"[\w'’-]+)\s+use\b",
    re.IGNORECASE,
)
_BLOCKED = {"refuse": "block", "refused": "blocked", "refuses": "blocks", "refusing": "blocking"}
# "what went down in march?": what happened ("sales went down" fell)
_WENT_DOWN = re.compile(
    r"\bwhat(?:['’]s|\s+is)?\s+(?:went|goes|going|has gone)\s+down\b", re.IGNORECASE
)
# "how's team trump taking the claude ban?": how they reacted ("The response from the Trump
# camp was predictable"), not what they took
_TAKING = re.compile(
    r"\bhow(?:['’]s|\s+(?:is|are|was|were|did|do|does|has|have))\s+(?P<who>(?:[\w'’-]+\s+){0,3}?"
    r"[\w'’-]+)\s+(?:taking|take|taken|took)\s+(?!(?:over|on|off|up|out|part|place|advantage"
    r"|care|action|steps|control|notes|long|hold|effect|charge|shape|aim)\b)(?=\w)",
    re.IGNORECASE,
)
# "how did OpenAI's chief executive respond to ...?": what that person said about it (a
# company responds with acts: "Legal challenges filed by Anthropic")
_ROLE_RESPONDED = re.compile(
    r"^\s*how\s+did\s+(?P<who>(?:[\w'’-]+\s+){0,3}?(?:ceo|chief\s+executive|founder|"
    r"spokes\w+|boss|leadership|leaders|management|executives))\s+(?:respond|react)\s+to\b",
    re.IGNORECASE,
)
# "whats the backstory on who started anthropic?": who started it
_BACKSTORY = re.compile(
    r"^\s*what(?:['’]?s|\s+is)\s+the\s+(?:backstory|back\s+story|story|context)\s+(?:on|of|behind"
    r"|about)\s+(?=(?:who|how|why|when|where)\b)",
    re.IGNORECASE,
)


def _role_said(responded: re.Match[str]) -> str:
    """ "what did OpenAI's CEO say about": a company's leadership speaks through its CEO."""
    who = re.sub(r"\b(?:leadership|leaders|management|executives)\b", "CEO", responded["who"])
    return f"what did {who} say about"


_GOT_KICKED = re.compile(  # "if a campaign gets kicked off claude": blocked from it
    r"\b(?P<got>get|gets|got|getting)\s+kicked\s+(?:off|out\s+of)\b", re.IGNORECASE
)
_STARTED = {"": "start", "s": "starts", "ed": "started", "ing": "starting"}
# "what did trump's people compare it to?": his team ("the Trump team"), whom no page calls
# his people
_THEIR_PEOPLE = re.compile(
    r"\b(?P<whose>[\w-]+['’]s|his|her|their)\s+(?:people|folks|guys|crew|gang)\b", re.IGNORECASE
)
# "who else signed deals like that?": pages say "similar deals"
_LIKE_THAT = re.compile(  # at the end, a plural noun: not "do they like this decision?"
    r"\b(?!(?:always|is|was|has|does|this|its|his|hers|ours|yours|theirs|as|us|yes)\b)"
    r"(?P<things>[a-z]{3,}[^s\W]s)\s+like\s+(?:that|this|those|these)\s*\??\s*$"
)
# "what is Claude Gov exactly?", "what exactly is it?": a definition asked (not "when
# exactly ...?", which insists on a date)
_EXACTLY = re.compile(
    r"^(\s*what(?:['’]s|\s+is|\s+are|\s+was|\s+were)?)\s+exactly\b|(?<=\w)\s+exactly(?=\s*\??\s*$)",
    re.IGNORECASE,
)
# "if the talks don't work out / fall apart / go nowhere": the talks fail, a word pages say
# ("fail", or one of its synonyms: "unresolved issues could prompt Anthropic to ...").
_FAILING = re.compile(
    r"\b(?:(?:do|does|did|will|would)(?:n['’]?t| not)\s+(?:work out|pan out|succeed)"
    r"|(?:fall|falls|fell)\s+(?:apart|through)|(?:go|goes|went|lead|leads)\s+nowhere"
    r"|(?:break|breaks|broke)\s+down|(?:ca|wo)n['’]?t\s+agree|cannot agree"
    r"|(?:(?:ca|wo)n['’]?t|cannot|can not|don['’]?t|do not)\s+(?:resolve|settle|bridge)"
    r"\s+(?:their|its|the|those|these)\s+(?:differences|disagreements)"
    r"|(?:do|does|did|will|would)(?:n['’]?t| not)\s+(?:resolve|settle|fix)\s+(?:things|it|anything"
    r"|matters|the (?:issues?|dispute))"  # "if the talks don't resolve things"
    r"|(?:go|goes|went|going)\s+(?:badly|wrong|south|sour|sideways|off\s+the\s+rails)"
    r"|(?:do|does|did|will|would)(?:n['’]?t| not)\s+(?:get\s+)?(?:resolved|settled|sorted out))\b",
    re.IGNORECASE,
)


def asks_if_failing(question: str) -> bool:
    """It asks what follows a failing ("if the talks fail": `without_asides`' "fall apart")."""
    return re.search(r"\bif\b.*\bfail(?:s|ed)?\b", question, re.IGNORECASE) is not None


# "who runs anthropic?": pages name its chief by title ("Anthropic's CEO, Dario Amodei"),
# and "running a campaign" is no leader
_LEADS = re.compile(
    r"^\s*who\s+(?:runs|leads|heads|is in charge of|is running|is leading)\s+"
    r"(?!the\b)(?P<whose>[\w&.-]+(?:\s+[\w&.-]+)?)(?=\s*\??\s*$)",  # not "the Pentagon": its
    # head is a secretary, and "Venezuela's president" would be taken for its boss
    re.IGNORECASE,
)
_IDIOM = re.compile(  # the longest first: "gets hit hardest by", then "gets hit hardest"
    r"\b(?:" + "|".join(map(re.escape, sorted(IDIOMS, key=len, reverse=True))) + r")\b", re.I
)
# "what were they planning to use it for?", "what did they hope to get?": what they wanted
# is asked; pages say an aim in many words ("wanted to", "sought to", "tried to"), and
# "planning" alone matches "military planning"
_AIMED = (
    r"\s+to\s+(?=(?:use|get|do|make|have|put|build|run|buy|sell|stop|ban|block|change"
    r"|replace|add|keep|win|take|give|send|write)\b)"
)
_INTENT = re.compile(  # "trying to get X to ..." is an aim; "trying to stop" an act
    r"\b(?:planning|hoping|intending|aiming|trying(?=\s+to\s+(?:get|use|do)\b))" + _AIMED, re.I
)
_INTENDED = re.compile(
    r"\b(?P<asked>(?:did|do|does)(?:\s+[\w'’]+){1,4}?)\s+(?:plan|hope|intend|aim)" + _AIMED,
    re.IGNORECASE,
)


# "claude gov - what is it exactly?": the topic typed first, then asked about as "it"
_TOPIC_FIRST = re.compile(
    r"^\s*(?!(?:so|and|but|ok|okay|well|hmm|yeah|right|then|now|wait)\s*[,:;–—-])"
    r"(?P<topic>[^?,:;–—-]{2,60}?)\s*[,:;–—-]+\s*what(?:['’]?s|\s+(?P<be>is|are|was|were))?"
    r"\s+(?:it|they|that|this|those)\b(?P<rest>.*)$",
    re.IGNORECASE,
)


# "that piece about trump dropping the label — did it include any data on ...?": did the
# piece about it include them (the page named, then asked of as "it")
_PAGE_FIRST = re.compile(
    r"^\s*(?:that|the|this)\s+(?P<page>(?:piece|article|story|post|page|report|write-?up)\s+"
    r"(?:about|on|covering)\s+[^?,:;–—]{2,80}?)\s*[,:;–—-]+\s*(?P<aux>did|does|do|is|was|has"
    r"|can|will|could)\s+(?:it|that|this)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
# "what's the anthropic ceo's name?": who the CEO is (a name-question reads as a definition)
# "what's Michael Horowitz's background?": who he is ("an expert on ... and former ...")
_BACKGROUND = re.compile(
    r"^\s*[Ww]hat(?:['’]?s|\s+is|\s+was)\s+(?P<who>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})['’]s\s+"
    r"(?:(?:professional\s+)?(?:background|bio|biography|career|resume|résumé)"
    r"|(?:previous|prior|former|earlier|past)\s+(?:role|job)|(?:role|job)\s+before)"
    r"\s*\??\s*$"  # and "what role did Michael Horowitz used to have?"
    r"|^\s*[Ww]hat\s+(?:role|job|position|title)\s+(?:did|has)\s+"
    r"(?P<whom>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s+(?:used?\s+to\s+(?:have|hold)"
    r"|(?:have|had|hold|held)\s+(?:before|previously))\s*\??\s*$",
)
# "did anthropic own up to complaining ...?": an admission ("has denied ever raising
# concerns" answers it); not "its own up to date list", "own up to 10% of the market"
_OWN_UP = re.compile(
    r"(?<!\bits\s)(?<!\btheir\s)(?<!\bour\s)(?<!\bmy\s)(?<!\bhis\s)(?<!\bher\s)"
    r"\b(?P<own>own|owns|owned|owning)\s+up\s+to\b(?!\s*(?:date|\d))",
    re.IGNORECASE,
)
_ADMIT = {"own": "admit", "owns": "admits", "owned": "admitted", "owning": "admitting"}
_ROLE_NAME = re.compile(
    r"^\s*what(?:['’]?s|\s+is|\s+was)\s+(?P<who>(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:employee"
    r"|staffer|official|aide|lawyer|attorney|judge|person|guy|man|woman|spokes\w+|ceo|secretary"
    r"|founder|president|chief|boss|reporter|author|writer))['’]s\s+(?:full\s+|real\s+)?name"
    r"\s*\??\s*$",
    re.IGNORECASE,
)
# "summarise horowitz's view of the row in a line": what his view is; "explain why ...": why
_SUMMARISE = re.compile(
    r"^\s*(?:pls\s+|please\s+)?(?:summari[sz]e|sum\s+up|explain|describe|outline)\s+(?:to\s+me\s+)?"
    r"(?P<rest>.+?)(?:\s*,?\s+(?:in\s+(?:a|one|two|a\s+few)\s+(?:lines?|sentences?|words?"
    r"|para(?:graph)?s?)(?:\s+or\s+(?:two|three))?"
    r"|briefly|quickly|for\s+me))?\s*[?.!]?\s*$",
    re.IGNORECASE,
)
# "what does the author argue ...": the page's argument (the writer is no topic, nor a speaker)
_THE_WRITER = re.compile(
    r"\bthe\s+(?:author|writer)\s+(?=(?:say|says|argue|argues|think|thinks|suggest|suggests"
    r"|claim|claims|believe|believes|conclude|concludes|predict|predicts)\b)",
    re.IGNORECASE,
)
# "what's anthropic discussing w the admin about its next model?": the topics of the talks
_WHO_WORD = r"(?!(?:of|is|are|was|were|has|had|name|names)\b)[\w.-]+"  # not "the sum they were"
_DISCUSSING = re.compile(
    r"^\s*what(?P<be>['’]s|\s+is|\s+are|\s+were|\s+was)\s+"
    rf"(?P<who>(?!(?:it|that|this)\b)(?:{_WHO_WORD}\s+){{0,4}}?{_WHO_WORD})"
    r"\s+(?P<verb>discussing|negotiating)\b(?=.*\babout\b)",  # not "what's X discussing?": the
    # thing discussed
    re.IGNORECASE,
)
# "where did altman land on the anthropic fight?": his view of it, not a place
_LANDED_ON = re.compile(
    r"\bwhere\s+(?:did|does|do|has|have)\s+(?P<who>[\w .'’-]{2,40}?)\s+(?:land|landed|come"
    r"\s+down|came\s+down)\s+on\s+",
    re.IGNORECASE,
)
# "what's horowitz's take on the row?": what he thinks of it (his words, when quoted)
_BE = {"'s": " is", "’s": " is", "is": " is", "are": " are", "were": " were", "was": " was"}
_VIEW_OF = re.compile(
    r"^\s*what(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?P<who>[\w .-]{2,40}?)['’]s?\s+(?:view|views"
    r"|take|opinion|stance|position)\s+(?:of|on|about)\s+",
    re.IGNORECASE,
)
# "what was the fight actually about?", "horowitz's take on the dod fight": the row, which
# pages call a "dispute" (five times; "fight" once, of the Pentagon "testing the limits")
_THE_FIGHT = re.compile(
    r"\b(?P<before>(?:the|this|that|its|their|department|government|anthropic)\s+"
    r"(?:whole\s+|entire\s+)?)fight\b(?!\s+(?:it|them|back|against|the|that|this|for)\b)",
    re.IGNORECASE,
)
# "did ppl at other ai companies back anthropic?": support it (not "come back", "back off")
_BACKED = re.compile(
    r"^(?P<asked>\s*(?:did|do|does|would|will)\s+[\w'’ ]{1,50}?\s+)back\s+"
    r"(?!(?:up|off|down|out|away|to|in|then|and|on|into|from)\b)(?=\w)",
    re.IGNORECASE,
)
_BACK_VERBS = frozenset(
    "walk walked roll rolled scale scaled bring brought hold held cut pull pulled fight fought "
    "come came get got pay paid date dated go went step stepped look looked set turn turned "
    "call called claw clawed dial dialed hit give gave push pushed write wrote send sent play "
    "played talk talked take took put sit sat stand stood fall fell keep kept lay laid".split()
)
_WH_FIRST = re.compile(r"^\s*(?:why|how|what|who|whom|whose|when|where|which)\b", re.IGNORECASE)


def _supported(match: re.Match[str]) -> str:
    """ "did X back Y": "did X support Y", unless "back" ends a verb of its own ("walk back",
    "roll back", "fight back")."""
    before = match["asked"].split()[-1].lower()
    return match[0] if before in _BACK_VERBS else f"{match['asked']}support "


def _summary_asked(match: re.Match[str]) -> str:
    rest = match["rest"]
    return rest if _WH_FIRST.match(rest) else f"what was {rest}"


# "is the site that put out this analysis run by anthropic?": pages say "not affiliated with"
_RUN_BY = re.compile(
    r"^(\s*(?:is|are|was|were|isn['’]?t|aren['’]?t)\b.*?)\b(?:run|owned|operated)\s+by\b",
    re.IGNORECASE,
)


def without_asides(question: str) -> str:
    """The question without words that only colour it ("who started it in the first
    place?", "what did they actually do?"): no passage says them of the answer; a failing
    ("if the talks fall apart") said as "fail", an idiom ("a heads up") as pages say it."""
    if (explain := EXPLAIN_ASKED.match(question)) is not None:  # "meaning what?": what the turn
        return "what are examples?" if explain["examples"] else "what?"  # before says

    plain = _CORRECTED.sub("", checked_then_asked(question))
    plain = _PEOPLE_AT.sub("", _THEIR_PEOPLE.sub(r"\g<whose> team", plain))
    plain = _ROLE_NAME.sub(r"who is \g<who>?", _SUMMARISE.sub(_summary_asked, plain))
    plain = _BACKGROUND.sub(lambda m: f"who is {m['who'] or m['whom']}?", plain)
    plain = _ROLE_RESPONDED.sub(_role_said, plain)
    plain = _BACKSTORY.sub("", plain)
    plain = _THE_WRITER.sub("the article ", plain)
    plain = _DISCUSSING.sub(
        lambda m: f"what topics{_BE.get(m['be'].strip().lower(), ' is')} {m['who']} {m['verb']}",
        plain,
    )
    plain = _LANDED_ON.sub(r"what does \g<who> think of ", plain)
    plain = _VIEW_OF.sub(r"what does \g<who> think of ", plain)
    plain = _WENT_DOWN.sub("what happened", _FIGURES_ON.sub("", plain))
    plain = _WHAT_YOU_GET.sub("what is included ", plain)
    plain = _TAKING.sub(r"how did \g<who> react to ", plain)
    plain = _REFUSED_USE.sub(
        lambda m: f"{_BLOCKED[m['refused'].lower()]} {m['whom']} from using", plain
    )
    plain = _IDIOM.sub(lambda idiom: IDIOMS[idiom[0].lower()], plain)
    plain = phrased_as_pages(plain)
    plain = _OWN_UP.sub(lambda m: _ADMIT[m["own"].lower()], plain)
    plain = _KICKED_OFF.sub(lambda m: f"block{m['ending'] or ''} {m['whom']}", plain)
    plain = _KICKED_OFF_FROM.sub(lambda m: f"block{m['ending'] or ''} {m['whom']} from ", plain)
    plain = _KICK_OFF.sub(
        lambda m: _STARTED[(m["ending"] or "").lower()] + (m["what"] or ""), plain
    )
    plain = _GOT_KICKED.sub(r"\g<got> blocked from", plain)
    plain = _GET_TO_DO.sub(r"use \g<tool> for", _DO_WITH.sub(r"\g<aim> to use \g<tool> for", plain))
    plain = _LEADS.sub(r"who is \g<whose>'s boss", plain)
    plain = _INTENDED.sub(r"\g<asked> want to ", _INTENT.sub("wanting to ", plain))
    if _SUM_ASKED.search(plain) and not _SINCE.search(plain):  # "how much was the original
        # contract worth?", not "... compared to the new one?"
        plain = _ORIGINAL_DEAL.sub("", plain)
    plain = _ENDED_ACCESS.sub(lambda m: _CUT[m["ending"].lower()], plain)
    plain = WHY_AFTER.sub(lambda m: f"why {m['aux'].lower()} {m['rest']}?", plain)
    plain = EVER_CHANGED.sub(
        lambda m: "ever changed " if m["verb"].endswith("d") else "ever change ", plain
    )
    plain = as_earlier(WHO_BROKE.sub("who reported ", plain))
    plain = _RUN_BY.sub(r"\1affiliated with", _ASIDES.sub("", _ANYWAY.sub(r"\1\2", plain)))
    plain = PAGE_FROM.sub(r"\g<page>affiliated with \g<whom>\g<end>", plain)
    plain = _THE_FIGHT.sub(r"\g<before>dispute", plain)
    plain = _BACKED.sub(_supported, plain)
    plain = _LIKE_THAT.sub(r"similar \g<things>", plain)
    plain = _PAGE_FIRST.sub(lambda m: f"{m['aux']} the {m['page']} {m['rest']}", plain)
    plain = _TOPIC_FIRST.sub(lambda m: f"what {m['be'] or 'is'} {m['topic']}{m['rest']}", plain)
    if re.match(r"\s*what\b", plain, re.IGNORECASE):
        plain = _EXACTLY.sub(lambda found: found[1] or "", plain)
    condition = re.search(r"\bif\b", plain, re.IGNORECASE)  # "what went wrong?" stays
    if condition is None:
        return plain
    return plain[: condition.end()] + _FAILING.sub("fail", plain[condition.end() :])
