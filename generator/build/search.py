"""The static search index: our own, made from the release pages of the staged site.

The search runs in the reader's browser (templates/static/search.js) over files made here,
so nothing is sent anywhere and the site stays a folder of static files. Why our own and not
Pagefind: Pagefind matches words by their beginning only, does not split German compounds
("Konferenz" never finds "Sicherheitskonferenz"), and when a word is in no page it falls
back to the longest prefix it knows ("ein" for "Einbruch"), so every page of such an index
became a hit; and its filter and meta files differ between two runs over the same pages.
Here every term is made by `search_german` (normalized, Snowball-stemmed, compounds split
into their possible last parts) and written as sorted JSON: the same pages give the same bytes.

What is indexed: the article of a published release page (the element marked
`data-pagefind-body`, which the theme puts on published releases only, so listings, notices
of withdrawn releases and drafts never reach the index) — its title, its text (not the
header, dateline or contact lines), and the names of its authority, places and topics.

The index is made in parts, one per year of publication – the newest year, once it has more
than SPLIT releases, one per month – and a part is only made when its pages changed: a
fingerprint of its records is kept beside the part, and when it matches, the previous part
is carried over as it is, without reading a page. The records of unchanged pages come from the
build cache. Each part is a function of its own pages only, so a rebuild and a cold build give
the same bytes. So that a rebuild's cost follows the change, the cache also remembers each part's
fingerprint under the keys of its pages (only the records of a part whose pages changed are hashed
again), and the records themselves are asked for only for the parts made anew.

A part (`pagefind/<year>/`):
- `part.json`: number of releases, the values of each filter with their counts, the shards
  and their depth.
- `terms/<shard>.json`: by the first `depth` letters of a term (two, or for a small part one,
  or none: then all terms are in `terms/all.json`), `{"w": {stem: postings},
  "h": {compound part: postings}}`; postings are `[doc, flags, doc, flags, …]`, flags =
  occurrences in the text (0–7) + 8 if in the title + 16 if in a name (authority, place, topic)
  + 32 (compound parts only) if the part was confirmed: what comes before it is a word too.
- `filters.json`: `{filter: {value: [doc, …]}}`.
- `docs/<n>.json`: `[[url, title, date, text], …]`, DOCS_PER_FILE releases each, for the
  results shown and their excerpts.
Docs are numbered newest first, and parts are listed newest first, so (part, doc) is the
order by date. `pagefind/parts.json` lists the parts with a key of each (for caching) and
the stop words.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from generator.build import codec
from generator.build import search_german as german
from generator.build.parallel import die_with_parent
from generator.build.staging import Staging
from generator.core.digest import digest

SEARCH_DIR = "pagefind/"  # the folder's public name is kept (robots.txt, reserved slugs)
PARTS = SEARCH_DIR + "parts.json"
FORMAT = 2  # of the files below (search.js checks it); raise it when part_files writes differently
ALL = "all"  # the one term file of a part of depth 0
SHARD_BYTES = 32 * 1024  # the most a term file of a part named by fewer than two characters holds
FINGERPRINT = "pressroom-fingerprint.txt"
REMEMBERED = "search fingerprints"  # in the build cache: each part's fingerprint, by the key of its pages
DOCS_PER_FILE = 20
# Release pages are the only ones carrying data-pagefind-body.
MARKER = b"data-pagefind-body"
FILTERS = ("authority", "topic", "place", "year")
CONFIRMED = 32  # flag of a compound part whose first part is a word of the same index part

_YEAR = re.compile(r'data-pagefind-filter="year:(\d{4})"')
_NAMED = re.compile(r'data-pagefind-filter="(authority|place|topic)">(.*?)</a>', re.S)
_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_DATE_TEXT = re.compile(r'data-date="([^"]*)"')
_DATETIME = re.compile(r'<time datetime="([^"]*)"')
_TEXT_END = re.compile(r'<section class="contact"|<p class="originator"|<section class="terms"')
# Parts of the article that are not its text: the dateline, notices, the theme's section
# headings and labels, and whatever the theme marks to be left out.
_NOT_TEXT = re.compile(r'<p class="dateline">.*?</p>|<aside\b.*?</aside>|<h[23] id="[a-z-]+-heading">.*?</h[23]>'
                       r'|<dt>.*?</dt>|<p><a href="[^"]*\.ics">.*?</a></p>'
                       r'|<(p|div|span)\b[^>]*data-pagefind-ignore[^>]*>.*?</\1>', re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Record:
    """What the search knows of one published release."""

    url: str
    title: str
    date: str  # as shown: "29. April 2019, 16:05 Uhr"
    sort: str  # ISO date and time, for the order
    text: str  # the release's own text; excerpts are cut from it
    names: tuple[str, ...]  # its authority, places and topics: found, never shown as excerpt
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # (filter, values), in FILTERS order


@dataclass(frozen=True)
class SearchReport:
    pages: int  # release pages in the index
    parts: int  # the index is made in parts: one per year, or per month in a busy newest year
    made: int  # parts indexed anew; the others were carried over unchanged
    seconds: float

    @property
    def reused(self) -> bool:
        return self.made == 0


SPLIT = 400  # the newest year, when it has more releases than this, is indexed in parts by month


class RecordStore(Protocol):
    """Where the records of earlier builds are kept (the build cache), by page path."""

    def search_keys(self) -> dict[str, tuple[str, str]]: ...  # path → (page key, month)
    def search_values(self, paths: Iterable[str]) -> dict[str, str]: ...  # path → record, as kept
    def keep_search_records(self, changed: dict[str, tuple[str, str, str]], gone: Iterable[str]) -> None: ...
    def value(self, name: str) -> str | None: ...  # a value kept under a name, as stored
    def keep_value(self, name: str, value: str) -> None: ...


def index_search(staging: Staging, jobs: int, pages: Mapping[str, str], store: RecordStore) -> SearchReport:
    """Put a search index for the staged release pages into the staging folder.

    `pages` gives each staged file's key (what it was made from): a release page whose record
    the `store` keeps under the same key is not read again, and a part whose records are all as
    they were is carried over as it is.
    """
    started = time.perf_counter()
    records = _Records(staging, store, pages)
    # A page without a month is one not indexed (its record "null"), or a release without a time.
    records.fetch([path for path, (_, month) in records.rows.items() if not month])
    members: dict[str, list[str]] = defaultdict(list)
    for path, name in _parts({path: month for path, (_, month) in records.rows.items()
                              if month or records.texts[path] != "null"}).items():
        members[name].append(path)
    # Hashing every record of the archive takes a fifth of a second at 20,000 releases; a part whose
    # pages all have the keys they had when its fingerprint was last worked out has that fingerprint.
    remembered = _remembered(store)
    pinned = {name: _pages_key(paths, records.rows) for name, paths in members.items()}
    still = {name: remembered[name][1] for name in members if remembered.get(name, ("",))[0] == pinned[name]}
    report = _write_parts(staging, {name: partial(records.of, paths) for name, paths in members.items()},
                          partial(_exact, members, records), still, sum(len(paths) for paths in members.values()),
                          jobs, started)
    records.keep()
    kept = {name: (pinned[name], report.fingerprints[name]) for name in members}
    if kept != remembered:
        store.keep_value(REMEMBERED, codec.dumps(kept, dict[str, tuple[str, str]]))
    return report.report


class _Records:
    """The search's record of each release page: the one the store keeps for the page's key, or
    the page's own when its key changed (or what the store keeps for it is unusable). The store's
    records are only asked for where they are needed: the parts made anew."""

    def __init__(self, staging: Staging, store: RecordStore, pages: Mapping[str, str]) -> None:
        self.staging = staging
        self.store = store
        self.rows: dict[str, tuple[str, str]] = {}  # every release page: path → (page key, month)
        self.texts: dict[str, str] = {}  # path → record as the store keeps it, once asked for or read
        self.fresh: dict[str, Record] = {}  # records read from their pages in this build
        self.changed: set[str] = set()
        known = store.search_keys()
        for path in sorted(p for p in pages if _is_page(p)):
            row = known.get(path)
            if row is not None and row[0] == pages[path]:
                self.rows[path] = row
            else:
                self._read(path, pages[path])
        self.gone = known.keys() - self.rows.keys()

    def _read(self, path: str, key: str) -> None:
        record = record_of(path, (self.staging.root / path).read_bytes())
        self.rows[path] = (key, record.sort[:7] if record is not None else "")
        self.texts[path] = codec.dumps(record, Record) if record is not None else "null"
        if record is not None:
            self.fresh[path] = record
        self.changed.add(path)

    def fetch(self, paths: list[str]) -> None:
        """Have the records of these pages at hand (in `texts`)."""
        wanted = [path for path in paths if path not in self.texts]
        self.texts.update(self.store.search_values(wanted))
        for path in wanted:
            if path not in self.texts:  # kept, but not as text of a sensible length
                self._read(path, self.rows[path][0])

    def of(self, paths: list[str]) -> list[Record]:
        self.fetch(paths)
        return [self._record(path) for path in paths]

    def _record(self, path: str) -> Record:
        found = self.fresh.get(path)
        if found is None:
            try:
                found = typing.cast(Record, codec.loads(self.texts[path], Record))
            except codec.Invalid:
                found = record_of(path, (self.staging.root / path).read_bytes())
                assert found is not None  # the page was indexed when its record was kept
        return found

    def keep(self) -> None:
        self.store.keep_search_records({path: (*self.rows[path], self.texts[path]) for path in self.changed},
                                       self.gone)


def _remembered(store: RecordStore) -> dict[str, tuple[str, str]]:
    """Each part's fingerprint as a build worked it out, with the key of its pages then."""
    text = store.value(REMEMBERED)
    try:
        return typing.cast(dict[str, tuple[str, str]], codec.loads(text, dict[str, tuple[str, str]])) \
            if text is not None else {}
    except codec.Invalid:
        return {}


