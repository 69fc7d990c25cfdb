"""A build that would change nothing is not made: the seal of the last build says so.

A site is a function of the files it is made from, the build's options and the state of each
release at `now` (published, scheduled, withdrawn), which only changes at the moments
`lifecycle.states.next_due` names. So when every input file still has the size and time it
had, the options are the same, `now` lies between the last build's `now` and the next due
moment, and the output folder is exactly as that build left it (`staging.intact`), the new
build would write the same bytes: it reports what the last one reported and touches nothing.

The seal is kept in the build cache, as JSON checked field by field (`codec`); a seal that
does not decode is no seal.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build import codec
from generator.build.cache import FORMAT as CACHE_FORMAT
from generator.build.cache import Cache
from generator.build.code import code_key
from generator.build.output_state import intact
from generator.build.site import BuildOptions, BuildReport
from generator.core.digest import digest
from generator.core.errors import Joined, Message, Param, Problem
from generator.core.paths import schema_path, theme_folder, walk
from generator.lifecycle.states import Due

SEAL = "seal"


@dataclass(frozen=True)
class Seal:
    inputs: str  # the key of every input file's stamp and of the options
    output: str  # the id of the output tree that build made (`staging.intact`)
    now: dt.datetime  # the last build's now
    due: dt.datetime | None  # and the next moment a release changes state
    published: int
    scheduled: int
    withdrawn: int
    drafts: int
    files: int
    pages: int
    search: tuple[int, int] | None  # releases indexed and parts, if the build made an index
    draft_paths: tuple[str, ...]
    next_due: Due | None
    # The warnings as `_text` writes them (a message keeps its msgid, so it is shown translated);
    # None: the build that made the seal was not asked for them.
    warnings: tuple[tuple[str, int, str, Any], ...] | None


def inputs_key(options: BuildOptions) -> str:
    """The stamps of every file a build reads, and the options that change what it writes."""
    site = options.site
    parts: list[str] = [code_key(), CACHE_FORMAT, str(options.output.absolute()), str(options.base_url),
                        str(options.drafts), str(options.search), str(options.allow_removed),
                        str(options.advise is not None)]
    for root in (site / "site.toml", site / "content", site / "templates", theme_folder(), schema_path()):
        parts.extend(_stamps(root))
    return digest(*parts)


def _stamps(root: Path) -> list[str]:
    """Path, size, times and inode of every file under `root` (hidden ones too: a build may read
    them to refuse them), in a stable order."""
    found: list[str] = []
    try:
        stat = os.stat(root)
    except OSError:
        return [f"{root} missing"]
    if not os.path.isdir(root):
        return [f"{root} {stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino}"]
    for here, files in walk(root):  # a linked folder is read too
        found.append(f"{here}/ {os.stat(here).st_mtime_ns}")
        for name in files:
            path = f"{here}/{name}"
            try:
                stat = os.stat(path)
            except OSError:
                found.append(f"{path} missing")
                continue
            # The change time too: a file rewritten and given its old modification time back
            # (`touch -d`, a restore) keeps its size and mtime, but not its ctime.
            found.append(f"{path} {stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino}")
    return found


def unchanged(options: BuildOptions, cache: Cache, inputs: str) -> BuildReport | None:
    """The last build's report, if this build would change nothing; else None. `inputs` is this
    build's `inputs_key`."""
    text = cache.value(SEAL)
    if text is None:
        return None
    try:
        seal: Seal = codec.loads(text, Seal)
    except codec.Invalid:
        return None
    if options.advise is not None and seal.warnings is None:
        return None
    if not seal.now <= options.now or (seal.due is not None and options.now >= seal.due):
        return None
    if seal.inputs != inputs or intact(options.output) != seal.output:
        return None
    from generator.build.search import SearchReport  # only now: a sealed build needs no search code

    try:
        report = BuildReport(published=seal.published, scheduled=seal.scheduled, withdrawn=seal.withdrawn,
                             drafts=seal.drafts, files_kept=seal.files, pages_reused=seal.pages,
                             next_due=seal.next_due,
                             warnings=[Problem(path, line, _message(message),
                                               "error" if severity == "error" else "warning")
                                       for path, line, severity, message in seal.warnings or ()],
                             draft_paths=list(seal.draft_paths),
                             search=SearchReport(seal.search[0], seal.search[1], 0, 0.0) if seal.search else None)
    except (TypeError, ValueError, KeyError):
        return None
    return report


def _text(value: str) -> Any:
    """A message as JSON that keeps what `Message` and `Joined` know."""
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": {k: _text(v) if isinstance(v, str) else v
                                                 for k, v in value.params.items()}}
    if isinstance(value, Joined):
        return {"separator": value.separator, "parts": [_text(part) for part in value.parts]}
    return str(value)


def _message(data: Any) -> str:
    """What `_text` wrote, as it was; ValueError for anything else."""
    if type(data) is str:
        return data
    if type(data) is dict and set(data) == {"msgid", "params"} and type(data["msgid"]) is str \
            and type(data["params"]) is dict:
        params: dict[str, Param] = {}
        for name, value in data["params"].items():
            if type(value) in (int, float):
                params[name] = value
            else:
                params[name] = _message(value)
        return Message(data["msgid"], **params)
    if type(data) is dict and set(data) == {"separator", "parts"} and type(data["separator"]) is str \
            and type(data["parts"]) is list:
        return Joined(data["separator"], [_message(part) for part in data["parts"]])
    raise ValueError("not a message")


def _due(options: BuildOptions, report: BuildReport) -> dt.datetime | None:
    """Until when the seal holds: the next moment a release changes state, and – when the
    warnings were asked for, some of which count hours (an appeal about to end) – the next hour."""
    due = report.next_due.when if report.next_due else None
    if options.advise is not None:
        hour = options.now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        due = hour if due is None else min(due, hour)
    return due


def keep(options: BuildOptions, cache: Cache, report: BuildReport, inputs: str) -> None:
    """Seal the build just made: `inputs` is its `inputs_key`, taken before it read anything."""
    if report.output_build is None:
        cache.keep_value(SEAL, "")  # its output's state could not be kept: no seal
        return
    seal = Seal(inputs=inputs, output=report.output_build, now=options.now,
                due=_due(options, report),
                published=report.published, scheduled=report.scheduled, withdrawn=report.withdrawn,
                drafts=report.drafts, files=report.files_written + report.files_kept,
                pages=report.pages_rendered + report.pages_reused,
                search=(report.search.pages, report.search.parts) if report.search else None,
                draft_paths=tuple(report.draft_paths), next_due=report.next_due,
                warnings=tuple((w.path, w.line, w.severity, _text(w.message)) for w in report.warnings)
                if options.advise is not None else None)
    try:
        cache.keep_value(SEAL, codec.dumps(seal, Seal))
    except codec.Unencodable:
        cache.keep_value(SEAL, "")
