"""The one exception the engine raises for input it cannot read or structure."""


class DocumentError(Exception):
    """Bad input, with where the parser stopped, so a school can fix its document.

    Every reader rewraps its library's own exceptions into this, so callers (the upload
    page, the CLI, the fuzzer) need to handle exactly one type.
    """

    def __init__(self, message: str, location: str) -> None:
        super().__init__(f"{location}: {message}")
        self.message = message
        self.location = location
