"""The README and docs/ stay true: every link resolves, every command, option, setting, path
and route they name exists, everything a user can call or set is documented, and the README
stays a five-minute read. Each failure lists exactly what is missing and where it belongs."""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import click
import pytest
from pydantic import SecretStr

from rag.evaluate import Question, summarise
from rag.settings import Settings
from rag.types import Answer
from ui.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_LINES = 200
PACKAGES = ("rag", "ingest", "ui")
# Top-level folders whose paths the docs may name in code (`rag/store.py`, `bench/data/`).
REPO_FOLDERS = ("rag", "ingest", "ui", "tests", "bench", "eval", "corpus", "docs")
SHELL_SEPARATORS = {"|", "||", "&&", ";", "&", ">", ">>", "<"}
SETTING = re.compile(r"\bFOOTNOTE_[A-Z0-9_]*[A-Z0-9]\b")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
INLINE_CODE = re.compile(r"`([^`]+)`")
FENCE = re.compile(r"^\s*```")


@dataclass(frozen=True)
class Code:
    """A piece of code in a page: an inline span or one logical line of a fenced block."""

    page: Path
    line: int
    text: str

    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def prose(text: str) -> str:
    """The page with its fenced blocks blanked (line numbers kept), for links and spans."""
    lines, inside = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            inside = not inside
            lines.append("")
        else:
            lines.append("" if inside else line)
    return "\n".join(lines)


@cache
def code_in(page: Path) -> tuple[Code, ...]:
    """Every inline code span (which may wrap across lines) and fenced-block line of a page;
    a block line ending in a backslash continues on the next."""
    text = page.read_text(encoding="utf-8")
    found: list[Code] = []
    inside, pending, start = False, "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            inside = not inside
            continue
        if inside:
            start = start or number
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            found.append(Code(page, start, pending + line))
            pending, start = "", 0
    outside = prose(text)
    for match in INLINE_CODE.finditer(outside):
        line = outside.count("\n", 0, match.start()) + 1
        found.append(Code(page, line, " ".join(match.group(1).split())))
    return tuple(found)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


@cache
def anchors(page: Path) -> frozenset[str]:
    """The anchors of a page's headings; a repeated heading gets -1, -2, ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for line in prose(page.read_text(encoding="utf-8")).splitlines():
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        if heading:
            base = slug(heading.group(1))
            found.add(f"{base}-{seen[base]}" if base in seen else base)
            seen[base] = seen.get(base, 0) + 1
    return frozenset(found)


def sections(page: Path) -> dict[str, str]:
    """Each heading's text (code marks removed) and the page's text under it, down to the
    next heading of the same or a higher level."""
    lines = page.read_text(encoding="utf-8").splitlines()
    outside = prose("\n".join(lines)).splitlines()
    heads = [
        (index, len(match.group(1)), match.group(2).replace("`", "").strip())
        for index, line in enumerate(outside)
        if (match := re.match(r"^(#{1,6})\s+(.*)$", line))
    ]
    found = {}
    for position, (index, level, title) in enumerate(heads):
        end = next((i for i, lvl, _ in heads[position + 1 :] if lvl <= level), len(lines))
        found[title] = "\n".join(lines[index + 1 : end])
    return found


def spans(text: str) -> set[str]:
    """The inline code spans of a piece of a page, whitespace collapsed."""
    return {" ".join(span.split()) for span in INLINE_CODE.findall(prose(text))}


def section(page: Path, title: str) -> str:
    found = sections(page)
    assert title in found, f"{page.relative_to(ROOT)} has no heading {title!r}"
    return found[title]


# -- the README ------------------------------------------------------------------------------


def test_readme_is_a_five_minute_read() -> None:
    count = len(README.read_text(encoding="utf-8").splitlines())
    assert count <= README_MAX_LINES, (
        f"README.md has {count} lines, over {README_MAX_LINES}: move detail into a docs/ page "
        "and link it"
    )


def test_readme_defines_the_data_dir_before_using_it() -> None:
    paragraphs = README.read_text(encoding="utf-8").split("\n\n")
    first = next(p for p in paragraphs if re.search(r"data dir|FOOTNOTE_DATA_DIR", p, re.I))
    assert "FOOTNOTE_DATA_DIR" in first and ".footnote" in first, (
        "README.md mentions the data dir before saying what it is; the first mention should "
        f"name FOOTNOTE_DATA_DIR and its default .footnote:\n{first}"
    )


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {
        (README.parent / target.split("#")[0]).resolve()
        for target in LINK.findall(prose(README.read_text(encoding="utf-8")))
    }
    missing = [p.relative_to(ROOT) for p in sorted(DOCS.glob("*.md")) if p.resolve() not in linked]
    assert not missing, f"add a link to each of these in README.md's Documentation list: {missing}"


# -- links and paths -------------------------------------------------------------------------


def broken_links(page: Path) -> Iterator[str]:
    text = prose(page.read_text(encoding="utf-8"))
    for number, line in enumerate(text.splitlines(), 1):
        for target in LINK.findall(INLINE_CODE.sub("", line)):
            if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
                continue
            path, _, fragment = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(ROOT)}:{number}: {target}"
            if not resolved.exists():
                yield f"{where} (no such file)"
            elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
                yield f"{where} (no heading with that anchor in {resolved.name})"


def test_every_relative_link_resolves() -> None:
    broken = [problem for page in pages() for problem in broken_links(page)]
    assert not broken, "broken links:\n" + "\n".join(broken)


def named_paths() -> Iterator[tuple[Code, str]]:
    """Repository paths written in code: `rag/store.py`, `bench/results/*.json`."""
    folders = "|".join(REPO_FOLDERS)
    for page in pages():
        for code in code_in(page):
            for token in re.split(r"[\s,;()\"'=]+", code.text):
                token = token.rstrip(".:")
                if re.match(rf"^(?:{folders})/[\w./*-]*$", token):
                    yield code, token


def test_every_path_named_in_code_exists() -> None:
    missing = [
        f"{code.where()}: {path}"
        for code, path in named_paths()
        if not (
            any(ROOT.glob(path))
            if "*" in path
            else (ROOT / path).exists() or (ROOT / f"{path}.py").exists()  # `rag/store`
        )
    ]
    assert not missing, "the docs name paths that do not exist:\n" + "\n".join(missing)


def test_every_module_is_in_the_architecture_page() -> None:
    named = spans((DOCS / "architecture.md").read_text(encoding="utf-8"))
    modules = [
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in sorted((ROOT / package).glob("*.py"))
        if path.name != "__init__.py"
    ]
    missing = [module for module in modules if module not in named]
    assert not missing, (
        "docs/architecture.md (Modules) does not describe these modules, named as "
        f"`pkg/module.py`: {missing}"
    )


# -- the CLI ---------------------------------------------------------------------------------


def commands(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command of the `footnote` click group, subcommands of groups included."""
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from commands(command, path)


