"""Sitemaps that scale (issue 18): a sitemap index over files of at most 50,000 URLs and 50 MB,
listing every indexable page of the site and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from generator.core.models import Settings
from generator.outputs.data import OutputData
from generator.outputs.sitemap import Entry, sitemap_documents

BASE = "https://presse.example.org/"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The shape of sitemaps.org's sitemap.xsd and siteindex.xsd (protocol 0.9), reduced to what
# Pressroom writes and what the protocol allows: loc (absolute, at most 2,048 characters) and an
# optional W3C datetime lastmod.
XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS}" xmlns="{NS}"
            elementFormDefault="qualified">
  <xsd:simpleType name="tLoc"><xsd:restriction base="xsd:anyURI">
    <xsd:minLength value="12"/><xsd:maxLength value="2048"/><xsd:pattern value="https?://.+"/>
  </xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="tLastmod"><xsd:union memberTypes="xsd:date xsd:dateTime"/></xsd:simpleType>
  <xsd:element name="urlset"><xsd:complexType><xsd:sequence>
    <xsd:element name="url" maxOccurs="unbounded"><xsd:complexType><xsd:sequence>
      <xsd:element name="loc" type="tLoc"/>
      <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:sequence></xsd:complexType></xsd:element>
  <xsd:element name="sitemapindex"><xsd:complexType><xsd:sequence>
    <xsd:element name="sitemap" maxOccurs="50000"><xsd:complexType><xsd:sequence>
      <xsd:element name="loc" type="tLoc"/>
      <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:sequence></xsd:complexType></xsd:element>
</xsd:schema>"""
SCHEMA = etree.XMLSchema(etree.fromstring(XSD.encode()))
DATA = OutputData(Settings(title="Presse", base_url=BASE), {})
START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def check(text: str) -> etree._Element:
    """A sitemap document as a crawler reads it: valid, and within the protocol's limits."""
    data = text.encode("utf-8")
    assert len(data) <= 50 * 1024 * 1024
    root = etree.fromstring(data)
    SCHEMA.assertValid(root)
    assert len(root) <= 50_000
    return root


def locs(root: etree._Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{{{NS}}}loc")]


def releases(count: int, gaps: frozenset[int] = frozenset()) -> list[Entry | None]:
    return [None if n in gaps else Entry(f"meldung/r{n:05d}/", START + dt.timedelta(minutes=n))
            for n in range(count)]


PAGES = [Entry("", START), Entry("meldungen/", START), Entry("behoerden/", None), Entry("impressum/", None)]


def test_sixty_thousand_releases_make_two_files_of_fifty_and_ten_thousand() -> None:
    documents = dict(sitemap_documents(PAGES, releases(60_000), DATA))
    assert sorted(documents) == ["sitemap.xml", "sitemaps/meldungen-1.xml", "sitemaps/meldungen-2.xml",
                                 "sitemaps/seiten-1.xml"]
    index = check(documents.pop("sitemap.xml"))
    assert index.tag == f"{{{NS}}}sitemapindex"
    assert locs(index) == [f"{BASE}sitemaps/seiten-1.xml", f"{BASE}sitemaps/meldungen-1.xml",
                           f"{BASE}sitemaps/meldungen-2.xml"]
    newest = [e.text for e in index.iter(f"{{{NS}}}lastmod")]
    assert newest == [START.isoformat(), (START + dt.timedelta(minutes=49_999)).isoformat(),
                      (START + dt.timedelta(minutes=59_999)).isoformat()]
    roots = {path: check(text) for path, text in documents.items()}
    assert all(r.tag == f"{{{NS}}}urlset" for r in roots.values())
    assert {p: len(r) for p, r in roots.items()} == {"sitemaps/seiten-1.xml": 4, "sitemaps/meldungen-1.xml": 50_000,
                                                    "sitemaps/meldungen-2.xml": 10_000}
    assert locs(roots["sitemaps/seiten-1.xml"]) == [BASE, f"{BASE}meldungen/", f"{BASE}behoerden/",
                                                    f"{BASE}impressum/"]
    listed = locs(roots["sitemaps/meldungen-1.xml"]) + locs(roots["sitemaps/meldungen-2.xml"])
    assert listed == [f"{BASE}meldung/r{n:05d}/" for n in range(60_000)]  # oldest first, each once


def test_a_withdrawn_release_keeps_its_slot_so_later_files_do_not_shift() -> None:
    before = dict(sitemap_documents(PAGES, releases(60_000), DATA))
    after = dict(sitemap_documents(PAGES, releases(60_000, frozenset({10})), DATA))
    assert len(check(after["sitemaps/meldungen-1.xml"])) == 49_999
    assert after["sitemaps/meldungen-2.xml"] == before["sitemaps/meldungen-2.xml"]
    # A new release goes into the last file only.
    grown = dict(sitemap_documents(PAGES, releases(60_001), DATA))
    assert grown["sitemaps/meldungen-1.xml"] == before["sitemaps/meldungen-1.xml"]
    assert len(check(grown["sitemaps/meldungen-2.xml"])) == 10_001


def test_a_file_over_the_byte_limit_is_cut_in_fixed_halves() -> None:
    # The byte limit, scaled down: 10 URLs of ~107 bytes, at most 4 a file, at most 400 bytes a file:
    # 4 URLs do not fit (~540 bytes), 2 do (~325).
    documents = dict(sitemap_documents(PAGES[:1], releases(10), DATA, max_urls=4, max_bytes=400))
    files = sorted(p for p in documents if p.startswith("sitemaps/meldungen-"))
    assert files == [f"sitemaps/meldungen-{n}.xml" for n in range(1, 6)]
    assert all(len(documents[p].encode()) <= 400 and len(check(documents[p])) == 2 for p in files)


def test_slots_that_are_all_withdrawn_make_no_file() -> None:
    documents = dict(sitemap_documents(PAGES, releases(8, frozenset({4, 5, 6, 7})), DATA, max_urls=4))
    assert sorted(documents) == ["sitemap.xml", "sitemaps/meldungen-1.xml", "sitemaps/seiten-1.xml"]


def _indexable_pages(out: Path) -> set[str]:
    pages = set()
    for page in out.rglob("*.html"):
        if page.name == "404.html" or 'name="robots" content="noindex"' in page.read_text(encoding="utf-8"):
            continue
        path = page.relative_to(out).as_posix()
        pages.add(BASE + path.removesuffix("index.html"))
    return pages


def test_the_demo_sitemap_lists_every_indexable_page_and_nothing_else(demo_output: Path) -> None:
    assert (demo_output / "robots.txt").read_text(encoding="utf-8").splitlines()[-1] == f"Sitemap: {BASE}sitemap.xml"
    index = check((demo_output / "sitemap.xml").read_text(encoding="utf-8"))
    files = [demo_output / loc.removeprefix(BASE) for loc in locs(index)]
    assert sorted(f.relative_to(demo_output).as_posix() for f in demo_output.glob("sitemaps/*")) == sorted(
        f.relative_to(demo_output).as_posix() for f in files)
    listed = [loc for f in files for loc in locs(check(f.read_text(encoding="utf-8")))]
    assert len(listed) == len(set(listed))
    assert set(listed) == _indexable_pages(demo_output)
    for index_page in ("behoerden/", "themen/", "orte/", "jahre/"):
        assert BASE + index_page in listed
    # Withdrawn releases (their notices), drafts and scheduled releases are not in it.
    for gone in ("2024-03-12", "zivilfahnder"):
        assert not [loc for loc in listed if gone in loc]
