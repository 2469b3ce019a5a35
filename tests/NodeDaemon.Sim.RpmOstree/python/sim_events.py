"""Lifecycle events on stdout, one JSON object per line, so a harness can time what the daemon made the host do.

stdout carries only the ready line and these events; diagnostics go to stderr.
"""
import json
import sys
from typing import Any


def emit(event: str, **fields: Any) -> None:
    """Writes {"event": event, ...fields} as one line and flushes it at once (the reader timestamps on arrival)."""
    print(json.dumps({"event": event, **fields}), flush=True)
