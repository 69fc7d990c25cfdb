"""Text that is safe to publish in any output format."""

from __future__ import annotations

import re
from typing import Any

# C0 controls except tab and newline, DEL, C1 controls and the noncharacters U+FFFE/U+FFFF:
# JSON and iCalendar can carry some of them, but no reader expects them, several break on them
# (a bell in a calendar title, U+FFFE read as a byte-order mark), and XML cannot carry them at all.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control(value: str) -> str:
    """`value` without control characters; tab and newline stay."""
    return _CONTROL.sub("", value)


def strip_control_all(data: Any) -> Any:
    """JSON-like data (dicts, lists, tuples, strings, numbers) with every string – keys too – stripped."""
    if isinstance(data, str):
        return strip_control(data)
    if isinstance(data, dict):
        return {strip_control(k) if isinstance(k, str) else k: strip_control_all(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [strip_control_all(v) for v in data]
    return data
