"""`pressroom serve`: answers, rebuilds on edits, survives broken files, stops cleanly.

Each test starts the real command in a child process on a free port and always
stops it in teardown; every wait is bounded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, start_pressroom
from tests.support.forkserver import Child, FreshChild
from tests.support.sites import minimal_site, write_release

WAIT = 20.0  # seconds: generous for a shared CI machine, still bounded
FRONT = "id: unfall\ntitle: {title}\ndate: 2026-11-20T10:00:00+01:00\nauthority: polizei-test"
PAGE = "meldung/unfall/"


class Output:
    """Follows a file the command writes to, line by line as it comes, until told it has ended."""

    def __init__(self, path: Path) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.ended = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(path,), daemon=True)
        self.thread.start()

    def _read(self, path: Path) -> None:
        pending = ""
        # as subprocess.run(text=True) decodes: the locale's encoding, universal newlines
        with open(path, encoding=None, newline=None) as handle:
            while True:
                done = self.ended.is_set()  # before the read: what was written until then is read
                chunk = handle.readline()
                if chunk:
                    pending += chunk
                    if pending.endswith("\n"):
                        self.lines.put(pending)
                        pending = ""
                elif done:
                    break
                else:
                    time.sleep(0.02)
        if pending:
            self.lines.put(pending)

    def next_line(self, timeout: float) -> str | None:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        self.seen.append(line)
        return line

    def text(self) -> str:
        self.ended.set()
        self.thread.join(timeout=WAIT)
        while self.next_line(0) is not None:
            pass
        return "".join(self.seen)


@dataclass
class Server:
    process: Child | FreshChild
    url: str
    site: Path
    out: Output
    err: Output

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def status(self) -> dict[str, Any]:
        code, body = self.get("__pressroom/status")
        assert code == 200
        result: dict[str, Any] = json.loads(body)
        return result

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as a user stops it; killed if it does not stop within WAIT seconds."""
        if self.process.poll() is None:
            self.process.kill(signal.SIGINT)
        if self.process.wait(WAIT) is None:
            self.process.kill()
            self.process.wait(None)
        code = self.process.returncode
        assert code is not None
        out, err = self.out.text(), self.err.text()
        self.process.close()
        return code, out, err


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up after {WAIT:.0f} s waiting for {what}")


def start(site: Path, *args: str) -> Server:
    # Forked from the test fork server (tests/support/forkserver.py), which starts no other
    # command until this one has ended.
    process = start_pressroom("serve", site, "--port", "0", *args, environ={**os.environ, "PYTHONUNBUFFERED": "1"})
    out, err = Output(process.out), Output(process.err)
    deadline = time.monotonic() + WAIT
    line: str | None = ""
    while line is not None and "http://" not in line:
        line = out.next_line(max(0.0, deadline - time.monotonic()))  # the first line names the address
    if line is None:
        process.kill()
        process.wait(None)
        said = out.text() + err.text()
        process.close()
        raise AssertionError(f"serve did not start:\n{said}")
    server = Server(process, line[line.index("http://"):].split()[0], site, out, err)
    try:
        wait_for(lambda: server.status()["version"] >= 1, "the first build")
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = minimal_site(tmp_path / "site")
    write_release(site, "unfall", FRONT.format(title="Unfall in Buer"), "Ein Auto fuhr gegen einen Baum.\n")
    write_release(site, "entwurf", "id: entwurf\ntitle: Noch geheim\ndate: 2026-11-20\n"
                  "authority: polizei-test\ndraft: true")
    return site


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    running = start(site)
    try:
        yield running
    finally:
        running.stop()


def test_serves_the_site_with_the_reload_script(server: Server) -> None:
    code, page = server.get(PAGE)
    assert code == 200
    assert "POL-TS: Unfall in Buer" in page
    assert '<script src="/__pressroom/reload.js" defer></script></body>' in page
    code, script = server.get("__pressroom/reload.js")
    assert code == 200 and "__pressroom/status" in script
    assert server.status()["errors"] == []
    code, draft = server.get("meldung/entwurf/")  # the preview shows drafts, marked as such
    assert code == 200 and "Noch geheim" in draft and 'class="draft-banner"' in draft
    # and names their addresses, since no list shows a draft
    _, out, _ = server.stop()
    assert f"  draft (not published): {server.url}meldung/entwurf/\n" in out


def test_an_edit_shows_up_within_seconds(server: Server) -> None:
    path = server.site / "content/releases/unfall.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Unfall in Buer", "Unfall in Horst"), encoding="utf-8")
    wait_for(lambda: "POL-TS: Unfall in Horst" in server.get(PAGE)[1], "the edited title")


