"""The `pressroom` command: build, check (and the press office's daily tools)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.build import BuildOptions, BuildReport, build, check, due
from generator.dates import DateFormatError, iso, parse_datetime, zone
from generator.errors import BuildErrors, OutputError, PressroomError, Problem
from generator.lifecycle import Due


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pressroom",
        description="Build a static website with feeds from Markdown press releases.",
    )
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    build_cmd.add_argument("site", nargs="?", default=".", type=Path, help="the site folder (default: here)")
    build_cmd.add_argument("-o", "--output", type=Path, help="the output folder (default: SITE/output)")
    build_cmd.add_argument("--base-url", help="override base_url from site.toml, e.g. for a staging server")
    _now_option(build_cmd)
    build_cmd.add_argument("--drafts", action="store_true", help="also render drafts (marked, noindex, in no feed)")
    build_cmd.add_argument("--jobs", type=_positive, default=0, metavar="N",
                           help="worker processes (default: all cores)")
    build_cmd.add_argument("--quiet", action="store_true", help="print errors only")
    build_cmd.add_argument("--allow-removed", action="store_true",
                           help="accept that addresses the previous build published vanish "
                           "(no alias, not withdrawn)")
    build_cmd.add_argument("--next", action="store_true",
                           help="write nothing; print only when the site next changes (ISO 8601), "
                           "for a timer, or nothing if no scheduled release or expiring appeal is pending")

    build_cmd.add_argument("--no-search", dest="search", action="store_false",
                           help="make no search index (faster previews; the search page then finds nothing)")

    check_cmd = commands.add_parser("check", help="run every check of a build and write nothing")
    check_cmd.add_argument("site", nargs="?", default=".", type=Path, help="the site folder (default: here)")
    check_cmd.add_argument("-o", "--output", type=Path,
                           help="the output folder whose published addresses must be kept "
                           "(default: SITE/output)")
    check_cmd.add_argument("--allow-removed", action="store_true",
                           help="accept that addresses the previous build published vanish")
    _now_option(check_cmd)
    return parser


def _now_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", metavar="ISO8601",
                        help="decide scheduled, expired and withdrawn releases as at this time "
                        "(default: the clock), e.g. 2026-11-01T00:00:00+01:00")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (all cores) or more")
    return value


def _now(text: str | None, site: Path) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return parse_datetime(text, zone(_site_timezone(site)))
    except DateFormatError as exc:
        raise _UsageProblem(f"--now: {exc}") from None


def _site_timezone(site: Path) -> str:
    import tomllib

    try:
        value = tomllib.loads((site / "site.toml").read_text(encoding="utf-8")).get("timezone")
    except (OSError, ValueError):
        return "Europe/Berlin"
    return value if isinstance(value, str) else "Europe/Berlin"


class _UsageProblem(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "check":
            return _check(args)
    except _UsageProblem as exc:
        parser.error(str(exc))
    except BuildErrors as exc:
        _report(exc.problems)
        return 1
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except PressroomError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped; the previous site is unchanged", file=sys.stderr)
        return 130
    return 2


def _build(args: argparse.Namespace) -> int:
    site: Path = args.site
    if not site.is_dir():
        raise _UsageProblem(f"{site} is not a folder")
    if args.next:
        upcoming = due(site, _now(args.now, site))
        if upcoming is not None:
            print(iso(upcoming.when))
        return 0
    options = BuildOptions(
        site=site,
        output=args.output if args.output is not None else site / "output",
        now=_now(args.now, site),
        base_url=args.base_url,
        drafts=args.drafts,
        jobs=args.jobs or (os.cpu_count() or 1),
        quiet=args.quiet,
        allow_removed=args.allow_removed,

        search=args.search,
    )
    report = build(options)
    if not args.quiet:
        _summary(report, options.output)
    return 0


def _check(args: argparse.Namespace) -> int:
    site: Path = args.site
    if not site.is_dir():
        raise _UsageProblem(f"{site} is not a folder")
    loaded = check(site, _now(args.now, site), args.output, args.allow_removed)
    print(f"{len(loaded.releases)} releases, {len(loaded.pages)} pages: no errors")
    return 0


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"{errors} error{'s' if errors != 1 else ''}; nothing was written", file=sys.stderr)


def _summary(report: BuildReport, output: Path) -> None:
    print(
        f"{report.published} published, {report.scheduled} scheduled, {report.withdrawn} withdrawn, "
        f"{report.drafts} drafts; {report.files_written} files written, {report.files_kept} unchanged "
        f"in {report.seconds:.2f} s → {output}"
    )
    if report.search is not None:
        how = "unchanged, kept" if report.search.reused else "indexed"
        print(f"search: {report.search.pages} releases {how} in {report.search.seconds:.2f} s")
    # Last, so a timer script can read it with `tail -n 1`.
    print(_due_line(report.next_due))


def _due_line(due: Due | None) -> str:
    if due is None:
        return "next due: none pending"
    what = "scheduled release" if due.reason == "scheduled" else "appeal expires"
    return f"next due: {iso(due.when)} ({what} {due.release_id})"


if __name__ == "__main__":
    raise SystemExit(main())
