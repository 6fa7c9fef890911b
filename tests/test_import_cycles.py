"""Imports point one way (ui -> ingest -> rag) and no module imports itself back through
others: tests/import_cycles.py checks it (`make lint` runs it too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_cycles import EXPECTED_CYCLES, cycles, import_graph, problems


def test_no_import_cycle_and_no_upward_import():
    assert problems() == []


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_check_finds_cycles_and_upward_imports(tmp_path):
    _write(
        tmp_path,
        {
            "rag/__init__.py": "",
            "rag/a.py": "from rag import b\n",
            "rag/b.py": "def later():\n    from rag.c import thing\n",
            "rag/c.py": "import rag.a\nfrom ingest.x import y\n",
            "rag/d.py": "import typing\nif typing.TYPE_CHECKING:\n    from rag.e import E\n",
            "rag/e.py": "from . import d\n",
            "ingest/__init__.py": "",
            "ingest/x.py": "from ui import app\n",
            "ui/__init__.py": "",
            "ui/app.py": "from rag.d import w\n",
        },
    )
    graph = import_graph(tmp_path)
    assert graph["rag.b"] == {"rag.c"}  # an import inside a function counts
    assert graph["rag.d"] == set()  # one for the type checker does not
    assert graph["rag.e"] == {"rag", "rag.d"}
    assert cycles(graph) == [frozenset({"rag.a", "rag.b", "rag.c"})]
    assert problems(tmp_path) == [
        "import cycle: rag.a <-> rag.b <-> rag.c",
        "upward import: ingest.x -> ui",
        "upward import: ingest.x -> ui.app",
        "upward import: rag.c -> ingest.x",
    ]


@pytest.mark.xfail(
    strict=True,
    reason="ui/app.py and ui/api.py import each other until branch seams-ui lands; when this "
    "passes, drop this mark and the pair from EXPECTED_CYCLES in tests/import_cycles.py",
)
def test_ui_app_and_ui_api_no_longer_import_each_other():
    found = cycles(import_graph())
    assert not [group for group in found if group in EXPECTED_CYCLES]
