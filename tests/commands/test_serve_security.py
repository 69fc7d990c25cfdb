"""`pressroom serve` stays local and stays up: the preview shows drafts, so it must not leak them.

Each test runs the real command on a free port (see tests/commands/test_serve.py) and talks to it
with raw HTTP requests, so that the Host header and the request line are exactly as given.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.render.templates import theme_folder
from tests.commands.test_serve import FRONT, PAGE, WAIT, Server, start, wait_for
from tests.support.sites import minimal_site, write_release

SECRET = "Noch geheim"  # the title of a draft: what DNS rebinding would be after


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = minimal_site(tmp_path / "site")
    write_release(site, "unfall", FRONT.format(title="Unfall in Buer"), "Ein Auto fuhr gegen einen Baum.\n")
    write_release(site, "entwurf", f"id: entwurf\ntitle: {SECRET}\ndate: 2026-11-20\n"
                  "authority: polizei-test\ndraft: true")
    return site


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    running = start(site, "--drafts")
    try:
        yield running
    finally:
        running.stop()


def port_of(server: Server) -> int:
    port = urlsplit(server.url).port
    assert port is not None
    return port


def request(server: Server, path: str, host: str | list[str] | None, method: str = "GET") -> tuple[int, bytes]:
    """One request with exactly the Host header(s) given (None: none at all)."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=5)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for value in [] if host is None else [host] if isinstance(host, str) else host:
            connection.putheader("Host", value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def raw(server: Server, request_bytes: bytes) -> tuple[int, bytes]:
    """Bytes as they are on the wire, for what http.client refuses to send (a NUL, a bare `..`)."""
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=5) as connection:
        connection.sendall(request_bytes)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def own(server: Server) -> str:
    return f"127.0.0.1:{port_of(server)}"


def test_only_its_own_loopback_names_with_its_port_are_answered(server: Server) -> None:
    port = port_of(server)
    hosts: dict[str | None, int] = {
        f"127.0.0.1:{port}": 200,
        f"localhost:{port}": 200,
        f"LocalHost:{port}": 200,  # host names are case-insensitive
        f"[::1]:{port}": 200,
        "evil.example": 403,
        f"evil.example:{port}": 403,
        f"127.0.0.1:{port + 1 if port < 65535 else port - 1}": 403,
        "127.0.0.1": 403,
        "localhost": 403,
        "[::1]": 403,
        f"127.0.0.1.evil.example:{port}": 403,
        f"localhost.:{port}": 403,
        f"localhost:{port}.evil.example": 403,
        f"user@127.0.0.1:{port}": 403,
        f"127.0.0.1:0{port}": 403,
        "": 403,
        None: 403,
    }
    for path in (PAGE, "meldung/entwurf/", "__pressroom/status", "__pressroom/reload.js", "", "no/such/page"):
        got = {host: request(server, "/" + path, host)[0] for host in hosts}
        expected = {host: (code if code == 403 or path != "no/such/page" else 404) for host, code in hosts.items()}
        assert got == expected, path


def test_a_refused_request_learns_nothing(server: Server) -> None:
    code, body = request(server, "/meldung/entwurf/", "evil.example")
    assert code == 403
    assert body == f"Forbidden: this preview answers only at http://127.0.0.1:{port_of(server)}/ or " \
                   f"http://localhost:{port_of(server)}/\n".encode()
    code, body = request(server, "/__pressroom/status", f"rebind.example:{port_of(server)}")
    assert (code, b"version" in body) == (403, False)
    for method in ("HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PROPFIND"):
        assert request(server, "/meldung/entwurf/", "evil.example", method)[0] == 403, method
    # A draft is there for the preview's own address.
    code, body = request(server, "/meldung/entwurf/", own(server))
    assert code == 200 and SECRET in body.decode()


def test_two_host_headers_are_refused(server: Server) -> None:
    assert request(server, "/", [own(server), "evil.example"])[0] == 403
    assert request(server, "/", ["evil.example", own(server)])[0] == 403
    assert request(server, "/", [own(server), own(server)])[0] == 403
    # HTTP/1.0 without a Host header at all
    assert raw(server, b"GET / HTTP/1.0\r\n\r\n")[0] == 403


