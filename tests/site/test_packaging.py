"""The installed package is the whole program: every Python package and every theme file ships."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def _packages() -> set[str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return set(data["tool"]["setuptools"]["packages"])


def test_every_python_package_is_declared() -> None:
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "generator").rglob("__init__.py")}
    declared = {name for name in _packages() if not name.startswith(("generator.theme", "generator.schema"))}
    assert declared == found


def test_every_theme_folder_is_declared_with_its_files() -> None:
    declared = _packages()
    folders = {p.parent for p in (REPO / "templates").rglob("*") if p.is_file()}
    expected = {".".join(("generator", "theme", *f.relative_to(REPO / "templates").parts)) for f in folders}
    assert expected <= declared
