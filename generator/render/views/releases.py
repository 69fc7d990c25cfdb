"""A release as its page, as an entry of a list, and as the notice its address keeps when it is taken down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import islice

from markupsafe import Markup

from generator.core import urls
from generator.core.dates import iso
from generator.core.models import Authority, Contact, Kind, Release, TipLine
from generator.core.phone import tel_uri
from generator.lifecycle.states import withdrawn_on
from generator.render.markdown import Body, first_paragraph, teaser
from generator.render.views.context import ViewContext
from generator.render.views.shapes import (
    AppealView,
    AttachmentView,
    AuthorityView,
    ContactView,
    EventView,
    FeedLink,
    ImageView,
    ItemView,
    Link,
    LogoView,
    NoticeView,
    ReleaseView,
    TipView,
    UpdateView,
)
from generator.render.views.site import group_feeds, site_feeds

RELATED_COUNT = 5
_FIRST_PARAGRAPH = "<p>"


def with_dateline(html: str, dateline: str) -> Markup:
    """The body with the dateline running into its first paragraph, as on the wire:
    "Gelsenkirchen (ots) – Auf Basis …". A body that opens with anything but a paragraph
    (a heading, a list) gets the dateline as a paragraph of its own before it."""
    # Marked for the search to leave out, so that excerpts start with the text itself.
    place = Markup('<span class="dateline" data-pagefind-ignore>%s (ots)</span>') % dateline
    text = html.lstrip()
    if text.startswith(_FIRST_PARAGRAPH):
        return Markup(f"{_FIRST_PARAGRAPH}{place}<span data-pagefind-ignore> – </span>"
                      f"{text[len(_FIRST_PARAGRAPH):]}")
    return Markup(f"<p>{place}</p>\n{html}")


def tip_views(tips: tuple[TipLine, ...]) -> tuple[TipView, ...]:
    return tuple(TipView(t.text, t.phone, tel_uri(t.phone), t.url) for t in tips)


@dataclass
class ReleaseViews:
    """Builds the views of releases, each teaser and list entry once however many lists show it."""

    ctx: ViewContext
    bodies: Mapping[str, Body]  # by release id
    image_views: Mapping[str, tuple[ImageView, ...]]  # by release id
    logos: Mapping[str, Mapping[str, LogoView]] = field(default_factory=dict)  # by authority id, then slot
    _items: dict[str, ItemView] = field(default_factory=dict)
    _teasers: dict[str, str] = field(default_factory=dict)

    def teaser(self, release: Release) -> str:
        found = self._teasers.get(release.id)
        if found is None:
            found = self._teasers[release.id] = teaser(release.summary, first_paragraph(self.bodies, release.id))
        return found

    def item(self, release: Release) -> ItemView:
        view = self._items.get(release.id)
        if view is None:
            ctx = self.ctx
            view = ItemView(
                url=ctx.url(urls.release(release.slug)),
                headline=release.headline,
                date_text=ctx.short(release.date),
                date_iso=iso(release.date),
                teaser=self.teaser(release),
                authority=release.authority.name,
                kind=release.kind.value,
                lang=self._own_lang(release),
                appeal=self.appeal(release),
            )
            self._items[release.id] = view
        return view

    def _own_lang(self, release: Release) -> str | None:
        """The release's language, where a page in the interface's language must mark it."""
        return release.lang if release.lang and release.lang != self.ctx.language else None

    def appeal(self, release: Release) -> AppealView | None:
        """Whom to call and until when, for an appeal that is running."""
        if release.kind is not Kind.APPEAL:
            return None
        expires = release.expires
        return AppealView(tips=tip_views(release.authority.tips),
                          expires_text=self.ctx.long(expires) if expires else None,
                          expires_iso=iso(expires) if expires else None)

    def authority(self, authority: Authority) -> AuthorityView:
        website = authority.website
        return AuthorityView(
            name=authority.name,
            contact=self.contact(authority, replace(authority.contact, name=None)),
            tips=tip_views(authority.tips),
            website=Link(website.split("://", 1)[-1].rstrip("/"), website) if website else None,
            logo=self.logos.get(authority.id, {}).get("header"),
        )

    def contact(self, authority: Authority, contact: Contact) -> ContactView:
        url = contact.url
        return ContactView(
            organisation=authority.name,
            name=contact.name,
            phone=contact.phone,
            # One global number (tel:+49…) that dials from anywhere; content checks made sure it is one.
            phone_href=tel_uri(contact.phone) if contact.phone else None,
            email=contact.email,
            url=(url if url.startswith("http") else f"https://{url}") if url else None,
            url_text=url.split("://", 1)[-1].rstrip("/") if url else None,
        )

    def release(self, release: Release) -> ReleaseView:
        ctx = self.ctx
        path = urls.release(release.slug)
        body = self.bodies[release.id]
        catalog = ctx.catalog
        earlier = catalog.by_id.get(release.follows) if release.follows else None
        group = next((g for g in catalog.authorities if g.key == release.authority.id), None)
        others = (r for r in (group.releases if group else ()) if r.id != release.id)
        related = tuple(self.item(r) for r in islice(others, RELATED_COUNT))
        updated = release.updated
        authority_link = Link(release.authority.name, ctx.url(urls.authority(release.authority.id)))
        feeds: tuple[FeedLink, ...] = (*site_feeds(ctx)[:2], *(group_feeds(ctx, group) if group else ()))
        return ReleaseView(
            id=release.id,
            path=path,
            url=ctx.url(path),
            canonical=ctx.absolute(path),
            headline=release.headline,
            title=release.title,
            code=release.authority.code,
            kind=release.kind.value,
            lang=release.lang or ctx.language,
            date_text=ctx.long(release.date),
            date_iso=iso(release.date),
            updated_text=ctx.long(updated) if updated != release.date else None,
            updated_iso=iso(updated),
            authority=authority_link,
            dateline=release.location,
            body=with_dateline(body.html, release.location),
            teaser=self.teaser(release),
            images=self.image_views.get(release.id) or tuple(
                ImageView(ctx.url(urls.media_link(i.file.site_path)), i.alt, i.caption, i.credit)
                for i in release.images),
            attachments=tuple(
                AttachmentView(ctx.url(urls.media_link(a.file.site_path)), a.title, ctx.type_label(a.file.site_path),
                               ctx.size_text(a.file.size)) for a in release.attachments),
            contact=self.contact(release.authority, release.contact),
            originator=release.authority.name,
            tags=tuple(Link(t, ctx.url(urls.topic(t))) for t in release.tags),
            places=tuple(Link(p, ctx.url(urls.place(p))) for p in release.places),
            updates=tuple(UpdateView(ctx.long(u.date), iso(u.date), u.note, u.major)
                          for u in reversed(release.updates)),
            follows=Link(earlier.headline, ctx.url(urls.release(earlier.slug))) if earlier else None,
            followups=tuple(Link(r.headline, ctx.url(urls.release(r.slug)))
                            for r in catalog.followups.get(release.id, ())),
            event=self._event(release),
            related=related,
            text_url=ctx.url(urls.release_text(release.slug)),
            feeds=feeds,
            draft=release.draft,
            expires_text=ctx.long(release.expires) if release.expires else None,
            appeal=self.appeal(release),
            content_lang=self._own_lang(release),
        )

    def _event(self, release: Release) -> EventView | None:
        event = release.event
        if event is None:
            return None
        ctx = self.ctx
        return EventView(
            name=event.name,
            start_text=ctx.long(event.start),
            start_iso=iso(event.start),
            end_text=ctx.long(event.end) if event.end else None,
            end_iso=iso(event.end) if event.end else None,
            venue=event.venue,
            participants=event.participants,
            agenda=event.agenda,
            ics_url=ctx.url(urls.event_calendar(release.slug)),
        )

    def notice(self, release: Release) -> NoticeView:
        ctx = self.ctx
        path = urls.release(release.slug)
        when = withdrawn_on(release, ctx.catalog.now)
        return NoticeView(
            path=path,
            canonical=ctx.absolute(path),
            withdrawn_text=ctx.day(when) if when else None,
            withdrawn_iso=iso(when) if when else None,
            reason=release.withdrawn.reason if release.withdrawn else None,
            authority=Link(release.authority.name, ctx.url(urls.authority(release.authority.id))),
            # The authority's press office as an office: no person's name, and nothing of the release.
            contact=self.contact(release.authority, replace(release.authority.contact, name=None)),
            expired=release.withdrawn is None and release.kind is Kind.APPEAL,
        )
