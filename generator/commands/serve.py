"""`pressroom serve`: a live preview for the press office.

The site is built into a temporary folder (never SITE/output, which belongs to
`build`), served on 127.0.0.1 and rebuilt whenever a file under the site folder
changes. Open pages reload themselves: the server, and only the server, adds a
small script to every HTML page it sends; the script polls
`/__pressroom/status` and reloads on a new build, or shows the errors of a
failed one as an overlay until they are fixed. The built files never contain it.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote, urlsplit

from watchfiles import Change, DefaultFilter, watch

from generator.build.pipeline import BuildOptions, build
from generator.core import mime
from generator.core.errors import BuildErrors, OutputError, PressroomError, UsageError

HOST = "127.0.0.1"
STATUS_PATH = "/__pressroom/status"
SCRIPT_PATH = "/__pressroom/reload.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'

# Folders of a site folder that builds write into: changes there must not trigger a rebuild.
IGNORED_DIRS = ("output", ".pressroom-cache")
IGNORED_PREFIXES = (".output.", ".~lock.", ".#")
IGNORED_SUFFIXES = (".tmp", ".bak", ".part", ".crdownload", "~", ".swp", ".swx", ".kate-swp")

@dataclass(frozen=True)
class ServeOptions:
    site: Path
    port: int = 8000
    drafts: bool = False
    now: dt.datetime | None = None  # None: the clock at each rebuild


@dataclass
class Status:
    """What the browser script asks for: the build number and the errors of the last build, if any."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, errors: list[str]) -> None:
        with self.lock:
            self.version += 1
            self.errors = errors

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "errors": self.errors}, ensure_ascii=False).encode()


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
            print(f"Serving {options.site} at {url} (press Ctrl-C to stop)", flush=True)
            built = False
            due: dt.datetime | None = None  # when a scheduled release or an expiring appeal changes the site
            # The watcher exists before the first build (its first yield is a timeout), so an
            # edit saved while that build runs is not lost.
            for changes in watch(options.site, watch_filter=SiteFilter(options.site), debounce=300, step=50,
                                 rust_timeout=500, yield_on_timeout=True, raise_interrupt=True):
                if changes:
                    print(f"changed: {_names(options.site, changes)}", flush=True)
                elif built and due is not None and options.now is None and _clock() >= due:
                    print(f"due: {due.isoformat()} (a scheduled release or an expiring appeal)", flush=True)
                elif built:
                    continue
                due = rebuild(options, output, url, status)
                built = True
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _names(site: Path, changes: set[tuple[Change, str]]) -> str:
    names = sorted({os.path.relpath(path, site) for _, path in changes})
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def rebuild(options: ServeOptions, output: Path, url: str, status: Status) -> dt.datetime | None:
    """One build; its errors go to the terminal and to the browser, the last good site stays up.

    Returns when the site next changes by the clock alone (None: not before the next edit).
    """
    now = options.now or _clock()
    try:
        report = build(BuildOptions(site=options.site, output=output, now=now, base_url=url,
                                    drafts=options.drafts, jobs=1, quiet=True,
                                    # A preview may rename files freely; the published site's guard is in build.
                                    allow_removed=True,
                                    # Indexing is the slowest step and previews are about the page at hand.
                                    search=False))
    except BuildErrors as exc:
        lines = [str(p) for p in exc.problems]
        for line in lines:
            print(line, file=sys.stderr, flush=True)
        print(f"{len(lines)} error{'s' if len(lines) != 1 else ''}; the preview shows the last good "
              "build until they are fixed", file=sys.stderr, flush=True)
        status.finished(lines)
        return None
    except (OutputError, PressroomError) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        status.finished([f"error: {exc}"])
        return None
    print(f"rebuilt: {report.published} published, {report.drafts} drafts in {report.seconds:.2f} s → {url}",
          flush=True)
    status.finished([])
    return report.next_due.when if report.next_due is not None else None


