"""Finding 1 of the attack review (issue 16) replayed in a real browser: `footnote serve` on its
default setup (127.0.0.1, no users file) and a page on a second origin (127.0.0.2) that tries
to store a document through the visitor's Chromium, with a no-cors fetch and with a form post,
and to read the document list and the chat's config. Nothing is stored or read; the chat's own
page, on the server's origin, still uploads."""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from tests.served import served
from tests.test_browser import browser  # noqa: F401  (the launched Chromium, one per module)

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no browser: /usr/bin/chromium is missing", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")

OTTERS = "Otters\n\nSea otters hold hands while they sleep so they do not drift apart.\n"
LIGHTHOUSE = "# Lighthouse\n\nThe keeper winds the clockwork of the lamp every four hours.\n"
ATTACKER_HOST = "127.0.0.2"
# The attacker's page: `attack(target)` tries every cross-origin write and read it can.
ATTACK_PAGE = """<!doctype html><meta charset="utf-8"><title>cute cats</title>
<form id="form" method="post" enctype="multipart/form-data">
  <input type="file" name="files" id="file">
</form>
<script>
function planted(name) {
  return new File(["Planted\\n\\nThe attacker's page wrote this document.\\n"], name,
                  {type: "text/plain"});
}
async function attempt(promise) {
  try { const response = await promise; return response.type === "opaque" ? "sent" : "read"; }
  catch (error) { return "blocked"; }
}
async function attack(target) {
  const upload = new FormData();
  upload.append("files", planted("planted-fetch.txt"));
  const gradio = new FormData();
  gradio.append("files", planted("planted-gradio.txt"));
  return {
    upload: await attempt(fetch(target + "api/documents",
                                {method: "POST", mode: "no-cors", body: upload})),
    gradio_upload: await attempt(fetch(target + "gradio_api/upload",
                                       {method: "POST", mode: "no-cors", body: gradio})),
    ask: await attempt(fetch(target + "api/ask", {method: "POST", mode: "no-cors",
                             body: JSON.stringify({question: "Why do otters hold hands?"})})),
    documents: await attempt(fetch(target + "api/documents", {credentials: "include"})),
    config: await attempt(fetch(target + "config", {credentials: "include"})),
  };
}
function submitForm(target) {
  const form = document.getElementById("form");
  const files = new DataTransfer();
  files.items.add(planted("planted-form.txt"));
  document.getElementById("file").files = files.files;
  form.action = target + "api/documents";
  form.submit();
}
</script>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`footnote serve` as installed: 127.0.0.1, no users file, one document."""
    docs = tmp_path_factory.mktemp("cross-site-docs")
    (docs / "otters.txt").write_text(OTTERS, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("cross-site-store")
    settings = Settings(data_dir=data_dir)
    assistant = Assistant(settings)
    assert not ingest([docs], assistant.store, assistant.embed_model, settings).failed
    with pytest.MonkeyPatch.context() as env:
        for name in ("FOOTNOTE_AUTH_FILE", "FOOTNOTE_ALLOWED_ORIGINS"):
            env.delenv(name, raising=False)
        with served(data_dir, tmp_path_factory.mktemp("cross-site-server")) as (url, _):
            yield url


@pytest.fixture(scope="module")
def attacker() -> Iterator[str]:
    """The attacker's page, served from a second origin."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = ATTACK_PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer((ATTACKER_HOST, 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{ATTACKER_HOST}:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _stored(server: str) -> list[str]:
    import json

    with urllib.request.urlopen(server + "api/documents", timeout=30) as response:
        return sorted(document["source"] for document in json.load(response))


def test_a_page_on_another_origin_cannot_store_or_read_documents(
    server: str,
    attacker: str,
    browser: Any,  # noqa: F811 (test_browser's fixture, imported)
    tmp_path: Path,
) -> None:
    page = browser.new_page()
    page.goto(attacker)
    said = page.evaluate("target => attack(target)", server)
    assert said["documents"] == "blocked" and said["config"] == "blocked"  # no CORS for it
    with page.expect_navigation():
        page.evaluate("target => submitForm(target)", server)
    assert "refused a cross-site request" in page.content()
    page.close()
    assert _stored(server) == ["otters.txt"]

    # The chat's own page, on the server's origin, still adds documents.
    chat = browser.new_page()
    chat.goto(server)
    chat.get_by_role("tab", name="Documents").click()
    lighthouse = tmp_path / "lighthouse.md"
    lighthouse.write_text(LIGHTHOUSE, encoding="utf-8")
    chat.locator("#upload input[type=file]").set_input_files(str(lighthouse))
    chat.wait_for_function(
        "() => /Added/.test(document.querySelector('#corpus-status').innerText)",
        timeout=60_000,
    )
    chat.close()
    assert _stored(server) == ["lighthouse.md", "otters.txt"]
