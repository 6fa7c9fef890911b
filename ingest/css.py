"""Just enough CSS to tell whether text is shown: stylesheets split into rules (with the at-rule
conditions they hold under, judged for a desktop screen at rest), declarations, selector
specificity, lengths in pixels and colours. Anything we cannot read is None, never a guess."""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass
from functools import lru_cache

RGBA = tuple[float, float, float, float]  # 0..1 each

# The screen pages are judged on: a desktop browser window, light colour scheme.
SCREEN_PX = {"width": 1280.0, "height": 800.0}
ROOT_FONT_PX = 16.0
_UNITS_PX = {
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 96 / 25.4,
    "q": 96 / 101.6,
    "rem": ROOT_FONT_PX,
    "vw": SCREEN_PX["width"] / 100,
    "vh": SCREEN_PX["height"] / 100,
    "vmin": SCREEN_PX["height"] / 100,
    "vmax": SCREEN_PX["width"] / 100,
}
_LENGTH = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)")
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_SPECIAL = re.compile(r"""[{};"'\\]""")
_AT_RULE = re.compile(r"@(-?[\w-]+)\s*(.*)", re.DOTALL)
_IMPORTANT = re.compile(r"!\s*important\s*$")
_DECLARATION_END = re.compile(r";(?![^(]*\))")
_IGNORED_AT_RULES = frozenset(
    {"font-face", "keyframes", "-webkit-keyframes", "page", "counter-style", "property"}
    | {"font-feature-values", "font-palette-values", "view-transition", "charset", "namespace"}
)
_FEATURE = re.compile(r"\(\s*(min-|max-)?(width|height)\s*:\s*([\d.]+)(px|em|rem)?\s*\)")
_RANGE = re.compile(r"\(\s*(width|height)\s*(<=|>=|<|>)\s*([\d.]+)(px|em|rem)?\s*\)")
_KNOWN_FEATURES = {
    "(orientation:landscape)": True,
    "(orientation:portrait)": False,
    "(prefers-color-scheme:light)": True,
    "(prefers-color-scheme:dark)": False,
    "(prefers-reduced-motion:no-preference)": True,
    "(prefers-reduced-motion:reduce)": False,
    "(hover:hover)": True,
    "(hover:none)": False,
    "(any-hover:hover)": True,
    "(pointer:fine)": True,
    "(pointer:coarse)": False,
    "(color)": True,
}
_OTHER_MEDIA = frozenset({"print", "speech", "tty", "tv", "projection", "handheld", "braille"})


@dataclass(frozen=True)
class Rule:
    """One style rule; `condition` is the at-rule it sits under when we cannot tell whether that
    holds (None: it applies)."""

    selectors: tuple[str, ...]
    declarations: tuple[tuple[str, str, bool], ...]  # property, value, !important
    condition: str | None
    layered: bool


@dataclass
class Stylesheet:
    """A page's rules in cascade order, and what in its CSS could not be checked."""

    rules: list[Rule]
    problems: list[str]


def parse_stylesheet(css: str, sheet: Stylesheet, condition: str | None = None) -> None:
    """Add the rules of one style sheet (or at-rule body) to `sheet`."""
    _add_rules(_COMMENT.sub(" ", css), sheet, condition, layered=False)


def _add_rules(css: str, sheet: Stylesheet, condition: str | None, layered: bool) -> None:
    for prelude, body in _blocks(css):
        at_rule = _AT_RULE.fullmatch(prelude)
        if at_rule is None:
            if body is not None and prelude:
                if "{" in body:
                    sheet.problems.append(f"nested CSS rules under {prelude[:60]!r}")
                sheet.rules.append(
                    Rule(tuple(split_list(prelude)), declarations(body), condition, layered)
                )
            continue
        name, rest = at_rule.group(1).lower(), " ".join(at_rule.group(2).split())
        if body is None:
            if name == "import":
                sheet.problems.append(f"an imported stylesheet ({rest[:80]})")
            continue
        if name in _IGNORED_AT_RULES:
            continue
        holds = media_matches(rest) if name == "media" else None
        if name == "supports" and not re.search(r"\bnot\b", rest):
            holds = True
        if name == "layer":
            _add_rules(body, sheet, condition, layered=True)
        elif holds is not False:
            _add_rules(body, sheet, condition if holds else condition or f"@{name} {rest}", layered)


