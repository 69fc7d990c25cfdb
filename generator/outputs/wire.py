"""The plain-text rendition of a release, in the shape of the ots wire."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator.core.models import Release, Settings
from generator.core.text import strip_control
from generator.outputs.texts import interface_text
from generator.render.markdown import Body


@dataclass(frozen=True)
class WireLabels:
    """The fixed words of the wire format in one language."""

    contact: str
    phone: str
    email: str
    origin: str  # with %(authority)s and %(site)s
    update: str

    def originator(self, authority: str, site: str) -> str:
        return self.origin % {"authority": authority, "site": site}


@cache
def wire_labels(language: str) -> WireLabels:
    """The fixed words of the wire format in `language` (German for a language Pressroom has no texts for)."""
    _ = interface_text(language, "de")
    return WireLabels(contact=_("Inquiries to:"), phone=_("Phone"), email=_("E-mail"),
                      origin=_("Original content from: %(authority)s, published by %(site)s"),
                      update=_("Updated on"))


def web_address(url: str) -> tuple[str, str]:
    """A contact's web address as a link target and as the text the wire shows (no scheme, no final /)."""
    return url if url.startswith("http") else f"https://{url}", url.split("://", 1)[-1].rstrip("/")


def release_text(release: Release, body: Body, settings: Settings) -> str:
    labels = wire_labels(release.lang or settings.language)
    contact = release.contact
    block = [release.authority.name]
    if contact.name:
        block.append(contact.name)
    if contact.phone:
        block.append(f"{labels.phone}: {contact.phone}")
    if contact.email:
        block.append(f"{labels.email}: {contact.email}")
    if contact.url:
        block.append(web_address(contact.url)[1])
    parts = [
        release.headline,
        f"{release.location} (ots)",
        body.text,
        labels.contact + "\n\n",
        *block,
        labels.originator(release.authority.name, settings.title),
    ]
    return strip_control("\n\n".join(parts) + "\n")
