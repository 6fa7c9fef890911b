"""The table of idioms staff type for a word the pages write ("heads up": a warning; "pull the
plug": "cut off"), kept apart from the few idioms that need a pattern (rag/idioms.py)."""

from __future__ import annotations

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
    "take that to court": "file legal challenges in court",  # "did anthropic take that to
    "take it to court": "file legal challenges in court",  # court?": "Legal challenges filed
    "took it to court": "filed legal challenges in court",  # by Anthropic" (and "Court
    "took that to court": "filed legal challenges in court",  # rulings partially favor ...")
    "hit our access": "affect our access",  # "can the vendor's slip-ups hit our access?":
    "hit your access": "affect your access",  # "the app developer's failure to comply can
    "hit my access": "affect my access",  # affect your access too"
    "sourcing a replacement vendor": "finding alternatives",  # "which customers are stuck
    "sourcing a replacement": "finding alternatives",  # sourcing a replacement vendor?":
    "find a replacement vendor": "find alternatives",  # "... using Claude must find
    "find a replacement": "find alternatives",  # alternatives"
    "sided with": "agreed with",  # "openai sided with anthropic?": "the company agreed with
    "siding with": "agreeing with",  # Anthropic" (rag/idioms.py: "did X side with")
    "or mostly posturing": "",  # "is it a real disagreement or mostly posturing": whether it
    "or just posturing": "",  # is real (as "or just noise")
    "go after them": "move against them",  # "why did he go after them?": "The move comes
    "went after them": "moved against them",  # after Anthropic and top officials clashed
    "going after them": "moving against them",  # for weeks over military applications"
    "self-defeating": "an irony",  # "isn't that self-defeating for anthropic?": "This is the
    "counterproductive": "an irony",  # irony of Anthropic's ban. It doesn't stop the use ..."
}
