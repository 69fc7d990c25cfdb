"""The static search index: Pagefind over the release pages of the staged site.

Pagefind reads the finished HTML, so indexing runs after every page is staged and before
the new site is swapped in. Only elements marked `data-pagefind-body` are indexed; the
theme puts that on the article of a published release only, so listings, notices of
withdrawn releases and drafts never reach the index. German stemming comes from
`<html lang="de">`.

Pagefind's filter and metadata files are not byte-identical between two runs over the
same pages (it serializes hash maps in arbitrary order; its fragments are stable). So
the index is made in parts, one per year of publication, and a part is only made when
its pages changed: a fingerprint of those pages is kept beside the part, and when it
matches, the previous part is carried over file by file (hard-linked). The search page
loads the newest part and merges the others (Pagefind's `mergeIndex`). Everything else
about the output stays deterministic.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.build.staging import Staging
from generator.core.errors import OutputError

SEARCH_DIR = "pagefind/"
PARTS = SEARCH_DIR + "parts.json"  # the parts' folder names, newest first; the search page merges them
# Pagefind's files that differ between two fresh runs over the same pages (its filter and meta
# indexes; v1.5.2). Determinism checks that compare builds made in different folders skip these;
# a rebuild into the same folder keeps them byte for byte (see the fingerprint below).
UNSTABLE_FILES = ("pagefind/*/filter/*", "pagefind/*/pagefind.*.pf_meta", "pagefind/*/pagefind-entry.json")
FINGERPRINT = "pressroom-fingerprint.txt"
# Release pages are the only ones carrying data-pagefind-body; globbing them spares Pagefind
# from parsing every listing page of a large site.
PAGE_GLOB = "meldung/**/index.html"
MARKER = b"data-pagefind-body"
_LANG = re.compile(rb"<html[^>]*>")
_YEAR = re.compile(rb'data-pagefind-filter="year:(\d{4})"')


@dataclass(frozen=True)
class SearchReport:
    pages: int  # release pages in the index
    parts: int  # the index is made in parts, one per year of publication
    made: int  # parts indexed anew; the others were carried over unchanged
    seconds: float

    @property
    def reused(self) -> bool:
        return self.made == 0


def index_search(staging: Staging, jobs: int = 1) -> SearchReport:
    """Put a search index for the staged release pages into the staging folder.

    The index is made in parts, one per year of publication, which the search page merges:
    an edit or a new release makes only its year's part anew (and Pagefind's memory grows
    with a part, not with the whole site).
    """
    started = time.perf_counter()
    pages = indexed_pages(staging.root)
    parts: dict[str, dict[str, bytes]] = {}
    for path, content in pages.items():
        year = _YEAR.search(content)
        parts.setdefault(year[1].decode() if year else "other", {})[path] = content
    names = sorted(parts, reverse=True)
    fingerprints = {name: _fingerprint(parts[name]) for name in names}
    changed = [name for name in names if not _carry_over(staging, name, fingerprints[name])]
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=staging.root.parent) as scratch:
        def index(name: str) -> Path:
            return _index_part(staging.root, Path(scratch) / name, parts[name])

        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(changed) or 1))) as pool:
            bundles = list(pool.map(index, changed))
        for name, bundle in zip(changed, bundles, strict=True):
            for file in sorted(p for p in bundle.rglob("*") if p.is_file()):
                staging.copy(f"{SEARCH_DIR}{name}/{file.relative_to(bundle).as_posix()}", file)
            staging.write(f"{SEARCH_DIR}{name}/{FINGERPRINT}", fingerprints[name])
    if names:
        staging.write(PARTS, json.dumps(names) + "\n")
    return SearchReport(len(pages), len(names), len(changed), time.perf_counter() - started)


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
    """What a part depends on: Pagefind's version and what it reads of each page."""
    digest = hashlib.sha256(f"pagefind {_pagefind_version()} {PAGE_GLOB}\n".encode())
    for path, content in pages.items():
        digest.update(path.encode() + b"\0" + hashlib.sha256(_indexed_part(content)).digest())
    return digest.hexdigest() + "\n"


def _indexed_part(content: bytes) -> bytes:
    """The language and the marked element: Pagefind reads nothing else of a page, so a change
    elsewhere (a newer release in "More from …") does not make the part anew."""
    language = _LANG.search(content)
    start = content.find(MARKER)
    end = content.find(b"</article>", start)
    if start < 0 or end < 0:
        return content
    return (language[0] if language else b"") + content[start:end]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _carry_over(staging: Staging, name: str, fingerprint: str) -> bool:
    """Link the previous site's part into the staging folder if it was made from the same pages."""
    folder = staging.target / SEARCH_DIR / name
    if _read(folder / FINGERPRINT) != fingerprint or not (folder / "pagefind-entry.json").is_file():
        return False
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        # Linked as it is, not compared byte for byte with itself.
        site_path, stat = f"{SEARCH_DIR}{name}/{path.relative_to(folder).as_posix()}", path.stat()
        if not staging.keep(site_path, stat.st_size, stat.st_mtime_ns):
            staging.copy(site_path, path)
    return True


def _index_part(site: Path, scratch: Path, pages: dict[str, bytes]) -> Path:
    """Pagefind over just these pages: linked into a scratch site of their own."""
    pages_root = scratch / "site"
    for path in pages:
        (pages_root / path).parent.mkdir(parents=True, exist_ok=True)
        os.link(site / path, pages_root / path)
    bundle = scratch / "pagefind"
    _run_pagefind(pages_root, bundle)
    return bundle


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
