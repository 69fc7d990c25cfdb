"""site.toml: the settings of one site."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.content.fields import as_language
from generator.content.yaml_source import character_problem
from generator.core.errors import BuildErrors, Message, Problem, suggestion
from generator.core.models import Language, Settings

SITE_FILE = "site.toml"
KEYS = {
    "title", "base_url", "language", "content_language", "timezone", "description", "per_page", "feed_items",
    "appeal_max_days", "websub_hub", "publish_originals", "extra", "deploy",
}
DEPLOY_KEYS = ("target",)
LANGUAGES: tuple[Language, ...] = ("de", "en")
DEFAULT_TIMEZONE = "Europe/Berlin"

_URL = re.compile(r"^https?://[^/]+(/.*)?$", re.DOTALL)
# The parts of base_url that end up in the generated nginx, Apache and _redirects files, as
# locations and regular expressions: a host name (IDN in its xn-- form), an optional port, and a
# path of plain characters only. Quotes, ";", "{", "}", "#", "?", "$", "\" or a space there would
# end a directive or open a new one; "%" too, because nginx matches the decoded path.
_HOST = re.compile(r"^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$")
_PATH_CHARACTER = re.compile(r"[A-Za-z0-9._~/-]")
_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=|^\[{re.escape(key)}\]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def load_settings(site: Path, base_url: str | None = None) -> Settings:
    """Read and check `site.toml`; every problem in it is reported at once."""
    text = _read(site / SITE_FILE)
    reader = _SettingsReader(text, _parse(text))
    settings = reader.settings(base_url)
    if reader.problems:
        raise BuildErrors(reader.problems)
    return settings


def deploy_target(site: Path) -> str | None:
    """The checked [deploy] target of site.toml, or None if it has none; raises BuildErrors."""
    text = _read(site / SITE_FILE)
    reader = _SettingsReader(text, _parse(text))
    reader.settings(None)
    if reader.problems:
        raise BuildErrors(reader.problems)
    return reader.deploy()


def timezone_problem(name: str) -> str | None:
    """Why `name` is not an IANA time zone, or None."""
    if _ZONE_NAME.match(name):
        try:
            ZoneInfo(name)
            return None
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones, like "Europe"
            pass
    return Message('"%(name)s" is not an IANA time zone name such as "Europe/Berlin"%(hint)s', name=name,
                   hint=suggestion(name, _COMMON_ZONES))


_COMMON_ZONES = ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "Europe/Luxembourg", "Europe/Brussels", "UTC")


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be the site's base URL, or None."""
    if not _URL.match(url):
        return Message('base_url "%(url)s" must be an absolute http(s) URL such as "https://presse.example.org/"',
                       url=url)
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    if not _HOST.match(host):
        bad = next((c for c in host if not (c.isascii() and (c.isalnum() or c in "-.:[]"))), None)
        found = Message(" (%(character)s is not)", character=_named(bad)) if bad is not None else ""
        return Message('base_url: its host may contain only letters, digits, "-" and "." (and a port, like :8080)'
                       "%(found)s; write a name with umlauts in its xn-- form", found=found)
    path = "/" + path
    for character in path:
        if not _PATH_CHARACTER.match(character):
            return Message("base_url contains %(character)s in its path, which would break the generated server "
                           'configuration; use only a-z, A-Z, 0-9, "-", ".", "_", "~" and "/" there',
                           character=_named(character))
    if "//" in path or any(part in (".", "..") for part in path.split("/")):
        return Message('base_url "%(url)s" has an empty, "." or ".." folder in its path; write the path plainly',
                       url=url)
    return None


def _named(character: str) -> str:
    """A character as a message names it: '";"', 'a space', 'U+0009'."""
    if character == " ":
        return Message("a space")
    if character == '"':
        return Message("a double quote")
    if not character.isprintable():
        code = format(ord(character), "04X")
        return Message("the invisible character U+%(code)s", code=code)
    return f'"{character}"'


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildErrors([Problem(SITE_FILE, 1, Message(
            '%(path)s is missing; every site needs a site.toml with at least title = "…" and base_url = "https://…/"',
            path=str(path)))]) from None
    except UnicodeDecodeError:
        raise BuildErrors([Problem(SITE_FILE, 1, Message("the file is not UTF-8; save it as UTF-8"))]) from None


