"""`pressroom serve`: a live preview for the press office.

The site is built into a temporary folder (never SITE/output, which belongs to
`build`), served on 127.0.0.1 and rebuilt whenever a file under the site folder
changes. Open pages reload themselves: the server, and only the server, adds a
small script (`reload.js`) to every HTML page it sends; the script polls
`/__pressroom/status` and reloads on a new build, or shows the errors of a
failed one as an overlay until they are fixed. The built files never contain it.

The preview shows drafts, so it must stay on this machine: it listens on the
loopback address only and answers only requests addressed to it by name
(`Host: 127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`), so that a web page
in the browser cannot read it through a DNS name of its own that points at
127.0.0.1 (DNS rebinding). It never serves a file outside the output folder,
and nothing a build or a request does stops it: an unexpected failure keeps the
last good build up and shows one line, its traceback goes to a log file.
"""

from __future__ import annotations

import datetime as dt
import errno
import html
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote, urlsplit

from watchfiles import Change, DefaultFilter, watch

from generator.build.cache import CACHE_DIR
from generator.build.pipeline import BuildOptions, build
from generator.commands import clock, speech
from generator.commands.speech import plural, say
from generator.content.settings import load_settings
from generator.core import mime
from generator.core.errors import N_, BuildErrors, Message, PressroomError, UsageError
from generator.render.templates import theme_folder, theme_folders, translations

HOST = "127.0.0.1"
HOST_NAMES = ("127.0.0.1", "localhost", "[::1]")  # the names a browser on this machine uses for it
STATUS_PATH = "/__pressroom/status"
SCRIPT_PATH = "/__pressroom/reload.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'
ERROR_LOG = f"{CACHE_DIR}/serve-error.log"  # under the site folder; the watcher ignores the cache folder

# Folders of a site folder that builds write into: changes there must not trigger a rebuild.
IGNORED_DIRS = ("output", CACHE_DIR)
IGNORED_PREFIXES = (".output.", ".~lock.", ".#")
IGNORED_SUFFIXES = (".tmp", ".bak", ".part", ".crdownload", "~", ".swp", ".swx", ".kate-swp")

# The preview's own texts (msgids; German in templates/locale/de/LC_MESSAGES/messages.po).
TEXTS = {
    "title": N_("The preview is not up to date: errors in the content"),
    "hint": N_("Fix the errors and save the file. Until then the preview shows the last error-free version. "
               "What the messages mean is explained in docs/pressestelle.md, section 8."),
    "hide": N_("Hide"),
    "preview": N_("Pressroom preview"),
    "waiting": N_("The page has not been built yet. As soon as the errors are fixed, it appears here by itself."),
}


DRAFTS_LISTED = 5  # newest first


@dataclass(frozen=True)
class ServeOptions:
    site: Path
    port: int = 8000
    drafts: bool = True  # a preview is where drafts are read; each is marked as one
    now: str | None = None  # --now as given, read anew at each rebuild; None: the clock at each rebuild


@dataclass(frozen=True)
class Texts:
    """The preview's texts in one language."""

    language: str
    values: Mapping[str, str]


@dataclass
class Status:
    """What the browser script asks for: the build number, the errors of the last build, if any, and the texts."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    texts: Texts = field(default_factory=lambda: texts_for(None))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, errors: list[str], texts: Texts | None = None) -> None:
        with self.lock:
            self.version += 1
            self.errors = errors
            if texts is not None:
                self.texts = texts

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "errors": self.errors, "texts": dict(self.texts.values)},
                              ensure_ascii=False).encode()

    def waiting_page(self) -> bytes:
        """What a page that was never built shows (before the first good build, or for a wrong address)."""
        with self.lock:
            texts = self.texts
        title = html.escape(texts.values["preview"])
        return (f'<!doctype html><html lang="{html.escape(texts.language)}"><head><meta charset="utf-8">'
                f"<title>{title}</title></head><body><main><h1>{title}</h1>"
                f"<p>{html.escape(texts.values['waiting'])}</p></main></body></html>").encode()


@cache
def _theme_texts(language: str) -> Texts:
    found = translations([theme_folder()], language)
    return Texts(language, {name: found.gettext(message) for name, message in TEXTS.items()})


def texts_for(site: Path | None) -> Texts:
    """The preview's texts in the site's language (German while site.toml cannot say), the site's catalog first."""
    if site is None:
        return _theme_texts("de")
    try:
        language = load_settings(site).language
    except BuildErrors:
        language = "de"
    try:
        found = translations(theme_folders(site), language)
    except Exception:  # the site's own catalog is broken: the build reports it, the theme's texts will do
        return _theme_texts(language)
    return Texts(language, {name: found.gettext(message) for name, message in TEXTS.items()})


@cache
def reload_script() -> bytes:
    return resources.files("generator.commands").joinpath("reload.js").read_bytes()


