"""Which parts of an HTML page a browser would not show, judged from the page's own CSS (<style>
blocks, style attributes and presentational attributes, cascaded by importance, origin,
specificity and order) for a desktop screen at rest: hidden text must never be stored, or it
could be quoted as if the page said it. What cannot be judged (external stylesheets, rules under
conditions we do not evaluate, values we cannot read) is reported, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bs4 import NavigableString, Tag

from ingest.css import (
    RGBA,
    ROOT_FONT_PX,
    Stylesheet,
    clip_path_hides,
    contrast,
    declarations,
    empty_rect,
    length_px,
    media_matches,
    number_or_percent,
    over,
    parse_color,
    parse_stylesheet,
    specificity,
    top_and_left,
)

OFF_SCREEN_PX = -500.0  # moved this far left or up, a box is off the page
MIN_FONT_PX = 2.0  # smaller text cannot be read
MIN_OPACITY = 0.1  # fainter text cannot be seen
MIN_CONTRAST = 1.1  # WCAG ratio under which text is the colour of its background
_BLACK: RGBA = (0.0, 0.0, 0.0, 1.0)
_WHITE: RGBA = (1.0, 1.0, 1.0, 1.0)
_RELEVANT = frozenset(
    {"display", "visibility", "content-visibility", "opacity", "filter", "transform"}
    | {"font", "font-size", "color", "background", "background-color", "background-image"}
    | {"position", "left", "top", "margin", "margin-left", "margin-top", "text-indent"}
    | {"clip", "clip-path", "width", "height", "max-width", "max-height"}
    | {"overflow", "overflow-x", "overflow-y", "padding", "padding-top", "padding-bottom"}
)
_FROM_PARENT = frozenset({"inherit", "unset", "revert", "revert-layer"})
_FONT_KEYWORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0}
_FONT_KEYWORDS |= {"large": 18.0, "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_FONT_SIZE = re.compile(
    r"(?:^|\s)([\d.]+(?:px|pt|pc|in|cm|mm|q|em|rem|ex|ch|vw|vh|%)|0|[a-z-]*small|[a-z-]*large"
    r"|medium)(?:/\S+)?\s+\S"
)
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*((?:[^()]|\([^()]*\))*))?\)")
_FUNCTION = re.compile(r"([a-z-]+\d?d?)\(([^()]*)\)")
_PSEUDO_ELEMENT = re.compile(r"::|:(?:before|after|first-line|first-letter)\b")
_NOT_RENDERED = frozenset({"head", "script", "style", "template", "noscript", "title"})
Verdict = bool | str  # True: hidden; False: shown; a string: cannot tell, and why
Declared = dict[int, dict[str, tuple[tuple[Any, ...], str]]]


@dataclass
class Hidden:
    """What the page's CSS hides: whole elements, an element's own text, what may be hidden
    (element and why), and page-wide problems (CSS we could not check)."""

    elements: list[Tag]
    strings: list[NavigableString]
    undecided: list[tuple[Tag, str]]
    problems: list[str]


@dataclass(frozen=True)
class _Inherited:
    """What an element passes to its children (`opacity` and the background act the same)."""

    color: RGBA | None
    visible: bool
    font_px: float | None
    indent_px: float
    opacity: float
    background: RGBA
    plain_background: bool  # a known colour, no image: text can be compared with it
    custom: dict[str, str]


_PAGE = _Inherited(_BLACK, True, ROOT_FONT_PX, 0.0, 1.0, _WHITE, True, {})


def find_hidden(soup: Any) -> Hidden:
    """Every element and text node of `soup` its own CSS hides (walking from the top, each
    element's style computed from its parent's)."""
    sheet = _page_stylesheet(soup)
    hidden = Hidden([], [], [], sheet.problems)
    declared = _cascade(soup, sheet, hidden)
    stack = [(tag, _PAGE) for tag in reversed(soup.find_all(True, recursive=False))]
    while stack:
        tag, parent = stack.pop()
        if tag.name in _NOT_RENDERED:
            continue
        values, custom = _values(declared.get(id(tag), {}), parent.custom)
        verdict = _box_hidden(tag, values, parent)
        if verdict is True:
            hidden.elements.append(tag)
            continue
        if verdict:
            hidden.undecided.append((tag, str(verdict)))
        state = _inherit(values, custom, parent)
        own = [c for c in tag.contents if type(c) is NavigableString and c.strip()]
        if own and (verdict := _text_hidden(state)) is True:
            hidden.strings.extend(own)
        elif own and verdict:
            hidden.undecided.append((tag, str(verdict)))
        children = [child for child in tag.contents if isinstance(child, Tag)]
        stack.extend((child, state) for child in reversed(children))
    return hidden


def _page_stylesheet(soup: Any) -> Stylesheet:
    """The rules of the page's <style> elements that apply on screen, in order; external
    stylesheets are problems (we never fetch anything)."""
    sheet = Stylesheet([], [])
    for element in soup.find_all(["style", "link"]):
        if element.find_parent(["template", "noscript"]):
            continue
        if element.name == "link":
            if "stylesheet" in [str(rel).lower() for rel in element.get("rel") or []]:
                sheet.problems.append(f"an external stylesheet ({element.get('href', '')})")
            continue
        media = str(element.get("media") or "all")
        holds = media_matches(media)
        if holds is not False:
            parse_stylesheet(element.get_text(), sheet, None if holds else f"@media {media}")
    return sheet


def _cascade(soup: Any, sheet: Stylesheet, hidden: Hidden) -> Declared:
    """For each element, the winning value of each property that can hide text."""
    declared: Declared = {}
    index = _Index(soup)
    order = 0
    for rule in sheet.rules:
        relevant = [d for d in rule.declarations if d[0] in _RELEVANT or d[0].startswith("--")]
        for selector in rule.selectors if relevant else ():
            if _PSEUDO_ELEMENT.search(selector) or not index.may_match(selector):
                continue
            try:
                tags = soup.select(selector)
            except Exception:  # soupsieve: a selector it does not support
                if _could_hide(relevant):
                    hidden.problems.append(f"a rule for {selector[:60]!r} we cannot evaluate")
                continue
            if rule.condition:
                if _could_hide(relevant):
                    hidden.undecided.extend((tag, f"a rule under {rule.condition}") for tag in tags)
                continue
            for offset, (name, value, important) in enumerate(relevant):
                layer = int(rule.layered == important)
                priority = (important, 0, layer, specificity(selector), order + offset)
                for tag in tags:
                    _declare(declared, tag, name, value, priority)
        order += len(relevant)
    for tag in soup.find_all(True):
        for name, value in _hints(tag):
            _declare(declared, tag, name, value, (False, 0, -1, (0, 0, 0), -1))
        for offset, (name, value, important) in enumerate(declarations(str(tag.get("style", "")))):
            if name in _RELEVANT or name.startswith("--"):
                _declare(declared, tag, name, value, (important, 1, 1, (0, 0, 0), order + offset))
    return declared


def _declare(
    declared: Declared, tag: Tag, name: str, value: str, priority: tuple[Any, ...]
) -> None:
    current = declared.setdefault(id(tag), {}).get(name)
    if current is None or priority >= current[0]:
        declared[id(tag)][name] = (priority, value)


def _hints(tag: Tag) -> list[tuple[str, str]]:
    """Old presentational attributes: <font color>, <body text>, bgcolor."""
    hints = []
    if tag.name == "font" and tag.get("color"):
        hints.append(("color", str(tag["color"]).lower()))
    if tag.name == "body" and tag.get("text"):
        hints.append(("color", str(tag["text"]).lower()))
    if tag.get("bgcolor"):
        hints.append(("background-color", str(tag["bgcolor"]).lower()))
    return hints


class _Index:
    """Names, classes and ids present: a selector whose last part needs one that is absent
    matches nothing, so it is not run (pages carry many rules for other pages)."""

    def __init__(self, soup: Any) -> None:
        self.names: set[str] = set()
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        for tag in soup.find_all(True):
            self.names.add(tag.name)
            self.classes.update(tag.get("class") or [])
            if tag.get("id"):
                self.ids.add(str(tag["id"]))

    def may_match(self, selector: str) -> bool:
        if "\\" in selector:
            return True
        simple, previous = selector, ""
        while simple != previous:
            previous, simple = simple, re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", simple)
        last = re.split(r"[\s>+~]+", simple.strip())[-1]
        name = re.match(r"[a-zA-Z][\w-]*", last)
        return (
            (name is None or name.group().lower() in self.names)
            and all(c in self.classes for c in re.findall(r"\.([\w-]+)", last))
            and all(i in self.ids for i in re.findall(r"#([\w-]+)", last))
        )


def _values(own: dict[str, tuple[Any, str]], inherited: dict[str, str]) -> tuple[dict, dict]:
    """An element's declared values with var() substituted, and its custom properties."""
    custom = inherited
    if any(name.startswith("--") for name in own):
        custom = {**inherited, **{n: v for n, (_, v) in own.items() if n.startswith("--")}}
    values = {}
    for name, (_, value) in own.items():
        if not name.startswith("--"):
            for _ in range(8):
                if "var(" not in value:
                    break
                value = _VAR.sub(lambda m: custom.get(m.group(1), m.group(2) or m.group(0)), value)
            values[name] = value.strip().lower()
    return values, custom


