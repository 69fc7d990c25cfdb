"""What a build is given, what it reads, and what it reports: the data every stage shares.

These live apart from `pipeline` so that the stages (`plan`, `addresses` …) can name them
without importing the pipeline that calls them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import Problem
from generator.core.models import Authority, Page, Release, Settings
from generator.lifecycle.states import Due

if TYPE_CHECKING:  # a build that changes nothing needs none of them (build/seal.py)
    from generator.build.addresses import Addresses
    from generator.build.search import SearchReport
    from generator.render.markdown import Body


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
    cache: bool = True  # False: neither read nor write .pressroom-cache/
    # The warnings `check` would give, computed from what the build read (the rules live in commands).
    advise: Callable[[LoadedSite], list[Problem]] | None = None


@dataclass(frozen=True)
class LoadedSite:
    """Everything read from the site folder, validated."""

    site: Path
    settings: Settings
    authorities: dict[str, Authority]
    releases: tuple[Release, ...]
    pages: tuple[Page, ...]
    bodies: Mapping[str, Body] = field(default_factory=dict)  # by release id (`build.bodies`)
    page_bodies: dict[str, Body] = field(default_factory=dict)  # by page slug
    addresses: Addresses | None = field(default=None, compare=False, repr=False)  # who owns each output file
    # By release id: the key of everything the release was made from (`loader.LoadedReleases.keys`).
    keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


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
    pages_rendered: int = 0
    pages_reused: int = 0  # carried over from the previous site: their inputs did not change
    notes: list[str] = field(default_factory=list)  # about the cache, for the summary
    draft_paths: list[str] = field(default_factory=list)  # addresses of the drafts shown (serve prints them)
    output_build: str | None = None  # the id the output's state gives the tree this build made
