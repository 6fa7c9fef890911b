"""The web chat end to end: the served `/ask` API and HTTP API, errors that leave the server
up, the streamed chat handler rendering documents as text, exports and thumbs up/down."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from ingest.sync import ingest
from rag import export
from rag.assistant import AskOptions, Assistant
from rag.cache import AnswerCache, CacheStats
from rag.db import Database
from rag.errors import Invalid
from rag.evaluate import load_questions
from rag.settings import Settings
from rag.types import Answer, Citation, Filters, SentenceCheck, ShortAnswer
from tests.conftest import Footnote
from tests.fake_llm import FakeLLM, Reply
from tests.fake_llm import serve as serve_llm
from tests.served import served
from ui.chat import EXPORT_FORMATS, Chat
from ui.conversations import Conversations, conversation_owner
from ui.render import as_text, render_answer, render_draft, render_terminal
from ui.service import ANSWERERS, Service

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CEO_QUESTION = "Who is Anthropic's CEO?"
CALL_TIMEOUT_S = 30


def _assistant_on(data_dir: Path, corpus: Path) -> Assistant:
    settings = Settings(data_dir=data_dir)
    assistant = Assistant(settings)
    ingest([corpus], assistant.store, assistant.embed_model, settings)
    return assistant


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Assistant]:
    data_dir = tmp_path_factory.mktemp("store")
    return data_dir, _assistant_on(data_dir, CORPUS)


@pytest.fixture(scope="module")
def server(
    corpus_store: tuple[Path, Assistant], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with served(corpus_store[0], tmp_path_factory.mktemp("server")) as (url, process):
        yield url, process


def _ask(client: Client, question: str) -> dict[str, Any]:
    return client.submit(question, api_name="/ask").result(timeout=CALL_TIMEOUT_S)


def test_served_ask_returns_a_cited_answer_and_survives_errors(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, process = server
    client = Client(url, verbose=False, download_files=False, analytics_enabled=False)

    answer = _ask(client, CEO_QUESTION)
    assert answer["abstained"] is False
    assert "Amodei" in answer["answer"]
    assert answer["citations"]
    for citation in answer["citations"]:
        text = (CORPUS / citation["source"]).read_text(encoding="utf-8")
        assert citation["quote"] == text[citation["start_char"] : citation["end_char"]]

    with pytest.raises(AppError, match="the question is empty"):
        _ask(client, "")
    assert process.poll() is None
    assert "Amodei" in _ask(client, CEO_QUESTION)["answer"]


def test_an_extractive_answer_is_shown_whole_at_once_with_its_sources(
    corpus_store: tuple[Path, Assistant],
) -> None:
    assistant = corpus_store[1]
    chat = Chat(Service(assistant))
    steps = list(chat.respond(CEO_QUESTION, []))
    assert len(steps) == 1  # no word-by-word reveal of an answer that exists whole
    (asked, shown) = steps[0]
    assert asked == {"role": "user", "content": as_text(CEO_QUESTION)}
    final = shown["content"]
    answer = assistant.ask(CEO_QUESTION)
    assert final.startswith('<div class="fn-answer">') and "\n" not in final
    assert "Amodei" in final and '<p class="fn-sources-title">Sources</p>' in final
    for citation in answer.citations:
        url = f"document?source={citation.source}&amp;start={citation.start_char}"
        assert f'<a class="fn-cite" href="{url}' in final  # [n] opens the cited span
        assert f">{citation.title}</a>" in final  # the card is titled, not named by file
    assert "Feb 28, 2026" in final  # the cited document's date
    assert re.search(r'<span class="fn-excerpt">[^<]*<mark>', final)  # cited words marked


def test_a_direct_answer_leads_when_the_engine_gives_one() -> None:
    answer, _ = _checked_answer()
    lead = ShortAnswer(text="One", source="r.pdf", start_char=2, end_char=5, quote="pha")
    shown = render_answer(answer.model_copy(update={"short_answer": lead}))
    lead_html = re.search(r'<p class="fn-lead">(.*?)</p>', shown)
    assert lead_html is not None and lead_html.group(1).startswith('One <a class="fn-cite"')
    assert shown.index("fn-lead") < shown.index("fn-text")  # the direct answer comes first
    assert "[1]</a>" in lead_html.group(1)  # it sits inside citation 1's quote
    assert "fn-lead" not in render_answer(answer)  # none given: the sentences alone


def test_a_direct_answer_that_opens_the_first_sentence_is_not_read_twice() -> None:
    answer, _ = _checked_answer()
    whole = ShortAnswer(
        text="Alpha is one", source="r.pdf", start_char=0, end_char=9, quote="Alpha is one"
    )
    shown = render_answer(answer.model_copy(update={"short_answer": whole}))
    assert '<p class="fn-lead">Alpha is one <a' in shown  # the lead says the whole sentence
    assert re.search(r'<p class="fn-text">Beta is &lt;b&gt;two&lt;/b&gt;\. <a', shown)  # once
    alone = answer.model_copy(update={"short_answer": whole}, deep=True)  # no markers in it
    alone.sentences[0] = alone.sentences[0].model_copy(update={"text": "Alpha is one."})
    assert '<p class="fn-text">Beta is' in render_answer(alone)
    name = ShortAnswer(text="Alpha", source="r.pdf", start_char=0, end_char=5, quote="Alpha")
    shown = render_answer(answer.model_copy(update={"short_answer": name}))
    assert '<p class="fn-text">Alpha is one. <a' in shown  # a name leads; its sentence stays
    terminal = render_terminal(answer.model_copy(update={"short_answer": whole}))
    assert "\nAnswer: Alpha is one [1]\nBeta is <b>two</b>. [2] ⚠ unsupported\n" in terminal
    assert terminal.split("Sources:")[0].count("Alpha is one") == 1  # said once, as in the chat


def _checked_answer() -> tuple[Answer, export.ExportMeta]:
    """An answer with a rewritten question, a notice, a supported sentence cited into page 3
    of a PDF, an unsupported one, a marker naming no citation and a removed sentence."""
    citation = Citation(
        n=1,
        source="r.pdf",
        title="Report",
        chunk_id="c",
        start_char=0,
        end_char=9,
        quote="Alpha is one",
        page=3,
    )
    second = citation.model_copy(update={"n": 2, "quote": "Beta", "page": None})

    def check(text: str, cited: list[int], supported: bool) -> SentenceCheck:
        return SentenceCheck(
            text=text, citations=cited, supported=supported, lexical=1.0, similarity=1.0
        )

    answer = Answer(
        question="and alpha?",
        standalone_question="What is alpha?",
        notice="the language model timed out; showing the extractive answer instead.",
        answer="Alpha is one [7]. [1] Beta is <b>two</b>. [2]",
        abstained=False,
        citations=[citation, second],
        sentences=[
            check("Alpha is one [7]. [1]", [1], True),
            check("Beta is <b>two</b>. [2]", [2], False),
            check("Gamma was removed. [2]", [2], False),
        ],
    )
    meta = export.ExportMeta(
        asked_at=datetime.now(UTC),
        engine="extractive",
        settings={"top_k": 10},
        document_hashes={"r.pdf": "abc123"},
        document_dates={"r.pdf": "2024-05-01T09:30:00Z"},
    )
    return answer, meta


def test_answer_rendering_shows_what_the_engine_knows() -> None:
    answer, meta = _checked_answer()
    shown = render_answer(answer, turn_id="t1")
    assert shown.startswith(
        '<div class="fn-answer"><p class="fn-rewritten">Searched for: What is alpha?</p>'
        '<p class="fn-notice">ℹ️ the language model timed out; showing the extractive answer '
        'instead.</p><p class="fn-text">Alpha is one. <a class="fn-cite" '
    )
    assert 'title="Report: “Alpha is one”">[1]</a> Beta is &lt;b&gt;two&lt;/b&gt;. ' in shown
    assert '[2]</a> <span class="fn-unsupported"' in shown
    assert "p. 3" in shown  # the card of a paged source names its page
    assert 'href="#export:t1:pdf"' in shown  # the answer's own export links
    assert "[7]" not in shown and "Gamma" not in shown

    markdown = export.render([export.Exchange(answer, meta)], "markdown").decode()
    assert "Beta is &lt;b&gt;two&lt;/b&gt;. \\[2\\] ⚠ unsupported" in markdown
    assert "p. 3, characters 0–9, dated 2024-05-01" in markdown and "[7]" not in markdown
    page = export.render([export.Exchange(answer, meta)], "html").decode()
    assert '<span class="unsupported">⚠ unsupported</span>' in page
    assert "p. 3, characters 0–9, dated 2024-05-01" in page and "[7]" not in page


def test_chat_settings_engine_passages_and_source_filter(
    corpus_store: tuple[Path, Assistant],
) -> None:
    chat = Chat(Service(corpus_store[1]))
    assert chat.service.engines() == ["extractive"]  # openai needs FOOTNOTE_LLM_BASE_URL
    *_, (messages, turns) = chat.respond_in_session(CEO_QUESTION, [], [], "extractive", 3, "002_*")
    answer = Answer.model_validate(turns[-1]["answer"])
    assert {p.source for p in answer.retrieved} == {"002_1d2a244e035627a3.txt"}
    assert 0 < len(answer.retrieved) <= 3  # widened hits of one document merge
    *_, (messages, turns) = chat.respond_in_session(CEO_QUESTION, messages, turns, None, 5, "x*")
    assert messages[-1]["content"] == "⚠️ no document matches the filter 'x\\*'"
    assert len(turns) == 1
    *_, (messages, _) = chat.respond_in_session(CEO_QUESTION, messages, turns, "openai", 5, "")
    assert "FOOTNOTE\\_LLM\\_BASE\\_URL" in messages[-1]["content"]


def test_nothing_empty_or_too_long_enters_the_conversation(
    corpus_store: tuple[Path, Assistant],
) -> None:
    service = Service(corpus_store[1])
    chat = Chat(service)
    assert list(chat.respond("  ", [])) == [[]]
    limit = service.settings.max_question_chars
    long = "x" * (limit + 1)
    assert chat.accept(long, []) == (long, [], "")  # left in the box to shorten
    assert chat.accept("Who?", []) == ("", [{"role": "user", "content": "Who?"}], "Who?")
    with pytest.raises(Invalid, match=f"the question is too long: {limit + 1:,} characters"):
        service.answer(long)  # the API and the CLI meet the same limit in the service


def test_document_text_is_rendered_as_text_not_html(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zebra.txt").write_text(
        "Zebra policy\n\nThe zebra policy requires <script>alert(1)</script> approval by the "
        "board. ![x](http://example.invalid/a.png)\n",
        encoding="utf-8",
    )
    assistant = _assistant_on(tmp_path / "store", docs)
    chat = Chat(Service(assistant))
    final = list(chat.respond("What does the zebra policy require?", []))[-1][-1]
    content = final["content"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script" not in content
    assert "![" not in content and "example.invalid" not in content  # image syntax read as text


def _http(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=CALL_TIMEOUT_S) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_served_http_api_round_trip(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    url, process = server
    status, answer = _http(f"{url}api/ask", {"question": CEO_QUESTION, "top_k": 5})
    assert status == 200
    assert "Amodei" in answer["answer"] and len(answer["retrieved"]) == 5
    status, problem = _http(f"{url}api/ask", {"question": " "})
    assert (status, problem) == (422, {"detail": "question: the question is empty"})
    status, health = _http(f"{url}api/health")
    assert status == 200 and health["status"] == "ok" and health["documents"] == 5
    processes = health["answer_processes"]  # it listens once the first one is ready
    assert 1 <= processes["ready"] <= processes["of"]
    status, schema = _http(f"{url}openapi.json")
    assert status == 200 and "/api/ask" in schema["paths"]
    assert process.poll() is None


def _session(chat: Chat, *questions: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    messages: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for question in questions:
        *_, (messages, turns) = chat.respond_in_session(question, messages, turns)
    return messages, turns


def test_chat_exports_the_last_answer_and_the_conversation(
    corpus_store: tuple[Path, Assistant],
) -> None:
    data_dir, assistant = corpus_store
    chat = Chat(Service(assistant))
    messages, turns = _session(chat, CEO_QUESTION, "  ", "What is the capital of Mars?")
    assert len(messages) == 4 and len(turns) == 2  # the empty question is not in it
    assert [t["message"] for t in turns] == [1, 3]
    exports = (data_dir / "exports").resolve()
    for label in EXPORT_FORMATS:
        last = chat.export(turns, label, conversation=False)
        assert last.parent.parent.resolve() == exports
        assert last.name.startswith("what-is-the-capital-of-mars-")
        whole = chat.export(turns, label, conversation=True)
        assert whole.name.startswith("who-is-anthropic-s-ceo-conversation-")
    page = whole.read_bytes() if whole.suffix == ".pdf" else b""
    assert page.startswith(b"%PDF")
    with pytest.raises(gr.Error, match="no answer to export"):
        chat.export([], "PDF", conversation=False)
    # An answer's own export link: that answer, in the format it names.
    first = Path(chat.export_request(turns, f"{turns[0]['id']}:markdown") or "")
    assert first.name.startswith("who-is-anthropic-s-ceo-") and first.suffix == ".md"
    assert f'href="#export:{turns[0]["id"]}:markdown"' in messages[1]["content"]
    whole = Path(chat.export_request(turns, "all:html") or "")
    assert whole.name.startswith("who-is-anthropic-s-ceo-conversation-")
    assert chat.export_request(turns, "gone:pdf") is None


def test_thumbs_and_comments_become_eval_questions(
    tmp_path: Path, corpus_store, footnote: Footnote
) -> None:
    assistant = corpus_store[1]
    chat = Chat(Service(assistant))
    chat.service.database = Database.from_settings(Settings(data_dir=tmp_path))
    messages, turns = _session(chat, CEO_QUESTION, "What is the capital of Mars?")

    def like(index: int, liked: bool | str) -> gr.LikeData:
        return gr.LikeData(None, {"index": index, "value": messages[index], "liked": liked})

    turns, rated, status = chat.rate(turns, "", like(0, True))
    assert rated is None and status == "Only answers can be rated."
    turns, rated, status = chat.rate(turns, "", like(1, True))
    assert turns[0]["rating"] == "up" and rated == turns[0]["id"]
    turns, rated, status = chat.rate(turns, "", like(3, False))
    assert turns[1]["rating"] == "down" and status.startswith("Thumbs down recorded.")
    box, status = chat.comment(turns, rated, "Mars has no capital in these documents, fine")
    assert box == "" and status == "Comment saved with your rating."
    turns, rated, _ = chat.rate(turns, "thumbs down after all", like(1, "Dislike"))

    out = tmp_path / "from-feedback.jsonl"
    result = footnote("feedback", "export", str(out), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 disliked answers")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # Both were asked within one second (asked_at is kept to the second): either order.
    by_question = {row["question"]: row for row in rows}
    assert set(by_question) == {CEO_QUESTION, "What is the capital of Mars?"}
    assert by_question[CEO_QUESTION]["comment"] == "thumbs down after all"
    mars = by_question["What is the capital of Mars?"]
    assert mars["comment"] == "Mars has no capital in these documents, fine"
    assert "Amodei" in by_question[CEO_QUESTION]["given_answer"]
    for row in rows:
        assert row["gold_sources"] == [] and row["answer_keywords"] == []
        assert row["answerable"] is True and row["id"].startswith("feedback-")
    questions = load_questions(str(out))  # the evaluator takes them as they are
    assert [q.id for q in questions] == [row["id"] for row in rows]


def test_serve_on_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(Path(sys.executable).with_name("footnote")), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env={**os.environ, "FOOTNOTE_DATA_DIR": str(tmp_path)},
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"footnote: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_chat_streams_live_tokens_from_the_llm_engine(
    corpus_store: tuple[Path, Assistant],
) -> None:
    fake = FakeLLM()
    endpoint = serve_llm(fake)
    try:
        base = corpus_store[1]
        update = {"llm_base_url": fake.url, "llm_retries": 0}
        chat = Chat(Service(Assistant(base.settings.model_copy(update=update))))
        assert chat.service.engines() == ["extractive", "openai"]
        question = "What must developers do before they can access the Cohere API?"
        reply = "Developers must get approval [1]. The moon is made of cheese [1]."
        fake.replies += [Reply(reply, pieces=6), Reply(status=500)]
        steps = [m[-1]["content"] for m, _ in chat.respond_in_session(question, [], [], "openai")]
        assert steps[-2] == render_draft(reply)  # the tokens as they came
        assert 5 <= len(steps) <= 8
        assert 'cheese. <a class="fn-cite"' in steps[-1]  # each claim cites its own sentence
        assert re.search(r'\[\d\]</a> <span class="fn-unsupported"', steps[-1])
        *_, (messages, _) = chat.respond_in_session(question, [], [], "openai")
        assert "showing the extractive answer instead" in messages[-1]["content"]
    finally:
        endpoint.shutdown()


def test_answer_cache_serves_repeats_and_forgets_them_on_any_ingest(tmp_path: Path) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name in ("002_1d2a244e035627a3.txt", "001_9539abd9dd0b22a7.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    assistant = _assistant_on(tmp_path / "data", corpus)
    assistant.cache = AnswerCache(entries=8)
    chat = Service(assistant)

    computed = chat.answer(CEO_QUESTION)
    assert assistant.cache.stats() == CacheStats(hits=0, misses=1, entries=1)
    repeated = chat.answer(f"  {CEO_QUESTION} ")  # the same question once spaces are folded
    assert assistant.cache.stats().hits == 1
    chat.answer(CEO_QUESTION, options=AskOptions(filters=Filters()))  # empty filters: the same
    assert assistant.cache.stats().hits == 2
    same = {"latency_ms"}
    assert repeated.model_dump(exclude=same) == computed.model_dump(exclude=same)
    assert "Amodei" in repeated.answer and repeated.citations

    # Anything that shapes the answer is part of the key: passages, filters, the follow-up.
    fewer = chat.answer(CEO_QUESTION, options=AskOptions(top_k=3))
    assert 0 < len(fewer.retrieved) <= 3  # two documents: widened hits merge into fewer
    only = chat.answer(CEO_QUESTION, options=AskOptions(filters=Filters(source="001_*")))
    assert {p.source for p in only.retrieved} == {"001_9539abd9dd0b22a7.txt"}
    assert assistant.cache.stats().misses == 3

    # A changed document is a new committed version: the earlier answers are not reused.
    changed = corpus / "002_1d2a244e035627a3.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA line added later.\n")
    assert ingest([corpus], assistant.store, assistant.embed_model, assistant.settings).updated
    after = chat.answer(CEO_QUESTION)
    assert assistant.cache.stats().misses == 4 and "Amodei" in after.answer


def test_answer_cache_is_bounded_and_hands_out_copies() -> None:
    cache = AnswerCache(entries=2)
    for n in range(3):
        cache.put(str(n), Answer(question=f"q{n}", answer="a", abstained=False))
    assert cache.get("0") is None and cache.stats().entries == 2
    copy = cache.get("2")
    assert copy is not None
    copy.answer = "changed by a caller"
    assert cache.get("2").answer == "a"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="entries"):
        AnswerCache(entries=0)


def test_answers_asked_at_once_match_one_at_a_time(corpus_store: tuple[Path, Assistant]) -> None:
    chat = Service(corpus_store[1])
    asked = [CEO_QUESTION, "What did the Pentagon ask Anthropic to allow?"] * 3
    alone = [chat.answer(q).answer for q in asked]
    with ThreadPoolExecutor(max_workers=ANSWERERS + 2) as pool:  # steps interleave
        together = list(pool.map(lambda q: chat.answer(q).answer, asked))
    assert together == alone


def test_conversations_are_kept_per_owner_until_cleared(tmp_path: Path) -> None:
    kept = Conversations(Database.from_settings(Settings(data_dir=tmp_path)))
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    turns = [{"id": "t1", "message": 1, "answer": {}, "meta": {}, "rating": "up"}]
    owner, browser = conversation_owner("ann", None)
    assert owner == "user:ann" and len(browser) == 32
    kept.save(owner, messages, turns)
    assert kept.load(owner) == (messages, turns)
    assert kept.load("user:bob") == ([], [])

    # Without sign-in the browser's id owns it; an id that is not ours gets a new one.
    anonymous, same = conversation_owner(None, browser)
    assert (anonymous, same) == (f"browser:{browser}", browser)
    assert conversation_owner(None, "../../etc/passwd")[1] != "../../etc/passwd"
    assert kept.secret() == kept.secret() and len(kept.secret()) == 64
    kept.clear(owner)
    assert kept.load(owner) == ([], [])


def test_a_database_that_is_down_costs_the_kept_conversation_not_the_chat(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "gone"
    kept = Conversations(Database(f"sqlite:///{folder / 'footnote.db'}"))
    shutil.rmtree(folder)  # the database's folder is gone: it cannot be opened
    assert kept.load("user:ann") == ([], [])
    kept.save("user:ann", [{"role": "user", "content": "hi"}], [])  # logged, not raised
    kept.clear("user:ann")
    assert kept.secret() == kept.secret() and len(kept.secret()) == 64  # this process's own
