"""A static JSON API in the shape of presseportal.de's, under the versioned path api/v1/.

    api/v1/index.json                       what the API offers
    api/v1/releases/index.json              the newest published releases (`per_page` of them)
    api/v1/releases/page-<n>.json           page n, counted from the oldest: it never changes
    api/v1/releases/<release-slug>.json     one release
    api/v1/offices/<id>.json                one authority's newest releases
    api/v1/offices/<id>/page-<n>.json       its page n, counted from the oldest
    api/v1/withdrawn.json                   the ids of withdrawn releases, with the time they went
    api/v1/schema.json                      the JSON Schema all of these follow

Only published releases appear: drafts, scheduled and withdrawn releases are in no file, except
that `withdrawn.json` names every withdrawn release (appeals past `expires` included) by its id
and the time it went off the site – nothing else of it – so that a copy can be removed.
The schema lives in the repository as schema/api-v1.schema.json.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any

from generator.core import mime as mime_types
from generator.core import urls
from generator.core.dates import iso
from generator.core.models import Authority, Release
from generator.core.paging import archive_chunk, archive_pages
from generator.core.paths import schema_path as schema_path  # where it always was
from generator.core.phone import tel_uri
from generator.lifecycle.catalog import Catalog
from generator.lifecycle.states import withdrawn_on
from generator.outputs.data import OutputData
from generator.outputs.files import Task, Tasks
from generator.outputs.html_links import absolute_links
from generator.outputs.json_ld import dumps

VERSION = 1
RELEASES = urls.API + "releases/"
OFFICES = urls.API + "offices/"
SCHEMA = urls.API + "schema.json"
WITHDRAWN = urls.API + "withdrawn.json"



def release_path(release_slug: str) -> str:
    return f"{RELEASES}{release_slug}.json"


def office_path(authority_id: str, number: int = 0) -> str:
    return f"{OFFICES}{authority_id}.json" if number == 0 else f"{OFFICES}{authority_id}/page-{number}.json"


def releases_page_path(number: int) -> str:
    return f"{RELEASES}index.json" if number == 0 else f"{RELEASES}page-{number}.json"


def api_files(catalog: Catalog, data: OutputData) -> Iterator[tuple[str, str | Path]]:
    """The API's entry document and schema; the rest are tasks (`api_tasks`)."""
    yield urls.API + "index.json", encode(api_index(catalog, data))
    yield WITHDRAWN, encode(withdrawn_list(catalog))
    yield SCHEMA, schema_path()


def withdrawn_list(catalog: Catalog) -> dict[str, Any]:
    """Every withdrawn release, newest withdrawal first: its id and when it went, nothing else."""
    gone = sorted(((withdrawn_on(r, catalog.now) or r.updated, r.id) for r in catalog.withdrawn), reverse=True)
    return {"total": len(gone), "withdrawn": [{"id": release_id, "withdrawn": iso(when)} for when, release_id in gone]}


def api_tasks(catalog: Catalog, data: OutputData) -> list[tuple[int, Callable[[int], Task]]]:
    """A document per published release and the paginated lists of all and of each office's
    releases, as families of `Tasks` (the documents made only when asked for)."""
    by_id = {r.id: r for r in catalog.published}
    published = catalog.published

    @cache
    def document(release_id: str) -> str:
        # Encoded once: the same text is the release's own file and its entry in every page that lists it.
        return dumps(release_document(by_id[release_id], data, by_id))

    def key(release: Release) -> str:
        # A release's document names its `follows` only while that one is published.
        return f"{data.key(release)} {release.follows in by_id}"

    def release_task(position: int) -> Task:
        release = published[position]
        return Task(release_path(release.slug), partial(key_of, key, release), partial(_document, document, release.id))

    pages = list(_pages(catalog.published, document, key, data, releases_page_path, None))
    groups = {g.key: g for g in catalog.authorities}
    for authority in catalog.all_authorities:
        group = groups.get(authority.id)
        pages += _pages(group.releases if group else (), document, key, data, partial(office_path, authority.id),
                        office(authority, data))
    return [(len(published), release_task), Tasks.of(pages)]


def key_of(key: Callable[[Release], str], release: Release) -> tuple[str, ...]:
    return (key(release),)


def encode(document: Any) -> str:
    return dumps(document) + "\n"


def office(authority: Authority, data: OutputData) -> dict[str, Any]:
    return {
        "id": authority.id,
        "name": authority.name,
        "code": authority.code,
        "city": authority.city,
        "website": authority.website,
        "url": data.absolute(urls.authority(authority.id)),
        "api_url": data.absolute(office_path(authority.id)),
        "type": authority.type,
        # Whom an appeal's readers call; `tel` is the number as a link dials it.
        "tips": [{"text": t.text, "phone": t.phone, "tel": tel_uri(t.phone), "url": t.url} for t in authority.tips],
    }


def api_index(catalog: Catalog, data: OutputData) -> dict[str, Any]:
    return {
        "api": "pressroom",
        "version": VERSION,
        "title": data.settings.title,
        "description": data.settings.description,
        "site": data.settings.base_url,
        "language": data.settings.language,
        "total": len(catalog.published),
        "per_page": data.settings.per_page,
        "links": {
            "releases": data.absolute(releases_page_path(0)),
            "schema": data.absolute(SCHEMA),
            "withdrawn": data.absolute(WITHDRAWN),
            "release": data.absolute(RELEASES) + "{slug}.json",
            "office": data.absolute(OFFICES) + "{id}.json",
        },
        "offices": [office(a, data) for a in catalog.all_authorities],
    }


