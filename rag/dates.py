"""A document's date for readers: the one its metadata states, else the one its text states
near the top ("Updated Jun 20, 2026", "Published: 2024-03-05"), marked as inferred so nobody
mistakes a date read from the page for the file's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rag.types import Document, publication_day

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
HEAD_CHARS = 1500  # of the body: bylines and "Updated ..." lines sit near the top
_MONTH = (  # Jun, June, Jun. (not "Marketing")
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
)
_WRITTEN = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
# A day ("Feb 27", "February 27th", "27 February", "the 3rd of March", "2026-02-27",
# "Friday"): what "on what exact date ...?" asks ("last year", "2026" give none)
DAY = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.IGNORECASE,
)
# A month of a year ("April 2026", "June 20, 2026"; a timeline's row "April 2026Direct ...")
MONTH_OF_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+(?:\d{1,2},\s+)?(?:19|20)\d\d",
    re.IGNORECASE,
)
# A date said to be the page's own: after "Updated", "Published", "Posted" or "Last modified"
# (no word boundary before them: page furniture runs words together, "1 sources citedUpdated").
_STAMPED = re.compile(
    rf"(?:updated|published|posted|last\s+modified|last\s+updated)\s*(?:on|:)?\s*({_WRITTEN})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentDate:
    """A document's day, and whether it was read from the text rather than the metadata."""

    day: date | None
    stated: str  # the metadata's date as written, when it is no readable day
    inferred: bool = False

    @property
    def iso(self) -> str:
        return self.day.isoformat() if self.day else self.stated

    @property
    def readable(self) -> str:
        """ "Jun 20, 2026": how the chat shows it."""
        return f"{self.day:%b} {self.day.day}, {self.day.year}" if self.day else self.stated


def _day(written: str) -> date | None:
    """The day of "Jun 20, 2026", "20 June 2026", "Sept. 3 2025" or "2026-06-20"."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
        return publication_day(written)
    words = re.findall(r"[A-Za-z]+|\d+", written)
    month = next((w for w in words if w.isalpha()), "")[:3].lower()
    day, year = [int(w) for w in words if w.isdigit()]
    try:
        return date(year, _MONTHS.index(month) + 1, day)
    except ValueError:  # 31 June, or no such month
        return None


def stated_in_text(text: str) -> date | None:
    """The first date the text gives as its own publication or update day, if any."""
    for match in _STAMPED.finditer(text):
        day = _day(match.group(1))
        if day is not None:
            return day
    return None


def document_date(document: Document) -> DocumentDate | None:
    """The metadata's date; else one stated near the top of the body, marked inferred."""
    if document.published and document.published.strip():
        stated = " ".join(document.published.split())[:40]
        return DocumentDate(publication_day(document.published), stated)
    head = document.text[document.body_start : document.body_start + HEAD_CHARS]
    day = stated_in_text(head)
    return DocumentDate(day, "", inferred=True) if day else None
