"""The CSS reader behind hidden-text detection: rules survive comments, strings and at-rules;
media queries are judged for a desktop screen; specificity and colours as browsers read them."""

from __future__ import annotations

import pytest

from ingest.css import Stylesheet, media_matches, parse_color, parse_stylesheet, specificity


def test_stylesheets_split_into_rules_with_their_conditions():
    sheet = Stylesheet([], [])
    parse_stylesheet(
        """@charset "utf-8"; @import url("a.css");
        /* .gone { display: none } */
        a[title="}{"]::after { content: "}"; color: red }
        .x, .y > p { DISPLAY: None !important; --Paper: #FFF; background: url(data:a;b) }
        @font-face { font-family: x; src: url(x.woff) }
        @media print { .p { display: none } }
        @media (min-width: 600px) and (max-width: 2000px) { .d { opacity: 0 } }
        @supports not (display: grid) { .s { display: none } }
        @layer base { .l { color: red } }""",
        sheet,
    )
    assert sheet.problems == ['an imported stylesheet (url("a.css"))']
    rules = [(r.selectors, r.declarations, r.condition, r.layered) for r in sheet.rules]
    assert rules == [
        (
            ('a[title="}{"]::after',),
            (("content", '"}"', False), ("color", "red", False)),
            None,
            False,
        ),
        (
            (".x", ".y > p"),
            (
                ("display", "none", True),
                ("--paper", "#FFF", False),
                ("background", "url(data:a;b)", False),
            ),
            None,
            False,
        ),
        ((".d",), (("opacity", "0", False),), None, False),
        ((".s",), (("display", "none", False),), "@supports not (display: grid)", False),
        ((".l",), (("color", "red", False),), None, True),
    ]


@pytest.mark.parametrize(
    "query, matches",
    [
        ("all", True),
        ("screen and (min-width: 1024px)", True),
        ("(max-width: 40em)", False),
        ("print", False),
        ("print, (width >= 1200px)", True),
        ("not print", True),
        ("(prefers-color-scheme: dark)", False),
        ("(min-resolution: 2dppx)", None),
        ("print, (min-resolution: 2dppx)", None),
    ],
)
def test_media_queries_are_judged_for_a_desktop_screen(query, matches):
    assert media_matches(query) is matches


def test_specificity_and_colours_read_as_browsers_do():
    assert specificity("#main p.note[data-x] a:hover") == (1, 3, 2)
    assert specificity(":where(#a) .b") == (0, 1, 0)
    assert specificity("li:not(.done)::before") == (0, 1, 2)
    assert parse_color("#fff") == parse_color("white") == parse_color("rgb(100%, 100%, 100%)")
    assert parse_color("hsl(0 0% 100% / 0.5)") == (1.0, 1.0, 1.0, 0.5)
    assert parse_color("#00000080") == (0.0, 0.0, 0.0, 128 / 255)
    assert parse_color("transparent") == (0.0, 0.0, 0.0, 0.0)
    assert parse_color("oklch(1 0 0)") is None and parse_color("#ffff0") is None