def release_document(release: Release, data: OutputData, published: Container[str]) -> dict[str, Any]:
    """One release as the API shows it; `published` are the ids of the published releases: a
    `follows` that names anything else (a draft, a scheduled or withdrawn release) is left out."""
    page = data.absolute(urls.release(release.slug))
    contact = release.contact
    teaser = data.teaser(release)
    document: dict[str, Any] = {
        "id": release.id,
        "url": page,
        "api_url": data.absolute(release_path(release.slug)),
        "title": release.headline,
        "headline": release.title,
        "teaser": f"{release.location} (ots) – {teaser}" if teaser else f"{release.location} (ots)",
        "body": absolute_links(data.bodies[release.id].html, page),
        "published": iso(release.date),
        "updated": iso(release.updated),
        "kind": release.kind.value,
        "language": release.lang or data.settings.language,
        "location": release.location,
        "office": {"id": release.authority.id, "name": release.authority.name, "code": release.authority.code,
                   "url": data.absolute(urls.authority(release.authority.id))},
        "keywords": list(release.tags),
        "places": list(release.places),
        "media": [
            *({"type": "image", "url": f.url, "caption": i.caption, "credit": i.credit, "alt": i.alt,
               "mime": f.mime, "size": f.length, "width": f.width, "height": f.height}
              for i, f in zip(release.images, data.image_files(release), strict=False)),
            *({"type": "document", "url": data.absolute(urls.media_link(a.file.site_path)), "caption": a.title,
               "credit": None, "alt": None, "mime": mime(a.file.site_path), "size": a.file.size}
              for a in release.attachments),
        ],
        "contact": {"organisation": release.authority.name, "name": contact.name, "phone": contact.phone,
                    "email": contact.email, "url": contact.url},
        "follows": release.follows if release.follows in published else None,
        "updates": [{"date": iso(u.date), "note": u.note, "major": u.major} for u in release.updates],
        "text_url": data.absolute(urls.release_text(release.slug)),
        "event": None,
    }
    if release.event is not None:
        event = release.event
        document["event"] = {
            "name": event.name, "start": iso(event.start), "end": iso(event.end) if event.end else None,
            "venue": event.venue, "participants": list(event.participants), "agenda": list(event.agenda),
            "ics_url": data.absolute(urls.event_calendar(release.slug)),
        }
    return document


def mime(path: str) -> str:
    """From Pressroom's own table, so the API does not depend on the machine's /etc/mime.types."""
    return mime_types.of(path)


def _document(document: Callable[[str], str], release_id: str) -> str:
    return document(release_id) + "\n"


def _pages(releases: Sequence[Release], document: Callable[[str], str], key: Callable[[Release], str],
           data: OutputData, path_of: Callable[[int], str], about: dict[str, Any] | None) -> Iterator[Task]:
    """The front page (the newest) and the numbered pages, counted from the oldest like the
    listings (`core.paging`): a new release changes the front page and, now and then, adds one."""
    per_page = data.settings.per_page
    count = archive_pages(len(releases), per_page)
    about_key = dumps(about) if about is not None else ""
    for number in range(count + 1):
        if number == 0:
            chunk, position = releases[:per_page], f"front {len(releases)} {count}"
        else:
            chunk, position = archive_chunk(releases, per_page, number), f"page {number == count}"
        yield Task(path_of(number), partial(_page_key, chunk, key, about_key, position),
                   partial(_page, chunk, len(releases), document, data, path_of, about, number, count))


def _page_key(chunk: Sequence[Release], key: Callable[[Release], str], about: str, position: str) -> tuple[str, ...]:
    return (about, position, *(key(r) for r in chunk))


def _page(chunk: Sequence[Release], total: int, document: Callable[[str], str], data: OutputData,
          path_of: Callable[[int], str], about: dict[str, Any] | None, number: int, count: int) -> str:
    newer = None if number == 0 else path_of(number + 1 if number < count else 0)
    older = path_of(count if number == 0 else number - 1) if (count if number == 0 else number - 1) else None
    links = {
        "self": data.absolute(path_of(number)),
        "first": data.absolute(path_of(0)),  # the newest
        "last": data.absolute(path_of(1 if count else 0)),  # the oldest
        "prev": data.absolute(newer) if newer is not None else None,
        "next": data.absolute(older) if older is not None else None,
    }
    page: dict[str, Any] = {"page": number, "per_page": data.settings.per_page, "links": links}
    if number == 0:  # how many there are, only where it may change: the front page
        page = {"total": total, "pages": count, **page}
    if about is not None:
        page["office"] = about
    return with_encoded(page, "releases", [document(r.id) for r in chunk]) + "\n"


def with_encoded(document: dict[str, Any], key: str, encoded: list[str]) -> str:
    """`dumps({**document, key: items})`, the items given as their `dumps` texts: the keys sorted,
    the list goes between the keys before and after its own. (What `dumps` strips from the whole
    it strips from each part, so the parts make the same text; the keys are ours, without controls.)"""
    before = dumps({k: v for k, v in document.items() if k < key})
    after = dumps({k: v for k, v in document.items() if k > key})
    middle = f"{dumps(key)}:[{','.join(encoded)}]"
    return "{" + ",".join(part for part in (before[1:-1], middle, after[1:-1]) if part) + "}"
