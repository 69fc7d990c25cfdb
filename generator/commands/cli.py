"""The `pressroom` command: build, check (and the press office's daily tools)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from generator import __version__
from generator.build.pipeline import BuildOptions, BuildReport, LoadedSite, build, check, due
from generator.build.staging import OutputRefused
from generator.commands import clock, speech
from generator.commands.speech import plural, say
from generator.core.dates import iso
from generator.core.errors import N_, BuildErrors, Message, PressroomError, Problem, UsageError
from generator.lifecycle.states import Due


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pressroom",
        description=N_("Build a static website with feeds from Markdown press releases."),
    )
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument("--lang", choices=speech.LANGUAGES,
                          help=N_("the language of the messages (default: LANG, else the site's language)"))

    build_cmd = commands.add_parser("build", parents=[language], help=N_("build the site into the output folder"))
    build_cmd.add_argument("site", nargs="?", default=".", type=Path, help=N_("the site folder (default: here)"))
    build_cmd.add_argument("-o", "--output", type=Path, help=N_("the output folder (default: SITE/output)"))
    build_cmd.add_argument("--base-url", help=N_("override base_url from site.toml, e.g. for a staging server"))
    _now_option(build_cmd)
    build_cmd.add_argument("--drafts", action="store_true", help=N_("also render drafts (marked, noindex, in no feed)"))
    build_cmd.add_argument("--jobs", type=_positive, default=0, metavar="N",
                           help=N_("worker processes (default: all cores)"))
    build_cmd.add_argument("--quiet", action="store_true", help=N_("print errors only"))
    build_cmd.add_argument("--allow-removed", action="store_true",
                           help=N_("accept that addresses the previous build published vanish "
                           "(no alias, not withdrawn)"))
    build_cmd.add_argument("--next", action="store_true",
                           help=N_("write nothing; print only when the site next changes (ISO 8601), "
                           "for a timer, or nothing if no scheduled release or expiring appeal is pending"))

    build_cmd.add_argument("--no-search", dest="search", action="store_false",
                           help=N_("make no search index (faster previews; the search page then finds nothing)"))
    build_cmd.add_argument("--no-cache", dest="cache", action="store_false",
                           help=N_("neither use nor update the cache in SITE/.pressroom-cache/ (a cold build)"))

    check_cmd = commands.add_parser("check", parents=[language],
                                    help=N_("run every check of a build and write nothing"))
    check_cmd.add_argument("site", nargs="?", default=".", type=Path, help=N_("the site folder (default: here)"))
    check_cmd.add_argument("-o", "--output", type=Path,
                           help=N_("the output folder whose published addresses must be kept "
                           "(default: SITE/output)"))
    check_cmd.add_argument("--allow-removed", action="store_true",
                           help=N_("accept that addresses the previous build published vanish"))
    _now_option(check_cmd)
    check_cmd.add_argument("--format", choices=("text", "json"), default="text",
                           help=N_("text (default) or json: one JSON document for editors and CI"))
    check_cmd.add_argument("--strict", action="store_true", help=N_("treat warnings as errors (exit 1)"))

    new_cmd = commands.add_parser("new", parents=[language], help=N_("start a new release file and print its path"))
    new_cmd.add_argument("--site", default=".", type=Path, help=N_("the site folder (default: here)"))
    new_cmd.add_argument("--authority", metavar="ID",
                         help=N_("the issuing authority, an id from authorities.yaml"))
    new_cmd.add_argument("--kind", default="press-release", metavar="KIND",
                         help=N_("press-release (default), appeal or conference-report"))
    new_cmd.add_argument("title", metavar="TITLE", help=N_('the headline, in quotes: "Unfall in Buer"'))
    new_cmd.add_argument("--now", metavar="ISO8601", help=N_("the release's date (default: the clock)"))

    init_cmd = commands.add_parser("init", parents=[language],
                                   help=N_("start a new site folder with one authority and the legal pages"))
    init_cmd.add_argument("folder", nargs="?", default=".", type=Path, metavar="DIR",
                          help=N_("a new or empty folder (default: here)"))
    init_cmd.add_argument("--name", help=N_('the authority, e.g. "Polizei Gelsenkirchen"'))
    init_cmd.add_argument("--code", help=N_("its ots code, e.g. POL-GE"))
    init_cmd.add_argument("--city", help=N_("the dateline place, e.g. Gelsenkirchen"))
    init_cmd.add_argument("--base-url", help=N_("the site's address, e.g. https://presse.example.org/"))
    init_cmd.add_argument("--email", help=N_("the press office's e-mail address"))
    init_cmd.add_argument("--phone", help=N_("the press office's phone number"))
    init_cmd.add_argument("--title", help=N_('the site title (default: "Pressemitteilungen NAME")'))
    init_cmd.add_argument("--website", help=N_("the authority's own website"))

    deploy_cmd = commands.add_parser("deploy", parents=[language],
                                     help=N_("publish the built output/ to the target in site.toml (rsync)"))
    deploy_cmd.add_argument("site", nargs="?", default=".", type=Path, help=N_("the site folder (default: here)"))
    deploy_cmd.add_argument("-o", "--output", type=Path, help=N_("the built site to publish (default: SITE/output)"))
    deploy_cmd.add_argument("--target", help=N_("override [deploy] target from site.toml"))
    deploy_cmd.add_argument("--dry-run", action="store_true", help=N_("only list what would change"))
    deploy_cmd.add_argument("--with-server-files", action="store_true",
                            help=N_("also copy _server/ (the web server configurations the build writes)"))

    serve_cmd = commands.add_parser("serve", parents=[language],
                                    help=N_("preview the site in a browser, rebuilt on every change"))
    serve_cmd.add_argument("site", nargs="?", default=".", type=Path, help=N_("the site folder (default: here)"))
    serve_cmd.add_argument("--port", type=_port, default=8000, help=N_("the port on 127.0.0.1 (default: 8000)"))
    serve_cmd.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                           help=N_("show drafts, marked as such (the default); --no-drafts shows the site as "
                                   "published"))
    _now_option(serve_cmd)
    return parser


def _now_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", metavar="ISO8601",
                        help=N_("decide scheduled, expired and withdrawn releases as at this time "
                        "(default: the clock), e.g. 2026-11-01T00:00:00+01:00"))


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(say(Message("%(value)s is not a port number (0 to 65535)", value=repr(text))))
    return int(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say(Message("%(value)s is not a whole number", value=repr(text)))) from None
    if value < 0:
        raise argparse.ArgumentTypeError(say(Message("must be 0 (all cores) or more")))
    return value


def _now(text: str | None, site: Path, base_url: str | None = None) -> dt.datetime:
    return clock.clock() if text is None else clock.at(text, site, base_url)


# argparse's own words (Python 3.11), marked here so that the catalog carries them in German.
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _early_language(argv: Sequence[str]) -> None:
    """The language of --help and of argparse's own errors, before the command line is understood:
    --lang, the environment, or the language of the first argument that is a site folder (else here)."""
    option = next((value.split("=", 1)[1] for value in argv if value.startswith("--lang=")), None)
    for before, value in itertools.pairwise(argv):
        if before == "--lang":
            option = value
    site = next((Path(value) for value in argv if _is_site(value)), Path("."))
    speech.choose(option if option in speech.LANGUAGES else None, site)


def _argparse_speaks() -> None:
    """argparse translates its words ("usage:", "the following arguments are required: …") with gettext."""
    vars(argparse).update(_=speech.say, ngettext=speech.ngettext)


def _is_site(value: str) -> bool:
    try:
        return (Path(value) / "site.toml").is_file()
    except (OSError, ValueError):  # a title longer than a file name may be, say
        return False


def _translated(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The help texts (msgids) of the parser and all its commands in this run's language."""
    parser.description = say(parser.description) if parser.description else parser.description
    for action in parser._actions:
        if action.help:
            action.help = say(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = say(choice.help) if choice.help else choice.help
            for sub in dict.fromkeys(action.choices.values()):
                _translated(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    _early_language(arguments)
    # The help texts are read in the catalog only when they are shown (reading it is most of the
    # time of a quick run); argparse's own words are looked up when it prints them.
    if any(a in ("-h", "--help") or (a.startswith("-") and not a.startswith("--") and "h" in a[1:])
           for a in arguments):
        _argparse_speaks()
        parser = _translated(_parser())
    else:
        parser = _parser()
        _argparse_speaks()
    args = parser.parse_args(arguments)
    site = args.folder if args.command == "init" else args.site
    speech.choose(args.lang, site)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "check":
            return _check(args)
        if args.command == "new":
            return _new(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "init":
            return _init(args)
        if args.command == "deploy":
            return _deploy(args)
    except OutputRefused as exc:  # one line, and nothing was touched
        print(f"pressroom: {say(N_('error'))}: {say(exc.message)}", file=sys.stderr)
        return 2
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"pressroom: {say(N_('error'))}: {say(exc.message)}", file=sys.stderr)
        return 2
    except BuildErrors as exc:
        _report(exc.problems)
        return 1
    except PressroomError as exc:  # OutputError among them
        print(f"{say(N_('error'))}: {say(exc.message)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(say(N_("stopped; the previous site is unchanged")), file=sys.stderr)
        return 130
    return 2


def _build(args: argparse.Namespace) -> int:
    site: Path = args.site
    if not site.is_dir():
        raise UsageError(Message("%(site)s is not a folder", site=str(site)))
    if args.next:
        upcoming = due(site, _now(args.now, site, args.base_url))
        if upcoming is not None:
            print(iso(upcoming.when))
        return 0
    now = _now(args.now, site, args.base_url)
    options = BuildOptions(
        site=site,
        output=args.output if args.output is not None else site / "output",
        now=now,
        base_url=args.base_url,
        drafts=args.drafts,
        jobs=args.jobs,
        quiet=args.quiet,
        allow_removed=args.allow_removed,
        search=args.search,
        cache=args.cache,
        advise=None if args.quiet else partial(_advise, now=now),
    )
    report = build(options)
    if not args.quiet:
        _summary(report, options.output)
        _build_warnings(report.warnings)
    return 0


NOTE = N_("note")

# A build lists this many warnings at most; `check` lists them all.
BUILD_WARNINGS_SHOWN = 10


def _advise(loaded: LoadedSite, now: dt.datetime) -> list[Problem]:
    """The warnings `check` would give, for a build that was asked for them."""
    from generator.commands import check as advice

    return advice.advise(loaded, now)


def _build_warnings(warnings: Sequence[Problem]) -> None:
    """The warnings `check` gives, briefly, after the summary (on stderr: stdout ends with "next due")."""
    if not warnings:
        return
    count = len(warnings)
    print(plural("%(count)s warning (published all the same):", "%(count)s warnings (published all the same):",
                 count), file=sys.stderr)
    for warning in warnings[:BUILD_WARNINGS_SHOWN]:
        print(f"  {speech.problem(warning)}", file=sys.stderr)
    if count > BUILD_WARNINGS_SHOWN:
        print("  " + say(Message("… and %(count)s more — see pressroom check", count=count - BUILD_WARNINGS_SHOWN)),
              file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from generator.build.links import check_links
    from generator.commands import check as advice

    site: Path = args.site
    if not site.is_dir():
        raise UsageError(Message("%(site)s is not a folder", site=str(site)))
    now: dt.datetime | None = None
    try:
        now = _now(args.now, site)  # a time zone typo in site.toml is one of the errors below
        loaded = check(site, now, args.output, args.allow_removed)
    except BuildErrors as exc:
        # The files without errors still get their warnings (none while site.toml has errors).
        found = advice.advise_loadable(site, now) if now is not None else []
        if args.format == "json":
            print(advice.report_json(exc.problems, found, strict=args.strict))
        else:
            for problem in [*exc.problems, *found]:
                print(speech.problem(problem), file=sys.stderr)
            print(_checked(_files_in(site), len(exc.problems), len(found)), file=sys.stderr)
        return 1
    warnings = sorted({*advice.advise(loaded, now), *check_links(loaded, now)})
    failed = bool(warnings) and args.strict
    if args.format == "json":
        print(advice.report_json([], warnings, strict=args.strict, releases=len(loaded.releases),
                                 pages=len(loaded.pages)))
        return 1 if failed else 0
    for warning in warnings:
        print(speech.problem(warning), file=sys.stderr)
    summary = _checked((len(loaded.releases), len(loaded.pages), len(loaded.authorities)), 0, len(warnings))
    if failed:
        print(say(Message("%(summary)s, treated as errors (--strict)", summary=summary)), file=sys.stderr)
        return 1
    print(summary)
    return 0


def _files_in(site: Path) -> tuple[int, int, int]:
    """(releases, pages, authorities) as found in the folder, for a site that did not load."""
    from generator.content.authorities import load_authorities
    from generator.content.files import page_files, release_files

    authorities, _ = load_authorities(site)
    return len(release_files(site)), len(page_files(site)), len(authorities)


def _checked(counts: tuple[int, int, int], errors: int, warnings: int) -> str:
    """What `check` looked at and what it found: "checked 12 releases, 4 pages, 3 authorities: …"."""
    releases, pages, authorities = counts
    return say(Message("checked %(releases)s, %(pages)s, %(authorities)s: %(errors)s, %(warnings)s",
                       releases=plural("%(count)s release", "%(count)s releases", releases),
                       pages=plural("%(count)s page", "%(count)s pages", pages),
                       authorities=plural("%(count)s authority", "%(count)s authorities", authorities),
                       errors=plural("%(count)s error", "%(count)s errors", errors),
                       warnings=plural("%(count)s warning", "%(count)s warnings", warnings)))


def _new(args: argparse.Namespace) -> int:
    from generator.commands import new as scaffold

    site: Path = args.site
    if not (site / "site.toml").is_file():
        raise UsageError(Message("%(site)s is not a site folder (it has no site.toml); use --site FOLDER",
                                 site=str(site)))
    kind = scaffold.kind_of(args.kind)
    authority, settings = scaffold.authority_of(site, args.authority)
    created = scaffold.new_release(site, authority, settings, kind, args.title, _now(args.now, site))
    print(created.path)
    return 0


def _init(args: argparse.Namespace) -> int:
    from generator.commands import init

    folder: Path = args.folder
    init.refuse_non_empty(folder)
    given = {key: getattr(args, key) for key in ("name", "code", "city", "base_url", "email", "phone", "title",
                                                  "website")}
    ask = input if sys.stdin.isatty() else None
    answers = init.answers_from(given, ask)
    init.refuse_non_empty(folder)  # nothing appeared while we asked
    written = init.write_site(folder, answers)
    print(say(Message("a new site in %(folder)s: %(count)s files written", folder=str(folder), count=len(written))))
    print(say(Message("next: fill in the pages in %(pages)s, then: pressroom serve %(folder)s",
                      pages=str(folder / "content/pages"), folder=str(folder))))
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from generator.commands import deploy

    site: Path = args.site
    if not (site / "site.toml").is_file():
        raise UsageError(Message("%(site)s is not a site folder (it has no site.toml)", site=str(site)))
    output = args.output if args.output is not None else site / "output"
    return deploy.deploy(site, output, args.target, dry_run=args.dry_run,
                         with_server_files=args.with_server_files)


def _serve(args: argparse.Namespace) -> int:
    from generator.commands.serve import ServeOptions, serve

    site: Path = args.site
    if not site.is_dir():
        raise UsageError(Message("%(site)s is not a folder", site=str(site)))
    if args.now is not None:
        # A --now that is no date stops here (exit 2); a broken site.toml is shown by the preview.
        with contextlib.suppress(BuildErrors):
            _now(args.now, site)
    return serve(ServeOptions(site=site, port=args.port, drafts=args.drafts, now=args.now))


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(speech.problem(problem), file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    print(plural("%(count)s error; nothing was written", "%(count)s errors; nothing was written", errors),
          file=sys.stderr)


def _summary(report: BuildReport, output: Path) -> None:
    for note in report.notes:
        print(f"{say(NOTE)}: {say(note)}", file=sys.stderr)
    print(say(Message(
        "%(published)s published, %(scheduled)s scheduled, %(withdrawn)s withdrawn, %(drafts)s; "
        "%(rendered)s rendered, %(reused)s reused; %(written)s written, %(kept)s unchanged "
        "in %(seconds)s s → %(output)s",
        published=report.published, scheduled=report.scheduled, withdrawn=report.withdrawn,
        drafts=plural("%(count)s draft", "%(count)s drafts", report.drafts),
        rendered=plural("%(count)s page", "%(count)s pages", report.pages_rendered), reused=report.pages_reused,
        written=plural("%(count)s file", "%(count)s files", report.files_written),
        kept=report.files_kept, seconds=_seconds(report.seconds), output=str(output))))
    if report.search is not None:
        search = report.search
        if search.reused:
            how = Message("%(count)s releases unchanged, kept", count=search.pages)
        elif 0 < search.made < search.parts:
            how = Message("%(count)s releases indexed (%(made)s of %(parts)s parts made anew)", count=search.pages,
                          made=search.made, parts=search.parts)
        else:
            how = Message("%(count)s releases indexed", count=search.pages)
        print(say(Message("search: %(what)s in %(seconds)s s", what=how, seconds=_seconds(search.seconds))))
    # Last, so a timer script can read it with `tail -n 1`.
    print(_due_line(report.next_due))


def _seconds(seconds: float) -> str:
    """Two decimals, with the decimal comma in German."""
    text = f"{seconds:.2f}"
    return text.replace(".", ",") if speech.language() == "de" else text


def _due_line(due: Due | None) -> str:
    if due is None:
        return say(N_("next due: none pending"))
    if due.reason == "scheduled":
        return say(Message("next due: %(when)s (scheduled release %(id)s)", when=iso(due.when), id=due.release_id))
    return say(Message("next due: %(when)s (appeal expires %(id)s)", when=iso(due.when), id=due.release_id))


if __name__ == "__main__":
    raise SystemExit(main())
