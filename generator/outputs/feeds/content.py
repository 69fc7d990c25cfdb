"""A release as the feeds carry it in full: the wire teaser and the whole release as HTML, for
RSS and Atom items and for JSON Feed items alike."""

from __future__ import annotations

import html
import re

from generator.core import urls
from generator.core.models import Release
from generator.outputs.data import OutputData
from generator.outputs.html_links import absolute_links
from generator.outputs.wire import web_address, wire_labels
from generator.render.formatting import show_datetime
from generator.render.markdown import Body


def teaser(release: Release, data: OutputData) -> str:
    """The teaser as on the wire: `Gelsenkirchen (ots) – …`."""
    return f"{release.location} (ots) – {data.teaser(release)}"


_TEL_LINK = re.compile(r'<a href="tel:[^"]*"[^>]*>(.*?)</a>', re.S)


def content_html(release: Release, body: Body, data: OutputData) -> str:
    """The full release as HTML: dateline and body, images, attachments, change notes, contact
    block and originator line, every URL absolute. The body is sanitised already; everything
    added here is escaped."""
    settings = data.settings
    language = release.lang or settings.language
    labels = wire_labels(language)
    esc = html.escape
    dateline = esc(f"{release.location} (ots)")
    # Telephone links stay on the site: feed readers drop the scheme (feedparser leaves href=""),
    # so in a feed the number is plain text, as it was written.
    text = _TEL_LINK.sub(r"\1", body.html.strip())
    parts = [f"<p>{dateline} – {text[3:]}" if text.startswith("<p>") else f"<p>{dateline}</p>\n{text}"]
    for image, file in zip(release.images, data.image_files(release), strict=False):
        credit = f"({image.credit})" if image.credit else None
        caption = " ".join(esc(t) for t in (image.caption, credit) if t)
        source = file.url
        parts.append(f'<figure><img src="{esc(source)}" alt="{esc(image.alt)}">'
                     + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>")
    if release.attachments:
        parts.append("<ul>" + "".join(
            f'<li><a href="{esc(data.absolute(urls.media_link(a.file.site_path)))}">{esc(a.title)}</a></li>'
            for a in release.attachments) + "</ul>")
    for update in release.updates:
        parts.append(f"<p><em>{esc(labels.update)} "
                     f"{esc(show_datetime(update.date, settings.tz, language))}: {esc(update.note)}</em></p>")
    contact = release.contact
    lines = [esc(release.authority.name)]
    if contact.name:
        lines.append(esc(contact.name))
    if contact.phone:
        lines.append(f"{esc(labels.phone)}: {esc(contact.phone)}")
    if contact.email:
        email = esc(contact.email)
        lines.append(f'{esc(labels.email)}: <a href="mailto:{email}">{email}</a>')
    if contact.url:
        href, shown = web_address(contact.url)
        lines.append(f'<a href="{esc(href)}">{esc(shown or href)}</a>')
    parts.append(f"<p>{esc(labels.contact)}</p>")
    parts.append("<p>" + "<br>\n".join(lines) + "</p>")
    parts.append(f"<p>{esc(labels.originator(release.authority.name, settings.title))}</p>")
    parts[0] = absolute_links(parts[0], data.absolute(urls.release(release.slug)))
    return "\n".join(parts)
