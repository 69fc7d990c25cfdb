"""What a web server needs to know: the life of releases and the headers every answer carries.

The build writes these files into `_server/` inside the output folder:

- `withdrawn.txt`  every withdrawn address (absolute URL), one a line
- `redirects.txt`  every alias as "old-URL new-URL", one a line
- `nginx.conf`     `location` blocks and headers to `include` in the site's `server { }` block
- `apache.conf`    directives to `Include` in the VirtualHost (or paste into `.htaccess`)
- `published.txt`  the manifest: every address this build published (generator.lifecycle.manifest)

and `_redirects` and `_headers` at the top (Netlify and Cloudflare Pages only read them there;
`_redirects` cannot carry headers, so they have a file of their own in the syntax both share).

Every answer carries `SECURITY_HEADERS`: `nosniff`, so a browser never runs an attachment as
something else, and `CONTENT_SECURITY_POLICY`, which the pages satisfy (tests/outputs/test_csp_browser.py
proves it in Chromium): nothing but the site's own files, no inline script or style, no
WebAssembly (the search is plain JavaScript).

Why inside the output folder: the files describe exactly the site they sit in,
so they are swapped in atomically with it and can never disagree with it; the
manifest must survive everything except the site itself (a cold build that
deletes `.pressroom-cache/` still finds it, and a build into a fresh, empty
folder is a new site with no links to keep). The nginx and Apache snippets
hide `_server/` from the public, and robots.txt asks crawlers to stay away.
Without any server configuration the HTML notice pages (noindex) and the HTML
redirect pages (meta refresh + canonical) still do the job.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import urls
from generator.core.urls import Links
from generator.lifecycle.catalog import Catalog
from generator.lifecycle.manifest import HEADER, MANIFEST, SERVER_DIR, gone, manifest_entries, manifest_text, moved

WITHDRAWN_LIST = f"{SERVER_DIR}withdrawn.txt"
REDIRECT_LIST = f"{SERVER_DIR}redirects.txt"
NGINX = f"{SERVER_DIR}nginx.conf"
APACHE = f"{SERVER_DIR}apache.conf"
NETLIFY = "_redirects"
NETLIFY_HEADERS = "_headers"

# The site makes no request to another host and has no inline script, style or event handler;
# JSON-LD (<script type="application/ld+json">) is data, which CSP does not block. The search is
# plain JavaScript reading JSON from the site itself: no eval, no WebAssembly.
CONTENT_SECURITY_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
)


# --- the files ------------------------------------------------------------------------------


def server_files(catalog: Catalog, links: Links) -> Iterator[tuple[str, str]]:
    yield MANIFEST, manifest_text(manifest_entries(catalog))
    yield WITHDRAWN_LIST, "".join(f"{links.absolute(p)}\n" for p in gone(catalog))
    yield REDIRECT_LIST, "".join(f"{links.absolute(a)} {links.absolute(t)}\n" for a, t in moved(catalog))
    yield NGINX, nginx(catalog, links)
    yield APACHE, apache(catalog, links)
    yield NETLIFY, netlify(catalog, links)
    yield NETLIFY_HEADERS, netlify_headers(links)


def _regex(path: str) -> str:
    """A URL path as a regular expression; the allowed path characters only need "." escaped."""
    return path.replace(".", r"\.")


def _variants(path: str) -> list[str]:
    """A directory address also answers without its trailing slash."""
    return [path, path.rstrip("/")] if path.endswith("/") and path != "/" else [path]


def nginx(catalog: Catalog, links: Links) -> str:
    hidden = links.url(SERVER_DIR)
    lines = [HEADER + "# Include inside the site's server { } block:\n"
             "#   include /path/to/output/_server/nginx.conf;",
             "",
             "# The build's own bookkeeping is not for the public.",
             f"location ^~ {hidden} {{ return 404; }}",
             f"location = {links.url(NETLIFY)} {{ return 404; }}",
             f"location = {links.url(NETLIFY_HEADERS)} {{ return 404; }}",
             "",
             "# Every answer, errors and redirects too. (nginx drops these in a location that sets",
             "# add_header itself: repeat them there.)",
             *(f'add_header {name} "{value}" always;' for name, value in SECURITY_HEADERS),
             "",
             "# Withdrawn releases: 410 Gone, with the notice page as the body."]
    for path in gone(catalog):
        notice = links.url(urls.file_of(path)) if path.endswith("/") else None
        for variant in _variants(links.url(path)):
            page = f"error_page 410 {notice}; " if notice else ""
            lines.append(f"location = {variant} {{ {page}return 410; }}")
    lines += ["", "# Old addresses (aliases): 301 to where the release lives now."]
    for alias, target in moved(catalog):
        for variant in _variants(links.url(alias)):
            lines.append(f"location = {variant} {{ return 301 {links.absolute(target)}; }}")
        if alias.endswith("/"):
            page = links.url(urls.file_of(alias))
            lines.append(f"location = {page} {{ return 301 {links.absolute(target)}; }}")
    return "\n".join(lines) + "\n"


def apache(catalog: Catalog, links: Links) -> str:
    lines = [HEADER + "# Include inside the VirtualHost:  Include /path/to/output/_server/apache.conf",
             "# (or paste it into .htaccess; needs mod_alias and mod_headers, Apache 2.4).",
             "",
             "# The build's own bookkeeping is not for the public.",
             f"RedirectMatch 404 ^{_regex(links.url(SERVER_DIR))}",
             f"RedirectMatch 404 ^{_regex(links.url(NETLIFY))}$",
             f"RedirectMatch 404 ^{_regex(links.url(NETLIFY_HEADERS))}$",
             "",
             "# Every answer, errors and redirects too.",
             *(f'Header always set {name} "{value}"' for name, value in SECURITY_HEADERS),
             "",
             "# Withdrawn releases: 410 Gone, with the notice page as the body."]
    for path in gone(catalog):
        pattern = f"^{_regex(links.url(path.rstrip('/')))}{'/?' if path.endswith('/') else ''}$"
        if path.endswith("/"):
            lines += [f'<If "%{{REQUEST_URI}} =~ m#{pattern}#">',
                      f"    ErrorDocument 410 {links.url(urls.file_of(path))}",
                      "</If>"]
        lines.append(f"RedirectMatch 410 {pattern}")
    lines += ["", "# Old addresses (aliases): 301 to where the release lives now."]
    for alias, target in moved(catalog):
        suffix = "(/|/index\\.html)?" if alias.endswith("/") else ""
        pattern = f"^{_regex(links.url(alias.rstrip('/')))}{suffix}$"
        lines.append(f"RedirectMatch 301 {pattern} {links.absolute(target)}")
    return "\n".join(lines) + "\n"


def netlify(catalog: Catalog, links: Links) -> str:
    """The `_redirects` syntax that Netlify and Cloudflare Pages share: permanent redirects only.

    Withdrawn addresses are not in it: Cloudflare Pages knows no 410, and the notice page
    (noindex) already answers there.
    """
    lines = [HEADER.rstrip("\n"), "# Old addresses (aliases) of releases, for Netlify and Cloudflare Pages."]
    for alias, target in moved(catalog):
        for variant in _variants(links.url(alias)):
            lines.append(f"{variant} {links.url(target)} 301")
    return "\n".join(lines) + "\n"


def netlify_headers(links: Links) -> str:
    """The `_headers` syntax that Netlify and Cloudflare Pages share: the security headers on every path."""
    lines = [HEADER.rstrip("\n"), "# Headers of every answer, for Netlify and Cloudflare Pages.",
             f"{links.url('')}*", *(f"  {name}: {value}" for name, value in SECURITY_HEADERS)]
    return "\n".join(lines) + "\n"
