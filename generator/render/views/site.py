"""Site-wide views: what every template sees as `site`, the feeds to offer, standalone pages."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from generator.core import urls
from generator.core.models import Page
from generator.lifecycle.catalog import Group
from generator.render.markdown import Body
from generator.render.views.context import ViewContext
from generator.render.views.shapes import FeedLink, Link, PageView, SiteLinks, SiteView

# The theme's default icons (templates/static/); a site's own templates/static/ may replace them.
FAVICON = "static/favicon.ico"
FAVICON_SVG = "static/favicon.svg"
PRINT_SCRIPT = "static/print.js"
_FOOTER_ORDER = ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache")


def site_view(ctx: ViewContext, pages: Sequence[Page], stylesheet: str) -> SiteView:
    order = {name: i for i, name in enumerate(_FOOTER_ORDER)}
    ordered = sorted(pages, key=lambda p: (order.get(p.slug, len(order)), p.slug))
    return SiteView(
        title=ctx.settings.title,
        description=ctx.settings.description,
        language=ctx.language,
        base_url=ctx.settings.base_url,
        base_path=ctx.links.base_path,
        footer=tuple(Link(p.title, ctx.url(urls.page(p.slug))) for p in ordered),
        feeds=site_feeds(ctx),
        stylesheet=ctx.url(stylesheet),
        links=SiteLinks.of(ctx.links),
        icon=ctx.url(FAVICON),
        icon_svg=ctx.url(FAVICON_SVG),
        print_script=ctx.url(PRINT_SCRIPT),
        extra=ctx.settings.extra,
    )


def site_feeds(ctx: ViewContext) -> tuple[FeedLink, ...]:
    title = ctx.settings.title
    return (
        FeedLink(f"{title} (RSS)", ctx.url(urls.rss(urls.SITE_FEEDS)), "application/rss+xml"),
        FeedLink(f"{title} (Atom)", ctx.url(urls.atom(urls.SITE_FEEDS)), "application/atom+xml"),
        FeedLink(f"{title} (JSON Feed)", ctx.url(urls.JSON_FEED), "application/feed+json"),
    )


def group_feeds(ctx: ViewContext, group: Group) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{group.name} (RSS)", ctx.url(urls.rss(group.path)), "application/rss+xml"),
        FeedLink(f"{group.name} (Atom)", ctx.url(urls.atom(group.path)), "application/atom+xml"),
    )


def page_view(ctx: ViewContext, page: Page, body: Body) -> PageView:
    path = urls.page(page.slug)
    return PageView(path=path, canonical=ctx.absolute(path), title=page.title, description=page.description,
                    body=Markup(body.html), lang=page.lang or ctx.language)
