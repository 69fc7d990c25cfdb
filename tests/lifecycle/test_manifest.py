"""The published-address manifest reads back what a build wrote, and ignores what it cannot read."""

from __future__ import annotations

from pathlib import Path

from generator.lifecycle.manifest import Published, manifest_text, read_manifest


def test_the_manifest_reads_back_line_by_line(tmp_path: Path) -> None:
    entries = [Published("meldung/a/", "a", "content/releases/a.md"),
               Published("meldung/b/", "b", "content/releases/b.md", "2024-07-02T09:00:00+02:00"),
               Published("alt/a/", "a", "content/releases/a.md")]
    path = tmp_path / "published.txt"
    path.write_text(manifest_text(entries), encoding="utf-8")
    read = read_manifest(path)
    assert [entry for _, entry in read] == entries
    assert [line for line, _ in read] == [5, 6, 7]  # after the four comment lines, for error messages


def test_a_missing_or_unreadable_manifest_is_no_previous_build(tmp_path: Path) -> None:
    assert read_manifest(tmp_path / "missing.txt") == []
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe not utf-8")
    assert read_manifest(broken) == []
