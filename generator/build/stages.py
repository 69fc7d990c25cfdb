"""The stages of a build, as `pipeline` orders them (see its docstring): loading and validating
the site, deciding what it shows, rendering, writing, indexing and swapping.

They live apart from `pipeline` so that a build which changes nothing (`seal`) and the
command's start (`pressroom --version`) import none of the libraries they need.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from generator.build.addresses import claim_site
from generator.build.cache import FORMAT as CACHE_FORMAT
from generator.build.cache import Cache, Stamp
from generator.build.code import code_key
from generator.build.links import link_problems
from generator.build.loader import load_releases, settings_key
from generator.build.parallel import default_jobs, map_slices
from generator.build.plan import other_files, page_tasks, site_tasks
from generator.build.progress import Display
from generator.build.search import index_search
from generator.build.site import BuildOptions, BuildReport, LoadedSite
from generator.build.staging import Staging, guard_output
from generator.build.tasks import Done, Made, each_task, make_now, run_tasks
from generator.content.authorities import load_authorities
from generator.content.checks import check_together
from generator.content.files import release_files
from generator.content.lines import front_matter_line
from generator.content.pages import load_pages
from generator.content.releases import LoadContext
from generator.content.settings import load_settings
from generator.core import urls
from generator.core.digest import digest, typed_json
from generator.core.errors import BuildErrors, Problem
from generator.core.models import Release, Settings
from generator.lifecycle.catalog import Catalog, make_catalog
from generator.lifecycle.manifest import MANIFEST, date_withdrawals, removed_links
from generator.lifecycle.states import Due, next_due
from generator.media.publish import CACHE_DIR as MEDIA_CACHE
from generator.media.publish import publish_media
from generator.outputs.data import OutputData
from generator.outputs.feeds import feed_tasks
from generator.outputs.feeds.items import Items
from generator.outputs.files import Task
from generator.render.markdown import Body, BodyTooComplex, render_body
from generator.render.templates import Templates
from generator.render.views import ViewMaker

_FALLBACK = Settings(title="", base_url="https://example.invalid/")


def load_site(site: Path, base_url: str | None = None, cache: Cache | None = None, jobs: int = 0,
              display: Display | None = None) -> LoadedSite:
    """Read and validate the whole site folder; all problems are raised together."""
    problems: list[Problem] = []
    try:
        settings = load_settings(site, base_url)
    except BuildErrors as exc:
        problems.extend(exc.problems)
        settings = _FALLBACK  # keep checking the content, so the report is complete
    authorities, found = load_authorities(site, settings.content_language)
    problems.extend(found)
    context = LoadContext(site=site, settings=settings, authorities=authorities, media_cache=site / MEDIA_CACHE)
    paths = release_files(site)
    stage = display.stage("Reading releases", len(paths)) if display else (lambda done: None)
    read = load_releases(context, paths, cache or Cache.disabled(), jobs or default_jobs(), stage)
    problems.extend(read.problems)
    pages, found = load_pages(site, settings.content_language)
    problems.extend(found)
    page_bodies: dict[str, Body] = {}
    for page in pages:
        try:
            page_bodies[page.slug] = render_body(page.body)
        except BodyTooComplex as exc:
            problems.append(exc.problem(page.source, _text_of(site / page.source), page.body))
    # Addresses are checked by the registry, which knows every file a build writes.
    problems.extend(check_together(site, read.releases))
    addresses = claim_site(site, read.releases, pages)
    problems.extend(addresses.problems)
    if problems:
        raise BuildErrors(problems)
    return LoadedSite(site, settings, authorities, tuple(read.releases), tuple(pages), read.bodies, page_bodies,
                      addresses, read.keys)


def _text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None


def _dated_keys(keys: dict[str, str], releases: tuple[Release, ...]) -> dict[str, str]:
    """The releases' keys with the time a withdrawal was first shown, which the manifest adds."""
    dated = dict(keys)
    for release in releases:
        withdrawal = release.withdrawn
        if withdrawal is not None and release.id in dated:
            dated[release.id] = digest(dated[release.id], "withdrawn", withdrawal.date.isoformat()
                                       if withdrawal.date else "", withdrawal.reason or "")
    return dated


def decide(loaded: LoadedSite, now: dt.datetime, drafts: bool) -> Catalog:
    return make_catalog(loaded.releases, loaded.authorities.values(), now, drafts)


