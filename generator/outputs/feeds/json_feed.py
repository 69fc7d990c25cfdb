"""The site's JSON Feed 1.1: the subscription document and its archive pages, which follow the
site channel's archive plan and link older pages with `next_url`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from generator.core import mime, urls
from generator.core.models import Release
from generator.core.text import strip_control_all
from generator.outputs.data import OutputData
from generator.outputs.feeds.content import content_html, teaser
from generator.outputs.feeds.plan import tag_uri

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_NAME = "feed.json"


def json_item(release: Release, data: OutputData) -> dict[str, object]:
    settings = data.settings
    tz = settings.tz
    item: dict[str, object] = {
        "id": tag_uri(settings, release.id),
        "url": data.absolute(urls.release(release.slug)),
        "title": release.headline,
        "content_html": content_html(release, data.bodies[release.id], data),
        "summary": teaser(release, data),
        "date_published": release.date.astimezone(tz).isoformat(),
        "date_modified": release.updated.astimezone(tz).isoformat(),
        "authors": [{"name": release.authority.name,
                     "url": data.absolute(urls.authority(release.authority.id))}],
    }
    if release.tags:
        item["tags"] = list(release.tags)
    image = data.first_image(release)
    if image is not None:
        item["image"] = image.url
    if release.attachments:
        item["attachments"] = [
            {"url": data.absolute(urls.media_link(a.file.site_path)), "title": a.title,
             "mime_type": mime.of(a.file.site_path),
             "size_in_bytes": a.file.size} for a in release.attachments]
    if release.lang != settings.language:  # every release has one now; name it where it differs from the feed's
        item["language"] = release.lang
    return item


def json_feed_path(number: int | None) -> str:
    """The subscription document (`number` None) or archive page n of the site's JSON Feed."""
    return urls.JSON_FEED if number is None else urls.feed_archive(urls.SITE_FEEDS, number) + JSON_FEED_NAME


def json_item_text(release: Release, data: OutputData) -> str:
    """The release's item as `json_feed` writes it, before the indentation of its place there."""
    return json.dumps(strip_control_all(json_item(release, data)), ensure_ascii=False, indent=2)


def json_feed(items: Sequence[str], data: OutputData, next_page: int | None) -> str:
    """One JSON Feed document of the items given (`json_item_text`, newest first); `next_page`
    is the archive page its `next_url` names (older items).

    Every page has the subscription document's `feed_url`: they are pages of one feed, as the
    Atom archives share its id.
    """
    settings = data.settings
    document: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": settings.title,
        "home_page_url": settings.base_url,
        "feed_url": data.absolute(urls.JSON_FEED),
        "language": settings.language,
        "authors": [{"name": settings.title, "url": settings.base_url}],
    }
    if settings.description:
        document["description"] = settings.description
    if settings.websub_hub:
        document["hubs"] = [{"type": "WebSub", "url": settings.websub_hub}]
    if next_page is not None:
        document["next_url"] = data.absolute(json_feed_path(next_page))
    document["items"] = []
    text = json.dumps(strip_control_all(document), ensure_ascii=False, indent=2)
    if items:
        # The items' texts where json.dumps would put them, indented one level deeper: what it
        # would write for the whole document, without encoding each item again in every build.
        at = text.rindex('"items": []')
        text = (text[:at] + '"items": [\n    ' + ",\n    ".join(item.replace("\n", "\n    ") for item in items)
                + "\n  ]" + text[at + len('"items": []'):])
    # The same values, but no "<" or "&" in the bytes: a title with markup stays inert even for
    # a consumer that pastes JSON into a page.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"