def _pages_key(paths: list[str], rows: Mapping[str, tuple[str, str]]) -> str:
    """The pages of a part and the key of each (what it was made from). Their records follow from
    them – a record is read again from its page only when the page's key changed – so the same
    pages and keys have the same fingerprint."""
    return digest(f"pressroom search {FORMAT} words {german.VERSION} pages", *(
        f"{path}\0{rows[path][0]}" for path in sorted(paths)))


def _exact(members: Mapping[str, list[str]], records: _Records, name: str) -> str:
    records.fetch(members[name])
    return _fingerprint(members[name], records.texts)


def _fingerprint(paths: list[str], texts: Mapping[str, str]) -> str:
    """What a part depends on: the index format, the word rules and its records (as the cache
    keeps them: a page made anew whose record did not change leaves its part as it was)."""
    return digest(f"pressroom search {FORMAT} words {german.VERSION} records", *(
        f"{path}\0{texts[path]}" for path in sorted(paths))) + "\n"


def _is_page(path: str) -> bool:
    return path.startswith("meldung/") and path.endswith("/index.html")


def _parts(months: Mapping[str, str]) -> dict[str, str]:
    """Each page's part: its year, or its month in the newest year when that year has more than
    SPLIT releases – so that a new release re-indexes one month, while a finished year stays
    one part (and a reader's browser fetches few parts)."""
    newest = max((month[:4] for month in months.values() if month), default="")
    busy = sum(1 for month in months.values() if month[:4] == newest) > SPLIT
    return {path: (month if busy and month[:4] == newest else month[:4]) or "other" for path, month in months.items()}


