"""The organisations a page names as such ("the AI company Anthropic", "Anthropic's CEO",
"Anthropic, the company behind Claude"): the small entity tagger knows no newer company
("Anthropic" untagged 72 times of 86 in the bundled corpus, a person 11 times), so "which
company makes Claude?" was answered "OpenAI". Read from the page's own words, once a page."""

from __future__ import annotations

import re

_NAME = r"(?P<name>[A-Z][\w&-]*[a-zA-Z](?:[ \t]+[A-Z][\w&-]*[a-zA-Z]){0,2})"  # on one line
_KIND = (
    r"(?:company|companies|firm|startup|start-up|lab|laboratory|maker|developer|corporation"
    r"|provider|vendor|rival)"
)
_ROLE = (
    r"(?:CEO|chief executive|founders?|co-?founders?|employees|staff(?:ers?)?|spokesperson"
    r"|spokesman|spokeswoman|board|headquarters|models?|chatbot|engineers|researchers"
    r"|terms of service|products|automated systems|usage polic(?:y|ies)|API|AI tools)"
)
_CUES = (
    re.compile(rf"\b{_KIND}\s+{_NAME}"),  # "the AI company Anthropic"
    re.compile(
        rf"{_NAME}['’]s\s+(?:\w+\s+)?{_ROLE}\b"
    ),  # "Anthropic's CEO", "Anthropic's AI models"
    re.compile(
        rf"{_NAME},\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}{_KIND}\b"
    ),  # "Anthropic, the company"
)
# Words a cue's pattern takes for a name at a sentence's start or in a title
_NOT_NAMES = frozenset(
    "The This That These Those Its It Their His Her Our Your My A An And But Why How What When "
    "Where Who Which US U.S".split()
)


def org_names(text: str) -> frozenset[str]:
    """The names the text says are organisations, as written ("Anthropic")."""
    found: set[str] = set()
    for cue in _CUES:
        for match in cue.finditer(text):
            words = match["name"].split()
            while words and words[0] in _NOT_NAMES:
                words = words[1:]
            if words:
                found.add(" ".join(words))
    return frozenset(found)
