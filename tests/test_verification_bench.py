"""The scripted models behind bench/verification.py: replies derived from the prompt's sources,
deterministic, and verification catching what the sloppy model spoils (real store, real
model, the scripted endpoint over real HTTP)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bench.verification import claims, measure
from rag.assistant import Assistant
from rag.evaluate import load_questions
from rag.llm import user_prompt
from tests.conftest import DEV_SET
from tests.fake_llm import SYNONYMS, FakeLLM, ScriptedWriter, serve

QUESTION = "What must developers do before they can access the Cohere API?"


@pytest.fixture
def writer() -> Iterator[tuple[FakeLLM, ScriptedWriter]]:
    scripted = ScriptedWriter("faithful", stall=2.0)
    fake = FakeLLM(writer=scripted)
    server = serve(fake)
    yield fake, scripted
    server.shutdown()


def _llm_assistant(base: Assistant, url: str) -> Assistant:
    """A second assistant over the same store, so the shared one's settings stay untouched."""
    update = {"engine": "openai", "llm_base_url": url, "llm_timeout": 1.0}
    return Assistant(base.settings.model_copy(update=update))


def _prompt(assistant: Assistant, question: str) -> dict[str, object]:
    passages = assistant.retriever.retrieve(question, assistant.settings.top_k)[:5]
    return {"messages": [{"role": "user", "content": user_prompt(question, passages)}]}


def test_replies_come_from_the_prompt_sources_and_repeat_exactly(corpus_assistant):
    body = _prompt(corpus_assistant, QUESTION)
    faithful = ScriptedWriter("faithful")
    first, again = faithful(body).text, faithful(body).text
    assert first == again and "[1]" in first
    script = faithful.scripts[QUESTION]
    passages = corpus_assistant.retriever.retrieve(QUESTION, 10)[:5]
    lead = script.sentences[0]
    n = int(lead.text.rsplit("[", 1)[1].split("]")[0])
    assert lead.fault is None and lead.style in ("verbatim", "reworded")
    own_words = set(re.findall(r"[a-z]+", lead.plain.lower())) - set(SYNONYMS.values())
    assert own_words <= set(re.findall(r"[a-z]+", passages[n - 1].text.lower()))
    assert ScriptedWriter("faithful", seed=1)(body).text.startswith(lead.text)


def test_sloppy_script_labels_its_faults(corpus_assistant):
    sloppy = ScriptedWriter("sloppy")
    sloppy(_prompt(corpus_assistant, QUESTION))
    faults = [s.fault for s in sloppy.scripts[QUESTION].sentences]
    assert faults[0] is None and "uncited" in faults and len(faults) == 4
    assert len({f for f in faults if f}) == 3


def _measure(corpus_assistant, writer, behaviour: str, questions: int):
    """Run the first `questions` answerable dev questions against the scripted `behaviour`."""
    fake, scripted = writer
    scripted.behaviour = behaviour
    assistant = _llm_assistant(corpus_assistant, fake.url)
    rows = [q for q in load_questions(str(DEV_SET)) if q.answerable][:questions]
    return measure(assistant, assistant.settings, scripted, rows, "openai", behaviour, "mark")


def test_verification_marks_every_invented_or_uncited_sloppy_sentence(corpus_assistant, writer):
    run, rows = _measure(corpus_assistant, writer, "sloppy", 4)
    assert run.fallbacks == 0 and {r["engine"] for r in rows} == {"openai"}
    for kind in ("invented_name", "invented_number", "missing_source", "uncited"):
        counts = run.claims.get(kind, {"written": 0})
        assert counts.get("unsupported", 0) == counts["written"], (kind, counts)
    faithful = [counts for kind, counts in run.claims.items() if kind.startswith("faithful")]
    assert sum(c["written"] for c in faithful) == 4
    assert sum(c.get("unsupported", 0) for c in faithful) == 0
    assert run.summary["supported_sentences"] < 0.5


def test_broken_model_falls_back_to_the_labelled_extractive_answer(corpus_assistant, writer):
    run, rows = _measure(corpus_assistant, writer, "broken", 3)
    assert run.fallbacks == 3 and sum(run.failures.values()) == 3
    assert all("extractive answer instead" in (r["notice"] or "") for r in rows)


def test_claims_count_a_sentence_as_marked_when_its_claim_is(corpus_assistant):
    sloppy = ScriptedWriter("sloppy")
    sloppy(_prompt(corpus_assistant, QUESTION))
    script = sloppy.scripts[QUESTION]
    sentences = [{"text": s.text, "supported": s.fault is None} for s in script.sentences]
    row = {"question": QUESTION, "engine": "openai", "sentences": sentences}
    tally = claims([row], sloppy.scripts)
    lead = f"faithful, {script.sentences[0].style}"
    assert tally[lead] == {"written": 1, "unsupported": 0, "unmatched": 0}
    assert tally["uncited"] == {"written": 1, "unsupported": 1, "unmatched": 0}
