"""Words staff use for what news and policy pages say in other words ("danger" for "threat",
"spot" for "caught", "talks" for "discussions"): a small hand-kept table of plain synonyms,
read only for a question word no retrieved passage holds as written (no offline thesaurus
installs from PyPI with the project: docs/answers.md, paraphrases and the evidence)."""

from __future__ import annotations

from functools import lru_cache

from rag.text import terms

# Each line one group of words used for one another in questions about what a page says;
# words with several common senses ("state", "head", "case", "find") are left out.
_GROUPS = """
worry worried afraid scared fear feared concern concerned nervous anxious
danger dangerous threat threatening risk risky hazard menace
notice spot catch caught detect discover uncover
eager keen desperate
detail details specifics particulars
succeed succeeds success successful positive
argument arguments argue argues argued contend contends
order ordered orders ordering instruct instructed instructing command commanded
bug glitch malfunction
obstacle obstacles hurdle hurdles barrier barriers roadblock roadblocks challenges
observer observers watcher watchers commentator commentators pundit pundits
flag report
reply answer output
everybody everyone
numbers figures stats statistics data
designation status classification
military pentagon
fallback alternative
vendor vendors provider providers supplier suppliers
migrate migrates migrated migrating move moves moved moving relocate relocates
department agency ministry
power powers authority
rival competitor
agreement deal contract pact arrangement
unnecessary needless pointless senseless futile overblown
currently presently
view views opinion opinions stance perspective
dispute disputes spat feud row quarrel standoff squabble tussle clash clashed
lawsuit litigation suit
statute law legislation
regulate regulates regulating oversee oversees
dealings transaction transactions
hostile adversary adversarial enemy
country nation
chatbot bot assistant
irony ironic ironically
start begin began begun initiate launch commence
talks discussion discussions negotiation negotiations conversation conversations dialogue meetings
agenda topic topics subject subjects theme themes
boss ceo
company firm startup business outfit outfits lab labs
ban block prohibit forbid lockout
buy acquire purchase
money funding cash
fire dismiss sack oust
stop cease halt quit
outcome result ruling rulings verdict determination decision decisions
judge judges court courts
picture photo image
writer author
goal aim objective purpose
rule policy regulation guideline
allow permit let
need require
increase rise grow
decrease decline
react reaction respond responded response
care cares cared caring interest interested
affiliated affiliation connected connection partner partners partnered partnership
hope hoping want wanted wish
expect expects predict predicts predicted anticipate anticipates foresee foresees forecast
limit limits limitation limitations restriction restrictions constraint constraints
fail fails failed failure unresolved collapse collapsed stall stalled
campaign camp
flip flipped reverse reversed reverses reversal
task tasks job jobs chore chores
custom customized bespoke tailored special specialized
fight fought challenge challenged contest contested resist resisted oppose opposed
emphasize emphasized emphasise emphasised stress stressed highlight underscore underscored
break breaks breach breaches violate violates violation violations misuse misuses misused
account accounts login logins
complain complained complaint complaints beef concern concerns objection objections grievance
consider considers considered regard regards regarded view views viewed deem deemed see sees
think thinks consider considers view views
normal regular ordinary usual standard
unnecessary needless pointless
less fewer
win wins won victory victories favor favors favour favours
relay relayed relays convey conveyed
staff workers personnel
irony ironic ironically backfire backfires backfired counterproductive
label labeled labelled designate designated designation
wrong incorrect inaccurate erroneous mistaken
industry sector
shape shapes shaping influence influences influencing
revise revised revision revisions change changed
vendor vendors provider providers supplier suppliers
depend depends depending dependent rely relies relying reliant
blanket flat outright across-the-board
affiliated tied linked
refuse refuses refused refusal refusing reject rejects rejected rejection object objected
quote quoted quotes excerpt excerpts extract
section sections provision provisions clause clauses
fallout consequence consequences impact impacts implication implications repercussions
"""

# Words of the table that stand for the others only as verbs: "how was it spotted?" is told
# by "caught the activity", not by a policy's "without prior notice"
VERB_SENSE = frozenset(terms("notice favor"))  # "rulings partially favor Anthropic", not "in
# favor of"


def synonyms(term: str) -> frozenset[str]:
    """The stemmed terms of the words the table gives for `term` (itself not included)."""
    return _table().get(term, frozenset())


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in _GROUPS.strip().splitlines():
        group = frozenset(term for word in line.split() for term in terms(word))
        for term in group:
            table[term] = table.get(term, frozenset()) | (group - {term})
    return table
