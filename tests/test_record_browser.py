"""An answer record's page in a real browser (Debian's Chromium driven by Playwright), served by
`footnote serve` after the documents it cites were edited and re-ingested: the warning and
each source's status show, nothing runs or loads from outside, a moved quote's link opens the
document with the quote marked where it is now, and the delete form (the one thing the page's
CSP lets post) deletes the record. Saves docs/record-page.png when asked to."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from tests.served import served
from tests.test_browser import LAPTOP, Watch
from tests.test_browser import browser as browser  # the fixture: one Chromium per module
from ui.record_page import CHANGED_WARNING
from ui.service import Service

QUESTION = "How do beavers get through the winter?"
DOCUMENTS = {
    "beaver-dams.txt": "Beaver dams\n\nBeavers build their dams from branches, stones and mud. "
    "In winter the dam keeps the pond deep enough that it never freezes to the bottom.\n",
    "beaver-lodges.txt": "Beaver lodges\n\nA beaver family lives in a lodge of sticks and mud "
    "with an underwater entrance. The lodge keeps the family warm through the winter.\n",
    "beaver-diet.txt": "What beavers eat\n\nBeavers eat bark, leaves and water plants. In autumn "
    "they store branches underwater near the lodge to eat in winter.\n",
    "beaver-range.txt": "Where beavers live\n\nThe Eurasian beaver was hunted almost to "
    "extinction by 1900. Beavers now live again in rivers across Europe.\n",
}
FATES = {
    "beaver-dams.txt": "moved",
    "beaver-lodges.txt": "removed",
    "beaver-diet.txt": "changed",
    "beaver-range.txt": "current",
}
PREFACE = "Second edition, revised by the river trust.\n\n"
# Set to a path (docs/record-page.png) to also save the docs' screenshot of a record page.
DOCS_SCREENSHOT = os.environ.get("FOOTNOTE_DOCS_RECORD_SCREENSHOT")


@dataclass
class Served:
    url: str
    shown: str  # the record to look at
    spare: str  # the record to delete
    cited: dict[str, str]  # each cited document's fate, by document


def _give_fates(docs: Path) -> None:
    dams = docs / "beaver-dams.txt"
    dams.write_text(PREFACE + dams.read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "beaver-lodges.txt").unlink()
    (docs / "beaver-diet.txt").write_text(
        "What beavers eat\n\nIn the cold months a beaver lives off a larder of sunken twigs.\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Two records of one answer, saved before the documents changed, then served."""
    docs = tmp_path_factory.mktemp("record-browser-docs")
    for name, text in DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("record-browser-store")
    settings = Settings(data_dir=data_dir)
    assistant = Assistant(settings)
    assert not ingest([docs], assistant.store, assistant.embed_model, settings).failed
    service = Service(assistant)
    answer = service.answer(QUESTION)
    shown, spare = (
        service.record(answer, datetime.now(UTC)).answer.record_id or "" for _ in range(2)
    )
    assert shown and spare, answer.notice
    cited = {c.source: FATES[c.source] for c in answer.citations}
    assert set(cited.values()) & {"moved", "changed", "removed"}, cited  # something to warn of
    service.database.dispose()
    _give_fates(docs)
    assert ingest([docs], assistant.store, assistant.embed_model, settings).removed
    with served(data_dir, tmp_path_factory.mktemp("record-browser-server")) as (url, _):
        yield Served(url, shown, spare, cited)


def test_a_record_page_warns_and_links_the_quote_where_it_is_now(
    server: Served, browser: Any, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 760})
    watch = Watch(page, server.url)
    page.goto(f"{server.url}answers/{server.shown}")
    warning = page.locator(".warning")
    assert warning.is_visible() and CHANGED_WARNING in warning.inner_text()
    statuses = page.locator(".status").all_inner_texts()
    assert [s.lower() for s in statuses] == list(server.cited.values())
    page.screenshot(path=str(tmp_path / "record-page.png"), full_page=True)
    if DOCS_SCREENSHOT:
        page.screenshot(path=DOCS_SCREENSHOT, full_page=True)

    if "beaver-dams.txt" in server.cited:  # the moved quote: marked where it is now
        item = page.locator("li", has_text="beaver-dams.txt")
        quote = item.locator("blockquote").inner_text()
        item.get_by_role("link", name="Open document").click()
        page.wait_for_url("**/document?**")
        marked = "".join(page.locator("mark").all_inner_texts())
        assert marked == quote and page.locator("#cited").is_visible()
    assert not (watch.dialogs or watch.errors or watch.outside), vars(watch)
    page.close()


def test_the_delete_form_deletes_the_record(server: Served, browser: Any) -> None:
    page = browser.new_page(viewport=LAPTOP)
    watch = Watch(page, server.url)
    page.goto(f"{server.url}answers/{server.spare}")
    page.get_by_role("button", name="Delete record").click()  # not ticked: nothing happens
    assert page.url.endswith(f"answers/{server.spare}")
    page.get_by_label("Delete this answer record for everyone").check()
    page.get_by_role("button", name="Delete record").click()
    page.wait_for_url(f"**/answers/{server.spare}/delete")
    assert "Answer record deleted" in page.locator("h1").inner_text()
    response = page.goto(f"{server.url}answers/{server.spare}")
    assert response is not None and response.status == 404
    assert "no answer record has this id" in page.content()
    unexpected = [e for e in watch.errors if "status of 404" not in e]  # the gone record's
    assert not (watch.dialogs or unexpected or watch.outside), vars(watch)
    page.close()