def _parse(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise BuildErrors([Problem(SITE_FILE, int(found[1]) if found else 1,
                                   Message("this is not valid TOML: %(problem)s", problem=str(exc)))]) from None


@dataclass
class _SettingsReader:
    """The steps of checking site.toml's values; each records its problems with the key's line."""

    text: str
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(SITE_FILE, _line_of(self.text, key), message))

    def settings(self, base_url: str | None) -> Settings:
        for key in sorted(set(self.data) - KEYS):
            self.fail(key, Message('unknown setting "%(key)s"%(hint)s', key=key, hint=suggestion(key, KEYS)))
        if self.refuse_unsafe_characters():
            raise BuildErrors(self.problems)  # the other messages would quote those characters
        title = self.text_value("title")
        url = self.base_url(base_url)
        language = self.language("language", "de")
        # The texts are written in the interface's language unless the site says otherwise: an
        # English interface for German releases marks the releases "de", not "en".
        content_language = self.language("content_language", language)
        timezone = self.timezone()
        hub = self.data.get("websub_hub")
        if hub is not None and not (isinstance(hub, str) and re.match(r"^https?://\S+$", hub)):
            self.fail("websub_hub", Message("websub_hub must be an absolute http(s) URL"))
            hub = None
        originals = self.data.get("publish_originals", False)
        if not isinstance(originals, bool):
            self.fail("publish_originals", Message("publish_originals must be true or false"))
            originals = False
        self.deploy()
        extra: Any = self.data.get("extra", {})
        if not isinstance(extra, dict):
            self.fail("extra", Message("extra must be a table: [extra]"))
            extra = {}
        return Settings(
            title=title,
            base_url=url,
            language=language,
            content_language=content_language,
            timezone=timezone,
            description=self.text_value("description", ""),
            per_page=self.int_value("per_page", 20),
            feed_items=self.int_value("feed_items", 20),
            appeal_max_days=self.int_value("appeal_max_days", 90),
            websub_hub=hub,
            publish_originals=originals,
            extra=extra,
        )

    def deploy(self) -> str | None:
        """[deploy] target: where `pressroom deploy` copies output/ (a folder, or user@host:/path/)."""
        table = self.data.get("deploy")
        if table is None:
            return None
        if not isinstance(table, dict):
            self.fail("deploy", Message('deploy must be a table: [deploy] with target = "user@host:/var/www/presse/"'))
            return None
        for key in sorted(set(table) - set(DEPLOY_KEYS)):
            self.fail("deploy", Message('unknown setting "%(key)s" in [deploy]%(hint)s', key=key,
                                            hint=suggestion(key, DEPLOY_KEYS)))
        target = table.get("target")
        if not isinstance(target, str) or not target.strip():
            self.fail("deploy", Message('[deploy] needs target = "user@host:/var/www/presse/" or a folder, in quotes'))
            return None
        return target

    def refuse_unsafe_characters(self) -> bool:
        """Control characters (which TOML lets in as escapes, "\\u0000") in any text, keys too."""
        found = False
        for key in sorted(self.data):
            problem = _first_character_problem(key, self.data[key])
            if problem is not None:
                self.fail(key, Message('"%(key)s": %(problem)s', key=key, problem=problem)
                          if character_problem(key) is None else problem)
                found = True
        return found

    def text_value(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            self.fail(key, Message('"%(key)s" is required, e.g. %(key)s = "…"', key=key))
            return ""
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(key, Message('"%(key)s" must be a non-empty text in quotes', key=key))
            return ""
        return value

    def int_value(self, key: str, default: int, minimum: int = 1) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.fail(key, Message('"%(key)s" must be a whole number ≥ %(minimum)s, e.g. %(key)s = %(default)s',
                                   key=key, minimum=minimum, default=default))
            return default
        return value

    def base_url(self, given: str | None) -> str:
        """base_url, or the one given on the command line; always ending in "/"."""
        url = given if given is not None else self.text_value("base_url")
        problem = base_url_problem(url) if url else None
        if problem is not None:
            self.fail("base_url", problem)
        return url if url.endswith("/") else url + "/"

    def language(self, key: str, default: Language) -> Language:
        language = self.text_value(key, default)
        known = as_language(language)
        if known is not None:
            return known
        self.fail(key, Message('%(key)s must be "de" or "en", not "%(value)s"%(hint)s', key=key, value=language,
                               hint=suggestion(language, LANGUAGES)))
        return default

    def timezone(self) -> str:
        timezone = self.text_value("timezone", DEFAULT_TIMEZONE)
        problem = timezone_problem(timezone)
        if problem is not None:
            self.fail("timezone", problem)
            return DEFAULT_TIMEZONE
        return timezone


def _first_character_problem(key: object, value: object) -> str | None:
    if isinstance(key, str) and (problem := character_problem(key)) is not None:
        return problem
    if isinstance(value, str):
        return character_problem(value)
    children: list[tuple[object, object]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = [(None, item) for item in value]
    for child_key, child in children:
        problem = _first_character_problem(child_key, child)
        if problem is not None:
            return problem
    return None
