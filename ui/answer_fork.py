"""What the answer processes' fork server loads once (ui/answer_pool.py preloads this module):
the modules an answer process runs and what they load on a first question that forks well
(spaCy's pipeline, the English word tables, the language identifier), so each process forked
from it starts warm and shares that memory. The model is not here: an ONNX session's threads
do not survive a fork."""

import rag  # noqa: F401  (the offline environment before anything else loads)
import ui.answer_pool  # noqa: F401
from rag import language, lemmas, nlp

nlp.pipeline()
lemmas.is_english("warm")
language.identifier()
