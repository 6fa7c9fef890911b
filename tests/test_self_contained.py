"""The repository carries everything its tests, examples and benchmarks read: a user's clone has
no team folder `shared` beside it (`..` + `/shared`)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A path that leaves the checkout for the team's shared folder, written either way.
OUTSIDE = re.compile(r"\.\./shared\b|parent\s*/\s*[\"']shared[\"']")
BENCH_SETS = ("covidqa", "clapnq", "hotpotqa", "musique")
THIS_FILE = Path(__file__).resolve()  # names the pattern it looks for


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name]


def test_no_tracked_file_refers_outside_the_checkout() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    offenders = []
    for path in tracked_files():
        if path.suffix in {".png", ".pdf", ".npz"} or not path.is_file() or path == THIS_FILE:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not offenders, "these refer to the team's shared folder:\n" + "\n".join(offenders)


def test_the_pattern_catches_both_spellings() -> None:
    assert OUTSIDE.search("footnote eval " + ".." + "/shared/eval/dev.jsonl")
    assert OUTSIDE.search('DEV = ROOT.parent / "shared" / "eval"')
    assert not OUTSIDE.search("a shared server")


@pytest.mark.parametrize("name", BENCH_SETS)
def test_each_benchmark_set_is_carried_with_its_source_and_licence(name: str) -> None:
    folder = ROOT / "bench" / "data" / name
    assert (folder / "SOURCE.md").is_file()
    assert (folder / "LICENSE").is_file()
    rows = [json.loads(line) for line in (folder / "questions.jsonl").open()]
    corpus = {path.name for path in (folder / "corpus").iterdir()}
    assert rows and corpus
    missing = {source for row in rows for source in row.get("gold_sources", [])} - corpus
    assert not missing, f"{name}: gold sources not in its corpus: {sorted(missing)[:5]}"


def test_the_dev_set_names_bundled_documents() -> None:
    rows = [json.loads(line) for line in (ROOT / "eval" / "dev.jsonl").open()]
    bundled = {path.name for path in (ROOT / "corpus").iterdir()}
    assert rows
    assert {source for row in rows for source in row["gold_sources"]} <= bundled
