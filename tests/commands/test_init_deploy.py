"""`pressroom init` makes a site that builds; `pressroom deploy` publishes it with real rsync, in order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_pressroom

NOW = "2026-12-01T09:00:00+01:00"
FLAGS = ("--name", "Stadt Teststadt", "--code", "STADT-TS", "--city", "Teststadt",
         "--base-url", "https://presse.example.org/", "--email", "presse@stadt.example.org")
LEGAL = {"impressum", "datenschutz", "barrierefreiheit", "leichte-sprache"}

needs_rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (make test-deps)")


def init(folder: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    # stdin is not a terminal here (run_pressroom gives the command /dev/null): init must not ask
    return run_pressroom("init", folder, *flags, timeout=60)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fill_in(site: Path) -> None:
    for page in (site / "content/pages").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\[BITTE AUSFÜLLEN: ([^\]]*)\]", r"\1", text), encoding="utf-8")


def test_init_makes_a_site_that_builds_and_checks(tmp_path: Path) -> None:
    site = tmp_path / "presse"
    made = init(site, *FLAGS)
    assert made.returncode == 0, made.stderr
    assert set(tree(site)) == {"site.toml", "content/authorities.yaml", ".gitignore", "README.md",
                               "content/releases/.gitkeep", "content/media/.gitkeep",
                               *(f"content/pages/{slug}.md" for slug in LEGAL)}
    assert (site / ".gitignore").read_text(encoding="utf-8").split() == ["output/", ".pressroom-cache/"]
    assert "stadt-teststadt:" in (site / "content/authorities.yaml").read_text(encoding="utf-8")

    built = run_pressroom("build", site, "--now", NOW)
    assert built.returncode == 0, built.stderr
    for slug in LEGAL:
        assert (site / "output" / slug / "index.html").is_file()
    # The unfilled legal pages build, with a warning each, at the line of their first gap
    warned = {line.split(": warning: ")[0].strip() for line in built.stderr.splitlines() if ": warning: " in line}
    assert {w.split(":")[0] for w in warned} == {f"content/pages/{slug}.md" for slug in LEGAL}
    checked = run_pressroom("check", site, "--now", NOW)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "checked 0 releases, 4 pages, 1 authority: 0 errors, 4 warnings\n"

    fill_in(site)
    checked = run_pressroom("check", site, "--now", NOW)
    assert (checked.returncode, checked.stderr) == (0, "")

    # A new release for this authority: a city's appeal names the city office, not the police
    new = run_pressroom("new", "--site", site, "--authority", "stadt-teststadt", "--kind", "appeal",
                        "--now", NOW, "Hund entlaufen")
    assert new.returncode == 0, new.stderr
    text = Path(new.stdout.strip()).read_text(encoding="utf-8")
    assert "Hinweise nimmt die Stadt Teststadt unter presse@stadt.example.org entgegen." in text
    assert "Polizei" not in text


def test_init_refuses_a_non_empty_folder_and_missing_flags(tmp_path: Path) -> None:
    full = tmp_path / "voll"
    full.mkdir()
    (full / "notiz.txt").write_text("meins", encoding="utf-8")
    refused = init(full, *FLAGS)
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr
    assert tree(full) == {"notiz.txt": b"meins"}

    empty = tmp_path / "leer"
    missing = init(empty, "--name", "Polizei Teststadt")
    assert missing.returncode == 2
    assert "missing: --code, --city, --base-url, --email, --phone" in missing.stderr
    assert not empty.exists()

    bad = init(empty, *FLAGS[:3], "pol-ts", *FLAGS[4:])
    assert bad.returncode == 2 and 'like POL-GE' in bad.stderr
    assert "Traceback" not in bad.stderr + missing.stderr + refused.stderr


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "presse"
    assert init(site, *FLAGS).returncode == 0
    fill_in(site)
    with (site / "site.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[deploy]\ntarget = "{tmp_path / "web"}"\n')
    release = site / "content/releases/2026/2026-11-30-strassenfest.md"
    release.parent.mkdir(parents=True)
    release.write_text("---\nid: stadt-ts-2026-1130-1\ntitle: Straßenfest\ndate: 2026-11-30 10:00\n"
                       "authority: stadt-teststadt\ntags: [Feste]\n---\n\nAm Samstag feiert die Altstadt.\n",
                       encoding="utf-8")
    return site


def deploy(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_pressroom("deploy", site, *args)


def passes(stdout: str) -> dict[str, set[str]]:
    """The files each pass copied or deleted, by pass heading ("1. media and other files" …)."""
    found: dict[str, set[str]] = {}
    current = ""
    for line in stdout.splitlines():
        if re.match(r"^\d\. ", line):
            current = line.split(":")[0]
            found[current] = set()
        elif line.startswith("  ") and current:
            found[current].add(line.strip())
    return found


@needs_rsync
def test_deploy_copies_in_order_and_then_only_what_changed(site: Path, tmp_path: Path) -> None:
    web = tmp_path / "web"
    assert deploy(site).returncode == 1  # no build yet
    assert "run pressroom build first" in deploy(site).stderr
    assert run_pressroom("build", site, "--now", NOW, "--quiet").returncode == 0

    dry = deploy(site, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert not web.exists()
    listed = {line.strip() for line in dry.stdout.splitlines()[1:]}
    output = site / "output"
    public = {p for p in tree(output) if not p.startswith("_server/")}
    assert listed == {f"new: {p}" for p in public}

    first = deploy(site)
    assert first.returncode == 0, first.stderr
    order = passes(first.stdout)
    assert list(order) == ["1. media and other files", "2. pages", "3. deletions"]
    assert order["1. media and other files"] == {f"new: {p}" for p in public if not p.endswith(".html")}
    assert order["2. pages"] == {f"new: {p}" for p in public if p.endswith(".html")}
    assert order["3. deletions"] == set()
    assert tree(web) == {p: b for p, b in tree(output).items() if not p.startswith("_server/")}

    again = deploy(site)
    assert again.returncode == 0
    assert all(not files for files in passes(again.stdout).values())
    assert again.stdout.splitlines()[-1].endswith(": nothing to transfer")

    # One release edited, one tag gone: only its files change, the tag's files are deleted last
    release = site / "content/releases/2026/2026-11-30-strassenfest.md"
    release.write_text(release.read_text(encoding="utf-8").replace("tags: [Feste]\n", "")
                       .replace("feiert", "tanzt"), encoding="utf-8")
    assert run_pressroom("build", site, "--now", NOW, "--quiet", "--allow-removed").returncode == 0
    before = tree(web)
    third = deploy(site)
    assert third.returncode == 0, third.stderr
    order = passes(third.stdout)
    after = tree(web)
    assert after == {p: b for p, b in tree(output).items() if not p.startswith("_server/")}
    changed = {p for p in after if p in before and before[p] != after[p]}
    copied = order["1. media and other files"] | order["2. pages"]
    assert copied == {f"changed: {p}" for p in changed} | {f"new: {p}" for p in set(after) - set(before)}
    assert "changed: meldung/2026-11-30-strassenfest/index.html" in order["2. pages"]
    assert not any(item.endswith(".html") for item in order["1. media and other files"])
    assert order["3. deletions"] == {f"deleted: {p}" for p in set(before) - set(after)}
    assert "deleted: themen/feste/index.html" in order["3. deletions"]
    # nothing unchanged was sent (`copied` is exactly what changed), such as the theme and the pages
    unchanged = {p for p in after if before.get(p) == after[p]}
    assert {"static/pressroom.css", "impressum/index.html", "404.html"} <= unchanged


@needs_rsync
def test_server_files_only_when_asked(site: Path, tmp_path: Path) -> None:
    assert run_pressroom("build", site, "--now", NOW, "--quiet").returncode == 0
    assert deploy(site, "--with-server-files").returncode == 0
    assert (tmp_path / "web/_server/published.txt").is_file()
    assert deploy(site).returncode == 0  # and a deploy without them does not delete them there
    assert (tmp_path / "web/_server/published.txt").is_file()


@pytest.mark.parametrize("target", ["/", ".", "..", "output", "host:", "user@host:/"])
def test_dangerous_targets_are_refused(site: Path, target: str) -> None:
    assert run_pressroom("build", site, "--now", NOW, "--quiet").returncode == 0
    result = deploy(site, "--target", target)
    assert result.returncode == 2, result.stdout
    assert "deploy target" in result.stderr and "Traceback" not in result.stderr


def test_unfilled_pages_and_a_missing_target_are_refused(tmp_path: Path) -> None:
    site = tmp_path / "presse"
    assert init(site, *FLAGS).returncode == 0
    assert run_pressroom("build", site, "--now", NOW, "--quiet").returncode == 0
    nowhere = deploy(site)
    assert nowhere.returncode == 2 and "there is no deploy target" in nowhere.stderr
    unfilled = deploy(site, "--target", str(tmp_path / "web"))
    assert unfilled.returncode == 1 and "BITTE AUSFÜLLEN" in unfilled.stderr
    assert not (tmp_path / "web").exists()


@pytest.mark.skipif(shutil.which("script") is None, reason="script (util-linux) gives the child a terminal")
def test_init_asks_on_a_terminal_and_asks_again_after_a_wrong_answer(tmp_path: Path) -> None:
    site = tmp_path / "presse"
    answers = "Feuerwehr Teststadt\nfw-ts\nFW-TS\nTeststadt\nhttps://presse.example.org\n\n0209 112\n"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = f"{sys.executable} -m generator init {site}"
    done = subprocess.run(["script", "-qec", command, "/dev/null"], input=answers, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'like POL-GE or FW-GE' in done.stdout  # the wrong code was refused, and asked for again
    authorities = (site / "content/authorities.yaml").read_text(encoding="utf-8")
    assert 'feuerwehr-teststadt:\n  name: "Feuerwehr Teststadt"\n  code: "FW-TS"\n  city: "Teststadt"\n' \
        '  contact:\n    phone: "0209 112"\n' in authorities
    assert 'base_url = "https://presse.example.org/"' in (site / "site.toml").read_text(encoding="utf-8")
    assert run_pressroom("build", site, "--now", NOW, "--quiet").returncode == 0