def options(command: click.Command) -> set[str]:
    return {
        flag
        for param in command.params
        if isinstance(param, click.Option)
        for flag in (*param.opts, *param.secondary_opts)
    } | {"--help"}


def cli_mentions(code: Code) -> Iterator[str]:
    """Problems with each `footnote COMMAND ... --option` in a piece of code: an unknown
    command, or an option the command does not have."""
    try:
        tokens = shlex.split(code.text, comments=True)
    except ValueError:  # an unbalanced quote in prose-like code: plain words will do
        tokens = code.text.split()
    for index, token in enumerate(tokens):
        if token != "footnote" and not token.endswith("/footnote"):
            continue
        command: click.Command = cli
        path = ["footnote"]
        for word in tokens[index + 1 :]:
            if word in SHELL_SEPARATORS or word == "footnote" or word.endswith("/footnote"):
                break
            if isinstance(command, click.Group) and re.fullmatch(r"[a-z][a-z-]*", word):
                sub = command.commands.get(word)
                if sub is None:
                    yield f"{code.where()}: `{' '.join(path)} {word}` is no command"
                    break
                command, path = sub, [*path, word]
            elif word.startswith("--") and word.split("=")[0] not in options(command):
                yield f"{code.where()}: `{' '.join(path)}` has no option {word.split('=')[0]}"


def cli_section_mentions() -> Iterator[str]:
    """In docs/cli.md, every `--option` under a command's heading must be that command's."""
    known = {" ".join(("footnote", *path)): command for path, command in commands()}
    for title, body in sections(DOCS / "cli.md").items():
        command = known.get(title)
        if command is None:
            continue
        for span in spans(body):
            for flag in (word.split("=")[0] for word in span.split()):
                if flag.startswith("--") and flag not in options(command):
                    yield f"docs/cli.md, under {title}: {title} has no option {flag}"


def test_every_command_and_option_named_in_the_docs_exists() -> None:
    problems = [p for page in pages() for code in code_in(page) for p in cli_mentions(code)]
    problems += list(cli_section_mentions())
    assert not problems, "the docs name commands or options `footnote` lacks:\n" + "\n".join(
        problems
    )


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    found = sections(DOCS / "cli.md")
    missing = []
    for path, command in commands():
        if isinstance(command, click.Group):
            continue
        title = " ".join(("footnote", *path))
        if title not in found:
            missing.append(f"a heading ## `{title}`")
            continue
        named = {word for span in spans(found[title]) for word in span.split()}
        for param in command.params:
            if isinstance(param, click.Option):
                flag = max(param.opts, key=len)
                if flag not in named:
                    missing.append(f"`{flag}` under ## `{title}`")
    assert not missing, "docs/cli.md lacks (see `footnote ... --help`):\n" + "\n".join(missing)


