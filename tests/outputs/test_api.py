"""The static JSON API: every document follows the schema, and ids and URLs match the pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.outputs.api import schema_path, with_encoded
from generator.outputs.json_ld import dumps
from tests.conftest import REPO

BASE = "https://presse.example.org/"
API = "api/v1/"
CONFERENCE = "2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((REPO / "schema" / "api-v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def load(output: Path, path: str) -> Any:
    return json.loads((output / path).read_text(encoding="utf-8"))


def validate(schema: dict[str, Any], document: Any, part: str) -> None:
    jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{part}"}).validate(document)
    jsonschema.Draft202012Validator(schema).validate(document)  # and against the schema as a whole


def documents(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in (output / API).rglob("*.json")
                  if p.name != "schema.json")


def test_every_document_validates(demo_output: Path, schema: dict[str, Any]) -> None:
    paths = documents(demo_output)
    assert API + "index.json" in paths and API + "releases/index.json" in paths
    for path in paths:
        document = load(demo_output, path)
        if path == API + "index.json":
            part = "api_index"
        elif path == API + "withdrawn.json":
            part = "withdrawn"
        elif path.startswith(API + "offices/") or path.endswith(("/index.json",)) or "/page-" in path:
            part = "listing"
        else:
            part = "release"
        validate(schema, document, part)
    assert load(demo_output, API + "schema.json") == schema
    assert schema_path().read_bytes() == (demo_output / API / "schema.json").read_bytes()


def test_schema_rejects_a_document_without_its_office(demo_output: Path, schema: dict[str, Any]) -> None:
    release = load(demo_output, API + "releases/2025-03-11-verkehrsunfallbilanz-2024.json")
    del release["office"]["code"]
    with pytest.raises(jsonschema.ValidationError):
        validate(schema, release, "release")


def test_ids_and_urls_match_the_pages(demo_output: Path) -> None:
    listing = load(demo_output, API + "releases/index.json")
    assert listing["total"] == 8 == len(listing["releases"])
    published = [r["published"] for r in listing["releases"]]
    assert published == sorted(published, reverse=True)  # newest first
    for item in listing["releases"]:
        path = item["url"].removeprefix(BASE)
        page = (demo_output / path / "index.html").read_text(encoding="utf-8")
        assert 'data-pagefind-body' in page
        assert f"<h1>{item['title']}</h1>" in page
        document = load(demo_output, item["api_url"].removeprefix(BASE))
        assert document == item
        assert path == "meldung/" + item["api_url"].rsplit("/", 1)[1].removesuffix(".json") + "/"
    conference = load(demo_output, API + f"releases/{CONFERENCE}.json")
    assert conference["id"] == "pol-ge-2019-0429-1"
    assert conference["office"] == {"id": "polizei-gelsenkirchen", "name": "Polizei Gelsenkirchen",
                                    "code": "POL-GE", "url": BASE + "behoerden/polizei-gelsenkirchen/"}
    assert conference["teaser"].startswith("Gelsenkirchen (ots) – ")
    assert conference["event"]["ics_url"] == BASE + f"meldung/{CONFERENCE}/termin.ics"


def test_offices_list_their_own_releases(demo_output: Path) -> None:
    index = load(demo_output, API + "index.json")
    offices = {o["id"]: o for o in index["offices"]}
    assert set(offices) == {"polizei-gelsenkirchen", "feuerwehr-gelsenkirchen", "stadt-gelsenkirchen"}
    total = 0
    for office_id, office in offices.items():
        page = load(demo_output, office["api_url"].removeprefix(BASE))
        assert page["office"]["id"] == office_id
        assert all(r["office"]["id"] == office_id for r in page["releases"])
        total += page["total"]
    assert total == index["total"] == 8


def test_media_have_type_caption_credit_and_absolute_urls(demo_output: Path) -> None:
    release = load(demo_output, API + "releases/2025-03-11-verkehrsunfallbilanz-2024.json")
    image, document = release["media"]
    assert image["mime"] == "image/jpeg"
    assert image["url"].startswith(BASE + "media/streifenwagen-verkehrskontrolle-") and image["url"].endswith(".jpg")
    assert image["credit"] == "Polizei Gelsenkirchen" and image["caption"]
    assert document["mime"] == "application/pdf"
    assert (demo_output / image["url"].removeprefix(BASE)).is_file()


def test_withdrawn_drafts_and_scheduled_are_not_in_the_api(demo_output: Path) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in (demo_output / API).rglob("*.json")
                   if p.name != "withdrawn.json")
    for gone in ("pol-ge-2024-0312-1", "Zivilfahnder", "fw-ge-2027-0110-1", "fw-ge-2026-0820-1"):
        assert gone not in text


def test_pages_link_next_and_prev(tmp_path: Path) -> None:
    from tests.conftest import DEMO_NOW, run_pressroom

    site = tmp_path / "site"
    import shutil

    shutil.copytree(REPO, site,
                    ignore=shutil.ignore_patterns(".git", "output", ".venv", "node_modules", "tests"))
    toml = (site / "site.toml").read_text(encoding="utf-8").replace("per_page = 20", "per_page = 3")
    (site / "site.toml").write_text(toml, encoding="utf-8")
    out = tmp_path / "out"
    result = run_pressroom("build", site, "-o", out, "--now", DEMO_NOW, "--quiet", "--no-search")
    assert result.returncode == 0, result.stderr
    # 8 releases, 3 a page: the front page has the newest 3; pages 1 and 2, counted from the
    # oldest, hold 3 each and never change; page 2 overlaps the front page by one.
    first = load(out, API + "releases/index.json")
    assert (first["page"], first["pages"], first["total"], first["links"]["prev"]) == (0, 2, 8, None)
    assert first["links"]["next"] == BASE + API + "releases/page-2.json"
    second = load(out, first["links"]["next"].removeprefix(BASE))
    assert second["page"] == 2 and second["links"]["prev"] == BASE + API + "releases/index.json"
    assert "total" not in second and "pages" not in second
    third = load(out, second["links"]["next"].removeprefix(BASE))
    assert third["page"] == 1 and third["links"]["next"] is None and len(third["releases"]) == 3
    assert third["links"]["prev"] == BASE + API + "releases/page-2.json"
    assert first["links"]["last"] == third["links"]["self"]
    pages = [[r["id"] for r in page["releases"]] for page in (first, second, third)]
    assert len({i for page in pages for i in page}) == 8 and pages[0][-1] == pages[1][0]
    police = load(out, API + "offices/polizei-gelsenkirchen.json")
    assert police["pages"] >= 1
    assert police["links"]["next"] == BASE + API + f"offices/polizei-gelsenkirchen/page-{police['pages']}.json"
    assert (out / API / "offices" / "polizei-gelsenkirchen" / f"page-{police['pages']}.json").is_file()


# Keys on both sides of "releases" and strings that make `dumps` take its long way (controls, escapes).
_TEXT = st.lists(st.sampled_from(["a", "releases", "s", "t", "\\", "u", "\n", "\x00", "\x7f", "\ufffe", '"', "ä"]),
                 max_size=4).map("".join)
_KEY = st.lists(st.sampled_from(["a", "releases", "s", "t", "ä"]), max_size=3).map("".join)  # a page's keys are ours
_JSON = st.recursive(st.none() | st.integers() | _TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEY, _JSON, max_size=5), st.lists(_JSON, max_size=4))
def test_a_page_made_of_encoded_documents_is_the_page_encoded_whole(page: dict[str, Any], items: list[Any]) -> None:
    page.pop("releases", None)
    assert with_encoded(page, "releases", [dumps(item) for item in items]) == dumps({**page, "releases": items})
