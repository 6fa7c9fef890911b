"""One exception type whose message is safe to show a user as it is."""


class FootnoteError(Exception):
    """A problem the user can fix; the message names what is wrong and why."""
