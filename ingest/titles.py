"""A document's title when its file gives none: the first line that reads like a headline,
since web-page dumps start with navigation links."""

from __future__ import annotations

import re

_BOILERPLATE = re.compile(r"^\W*(skip to (main )?content|menu|search|home)\b", re.IGNORECASE)
_GLUED_WORDS = re.compile(r"[a-z]{3,}[A-Z][a-z]{2,}")


def guess_title(body: str) -> str | None:
    """The first line that reads like a headline (web-page dumps start with navigation);
    failing that, the first non-empty line."""
    lines = [line.strip().lstrip("#").strip() for line in body.splitlines() if line.strip()]
    for line in lines[:12]:
        words = line.split()
        if (
            3 <= len(words) <= 16
            and line[0].isupper()
            and not line.endswith((".", ":", ","))
            and not _BOILERPLATE.match(line)
            and not _GLUED_WORDS.search(line)
        ):
            return line
    return lines[0][:200] if lines else None
