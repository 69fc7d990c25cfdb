"""What every view builder needs: the site's settings and catalog, its addresses, dates and texts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.core import urls
from generator.core.models import Settings
from generator.lifecycle.catalog import Catalog
from generator.render.formatting import Gettext, show_date, show_datetime, show_short, size_text, type_label


@dataclass(frozen=True)
class ViewContext:
    settings: Settings
    catalog: Catalog
    gettext: Gettext
    links: urls.Links = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "links", urls.Links(self.settings.base_url))

    @property
    def language(self) -> str:
        return self.settings.language

    # --- addresses ---------------------------------------------------------

    def url(self, path: str) -> str:
        """A site-relative path as a link target that works under any base path."""
        return self.links.url(path)

    def absolute(self, path: str) -> str:
        return self.links.absolute(path)

    # --- dates -------------------------------------------------------------

    def long(self, value: dt.datetime) -> str:
        return show_datetime(value, self.settings.tz, self.language)

    def short(self, value: dt.datetime) -> str:
        return show_short(value, self.settings.tz, self.language)

    def day(self, value: dt.datetime) -> str:
        return show_date(value, self.settings.tz, self.language)

    # --- sizes -------------------------------------------------------------

    def type_label(self, path: str) -> str:
        return type_label(path, self.gettext)

    def size_text(self, size: int) -> str:
        return size_text(size, self.language, self.gettext)