def build_site(options: BuildOptions, jobs: int, cache: Cache, display: Display) -> BuildReport:
    """Everything of a build after its guard and seal: load, decide, render, write, index, swap."""
    loaded = load_site(options.site, options.base_url, cache, jobs, display)
    dated = date_withdrawals(loaded.releases, options.output / MANIFEST, options.now, loaded.settings.tz)
    loaded = replace(loaded, releases=dated, keys=_dated_keys(loaded.keys, dated))
    catalog = decide(loaded, options.now, options.drafts)
    if not options.allow_removed:
        guard_links(options.output, loaded, catalog)
    page_bodies = loaded.page_bodies
    shown = (*catalog.published, *catalog.drafts)
    media = publish_media(loaded.site, loaded.settings, shown, jobs=jobs,
                          line_of=partial(front_matter_line, loaded.site), entries=cache if cache.usable else None,
                          authorities=catalog.all_authorities)
    views = ViewMaker(loaded.settings, catalog, loaded.bodies, loaded.pages, media=media)
    data = OutputData(loaded.settings, loaded.bodies, media, loaded.keys)
    templates = Templates(options.site, loaded.settings.language, views.site())
    fingerprint = inputs_fingerprint(loaded, templates, views)
    report = BuildReport(warnings=options.advise(loaded) if options.advise is not None else [])
    with Staging(options.output, loaded.addresses) as staging:
        items = Items(data, cache if cache.usable else None, digest(code_key(), CACHE_FORMAT,
                                                                     settings_key(loaded.settings)))
        made = _write_site(staging, loaded, catalog, views, data, templates, page_bodies, cache, fingerprint,
                           jobs, display, report, items)
        report.search = index_search(staging, jobs, made.keys(), cache) if options.search else None
        staging.commit()
    cache.keep_outputs(staging.target, made.stamps(staging.target), made.previous)
    cache.keep_feed_items(filter(None, map(items.stored_key, catalog.published)), items.made)
    report.output_build = staging.build_id
    report.published = len(catalog.published)
    report.scheduled = sum(1 for s in catalog.states.values() if s.value == "scheduled")
    report.withdrawn = len(catalog.withdrawn)
    report.drafts = sum(1 for s in catalog.states.values() if s.value == "draft")
    report.draft_paths = [urls.release(r.slug) for r in catalog.drafts]
    report.files_written = staging.written
    report.files_kept = staging.kept
    report.next_due = next_due(loaded.releases, options.now)
    # The link check, against the files this build staged: the same set `check` plans
    # (tests/build/test_links.py proves it), without making the plan a second time.
    report.warnings = sorted({*report.warnings, *link_problems(loaded, catalog, staging.staged)})
    return report


def _write_site(staging: Staging, loaded: LoadedSite, catalog: Catalog, views: ViewMaker, data: OutputData,
                templates: Templates, page_bodies: dict[str, Body], cache: Cache, fingerprint: str, jobs: int,
                display: Display, report: BuildReport, items: Items) -> _Made:
    """Stage every file of the site; returns what the tasks made, for the cache."""
    previous = cache.outputs(staging.target)
    made = _Made(previous=previous)
    tasks = page_tasks(catalog, views, data, templates)
    progress = display.stage("Rendering pages", len(tasks))
    # The workers start on the pages while this process makes the other files and the feeds,
    # writing the workers' pages now and then as they come rather than holding them in memory.
    count = 0

    def take(batches: Iterable[Sequence[Done]]) -> None:
        nonlocal count
        for batch in batches:
            for done in batch:
                count += _publish(done, tasks, staging, previous, made, report)
            progress(count)

    # The workers look at each previous file where this build finds it – in the spare, the live
    # file's own inode, brought up to date – and make the ones changed or gone since (edited by hand).
    look = str(staging.root if staging.in_spare else staging.target)
    with map_slices(partial(run_tasks, tasks, fingerprint=fingerprint, previous=previous, site=look), len(tasks),
                    jobs) as rendered:
        for number, (path, content) in enumerate(other_files(loaded, catalog, views, data, templates, page_bodies)):
            if number % 64 == 0:
                take(rendered.ready())
            if isinstance(content, Path):
                staging.copy(path, content)
            else:
                staging.write(path, content)
        here = [*site_tasks(loaded, catalog, views, data, templates, page_bodies), *feed_tasks(catalog, data, items)]
        for number, done in enumerate(each_task(here, fingerprint, previous, site=look)):
            _publish(done, here, staging, previous, made, report)
            if number % 16 == 0:
                take(rendered.ready())
        take(rendered)
    return made