# -- settings --------------------------------------------------------------------------------


def variable(field: str) -> str:
    return f"FOOTNOTE_{field.upper()}"


def settings_rows() -> dict[str, list[str]]:
    """The rows of docs/settings.md's tables whose first cell is a setting's variable."""
    rows = {}
    for line in (DOCS / "settings.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and SETTING.fullmatch(cells[0]):
            rows[cells[0]] = cells
    return rows


def not_settings() -> set[str]:
    """FOOTNOTE_* variables the code reads outside Settings, listed under "Not settings"."""
    return set(SETTING.findall(section(DOCS / "settings.md", "Not settings")))


def test_every_setting_named_in_the_docs_exists() -> None:
    fields = {variable(name) for name in Settings.model_fields}
    extra = not_settings()
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in (*PACKAGES, "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "test_docs.py"
    )
    unread = sorted(name for name in extra if name not in source)
    assert not unread, f"docs/settings.md lists variables no code reads: {unread}"
    unknown = [
        f"{page.relative_to(ROOT)}: {name}"
        for page in pages()
        for name in sorted(set(SETTING.findall(page.read_text(encoding="utf-8"))))
        if name not in fields and name not in extra
    ]
    assert not unknown, "the docs name settings rag.settings.Settings lacks:\n" + "\n".join(unknown)


def shown(value: object) -> str:
    """A default as docs/settings.md writes it."""
    if value is None or value == []:
        return "none"
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value)


def same_default(documented: str, actual: object) -> bool:
    try:
        return float(documented) == float(shown(actual))
    except ValueError:
        return documented == shown(actual)


def test_every_setting_is_in_the_settings_reference() -> None:
    rows = settings_rows()
    problems = []
    for name, field in Settings.model_fields.items():
        row = rows.get(variable(name))
        default = field.get_default(call_default_factory=True)
        if row is None or len(row) < 4:
            problems.append(f"no row `{variable(name)}` | `{name}` | `{shown(default)}` | meaning")
        elif row[1] != name or not same_default(row[2], default):
            problems.append(
                f"{variable(name)}: documented as field {row[1]!r}, default {row[2]!r}; "
                f"Settings has {name!r}, default {shown(default)!r}"
            )
    assert not problems, "docs/settings.md is out of step with rag/settings.py:\n" + "\n".join(
        problems
    )


# -- formats and the API ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "names"),
    [
        ("Question sets", sorted(Question.model_fields)),
        ("Answer", sorted(Answer.model_fields)),
        ("Eval metrics", sorted(summarise([]))),
    ],
)
def test_every_field_and_metric_is_in_the_formats_page(heading: str, names: list[str]) -> None:
    named = spans(section(DOCS / "formats.md", heading))
    named |= {word.strip(",") for span in named for word in span.split()}
    missing = [name for name in names if name not in named]
    assert not missing, f"docs/formats.md, {heading}, lacks `{'`, `'.join(missing)}`"


def test_every_api_route_is_in_the_api_page(tmp_path: Path) -> None:
    from rag.assistant import Assistant
    from ui.server import create_app

    api = create_app(Assistant(Settings(data_dir=tmp_path)))
    routes = [  # from the OpenAPI spec: FastAPI lists included routers' routes lazily
        f"{method.upper()} {path}"  # /api/documents/{source}
        for path, methods in api.openapi()["paths"].items()
        for method in sorted(methods)
    ]
    assert "POST /api/ask" in routes, routes
    named = spans(section(DOCS / "api.md", "Routes"))
    missing = [route for route in routes if route not in named]
    assert not missing, f"docs/api.md (Routes) lacks `{'`, `'.join(missing)}`"


def test_the_checks_read_commands_and_anchors_as_meant() -> None:
    def problems(text: str) -> list[str]:
        return list(cli_mentions(Code(README, 1, text)))

    assert problems(".venv/bin/footnote ingest --nope corpus/")
    assert problems("footnote frobnicate")
    assert problems('echo "$PASSWORD" | footnote user add bob --password-stdin --role x --bad')
    assert not problems('footnote ask "Who is Anthropic\'s CEO?" --json --type pdf')
    assert not problems("footnote: error: store is busy")  # an error message, not a command
    assert not problems("footnote ingest corpus/ | grep added --count")  # not footnote's option
    assert slug("`footnote feedback export`") == "footnote-feedback-export"
    assert slug("Crash safety and the writer lock") == "crash-safety-and-the-writer-lock"