@dataclass(frozen=True)
class _Written:
    report: SearchReport
    fingerprints: Mapping[str, str]  # of every part, as written


def _write_parts(staging: Staging, parts: Mapping[str, Callable[[], list[Record]]], fingerprint: Callable[[str], str],
                 remembered: Mapping[str, str], pages: int, jobs: int, started: float) -> _Written:
    names = sorted(parts, reverse=True)
    fingerprints = {name: remembered.get(name) or fingerprint(name) for name in names}
    changed = [name for name in names if not _carry_over(staging, name, fingerprints[name])]
    # A part made anew is written with the fingerprint of its records themselves: one remembered
    # only ever lets a part be carried over whose file shows that same fingerprint.
    fingerprints.update({name: fingerprint(name) for name in changed if name in remembered})
    records = {name: parts[name]() for name in changed}
    workers = min(jobs, len(changed))
    if workers > 1:  # indexing is Python work: one process per core, not threads
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            made = list(pool.map(part_files, [records[name] for name in changed]))
    else:
        made = [part_files(records[name]) for name in changed]
    for name, files in zip(changed, made, strict=True):
        for path in sorted(files):
            staging.write(f"{SEARCH_DIR}{name}/{path}", files[path])
        staging.write(f"{SEARCH_DIR}{name}/{FINGERPRINT}", fingerprints[name])
    if names:
        listing = {"format": FORMAT,
                   "parts": [{"name": name, "key": fingerprints[name][:12]} for name in names],
                   "stop": sorted(german.NORMAL_STOP_WORDS)}
        staging.write(PARTS, _json(listing))
    return _Written(SearchReport(pages, len(names), len(changed), time.perf_counter() - started), fingerprints)


