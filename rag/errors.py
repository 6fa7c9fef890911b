"""Errors whose message is safe to show a user as it is, each typed with the HTTP status the API
answers it with, so no caller has to read a message to know what kind of failure it is."""


class FootnoteError(Exception):
    """A problem the user can fix; the message names what is wrong and why. `detail`, when
    given, is the longer form the API says (e.g. naming the request field to blame)."""

    status: int = 400
    retry_after: int | None = None  # seconds a client should wait before trying again

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self._detail = detail

    @property
    def detail(self) -> str:
        """What the HTTP API answers with: `detail` if given, else the message."""
        return self._detail or str(self)


class Invalid(FootnoteError):
    """A value in the request cannot be used (an empty question, a bad filter or engine)."""

    status = 422


class NotFound(FootnoteError):
    """No stored document (or alias) has the name asked for."""

    status = 404


class Forbidden(FootnoteError):
    """The signed-in user may not do this (readers do not change the corpus)."""

    status = 403


class StoreEmpty(FootnoteError):
    """There is nothing to answer from yet."""

    status = 409

    def __init__(self, message: str = "the store is empty: run `footnote ingest PATH` first"):
        super().__init__(message)


class Busy(FootnoteError):
    """Too much at once (questions, another writer holding the store), or the Chroma server
    holding the store not answering: retry shortly."""

    status = 503
    retry_after = 1


class LengthRequired(FootnoteError):
    """An upload that does not say how large it is."""

    status = 411


class TooLarge(FootnoteError):
    """An upload over the size limit."""

    status = 413
