"""Named moments between two writes of a store's writer (rag/store.py, ingest/sync.py), where a
crash test stops a real ingest to kill it (tests/crash_worker.py listens); nothing listens in
the product, so each one costs an empty loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str], None]

_listeners: list[Listener] = []


def checkpoint(point: str) -> None:
    """Tell whoever listens that the writer reached `point` (a listener may stop it here)."""
    for listener in _listeners:
        listener(point)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Call `listener` at every checkpoint reached inside the `with` block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
