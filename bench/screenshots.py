"""The docs' chat screenshots, taken over the bundled corpus only (a fresh store in a temporary
folder, no test documents): `python -m bench.screenshots` writes docs/chat-first-screen.png and
docs/chat.png (1366x768) and docs/chat-phone.png (390x844, after two questions, the newest at
the top), with Debian's Chromium driven by Playwright."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import rag  # noqa: F401  (offline environment first)
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PORT = 7871
ASKED = "How much was Anthropic's deal with the Pentagon worth?"  # a short answer: "$200 million"
ASKED_FIRST_ON_PHONE = "Who is Anthropic's CEO?"
WAIT_MS = 60_000
ANSWERED = """([n]) => {
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    return bots.length > n && bots[n].querySelector('.fn-answer:not(.fn-draft)');
}"""


def _serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """`footnote serve` over `data_dir` without a users file, once it answers HTTP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTNOTE_")}
    env["FOOTNOTE_DATA_DIR"] = str(data_dir)
    command = [sys.executable, "-c", "from ui.cli import main; main()", "serve"]
    process = subprocess.Popen([*command, "--port", str(port)], cwd=ROOT, env=env)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"footnote serve did not come up on port {port}") from None
            time.sleep(0.5)


def _ask(page: Any, question: str, answers_before: int) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function(ANSWERED, arg=[answers_before], timeout=WAIT_MS)
    page.wait_for_timeout(800)  # the scroll to the newest question settles


def _shoot(url: str, out: Path) -> None:
    """The three screenshots: the first screen (its suggestions shown), an answer, the phone."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport=LAPTOP)
        page.goto(url)
        page.locator("#chat button.example").first.wait_for(timeout=WAIT_MS)
        page.screenshot(path=str(out / "chat-first-screen.png"))
        _ask(page, ASKED, 0)
        page.screenshot(path=str(out / "chat.png"))
        phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        phone.goto(url)
        phone.locator("#question textarea").wait_for()
        _ask(phone, ASKED_FIRST_ON_PHONE, 0)
        _ask(phone, ASKED, 1)
        phone.screenshot(path=str(out / "chat-phone.png"))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="footnote-shots-") as data:
        settings = Settings(data_dir=Path(data))
        assistant = Assistant(settings)
        report = ingest([ROOT / "corpus"], assistant.store, assistant.embed_model, settings)
        if report.failed:
            raise SystemExit(f"ingest of corpus/ failed: {report.failed}")
        del assistant  # the server is the store's one writer from here
        server = _serve(Path(data), args.port)
        try:
            _shoot(f"http://127.0.0.1:{args.port}/", args.out)
        finally:
            server.terminate()
            server.wait(timeout=20)
    for name in ("chat-first-screen.png", "chat.png", "chat-phone.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
