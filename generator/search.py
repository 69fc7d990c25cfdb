"""The static search index: Pagefind over the release pages of the staged site.

Pagefind reads the finished HTML, so indexing runs after every page is staged and before
the new site is swapped in. Only elements marked `data-pagefind-body` are indexed; the
theme puts that on the article of a published release only, so listings, notices of
withdrawn releases and drafts never reach the index. German stemming comes from
`<html lang="de">`.

Pagefind's filter and metadata files are not byte-identical between two runs over the
same pages (it serializes hash maps in arbitrary order; its fragments are stable). So
an index is only made when the indexed pages changed: a fingerprint of those pages is
kept beside the index, and when it matches, the previous index is carried over file by
file (hard-linked). Everything else about the output stays deterministic.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OutputError
from generator.output import Staging

SEARCH_DIR = "pagefind/"
# Pagefind's files that differ between two fresh runs over the same pages (its filter and meta
# indexes; v1.5.2). Determinism checks that compare builds made in different folders skip these;
# a rebuild into the same folder keeps them byte for byte (see the fingerprint below).
UNSTABLE_FILES = ("pagefind/filter/*", "pagefind/pagefind.*.pf_meta", "pagefind/pagefind-entry.json")
FINGERPRINT = SEARCH_DIR + "pressroom-fingerprint.txt"
# Release pages are the only ones carrying data-pagefind-body; globbing them spares Pagefind
# from parsing every listing page of a large site.
PAGE_GLOB = "meldung/**/index.html"
MARKER = b"data-pagefind-body"


@dataclass(frozen=True)
class SearchReport:
    pages: int  # release pages in the index
    reused: bool  # the previous index was carried over unchanged
    seconds: float


def index_search(staging: Staging) -> SearchReport:
    """Put a search index for the staged release pages into the staging folder."""
    started = time.perf_counter()
    pages = indexed_pages(staging.root)
    if not pages:
        # Pagefind would fall back to indexing every page it finds (drafts among them).
        return SearchReport(0, False, time.perf_counter() - started)
    fingerprint = _fingerprint(pages)
    previous = staging.target / FINGERPRINT
    if _read(previous) == fingerprint and _carry_over(staging):
        return SearchReport(len(pages), True, time.perf_counter() - started)
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=staging.root.parent) as scratch:
        bundle = Path(scratch) / "pagefind"
        _run_pagefind(staging.root, bundle)
        for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
            staging.copy(SEARCH_DIR + path.relative_to(bundle).as_posix(), path)
    staging.write(FINGERPRINT, fingerprint)
    return SearchReport(len(pages), False, time.perf_counter() - started)


def indexed_pages(root: Path) -> dict[str, bytes]:
    """The staged pages Pagefind will index (site path → content), in a stable order."""
    pages = {}
    for path in sorted(root.glob(PAGE_GLOB)):
        content = path.read_bytes()
        if MARKER in content:
            pages[path.relative_to(root).as_posix()] = content
    return pages


def pagefind_binary() -> Path:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise OutputError("the search index needs the Pagefind program: install it with "
                          "`pip install 'pagefind[bin]'`, or build with --no-search")
    return Path(binary)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "unknown"


def _fingerprint(pages: dict[str, bytes]) -> str:
    """What the index depends on: Pagefind's version and every indexed page, byte for byte."""
    digest = hashlib.sha256(f"pagefind {_pagefind_version()} {PAGE_GLOB}\n".encode())
    for path, content in pages.items():
        digest.update(path.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest() + "\n"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _carry_over(staging: Staging) -> bool:
    """Link the previous site's index into the staging folder; False if it is incomplete."""
    folder = staging.target / SEARCH_DIR
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if not (folder / "pagefind-entry.json").is_file():
        return False
    for path in files:
        staging.copy(SEARCH_DIR + path.relative_to(folder).as_posix(), path)
    return True


def _run_pagefind(site: Path, bundle: Path) -> None:
    command = [str(pagefind_binary()), "--site", str(site), "--glob", PAGE_GLOB,
               "--output-path", str(bundle), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
    except OSError as exc:
        raise OutputError(f"cannot run Pagefind ({command[0]}): {exc.strerror or exc}; "
                          "reinstall `pagefind[bin]`, or build with --no-search") from None
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise OutputError("the search index could not be made: "
                          + (detail[-1] if detail else f"Pagefind exited with {result.returncode}")
                          + "; the previous site was left as it was (or build with --no-search)")
