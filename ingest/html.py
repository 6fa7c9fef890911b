"""An HTML page's main content as blocks of text, with its title, address and date: scripts,
navigation, page header and footer, asides and whatever the page's own CSS hides never reach
it; CSS we could not check becomes a warning that the page may hold hidden text."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from ingest.visibility import find_hidden

_SPACES = re.compile(r"\s+")
_NOISE = ["script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "form"]
_BLOCKS = [
    *("p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "tr", "figure", "figcaption", "address", "details", "summary", "hr"),
]
_REASONS_SHOWN = 3


@dataclass
class HtmlPage:
    """What a page says: its visible main content, one block per paragraph, and metadata."""

    blocks: list[str]
    title: str = ""
    url: str = ""
    published: str = ""
    warnings: list[str] = field(default_factory=list)


def read_html(raw: bytes) -> HtmlPage:
    """The page's visible main content and metadata (see the module docstring)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(raw, "lxml")
    page = _metadata(soup)
    hidden = find_hidden(soup)
    for tag in hidden.elements:
        tag.decompose()
    for string in hidden.strings:
        string.extract()
    articles = soup.find_all("article")
    root = soup.find("main") or (articles[0] if len(articles) == 1 else None) or soup.body or soup
    for tag in root.find_all(_NOISE):
        tag.decompose()
    for tag in root.find_all(["header", "footer"]):
        if not tag.decomposed and tag.find_parent(["article", "main", "section"]) is None:
            tag.decompose()
    reasons = [*hidden.problems, *_still_shown(hidden.undecided, root)]
    if reasons:
        more = len(reasons) - _REASONS_SHOWN
        page.warnings.append(
            "may hold hidden text: "
            + "; ".join(dict.fromkeys(reasons[:_REASONS_SHOWN]))
            + (f"; and {more} more" if more > 0 else "")
        )
    for string in root.find_all(string=True):
        if type(string) is NavigableString:  # a line break in the source is just a space
            string.replace_with(_SPACES.sub(" ", string))
        else:  # comments, doctype, CDATA
            string.extract()
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCKS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    for cell in root.find_all(["td", "th"]):
        if cell.find_previous_sibling(["td", "th"]):
            cell.insert_before(" | ")
    page.blocks = root.get_text().split("\n\n")
    return page


def _metadata(soup: Any) -> HtmlPage:
    """Title (og:title, else <title>), canonical address and publication date."""
    title = _meta(soup, "og:title") or (
        " ".join(soup.title.get_text().split()) if soup.title else ""
    )
    canonical = soup.find("link", rel="canonical")
    time_tag = soup.find("time", datetime=True)
    published = _meta(soup, "article:published_time") or _meta(soup, "date")
    if not published and isinstance(time_tag, Tag):
        published = str(time_tag["datetime"]).strip()
    url = str(canonical.get("href") or "") if isinstance(canonical, Tag) else ""
    return HtmlPage([], title, url.strip() or _meta(soup, "og:url"), published)


def _meta(soup: Any, name: str) -> str:
    """The content of <meta property=name> or <meta name=name>, or ''."""
    for attribute in ("property", "name"):
        tag = soup.find("meta", attrs={attribute: name, "content": True})
        if tag is not None:
            return str(tag["content"]).strip()
    return ""


def _still_shown(undecided: list[tuple[Any, str]], root: Any) -> list[str]:
    """Why text we kept may be hidden: for each undecided element still in the main content
    and holding text, the reason and the element (never its text: it may be the hidden part)."""
    reasons = []
    for tag, why in undecided:
        if tag.decomposed or (tag is not root and all(p is not root for p in tag.parents)):
            continue
        if tag.get_text().strip():
            reasons.append(f"{why} on {_describe(tag)}")
    return reasons


def _describe(tag: Any) -> str:
    """<p id="x" class="a b">, attribute values cut short."""
    attributes = "".join(
        f' {name}="{" ".join(value) if isinstance(value, list) else value}"'[:40]
        for name, value in tag.attrs.items()
        if name in ("id", "class")
    )
    return f"<{tag.name}{attributes}>"
