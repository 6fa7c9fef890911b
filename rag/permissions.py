"""Questions asking whether someone may do something ("client's a house campaign, can they run
fundraising emails thru claude?", "is a campaign allowed to ...?"): the rule answers them
("Anthropic's terms of service explicitly prohibit ..."), though it names none of the
question's particulars, not the story of someone who did it."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.said import shown_units
from rag.text import terms

# "can they run fundraising emails thru claude?", "is a campaign allowed to ...": the rule (of
# someone who would use a tool: not "could the talks run past friday?")
PERMISSION_ASKED = re.compile(
    r"(?:^|[,;:]\s)\W*(?:(?:so|but|and|ok|okay)\W+)?(?:can|could|may)\s+(?:i|we|they|campaigns|clients"
    r"|customers|candidates|users|staff|people|(?:a|the|our|my)\s+(?:[\w'’-]+\s+)?(?:campaign|client"
    r"|customer|candidate|user|team))\s+(?:[\w'’-]+\s+)?(?:use|run|send|generate|write|draft)\b"
    r"|\b(?:is|are)\s+[^?]{1,40}?\s+(?:allowed|permitted)\s+to\b"
    r"|^\W*is\s+it\s+(?:ok|okay|allowed|permitted|fine)\s+(?:to|for)\b",
    re.IGNORECASE,
)
_RULE = re.compile(
    r"\b(?:prohibit\w*|forbid\w*|bans?\s+(?:on|all|everyone)|banned\s+from|(?:not|never)\s+"
    r"(?:allowed|permitted)|(?:may|must|cannot)\s+not|terms\s+of\s+service|usage\s+polic(?:y|ies)"
    r"|strict\s+ban|isn['’]t\s+for\s+hire)\b",
    re.IGNORECASE,
)
PERMISSION_WORDS = frozenset(terms("allowed permitted ok okay fine"))


def states_rule(block: Block) -> bool:
    """A shown sentence of the block states a rule: what is prohibited, not allowed, banned."""
    outline = block.lead.outline
    return any(_RULE.search(outline.unit_text(i)) for i in shown_units(block))
