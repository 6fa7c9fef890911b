"""Follow-up questions ("and when did that happen?", "what about Google?") rewritten into
standalone ones before retrieval, so each turn retrieves on its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_CONNECTOR = re.compile(r"^\s*(and|but|also|so|then|ok|okay)\b[\s,]*", re.IGNORECASE)
_SWAP = re.compile(
    r"^\s*(?:[Aa]nd\s+)?(?:[Ww]hat|[Hh]ow)\s+about\s+(?P<subject>.+?)\s*\??\s*$"
    r"|^\s*[Aa]nd\s+(?P<bare>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s*\?\s*$"
)
_REFERS_BACK = re.compile(
    r"\b(it|its|that|this|these|those|they|them|their|he|him|his|she|her|there|then)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][\w-]*")
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
FOLLOWING_UP = "(following up on:"
REWRITE_PROMPT = """Rewrite the user's last question as one standalone question that can be
understood without the conversation. Keep its meaning; do not answer it. Reply with the
question only.

Conversation so far:
{history}

Last question: {question}"""


def standalone(
    question: str,
    previous: Sequence[str],
    llm: Callable[[str], str] | None = None,
) -> str | None:
    """The standalone form of `question` given the earlier standalone questions, or None when
    it already stands alone. With `llm`, the model rewrites it (the rule-based rewrite is the
    fallback when the model fails)."""
    if not previous or not is_follow_up(question):
        return None
    if llm is not None:
        history = "\n".join(f"- {turn}" for turn in previous[-3:])
        try:
            rewritten = llm(REWRITE_PROMPT.format(history=history, question=question)).strip()
        except Exception:  # any model failure: fall back to the rule-based rewrite
            rewritten = ""
        if rewritten and len(rewritten) < 4 * len(question) + 200:
            return rewritten.splitlines()[0].strip()
    return rule_based(question, previous[-1])


def is_follow_up(question: str) -> bool:
    """Leans on an earlier turn: opens with a connector or "what about", or refers back
    ("it", "that", "they") without naming anything itself."""
    if _CONNECTOR.match(question) or _SWAP.match(question):
        return True
    return bool(_REFERS_BACK.search(question)) and not _names(question)


def _names(question: str) -> list[str]:
    """Capitalised words after the first that name something (not acronyms or dates)."""
    return [
        word
        for word in _NAME.findall(question)[1:]
        if not word.isupper() and word.lower() not in _CALENDAR
    ]


def rule_based(question: str, previous: str) -> str:
    """Rule: "what about X?" puts X in place of the previous question's first name; anything else
    is asked in the context of the previous question."""
    swap = _SWAP.match(question)
    if swap:
        subject = (swap.group("subject") or swap.group("bare")).strip()
        named = _names(previous)
        if named:
            return re.sub(rf"\b{re.escape(named[0])}\b", subject, previous, count=1)
        return f"{previous.rstrip('?')} — {subject}?"
    return f"{own_words(question)} {FOLLOWING_UP} {previous})"


def own_words(question: str) -> str:
    """The follow-up without its leading connector, as a question."""
    core = _CONNECTOR.sub("", question).strip()
    return core[:1].upper() + core[1:].rstrip("?").rstrip() + "?"


def split_context(standalone_question: str) -> tuple[str, str]:
    """(the follow-up's own question, the question it follows up on) of a rule-based
    rewrite; anything else is its own question with no context."""
    own, marker, rest = standalone_question.partition(f" {FOLLOWING_UP} ")
    return (own, rest.removesuffix(")")) if marker else (standalone_question, "")