def _box_hidden(tag: Tag | None, values: dict[str, str], parent: _Inherited) -> Verdict:
    """Whether the element with everything in it is not shown."""
    if tag is not None and (
        tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or (tag.name == "dialog" and not tag.has_attr("open"))
    ):
        return True
    if values.get("display") == "none" or values.get("content-visibility") == "hidden":
        return True
    if _opacity(values, parent) < MIN_OPACITY or _transform_hides(values.get("transform", "")):
        return True
    positioned = values.get("position") in ("absolute", "fixed", "relative", "sticky")
    offsets = [values.get("left"), values.get("top")] if positioned else []
    offsets += [values.get("margin-left"), values.get("margin-top")]
    offsets += top_and_left(values.get("margin", ""))
    if any((px := length_px(o or "")) is not None and px <= OFF_SCREEN_PX for o in offsets):
        return True
    if values.get("position") in ("absolute", "fixed") and empty_rect(values.get("clip", "")):
        return True
    return clip_path_hides(values.get("clip-path", "none")) or _clipped_to_nothing(values)


def _opacity(values: dict[str, str], parent: _Inherited) -> float:
    own = number_or_percent(values.get("opacity", "1"))
    filtered = re.search(r"opacity\(([^)]*)\)", values.get("filter", ""))
    through = number_or_percent(filtered.group(1)) if filtered else 1.0
    return parent.opacity * (1.0 if own is None else own) * (1.0 if through is None else through)


