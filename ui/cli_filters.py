"""The filter flags `footnote ask` and `footnote eval` share: which documents an answer may
draw on."""

from __future__ import annotations

from typing import Any

import click

from rag.types import DOCUMENT_TYPES, Filters, InvalidFilter

_FILTER_FLAGS = {"source": "--source", "after": "--after", "before": "--before", "types": "--type"}


def filter_options(command: Any) -> Any:
    """--source, --after, --before and --type: which documents the answer may draw on."""
    for option in reversed(
        [
            click.option(
                "--source",
                metavar="GLOB",
                help="Only documents whose file name matches this glob (`*.pdf`); without "
                "* ? or [ it matches names containing it, case-insensitively.",
            ),
            click.option(
                "--after",
                metavar="YYYY-MM-DD",
                help="Only documents published on or after this day (undated ones are left out).",
            ),
            click.option(
                "--before",
                metavar="YYYY-MM-DD",
                help="Only documents published on or before this day (undated ones are left out).",
            ),
            click.option(
                "--type",
                "types",
                multiple=True,
                metavar="TYPE",
                help=f"Only documents of this file type ({', '.join(DOCUMENT_TYPES)}); repeat "
                "for several.",
            ),
        ]
    ):
        command = option(command)
    return command


def parse_filters(
    source: str | None, after: str | None, before: str | None, types: tuple[str, ...]
) -> Filters:
    """The filter flags as Filters; a bad value is a usage error naming its flag."""
    try:
        return Filters.parse(source, after, before, types)
    except InvalidFilter as error:
        hint = " / ".join(_FILTER_FLAGS[field] for field in error.field.split(", "))
        raise click.BadParameter(error.reason, param_hint=f"'{hint}'") from None
