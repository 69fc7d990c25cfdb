"""The link check: every link into the site leads to a file the build writes, or it is a warning.

One fixture site under a base path (`/presse/`) has good and broken links of every kind in a
release body and a page, and `follows` to a withdrawn, a draft and a scheduled release; the
warnings are compared as exact sets of (path, line, message) from a real `python -m generator check`
(text and JSON), `--strict` fails with them, `build` passes and reports them. No network is used:
every link goes to example.org/example.com, which nothing resolves here.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.build.addresses import normal
from generator.build.links import _Checker, check_links, hrefs, link_problems, planned_paths
from generator.build.pipeline import BuildOptions, LoadedSite, build, decide, load_site
from generator.core.errors import Problem
from generator.core.models import Settings
from generator.lifecycle.catalog import make_catalog
from generator.media.publish import publish_media
from generator.outputs.data import OutputData
from generator.render.templates import Templates
from generator.render.views import ViewMaker
from tests.conftest import DEMO_NOW, REPO, run_pressroom
from tests.support.sites import AUTHORITIES

NOW = "2026-11-26T12:00:00+01:00"
MOMENT = dt.datetime.fromisoformat(NOW)
PDF = REPO / "content" / "media" / "verkehrsunfallbilanz-2024.pdf"
BASE = "authority: polizei-test\ndate: 2026-11-20T10:00:00+01:00\n"

# The body of the release with the links: (Markdown line, broken?) – good ones first.
GOOD = [
    "[relativ](../ziel/)",
    "[wurzelrelativ](/presse/meldung/ziel/)",
    "[absolut](https://presse.example.org/presse/meldung/ziel/)",
    "[absolut ohne https](http://presse.example.org/presse/meldung/ziel/meldung.txt)",
    "[kodiert](/presse/meldung/%7Aiel/)",
    "[groß geschrieben](/presse/Meldung/ZIEL/index.html)",
    "[mit Anker](/presse/meldung/ziel/#kontakt)",
    "[mit Abfrage](/presse/suche/?q=Brand)",
    "[Weiterleitung](/presse/alt/ziel.html)",
    "[alle](/presse/meldungen/)",
    "[Seite 2](/presse/meldungen/seite/2/)",
    "[Feed](/presse/feeds/rss.xml)",
    "[Feed einer Behörde](/presse/behoerden/polizei-test/atom.xml)",
    "[Anhang](/presse/media/bericht.pdf)",
    "[Kalender](/presse/meldung/termin/termin.ics)",
    "[Seite](/presse/impressum/)",
    "[API](https://presse.example.org/presse/api/v1/index.json)",
    "[Sitemap](/presse/sitemap.xml)",
    "[anderer Host](https://example.com/meldung/nichts/)",
    "[Post](mailto:presse@polizei.example.org)",
    "[Telefon](tel:+4912345678)",
    "[oben](#oben)",
    "[anderer Teil des Hosts](/rathaus/)",
]
BROKEN = [
    "[relativ, vertippt](../zeil/)",
    "[Seite, vertippt](/presse/impresum/)",
    "[absolut, fehlt](https://presse.example.org/presse/meldung/nichts/)",
    "[Anhang fehlt](/presse/media/fehlt%20ganz.pdf)",
    "[Seite 4](/presse/meldungen/seite/4/)",
    "[Feed, vertippt](/presse/feeds/rss2.xml)",
    "[zurückgezogen](/presse/meldung/weg/)",
    "[zurückgezogen, alte Adresse](/presse/alt/weg.html)",
    "[Entwurf](/presse/meldung/entwurf/)",
    "[geplant](/presse/meldung/bald/)",
    "[ohne Basis](/meldung/ziel/)",
    "[Seite 4, noch einmal](/presse/meldungen/seite/4/)",
]
SOURCE_BODY = "Ein Text mit Links.\n\n" + "".join(f"- {line}\n" for line in [*GOOD, *BROKEN])
PAGE_BODY = "Zur [Meldung](../meldung/ziel/).\n\nZum [Kontakt](kontakt/).\n"

WITHDRAWN = ('the link "{href}" leads to the release "weg", which is withdrawn: readers find only the '
             "withdrawal notice there; remove the link or point it to a current release")


def _nowhere(href: str, shown: str, hint: str = "") -> str:
    return (f'the link "{href}" leads nowhere: this build writes no {shown}{hint}; '
            "correct the address or remove the link")


def _site(root: Path, base_url: str) -> Path:
    root.mkdir(parents=True)
    (root / "site.toml").write_text(f'title = "Testportal"\nbase_url = "{base_url}"\ntimezone = "Europe/Berlin"\n'
                                    "per_page = 2\n", encoding="utf-8")
    content = root / "content"
    (content / "releases").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "media").mkdir()
    shutil.copy(PDF, content / "media" / "bericht.pdf")
    Image.new("RGB", (1200, 800), "navy").save(content / "media" / "foto.png")
    (content / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    releases = {
        "ziel": ("id: ziel\ntitle: Das Ziel\naliases: [/alt/ziel.html]\nattachments:\n  - src: bericht.pdf\n"
                 "    title: Bericht\n", "Ein Ziel.\n"),
        "weg": ("id: weg\ntitle: Zurückgezogen\naliases: [/alt/weg.html]\nwithdrawn:\n"
                "  date: 2026-11-21T10:00:00+01:00\n  reason: Falsche Angaben.\n", "Weg.\n"),
        "entwurf": ("id: entwurf\ntitle: Ein Entwurf\ndraft: true\n", "Noch nicht fertig.\n"),
        "bald": ("id: bald\ntitle: Bald\ndate: 2026-12-10T10:00:00+01:00\nauthority: polizei-test\n", "Bald.\n"),
        "spaeter": ("id: spaeter\ntitle: Später\ndate: 2026-12-20T10:00:00+01:00\nauthority: polizei-test\n"
                    "follows: bald\n", "Nach [der früheren](/presse/meldung/bald/).\n"),
        "quelle": ("id: quelle\ntitle: Die Quelle\n", SOURCE_BODY),
        "termin": ("id: termin\ntitle: Pressekonferenz\nkind: conference-report\nimages:\n  - src: foto.png\n"
                   "    alt: Ein Foto\n    credit: Polizei\nevent:\n  name: Pressekonferenz\n"
                   "  start: 2026-11-20T11:00:00+01:00\n", "Ein Termin.\n"),
        "nach-weg": ("id: nach-weg\ntitle: Folgt Zurückgezogenem\nfollows: weg\n", "Folgt.\n"),
        "nach-entwurf": ("id: nach-entwurf\ntitle: Folgt Entwurf\nfollows: entwurf\n", "Folgt.\n"),
        "nach-bald": ("id: nach-bald\ntitle: Folgt Geplantem\nfollows: bald\n", "Folgt.\n"),
    }
    for name, (front, body) in releases.items():
        front = front if "\ndate:" in "\n" + front else front + BASE
        (content / "releases" / f"{name}.md").write_text(f"---\n{front.strip()}\n---\n\n{body}", encoding="utf-8")
    (content / "pages" / "impressum.md").write_text(f"---\ntitle: Impressum\n---\n\n{PAGE_BODY}", encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return _site(tmp_path / "site", "https://presse.example.org/presse/")


def _line(site: Path, source: str, text: str, nth: int = 0) -> int:
    lines = (site / source).read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, start=1) if text in line][nth]


def _expected(site: Path) -> set[tuple[str, int, str]]:
    quelle = "content/releases/quelle.md"

    def at(markdown: str, message: str, nth: int = 0) -> tuple[str, int, str]:
        return quelle, _line(site, quelle, markdown, nth), message

    return {
        at("(../zeil/)", _nowhere("../zeil/", "/meldung/zeil/", ' (did you mean "/meldung/ziel/"?)')),
        at("(/presse/impresum/)", _nowhere("/presse/impresum/", "/impresum/", ' (did you mean "/impressum/"?)')),
        at("(https://presse.example.org/presse/meldung/nichts/)",
           _nowhere("https://presse.example.org/presse/meldung/nichts/", "/meldung/nichts/")),
        at("fehlt%20ganz.pdf", _nowhere("/presse/media/fehlt%20ganz.pdf", "/media/fehlt ganz.pdf")),
        at("(/presse/meldungen/seite/4/)", _nowhere("/presse/meldungen/seite/4/", "/meldungen/seite/4/")),
        at("(/presse/meldungen/seite/4/)", _nowhere("/presse/meldungen/seite/4/", "/meldungen/seite/4/"), nth=1),
        at("(/presse/feeds/rss2.xml)", _nowhere("/presse/feeds/rss2.xml", "/feeds/rss2.xml",
                                                      ' (did you mean "/feeds/rss.xml"?)')),
        at("(/presse/meldung/weg/)", WITHDRAWN.format(href="/presse/meldung/weg/")),
        at("(/presse/alt/weg.html)", WITHDRAWN.format(href="/presse/alt/weg.html")),
        at("(/presse/meldung/entwurf/)",
           'the link "/presse/meldung/entwurf/" leads to the release "entwurf", a draft, whose page does not '
           "exist until it is published; publish it first or remove the link"),
        at("(/presse/meldung/bald/)",
           'the link "/presse/meldung/bald/" leads to the release "bald", which is published only at '
           "2026-12-10T10:00:00+01:00; until then the link leads nowhere"),
        at("(/meldung/ziel/)", 'the link "/meldung/ziel/" leaves the site, which lives under /presse/; '
                               'write "/presse/meldung/ziel/"'),
        ("content/pages/impressum.md", _line(site, "content/pages/impressum.md", "(kontakt/)"),
         _nowhere("kontakt/", "/impressum/kontakt/")),
        ("content/releases/nach-weg.md", _line(site, "content/releases/nach-weg.md", "follows:"),
         'follows "weg", which is withdrawn; the page shows no link to it, so remove "follows" or name a '
         "release that is still published"),
        ("content/releases/nach-entwurf.md", _line(site, "content/releases/nach-entwurf.md", "follows:"),
         'follows "entwurf", a draft; the page shows no link to it until that release is published'),
        ("content/releases/nach-bald.md", _line(site, "content/releases/nach-bald.md", "follows:"),
         'follows "bald", which is published only at 2026-12-10T10:00:00+01:00; until then the page shows no '
         "link to it"),
    }


def _text_warnings(stderr: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in stderr.splitlines():
        line = line.strip()
        if ": warning: " in line:
            where, message = line.split(": warning: ", 1)
            path, number = where.rsplit(":", 1)
            found.add((path, int(number), message))
    return found


def test_check_names_every_broken_link_at_its_line(site: Path) -> None:
    result = run_pressroom("check", site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert _text_warnings(result.stderr) == _expected(site)
    assert len(result.stderr.splitlines()) == len(_expected(site))  # and nothing else is warned about


def test_check_json_and_strict(site: Path) -> None:
    result = run_pressroom("check", site, "--now", NOW, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {(w["path"], w["line"], w["message"]) for w in document["warnings"]} == _expected(site)
    assert {w["severity"] for w in document["warnings"]} == {"warning"}
    assert document["errors"] == []

    strict = run_pressroom("check", site, "--now", NOW, "--strict")
    assert strict.returncode == 1
    assert _text_warnings(strict.stderr) == _expected(site)
    strict_json = run_pressroom("check", site, "--now", NOW, "--strict", "--format", "json")
    assert strict_json.returncode == 1
    assert json.loads(strict_json.stdout)["summary"]["ok"] is False


def test_build_passes_and_reports_the_same_warnings(site: Path, tmp_path: Path) -> None:
    result = run_pressroom("build", site, "-o", tmp_path / "out", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "meldung" / "quelle" / "index.html").is_file()
    report = build(BuildOptions(site=site, output=tmp_path / "out2", now=MOMENT, quiet=True, search=False,
                                cache=False, jobs=1))
    assert {(w.path, w.line, w.message) for w in report.warnings} == _expected(site)
    assert {w.severity for w in report.warnings} == {"warning"}


def test_a_fixed_site_has_no_link_warning(site: Path) -> None:
    quelle = site / "content" / "releases" / "quelle.md"
    quelle.write_text(quelle.read_text(encoding="utf-8").split("- [relativ, vertippt]")[0], encoding="utf-8")
    (site / "content" / "pages" / "impressum.md").write_text("---\ntitle: Impressum\n---\n\nText.\n",
                                                             encoding="utf-8")
    for name in ("nach-weg", "nach-entwurf", "nach-bald"):  # kept, so that /meldungen/seite/2/ stays
        path = site / "content" / "releases" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("follows: ", "follows: ziel\n# "), encoding="utf-8")
    result = run_pressroom("check", site, "--now", NOW, "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_link_to_a_scheduled_release_is_good_once_it_is_out(site: Path) -> None:
    """At a later moment the scheduled release is out: its link and `follows` are fine."""
    loaded = load_site(site)
    later = check_links(loaded, dt.datetime.fromisoformat("2026-12-11T00:00:00+01:00"))
    assert not [p for p in later if "bald" in p.message]
    assert not [p for p in check_links(loaded, MOMENT) if p.path == "content/releases/spaeter.md"]


def test_a_site_at_the_root_of_its_host(tmp_path: Path) -> None:
    """Under `https://presse.example.org/` the same links without `/presse` are good or broken alike."""
    site = _site(tmp_path / "site", "https://presse.example.org/")
    quelle = site / "content" / "releases" / "quelle.md"
    body = "".join(f"- {line}\n" for line in ["[gut](/meldung/ziel/)", "[gut](https://presse.example.org/impressum/)",
                                              "[gut](../../meldungen/seite/2/)", "[kaputt](/meldungen/seite/4/)",
                                              "[kaputt](/presse/meldung/ziel/)"])
    quelle.write_text(f"---\nid: quelle\ntitle: Die Quelle\n{BASE}---\n\n{body}", encoding="utf-8")
    problems = [p for p in check_links(load_site(site), MOMENT) if p.path == "content/releases/quelle.md"]
    assert {(p.line, p.message) for p in problems} == {
        (11, _nowhere("/meldungen/seite/4/", "/meldungen/seite/4/")),
        (12, _nowhere("/presse/meldung/ziel/", "/presse/meldung/ziel/")),
    }


def test_planned_paths_are_the_files_the_build_writes(site: Path, tmp_path: Path) -> None:
    """The check's list of files is the build's: built with --drafts too, which writes the draft."""
    for drafts in (False, True):
        out = tmp_path / f"out-{drafts}"
        result = run_pressroom("build", site, "-o", out, "--now", NOW, "--no-search", *(["--drafts"] * drafts))
        assert result.returncode == 0, result.stderr
        written = {normal(p.relative_to(out).as_posix()) for p in out.rglob("*") if p.is_file()}
        loaded = load_site(site)
        catalog = decide(loaded, MOMENT, drafts)
        shown = (*catalog.published, *catalog.drafts)
        media = publish_media(site, loaded.settings, shown)
        views = ViewMaker(loaded.settings, catalog, loaded.bodies, loaded.pages, media=media)
        data = OutputData(loaded.settings, loaded.bodies, media)
        templates = Templates(site, loaded.settings.language, views.site())
        planned = planned_paths(loaded, catalog, views, data, templates, media)
        assert planned == written
        found = link_problems(loaded, catalog, planned)
        # With --drafts the draft's page is written, and the link to it is good.
        assert any('"/presse/meldung/entwurf/"' in p.message for p in found) is not drafts


def test_demo_has_no_link_warning() -> None:
    loaded = load_site(REPO)
    assert check_links(loaded, dt.datetime.fromisoformat(DEMO_NOW)) == []


def test_hrefs_are_read_from_the_sanitized_html() -> None:
    assert hrefs('<p><a href="/a?x=1&amp;y=2">a</a> <a title="t">b</a> <a href="#c">c</a></p>') == ["/a?x=1&y=2", "#c"]


def test_a_problem_is_a_warning_with_its_line() -> None:
    assert str(Problem("content/pages/x.md", 5, "m", "warning")) == "content/pages/x.md:5: warning: m"


HOSTILE = ["http://[::1", "https://presse.example.org:99999/", "http://presse.example.org:abc/", "//", "///",
           "https://", "/presse/%", "/presse/%ZZ", "/presse/%2e%2e/%2e%2e/etc/passwd", "?", "/presse/meldung//",
           "/presse/meldung/%00/", "../../../../../../", "https://PRESSE.example.org/presse/MELDUNG/ziel/"]


def test_hostile_addresses_give_a_warning_or_nothing(site: Path) -> None:
    quelle = site / "content" / "releases" / "quelle.md"
    body = "".join(f"- [x]({href})\n" for href in HOSTILE)
    quelle.write_text(f"---\nid: quelle\ntitle: Die Quelle\n{BASE}---\n\n{body}", encoding="utf-8")
    problems = [p for p in check_links(load_site(site), MOMENT) if p.path == "content/releases/quelle.md"]
    assert all(p.severity == "warning" and 8 <= p.line < 8 + len(HOSTILE) for p in problems)
    flagged = {p.message.split('"')[1] for p in problems}
    assert "https://PRESSE.example.org/presse/MELDUNG/ziel/" not in flagged  # host and path without case
    assert {"/presse/%2e%2e/%2e%2e/etc/passwd", "/presse/meldung//"} <= flagged
    assert not any(character < " " for p in problems for character in p.message)  # %00 is not printed as NUL


def test_a_reference_to_a_control_character_is_not_printed() -> None:
    assert hrefs('<a href="/x&#27;[31m">x</a>') == ["/x[31m"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="/.%#?:@[]2eEfF-_aäzZ \\\t&;\"'<>()", max_size=30))
def test_any_address_is_judged_without_a_failure(href: str) -> None:
    checker = _Checker(_FUZZ_SITE, _FUZZ_CATALOG, frozenset({"index.html"}))
    message = checker._judge(href, "meldung/x/", None)
    assert message is None or message.startswith("the link")


_FUZZ_SITE = LoadedSite(Path("/nonexistent"), Settings(title="t", base_url="https://presse.example.org/presse/"),
                        {}, (), ())
_FUZZ_CATALOG = make_catalog((), (), MOMENT)