class SiteFilter(DefaultFilter):
    """watchfiles' editor and VCS ignores, plus what builds and office programs leave behind."""

    def __init__(self, site: Path) -> None:
        super().__init__()
        self.site = site.resolve()

    def __call__(self, change: Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        try:
            parts = Path(path).resolve().relative_to(self.site).parts
        except ValueError:
            return True
        if not parts or parts[0] in IGNORED_DIRS:
            return False
        name = parts[-1]
        return not (name.startswith(IGNORED_PREFIXES) or name.endswith(IGNORED_SUFFIXES))


def serve(options: ServeOptions) -> int:
    """Serve until Ctrl-C; 0 on a clean stop."""
    status = Status()
    folder = Path(tempfile.mkdtemp(prefix="pressroom-serve-"))
    output = folder / "site"
    try:
        server = _server(options.port, output, status)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    url = f"http://{HOST}:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="pressroom-http", daemon=True)
    try:
        with _stop_on_sigterm():
            thread.start()
            print(say(Message("Serving %(site)s at %(url)s (press Ctrl-C to stop)", site=str(options.site), url=url)),
                  flush=True)
            built = False
            due: dt.datetime | None = None  # when a scheduled release or an expiring appeal changes the site
            # The watcher exists before the first build (its first yield is a timeout), so an
            # edit saved while that build runs is not lost.
            for changes in watch(options.site, watch_filter=SiteFilter(options.site), debounce=300, step=50,
                                 rust_timeout=500, yield_on_timeout=True, raise_interrupt=True):
                if changes:
                    print(say(Message("changed: %(files)s", files=_names(options.site, changes))), flush=True)
                elif built and due is not None and options.now is None and clock.clock() >= due:
                    print(say(Message("due: %(when)s (a scheduled release or an expiring appeal)",
                                      when=due.isoformat())),
                          flush=True)
                elif built:
                    continue
                due = rebuild(options, output, url, status)
                built = True
    except KeyboardInterrupt:
        print("\n" + say(N_("stopped")), flush=True)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _names(site: Path, changes: set[tuple[Change, str]]) -> str:
    names = sorted({os.path.relpath(path, site) for _, path in changes})
    more = say(Message(" and %(count)s more", count=len(names) - 5)) if len(names) > 5 else ""
    return ", ".join(names[:5]) + more


def rebuild(options: ServeOptions, output: Path, url: str, status: Status) -> dt.datetime | None:
    """One build; its errors go to the terminal and to the browser, the last good site stays up.

    Returns when the site next changes by the clock alone (None: not before the next edit).
    Any failure short of Ctrl-C is caught here: a preview that dies on a bug in Pressroom,
    a full disk or a template that cannot render would leave the press office with nothing.
    """
    try:
        texts = texts_for(options.site)
        now = clock.clock() if options.now is None else clock.at(options.now, options.site)
        report = build(BuildOptions(site=options.site, output=output, now=now, base_url=url,
                                    drafts=options.drafts, jobs=1, quiet=True,
                                    # A preview may rename files freely; the published site's guard is in build.
                                    allow_removed=True,
                                    # Indexing is the slowest step and previews are about the page at hand.
                                    search=False))
    except BuildErrors as exc:
        lines = [speech.problem(p) for p in exc.problems]
        for line in lines:
            print(line, file=sys.stderr, flush=True)
        print(plural("%(count)s error; the preview shows the last good build until it is fixed",
                     "%(count)s errors; the preview shows the last good build until they are fixed", len(lines)),
              file=sys.stderr, flush=True)
        status.finished(lines, _texts_or_none(options.site))
        return None
    except PressroomError as exc:  # OutputError, and a --now that does not exist in a changed time zone
        line = f"{say(N_('error'))}: {say(exc.message)}"
        print(line, file=sys.stderr, flush=True)
        status.finished([line], _texts_or_none(options.site))
        return None
    except Exception as exc:
        line = f"{say(N_('error'))}: " + say(Message(
            "the build failed unexpectedly (%(problem)s); the preview shows the last good build",
            problem=_one_line(exc)))
        log = _log_traceback(options.site, exc)
        details = say(Message("; the details are in %(log)s", log=log)) if log else ""
        print(line + details, file=sys.stderr, flush=True)
        status.finished([line], _texts_or_none(options.site))
        return None
    print(say(Message("rebuilt: %(published)s published, %(drafts)s in %(seconds)s s → %(url)s",
                      published=report.published,
                      drafts=plural("%(count)s draft", "%(count)s drafts", report.drafts),
                      seconds=_seconds(report.seconds), url=url)), flush=True)
    # Drafts are in no list, so the writer finds them here (each page is marked as a draft).
    for path in report.draft_paths[:DRAFTS_LISTED]:
        address = url.rstrip("/") + "/" + path.lstrip("/")
        print("  " + say(Message("draft (not published): %(url)s", url=address)), flush=True)
    if len(report.draft_paths) > DRAFTS_LISTED:
        print("  " + say(Message("… and %(count)s more drafts", count=len(report.draft_paths) - DRAFTS_LISTED)),
              flush=True)
    status.finished([], texts)
    return report.next_due.when if report.next_due is not None else None


def _seconds(seconds: float) -> str:
    text = f"{seconds:.2f}"
    return text.replace(".", ",") if speech.language() == "de" else text


def _texts_or_none(site: Path) -> Texts | None:
    try:
        return texts_for(site)
    except Exception:  # reading the texts failed as well: keep the ones shown so far
        return None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 200 else text[:199] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _log_traceback(site: Path, exc: BaseException) -> str | None:
    """The traceback into SITE/.pressroom-cache/serve-error.log (for a bug report); its name, or None."""
    path = site / ERROR_LOG
    when = clock.clock().isoformat()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{when}\n{''.join(traceback.format_exception(exc))}", encoding="utf-8")
    except OSError:
        return None
    return str(path)


class _PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """A request that fails costs that request only, and never prints a traceback."""
        exc = sys.exception()
        if exc is None or isinstance(exc, ConnectionError | TimeoutError):
            return  # the browser went away (a reload while a page was sent)
        print(f"{say(N_('error'))}: " + say(Message("a request failed (%(problem)s)", problem=_one_line(exc))),
              file=sys.stderr, flush=True)


def _server(port: int, output: Path, status: Status) -> ThreadingHTTPServer:
    handler = _handler_class(output, status)
    try:
        server = _PreviewServer((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(Message("port %(port)s is already in use (another preview?); stop that one or choose "
                                     "another port, e.g. --port %(other)s", port=port,
                                     other=port + 1 if port else 8001)) from None
        raise UsageError(Message("cannot listen on %(host)s:%(port)s: %(problem)s", host=HOST, port=port,
                                 problem=str(exc.strerror or exc))) from None
    return server


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """A SIGTERM (from a service manager or a test) stops as cleanly as Ctrl-C."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _handler_class(output: Path, status: Status) -> type[SimpleHTTPRequestHandler]:
    class Handler(_PreviewHandler):
        pass

    Handler.output = output
    Handler.status = status
    return Handler


def allowed_host(headers: list[str], port: int) -> bool:
    """Whether the request names this preview: exactly one Host header, a loopback name with our port.

    The port is required (a browser always sends it for a port other than 80, where it
    leaves it out); a page of another origin cannot make the browser send a loopback name.
    """
    allowed = {f"{name}:{port}" for name in HOST_NAMES} | (set(HOST_NAMES) if port == 80 else set())
    return len(headers) == 1 and headers[0].strip().lower() in allowed


class _PreviewHandler(SimpleHTTPRequestHandler):
    output: Path
    status: Status

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(self.output), **kwargs)

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        # Pressroom's own table: the standard handler would ask the machine's /etc/mime.types.
        return mime.content_type(os.fspath(path))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for build results and errors, not for every request

    def parse_request(self) -> bool:
        """Refuses, before anything else, a request addressed to another name (DNS rebinding)."""
        if not super().parse_request():
            return False
        port: int = self.connection.getsockname()[1]  # the port this request came in on
        if allowed_host(self.headers.get_all("Host") or [], port):
            return True
        self.close_connection = True
        self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                   f"Forbidden: this preview answers only at http://{HOST}:{port}/ "
                   f"or http://localhost:{port}/\n".encode())
        return False

    def end_headers(self) -> None:
        # A preview must always show the newest build.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def _answer(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == STATUS_PATH:
            self._send(HTTPStatus.OK, "application/json", self.status.as_json())
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", reload_script())
            return
        target = self._target(path)
        if target is None:
            self._missing()
            return
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", with_script(target.read_bytes()))
            return
        if not target.exists():
            self._missing()
            return
        # The rest (media, feeds, a folder's redirect to its slash) as http.server does it.
        if self.command == "HEAD":
            super().do_HEAD()
        else:
            super().do_GET()

    def _target(self, path: str) -> Path | None:
        """The file `path` names inside the output folder, or None for what can name none there.

        http.server already drops `..` segments; a NUL byte, a name too long for the file
        system or a link out of the folder end here too, as a missing page.
        """
        if "\x00" in path or "\\" in path:
            return None
        root = Path(self.directory)
        try:
            target = Path(self.translate_path(path))
            target.resolve().relative_to(root.resolve())
            target.exists()  # a name too long for the file system raises here rather than later
        except (OSError, ValueError):
            return None
        return target

    def _missing(self) -> None:
        page = Path(self.directory) / "404.html"
        try:
            body = page.read_bytes()
        except OSError:
            body = self.status.waiting_page()
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", with_script(body))

    def _send(self, code: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def with_script(page: bytes) -> bytes:
    """The page with the reload script before </body> (or at the end)."""
    tag = SCRIPT_TAG.encode()
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


__all__ = ["SCRIPT_TAG", "TEXTS", "ServeOptions", "Status", "allowed_host", "rebuild", "reload_script", "serve",
           "texts_for", "with_script"]