def test_a_broken_file_is_shown_and_the_server_recovers(server: Server) -> None:
    path = server.site / "content/releases/unfall.md"
    good = path.read_text(encoding="utf-8")
    before = server.status()["version"]
    path.write_text(good.replace("authority: polizei-test", "authority: polizei-tset"), encoding="utf-8")

    wait_for(lambda: bool(server.status()["errors"]), "the error to reach the overlay endpoint")
    errors = server.status()["errors"]
    assert errors == ['content/releases/unfall.md:5: error: unknown authority "polizei-tset" '
                      "(did you mean polizei-test (POL-TS)?); write the id, one of: feuerwehr-test (FW-TS), "
                      "polizei-test (POL-TS)"]
    code, page = server.get(PAGE)  # the last good build stays up
    assert code == 200 and "Unfall in Buer" in page
    assert server.process.poll() is None

    path.write_text(good.replace("Unfall in Buer", "Unfall in Erle"), encoding="utf-8")
    wait_for(lambda: not server.status()["errors"] and "Unfall in Erle" in server.get(PAGE)[1], "recovery")
    assert server.status()["version"] > before

    code, out, err = server.stop()
    assert code == 0
    assert "unknown authority" in err  # the terminal showed it too
    assert "Traceback" not in out + err


def test_build_output_and_editor_files_do_not_trigger_a_rebuild(server: Server) -> None:
    before = server.status()["version"]
    for name in ("output/index.html", ".pressroom-cache/x.bin", "content/releases/.#unfall.md",
                 "content/releases/unfall.md~", "content/releases/unfall.md.swp"):
        path = server.site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    time.sleep(2)  # well past the watcher's debounce
    assert server.status()["version"] == before
    (server.site / "content/pages").mkdir()
    (server.site / "content/pages/impressum.md").write_text("---\ntitle: Impressum\n---\n\nText\n",
                                                            encoding="utf-8")
    # (the new site is in place a moment before the status says so)
    wait_for(lambda: server.get("impressum/")[0] == 200 and server.status()["version"] > before, "the new page")
    assert server.status()["errors"] == []


def test_a_scheduled_release_appears_when_it_falls_due(site: Path) -> None:
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=4)).replace(microsecond=0)
    write_release(site, "bald", f"id: bald\ntitle: Sperrfrist\ndate: {soon.isoformat()}\nauthority: polizei-test")
    server = start(site)
    try:
        if dt.datetime.now(dt.UTC) < soon - dt.timedelta(seconds=1):  # a slow machine may be late already
            assert server.get("meldung/bald/")[0] == 404
        wait_for(lambda: server.get("meldung/bald/")[0] == 200, "the scheduled release, without any edit")
    finally:
        server.stop()


def test_ctrl_c_stops_cleanly(server: Server) -> None:
    code, out, err = server.stop()
    assert code == 0
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert out.rstrip().endswith("stopped")


def test_no_drafts_shows_the_site_as_published(site: Path) -> None:
    server = start(site, "--no-drafts")
    try:
        assert server.get("meldung/entwurf/")[0] == 404
        assert server.get(PAGE)[0] == 200
    finally:
        server.stop()


def test_a_port_in_use_is_a_clear_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        result = subprocess.run([sys.executable, "-m", "generator", "serve", str(site), "--port", str(port)],
                                env=env, capture_output=True, text=True, timeout=WAIT, check=False)
    assert result.returncode == 2
    assert f"port {port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_reload_script_is_never_in_build_output(demo_output: Path) -> None:
    for path in demo_output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".xml", ".json", ".txt"):
            assert "__pressroom" not in path.read_text(encoding="utf-8", errors="replace"), path


@pytest.mark.browser
def test_the_browser_shows_the_error_overlay_and_reloads(server: Server) -> None:
    """What a press officer sees: the open page reloads on a save, and shows errors until they are fixed."""
    from tests.support.browser import chromium_available, chromium_browser

    if not chromium_available():
        pytest.skip("Chromium is not installed")
    path = server.site / "content/releases/unfall.md"
    good = path.read_text(encoding="utf-8")
    with chromium_browser() as browser:
        page = browser.new_page()
        page.goto(server.url + PAGE)
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Unfall in Buer')")
        page.wait_for_timeout(1000)  # let the script take note of the current build

        path.write_text(good.replace("title: Unfall", "titel: Unfall"), encoding="utf-8")
        overlay = page.locator("#pressroom-errors[role=alert]")
        overlay.wait_for(state="visible", timeout=WAIT * 1000)
        text = overlay.inner_text()
        assert 'content/releases/unfall.md:3: error: unknown key "titel"' in text
        assert "Fehler" in text

        path.write_text(good.replace("Unfall in Buer", "Unfall in Hassel"), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Unfall in Hassel')",
                               timeout=WAIT * 1000)
        assert page.locator("#pressroom-errors").count() == 0
        page.close()
