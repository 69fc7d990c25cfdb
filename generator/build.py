"""A build, as a table of contents: load, decide, render, write."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
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
from generator.models import Authority, Page, Release, Settings
from generator.output import Staging
from generator.render import Templates
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
    catalog = decide(loaded, options.now, options.drafts)
    bodies, page_bodies = render_bodies(catalog, loaded.pages)
    views = ViewMaker(loaded.settings, catalog, {**bodies}, loaded.pages)
    templates = Templates(options.site, loaded.settings.language, views.site())
    with Staging(options.output) as staging:
        for path, content in site_files(loaded, catalog, views, templates, page_bodies):
            if isinstance(content, Path):
                staging.copy(path, content)
            else:
                staging.write(path, content)
        staging.commit()
    report = BuildReport(
        published=len(catalog.published),
        scheduled=sum(1 for s in catalog.states.values() if s.value == "scheduled"),
        withdrawn=len(catalog.withdrawn),
        drafts=sum(1 for s in catalog.states.values() if s.value == "draft"),
        files_written=staging.written,
        files_kept=staging.kept,
        next_due=next_due(loaded.releases, options.now),
    )
    report.seconds = time.perf_counter() - started
    return report


def check(site: Path, now: dt.datetime) -> LoadedSite:
    """Every validation of a build; writes nothing."""
    loaded = load_site(site)
    decide(loaded, now, drafts=False)
    return loaded


__all__ = ["BuildOptions", "BuildReport", "Iterator", "build", "check", "load_site"]
