"""Honest abstention: Footnote answers when the documents hold the answer and declines when
they are only about the same topic; bench/abstention_model.py's features and model are as
defined."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.abstention_model import FEATURES, FeatureReader, Logistic
from ingest.sync import ingest
from rag.answer import ABSTAIN_TEXT
from rag.assistant import Assistant
from rag.retrieve import Lexicon
from rag.settings import Settings, configure_llama_index
from rag.text import terms
from rag.types import Passage

BRIDGE = """The Harbor Bridge

The Harbor Bridge is a steel arch bridge that carries road and rail traffic across the bay.
Construction began in 1923 and the bridge opened to traffic on 19 March 1932.
Its main span is 503 metres long, and the top of the arch stands 134 metres above the water.
About 160,000 vehicles cross the bridge every day.
"""
LIGHTHOUSE = """Cape Rock Lighthouse

Cape Rock Lighthouse stands on a granite headland at the mouth of the bay.
The tower is 30 metres tall and its light can be seen 40 kilometres out to sea.
The lighthouse was automated in 1989 and the keepers' cottages became a museum.
"""


@pytest.fixture(scope="module")
def bridge_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A real store (Chroma, MiniLM) over two short documents about the same bay."""
    folder = tmp_path_factory.mktemp("bay")
    (folder / "harbor-bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (folder / "cape-rock.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    settings = Settings(data_dir=tmp_path_factory.mktemp("store"))
    assistant = Assistant(settings)
    assert not ingest([folder], assistant.store, assistant.embed_model, settings).failed
    return assistant


@pytest.mark.parametrize(
    "question",
    ["When did the Harbor Bridge open to traffic?", "How long is the main span of the bridge?"],
)
def test_answers_when_the_documents_hold_the_answer(bridge_assistant, question):
    answer = bridge_assistant.ask(question)
    assert not answer.abstained, answer.evidence
    assert answer.evidence >= bridge_assistant.settings.min_support
    assert answer.citations


def test_abstains_when_the_topic_is_there_but_the_answer_is_not(bridge_assistant):
    answer = bridge_assistant.ask("How much did the repainting of the Harbor Bridge cost in 2010?")
    assert answer.abstained, answer.evidence
    assert answer.answer == ABSTAIN_TEXT and answer.citations == []
    assert 0.0 <= answer.evidence < bridge_assistant.settings.min_support
    assert answer.retrieved, "the closest passages are still offered"


def test_threshold_is_the_min_support_setting(bridge_assistant):
    question = "When did the Harbor Bridge open to traffic?"
    evidence = bridge_assistant.ask(question).evidence
    strict = Assistant(
        bridge_assistant.settings.model_copy(update={"min_support": min(evidence + 0.01, 1.0)})
    )
    assert strict.ask(question).abstained


def _passage(text: str, title: str, score: float) -> Passage:
    return Passage(
        source=f"{title}.txt",
        title=title,
        chunk_id=title,
        score=score,
        start_char=0,
        end_char=len(text),
        text=text,
    )


@pytest.fixture(scope="module")
def embed():
    return configure_llama_index(Settings()).embed


def test_features_are_computed_as_defined(embed):
    lexicon = Lexicon({"bridg": 9, "open": 3, "lantern": 1, "1932": 1}, chunks=10)
    passages = [
        _passage("The bridge opened in 1932. It is made of steel.", "Harbor", 2.0),
        _passage("Ships pass under the bridge.", "Bay", 1.5),
    ]
    question = "When did the bridge open its lantern in 1932 or 1999?"
    vector = embed([question])[0]
    found = FeatureReader(embed, passages=5).features(question, vector, passages, lexicon, 0.7)
    assert found is not None and found.lead_support == 0.7
    wanted = list(dict.fromkeys(terms(question)))
    assert wanted == ["bridg", "open", "lantern", "1932", "1999"]
    idf = {t: lexicon.idf(t) for t in wanted}
    total = sum(idf.values())
    covered = (idf["bridg"] + idf["open"] + idf["1932"]) / total
    assert found.sentence_coverage == pytest.approx(covered)
    assert found.passage_coverage == pytest.approx(covered)
    assert found.retrieved_coverage == pytest.approx(covered)
    # "lantern" and "1999" are in no passage; "1999" is unseen so it has the highest idf
    assert found.missing_rarest == pytest.approx(1.0)
    assert found.missing_numbers == pytest.approx(0.5)
    assert found.score_gap == pytest.approx(0.25)
    assert found.answer_type_missing == 0.0  # a when-question and "1932" is a time
    # best sentence "The bridge opened in 1932." has terms bridg, open, 1932: nothing new
    assert found.new_words == pytest.approx(0.0)
    sentence = embed(["The bridge opened in 1932."])[0]
    assert found.similarity >= float(sentence @ vector) - 1e-6
    assert found.vector().shape == (len(FEATURES),)


def test_answer_type_missing_when_a_who_question_finds_no_name(embed):
    lexicon = Lexicon({}, chunks=10)
    passages = [_passage("the bridge was built of steel and painted grey.", "bridge", 1.0)]
    question = "who built the bridge"
    found = FeatureReader(embed, passages=5).features(
        question, embed([question])[0], passages, lexicon, 0.5
    )
    assert found is not None and found.answer_type_missing == 1.0
    assert found.score_gap == 0.0  # a single passage has nothing to stand above


def test_no_features_without_content_words_or_passages(embed):
    reader = FeatureReader(embed, passages=5)
    lexicon = Lexicon({}, chunks=1)
    vector = embed(["what is it"])[0]
    assert reader.features("what is it", vector, [_passage("x.", "t", 1.0)], lexicon, 0.5) is None
    assert reader.features("bridge", vector, [], lexicon, 0.5) is None


def test_logistic_is_the_sigmoid_of_the_standardised_features():
    model = Logistic(mean=[0.0, 1.0], scale=[1.0, 2.0], weights=[2.0, -1.0], bias=0.5)
    expected = 1 / (1 + math.exp(-(0.5 + 2.0 * 1.0 - 1.0 * 1.0)))
    assert model.probability(np.array([1.0, 3.0])) == pytest.approx(expected)


def test_logistic_fit_ranks_by_the_informative_feature():
    rng = np.random.default_rng(0)
    signal = rng.normal(size=400)
    labels = (signal + 0.3 * rng.normal(size=400) > 0).astype(float)
    x = np.column_stack([signal, rng.normal(size=400)])
    model = Logistic.fit(x, labels)
    assert model.weights[0] > 5 * abs(model.weights[1])
    assert (
        model.probability(np.array([2.0, 0.0]))
        > 0.9
        > 0.1
        > model.probability(np.array([-2.0, 0.0]))
    )
