"""The persistent build cache: `.pressroom-cache/build.sqlite` under the site folder.

It remembers these things, all keyed by content hashes:

- releases as loaded and their Markdown as rendered, under a key made of the file's bytes,
  its path and everything loading depends on (settings, Pressroom's version, this format); its
  authority and the media files it refers to are checked again on every use. The long texts
  are columns of their own, so that reading a release back parses only its few short fields
  as JSON, and the body's HTML and plain text a table of their own, read only for the pages
  a build makes (a rebuild makes few);
- for each release file, the size, times and inode it had when its bytes were last hashed,
  and that hash: a file whose stamp is unchanged is not read again (the trust a build that
  changes nothing places in stamps, `seal`);
- for each output file, the key of everything it was rendered from and the size and
  modification time it had, so a page whose inputs did not change is carried over from
  the previous site instead of being rendered again – unless the file there was touched;
- each release's RSS item, Atom entry and JSON Feed item as feeds carry them, under a key of the release's key,
  Pressroom's code and the settings: a rebuild remakes the few feed documents that hold a
  changed release without building the items of the others again;
- the entries of the media store (`generator.media.store`): which encoded variants of an image
  lie in `.pressroom-cache/media/`, validated against those files on every read. They outlast
  a version change, as the files they describe do: the encoders are Pillow's, not Pressroom's.

It is never trusted blindly: a cache of another format or version is emptied, and one that
cannot be read is deleted with a note; either way the build goes on as a cold one. Entries
are JSON text (`generator.build.codec`), never a format that runs code when it is read; an
entry that does not decode to exactly the types of a release is a miss, so a cache someone
rewrote changes nothing but the time a build takes.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.core.errors import Message

CACHE_DIR = ".pressroom-cache"
_MONTH = re.compile(r"(\d{4}-\d{2})?")  # a search record's month, or "" for a page not indexed
DATABASE = "build.sqlite"
# 4: JSON entries instead of pickles; 5: long texts in columns, file stamps; 6: media passed; 7: feed items
FORMAT = "7"
MAX_ENTRY = 16 * 1024 * 1024  # characters; a larger entry is not stored, and not read if found
MAX_MEDIA_ENTRY = 64 * 1024  # a media entry names a few variants: anything larger is not one


# A release entry as stored: its short fields as JSON, its Markdown, the first paragraph of its
# body and whether the body has links. The body's HTML and plain text (`Texts`) are kept apart
# and read only when a page that shows them is made (`read_texts`).
Entry = tuple[str, str, str, bool]
Texts = tuple[str, str]
FileStamp = tuple[int, int, int, int]  # size, modification and change time (ns), inode


@dataclass(frozen=True)
class Stamp:
    """What an output file looked like when this build published it."""

    key: str
    size: int
    mtime_ns: int


class Cache:
    """An open cache; `Cache.disabled()` remembers nothing and finds nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.notes: list[str] = []
        self._db: sqlite3.Connection | None = None
        # Images are made in threads (generator.media.publish), each asking for its entries.
        self._lock = threading.Lock()
        self.path = folder / DATABASE if folder is not None else None
        if self.path is not None:
            self._db = self._open(self.path)

    @classmethod
    def disabled(cls) -> Cache:
        return cls(None)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # see _lock
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                found = dict(db.execute("SELECT name, value FROM meta").fetchall())
                expected = {"format": FORMAT, "version": __version__}
                if found != expected:
                    if found:
                        self.notes.append(Message("the cache in %(folder)s was made by another Pressroom version; "
                                                  "it was emptied and is filled again by this build",
                                                  folder=str(path.parent)))
                    db.executescript("DROP TABLE IF EXISTS releases; DROP TABLE IF EXISTS outputs; "
                                     "DROP TABLE IF EXISTS search; DROP TABLE IF EXISTS seals; "
                                     "DROP TABLE IF EXISTS sources; DROP TABLE IF EXISTS texts; "
                                     "DROP TABLE IF EXISTS items; DELETE FROM meta;")
                    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(expected.items()))
                db.executescript(
                    "CREATE TABLE IF NOT EXISTS releases (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
                    " markdown TEXT NOT NULL, first TEXT NOT NULL, linked INTEGER NOT NULL);"
                    "CREATE TABLE IF NOT EXISTS texts (key TEXT PRIMARY KEY, html TEXT NOT NULL,"
                    " plain TEXT NOT NULL);"
                    "CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                    " mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,"
                    " hash TEXT NOT NULL) WITHOUT ROWID;"
                    "CREATE TABLE IF NOT EXISTS outputs (folder TEXT NOT NULL, path TEXT NOT NULL,"
                    " key TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
                    " PRIMARY KEY (folder, path)) WITHOUT ROWID;"
                    "CREATE TABLE IF NOT EXISTS media (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                    "CREATE TABLE IF NOT EXISTS seals (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                    "CREATE TABLE IF NOT EXISTS search (path TEXT PRIMARY KEY, key TEXT NOT NULL,"
                    " month TEXT NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
                    # A rowid table: its rows are a few kilobytes each, too large for WITHOUT ROWID.
                    "CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, rss BLOB NOT NULL,"
                    " atom BLOB NOT NULL, json TEXT NOT NULL);")
                return db
            except (sqlite3.DatabaseError, OSError) as exc:
                if attempt == 0 and isinstance(exc, sqlite3.DatabaseError):
                    self.notes.append(Message("the cache %(cache)s could not be read (%(problem)s); it was "
                                              "discarded and this build runs without it",
                                              cache=str(path), problem=str(exc)))
                    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                        leftover.unlink(missing_ok=True)
                    continue
                self.notes.append(Message("the cache %(cache)s cannot be used (%(problem)s); building without it",
                                          cache=str(path), problem=str(exc)))
                return None
        return None  # pragma: no cover

    # --- releases ------------------------------------------------------------------------

    def releases(self, keys: Iterable[str]) -> dict[str, Entry]:
        """The stored entries for those keys that are present, as text (the caller decodes and checks them)."""
        if self._db is None:
            return {}
        wanted = list(keys)
        found: dict[str, Entry] = {}
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = self._db.execute(
                    "SELECT key, value, markdown, first, linked FROM releases"
                    f" WHERE key IN ({','.join('?' * len(chunk))}) AND typeof(value) = 'text'"
                    " AND length(value) + length(markdown) + length(first) <= ?", (*chunk, MAX_ENTRY))
                for key, value, markdown, first, linked in rows:
                    if (type(key) is str and type(value) is str and type(markdown) is str and type(first) is str
                            and linked in (0, 1)):
                        found[key] = (value, markdown, first, bool(linked))
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return {}
        return found

    def keep_releases(self, used: Iterable[str], new: dict[str, tuple[Entry, Texts]]) -> None:
        """Store the `new` entries and forget every entry not `used` (deleted or changed files)."""
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN")
            self._keep_only(used, "releases", "texts")
            kept = {k: v for k, v in new.items() if len(v[0][0]) + len(v[0][1]) + len(v[0][2]) <= MAX_ENTRY
                    and sum(map(len, v[1])) <= MAX_ENTRY}
            self._db.executemany("INSERT OR REPLACE INTO releases VALUES (?, ?, ?, ?, ?)",
                                 ((k, *entry[:3], int(entry[3])) for k, (entry, _) in kept.items()))
            self._db.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)",
                                 ((k, *texts) for k, (_, texts) in kept.items()))
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    def _keep_only(self, used: Iterable[str], *tables: str) -> None:
        """Within the caller's transaction: forget the rows of `tables` whose key is not `used`."""
        assert self._db is not None
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM used")
        self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in used))
        for table in tables:  # names of this module's own, never from outside
            self._db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM used)")

    # --- release files -------------------------------------------------------------------

    def sources(self) -> dict[str, tuple[FileStamp, str]]:
        """Each release file's stamp when its bytes were last hashed, and that hash, by path."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute("SELECT path, size, mtime_ns, ctime_ns, inode, hash FROM sources")
            return {path: ((size, mtime, ctime, inode), hashed) for path, size, mtime, ctime, inode, hashed in rows
                    if type(path) is str and type(size) is int and type(mtime) is int and type(ctime) is int
                    and type(inode) is int and type(hashed) is str}
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return {}

    def keep_sources(self, found: Mapping[str, tuple[FileStamp, str]],
                     previous: Mapping[str, tuple[FileStamp, str]]) -> None:
        """Keep `found` as the release files' stamps, writing only the rows that differ from `previous`."""
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM sources WHERE path = ?",
                                 ((path,) for path in sorted(previous.keys() - found.keys())))
            # A file name that is not UTF-8 cannot be stored: such a file is read each time (and refused).
            self._db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                                 ((path, *stamp, hashed) for path, (stamp, hashed) in sorted(found.items())
                                  if previous.get(path) != (stamp, hashed) and _storable(path)))
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    # --- media entries -------------------------------------------------------------------

    @property
    def usable(self) -> bool:
        """Whether the cache keeps anything; a disabled or failed one does not."""
        return self._db is not None

    def media_entry(self, key: str) -> str | None:
        """The media store's entry under `key` as stored, if it is text of a sensible length."""
        with self._lock:
            if self._db is None:
                return None
            try:
                row = self._db.execute("SELECT value FROM media WHERE key = ? AND typeof(value) = 'text'"
                                       " AND length(value) <= ?", (key, MAX_MEDIA_ENTRY)).fetchone()
            except sqlite3.DatabaseError as exc:
                self._fail(exc)
                return None
            return row[0] if row is not None and isinstance(row[0], str) else None

    def keep_media_entry(self, key: str, entry: str) -> None:
        with self._lock:
            if self._db is None or len(entry) > MAX_MEDIA_ENTRY:
                return
            try:
                self._db.execute("INSERT OR REPLACE INTO media VALUES (?, ?)", (key, entry))
            except sqlite3.DatabaseError as exc:
                self._fail(exc)

    # --- feed items ----------------------------------------------------------------------

    def feed_items(self, keys: Sequence[str]) -> dict[str, tuple[bytes, bytes, str]]:
        """Releases' serialised RSS items, Atom entries and JSON Feed items (`outputs.feeds.items`)
        by key, those stored with the right types and a sensible length (the caller checks that
        they are the releases')."""
        if self._db is None:
            return {}
        found: dict[str, tuple[bytes, bytes, str]] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = self._db.execute(
                    f"SELECT key, rss, atom, json FROM items WHERE key IN ({','.join('?' * len(chunk))})"
                    " AND typeof(rss) = 'blob' AND typeof(atom) = 'blob' AND typeof(json) = 'text'"
                    " AND length(rss) + length(atom) + length(json) <= ?", (*chunk, MAX_ENTRY))
                found.update((key, (rss, atom, text)) for key, rss, atom, text in rows
                             if type(rss) is bytes and type(atom) is bytes and type(text) is str)
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return {}
        return found

    def keep_feed_items(self, used: Iterable[str], new: Mapping[str, tuple[bytes, bytes, str]]) -> None:
        """Store the `new` items and forget every item not `used` (of releases changed or gone)."""
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN")
            self._keep_only(used, "items")
            self._db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?)",
                                 ((k, *item) for k, item in sorted(new.items())
                                  if len(item[0]) + len(item[1]) + len(item[2]) <= MAX_ENTRY))
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    # --- named values --------------------------------------------------------------------

    def value(self, name: str) -> str | None:
        """A value kept under `name` (the last build's seal), as stored: the caller checks it."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM seals WHERE name = ? AND typeof(value) = 'text'"
                                   " AND length(value) <= ?", (name, MAX_ENTRY)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return None
        return row[0] if row is not None and isinstance(row[0], str) else None

    def keep_value(self, name: str, value: str) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO seals VALUES (?, ?)", (name, value))
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    # --- search records ------------------------------------------------------------------

    def search_keys(self) -> dict[str, tuple[str, str]]:
        """Each page the search took a record from: path → (page key, month). The records are asked
        for by `search_values`, only for the parts made anew: at 20,000 releases all of them are
        50 MB of text, and reading them took a third of a second."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute("SELECT path, key, month FROM search WHERE typeof(value) = 'text'")
            return {path: (key, month) for path, key, month in rows
                    if type(path) is str and type(key) is str and type(month) is str and _MONTH.fullmatch(month)}
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return {}

    def search_values(self, paths: Iterable[str]) -> dict[str, str]:
        """The record JSON of those pages that have one of a sensible length (the search decodes and checks it)."""
        if self._db is None:
            return {}
        wanted = list(paths)
        found: dict[str, str] = {}
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = self._db.execute(
                    f"SELECT path, value FROM search WHERE path IN ({','.join('?' * len(chunk))})"
                    " AND typeof(value) = 'text' AND length(value) <= ?", (*chunk, MAX_ENTRY))
                for path, value in rows:
                    if isinstance(path, str) and isinstance(value, str):
                        found[path] = value
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return {}
        return found

    def keep_search_records(self, changed: dict[str, tuple[str, str, str]], gone: Iterable[str]) -> None:
        """Store the `changed` rows and forget the pages that are `gone`; the rest stay as they are."""
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM search WHERE path = ?", ((path,) for path in sorted(gone)))
            self._db.executemany("INSERT OR REPLACE INTO search VALUES (?, ?, ?, ?)",
                                 ((path, *row) for path, row in sorted(changed.items())))
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    # --- output files --------------------------------------------------------------------

    def outputs(self, folder: Path) -> dict[str, Stamp]:
        if self._db is None:
            return {}
        try:
            rows = self._db.execute("SELECT path, key, size, mtime_ns FROM outputs WHERE folder = ?",
                                    (str(folder),))
            # Only well-typed rows: a damaged one makes its file be rendered again, nothing else.
            return {path: Stamp(key, size, mtime) for path, key, size, mtime in rows
                    if type(path) is str and type(key) is str and type(size) is int and type(mtime) is int}
        except sqlite3.DatabaseError as exc:
            self._fail(exc)
            return {}

    def keep_outputs(self, folder: Path, stamps: dict[str, Stamp], previous: Mapping[str, Stamp]) -> None:
        """Keep `stamps` as the outputs of `folder`, which held `previous` (as `outputs` read
        them): only the rows that differ are written, so a rebuild writes as many as it changed."""
        if self._db is None:
            return
        where = str(folder)
        try:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM outputs WHERE folder = ? AND path = ?",
                                 ((where, path) for path in sorted(previous.keys() - stamps.keys())))
            self._db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)",
                                 ((where, path, s.key, s.size, s.mtime_ns) for path, s in sorted(stamps.items())
                                  if previous.get(path) != s))
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._fail(exc)

    def _fail(self, exc: sqlite3.DatabaseError) -> None:
        self.notes.append(Message("the cache %(cache)s failed (%(problem)s); it is not used for the rest of this "
                                  "build", cache=str(self.path), problem=str(exc)))
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_INHERITED: list[sqlite3.Connection] = []


class TextReader:
    """Reads bodies' texts from a cache in whichever process asks: a page worker forked from the
    build opens a connection of its own (a connection must not cross a fork). Read-only; any
    failure is None, and the caller makes the texts anew."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro" if path is not None else ""
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    def texts(self, key: str) -> Texts | None:
        if self.path is None:
            return None
        try:
            if self._pid != os.getpid():
                if self._db is not None:
                    # Opened before this process was forked: closing it here could disturb the
                    # process it belongs to, so it is only let go of (kept until the end).
                    _INHERITED.append(self._db)
                self._pid = os.getpid()
                self._db = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            if self._db is None:
                return None
            row = self._db.execute("SELECT html, plain FROM texts WHERE key = ? AND length(html) + length(plain) <= ?",
                                   (key, MAX_ENTRY)).fetchone()
        except sqlite3.Error:
            self._db = None
            return None
        if row is None or type(row[0]) is not str or type(row[1]) is not str:
            return None
        return row[0], row[1]