def _blocks(css: str) -> list[tuple[str, str | None]]:
    """Top-level (prelude, body) pairs; body None for a statement ending in ';'."""
    items: list[tuple[str, str | None]] = []
    start = depth = body_start = position = 0
    while match := _SPECIAL.search(css, position):
        char, position = match.group(), match.end()
        if char == "\\":
            position += 1
        elif char in "\"'":
            closing = css.find(char, position)
            position = len(css) if closing < 0 else closing + 1
        elif char == "{":
            depth += 1
            if depth == 1:
                body_start = position
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                items.append((css[start : body_start - 1].strip(), css[body_start : position - 1]))
                start = position
        elif char == ";" and depth == 0:
            items.append((css[start : position - 1].strip(), None))
            start = position
    return items


def declarations(block: str) -> tuple[tuple[str, str, bool], ...]:
    """(property, value, important) for each declaration of a block or style attribute."""
    found = []
    for part in _DECLARATION_END.split(block):
        name, colon, value = part.partition(":")
        name = name.strip().lower()
        if not colon or not name or "{" in part:
            continue
        value = value.strip()
        important = bool(_IMPORTANT.search(value))
        value = _IMPORTANT.sub("", value).strip()
        found.append((name, value if name.startswith("--") else value.lower(), important))
    return tuple(found)


def split_list(text: str) -> list[str]:
    """Comma-separated items, commas inside brackets or quotes left alone."""
    items, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
    items.append(text[start:].strip())
    return [item for item in items if item]


def media_matches(query: str) -> bool | None:
    """Whether the desktop screen matches a media query list; None when we cannot tell."""
    results = []
    for part in split_list(query.lower()) or ["all"]:
        negate = part.startswith("not ")
        part = part.removeprefix("not ").removeprefix("only ").strip()
        truth: bool | None = True
        for term in re.split(r"\s+and\s+", part):
            term_truth = _media_term(term.strip())
            if term_truth is None or not term_truth:
                truth = term_truth
                break
        results.append(None if truth is None else truth != negate)
    if True in results:
        return True
    return False if all(result is False for result in results) else None


def _media_term(term: str) -> bool | None:
    if term in ("", "all", "screen"):
        return True
    if term in _OTHER_MEDIA:
        return False
    if feature := _FEATURE.fullmatch(term):
        bound, axis, number, unit = feature.groups()
        limit = float(number) * (ROOT_FONT_PX if unit in ("em", "rem") else 1.0)
        size = SCREEN_PX[axis]
        return size >= limit if bound == "min-" else size <= limit if bound else size == limit
    if ranged := _RANGE.fullmatch(term):
        axis, operator, number, unit = ranged.groups()
        limit = float(number) * (ROOT_FONT_PX if unit in ("em", "rem") else 1.0)
        size = SCREEN_PX[axis]
        return {"<": size < limit, ">": size > limit, "<=": size <= limit, ">=": size >= limit}[
            operator
        ]
    return _KNOWN_FEATURES.get(re.sub(r"\s+", "", term))


def specificity(selector: str) -> tuple[int, int, int]:
    """(ids, classes/attributes/pseudo-classes, types) of one selector, as browsers rank them."""
    text = re.sub(r"\[[^\]]*\]", "[]", selector)
    text = re.sub(r":where\((?:[^()]|\([^()]*\))*\)", "", text)
    text = re.sub(r":(?:not|is|has|matches|-webkit-any|-moz-any)\(", " ", text)
    ids = len(re.findall(r"#[\w-]+", text))
    classes = len(re.findall(r"\.[\w-]+|\[\]|(?<!:):(?!:)[\w-]+", text))
    types = len(re.findall(r"(?:^|[\s>+~(,])[a-zA-Z][\w-]*", text)) + text.count("::")
    return ids, classes, types


def top_and_left(margin: str) -> list[str]:
    """The top and left of a margin shorthand (one to four values)."""
    parts = margin.split()
    if not parts:
        return []
    return [parts[0], parts[{1: 0, 2: 1, 3: 1}.get(len(parts), 3)]]


def empty_rect(clip: str) -> bool:
    """Whether clip: rect(top, right, bottom, left) leaves nothing."""
    rect = re.fullmatch(r"rect\((.*)\)", clip.strip())
    if rect is None:
        return False
    sides = [length_px(part) for part in re.split(r"[\s,]+", rect.group(1).strip())]
    if len(sides) != 4 or any(side is None for side in sides):
        return False
    top, right, bottom, left = sides
    return bottom <= top or right <= left  # type: ignore[operator]