def _server(port: int, output: Path, status: Status) -> ThreadingHTTPServer:
    handler = _handler_class(output, status)
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is already in use (another preview?); stop that one or choose "
                             f"another port, e.g. --port {port + 1 if port else 8001}") from None
        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
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

    def end_headers(self) -> None:
        # A preview must always show the newest build.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == STATUS_PATH:
            self._send(HTTPStatus.OK, "application/json", self.status.as_json())
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
            return
        page = self._html_file(path)
        if page is not None:
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", with_script(page.read_bytes()))
            return
        if self._is_missing(path):
            missing = Path(self.directory) / "404.html"
            body = missing.read_bytes() if missing.is_file() else WAITING_PAGE.encode()
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", with_script(body))
            return
        super().do_GET()

    def _html_file(self, path: str) -> Path | None:
        target = Path(self.translate_path(path))
        if target.is_dir():
            if not path.endswith("/"):
                return None  # the base class redirects to the folder with a slash
            target = target / "index.html"
        return target if target.suffix == ".html" and target.is_file() else None

    def _is_missing(self, path: str) -> bool:
        return not Path(self.translate_path(path)).exists()

    def _send(self, code: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def with_script(page: bytes) -> bytes:
    """The page with the reload script before </body> (or at the end)."""
    tag = SCRIPT_TAG.encode()
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


WAITING_PAGE = (
    '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Pressroom-Vorschau</title></head>'
    "<body><main><h1>Pressroom-Vorschau</h1><p>Die Seite ist noch nicht gebaut. "
    "Sobald die Fehler behoben sind, erscheint sie hier von selbst.</p></main></body></html>"
)

_OVERLAY_TITLE = json.dumps("Die Vorschau ist nicht aktuell: Fehler im Inhalt", ensure_ascii=False)
_OVERLAY_HINT = json.dumps("Beheben Sie die Fehler und speichern Sie die Datei. "
                           "Bis dahin zeigt die Vorschau den letzten fehlerfreien Stand. Was die Meldungen "
                           "bedeuten, steht in docs/pressestelle.md, Abschnitt 8.", ensure_ascii=False)

_OVERLAY_HIDE = json.dumps("Ausblenden", ensure_ascii=False)

_SCRIPT_TEMPLATE = """// Added by `pressroom serve` only; never part of a built site.
(function () {
  "use strict";
  var seen = null;    // the build this page shows
  var box = null;     // the error panel, while there are errors
  var shown = "";     // the errors in it, so that it is only redrawn (and re-announced) on a change
  var dismissed = ""; // errors the reader hid with the button
  function panel(errors) {
    var text = errors.join("\\n");
    if (text === shown || text === dismissed) { return; }
    if (box) { box.remove(); }
    shown = text;
    box = document.createElement("div");
    box.id = "pressroom-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;top:0;left:0;right:0;max-height:75vh;overflow:auto;" +
      "z-index:2147483647;padding:1.25rem 2rem;background:#3a0000;color:#fff;" +
      "border-bottom:6px solid #ff4d4d;box-shadow:0 6px 24px rgba(0,0,0,.6);" +
      "font:16px/1.5 system-ui,sans-serif;text-align:left";
    var h = document.createElement("h2");
    h.style.cssText = "margin:0 0 .5rem;font-size:1.3rem;color:#fff";
    h.textContent = __TITLE__;
    var p = document.createElement("p");
    p.style.cssText = "margin:0 0 .75rem";
    p.textContent = __HINT__;
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:0 0 .75rem;white-space:pre-wrap;font:15px/1.5 ui-monospace,monospace;" +
      "background:#000;color:#fff;padding:1rem";
    pre.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = __HIDE__;
    button.style.cssText = "font:inherit;padding:.25rem .75rem";
    button.addEventListener("click", function () { dismissed = text; hide(); });
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(pre);
    box.appendChild(button);
    document.body.appendChild(box);
  }
  function hide() {
    if (box) { box.remove(); box = null; }
    shown = "";
  }
  function poll() {
    fetch("__STATUS__", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen && s.errors.length === 0) {
        location.reload();
        return;
      }
      seen = s.version;
      if (s.errors.length) { panel(s.errors); } else { hide(); }
      setTimeout(poll, 700);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
"""


def _filled(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace(name, value)
    return template


RELOAD_SCRIPT = _filled(_SCRIPT_TEMPLATE, {"__TITLE__": _OVERLAY_TITLE, "__HINT__": _OVERLAY_HINT,
                                           "__HIDE__": _OVERLAY_HIDE, "__STATUS__": STATUS_PATH})


__all__ = ["RELOAD_SCRIPT", "SCRIPT_TAG", "ServeOptions", "Status", "rebuild", "serve", "with_script"]
