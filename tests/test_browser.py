"""The served chat in a real browser (Debian's Chromium driven by Playwright), behind a login:
a question streams its answer and then its sources, a document carrying <script> and <img
onerror> runs nothing, the page fetches nothing from outside, an export downloads, a reader is
refused an upload and a manager uploads a document and then gets answers from it; the
conversation comes back after a reload until "New chat", the page fits a 1366x768 laptop
and a 390 px phone without sideways scrolling, and "Open document" under a source shows the
whole document with the cited span marked and in view (the hostile one running nothing).
Signing out is the chat's button (a link from another page to /logout only asks), and a tab
whose sign-in ended asks for it again at its next question."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from tests.served import served
from ui.users import add_user

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "no browser: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run does)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    "Zebra policy\n\n"
    "The zebra policy requires <script>alert('script ran')</script> approval by the board "
    "and <img src=x onerror=\"alert('img ran')\"> a signed form from the zebra keeper. "
    "![pixel](http://example.invalid/pixel.png)\n"
)
CEO_QUESTION = "Who is Anthropic's CEO?"
PASSWORDS = {
    "rita": "reader-secret-1",
    "max": "manager-secret-1",
    "mo": "manager-secret-2",
    "mia": "reader-secret-2",
    "dora": "reader-secret-3",
}
# One user per test, so a conversation restored on sign-in never leaks into another test.
ROLES = {"rita": "reader", "max": "manager", "mo": "manager", "mia": "reader", "dora": "reader"}
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LIGHTHOUSE = (
    "# Lighthouse keeping\n\n"
    "The Skerryvore lighthouse keeper winds the clockwork of the lamp every four hours.\n"
)
ZEBRA_QUESTION = "What does the zebra policy require?"
ANSWER_TIMEOUT_MS = 30_000
# Set to a path (e.g. docs/chat.png) to also save the README's screenshot of the chat.
DOCS_SCREENSHOT = os.environ.get("FOOTNOTE_DOCS_SCREENSHOT")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`footnote serve` over the bundled corpus plus one hostile document, with a users file
    holding a reader (rita) and a manager (max)."""
    docs = tmp_path_factory.mktemp("browser-docs")
    for path in CORPUS.iterdir():
        if path.is_file():
            shutil.copy(path, docs / path.name)
    (docs / "zebra.txt").write_text(HOSTILE, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("browser-store")
    settings = Settings(data_dir=data_dir)
    assistant = Assistant(settings)
    assert not ingest([docs], assistant.store, assistant.embed_model, settings).failed

    users = tmp_path_factory.mktemp("browser-users") / "users.toml"
    for name, role in ROLES.items():
        add_user(users, name, role, PASSWORDS[name])  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FOOTNOTE_AUTH_FILE", str(users))
        with served(data_dir, tmp_path_factory.mktemp("browser-server")) as (url, _):
            yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """Everything the page does that a hostile document might cause."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((base_url, "data:", "blob:"))
                else self.outside.append(request.url)
            ),
        )

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def _ask(page: Any, question: str, answers_before: int) -> Any:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function(
        """([n]) => {
            const bots = document.querySelectorAll('#chat [data-testid="bot"]');
            return bots.length > n && bots[n].innerText.includes('Sources');
        }""",
        arg=[answers_before],
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator('#chat [data-testid="bot"]').nth(answers_before)


def _login(page: Any, server: str, name: str) -> None:
    page.goto(server)
    page.get_by_label("username").fill(name)
    page.get_by_label("password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for()


def _upload(page: Any, path: Path) -> str:
    """Add a file on the Documents tab; the status line it gets."""
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    status = page.locator("#corpus-status")
    page.wait_for_function(
        """() => /Added|Updated|Unchanged|Refused|⚠/.test(
            document.querySelector('#corpus-status').innerText)""",
        timeout=ANSWER_TIMEOUT_MS,
    )
    return str(status.inner_text())


def test_chat_in_a_browser(server: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    watch = Watch(page, server)
    _login(page, server, "max")
    # Record every version of the chat's text, to see the answer arrive in pieces.
    page.evaluate(
        """() => {
            window.__chatTexts = [];
            const chat = document.querySelector('#chat');
            new MutationObserver(() => window.__chatTexts.push(chat.innerText))
                .observe(chat, {childList: true, subtree: true, characterData: true});
        }"""
    )

    first = _ask(page, CEO_QUESTION, 0)
    text = first.inner_text()
    assert "Amodei" in text
    assert "[1]" in text and "Sources" in text
    texts: list[str] = page.evaluate("() => window.__chatTexts")
    partial = [t for t in texts if "Amodei" in t and "Sources" not in t]
    assert len(partial) >= 2, "the answer did not stream"
    page.screenshot(path=str(tmp_path / "chat.png"))
    if DOCS_SCREENSHOT:
        page.screenshot(path=DOCS_SCREENSHOT, full_page=True)

    second = _ask(page, ZEBRA_QUESTION, 1)
    page.wait_for_timeout(1000)  # give anything that was going to run the time to run
    shown = second.inner_text()
    assert "<script>alert('script ran')</script>" in shown  # shown as text
    assert "onerror" in shown
    markup = page.evaluate(
        """() => {
            const chat = document.querySelector('#chat');
            return {
                scripts: chat.querySelectorAll('script').length,
                handlers: [...chat.querySelectorAll('*')]
                    .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                images: [...chat.querySelectorAll('img')].map(i => i.src),
            };
        }"""
    )
    assert markup == {"scripts": 0, "handlers": 0, "images": []}
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.outside == []

    # Thumbs down on the zebra answer, then an HTML export of it.
    page.locator('#chat button[aria-label="Dislike"]').nth(1).click()
    page.locator("#status").get_by_text("Thumbs down recorded.").wait_for()
    saved = _export_last(page, "HTML", tmp_path)
    assert saved.name.startswith("what-does-the-zebra-policy-require-")
    exported = saved.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;script ran&#x27;)&lt;/script&gt;" in exported
    assert "<script" not in exported.lower()
    page.screenshot(path=str(tmp_path / "chat-after.png"), full_page=True)
    assert watch.dialogs == [] and watch.errors == []
    page.close()


def test_readers_are_refused_uploads_managers_add_documents(
    server: str, browser: Any, tmp_path: Path
) -> None:
    document = tmp_path / "lighthouse.md"
    document.write_text(LIGHTHOUSE, encoding="utf-8")

    reader = browser.new_page(viewport={"width": 1100, "height": 900})
    _login(reader, server, "rita")
    status = _upload(reader, document)
    assert "only managers can add or delete documents" in status
    assert "signed in as 'rita' (reader)" in status
    assert "lighthouse.md" not in reader.locator("#documents").inner_text()
    reader.close()

    manager = browser.new_page(viewport={"width": 1100, "height": 900})
    watch = Watch(manager, server)
    _login(manager, server, "mo")
    status = _upload(manager, document)
    assert status.startswith("Added: lighthouse.md."), status
    manager.locator("#documents").get_by_text("lighthouse.md").wait_for()
    manager.get_by_role("tab", name="Chat").click()
    answer = _ask(manager, "How often does the Skerryvore keeper wind the lamp?", 0)
    text = answer.inner_text()
    assert "every four hours" in text and "lighthouse.md" in text
    assert watch.dialogs == [] and watch.errors == [] and watch.outside == []
    manager.close()


def _export_last(page: Any, kind: str, folder: Path) -> Path:
    """Export the last answer as `kind` from the page and save the download into `folder`."""
    page.get_by_role("radio", name=kind).check()
    page.locator("#export-last").click()
    link = page.locator("#download a").first
    link.wait_for()
    with page.expect_download() as download_info:
        link.click()
    saved = folder / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    return saved


def _bots(page: Any) -> Any:
    return page.locator('#chat [data-testid="bot"]')


def _fits(page: Any) -> dict[str, Any]:
    """What a person would see at once: sideways scrolling, and whether the question box and
    the Send button lie inside the window (without scrolling down)."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            const inside = (selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return box.width > 0 && box.left >= 0 && box.right <= innerWidth
                    && box.top >= 0 && box.bottom <= innerHeight;
            };
            return {
                scrollWidth: document.scrollingElement.scrollWidth,
                innerWidth: innerWidth,
                question: inside('#question textarea'),
                send: inside('#send'),
            };
        }"""
    )
    return result


def test_history_survives_a_reload_until_new_chat_and_fits_laptop_and_phone(
    server: str, browser: Any, tmp_path: Path
) -> None:
    page = browser.new_page(viewport=LAPTOP, accept_downloads=True)
    watch = Watch(page, server)
    _login(page, server, "mia")
    assert _bots(page).count() == 0
    first = _ask(page, CEO_QUESTION, 0)
    assert "Amodei" in first.inner_text()
    marker = first.locator("abbr.cite").first  # hovering [1] shows the passage it cites
    marker.hover()
    passage = marker.get_attribute("title")
    assert "Amodei" in passage and "002_1d2a244e035627a3.txt" in passage, passage
    page.locator('#chat button[aria-label="Like"]').first.click()
    page.locator("#status").get_by_text("Thumbs up recorded.").wait_for()
    laptop = _fits(page)
    assert laptop["scrollWidth"] <= laptop["innerWidth"], laptop
    assert laptop["question"] and laptop["send"], laptop
    first.get_by_text("Sources").scroll_into_view_if_needed()
    assert first.get_by_text("Sources").is_visible()
    page.screenshot(path=str(tmp_path / "laptop-1366x768.png"))

    # A reload shows the conversation again, and its answers can still be exported.
    page.reload()
    page.locator("#question textarea").wait_for()
    _bots(page).first.get_by_text("Sources").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert _bots(page).count() == 1
    assert "Amodei" in _bots(page).first.inner_text()
    assert CEO_QUESTION in page.locator('#chat [data-testid="user"]').first.inner_text()
    saved = _export_last(page, "Markdown", tmp_path)
    assert "Amodei" in saved.read_text(encoding="utf-8")

    # A phone-width window shows the same conversation, and nothing scrolls sideways.
    phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone_watch = Watch(phone, server)
    _login(phone, server, "mia")
    _bots(phone).first.get_by_text("Sources").wait_for(timeout=ANSWER_TIMEOUT_MS)
    fits = _fits(phone)
    assert fits["scrollWidth"] <= fits["innerWidth"], fits
    assert fits["question"] and fits["send"], fits
    phone.screenshot(path=str(tmp_path / "phone-390.png"), full_page=True)
    phone.close()

    # "New chat" clears it, for good: after another reload only a new question is there.
    page.get_by_role("button", name="New chat").click()
    page.wait_for_function(
        """() => document.querySelectorAll('#chat [data-testid="bot"]').length === 0"""
    )
    page.reload()
    page.locator("#question textarea").wait_for()
    answer = _ask(page, ZEBRA_QUESTION, 0)
    assert "zebra" in answer.inner_text().lower()
    assert _bots(page).count() == 1
    for seen in (watch, phone_watch):
        assert seen.dialogs == [] and seen.errors == [] and seen.outside == []
    page.close()


# Where the marked span lies, in the frame showing the document, and what the frame holds that
# could run or load something.
_IN_VIEW = """() => {
    const mark = document.getElementById('cited').getBoundingClientRect();
    const anything = [...document.querySelectorAll('*')];
    return {
        inView: mark.height > 0 && mark.top >= 0 && mark.bottom <= innerHeight,
        scrolled: scrollY,
        marked: [...document.querySelectorAll('mark')].map(m => m.textContent).join(''),
        text: document.querySelector('.text').textContent,
        scripts: document.querySelectorAll('script, iframe, object, embed, img').length,
        handlers: anything.filter(e => [...e.attributes].some(a => a.name.startsWith('on')))
            .length,
    };
}"""


def _document_frame(page: Any) -> Any:
    """The frame of the chat's document dialog, once its document has loaded."""
    page.locator("#document-viewer iframe").wait_for()
    page.wait_for_function(
        """() => {
            const frame = document.querySelector('#document-viewer iframe');
            const inner = frame && frame.contentDocument;
            return inner && inner.readyState === 'complete' && inner.getElementById('cited');
        }""",
        timeout=ANSWER_TIMEOUT_MS,
    )
    return next(f for f in page.frames if "/document?" in f.url)


