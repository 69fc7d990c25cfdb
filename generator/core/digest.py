"""Canonical keys: one hash function for every cached decision."""

from __future__ import annotations

import hashlib


def digest(*parts: bytes | str) -> str:
    """A key for the given inputs (each part length-prefixed, so parts cannot run together)."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        # surrogatepass: a file name that is not UTF-8 still gets a key (loading then reports the name)
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()