def _transform_hides(transform: str) -> bool:
    for name, arguments in _FUNCTION.findall(transform):
        parts = [part for part in re.split(r"[\s,]+", arguments) if part]
        if name.startswith("scale") and any(number_or_percent(p) == 0 for p in parts):
            return True
        if name.startswith("translate") and any(
            (px := length_px(p)) is not None and px <= OFF_SCREEN_PX for p in parts
        ):
            return True
    return False


def _clipped_to_nothing(values: dict[str, str]) -> bool:
    """A box at most 1 px wide or high that clips what overflows it (not an aspect-ratio box,
    whose content lives in its padding)."""
    overflow = " ".join(values.get(k, "") for k in ("overflow", "overflow-x", "overflow-y"))
    if "hidden" not in overflow and "clip" not in overflow:
        return False
    padded = any(
        (px := length_px(p)) is None or px > 1
        for k in ("padding", "padding-top", "padding-bottom")
        for p in values.get(k, "0").split()
    )
    sizes = ["width", "max-width"] + ([] if padded else ["height", "max-height"])
    return any((px := length_px(values.get(k, ""))) is not None and px <= 1 for k in sizes)


def _inherit(values: dict[str, str], custom: dict[str, str], parent: _Inherited) -> _Inherited:
    """The inherited style of an element's own text and its children."""
    color = values.get("color", "inherit")
    visibility = values.get("visibility", "inherit")
    indent = values.get("text-indent", "inherit")
    background, plain = _background(values, parent)
    return _Inherited(
        color=parent.color
        if color in ("currentcolor", *_FROM_PARENT)
        else _BLACK
        if color == "initial"
        else parse_color(color),
        visible=parent.visible if visibility in _FROM_PARENT else visibility == "visible",
        font_px=_font_px(values, parent.font_px),
        indent_px=parent.indent_px if indent in _FROM_PARENT else length_px(indent) or 0.0,
        opacity=_opacity(values, parent),
        background=background,
        plain_background=plain,
        custom=custom,
    )


