"""Log output for the console."""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class CurrentStderr(logging.StreamHandler[TextIO]):
    """Writes to whatever `sys.stderr` is when a record is emitted.

    Django configures logging again at every `django.setup()`, and a command run inside a
    test runner does so while standard error is a temporary stream that is closed
    afterwards; a handler that kept that stream would fail on every later record (from the
    test SMTP server's thread, for one).
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass
