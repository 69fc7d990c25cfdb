"""Whatever a press officer (or a broken editor) writes into a release file, the
loader answers with a release or with `path:line: error:` problems – never
with another exception – and huge inputs finish in bounded time and memory."""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.authorities import load_authorities
from generator.content.releases import RELEASE_KEYS, LoadContext, load_release
from generator.content.settings import load_settings
from generator.core.errors import BuildErrors
from generator.core.models import Release
from generator.render.markdown import render_body
from tests.conftest import DEMO_NOW, REPO

NAME = "content/releases/2026/2026-11-20-test.md"

VALID: dict[str, Any] = {
    "id": "pol-test-1",
    "title": "Verkehrsunfall in Erle",
    "date": "2026-11-20T10:00:00+01:00",
    "authority": "polizei-gelsenkirchen",
    "kind": "conference-report",
    "tags": ["Verkehr"],
    "places": ["Erle"],
    "contact": {"name": "A", "phone": "0209 365 2010", "email": "a@b.de", "url": "https://a.de"},
    "images": [{"src": "streifenwagen-verkehrskontrolle.jpg", "alt": "Streifenwagen", "caption": "c"}],
    "attachments": [{"src": "verkehrsunfallbilanz-2024.pdf", "title": "PDF"}],
    "event": {"name": "Konferenz", "start": "2026-11-20T09:00:00+01:00", "venue": "Rathaus",
              "participants": ["Polizei"], "agenda": ["Lage"]},
    "updates": [{"date": "2026-11-21", "note": "ergänzt", "major": False}],
    "expires": "2026-12-20",
    "withdrawn": {"date": "2026-11-22", "reason": "erledigt"},
    "aliases": ["/alt/test/"],
    "extra": {"x": 1},
}


@pytest.fixture(scope="module")
def context() -> Iterator[tuple[Path, LoadContext]]:
    """A copy of the demo's settings, authorities and media; hypothesis rewrites one release in it."""
    with tempfile.TemporaryDirectory(prefix="pressroom-robust-") as tmp:
        site = Path(tmp) / "site"
        (site / "content" / "releases" / "2026").mkdir(parents=True)
        shutil.copy(REPO / "site.toml", site / "site.toml")
        shutil.copy(REPO / "content" / "authorities.yaml", site / "content" / "authorities.yaml")
        shutil.copytree(REPO / "content" / "media", site / "content" / "media")
        authorities, problems = load_authorities(site)
        assert not problems
        yield site, LoadContext(site=site, settings=load_settings(site), authorities=authorities)


def check(context: tuple[Path, LoadContext], content: bytes) -> None:
    """The property: a release without problems, or problems that name this file and a line."""
    site, load_context = context
    path = site / NAME
    path.write_bytes(content)
    release, problems = load_release(path, load_context)
    if release is not None:
        assert isinstance(release, Release)
    else:
        assert problems, "no release and no problem"
    for problem in problems:
        assert problem.path == NAME
        assert isinstance(problem.line, int) and problem.line >= 1
        assert problem.message.strip()
        assert str(problem).startswith(f"{NAME}:{problem.line}: ")


# PRESSROOM_HYPOTHESIS_EXAMPLES=5000 hunts deeper, e.g. after a change to the loader.
FAST = settings(max_examples=int(os.environ.get("PRESSROOM_HYPOTHESIS_EXAMPLES", "100")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

yaml_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
                | st.text(max_size=30) | st.dates() | st.datetimes(timezones=st.just(dt.UTC)))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(RELEASE_KEYS) | st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _file(front_matter: Any, body: str = "Text.\n") -> bytes:
    dumped = yaml.safe_dump(front_matter, allow_unicode=True)
    return f"---\n{dumped}---\n{body}".encode()


@FAST
@given(st.binary(max_size=300))
def test_any_bytes(context: tuple[Path, LoadContext], content: bytes) -> None:
    check(context, content)


@FAST
@given(st.text(max_size=300))
def test_any_text(context: tuple[Path, LoadContext], text: str) -> None:
    check(context, text.encode("utf-8", "surrogatepass"))


# Characters that matter to YAML and front matter, so that examples hit the parser's corners.
yamlish = st.text(alphabet=st.sampled_from(list("-:[]{},&*!|>'\"#%@`?\n\t ab1.\\\ufeff")), max_size=120)


@FAST
@given(yamlish, st.text(max_size=60))
def test_any_yamlish_front_matter(context: tuple[Path, LoadContext], front: str, body: str) -> None:
    check(context, f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))


@FAST
@given(yaml_values)
def test_any_yaml_value_as_front_matter(context: tuple[Path, LoadContext], value: Any) -> None:
    check(context, _file(value))


@FAST
@given(st.dictionaries(st.sampled_from(list(VALID)), yaml_values, min_size=1, max_size=4))
def test_a_valid_release_with_keys_replaced_by_anything(context: tuple[Path, LoadContext],
                                                        replaced: dict[str, Any]) -> None:
    check(context, _file({**VALID, **replaced}))


@FAST
@given(st.sampled_from(list(VALID)), st.sampled_from(list(VALID)), yaml_values)
def test_nested_values_replaced_by_anything(context: tuple[Path, LoadContext], outer: str, inner: str,
                                            value: Any) -> None:
    data = dict(VALID)
    slot = data[outer]
    if isinstance(slot, dict):
        data[outer] = {**slot, inner: value}
    elif isinstance(slot, list) and slot and isinstance(slot[0], dict):
        data[outer] = [{**slot[0], inner: value}, value]
    else:
        data[outer] = [slot, value]
    check(context, _file(data))


@FAST
@given(st.text(max_size=400))
def test_any_markdown_body_renders(body: str) -> None:
    rendered = render_body(body)
    assert "<script" not in rendered.html.lower()


# TOML-ish text for site.toml: keys, quotes, brackets, numbers.
tomlish = st.text(alphabet=st.sampled_from(list('=[]{}"\'#.,:-_\n titlebase_urlanguagzo19/\\\ufeff')),
                  max_size=160)


@FAST
@given(tomlish | st.text(max_size=120))
def test_any_site_toml(text: str) -> None:
    with tempfile.TemporaryDirectory(prefix="pressroom-toml-") as tmp:
        site = Path(tmp)
        (site / "site.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_settings(site)
        except BuildErrors as exc:
            assert exc.problems
            assert all(p.path == "site.toml" and p.line >= 1 for p in exc.problems), exc.problems


@FAST
@given(yaml_values | yamlish)
def test_any_authorities_yaml(value: Any) -> None:
    with tempfile.TemporaryDirectory(prefix="pressroom-auth-") as tmp:
        site = Path(tmp)
        (site / "content").mkdir()
        text = value if isinstance(value, str) else yaml.safe_dump(value, allow_unicode=True)
        (site / "content" / "authorities.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        authorities, problems = load_authorities(site)
        assert authorities or problems
        assert all(p.path == "content/authorities.yaml" and p.line >= 1 for p in problems), problems


def test_the_valid_release_loads(context: tuple[Path, LoadContext]) -> None:
    """Guards the strategies above: the base they mutate really is a release."""
    site, load_context = context
    (site / NAME).write_bytes(_file(VALID))
    release, problems = load_release(site / NAME, load_context)
    assert release is not None and not problems, problems


# --------------------------------------------------------------------------- huge inputs

HUGE_TIMEOUT = 180  # seconds; generous for a loaded CI machine, but a hang still fails
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space for the build process


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _build_with_limits(site: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(site), "-o", str(site / "output"), "--now", DEMO_NOW,
         "--quiet"],
        env=env, capture_output=True, text=True, timeout=HUGE_TIMEOUT, preexec_fn=_limit_memory, check=False)
    return result, time.monotonic() - start


def _huge_site(tmp_path: Path, front: dict[str, Any], body: str) -> Path:
    site = tmp_path / "site"
    (site / "content" / "releases").mkdir(parents=True)
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copy(REPO / "content" / "authorities.yaml", site / "content" / "authorities.yaml")
    # authorities.yaml names the logos
    shutil.copytree(REPO / "content" / "media" / "logos", site / "content" / "media" / "logos")
    data = {"title": "Große Meldung", "date": "2026-11-20T10:00:00+01:00",
            "authority": "polizei-gelsenkirchen", **front}
    (site / "content" / "releases" / "2026-11-20-gross.md").write_bytes(_file(data, body))
    return site


def _builds_or_fails_clearly(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    if result.returncode != 0:
        assert result.returncode == 1, result.stderr[-3000:]
        assert "content/releases/2026-11-20-gross.md:" in result.stderr, result.stderr[-3000:]


@pytest.mark.slow
def test_a_5_mb_body_builds_or_fails_clearly(tmp_path: Path) -> None:
    paragraph = ("Die Polizei Gelsenkirchen bittet um Hinweise zu einem Verkehrsunfall auf der "
                 "Cranger Straße, bei dem ein Radfahrer **schwer verletzt** wurde. " * 8).strip()
    body = "\n\n".join([paragraph] * (5 * 1024 * 1024 // len(paragraph)))
    site = _huge_site(tmp_path, {}, body)
    result, seconds = _build_with_limits(site)
    _builds_or_fails_clearly(result)
    if result.returncode == 0:
        page = site / "output" / "meldung" / "2026-11-20-gross" / "index.html"
        assert page.stat().st_size > 5 * 1024 * 1024
    print(f"5 MB body: exit {result.returncode} in {seconds:.1f} s")


@pytest.mark.slow
def test_2000_tags_build_or_fail_clearly(tmp_path: Path) -> None:
    tags = [f"Thema {n}" for n in range(2000)]
    site = _huge_site(tmp_path, {"tags": tags}, "Text.\n")
    result, seconds = _build_with_limits(site)
    _builds_or_fails_clearly(result)
    if result.returncode == 0:
        assert (site / "output" / "themen" / "thema-1999" / "index.html").is_file()
    print(f"2000 tags: exit {result.returncode} in {seconds:.1f} s")
