"""Display values: addresses from the URL maker, sizes and dates from render.formatting, texts from the catalog."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.core import urls
from generator.render.formatting import show_date, show_datetime, show_short, size_text, type_label
from generator.render.templates import theme_folder, translations
from generator.render.views import SiteLinks

THEME = Path(__file__).resolve().parents[2] / "templates"


def test_site_links_are_the_permanent_addresses_under_the_base_path() -> None:
    links = SiteLinks.of(urls.Links("https://www.example.org/presse/"))
    assert links == SiteLinks(
        home="/presse/", releases="/presse/meldungen/", authorities="/presse/behoerden/", topics="/presse/themen/",
        places="/presse/orte/", years="/presse/jahre/", search="/presse/suche/", rss="/presse/feeds/rss.xml",
        atom="/presse/feeds/atom.xml", json_feed="/presse/feeds/feed.json")


def test_templates_write_no_address_of_their_own() -> None:
    """Every fixed folder of core/urls.py comes from site.links or a view, never from the template text."""
    folders = {urls.RELEASES, urls.AUTHORITIES, urls.TOPICS, urls.PLACES, urls.YEARS, urls.SEARCH, urls.FEEDS,
               urls.API, "meldung/", "seite/", "archiv/"}
    found = {}
    for template in sorted(THEME.glob("*.html")):
        if template.name == "search.html":  # the search page's own owner
            continue
        text = template.read_text(encoding="utf-8")
        hits = sorted(f for f in folders if re.search(rf"[\"'/}}]{re.escape(f)}", text))
        if hits:
            found[template.name] = hits
    assert found == {}


@pytest.mark.parametrize(("size", "language", "text"), [
    (1, "de", "1 KB"), (245_300, "de", "245 KB"), (1_234_567, "de", "1,2 MB"), (1_234_567, "en", "1.2 MB"),
])
def test_sizes(size: int, language: str, text: str) -> None:
    gettext = translations([theme_folder()], language).gettext
    assert size_text(size, language, gettext) == text


def test_type_labels_come_from_the_catalog() -> None:
    german = translations([theme_folder()], "de").gettext
    assert type_label("content/media/a.pdf", german) == "PDF"
    assert type_label("content/media/liesmich", german) == "Datei"
    assert type_label("content/media/liesmich") == "File"


def test_dates_in_both_languages() -> None:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Berlin")
    value = dt.datetime(2019, 4, 29, 14, 5, tzinfo=dt.UTC)
    assert show_datetime(value, tz, "de") == "29. April 2019, 16:05 Uhr"
    assert show_date(value, tz, "de") == "29. April 2019"
    assert show_short(value, tz, "de") == "29.04.2019, 16:05"
    # English: one style for pages, lists and notices, the 24-hour clock of the place.
    assert show_datetime(value, tz, "en") == "29 April 2019, 16:05"
    assert show_short(value, tz, "en") == "29 April 2019, 16:05"
    assert show_date(value, tz, "en") == "29 April 2019"
