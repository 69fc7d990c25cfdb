from __future__ import annotations

from pathlib import Path


def test_demo_builds_the_conference_report_in_ots_shape(demo_output: Path) -> None:
    page = (demo_output / "meldung" / "2019-04-29-eine-konferenz-fuer-die-sicherheit-in-gelsenkirchen"
            / "index.html").read_text(encoding="utf-8")
    assert "POL-GE: Eine Konferenz für die Sicherheit in Gelsenkirchen" in page
    assert "Gelsenkirchen (ots)" in page
    assert "29. April 2019, 16:05 Uhr" in page


def test_scheduled_and_draft_releases_appear_nowhere(demo_output: Path) -> None:
    everything = "".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in demo_output.rglob("*") if p.is_file())
    assert "fw-ge-2027-0110-1" not in everything


def test_same_input_and_now_give_byte_identical_trees(tmp_path: Path) -> None:
    import hashlib

    from tests.conftest import DEMO_NOW, REPO, run_pressroom

    trees = []
    for name, jobs in (("a", "1"), ("b", "2")):
        out = tmp_path / name
        result = run_pressroom("build", REPO, "-o", out, "--now", DEMO_NOW, "--quiet", "--jobs", jobs)
        assert result.returncode == 0, result.stderr
        trees.append({p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]  # the whole tree, the search index included
    assert len(trees[0]) > 50
    assert any(path.startswith("pagefind/2019/terms/") for path in trees[0])
