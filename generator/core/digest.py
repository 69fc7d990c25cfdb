"""Canonical keys: one hash function for every cached decision."""

from __future__ import annotations

import datetime as dt
import hashlib
import json


def digest(*parts: bytes | str) -> str:
    """A key for the given inputs (each part length-prefixed, so parts cannot run together)."""
    chunks: list[bytes] = []
    for part in parts:
        # surrogatepass: a file name that is not UTF-8 still gets a key (loading then reports the name)
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        chunks.append(len(data).to_bytes(8, "little"))
        chunks.append(data)
    # One update of the joined parts: the same hash as one update per part, at a fraction of the calls.
    return hashlib.blake2b(b"".join(chunks), digest_size=20).hexdigest()


def typed_json(value: object) -> str:
    """`value` (TOML values: what settings and the views made of them hold) as canonical JSON."""
    return json.dumps(_typed(value), ensure_ascii=False, separators=(",", ":"))


def _typed(value: object) -> object:
    """A TOML value as JSON that cannot be mistaken for another: tables, arrays and times each
    wrapped with a tag of their own (a TOML date and the text of one differ)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"float": value.hex()}  # exact, and JSON has no nan or inf
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, dict):
        return {"table": [[str(key), _typed(item)] for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))]}
    if isinstance(value, list | tuple):
        return {"array": [_typed(item) for item in value]}
    raise TypeError(f"not a TOML value: {type(value).__name__}")
