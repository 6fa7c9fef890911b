"""Short glimpses of document text for the notes under an answer: Markdown link syntax read as
text (link text kept, addresses dropped), the cited words or the question's words marked, and
page furniture (menus, "Skip to content", link lists) never chosen as a closest passage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import sentence_spans, terms

CONTEXT_CHARS = 70  # of the text before and after the cited words
CITED_CHARS = 160  # of the cited words themselves, beyond which they are cut short
SENTENCE_CHARS = 280  # of a closest passage's best sentence
MIN_SENTENCE_WORDS = 6  # fewer: a heading, a menu item or a caption, not a passage
# What a reader should not see of the source syntax, and what each becomes.
_SYNTAX = re.compile(
    r"(?P<link>!?\[(?P<label>[^\]\n]*)\]\((?P<url>[^)\s]*)(?:\s+\"[^\"\n]*\")?\))"
    r"|(?P<url_only>\bhttps?://[^\s)\]>]+)"
    r"|(?P<escape>\\(?P<escaped>[\\`*_\[\]{}()#+\-.!|~$<>]))"
    r"|(?P<emphasis>\*\*|__)"
    r"|(?P<heading>^[ \t]*#{1,6}[ \t]+)"
    r"|(?P<space>\s+)",
    re.MULTILINE,
)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\s]*\)")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_FURNITURE = re.compile(r"skip to (?:main )?content|cookie|subscribe|sign in|log in", re.I)
_ENDS_A_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True)
class Piece:
    """A run of excerpt text, marked (the cited words, or a word of the question) or not."""

    text: str
    marked: bool = False


def _replacement(match: re.Match[str]) -> str:
    if match.group("link") is not None:
        return match.group("label")  # an image's alt text, a link's text: never its address
    if match.group("url_only") is not None:
        host = re.sub(r"^https?://(?:www\.)?", "", match.group("url_only"))
        return host.split("/", 1)[0]
    if match.group("escape") is not None:
        return match.group("escaped")
    return " " if match.group("space") is not None else ""


def readable(text: str) -> tuple[str, list[int], list[int]]:
    """`text` as a reader should see it, and where each offset of `text` (0 to len) went: the
    first list maps an offset inside a rewritten piece to that piece's start, the second to
    its end, so a span [start, end) maps to [first[start], second[end])."""
    out: list[str] = []
    size, starts, ends = 0, [], []
    cursor = 0
    for match in _SYNTAX.finditer(text):
        for _ in range(cursor, match.start()):
            starts.append(size)
            ends.append(size)
            size += 1
        out.append(text[cursor : match.start()])
        new = _replacement(match)
        starts += [size] * (match.end() - match.start())
        ends += [size] + [size + len(new)] * (match.end() - match.start() - 1)
        out.append(new)
        size += len(new)
        cursor = match.end()
    for _ in range(cursor, len(text)):
        starts.append(size)
        ends.append(size)
        size += 1
    out.append(text[cursor:])
    starts.append(size)
    ends.append(size)
    return "".join(out), starts, ends


def _left_context(plain: str, start: int, floor: int) -> str:
    """Up to CONTEXT_CHARS before `start` and after `floor` (its line's start), from a
    sentence or word start, "…" if cut."""
    window = plain[max(floor, start - CONTEXT_CHARS) : start]
    if start - len(window) == floor:
        return window.lstrip()
    sentence = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
    if sentence >= 0:
        return window[sentence + 2 :]
    space = window.find(" ")
    return "…" + window[space + 1 :] if space >= 0 else ""


def _right_context(plain: str, end: int, ceiling: int) -> str:
    """Up to CONTEXT_CHARS after `end` and before `ceiling` (its line's end), to a sentence
    or word end, "…" if cut."""
    window = plain[end : min(ceiling, end + CONTEXT_CHARS)]
    if end + len(window) >= ceiling:
        return window.rstrip()
    sentence = max(window.find(". "), window.find("? "), window.find("! "))
    if sentence >= 0:
        return window[: sentence + 1]
    space = window.rfind(" ")
    return window[:space] + "…" if space > 0 else ""


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)
    return text[: space if space > limit // 2 else limit].rstrip(",;: ") + "…"


def around(text: str, start: int, end: int) -> list[Piece]:
    """The words text[start:end] marked inside a little of the text around them on the same
    lines, all of it readable (link addresses and Markdown escapes gone)."""
    plain, starts, ends = readable(text)
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left, right = starts[start], ends[end]
    line_end = text.find("\n", end)  # the context stays on the cited words' lines: a
    floor = starts[text.rfind("\n", 0, start) + 1]  # caption or credit above is not shown
    ceiling = len(plain) if line_end < 0 else starts[line_end]
    cited = _shortened(plain[left:right].strip(), CITED_CHARS)
    pieces = [Piece(_left_context(plain, left, floor)), Piece(cited, True)]
    if not cited.endswith("…"):
        pieces.append(Piece(_right_context(plain, right, ceiling)))
    return [piece for piece in pieces if piece.text]


def is_furniture(sentence: str) -> bool:
    """Page furniture rather than prose: a menu, a skip link, a cookie or sign-in prompt, a
    heading, a caption, a line mostly made of links."""
    plain = readable(_IMAGE.sub("", sentence))[0].strip()
    linked = sum(len(m.group(0)) for m in re.finditer(r"\[[^\]\n]*\]\([^)\s]*\)", sentence))
    return (
        bool(_FURNITURE.search(plain))
        or len(_WORD.findall(plain)) < MIN_SENTENCE_WORDS
        or not _ENDS_A_SENTENCE.search(plain)
        or linked > len(sentence) / 2
    )


def _marked(sentence: str, wanted: set[str]) -> tuple[list[Piece], set[str]]:
    """The sentence cut into pieces, each word whose stem is wanted marked; the stems found."""
    pieces, found, cursor = [], set(), 0
    for word in _WORD.finditer(sentence):
        stems = set(terms(word.group(0)))
        if stems and stems <= wanted:
            pieces += [Piece(sentence[cursor : word.start()]), Piece(word.group(0), True)]
            found |= stems
            cursor = word.end()
    pieces.append(Piece(sentence[cursor:]))
    return [piece for piece in pieces if piece.text], found


def best_sentence(text: str, question: str) -> tuple[int, int, int, list[Piece]] | None:
    """The sentence of `text` (never furniture) sharing most content words with `question`:
    how many distinct ones it shares, its span in `text`, its pieces with those words marked;
    None when no sentence shares any."""
    wanted = set(terms(question))
    best: tuple[int, int, int, list[Piece]] | None = None
    for start, end in sentence_spans(text):
        if is_furniture(text[start:end]):
            continue
        sentence = _shortened(readable(text[start:end])[0].strip(), SENTENCE_CHARS)
        pieces, found = _marked(sentence, wanted)
        if found and (best is None or len(found) > best[0]):
            best = (len(found), start, end, pieces)
    return best


def question_words(question: str) -> list[str]:
    """The question's content words as typed (each once), for saying what was searched."""
    seen: dict[str, str] = {}
    for word in _WORD.findall(question):
        stems = terms(word)
        if stems and stems[0] not in seen:
            seen[stems[0]] = word
    return list(seen.values())
