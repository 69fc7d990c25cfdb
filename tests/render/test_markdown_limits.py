"""Pathological Markdown renders in bounded time or is refused with path:line — never a hang or a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render.markdown import (
    MAX_CHARACTERS,
    MAX_CONTAINER_LINES,
    MAX_DEPTH,
    Body,
    BodyTooComplex,
    render_body,
)
from tests.conftest import run_pressroom
from tests.support.sites import minimal_site, write_release

BOUND = 2.0  # seconds per body, generous for a loaded machine

# Pieces that matter to the Markdown parser, so that generated bodies hit its special cases.
_PIECES = st.sampled_from([
    "*", "**", "_", "`", "```", "[", "]", "(", ")", "<", ">", "<a ", "</a>", "<b>", "<div>", "</div>", "<!--",
    "<![CDATA[", "<?", "<!", "\n", "\n\n", "    ", "- ", "1. ", "> ", "!", "\\", "&", "&#1;", "#", " ", "x", "|",
    "[x](", "](", "[x]: /y", "\n---\n", "\n===\n", "\t", "\x00", "\ufffe", "\ud800", "http://x",
])


def _timed(source: str) -> tuple[Body | BodyTooComplex, float]:
    started = time.perf_counter()
    try:
        outcome: Body | BodyTooComplex = render_body(source)
    except BodyTooComplex as exc:
        outcome = exc
    return outcome, time.perf_counter() - started


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=2000), st.lists(_PIECES, max_size=600).map("".join)))
def test_any_body_renders_or_is_refused_in_bounded_time(source: str) -> None:
    outcome, seconds = _timed(source)
    assert seconds < BOUND, (seconds, source[:200])
    if isinstance(outcome, BodyTooComplex):
        assert 1 <= outcome.line <= source.count("\n") + 1
        assert outcome.message.startswith(("the body is too complex", "the body is too deeply nested"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=4).flatmap(
    lambda pieces: st.lists(st.sampled_from(pieces), min_size=500, max_size=12000).map("".join)))
def test_long_runs_of_a_few_constructs_stay_bounded(source: str) -> None:
    """The super-linear cases are repetitions of one or two constructs; generate those."""
    _, seconds = _timed(source)
    assert seconds < BOUND, (seconds, source[:200])


_N = 20_000
ATTACKS = {
    # name: (body, refused?) — each was seconds to minutes, or a RecursionError, before the limits.
    "brackets": ("[" * _N, True),
    "links": ("[x](" * (_N // 4), True),
    "images": ("![" * (_N // 2), True),
    "emphasis": ("*x" * (_N // 2), True),
    "underscores": ("_x[" * (_N // 3), True),
    "unclosed tags": ("<a " * (_N // 3), True),
    "cdata": ("<![CDATA[" * 2000, True),
    "declarations": ("<!" * (_N // 2), True),
    "processing instructions": ("<?" * (_N // 2), True),
    "nested lists": ("\n".join("    " * i + "- x" for i in range(100)), True),
    "nested ordered lists": ("\n".join("    " * i + "1. x" for i in range(100)), True),
    "nested quotes per line": ("\n".join(">" * i + " x" for i in range(200)), True),
    "deep quote": (">" * 4000 + " x", True),
    "quote and list": ("> - " * 1000 + "x", True),
    "many list items": ("\n- " * 6000, True),
    "many quotes": ("> x\n\n" * 4000, True),
    "too long": ("Wort " * (MAX_CHARACTERS // 5 + 1), True),
    "nested emphasis": ("*a _b " * 300 + " b_ a*" * 300, False),
    "nested html": ("<b>" * 3000 + "x" + "</b>" * 3000, True),
    "nested divs": ("<div>" * 3000 + "x" + "</div>" * 3000, True),
    "backticks": ("`" * _N, True),
    "stars": ("*" * _N, True),
    # Bounded without a limit: these render.
    "some nesting": ("\n".join("    " * i + "- x" for i in range(MAX_DEPTH)), False),
    "nested html within the limit": ("<b>" * 150 + "x" + "</b>" * 150, False),
    "less-than": ("< " * (_N // 2), False),
    "backslashes": ("\\" * _N, False),
    "many paragraphs": ("Ein Satz mit [Link](https://x.example/).\n\n" * 1000, False),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_an_attack_is_refused_or_rendered_in_bounded_time(name: str) -> None:
    source, refused = ATTACKS[name]
    outcome, seconds = _timed(source)
    assert seconds < BOUND, seconds
    assert isinstance(outcome, BodyTooComplex) is refused, outcome


def test_the_error_names_the_offending_line() -> None:
    source = "Erster Absatz.\n\n" + "\n".join(">" * i + " x" for i in range(1, 40))
    with pytest.raises(BodyTooComplex) as caught:
        render_body(source)
    assert caught.value.line == 2 + MAX_DEPTH + 1  # the first line with one level too many
    assert caught.value.message == (f"the body is too deeply nested: {MAX_DEPTH + 1} levels of quotes, lists or "
                                    f"indentation in one line, at most {MAX_DEPTH}")
    many = "Absatz.\n\n" + "- x\n" * (MAX_CONTAINER_LINES + 5)
    with pytest.raises(BodyTooComplex) as caught:
        render_body(many)
    assert caught.value.line == 2 + MAX_CONTAINER_LINES + 1


def test_real_releases_are_far_below_the_limits() -> None:
    """A long release of the kind a press office writes: lists, links, a table, a quote, some HTML."""
    paragraph = ("Am Montag gegen 16:05 Uhr kam es auf der [Bochumer Straße](https://www.example.org/a_b) zu "
                 "einem *Unfall*, bei dem zwei Personen **leicht** verletzt wurden. ")
    source = "\n\n".join([
        "## Der Hergang", paragraph * 6, "> Zitat des Einsatzleiters, " * 5, paragraph * 4,
        "\n".join(f"- Punkt {i} mit [Link](https://example.org/{i})" for i in range(60)),
        "| Ort | Zahl |\n|---|---|\n" + "\n".join(f"| [Ort {i}](https://example.org/o{i}) | {i} |" for i in range(80)),
        "Einsatzkräfte: <abbr title=\"Freiwillige Feuerwehr\">FF</abbr> und <abbr title=\"Rettungsdienst\">RD</abbr>"
        "<br>Stand: 16:05 Uhr",
        "\n".join("    " * depth + f"- Ebene {depth}" for depth in range(6)),
    ] * 4)
    assert len(source) > 30_000
    outcome, seconds = _timed(source)
    assert isinstance(outcome, Body)
    assert seconds < BOUND


def test_the_parser_is_fresh_after_a_failed_body() -> None:
    """A RecursionError midway used to leave the reused Markdown instance broken for the next body."""
    from generator.render import markdown

    def deep() -> None:
        raise RecursionError

    renderer = markdown._Renderer()
    original = renderer._md.convert
    renderer._md.convert = lambda source: deep()  # type: ignore[method-assign, assignment, return-value]
    with pytest.raises(RecursionError):
        renderer("x")
    assert renderer._md.convert is not original
    assert renderer("*a*") == "<p><em>a</em></p>"


# --- through a real build ---------------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("body", "line"), [
    ("Erster Absatz.\n\nZweiter.\n\n" + "[" * 5000 + "\n", 11),
    ("Erster Absatz.\n\n" + "\n".join("    " * i + "- x" for i in range(40)) + "\n", 9 + MAX_DEPTH),
])
def test_a_hostile_body_fails_the_build_with_path_and_line(tmp_path: Path, body: str, line: int) -> None:
    site = minimal_site(tmp_path / "site")
    write_release(site, "2026-01-01-gut", "title: Gut\ndate: 2026-01-01\nauthority: polizei-test")
    out = tmp_path / "out"
    now = "2026-02-01T00:00:00+01:00"
    first = run_pressroom("build", site, "-o", out, "--now", now, "--quiet")
    assert first.returncode == 0, first.stderr
    before = _snapshot(out)
    write_release(site, "2026-01-02-boese", "title: Böse\ndate: 2026-01-02\nauthority: polizei-test", body)
    started = time.perf_counter()
    result = run_pressroom("build", site, "-o", out, "--now", now, "--quiet")
    assert time.perf_counter() - started < 60
    assert result.returncode == 1
    errors = [text for text in result.stderr.splitlines() if ": error: " in text]
    assert len(errors) == 1
    assert errors[0].startswith(f"content/releases/2026-01-02-boese.md:{line}: error: the body is too ")
    assert "Traceback" not in result.stderr
    assert _snapshot(out) == before


def test_a_hostile_page_body_fails_the_build_with_path_and_line(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site")
    write_release(site, "2026-01-01-gut", "title: Gut\ndate: 2026-01-01\nauthority: polizei-test")
    pages = site / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "impressum.md").write_text("---\ntitle: Impressum\n---\n\nText.\n\n" + "<a " * 5000 + "\n",
                                        encoding="utf-8")
    result = run_pressroom("build", site, "-o", tmp_path / "out", "--now", "2026-02-01T00:00:00+01:00", "--quiet")
    assert result.returncode == 1
    assert [t for t in result.stderr.splitlines() if ": error: " in t] == [
        "content/pages/impressum.md:7: error: the body is too complex: too many HTML tags, or '<' before letters, "
        "'!' or '?'; write Markdown instead of HTML, or '&lt;' for a '<'"]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_check_reports_a_hostile_body_without_a_traceback(tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site")
    write_release(site, "2026-01-01-gut", "title: Gut\ndate: 2026-01-01\nauthority: polizei-test")
    write_release(site, "2026-01-02-boese", "title: Böse\ndate: 2026-01-02\nauthority: polizei-test",
                  "Text.\n\n" + "*x" * 20_000 + "\n")
    result = run_pressroom("check", site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [t for t in (result.stdout + result.stderr).splitlines() if ": error: " in t] == [
        "content/releases/2026-01-02-boese.md:9: error: the body is too complex: too many '[', '*', '_' or '`' "
        "in this paragraph; write '\\[', '\\*' … for one that marks nothing"]