def test_paths_never_leave_the_output_folder_and_never_stop_the_server(server: Server) -> None:
    host = own(server).encode()
    attacks = {
        b"/../../../../etc/passwd": 404,
        b"/meldung/../../../../../etc/passwd": 404,
        b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd": 404,
        b"/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd": 404,
        b"/..%2f..%2f..%2fetc%2fpasswd": 404,
        b"/..\\..\\..\\etc\\passwd": 404,
        b"//etc/passwd": 404,
        b"/%00": 404,
        b"/meldung/unfall/%00index.html": 404,
        b"/meldung/unfall/index.html%00.txt": 404,
        b"/\x00": 404,
        b"/meldung\x00/": 404,
        b"/%ff%fe%fd": 404,
        b"/" + b"a" * 5000: 404,
        b"/" + b"a/" * 30000: 404,
        b"/" + b"%2e%2e/" * 9000: 200,  # every `..` dropped: the home page
        b"/__pressroom/": 404,
        b"/__pressroom/../../etc/passwd": 404,
        b"/__pressroom/status/../../../etc/passwd": 404,
        b"/__pressroom/status?x=../../etc/passwd": 200,
        b"/__pressroom/status?": 200,
        b"/__pressroom/status#x": 200,
        b"/__pressroom/reload.js?v=1&x=%00": 200,
        b"/meldung/unfall/?q=%00": 200,
        b"http://evil.example/meldung/unfall/": 200,  # an absolute target: its path, in the folder
        b"/" + b"a" * 70000: 414,  # longer than a request line may be
    }
    got = {}
    for path, _ in attacks.items():
        code, body = raw(server, b"GET " + path + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        assert b"root:" not in body
        got[path] = code
    assert got == attacks
    assert raw(server, b"GET / / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")[0] == 400
    assert raw(server, b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n" + b"X: y\r\n" * 200 + b"\r\n")[0] == 431
    code, page = server.get(PAGE)  # still up, still the site
    assert code == 200 and "Unfall in Buer" in page
    code, out, err = server.stop()
    assert code == 0
    assert "Traceback" not in out + err and "error" not in err


def test_head_answers_without_a_body(server: Server) -> None:
    assert request(server, "/" + PAGE, own(server), "HEAD") == (200, b"")
    assert request(server, "/__pressroom/status", own(server), "HEAD") == (200, b"")
    assert request(server, "/no/such/page/", own(server), "HEAD") == (404, b"")


def test_the_reload_script_is_the_shipped_file_and_its_texts_come_from_the_catalog(server: Server) -> None:
    import generator.commands

    code, script = request(server, "/__pressroom/reload.js", own(server))
    assert code == 200
    assert script == (Path(generator.commands.__file__).parent / "reload.js").read_bytes()
    assert "Fehler" not in script.decode()  # the texts are data, in the site's language
    assert server.status()["texts"] == {
        "title": "Die Vorschau ist nicht aktuell: Fehler im Inhalt",
        "hint": "Beheben Sie die Fehler und speichern Sie die Datei. Bis dahin zeigt die Vorschau den letzten "
                "fehlerfreien Stand. Was die Meldungen bedeuten, steht in docs/pressestelle.md, Abschnitt 8.",
        "hide": "Ausblenden",
        "preview": "Pressroom-Vorschau",
        "waiting": "Die Seite ist noch nicht gebaut. Sobald die Fehler behoben sind, erscheint sie hier von selbst.",
    }


def test_an_english_site_gets_english_texts(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site", 'language = "en"\n')
    write_release(site, "unfall", FRONT.format(title="Crash"))
    server = start(site)
    try:
        assert server.status()["texts"] == {
            "title": "The preview is not up to date: errors in the content",
            "hint": "Fix the errors and save the file. Until then the preview shows the last error-free version. "
                    "What the messages mean is explained in docs/pressestelle.md, section 8.",
            "hide": "Hide",
            "preview": "Pressroom preview",
            "waiting": "The page has not been built yet. As soon as the errors are fixed, it appears here by itself.",
        }
    finally:
        server.stop()


def failing_template(site: Path, statement: str) -> None:
    """The theme's release page, first running a statement that raises when a release is rendered."""
    theme = (theme_folder() / "release.html").read_text(encoding="utf-8")
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/release.html").write_text(statement + "\n" + theme, encoding="utf-8")


def test_an_unexpected_failure_keeps_the_last_good_build_and_shows_the_overlay(server: Server) -> None:
    path = server.site / "content/releases/unfall.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Unfall in Buer", "Unfall in Horst"), encoding="utf-8")
    # A ZeroDivisionError: no PressroomError, a failure of the build itself.
    failing_template(server.site, "{% set boom = release.title|length // 0 %}")
    expected = ["error: the build failed unexpectedly (ZeroDivisionError: integer division or modulo by zero); "
                "the preview shows the last good build"]
    wait_for(lambda: server.status()["errors"] == expected, "the unexpected error in the status")
    code, page = server.get(PAGE)
    assert code == 200 and "Unfall in Buer" in page and "Unfall in Horst" not in page
    assert server.process.poll() is None
    log = server.site / ".pressroom-cache/serve-error.log"
    assert "Traceback" in log.read_text(encoding="utf-8") and "ZeroDivisionError" in log.read_text(encoding="utf-8")

    # A template that includes itself: a RecursionError, deep in Jinja.
    failing_template(server.site, '{% include "release.html" %}')
    wait_for(lambda: "RecursionError" in " ".join(server.status()["errors"]), "the recursion error")
    assert server.get(PAGE)[1].count("Unfall in Buer") > 0

    (server.site / "templates/release.html").unlink()
    wait_for(lambda: not server.status()["errors"] and "Unfall in Horst" in server.get(PAGE)[1], "recovery")
    code, out, err = server.stop()
    assert code == 0
    assert "Traceback" not in out + err
    unexpected = [line for line in err.splitlines() if "unexpectedly" in line]
    assert len(unexpected) >= 2
    assert unexpected[0] == f"{expected[0]}; the details are in {log}"


def test_a_first_build_that_fails_unexpectedly_serves_the_waiting_page(site: Path) -> None:
    failing_template(site, "{% set boom = release.title|length // 0 %}")
    server = start(site)
    try:
        assert server.status()["errors"][0].startswith("error: the build failed unexpectedly (ZeroDivisionError")
        code, page = server.get(PAGE)
        assert code == 404
        assert page.startswith('<!doctype html><html lang="de">')
        assert "Die Seite ist noch nicht gebaut." in page and '<script src="/__pressroom/reload.js"' in page
    finally:
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_a_timezone_typo_with_now_is_shown_until_fixed(site: Path) -> None:
    toml = site / "site.toml"
    good = toml.read_text(encoding="utf-8")
    toml.write_text(good.replace("Europe/Berlin", "Europe/Berln"), encoding="utf-8")
    server = start(site, "--now", "2026-11-21T10:00")
    try:
        errors = server.status()["errors"]
        assert len(errors) == 1
        assert errors[0].startswith('site.toml:3: error: "Europe/Berln" is not an IANA time zone name')
        toml.write_text(good, encoding="utf-8")
        wait_for(lambda: not server.status()["errors"] and server.get(PAGE)[0] == 200, "the fixed time zone")
    finally:
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_a_now_that_is_no_date_stops_serve_at_once(site: Path) -> None:
    from tests.conftest import run_pressroom

    result = run_pressroom("serve", site, "--port", "0", "--now", "gestern", timeout=WAIT)
    assert result.returncode == 2
    assert 'pressroom: error: --now: "gestern" is not a date Pressroom reads' in result.stderr
    assert "Traceback" not in result.stderr


def test_the_status_is_json_with_version_errors_and_texts(server: Server) -> None:
    code, body = request(server, "/__pressroom/status", own(server))
    assert code == 200
    assert set(json.loads(body)) == {"version", "errors", "texts"}


def test_fuzzed_paths_stay_in_the_folder_and_the_server_stays_up(site: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from([b"..", b"%2e%2e", b"%2E%2e", b".", b"", b"%00", b"\x00", b"meldung", b"unfall",
                              b"%2f", b"%5c", b"\\", b"%ff", b"index.html", b"__pressroom", b"status", b"reload.js",
                              b"?", b"#", b"%", b"~", b"etc", b"passwd", b"a" * 300])
    junk = st.binary(max_size=6).map(lambda b: bytes(c for c in b if c not in b" \r\n"))
    server = start(site, "--drafts")
    host = own(server).encode()
    try:
        @settings(max_examples=150, deadline=None, database=None)
        @given(st.lists(pieces | junk, max_size=12))
        def one(parts: list[bytes]) -> None:
            path = b"/" + b"/".join(parts)
            code, body = raw(server, b"GET " + path + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
            assert code in {200, 301, 400, 404}, path  # 400: whitespace made the request line malformed
            assert b"root:" not in body

        one()
        assert server.get(PAGE)[0] == 200
    finally:
        code, out, err = server.stop()
    assert code == 0
    assert "Traceback" not in out + err and "error" not in err
