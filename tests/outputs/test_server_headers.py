"""Every generated server configuration sends nosniff and the site's Content-Security-Policy,
and hides the Netlify/Cloudflare files it writes (a real build of the golden site, under /presse/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.outputs.servers import CONTENT_SECURITY_POLICY
from tests.golden import build

CSP = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("servers") / "out"
    build(out)
    return out


def _block(text: str, first: str) -> list[str]:
    """The lines from `first` up to the next blank line."""
    lines = text.splitlines()
    start = lines.index(first)
    end = lines.index("", start)
    return lines[start:end]


def test_the_policy_is_the_one_the_pages_are_tested_against() -> None:
    assert CONTENT_SECURITY_POLICY == CSP


def test_nginx_sends_the_headers_on_every_answer_and_hides_the_site_files(output: Path) -> None:
    text = (output / "_server/nginx.conf").read_text(encoding="utf-8")
    assert _block(text, "# The build's own bookkeeping is not for the public.")[1:] == [
        "location ^~ /presse/_server/ { return 404; }",
        "location = /presse/_redirects { return 404; }",
        "location = /presse/_headers { return 404; }",
    ]
    assert [line for line in text.splitlines() if line.startswith("add_header")] == [
        'add_header X-Content-Type-Options "nosniff" always;',
        f'add_header Content-Security-Policy "{CSP}" always;',
    ]


def test_apache_sends_the_headers_on_every_answer_and_hides_the_site_files(output: Path) -> None:
    text = (output / "_server/apache.conf").read_text(encoding="utf-8")
    assert _block(text, "# The build's own bookkeeping is not for the public.")[1:] == [
        "RedirectMatch 404 ^/presse/_server/",
        "RedirectMatch 404 ^/presse/_redirects$",
        "RedirectMatch 404 ^/presse/_headers$",
    ]
    assert [line for line in text.splitlines() if line.startswith("Header")] == [
        'Header always set X-Content-Type-Options "nosniff"',
        f'Header always set Content-Security-Policy "{CSP}"',
    ]


def test_netlify_and_cloudflare_get_a_headers_file_for_every_path(output: Path) -> None:
    assert (output / "_headers").read_text(encoding="utf-8") == (
        "# Written by pressroom build; do not edit: the next build overwrites it.\n"
        "# Headers of every answer, for Netlify and Cloudflare Pages.\n"
        "/presse/*\n"
        "  X-Content-Type-Options: nosniff\n"
        f"  Content-Security-Policy: {CSP}\n"
    )
    # _redirects cannot carry headers; it keeps only the redirects.
    assert "Content-Security-Policy" not in (output / "_redirects").read_text(encoding="utf-8")
