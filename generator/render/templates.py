"""Jinja templates: the built-in theme, overridable file by file from the site's `templates/`."""

from __future__ import annotations

import hashlib
import io
from functools import cached_property
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2.bccache import Bucket
from markupsafe import Markup

from generator.core.paths import theme_folder as theme_folder  # where it always was
from generator.core.paths import walk
from generator.render.markdown import strip_controls


def theme_folders(site: Path) -> list[Path]:
    """Lookup order for templates and theme files: the site's own first."""
    folders = [site / "templates", theme_folder()]
    seen: list[Path] = []
    for folder in folders:
        if folder.is_dir() and folder.resolve() not in [s.resolve() for s in seen]:
            seen.append(folder)
    return seen


class _CompiledInMemory(jinja2.BytecodeCache):
    """Each template compiled once per process, by its name, file and source (Jinja's own bucket
    key and checksum), for `serve`'s rebuilds and for processes forked after a first build.
    Only ever in memory: a code object read back from a file could run anything. Every
    environment here is made with the same options, which the compiled code depends on."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._codes[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _CompiledInMemory()
_CATALOGS: dict[tuple[str, bytes], bytes] = {}  # (language, digest of the .po) → the compiled catalog


def translations(folders: list[Path], language: str) -> NullTranslations:
    """The interface texts for `language`, compiled in memory from the .po catalogs (once per
    process and catalog text).

    A site's own catalog comes first and the theme's is its fallback, so a site
    that adds one template text needs to translate only that text."""
    chain: NullTranslations | None = None
    for folder in folders:
        po = folder / "locale" / language / "LC_MESSAGES" / "messages.po"
        if po.is_file():
            text = po.read_bytes()
            key = (language, hashlib.blake2b(text, digest_size=16).digest())
            compiled = _CATALOGS.get(key)
            if compiled is None:
                buffer = io.BytesIO()
                write_mo(buffer, read_po(io.BytesIO(text), locale=language))
                compiled = _CATALOGS[key] = buffer.getvalue()
            found = Translations(io.BytesIO(compiled))
            if chain is None:
                chain = found
            else:
                chain.add_fallback(found)
    return chain if chain is not None else NullTranslations()


class _FastGettext:
    def __init__(self, found: NullTranslations) -> None:
        self._gettext = found.gettext
        self._cache: dict[str, Markup] = {}

    def __call__(self, message: str, **variables: Any) -> Markup:
        text = self._cache.get(message)
        if text is None:
            text = self._cache[message] = Markup(self._gettext(message))
        return text % variables if variables else text


class _FastNgettext:
    def __init__(self, found: NullTranslations) -> None:
        self._ngettext = found.ngettext

    def __call__(self, singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("num", n)
        return Markup(self._ngettext(singular, plural, n)) % variables


class Templates:
    def __init__(self, site: Path, language: str, site_view: Any) -> None:
        self.folders = theme_folders(site)
        self.language = language
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in self.folders]),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,
            bytecode_cache=_COMPILED,
        )
        found = translations(self.folders, language)
        # Texts the build hands to templates as values (a listing's name) come from the same catalog.
        self.translations = found
        self.env.install_gettext_translations(found, newstyle=True)  # type: ignore[attr-defined]
        # The same newstyle semantics (translation marked safe, variables escaped and filled in),
        # without a context call per text: a page has dozens, and they cost more than the page.
        gettext = _FastGettext(found)
        self.env.globals.update(_=gettext, gettext=gettext, ngettext=_FastNgettext(found))
        self.env.globals["site"] = site_view

    @cached_property
    def _cache(self) -> dict[str, jinja2.Template]:
        return {}

    def render(self, name: str, **context: Any) -> str:
        template = self._cache.get(name)
        if template is None:
            template = self._cache[name] = self.env.get_template(name)
        # Every page passes here: whatever a text value carried, no control character reaches a reader.
        return strip_controls(template.render(**context))

    def static_files(self) -> dict[str, Path]:
        """Theme assets under static/, the site's own shadowing the built-in ones."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            for path in sorted(static.rglob("*")) if static.is_dir() else []:
                if path.is_file():
                    found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))

    def source_files(self) -> list[Path]:
        """Every file the theme consists of, for cache keys."""
        files: list[Path] = []
        for folder in self.folders:
            for here, names in walk(folder):  # linked folders too, as Jinja follows them
                files.extend(Path(here) / name for name in names if (Path(here) / name).is_file())
        return files
