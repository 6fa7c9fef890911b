"""Sentence spans and word terms, shared by chunking (ingest) and answering (rag)."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import Stemmer
import tiktoken

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr inc ltd co corp vs etc e.g i.e u.s u.k u.n no fig al gen sen "
    "rep gov lt col sgt capt jan feb mar apr jun jul aug sep sept oct nov dec approx".split()
)
_WORD = re.compile(r"[a-z0-9]+")
# A document's own numbered references ("[12]", "[3, 5]", "[7-9]"), which would read as our [n].
_REFERENCE_MARKER = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[0-9])(?=[A-Z])|['’]s\b")
# A name in camel case ("ConductAtlas", "YouTube"): split like glued words, and kept whole too.
_NEGATED = re.compile(r"(?:\b(?P<stem>wo|ca|sha))?n['’]t\b", re.IGNORECASE)
_NEGATED_STEMS = {"wo": "will", "ca": "can", "sha": "shall"}
_CAMEL_CASE = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
COMPOUND = re.compile(r"\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b")
_LATIN_LETTERS = re.compile("[\u00c0-\u024f]")  # Latin-1 Supplement to Latin Extended-B
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves according also s t many much
    isn aren wasn weren doesn didn hasn haven hadn shouldn couldn wouldn isnt arent wasnt werent
    doesnt didnt hasnt havent hadnt shouldnt couldnt wouldnt dont
    """.split()
)


# Words in quotation marks (eight characters or more, one line): what someone said or wrote.
QUOTATION = re.compile(r"[\"“]([^\"”\n]{8,400})[\"”]")


_TERM_QUOTED = re.compile(
    r"(?:[\"“‘]|(?<![\w’])')[^\"”'’\n\s]+(?:\s[^\"”'’\n\s]+){0,2}[\"”'’](?!\w)"
)  # an apostrophe ("Trump's aides' plan") opens no quote


_GIVES_CAUSE = re.compile(r"\b(?:because|due to|owing to|thanks to|caused by)\b", re.I)


def without_terms_quoted(text: str) -> str:
    """The text without the words of three or fewer it puts in quotes: a term it mentions
    ("warnings about "policy violations"" states no violation), not what it says."""
    return _TERM_QUOTED.sub(
        lambda quoted: quoted[0] if _GIVES_CAUSE.search(quoted[0]) else " ", text
    )


def without_reference_markers(text: str) -> str:
    """The text without its own bracketed reference numbers, so that a copied sentence (or an
    LLM reading the source) never mistakes a document's "[12]" for one of our citations."""
    return _REFERENCE_MARKER.sub("", text)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end]; lines are hard boundaries and every
    span is stripped of surrounding whitespace, so text[s:e] is exactly one clean sentence."""
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start, stop):
        cursor = line.start()
        for match in _SENTENCE_END.finditer(text, line.start(), line.end()):
            if _is_abbreviation(text, cursor, match.start()):
                continue
            _append_stripped(text, cursor, match.end(), spans)
            cursor = match.end()
        _append_stripped(text, cursor, line.end(), spans)
    return spans


def ends_in_abbreviation(sentence: str) -> bool:
    """The sentence's last word is an abbreviation or initial ("former U.S."): it ends no
    sentence, however the next word is capitalised."""
    return sentence.endswith(".") and _is_abbreviation(sentence, 0, len(sentence) - 1)


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = text[sentence_start:dot].rsplit(None, 1)[-1].lower() if dot > sentence_start else ""
    word = word.lstrip("(\"'“‘[")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _append_stripped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def terms(text: str) -> list[str]:
    """Stemmed content words for lexical matching. Accents are dropped ("naïve", "São Paulo"
    match them typed without: a letter outside a-z would split the word); words glued by page
    extraction ("2026Direct", "modelOngoing") are split first, a camel-case name
    ("ConductAtlas") is also one word, so the name typed as one ("conductatlas") finds it, and
    a hyphenated phrase ("run-in", "run-of-the-mill") is one word, not its parts."""
    if not text.isascii() and _LATIN_LETTERS.search(text):
        text = text.translate(_unaccented())
    text = COMPOUND.sub(_fixed_phrase, _CAMEL_CASE.sub(_also_whole, text))
    if "'" in text or "’" in text:  # "don't" is "do not", not the word "don"
        text = _NEGATED.sub(_not, text)
    words = _WORD.findall(_GLUED.sub(" ", text).lower())
    return _stemmer().stemWords([word for word in words if word not in STOPWORDS])


@lru_cache(maxsize=1)
def _unaccented() -> dict[int, str]:
    """Each accented Latin letter -> its letters without accents ("é" -> "e", "ß" -> "ss")."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    for letter, plain in zip(
        "ßæÆøØœŒłŁđĐþÞð", "ss ae AE o O oe OE l L d D th Th d".split(), strict=True
    ):
        table[ord(letter)] = plain
    return table