@dataclass
class _Made:
    """The files the tasks staged: carried over (their stamps stay as they were) or written."""

    previous: dict[str, Stamp]  # what the cache knew of the output's task files before
    kept: dict[str, Stamp] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # path → key

    def keys(self) -> dict[str, str]:
        """Every task file's key: what it was made from."""
        return {**{path: stamp.key for path, stamp in self.kept.items()}, **self.written}

    def stamps(self, target: Path) -> dict[str, Stamp]:
        """Every file's stamp once the new site is in place; only written files need a look."""
        stamps = dict(self.kept)
        for path, key in self.written.items():
            try:
                stat = os.stat(f"{target}/{path}")
            except OSError:
                continue
            stamps[path] = Stamp(key, stat.st_size, stat.st_mtime_ns)
        return stamps


def _publish(done: Done, tasks: Sequence[Task], staging: Staging, previous: dict[str, Stamp], made: _Made,
             report: BuildReport) -> int:
    """Stage what a task or a run of them gave; returns how many tasks that was."""
    if isinstance(done, Made):
        _put(tasks[done.index].path, done.key, done.content, staging, made, report)
        return 1
    paths = done.paths
    if staging.in_spare:  # each file is there, as the worker found it: only recorded
        staging.keep_found(paths)
        made.kept.update(zip(paths, map(previous.__getitem__, paths), strict=True))
        report.pages_reused += len(paths)
        return len(paths)
    for index, path in enumerate(paths, done.start):
        stamp = previous[path]
        if staging.keep(path, stamp.size, stamp.mtime_ns):
            made.kept[path] = stamp
            report.pages_reused += 1
        else:  # the previous file was changed or removed since the worker looked: make it anew
            _put(path, stamp.key, make_now(tasks[index]), staging, made, report)
    return len(paths)


def _put(path: str, key: str, content: bytes, staging: Staging, made: _Made, report: BuildReport) -> None:
    staging.write(path, content)
    made.written[path] = key
    report.pages_rendered += 1


def inputs_fingerprint(loaded: LoadedSite, templates: Templates, views: ViewMaker) -> str:
    """What every cached output file depends on besides its own inputs: Pressroom, the cache
    format, the settings, the site-wide view and every theme file. (Authorities reach a page
    through its inputs – the releases and groups it shows – so changing one changes only those.)"""
    parts: list[bytes | str] = [code_key(), CACHE_FORMAT, settings_key(loaded.settings), _site_key(views)]
    for path in templates.source_files():
        parts += [str(path), path.read_bytes()]
    return digest(*parts)


def _site_key(views: ViewMaker) -> str:
    """What every page shows of the site (name, footer, feeds, theme files' names) as canonical
    JSON; a value that is no TOML value gives a key of its own each time (every page made anew)."""
    try:
        return typed_json(dataclasses.asdict(views.site()))
    except TypeError:
        return f"site not canonical {os.urandom(16).hex()}"


def guard_links(output: Path, loaded: LoadedSite, catalog: Catalog) -> None:
    """Fail when an address the previous build into `output` published would vanish."""
    manifest = output / MANIFEST
    problems = removed_links(manifest, str(manifest), catalog, loaded.releases, loaded.settings.base_url)
    if problems:
        raise BuildErrors(problems)


def check(site: Path, now: dt.datetime, output: Path | None = None,
          allow_removed: bool = False) -> LoadedSite:
    """Every validation of a build, including the link guard against `output`; writes nothing."""
    target = output if output is not None else site / "output"
    guard_output(site, target)  # what a build would refuse, `check` refuses too
    loaded = load_site(site)
    catalog = decide(loaded, now, drafts=False)
    if not allow_removed:
        guard_links(target, loaded, catalog)
    return loaded


def due(site: Path, now: dt.datetime) -> Due | None:
    """The next moment a rebuild would change the site (for `build --next`); writes nothing."""
    return next_due(load_site(site).releases, now)
