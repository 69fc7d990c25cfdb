"""A build, as a table of contents of its stages:

1. load – the site folder to validated models (`load_site`; release files through `loader`,
   which takes unchanged ones from the `cache`)
2. validate – cross-file checks and the registry of addresses (`addresses.claim_site`): every
   file the build will write has one owner before anything is written
3. plan – what the site shows at `now` (`decide`) and the files that show it (`plan`)
4. render – the many pages in forked workers (`tasks`, `parallel`), the other files here
5. write – into a staging folder beside the output (`staging.Staging`), unchanged files linked
6. index – the search index over the staged pages (`search`)
7. swap – the new site replaces the output in one atomic exchange (`Staging.commit`)

Before all of it, `staging.guard_output` makes sure the output folder holds nothing a build
must not replace.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build import seal
from generator.build.cache import CACHE_DIR, Cache
from generator.build.parallel import default_jobs
from generator.build.site import BuildOptions, BuildReport, LoadedSite
from generator.build.staging import guard_output

if TYPE_CHECKING:
    from generator.lifecycle.catalog import Catalog
    from generator.lifecycle.states import Due


def build(options: BuildOptions) -> BuildReport:
    guard_output(options.site, options.output)  # before anything is read, moved or written
    started = time.perf_counter()
    jobs = options.jobs or default_jobs()
    cache = Cache(options.site / CACHE_DIR) if options.cache else Cache.disabled()
    try:
        inputs = seal.inputs_key(options) if cache.usable else ""
        unchanged = seal.unchanged(options, cache, inputs) if cache.usable else None
        if unchanged is not None:
            report = unchanged
        else:
            from generator.build import stages  # only now: a sealed build needs none of it
            from generator.build.progress import Display

            with Display(not options.quiet) as display:
                report = stages.build_site(options, jobs, cache, display)
            if cache.usable:
                seal.keep(options, cache, report, inputs)
    finally:
        cache.close()
    report.notes = cache.notes
    report.seconds = time.perf_counter() - started
    return report


def load_site(site: Path, base_url: str | None = None) -> LoadedSite:
    """Read and validate the whole site folder; all problems are raised together."""
    from generator.build import stages

    return stages.load_site(site, base_url)


def decide(loaded: LoadedSite, now: dt.datetime, drafts: bool) -> Catalog:
    """What the site shows at `now`."""
    from generator.build import stages

    return stages.decide(loaded, now, drafts)


def check(site: Path, now: dt.datetime, output: Path | None = None, allow_removed: bool = False) -> LoadedSite:
    """Every validation of a build, including the link guard against `output`; writes nothing."""
    from generator.build import stages

    return stages.check(site, now, output, allow_removed)


def due(site: Path, now: dt.datetime) -> Due | None:
    """The next moment a rebuild would change the site (for `build --next`); writes nothing."""
    from generator.build import stages

    return stages.due(site, now)


__all__ = ["BuildOptions", "BuildReport", "LoadedSite", "build", "check", "decide", "due", "load_site"]