def _not(negated: re.Match[str]) -> str:
    stem = negated["stem"]
    return f"{_NEGATED_STEMS[stem.lower()]} not" if stem else " not"


def _also_whole(name: re.Match[str]) -> str:
    return f"{name[0]} {name[0].lower()}"


def _fixed_phrase(compound: re.Match[str]) -> str:
    """A hyphenated compound holding a function word ("run-in", "state-of-the-art") is a
    fixed phrase whose parts do not keep their own sense ("run-in" is no running): one word.
    Other compounds ("open-source", "AI-generated") keep their parts: each means itself."""
    parts = compound[0].split("-")
    if any(part.lower() in STOPWORDS for part in parts):
        return "".join(parts)
    return compound[0]


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """cl100k_base, read from llama-index's bundled cache (see rag/__init__.py)."""
    return tiktoken.get_encoding("cl100k_base")


# cl100k's first merges, the words most frequent in its training text (10,000 and 25,000
# tried on the bundled corpus's sets: 25,000 answered three more questions; docs/answers.md)
_EVERYDAY_PIECES = 25_000


def is_everyday(word: str) -> bool:
    """Whether a word is an everyday English word: cl100k_base holds it, after a space, as
    one of its first _EVERYDAY_PIECES pieces (byte-pair merges come in order of frequency:
    "person" 1732, "flavor" 17615; "hostile" 33615, "llama" 94776, "repainting" two pieces)."""
    pieces = encoding().encode_ordinary(f" {word}")
    return len(pieces) == 1 and pieces[0] < _EVERYDAY_PIECES


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


_LINK = re.compile(r"(!?)\[([^\[\]]*)\]\(\s*([^)\s]*)[^)]*\)")  # innermost: an image in a link
_LINK_ADDRESS = re.compile(r"^(?:https?://)?(?:www\.)?")
_GENERIC_LINK = re.compile(
    r"^(?:(?:a|an|the|this|that|these|those|his|her|its|their|our|my)\s+[a-z\s-]+"
    r"|here|click here|link|this link|source|more)$"
)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_LINE_MARKUP = re.compile(r"^(?:#{1,6}\s+|[-*+•·](?:\s+|$)|>\s*|\d+[.)](?:\s+|$))+")
_SPACES = re.compile(r"\s+")


def clean_for_display(quote: str) -> str:
    """Source text as answer prose: links and images as their text, no reference numbers, HTML
    tags, emphasis marks, list or heading markers, or line breaks. A link whose text only
    describes it ("a blog post", "here") keeps its address in brackets: only the address says
    which one."""
    text = _LINK.sub(_link_text, quote)
    text = without_reference_markers(_LINK.sub(_link_text, text))  # then the link around it
    text = html.unescape(_EMPHASIS.sub(r"\2", _HTML_TAG.sub("", text)))
    lines = [_LINE_MARKUP.sub("", line.strip()) for line in text.splitlines()]
    return _SPACES.sub(" ", " ".join(line for line in lines if line)).strip()


def _link_text(link: re.Match[str]) -> str:
    image, text, address = link.groups()
    text = text.strip()
    if image or not address or address.startswith("#") or not _GENERIC_LINK.match(text or "here"):
        return text
    return f"{text} ({_LINK_ADDRESS.sub('', address)})" if text else _LINK_ADDRESS.sub("", address)
