"""content/pages/*.md: Impressum, Datenschutz and the other standalone pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.content.fields import Fields, Invalid, as_language
from generator.content.files import FileProblem, page_files, read_front_matter
from generator.core.errors import Message, Problem
from generator.core.models import Language, Page
from generator.core.slugs import slug as make_slug

PAGE_KEYS = ("title", "description", "lang")
# Top-level addresses of the site itself (see urls.py), which a standalone page may not take.
RESERVED_PAGE_NAMES = frozenset({
    "meldung", "meldungen", "behoerden", "themen", "orte", "jahre", "suche", "feeds", "static", "media", "api",
    "pagefind", "_server",
})


def load_pages(site: Path, language: Language | None = None) -> tuple[list[Page], list[Problem]]:
    """The standalone pages; a page without `lang` is in `language` (the site's `content_language`)."""
    pages: list[Page] = []
    problems: list[Problem] = []
    for path in page_files(site):
        page = _load_page(path, site, problems, language)
        if page is not None:
            pages.append(page)
    return pages, problems


def _load_page(path: Path, site: Path, problems: list[Problem], language: Language | None) -> Page | None:
    try:
        source, value, body = read_front_matter(path, site)
    except FileProblem as exc:
        problems.extend(exc.problems)
        return None
    shown = path.relative_to(site).as_posix()
    fields = Fields(source, shown, problems)
    try:
        data = fields.mapping(value or {}, (), PAGE_KEYS, Message("the front matter of a page"))
    except Invalid:
        return None
    title = fields.text(data, "title", (), required=True)
    lang = _lang(fields, data) or language
    slug = make_slug(path.stem)
    if slug in RESERVED_PAGE_NAMES:
        fields.fail((), Message('"%(name)s" would take the address /%(slug)s/, which the site itself uses; '
                                "rename the file", name=path.name, slug=slug))
        return None
    if not title:
        return None
    return Page(source=shown, slug=slug, title=title, body=body,
                description=fields.text(data, "description", ()) or "", lang=lang)


def _lang(fields: Fields, data: dict[str, Any]) -> Language | None:
    lang = fields.text(data, "lang", ())
    if lang is None:
        return None
    known = as_language(lang)
    if known is not None:
        return known
    fields.fail(("lang",), Message('lang must be "de" or "en", not "%(lang)s"', lang=lang))
    return None
