"""Which Host headers the preview answers (the decision alone; tests/commands/test_serve_security.py runs it)."""

from __future__ import annotations

from generator.commands.serve import allowed_host


def test_own_loopback_names_with_the_port() -> None:
    assert {h for h in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST:8000", " localhost:8000 ")
            if allowed_host([h], 8000)} == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST:8000",
                                            " localhost:8000 "}


def test_everything_else_is_refused() -> None:
    refused = ["127.0.0.1", "localhost", "[::1]", "127.0.0.1:8001", "127.0.0.1:80", "evil.example:8000",
               "localhost.evil.example:8000", "127.0.0.2:8000", "0.0.0.0:8000", "[::ffff:127.0.0.1]:8000",
               "127.1:8000", "2130706433:8000", "localhost:08000", "localhost:8000/", "", "::1:8000"]
    assert [h for h in refused if allowed_host([h], 8000)] == []
    assert not allowed_host([], 8000)
    assert not allowed_host(["localhost:8000", "localhost:8000"], 8000)


def test_port_80_may_be_left_out_as_browsers_do() -> None:
    assert [h for h in ("127.0.0.1", "localhost", "[::1]", "localhost:80", "evil.example") if allowed_host([h], 80)] \
        == ["127.0.0.1", "localhost", "[::1]", "localhost:80"]
