"""The served chat in a real browser (Debian's Chromium driven by Playwright), behind a login,
checked as a person would use it: the first screen says what the documents are and a suggested
question answers when clicked; Send is disabled on an empty box; after an answer the question
and the start of its answer are in view; sources are titled cards (no hashed file names, no raw
link syntax); clicking [1] (or pressing Enter on it) opens the document at the marked span; a
document carrying <script> and <img onerror> runs nothing and the page fetches nothing from
outside; an answer's own export link downloads it; a reader is refused an upload and a manager
uploads a document and gets answers from it; the conversation comes back after a reload until
"New chat"; the page fits a 1366x768 laptop and a 390 px phone (full-width messages, the
documents as a list); before any answer the settings are folded away (no engine choice with
one engine), nothing can be exported or rated and Gradio's footer is hidden; an unanswerable
question shows what was searched and real sentences with its words marked, never page
furniture. Signing out is the chat's button (a link from another page to /logout only asks),
and a tab whose sign-in ended asks for it again at its next question."""

from __future__ import annotations

import os
import re
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
    "abe": "reader-secret-4",
}
# One user per test, so a conversation restored on sign-in never leaks into another test.
ROLES = {
    "rita": "reader",
    "max": "manager",
    "mo": "manager",
    "mia": "reader",
    "dora": "reader",
    "abe": "reader",
}
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LIGHTHOUSE = (
    "# Lighthouse keeping\n\n"
    "The Skerryvore lighthouse keeper winds the clockwork of the lamp every four hours.\n"
)
ZEBRA_QUESTION = "What does the zebra policy require?"
ANSWER_TIMEOUT_MS = 30_000
# Set to a path (e.g. docs/chat.png) to also save the README's screenshot of the chat at
# 1366x768 there, and the phone's (390x844) beside it (docs/chat-phone.png).
DOCS_SCREENSHOT = os.environ.get("FOOTNOTE_DOCS_SCREENSHOT")
HASHED_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")  # the bundled corpus's file names
LINK_SYNTAX = re.compile(r"\]\(|\[[^\]]*\]\(https?:")
# What a closest passage must never be: navigation, link lists, a document's markup.
FURNITURE = re.compile(r"skip to (main )?content|\]\(|\(#main\)|^\s*(menu|home|share)\b", re.I)


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
        page.on("console", self._console)
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((base_url, "data:", "blob:"))
                else self.outside.append(request.url)
            ),
        )

    def _console(self, message: Any) -> None:
        """An error logged by the page; not Gradio's client aborting its own event stream when
        the page reloads ("AbortError: signal is aborted", seen under load): no fault."""
        if message.type == "error" and not message.text.startswith("AbortError"):
            self.errors.append(f"console: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


# The n-th answer has arrived: a checked answer (not an LLM's draft) or a warning.
_ANSWERED = """([n]) => {
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    return bots.length > n && (bots[n].querySelector('.fn-answer:not(.fn-draft)')
        || bots[n].innerText.startsWith('⚠'));
}"""


def _ask(page: Any, question: str, answers_before: int) -> Any:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function(_ANSWERED, arg=[answers_before], timeout=ANSWER_TIMEOUT_MS)
    return page.locator('#chat [data-testid="bot"]').nth(answers_before)


# Where the newest question and the start of its answer are: inside the window and inside the
# conversation's visible part (what a person sees without scrolling).
_LATEST_IN_VIEW = """() => {
    const asked = [...document.querySelectorAll('#chat [data-testid="user"]')].pop();
    const answer = [...document.querySelectorAll('#chat [data-testid="bot"]')].pop();
    const log = document.querySelector('#chat [role="log"]').getBoundingClientRect();
    const seen = (box) => box.height > 0 && box.top >= Math.max(0, log.top) - 1
        && box.top + 20 <= Math.min(innerHeight, log.bottom);
    const first = answer.querySelector('.fn-answer > p') || answer;
    return {question: seen(asked.getBoundingClientRect()),
            answer: seen(first.getBoundingClientRect())};
}"""


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


def _chat_text(page: Any) -> str:
    return str(page.locator("#chat").inner_text())


def test_chat_in_a_browser(server: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport=LAPTOP, accept_downloads=True)
    watch = Watch(page, server)
    _login(page, server, "max")

    # The first screen: what the documents are, by title, and questions to start with.
    welcome = page.locator("#chat .fn-welcome")
    welcome.wait_for()
    assert "Ask about 6 documents" in welcome.inner_text()
    assert "Trump moves to ban Anthropic from the US government" in welcome.inner_text()
    suggestions = page.locator("#chat button.example")
    suggestions.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert 3 <= suggestions.count() <= 4
    assert not HASHED_NAME.search(_chat_text(page))
    if DOCS_SCREENSHOT:
        page.screenshot(path=str(Path(DOCS_SCREENSHOT).with_name("chat-first-screen.png")))

    # An empty box cannot be sent: Send is disabled, Enter adds nothing.
    send, box = page.locator("#send"), page.locator("#question textarea")
    sync_api.expect(send).to_be_disabled()
    box.press("Enter")
    box.fill("   ")
    sync_api.expect(send).to_be_disabled()
    box.press("Enter")
    page.wait_for_timeout(500)
    assert page.locator('#chat [data-testid="user"]').count() == 0
    box.fill("Who?")
    sync_api.expect(send).to_be_enabled()
    sync_api.expect(page.locator("#question-count")).to_have_text("4 / 4,000")
    box.fill("")
    sync_api.expect(send).to_be_disabled()

    # A suggested question answers when clicked.
    suggested = suggestions.first.inner_text().strip()
    suggestions.first.click()
    page.wait_for_function(_ANSWERED, arg=[0], timeout=ANSWER_TIMEOUT_MS)
    assert suggested in page.locator('#chat [data-testid="user"]').first.inner_text()
    assert page.locator('#chat [data-testid="bot"]').first.locator(".fn-cite").count() > 0

    # Every answer: the question and the start of its answer in view, titled cards.
    first = _ask(page, CEO_QUESTION, 1)
    assert page.evaluate(_LATEST_IN_VIEW) == {"question": True, "answer": True}
    lead = first.locator(".fn-answer > p").first  # the direct answer (short_answer) first
    assert lead.get_attribute("class") == "fn-lead" and "Amodei" in lead.inner_text()
    sizes = {
        name: float(where.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        for name, where in (
            ("lead", lead),
            ("question", page.locator('#chat [data-testid="user"] .prose')),
            ("sentences", first.locator(".fn-text")),
            ("card", first.locator(".fn-card")),
        )
    }
    assert sizes["lead"] == max(sizes.values()), sizes  # the answer is the largest text
    text = first.inner_text()
    assert "Amodei" in text and "[1]" in text and "Sources" in text.title()
    cards = first.locator(".fn-card")
    assert cards.count() >= 1
    assert "Trump moves to ban Anthropic from the US government" in text
    for index in range(cards.count()):
        card = cards.nth(index).inner_text()
        assert not LINK_SYNTAX.search(card), card
        assert first.locator(".fn-card mark").count() >= 1  # the cited words, marked
    assert not HASHED_NAME.search(_chat_text(page)), "a file name shown where a title exists"
    page.screenshot(path=str(tmp_path / "chat.png"))

    second = _ask(page, ZEBRA_QUESTION, 2)
    assert page.evaluate(_LATEST_IN_VIEW) == {"question": True, "answer": True}
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

    # Each answer has its own export links and thumbs (no panel of their own).
    for answer in (page.locator('#chat [data-testid="bot"]').nth(i) for i in range(3)):
        assert answer.locator("a.fn-export").all_inner_texts() == [
            "Markdown",
            "HTML",
            "JSON",
            "PDF",
        ]
    assert page.locator('#chat button[aria-label="Dislike"]').count() == 3

    # Thumbs down on the zebra answer, then its own HTML export link.
    page.locator('#chat button[aria-label="Dislike"]').nth(2).click()
    page.locator("#status").get_by_text("Thumbs down recorded.").wait_for()
    saved = _export(page, second, "HTML", tmp_path)
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
    assert "every four hours" in text and "Lighthouse keeping" in text  # its title, not file
    assert watch.dialogs == [] and watch.errors == [] and watch.outside == []
    manager.close()


def _export(page: Any, answer: Any, kind: str, folder: Path) -> Path:
    """Click one of an answer's export links and save the download into `folder`."""
    with page.expect_download(timeout=ANSWER_TIMEOUT_MS) as download_info:
        answer.locator("a.fn-export", has_text=kind).click()
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


def _phone_layout(page: Any) -> dict[str, Any]:
    """How wide the phone's messages are, against the window."""
    result: dict[str, Any] = page.evaluate(
        """() => ({
            widths: [...document.querySelectorAll('#chat [data-testid="bot"]')]
                .map(m => m.getBoundingClientRect().width),
            innerWidth: innerWidth,
        })"""
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
    marker = first.locator("a.fn-cite").first  # its tip names the document and the quote
    passage = marker.get_attribute("title")
    assert "Amodei" in passage and "Trump moves to ban Anthropic" in passage, passage
    if DOCS_SCREENSHOT:
        page.screenshot(path=DOCS_SCREENSHOT)
    page.locator('#chat button[aria-label="Like"]').first.click()
    page.locator("#status").get_by_text("Thumbs up recorded.").wait_for()
    laptop = _fits(page)
    assert laptop["scrollWidth"] <= laptop["innerWidth"], laptop
    assert laptop["question"] and laptop["send"], laptop
    page.screenshot(path=str(tmp_path / "laptop-1366x768.png"))

    # A reload shows the conversation again, and its answers can still be exported.
    page.reload()
    page.locator("#question textarea").wait_for()
    _bots(page).first.locator(".fn-card").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert _bots(page).count() == 1
    assert "Amodei" in _bots(page).first.inner_text()
    assert CEO_QUESTION in page.locator('#chat [data-testid="user"]').first.inner_text()
    saved = _export(page, _bots(page).first, "Markdown", tmp_path)
    assert "Amodei" in saved.read_text(encoding="utf-8")

    # A phone-width window: the same conversation, full-width messages, nothing sideways; a
    # new answer's question in view; the documents as a readable list.
    phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone_watch = Watch(phone, server)
    _login(phone, server, "mia")
    _bots(phone).first.locator(".fn-card").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    _ask(phone, "What did Trump announce?", 1)
    assert phone.evaluate(_LATEST_IN_VIEW) == {"question": True, "answer": True}
    fits = _fits(phone)
    assert fits["scrollWidth"] <= fits["innerWidth"], fits
    assert fits["question"] and fits["send"], fits
    layout = _phone_layout(phone)
    assert all(width >= 0.9 * layout["innerWidth"] for width in layout["widths"]), layout
    phone.screenshot(path=str(tmp_path / "phone-390.png"))
    if DOCS_SCREENSHOT:
        phone.screenshot(path=str(Path(DOCS_SCREENSHOT).with_name("chat-phone.png")))
    phone.get_by_role("tab", name="Documents").click()
    titles = phone.locator("#documents .fn-doc-title")
    titles.first.wait_for()
    assert titles.count() >= 6  # (another test may have uploaded one)
    widths = [titles.nth(i).bounding_box()["width"] for i in range(titles.count())]
    assert min(widths) > 150, widths  # a list, not a table squeezed to single letters
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
    for name, seen in (("laptop", watch), ("phone", phone_watch)):
        assert (seen.dialogs, seen.errors, seen.outside) == ([], [], []), name
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

    # Clicking [1] opens the long document scrolled down to the cited span, marked.
    first = _ask(page, CEO_QUESTION, 0)
    opener = first.locator("a.fn-cite", has_text="[1]").first
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

    # The hostile document is shown as text: nothing in it runs or loads. Its [1] is reached
    # with the keyboard: focused, then Enter.
    second = _ask(page, ZEBRA_QUESTION, 1)
    link = second.locator("a.fn-cite", has_text="[1]").first
    shared = str(link.get_attribute("href"))
    assert shared.startswith("document?source=zebra.txt&start=") and shared.endswith("#cited")
    link.focus()
    page.keyboard.press("Enter")
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


def _excerpts(answer: Any) -> list[str]:
    excerpts = answer.locator(".fn-card .fn-excerpt")
    return [excerpts.nth(i).inner_text() for i in range(excerpts.count())]


def test_controls_stay_folded_and_an_abstention_shows_real_sentences(
    server: str, browser: Any
) -> None:
    page = browser.new_page(viewport=LAPTOP)
    watch = Watch(page, server)
    _login(page, server, "abe")

    # Before any answer: the settings folded away, nothing to export or rate, no footer.
    page.locator("#chat .fn-welcome").wait_for()
    sync_api.expect(page.locator("footer")).to_be_hidden()
    sync_api.expect(page.get_by_text("Built with Gradio")).to_be_hidden()
    sync_api.expect(page.locator("#top-k")).to_be_hidden()
    sync_api.expect(page.locator("#feedback")).to_be_hidden()
    assert page.locator("#chat a.fn-export").count() == 0
    toggle = page.locator("#settings").get_by_text("Settings and filters")
    toggle.click()
    sync_api.expect(page.locator("#top-k")).to_be_visible()
    sync_api.expect(page.locator("#source-filter")).to_be_visible()
    sync_api.expect(page.locator("#engine")).to_be_hidden()  # one engine: no choice to make
    toggle.click()
    sync_api.expect(page.locator("#top-k")).to_be_hidden()

    # An unanswerable question: what was searched, a hint, and real sentences of the closest
    # passages with the question's words marked; another question gets other sentences.
    employees = _ask(page, "How many employees does Anthropic have?", 0)
    assert employees.locator(".fn-abstained").count() == 1
    searched = employees.locator(".fn-searched").inner_text()
    assert "employees" in searched and "Anthropic" in searched, searched
    assert "Try" in employees.locator(".fn-hint").inner_text()
    found = _excerpts(employees)
    assert found, "no closest passages"
    marks = employees.locator(".fn-excerpt mark").all_inner_texts()
    assert marks and all(m.lower().startswith(("employee", "anthropic")) for m in marks), marks
    world_cup = _ask(page, "Who won the 2018 FIFA World Cup?", 1)
    assert world_cup.locator(".fn-abstained").count() == 1
    other = _excerpts(world_cup)
    for excerpt in found + other:
        assert not FURNITURE.search(excerpt), excerpt
        assert not HASHED_NAME.search(excerpt), excerpt
    assert set(other).isdisjoint(found), (found, other)
    assert watch.dialogs == [] and watch.errors == [] and watch.outside == []
    page.close()


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
