"""Which language a question is written in. The documents are searched with English words and
an English embedding model, so a question in another language is told so by name instead of
getting a "not found" that blames the documents."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from rag.types import Answer

# The languages told apart (ISO 639-1 → English name). Restricting py3langid to widely written
# languages keeps rare look-alikes (Latin, Pidgin, Shona...) from claiming English questions
# that quote a foreign title or name (bench: tests/data/languages.jsonl, README figures).
LANGUAGE_NAMES = {
    "en": "English",
    "ar": "Arabic",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "gl": "Galician",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "ms": "Malay",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sr": "Serbian",
    "sv": "Swedish",
    "ta": "Tamil",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}
CONFIDENCE = 0.7  # below this probability a question is taken for English
# Capitalised words after the first are names ("Anthropic", "Pentágono"): they carry no
# language, and a foreign name in an English question must not make it foreign.
_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]*")
_LETTER = re.compile(r"[^\W\d_]")
_MIN_LETTERS = 8  # shorter questions ("Why?", "OK") are too short to judge
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model (shipped in its wheel; ~2 s to decompress, once per process)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGE_NAMES))
    return identifier


def identifier() -> Any:
    """The shared identifier, loaded by the first caller while the others wait."""
    with _LOCK:
        return _identifier()


def foreign_language(question: str) -> str | None:
    """The ISO 639-1 code of the language `question` is written in when that is confidently
    not English (names left out), else None."""
    text = _NAME.sub(" ", question)
    if len(_LETTER.findall(text)) < _MIN_LETTERS:
        return None
    code, probability = identifier().classify(text)
    return code if code != "en" and probability >= CONFIDENCE else None


def language_message(code: str) -> str:
    """What a user is told about a question in language `code`."""
    name = LANGUAGE_NAMES.get(code, code)
    return (
        f"This question seems to be in {name}. The documents are searched in English, so "
        "please ask in English."
    )


def in_other_language(answer: Answer, language: str) -> None:
    """A question that seems not to be in English says so by name: instead of "not found"
    when nothing was found, beside the answer when something was (the guess may be wrong)."""
    answer.language = language
    if answer.abstained:
        answer.answer = language_message(language)
    else:
        answer.notice = " ".join(filter(None, [answer.notice, language_message(language)]))