def clip_path_hides(clip_path: str) -> bool | str:
    """Whether a clip-path leaves nothing: True, False, or why we cannot tell."""
    if clip_path in ("none", "", "initial", "unset"):
        return False
    shape = re.fullmatch(r"(inset|circle|ellipse|polygon)\((.*)\)", clip_path)
    if shape is None:
        return f"clip-path: {clip_path[:40]}" if "url(" in clip_path else False
    kind, arguments = shape.group(1), shape.group(2)
    if kind == "polygon":
        return len(set(re.sub(r"\s+", " ", p.strip()) for p in arguments.split(","))) == 1
    sizes = [number_or_percent(p) for p in arguments.split(" at ")[0].split(" round ")[0].split()]
    if kind in ("circle", "ellipse"):
        return bool(sizes) and any(size == 0 for size in sizes)
    edges = [size for size in sizes if size is not None]
    if len(edges) != len(sizes) or not 1 <= len(edges) <= 4:
        return False
    top, right, bottom, left = {  # CSS's one-to-four-values shorthand
        1: lambda e: (e[0], e[0], e[0], e[0]),
        2: lambda e: (e[0], e[1], e[0], e[1]),
        3: lambda e: (e[0], e[1], e[2], e[1]),
        4: lambda e: tuple(e),
    }[len(edges)](edges)
    return top + bottom >= 1 or left + right >= 1


def length_px(value: str, font_px: float = ROOT_FONT_PX) -> float | None:
    """A CSS length in pixels (em relative to `font_px`); None for %, calc() or nonsense."""
    match = _LENGTH.fullmatch(value.strip())
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit in ("em", "ex", "ch"):
        return number * font_px * (1.0 if unit == "em" else 0.5)
    if unit in _UNITS_PX:
        return number * _UNITS_PX[unit]
    return number if not unit and number == 0 else None


def number_or_percent(value: str) -> float | None:
    """0.5 or 50% as a fraction."""
    match = _LENGTH.fullmatch(value.strip())
    if match is None or match.group(2) not in ("", "%"):
        return None
    return float(match.group(1)) / (100 if match.group(2) == "%" else 1)


def parse_color(value: str) -> RGBA | None:
    """A colour as RGBA fractions; None for what we cannot read (currentcolor is the caller's)."""
    value = value.strip()
    if value == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    if re.fullmatch(r"#[0-9a-f]{3,8}", value) and len(value) in (4, 5, 7, 9):
        digits = value[1:]
        if len(digits) <= 4:
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return (*channels[:3], channels[3] if len(channels) == 4 else 1.0)  # type: ignore[return-value]
    function = re.fullmatch(r"(rgba?|hsla?)\((.*)\)", value)
    if function:
        return _color_function(function.group(1), re.split(r"[\s,/]+", function.group(2).strip()))
    named = _named_colors().get(value)
    return None if named is None else (*named, 1.0)


def _color_function(kind: str, parts: list[str]) -> RGBA | None:
    if len(parts) not in (3, 4):
        return None
    alpha = number_or_percent(parts[3]) if len(parts) == 4 else 1.0
    if kind.startswith("rgb"):
        channels = [number_or_percent(part) for part in parts[:3]]
        if alpha is None or any(channel is None for channel in channels):
            return None
        scale = [1.0 if part.endswith("%") else 1 / 255 for part in parts[:3]]
        r, g, b = (min(max(c * s, 0.0), 1.0) for c, s in zip(channels, scale, strict=True))  # type: ignore[operator]
        return (r, g, b, min(max(alpha, 0.0), 1.0))
    hue = re.fullmatch(r"([+-]?[\d.]+)(deg)?", parts[0])
    saturation, lightness = number_or_percent(parts[1]), number_or_percent(parts[2])
    if hue is None or saturation is None or lightness is None or alpha is None:
        return None
    r, g, b = colorsys.hls_to_rgb(float(hue.group(1)) % 360 / 360, lightness, saturation)
    return (r, g, b, min(max(alpha, 0.0), 1.0))


@lru_cache(maxsize=1)
def _named_colors() -> dict[str, tuple[float, float, float]]:
    from matplotlib.colors import CSS4_COLORS, to_rgb

    return {name: to_rgb(hex_value) for name, hex_value in CSS4_COLORS.items()}


def over(top: RGBA, below: RGBA) -> RGBA:
    """`top` painted over an opaque `below`."""
    alpha = top[3]
    r, g, b = (top[i] * alpha + below[i] * (1 - alpha) for i in range(3))
    return (r, g, b, 1.0)


def contrast(one: RGBA, two: RGBA) -> float:
    """WCAG contrast ratio of two opaque colours: 1 (identical) to 21 (black on white)."""

    def luminance(color: RGBA) -> float:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in color[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
