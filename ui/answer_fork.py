"""What the answer processes' fork server loads once (ui/answer_pool.py preloads this module):
the modules an answer process runs and what they load on a first question that forks well
(spaCy's pipeline, the English word tables, the language identifier), so each process forked
from it starts warm and shares that memory. The model is not here: an ONNX session's threads
do not survive a fork. What it loaded is frozen out of the garbage collector's reach, so a
collection in a forked process does not copy those pages (measured: 63 -> 6 MB private per
process after a collection and a parse)."""

import gc

import rag  # noqa: F401  (the offline environment before anything else loads)
import ui.answer_pool  # noqa: F401
from rag import language, lemmas, nlp

nlp.pipeline()
lemmas.is_english("warm")
language.identifier()
gc.freeze()
