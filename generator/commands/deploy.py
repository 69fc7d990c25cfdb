"""`pressroom deploy`: copy the built output/ to the web server with rsync, in an order readers never notice.

Three passes, so that no reader gets a page whose images or feeds are not there yet:
  1. every file that is not a page (media, styles, feeds, the search index), adding and replacing only;
  2. the pages (HTML);
  3. deletions (`--delete`), last, once nothing links the removed files any more.
`-a` keeps modification times: the build keeps them for unchanged files, so rsync's quick check
(size and time) sends only what changed and web servers keep answering 304 for the rest; no
`--checksum`, which would read every file on both sides at each deploy.
`_server/` (the server configurations the build writes) stays out unless asked for, and
is never deleted on the server either (excluded files are protected from `--delete`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.commands.speech import say
from generator.content.files import page_files
from generator.content.placeholders import FILL_IN
from generator.content.settings import deploy_target
from generator.core.errors import N_, Message, PressroomError, UsageError
from generator.lifecycle.manifest import MANIFEST, SERVER_DIR

Change = Literal["new", "changed", "deleted"]
_REMOTE = re.compile(r"^(?:[^/:@\s]+@)?[^/:\s]+:(.*)$")  # user@host:/path (a local path has no "host:" first)


@dataclass(frozen=True)
class Item:
    change: Change
    path: str


@dataclass(frozen=True)
class Pass:
    name: str  # what the summary calls it
    options: tuple[str, ...]


def passes(with_server_files: bool) -> tuple[Pass, ...]:
    server = () if with_server_files else (f"--exclude=/{SERVER_DIR}",)
    return (
        Pass(N_("media and other files"), (*server, "--exclude=*.html")),
        Pass(N_("pages"), server),
        Pass(N_("deletions"), (*server, "--delete")),
    )


def deploy(site: Path, output: Path, target: str | None, *, dry_run: bool, with_server_files: bool) -> int:
    destination = _target(site, output, target)
    if not (output / MANIFEST).is_file():
        raise PressroomError(Message("%(output)s was not made by pressroom build (it has no %(manifest)s); "
                                     "run pressroom build first", output=str(output), manifest=MANIFEST))
    unfilled = [p.relative_to(site).as_posix() for p in page_files(site) if FILL_IN in _text(p)]
    if unfilled:
        still = (Message('%(pages)s still contains gaps marked "%(mark)s …]"; fill them in and build again '
                         "before publishing", pages=unfilled[0], mark=FILL_IN) if len(unfilled) == 1 else
                 Message('%(pages)s still contain gaps marked "%(mark)s …]"; fill them in and build again '
                         "before publishing", pages=", ".join(unfilled), mark=FILL_IN))
        raise PressroomError(still)
    rsync = shutil.which("rsync")
    if rsync is None:
        raise PressroomError(Message("rsync is not installed; install it (Debian: apt-get install rsync) and try "
                                     "again"))
    source = str(output.resolve()) + "/"
    if dry_run:
        server = () if with_server_files else (f"--exclude=/{SERVER_DIR}",)
        everything = Pass("all", (*server, "--delete"))
        items = _run(rsync, everything, source, destination, dry_run=True)
        print(say(Message("deploy --dry-run to %(target)s: %(counts)s", target=destination, counts=_counts(items))))
        for item in items:
            print(f"  {say(CHANGES[item.change])}: {item.path}")
        return 0
    total: list[Item] = []
    for number, step in enumerate(passes(with_server_files), start=1):
        items = _run(rsync, step, source, destination, dry_run=False)
        print(f"{number}. {say(step.name)}: {_counts(items)}")
        for item in items:
            print(f"  {say(CHANGES[item.change])}: {item.path}")
        total += items
    print(say(Message("deployed %(output)s to %(target)s: %(counts)s", output=str(output), target=destination,
                      counts=_counts(total))))
    return 0


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _target(site: Path, output: Path, given: str | None) -> str:
    """The rsync destination, ending in "/"; refuses one that would replace more than the site."""
    target = given if given is not None else deploy_target(site)
    if target is None:
        raise UsageError(Message('there is no deploy target; add to site.toml:\n[deploy]\n'
                                 'target = "user@host:/var/www/presse/"   (or a folder)\nor give --target'))
    target = target.strip()
    remote = _REMOTE.match(target)
    if remote is not None:
        path = remote[1].strip()
        if path.rstrip("/") in ("", "~", ".") or set(path) <= {"/", "."}:
            raise UsageError(Message('deploy target "%(target)s" names no folder below "/" or the home folder; '
                                     "name the web folder, like user@host:/var/www/presse/", target=target))
        return target if target.endswith("/") else target + "/"
    folder = Path(target).expanduser()
    folder = (folder if folder.is_absolute() else site / folder).resolve()
    mine = (site.resolve(), output.resolve())
    if folder == Path(folder.anchor) or any(folder == p or folder in p.parents or p in folder.parents
                                            for p in mine):
        raise UsageError(Message('deploy target "%(target)s" is "/", the site folder, or inside or around it; '
                                 "deleting there would lose files: name the web server's folder", target=target))
    return str(folder) + "/"


def _run(rsync: str, step: Pass, source: str, destination: str, *, dry_run: bool) -> list[Item]:
    # Times to the nanosecond (a receiver from rsync 3.1.3 on): a rebuild within the same second
    # as the last one can change a file and keep its size, and whole seconds would call it unchanged.
    command = [rsync, "-a", "--modify-window=-1", "--itemize-changes", *step.options,
               *(("--dry-run",) if dry_run else ()), source, destination]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PressroomError(Message("rsync could not be started: %(problem)s", problem=str(exc))) from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[:500]
        raise PressroomError(Message("rsync failed (exit %(code)s) during the %(step)s pass: %(detail)s; what was "
                                     "copied before stays, run pressroom deploy again when the cause is fixed",
                                     code=done.returncode, step=Message(step.name), detail=detail))
    return parse_itemized(done.stdout)


def parse_itemized(text: str) -> list[Item]:
    """The files that `rsync --itemize-changes` copied or deleted (directories and attribute-only changes left out)."""
    items: list[Item] = []
    for line in text.splitlines():
        if line.startswith("*deleting "):
            path = line[len("*deleting "):].strip()
            if not path.endswith("/"):
                items.append(Item("deleted", path))
            continue
        code, _, path = line.partition(" ")
        if len(code) != 11 or code[1] != "f" or code[0] not in "<>c":
            continue  # a folder, a symlink, or only times or permissions set
        items.append(Item("new" if "+++++++++" in code else "changed", path.strip()))
    return items


def _counts(items: list[Item]) -> str:
    if not items:
        return say(N_("nothing to transfer"))
    counts = {change: sum(1 for i in items if i.change == change) for change in ("new", "changed", "deleted")}
    return ", ".join(f"{n} {say(CHANGES[change])}" for change, n in counts.items() if n)


CHANGES = {"new": N_("new"), "changed": N_("changed"), "deleted": N_("deleted")}


__all__ = ["Item", "deploy", "parse_itemized", "passes"]