def record_of(path: str, content: bytes) -> Record | None:
    """What the search takes from a staged release page (None if it has no marked article)."""
    page = content.decode("utf-8", errors="replace")
    start = page.find(MARKER.decode())
    end = page.find("</article>", start)
    if start < 0 or end < 0:
        return None
    article = page[start:end]
    header_end = article.find("</header>")
    body = article[header_end:] if header_end >= 0 else article
    text_end = _TEXT_END.search(body)
    title = _TITLE.search(article)
    date, moment, year = _DATE_TEXT.search(article), _DATETIME.search(article), _YEAR.search(article)
    named: dict[str, list[str]] = defaultdict(list)
    for name, value in _NAMED.findall(article):
        text = _plain(value)
        if text and text not in named[name]:
            named[name].append(text)
    if year:
        named["year"].append(year[1])
    url = "/" + path.removesuffix("index.html")
    return Record(
        url=url,
        title=_plain(title[1]) if title else url,
        date=html.unescape(date[1]) if date else "",
        sort=moment[1] if moment else "",
        text=_plain(_NOT_TEXT.sub(" ", body[: text_end.start()] if text_end else body)),
        names=tuple(v for name in ("authority", "place", "topic") for v in named.get(name, ())),
        filters=tuple((name, tuple(named[name])) for name in FILTERS if named.get(name)),
    )


def _plain(fragment: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()


def shard_of(term: str, depth: int = 2) -> str:
    """The file a term is in: its first `depth` characters, others than a–z and 0–9 as "_";
    a part of depth 0 keeps all its terms in one file, `ALL`."""
    if depth == 0:
        return ALL
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in term[:depth])


def _depth(sizes: Mapping[str, int]) -> int:
    """How many characters name a part's term files: the fewest for which none of them is
    larger than SHARD_BYTES (judged from the sizes of its two-character files), or two. A small
    part then comes as one file or a few instead of hundreds of tiny ones, and a big part keeps
    the small files that let a query of one word fetch little."""
    if sum(sizes.values()) <= SHARD_BYTES:
        return 0
    firsts: dict[str, int] = defaultdict(int)
    for name, size in sizes.items():
        firsts[name[:1]] += size
    return 1 if max(firsts.values()) <= SHARD_BYTES else 2