def test_open_document_shows_the_cited_span_in_the_whole_document(
    server: str, browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    watch = Watch(page, server)
    _login(page, server, "dora")
    dialog = page.locator("#document-viewer")
    in_frame = page.frame_locator("#document-viewer iframe")

    # A long document opens scrolled down to the cited span, marked.
    first = _ask(page, CEO_QUESTION, 0)
    opener = first.get_by_role("link", name="Open document").first
    opener.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "sources-1366x768.png"))
    opener.click()
    dialog.wait_for(state="visible")
    seen = _document_frame(page).evaluate(_IN_VIEW)
    sync_api.expect(in_frame.locator("#cited")).to_be_in_viewport()
    assert seen["inView"] and seen["scrolled"] > 0, seen
    assert "Amodei" in seen["marked"]
    assert seen["text"] == (CORPUS / "002_1d2a244e035627a3.txt").read_text(encoding="utf-8")
    frame_box = page.locator("#document-viewer iframe").bounding_box()
    assert frame_box["y"] >= 0 and frame_box["y"] + frame_box["height"] <= LAPTOP["height"]
    fits = _fits(page)
    assert fits["scrollWidth"] <= fits["innerWidth"], fits
    page.screenshot(path=str(tmp_path / "document-1366x768.png"))
    page.locator("#document-close").click()
    dialog.wait_for(state="hidden")

    # The hostile document is shown as text: nothing in it runs or loads.
    second = _ask(page, ZEBRA_QUESTION, 1)
    link = second.get_by_role("link", name="Open document").first
    shared = str(link.get_attribute("href"))
    assert shared.startswith("document?source=zebra.txt&start=") and shared.endswith("#cited")
    link.click()
    dialog.wait_for(state="visible")
    frame = _document_frame(page)
    page.wait_for_timeout(1000)  # give anything that was going to run the time to run
    seen = frame.evaluate(_IN_VIEW)
    assert seen["inView"], seen
    assert seen["text"] == HOSTILE  # the whole stored text, as text
    assert "<script>alert('script ran')</script>" in seen["marked"]
    assert "onerror" in seen["marked"]
    assert (seen["scripts"], seen["handlers"]) == (0, 0)
    page.screenshot(path=str(tmp_path / "hostile-document-1366x768.png"))
    page.keyboard.press("Escape")  # Escape shuts it too
    dialog.wait_for(state="hidden")
    assert watch.dialogs == [] and watch.errors == [] and watch.outside == []

    # The link is a page of its own (to share, e.g. from an export) ...
    alone = context.new_page()
    alone_watch = Watch(alone, server)
    alone.goto(server + shared)
    sync_api.expect(alone.locator("#cited")).to_be_in_viewport()
    assert alone.evaluate(_IN_VIEW)["scripts"] == 0
    alone.get_by_role("link", name="Back to the chat").wait_for()
    assert alone_watch.dialogs == [] and alone_watch.errors == [] and alone_watch.outside == []
    context.close()

    # ... that wants the chat's sign-in.
    stranger = browser.new_page(viewport=LAPTOP)
    response = stranger.goto(server + shared)
    assert response is not None and response.status == 401
    assert "sign in to the chat first" in stranger.inner_text("body")
    assert "zebra keeper" not in stranger.content()
    stranger.close()


def test_sign_out_is_a_button_and_a_link_from_another_site_only_asks(
    server: str, browser: Any
) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page, other_tab = context.new_page(), context.new_page()
    watch = Watch(page, server)
    _login(page, server, "rita")
    # A page elsewhere sends the browser to /logout (its cookie goes along, SameSite=Lax) ...
    other_tab.goto(f"data:text/html,<a id=prize href='{server}logout'>You won!</a>")
    other_tab.click("#prize")
    other_tab.get_by_role("heading", name="Sign out of Footnote?").wait_for()
    other_tab.get_by_role("link", name="Back to the chat").click()
    other_tab.locator("#question textarea").wait_for()  # ... and she is still signed in
    # The chat's own button signs her out, there and in her other tab at its next question.
    other_tab.locator("#sign-out").get_by_role("button", name="Sign out").click()
    other_tab.get_by_label("username").wait_for()
    other_tab.reload()
    other_tab.get_by_label("username").wait_for()
    assert other_tab.locator("#question textarea").count() == 0
    page.locator("#question textarea").fill(CEO_QUESTION)
    page.locator("#send").click()
    page.get_by_label("username").wait_for()  # asked to sign in again
    assert watch.dialogs == [] and watch.outside == []
    context.close()
