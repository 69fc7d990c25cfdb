"""A build, as a table of contents: load, decide, render, write."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import urls
from generator.body import Body, render_body
from generator.catalog import Catalog, make_catalog
from generator.config import load_settings
from generator.content import (
    LoadContext,
    check_together,
    load_authorities,
    load_pages,
    load_release,
    release_files,
)
from generator.errors import BuildErrors, Problem
from generator.lifecycle import Due, next_due
from generator.media import publish_media
from generator.models import Authority, Page, Release, Settings
from generator.output import Staging
from generator.render import Templates
from generator.search import SearchReport, index_search
from generator.servers import MANIFEST, date_withdrawals, removed_links
from generator.sitefiles import site_files
from generator.views import ViewMaker


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    output: Path
    now: dt.datetime
    base_url: str | None = None
    drafts: bool = False
    jobs: int = 0
    quiet: bool = False
    allow_removed: bool = False  # accept that addresses of the previous build vanish

    search: bool = True  # False: no search index (quick previews)


@dataclass(frozen=True)
class LoadedSite:
    """Everything read from the site folder, validated."""

    site: Path
    settings: Settings
    authorities: dict[str, Authority]
    releases: tuple[Release, ...]
    pages: tuple[Page, ...]


@dataclass
class BuildReport:
    published: int = 0
    scheduled: int = 0
    withdrawn: int = 0
    drafts: int = 0
    files_written: int = 0
    files_kept: int = 0
    seconds: float = 0.0
    next_due: Due | None = None
    warnings: list[Problem] = field(default_factory=list)
    search: SearchReport | None = None


_FALLBACK = Settings(title="", base_url="https://example.invalid/")


def load_site(site: Path, base_url: str | None = None) -> LoadedSite:
    """Read and validate the whole site folder; all problems are raised together."""
    problems: list[Problem] = []
    try:
        settings = load_settings(site, base_url)
    except BuildErrors as exc:
        problems.extend(exc.problems)
        settings = _FALLBACK  # keep checking the content, so the report is complete
    authorities, found = load_authorities(site)
    problems.extend(found)
    context = LoadContext(site=site, settings=settings, authorities=authorities)
    releases: list[Release] = []
    for path in release_files(site):
        release, found = load_release(path, context)
        problems.extend(found)
        if release is not None:
            releases.append(release)
    pages, found = load_pages(site)
    problems.extend(found)
    problems.extend(check_together(
        site, releases, pages,
        taken=lambda r: [urls.release(r.slug), *_alias_paths(r)],
        page_path=lambda p: urls.page(p.slug),
    ))
    if problems:
        raise BuildErrors(problems)
    return LoadedSite(site, settings, authorities, tuple(releases), tuple(pages))


def _alias_paths(release: Release) -> list[str]:
    return [alias.lstrip("/") for alias in release.aliases]


def decide(loaded: LoadedSite, now: dt.datetime, drafts: bool) -> Catalog:
    return make_catalog(loaded.releases, loaded.authorities.values(), now, drafts)


def render_bodies(catalog: Catalog, pages: tuple[Page, ...]) -> tuple[dict[str, Body], dict[str, Body]]:
    """Markdown of every release that will be shown, and of every page."""
    bodies = {r.id: render_body(r.body) for r in (*catalog.published, *catalog.drafts)}
    return bodies, {p.slug: render_body(p.body) for p in pages}


def build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    loaded = load_site(options.site, options.base_url)
    loaded = replace(loaded, releases=date_withdrawals(loaded.releases, options.output / MANIFEST, options.now,
                                                       loaded.settings.tz))
    catalog = decide(loaded, options.now, options.drafts)
    if not options.allow_removed:
        guard_links(options.output, loaded, catalog)
    bodies, page_bodies = render_bodies(catalog, loaded.pages)
    shown = (*catalog.published, *catalog.drafts)
    media = publish_media(loaded.site, loaded.settings, shown, jobs=options.jobs)
    views = ViewMaker(loaded.settings, catalog, {**bodies}, loaded.pages, media=media)
    templates = Templates(options.site, loaded.settings.language, views.site())
    with Staging(options.output) as staging:
        for path, content in site_files(loaded, catalog, views, templates, page_bodies):
            if isinstance(content, Path):
                staging.copy(path, content)
            else:
                staging.write(path, content)
        search = index_search(staging) if options.search else None
        staging.commit()
    report = BuildReport(
        published=len(catalog.published),
        scheduled=sum(1 for s in catalog.states.values() if s.value == "scheduled"),
        withdrawn=len(catalog.withdrawn),
        drafts=sum(1 for s in catalog.states.values() if s.value == "draft"),
        files_written=staging.written,
        files_kept=staging.kept,
        next_due=next_due(loaded.releases, options.now),
        search=search,
    )
    report.seconds = time.perf_counter() - started
    return report


def guard_links(output: Path, loaded: LoadedSite, catalog: Catalog) -> None:
    """Fail when an address the previous build into `output` published would vanish."""
    manifest = output / MANIFEST
    problems = removed_links(manifest, str(manifest), catalog, loaded.releases, loaded.settings.base_url)
    if problems:
        raise BuildErrors(problems)


def check(site: Path, now: dt.datetime, output: Path | None = None,
          allow_removed: bool = False) -> LoadedSite:
    """Every validation of a build, including the link guard against `output`; writes nothing."""
    loaded = load_site(site)
    catalog = decide(loaded, now, drafts=False)
    if not allow_removed:
        guard_links(output if output is not None else site / "output", loaded, catalog)
    return loaded


def due(site: Path, now: dt.datetime) -> Due | None:
    """The next moment a rebuild would change the site (for `build --next`); writes nothing."""
    return next_due(load_site(site).releases, now)


__all__ = ["BuildOptions", "BuildReport", "Iterator", "build", "check", "load_site"]
