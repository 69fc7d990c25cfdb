"""The plain-text rendition of a release, in the shape of the ots wire."""

from __future__ import annotations

from generator.core.models import Release, Settings
from generator.render.markdown import Body

_LABELS = {
    "de": {"contact": "Rückfragen bitte an:", "phone": "Telefon", "email": "E-Mail",
           "origin": "Original-Content von: {authority}, übermittelt durch {site}",
           "update": "Aktualisiert am"},
    "en": {"contact": "Inquiries to:", "phone": "Phone", "email": "E-mail",
           "origin": "Original content from: {authority}, published by {site}", "update": "Updated on"},
}


def wire_labels(language: str) -> dict[str, str]:
    """The fixed words of the wire format in `language` (German for any language without its own)."""
    return _LABELS.get(language, _LABELS["de"])


def release_text(release: Release, body: Body, settings: Settings) -> str:
    labels = wire_labels(release.lang or settings.language)
    contact = release.contact
    block = [release.authority.name]
    if contact.name:
        block.append(contact.name)
    if contact.phone:
        block.append(f"{labels['phone']}: {contact.phone}")
    if contact.email:
        block.append(f"{labels['email']}: {contact.email}")
    if contact.url:
        block.append(contact.url.split("://", 1)[-1].rstrip("/"))
    parts = [
        release.headline,
        f"{release.location} (ots)",
        body.text,
        labels["contact"] + "\n\n",
        *block,
        labels["origin"].format(authority=release.authority.name, site=settings.title),
    ]
    return "\n\n".join(parts) + "\n"