def part_files(records: list[Record]) -> dict[str, bytes]:
    """The files of one part (path inside the part → bytes); the same records give the same bytes."""
    ordered = sorted(records, key=lambda r: (r.sort, r.url), reverse=True)  # newest first
    # Each record's different words once, with counts: a word is stemmed and split once per part,
    # not once per occurrence (a part of 1,700 releases has some 450,000 words, 2,000 different).
    fields = [(german.word_counts(record.text), set(german.words(record.title)),
               set(german.words(" ".join(record.names)))) for record in ordered]
    seen: set[str] = set()
    for text, title, names in fields:
        seen.update(text, title, names)
    term_of = {word: german.stem(word) for word in seen}
    # The part's own vocabulary confirms compound splits ("wohnungs|einbruch": "Wohnung" is a word here).
    vocabulary = set(term_of.values())
    for word in german.NORMAL_STOP_WORDS & seen:
        del term_of[word]  # in the vocabulary, never in the index
    heads_of = {word: [(head, CONFIRMED if german.modifier_is_a_word(modifier, vocabulary) else 0)
                       for modifier, head in splits] for word in term_of if (splits := german.splits(word))}
    # Postings are flat [doc, flags, …] lists; docs are taken in order, so each comes sorted.
    words: dict[str, list[int]] = defaultdict(list)
    of_word: dict[str, list[int]] = defaultdict(list)  # a compound's docs, with the flags of its term there
    filters: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for doc, (record, (text, title, names)) in enumerate(zip(ordered, fields, strict=True)):
        flags: dict[str, int] = {}
        for word, count in text.items():
            if (term := term_of.get(word)) is not None:
                flags[term] = flags.get(term, 0) + count
        for term, count in flags.items():
            if count > 7:  # occurrences in the text count up to 7; the higher bits are flags
                flags[term] = 7
        for found, bit in ((title, 8), (names, 16)):
            for word in found:
                if (term := term_of.get(word)) is not None:
                    flags[term] = flags.get(term, 0) | bit
        for term, flag in flags.items():
            words[term] += (doc, flag)
        for word in heads_of.keys() & (text.keys() | title | names):
            of_word[word] += (doc, flags[term_of[word]])
        for name, values in record.filters:
            for filter_value in values:
                filters[name][filter_value].append(doc)
    # A compound part's postings are those of the words it ends, merged: most parts end one word
    # of the part only, and take its list as it is.
    sources: dict[str, list[list[int]]] = defaultdict(list)
    for word, parts in heads_of.items():
        for head, confirmed in parts:
            sources[head].append(_confirmed(of_word[word]) if confirmed else of_word[word])
    heads = {head: lists[0] if len(lists) == 1 else _merged(lists) for head, lists in sources.items()}
    shards: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(lambda: {"w": {}, "h": {}})
    for kind, table in (("w", words), ("h", heads)):
        for term, postings in table.items():
            shards[shard_of(term)][kind][term] = postings
    files = {f"terms/{name}.json": _json(shard) for name, shard in shards.items()}
    depth = _depth({name: len(files[f"terms/{name}.json"].encode("utf-8")) for name in shards})
    if depth < 2:
        merged: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(lambda: {"w": {}, "h": {}})
        for name, shard in shards.items():
            into = merged[ALL if depth == 0 else name[:1]]
            into["w"].update(shard["w"])
            into["h"].update(shard["h"])
        shards = merged
        files = {f"terms/{name}.json": _json(shard) for name, shard in shards.items()}
    files["filters.json"] = _json(filters)
    for first in range(0, len(ordered), DOCS_PER_FILE):
        files[f"docs/{first // DOCS_PER_FILE}.json"] = _json(
            [[r.url, r.title, r.date, r.text] for r in ordered[first:first + DOCS_PER_FILE]])
    files["part.json"] = _json({
        "count": len(ordered),
        "depth": depth,
        "docs": DOCS_PER_FILE,
        "filters": {name: [[value, len(docs)] for value, docs in sorted(values.items())]
                    for name, values in filters.items()},
        "shards": sorted(shards),
    })
    return {path: content.encode("utf-8") for path, content in files.items()}


def _confirmed(postings: list[int]) -> list[int]:
    marked = postings.copy()
    marked[1::2] = [flags | CONFIRMED for flags in postings[1::2]]
    return marked


def _merged(lists: list[list[int]]) -> list[int]:
    """Postings lists as one, the flags of a doc in several of them or-ed together."""
    merged: dict[int, int] = {}
    for postings in lists:
        these = dict(zip(postings[::2], postings[1::2], strict=True))
        for doc in merged.keys() & these.keys():
            these[doc] |= merged[doc]
        merged.update(these)
    docs = sorted(merged)
    flat = [0] * (2 * len(docs))
    flat[::2] = docs
    flat[1::2] = [merged[doc] for doc in docs]
    return flat


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _carry_over(staging: Staging, name: str, fingerprint: str) -> bool:
    """Take the previous site's part as it is if it was made from the same pages."""
    folder = Path(staging.previous(f"{SEARCH_DIR}{name}"))
    if _read(folder / FINGERPRINT) != fingerprint or not (folder / "part.json").is_file():
        return False
    return staging.carry(f"{SEARCH_DIR}{name}")