def _background(values: dict[str, str], parent: _Inherited) -> tuple[RGBA, bool]:
    """The colour behind the element's text, and whether it is a plain known colour."""
    shorthand = values.get("background", "")
    image = "url(" in shorthand or "gradient(" in shorthand
    image |= values.get("background-image", "none") not in ("none", "initial", "unset")
    color_value = values.get("background-color")
    if color_value is None and shorthand:
        words = re.findall(r"[a-z-]+\([^()]*\)|#[0-9a-f]+|[a-z-]+", shorthand)
        color_value = next((w for w in words if parse_color(w) is not None), None)
    color = parse_color(color_value) if color_value else None
    if color_value and color is None:  # a colour we cannot read
        return parent.background, False
    if color is None or color[3] == 0:
        return parent.background, parent.plain_background and not image
    return over(color, parent.background), not image and (color[3] == 1 or parent.plain_background)


def _font_px(values: dict[str, str], parent_px: float | None) -> float | None:
    value = values.get("font-size")
    if value is None and (shorthand := _FONT_SIZE.search(values.get("font", ""))):
        value = shorthand.group(1)
    if value is None or value in _FROM_PARENT:
        return parent_px
    if value in _FONT_KEYWORDS or value == "initial":
        return _FONT_KEYWORDS.get(value, ROOT_FONT_PX)
    if parent_px is None:
        return None
    if value in ("smaller", "larger"):
        return parent_px * (1.2 if value == "larger" else 1 / 1.2)
    bounded = re.fullmatch(r"(clamp|max)\((.*)\)", value)
    if bounded:
        sizes = [length_px(p, parent_px) for p in bounded.group(2).split(",")]
        known = [size for size in sizes if size is not None]
        if bounded.group(1) == "clamp" and sizes[0] is not None:
            return sizes[0]
        return max(known) if bounded.group(1) == "max" and known else None
    if value.endswith("%"):
        fraction = number_or_percent(value)
        return None if fraction is None else parent_px * fraction
    return length_px(value, parent_px)


def _text_hidden(state: _Inherited) -> Verdict:
    """Whether text with this inherited style cannot be seen."""
    if not state.visible or state.indent_px <= OFF_SCREEN_PX:
        return True
    if state.font_px is None:
        return "a font size we cannot evaluate"
    if state.font_px < MIN_FONT_PX:
        return True
    if state.color is None:
        return "a text colour we cannot evaluate"
    if state.color[3] < MIN_OPACITY:
        return True
    if contrast(over(state.color, state.background), state.background) < MIN_CONTRAST:
        return True if state.plain_background else "text the colour of its background (image)"
    return False


def _could_hide(relevant: list[tuple[str, str, bool]]) -> bool:
    """Whether these declarations alone would hide text on a plain page."""
    values = {name: value for name, value, _ in relevant if not name.startswith("--")}
    if _box_hidden(None, values, _PAGE) is True:
        return True
    return _text_hidden(_inherit(values, {}, _PAGE)) is True
