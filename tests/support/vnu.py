"""HTML validation with the Nu Html Checker (vnu.jar from the vnu-jar npm package)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import unquote, urlparse

REPO_ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Java start-up costs ~2 s, so every file goes into one invocation; only huge
# sites are split, to stay far below the kernel's argument-length limit.
_BATCH_SIZE = 2000


class VnuError(TypedDict):
    file: Path
    line: int | None
    column: int | None
    message: str
    extract: str


def vnu_available() -> bool:
    """True when a java binary and the installed vnu.jar are present."""
    return shutil.which("java") is not None and VNU_JAR.is_file()


def validate_html(files: Sequence[Path]) -> list[VnuError]:
    """Validate HTML files; return the errors (warnings and info messages are dropped).

    "non-document-error" messages (vnu could not read or parse a file at all) are
    returned too, so an unreadable file can never pass as valid.
    """
    paths = [Path(f) for f in files]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"cannot validate missing files: {missing}")
    if not vnu_available():
        raise RuntimeError(f"vnu is not available (need java and {VNU_JAR})")
    by_resolved = {p.resolve(): p for p in paths}
    errors: list[VnuError] = []
    for start in range(0, len(paths), _BATCH_SIZE):
        batch = paths[start : start + _BATCH_SIZE]
        for msg in _run_vnu(batch):
            if msg.get("type") not in ("error", "non-document-error"):
                continue
            url_path = Path(unquote(urlparse(str(msg.get("url", ""))).path))
            errors.append(
                VnuError(
                    file=by_resolved.get(url_path.resolve(), url_path),
                    line=msg.get("lastLine"),
                    column=msg.get("firstColumn", msg.get("lastColumn")),
                    message=str(msg.get("message", "")),
                    extract=str(msg.get("extract", "")),
                )
            )
    return errors


def _run_vnu(files: Sequence[Path]) -> list[dict[str, Any]]:
    cmd = [
        "java",
        "-jar",
        str(VNU_JAR),
        "--format",
        "json",
        "--exit-zero-always",
        *(str(f.resolve()) for f in files),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=False)
    # vnu writes its JSON report to stderr; the JVM may print notes (e.g. "Picked up
    # JAVA_TOOL_OPTIONS") around it, so decode the object that starts the report.
    output = proc.stderr
    start = output.find('{"')
    try:
        data, _ = json.JSONDecoder().raw_decode(output, max(start, 0))
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"vnu failed (exit {proc.returncode}): {output[:2000]}{proc.stdout[:2000]}"
        ) from exc
    messages: list[dict[str, Any]] = data.get("messages", [])
    return messages


def format_errors(errors: Sequence[VnuError]) -> str:
    """Readable multi-line summary, for assertion messages."""
    return "\n".join(f"{e['file']}:{e['line']}:{e['column']}: {e['message']}" for e in errors)
