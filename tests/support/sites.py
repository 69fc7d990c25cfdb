"""Small site folders for tests of the command line: quick to build, easy to break."""

from __future__ import annotations

from pathlib import Path

SITE_TOML = """title = "Testportal"
base_url = "https://presse.example.org/"
timezone = "Europe/Berlin"
"""

AUTHORITIES = """polizei-test:
  name: Polizei Teststadt
  code: POL-TS
  city: Teststadt
  contact:
    phone: 01234 / 5678
    email: presse@polizei.example.org
feuerwehr-test:
  name: Feuerwehr Teststadt
  code: FW-TS
  city: Teststadt
  contact:
    email: presse@feuerwehr.example.org
"""


def minimal_site(root: Path, settings: str = "") -> Path:
    """site.toml, two authorities, no releases yet."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(SITE_TOML + settings, encoding="utf-8")
    (root / "content" / "releases").mkdir(parents=True)
    (root / "content" / "authorities.yaml").write_text(AUTHORITIES, encoding="utf-8")
    return root


def write_release(site: Path, name: str, front: str, body: str = "Ein kurzer Text.\n") -> Path:
    """content/releases/<name>.md with the given front matter lines."""
    path = site / "content" / "releases" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n\n{body}", encoding="utf-8")
    return path
