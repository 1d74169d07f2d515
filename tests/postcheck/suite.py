"""The demo school's context and a fixed posting time, shared by the tables."""

import json
from datetime import datetime
from pathlib import Path

from engines.postcheck import Context

HERE = Path(__file__).parent
CONTEXT_FILE = HERE / "context.json"
SATURDAY_EVENING = datetime.fromisoformat("2025-03-08T19:30:00+00:00")


def load_context() -> Context:
    return Context.from_dict(json.loads(CONTEXT_FILE.read_text()))
